//! Where tokens are shared beyond one cache: the [`TokenStore`] trait and the in-memory default.
//! (The Redis store for fleets, behind the `redis` feature, implements the same trait.)

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

use crate::token::Lifecycle;

/// A boxed future, for dyn-compatible async traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What identifies a cached token: provider, endpoint, environment and the client it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CacheKey {
    /// Provider name.
    pub provider: &'static str,
    /// Token endpoint name.
    pub endpoint: &'static str,
    /// Environment label (or the base URL when none).
    pub environment: String,
    /// Who the token belongs to: every plain credential the endpoint takes (`name="value"`, by
    /// wire name: client ids, constants) and a keyed fingerprint of the secret ones
    /// (`#` + 32 hex digits); never a secret. Two credential sets that differ anywhere differ here.
    pub subject: String,
}

impl std::fmt::Display for CacheKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}",
            self.provider, self.endpoint, self.environment, self.subject
        )
    }
}

/// A token as stored.
#[derive(Clone)]
pub struct StoredToken {
    /// The value.
    pub value: SecretString,
    /// When it was fetched.
    pub issued_at: Timestamp,
    /// When it expires.
    pub expires_at: Timestamp,
}

impl StoredToken {
    /// Where the stored token is in its life at `now`. A store knows no refresh time (each cache
    /// picks its own, with jitter), so a stored token is fresh until it expires.
    pub fn lifecycle(&self, now: Timestamp) -> Lifecycle {
        Lifecycle::at(now, self.expires_at, self.expires_at, None)
    }
}

impl std::fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredToken")
            .field("value", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The answer to a request for the right to fetch (see [`TokenStore::acquire_lease`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lease {
    /// This instance holds the lease until it releases it or it lapses; the id releases it.
    Acquired(String),
    /// Another instance holds it: wait for the token it stores.
    Busy,
    /// The store does not coordinate fetches (in-process store), or cannot right now (unreachable):
    /// fetch with this process's own single-flight.
    NotShared,
}

/// Shared token storage. Use-limited tickets are never stored (their uses are counted locally).
///
/// Stores shared by several processes also coordinate fetches with a lease, so one instance in
/// the fleet fetches while the others wait for what it stores.
pub trait TokenStore: Send + Sync + std::fmt::Debug + 'static {
    /// The stored token for `key`, if any and not expired.
    fn load<'a>(&'a self, key: &'a CacheKey, now: Timestamp) -> BoxFuture<'a, Option<StoredToken>>;
    /// Stores `token` unless a newer one (later `issued_at`) is already stored; returns whether
    /// it was stored.
    fn save<'a>(&'a self, key: &'a CacheKey, token: StoredToken) -> BoxFuture<'a, bool>;
    /// Removes the stored token only if it is `value` (compare before invalidate).
    fn invalidate_if<'a>(&'a self, key: &'a CacheKey, value: &'a str) -> BoxFuture<'a, bool>;
    /// Asks for the fleet-wide right to fetch `key`'s next token for at most `ttl`. The default,
    /// for stores that only one process uses, is [`Lease::NotShared`].
    fn acquire_lease<'a>(
        &'a self,
        key: &'a CacheKey,
        ttl: std::time::Duration,
    ) -> BoxFuture<'a, Lease> {
        let _ = (key, ttl);
        Box::pin(async { Lease::NotShared })
    }
    /// Gives a lease back, only if `id` still holds it (a lapsed lease taken over by another
    /// instance is left alone).
    fn release_lease<'a>(&'a self, key: &'a CacheKey, id: &'a str) -> BoxFuture<'a, ()> {
        let _ = (key, id);
        Box::pin(async {})
    }
}

/// The default store: a map in this process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    tokens: Mutex<HashMap<CacheKey, StoredToken>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<CacheKey, StoredToken>) -> T) -> T {
        // A panic elsewhere while holding the lock leaves a map that is still valid data.
        let mut guard = self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

impl TokenStore for MemoryStore {
    fn load<'a>(&'a self, key: &'a CacheKey, now: Timestamp) -> BoxFuture<'a, Option<StoredToken>> {
        let found = self.with(|m| m.get(key).filter(|t| t.lifecycle(now).is_usable()).cloned());
        Box::pin(async move { found })
    }

    fn save<'a>(&'a self, key: &'a CacheKey, token: StoredToken) -> BoxFuture<'a, bool> {
        let stored = self.with(|m| {
            let newer_stored = m.get(key).is_some_and(|t| t.issued_at > token.issued_at);
            if !newer_stored {
                m.insert(key.clone(), token);
            }
            !newer_stored
        });
        Box::pin(async move { stored })
    }

    fn invalidate_if<'a>(&'a self, key: &'a CacheKey, value: &'a str) -> BoxFuture<'a, bool> {
        let removed = self.with(|m| {
            if m.get(key).is_some_and(|t| t.value.expose_secret() == value) {
                m.remove(key);
                true
            } else {
                false
            }
        });
        Box::pin(async move { removed })
    }
}
