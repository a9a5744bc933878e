//! Fleet mode: a [`TokenStore`] in Redis that every instance shares, with a fleet-wide refresh
//! lease so one instance fetches while the others wait for what it stores.
//!
//! Per cache key (`{prefix}:{provider}:{endpoint}:{environment}:{hash of the subject}`) there is:
//! - a hash `{key}` with the token `v`, its issue time `iat` and expiry `exp` (Unix ms), living
//!   as long as the token does. Invalidation deletes `v` but keeps `iat`, so a slow fetch of an
//!   older token still cannot slip in afterwards;
//! - a string `{key}:lease` holding the lease holder's random id, set with `NX PX`, and deleted
//!   only by its holder (compare-and-delete in Lua) or by lapsing.
//!
//! Every command is bounded by a timeout. When Redis is down or slow the store *fails open*: it
//! reports "nothing stored" and [`Lease::NotShared`], so each instance keeps working with its
//! in-process cache and single-flight; it logs the degradation once and the recovery once, and
//! the connection manager reconnects in the background.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use secrecy::{ExposeSecret, SecretString};

use crate::clock::{Clock, SystemClock};
use crate::error::{At, Error};
use crate::store::{BoxFuture, CacheKey, Lease, StoredToken, TokenStore};

/// Stores `v`/`iat`/`exp` unless a newer token (greater `iat`) is stored; returns 1 when stored.
const SAVE_IF_NEWER: &str = r"
local iat = redis.call('HGET', KEYS[1], 'iat')
if iat and tonumber(iat) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'iat', ARGV[2], 'exp', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
";

/// Deletes the token only if it is the one that failed; keeps `iat` as the high-water mark.
const INVALIDATE_IF: &str = r"
if redis.call('HGET', KEYS[1], 'v') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'v')
  return 1
end
return 0
";

/// Deletes the lease only if `ARGV[1]` still holds it.
const RELEASE_IF_OWNER: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

fn config_error(message: String) -> Error {
    Error::Config {
        at: At {
            provider: "-",
            endpoint: "redis store",
        },
        message,
    }
}

/// Settings of a [`RedisStore`]; start with [`RedisStore::builder`].
pub struct RedisStoreBuilder {
    url: SecretString,
    prefix: String,
    timeout: Duration,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for RedisStoreBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password.
        f.debug_struct("RedisStoreBuilder")
            .field("url", &"[redacted]")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("clock", &self.clock)
            .finish()
    }
}

impl RedisStoreBuilder {
    /// The namespace of every key (default `authgen`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The bound on each command and connection attempt (default 250 ms); past it the store
    /// fails open for that call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The clock that dates what is stored: a token's time to live in Redis is its expiry minus
    /// this clock's now (default: the system clock). Give it the clock the sessions use, so a
    /// test that moves a [`crate::ManualClock`] moves the store's idea of "expired" with it.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The store. It connects lazily, so it can be built while Redis is still down; call inside a
    /// Tokio runtime. Fails only on a malformed URL or settings.
    pub fn build(self) -> Result<RedisStore, Error> {
        if self.prefix.is_empty() || self.prefix.contains(char::is_whitespace) {
            return Err(config_error(format!(
                "the Redis key prefix must be non-empty and without spaces, got {:?}",
                self.prefix
            )));
        }
        if self.timeout.is_zero() {
            return Err(config_error(
                "the Redis timeout must be longer than zero".into(),
            ));
        }
        let client = redis::Client::open(self.url.expose_secret()).map_err(|e| {
            // The error can quote the URL, password included: name the kind only.
            config_error(format!(
                "the Redis URL is not valid ({:?}); expected redis://[user:password@]host[:port][/db]",
                e.kind()
            ))
        })?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(2));
        let connection = ConnectionManager::new_lazy_with_config(client, config).map_err(|e| {
            config_error(format!(
                "cannot set up the Redis connection: {:?}",
                e.kind()
            ))
        })?;
        Ok(RedisStore {
            connection,
            prefix: self.prefix,
            timeout: self.timeout,
            clock: self.clock,
            degraded: AtomicBool::new(false),
            save_script: Script::new(SAVE_IF_NEWER),
            invalidate_script: Script::new(INVALIDATE_IF),
            release_script: Script::new(RELEASE_IF_OWNER),
        })
    }
}

