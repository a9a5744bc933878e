//! The runtime behind authgen's generated clients.
//!
//! - [`Client`]: one shared `reqwest::Client` (rustls; 5 s connect and 30 s request timeouts; a
//!   1 MiB body cap; plain HTTP refused except to loopback), parameter encoding as the endpoint's
//!   [`EndpointSpec`] says, envelope success rules, and typed [`Error`]s.
//! - [`TokenCache`]: lock-free reads of a fresh token, one upstream fetch per refresh however
//!   many tasks ask, early refresh with jitter, stale-while-failing with backoff, compare before
//!   invalidate, use-limited tickets.
//! - [`Session`]: one provider, environment and set of credentials; fills parameters that come
//!   from another endpoint's token and retries once when a token is rejected.
//!
//! - [`RedisStore`] (feature `redis`): fleet mode, tokens shared in Redis with a fleet-wide
//!   refresh lease, failing open to the in-process cache when Redis is away.
//!
//! Generated code (from `#[token_endpoint]` or `cargo xtask regen`) writes the [`spec`]
//! constants and typed request/response structs and calls [`Session::call`] / [`Session::token`].
#![forbid(unsafe_code)]

pub mod cache;
pub mod client;
pub mod clock;
pub mod config;
pub mod dynamic;
pub mod error;
pub mod expiry;
pub mod params;
#[cfg(feature = "redis")]
pub mod redis_store;
pub mod session;
pub mod spec;
pub mod store;
pub mod token;

pub use cache::{CachePolicy, Fetched, TokenCache, TokenSource};
pub use client::Client;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::ClientConfig;
pub use error::{At, Error};
pub use expiry::RefreshPolicy;
pub use params::{ParamValue, Params};
#[cfg(feature = "redis")]
pub use redis_store::{RedisStore, RedisStoreBuilder};
pub use secrecy::{ExposeSecret, SecretString};
pub use session::{Session, SessionBuilder};
pub use spec::EndpointSpec;
pub use store::{CacheKey, Lease, MemoryStore, NoStore, StoredToken, TokenStore};
pub use token::{Lifecycle, Token};

/// `#[token_endpoint(spec = "...")]`: see the `auth-derive` crate.
#[cfg(feature = "derive")]
pub use auth_derive::token_endpoint;

/// Re-exported so generated code needs no direct serde dependency.
pub use serde;
/// Re-exported for generated response fields of free-form JSON.
pub use serde_json;

/// What generated code calls and users do not: not part of the API, may change at any time.
#[doc(hidden)]
pub mod __private {
    use crate::error::{self, At, Error};
    use crate::spec::EndpointSpec;

    /// Decodes a successful body into a generated response type; a mismatch is [`Error::Mismatch`].
    pub fn decode<T: serde::de::DeserializeOwned>(
        spec: &'static EndpointSpec,
        body: serde_json::Value,
    ) -> Result<T, Error> {
        serde_json::from_value(body).map_err(|e| Error::Mismatch {
            at: At {
                provider: spec.provider,
                endpoint: spec.name,
            },
            // serde's message may quote the offending value: keep it short and token-free.
            reason: error::redacted_excerpt(e.to_string().as_bytes(), &[]),
        })
    }
}
