//! Where tokens are shared beyond one cache: the [`TokenStore`] trait and the in-memory default.
//! (A Redis store for fleets implements the same trait.)

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

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
    /// The client id, or a hash of the credentials when there is none (never a secret).
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

impl std::fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredToken")
            .field("value", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Shared token storage. Use-limited tickets are never stored (their uses are counted locally).
pub trait TokenStore: Send + Sync + std::fmt::Debug + 'static {
    /// The stored token for `key`, if any and not expired.
    fn load<'a>(&'a self, key: &'a CacheKey, now: Timestamp) -> BoxFuture<'a, Option<StoredToken>>;
    /// Stores `token` unless a newer one (later `issued_at`) is already stored.
    fn save<'a>(&'a self, key: &'a CacheKey, token: StoredToken) -> BoxFuture<'a, ()>;
    /// Removes the stored token only if it is `value` (compare before invalidate).
    fn invalidate_if<'a>(&'a self, key: &'a CacheKey, value: &'a str) -> BoxFuture<'a, bool>;
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
        let found = self.with(|m| m.get(key).filter(|t| t.expires_at > now).cloned());
        Box::pin(async move { found })
    }

    fn save<'a>(&'a self, key: &'a CacheKey, token: StoredToken) -> BoxFuture<'a, ()> {
        self.with(|m| {
            let newer_stored = m.get(key).is_some_and(|t| t.issued_at > token.issued_at);
            if !newer_stored {
                m.insert(key.clone(), token);
            }
        });
        Box::pin(async {})
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