/// Tokens in Redis, shared by every instance of a fleet (see the [module docs](self)).
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    timeout: Duration,
    clock: Arc<dyn Clock>,
    degraded: AtomicBool,
    save_script: Script,
    invalidate_script: Script,
    release_script: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("degraded", &self.is_degraded())
            .finish()
    }
}

impl RedisStore {
    /// A builder for the store at `url` (`redis://host:port/db`).
    ///
    /// ```no_run
    /// # fn demo(session: auth_runtime::SessionBuilder) -> Result<(), auth_runtime::Error> {
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use auth_runtime::RedisStore;
    ///
    /// let store = RedisStore::builder("redis://127.0.0.1:6379/0")
    ///     .prefix("payments")
    ///     .timeout(Duration::from_millis(100))
    ///     .build()?;
    /// let session = session.store(Arc::new(store)).build()?;
    /// # let _ = session;
    /// # Ok(()) }
    /// ```
    pub fn builder(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: SecretString::from(url.into()),
            prefix: "authgen".into(),
            timeout: Duration::from_millis(250),
            clock: Arc::new(SystemClock),
        }
    }

    /// Whether the last command failed, so the instance works from its in-process cache alone.
    pub fn is_degraded(&self) -> bool {
        self.degraded.load(Ordering::Relaxed)
    }

    /// The Redis key of `key`'s token; the lease is this plus `:lease`. The subject (client ids
    /// and a fingerprint of the secrets) is hashed (128 bits of SHA-256) so keys reveal nothing
    /// about the client.
    pub fn redis_key(&self, key: &CacheKey) -> String {
        format!(
            "{}:{}:{}:{}:{}",
            self.prefix,
            key.provider,
            key.endpoint,
            key.environment,
            stable_hash(key.subject.as_bytes())
        )
    }

    /// Runs one command under the timeout; `None` (and the degradation logged once) on failure.
    async fn bounded<T>(
        &self,
        what: &'static str,
        command: impl Future<Output = redis::RedisResult<T>>,
    ) -> Option<T> {
        let outcome = match tokio::time::timeout(self.timeout, command).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(format!("{:?}", e.kind())),
            Err(_) => Err(format!("no answer within {:?}", self.timeout)),
        };
        match outcome {
            Ok(value) => {
                if self.degraded.swap(false, Ordering::Relaxed) {
                    tracing::info!(prefix = %self.prefix, "Redis is reachable again; tokens are shared with the fleet");
                }
                Some(value)
            }
            Err(reason) => {
                if !self.degraded.swap(true, Ordering::Relaxed) {
                    tracing::warn!(prefix = %self.prefix, command = what, %reason,
                        "Redis is unreachable; working from the in-process cache until it is back");
                }
                None
            }
        }
    }
}

impl TokenStore for RedisStore {
    fn load<'a>(&'a self, key: &'a CacheKey, now: Timestamp) -> BoxFuture<'a, Option<StoredToken>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let redis_key = self.redis_key(key);
            let fields: (Option<String>, Option<i64>, Option<i64>) = self
                .bounded(
                    "HMGET",
                    redis::cmd("HMGET")
                        .arg(&redis_key)
                        .arg(&["v", "iat", "exp"])
                        .query_async(&mut connection),
                )
                .await?;
            let (Some(value), Some(iat), Some(exp)) = fields else {
                return None;
            };
            let issued_at = Timestamp::from_millisecond(iat).ok()?;
            let expires_at = Timestamp::from_millisecond(exp).ok()?;
            let token = StoredToken {
                value: SecretString::from(value),
                issued_at,
                expires_at,
            };
            token.lifecycle(now).is_usable().then_some(token)
        })
    }

    fn save<'a>(&'a self, key: &'a CacheKey, token: StoredToken) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            // The key lives as long as the token (at least the 1 ms Redis can express); one
            // already expired is not stored at all. Both by the injected clock.
            let now = self.clock.now();
            if !token.lifecycle(now).is_usable() {
                return false;
            }
            let ttl_ms = token.expires_at.duration_since(now).as_millis().max(1);
            let mut connection = self.connection.clone();
            let mut invocation = self.save_script.key(self.redis_key(key));
            invocation
                .arg(token.value.expose_secret())
                .arg(token.issued_at.as_millisecond())
                .arg(token.expires_at.as_millisecond())
                .arg(ttl_ms as i64);
            let stored: Option<i64> = self
                .bounded("save", invocation.invoke_async(&mut connection))
                .await;
            // Unreachable: report "stored" so the caller keeps the token it fetched.
            stored.is_none_or(|s| s == 1)
        })
    }

    fn invalidate_if<'a>(&'a self, key: &'a CacheKey, value: &'a str) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let mut invocation = self.invalidate_script.key(self.redis_key(key));
            invocation.arg(value);
            let removed: Option<i64> = self
                .bounded("invalidate", invocation.invoke_async(&mut connection))
                .await;
            removed == Some(1)
        })
    }

    fn acquire_lease<'a>(&'a self, key: &'a CacheKey, ttl: Duration) -> BoxFuture<'a, Lease> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let id = format!(
                "{}-{:016x}",
                std::process::id(),
                crate::expiry::random_u64()
            );
            let lease_key = format!("{}:lease", self.redis_key(key));
            let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            let mut set = redis::cmd("SET");
            set.arg(&lease_key).arg(&id).arg("NX").arg("PX").arg(ttl_ms);
            let command = set.query_async::<Option<String>>(&mut connection);
            match self.bounded("SET NX", command).await {
                Some(Some(_)) => Lease::Acquired(id),
                Some(None) => Lease::Busy,
                None => Lease::NotShared,
            }
        })
    }

    fn release_lease<'a>(&'a self, key: &'a CacheKey, id: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let mut invocation = self
                .release_script
                .key(format!("{}:lease", self.redis_key(key)));
            invocation.arg(id);
            let _: Option<i64> = self
                .bounded("release", invocation.invoke_async(&mut connection))
                .await;
        })
    }
}

/// A 128-bit SHA-256 fingerprint in hex: the same in every build and process, for names shared
/// across a fleet, and too wide for two tenants' subjects to collide.
fn stable_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use jiff::SignedDuration;

    use super::*;
    use crate::ManualClock;

    /// The Redis URL, or `None` (skip) when the environment gives none and does not require one.
    fn redis_url(test: &str) -> Option<String> {
        match std::env::var("AUTHGEN_REDIS_URL") {
            Ok(url) if !url.is_empty() => Some(url),
            _ => {
                assert!(
                    std::env::var("AUTHGEN_REQUIRE_REDIS").as_deref() != Ok("1"),
                    "{test}: AUTHGEN_REQUIRE_REDIS=1 but AUTHGEN_REDIS_URL is not set"
                );
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "SKIPPED {test}: no Redis");
                None
            }
        }
    }

    #[tokio::test]
    async fn stored_lifetimes_come_from_the_injected_clock() {
        let Some(url) = redis_url("stored_lifetimes_come_from_the_injected_clock") else {
            return;
        };
        // The store's clock stands a day before the system's; the token expires one hour after
        // the store's now, so by the system clock it is long expired.
        let now = Timestamp::now() - SignedDuration::from_hours(24);
        let clock = Arc::new(ManualClock::new(now));
        let store = RedisStore::builder(&url)
            .prefix(format!(
                "test-clock-{}-{}",
                std::process::id(),
                now.as_millisecond()
            ))
            .timeout(Duration::from_millis(500))
            .clock(Arc::clone(&clock) as Arc<dyn Clock>)
            .build()
            .unwrap();
        let key = CacheKey {
            provider: "p",
            endpoint: "e",
            environment: "test".into(),
            subject: "client".into(),
        };
        let token = |lifetime: SignedDuration| StoredToken {
            value: SecretString::from("stored-token-value"),
            issued_at: now,
            expires_at: now + lifetime,
        };
        assert!(
            store.save(&key, token(SignedDuration::from_hours(1))).await,
            "a token valid by the injected clock is stored"
        );
        let mut connection = redis::Client::open(url.as_str())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap();
        let ttl: i64 = redis::cmd("PTTL")
            .arg(store.redis_key(&key))
            .query_async(&mut connection)
            .await
            .unwrap();
        assert!(
            (3_590_000..=3_600_000).contains(&ttl),
            "the key lives as long as the token by the injected clock: {ttl} ms"
        );
        assert!(store.load(&key, now).await.is_some());
        // Moved past its expiry, the same clock refuses a token that has expired.
        clock.advance(SignedDuration::from_hours(2));
        assert!(
            !store.save(&key, token(SignedDuration::from_mins(90))).await,
            "a token expired by the injected clock is not stored"
        );
        assert!(store.load(&key, clock.now()).await.is_none());
    }
}
