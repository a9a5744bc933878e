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

/// A store that keeps nothing, for caches whose tokens no other cache reads: each cache already
/// holds its token, so an in-process copy per cache would only cost memory (the token and its
/// key again, per tenant). Share a [`MemoryStore`] (or a Redis store) between sessions instead
/// when they should share tokens.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoStore;

impl TokenStore for NoStore {
    fn load<'a>(&'a self, _: &'a CacheKey, _: Timestamp) -> BoxFuture<'a, Option<StoredToken>> {
        Box::pin(async { None })
    }

    /// Reports the token stored, so the cache keeps the token it fetched.
    fn save<'a>(&'a self, _: &'a CacheKey, _: StoredToken) -> BoxFuture<'a, bool> {
        Box::pin(async { true })
    }

    fn invalidate_if<'a>(&'a self, _: &'a CacheKey, _: &'a str) -> BoxFuture<'a, bool> {
        Box::pin(async { false })
    }
}

/// A map in this process: sessions given the same store share tokens (one fetch serves every
/// session with the same credentials).
///
/// ```no_run
/// # fn demo(specs: &'static [&'static auth_runtime::EndpointSpec]) -> Result<(), auth_runtime::Error> {
/// use std::sync::Arc;
/// use auth_runtime::{Client, MemoryStore, Session, TokenStore};
///
/// let store: Arc<dyn TokenStore> = Arc::new(MemoryStore::new());
/// let client = Client::default_for("wechat")?;
/// let a = Session::builder(client.clone(), specs, "prod", "https://api.weixin.qq.com")
///     .store(Arc::clone(&store))
///     .build()?;
/// let b = Session::builder(client, specs, "prod", "https://api.weixin.qq.com")
///     .store(store)
///     .build()?;
/// # let _ = (a, b);
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    tokens: Mutex<Entries>,
}

/// Up to this many tokens live in a vector; more move to a hash map.
const FEW: usize = 8;

/// A store usually serves one session's one or two tokens, and a service holds a session per
/// tenant: those live in a vector grown one entry at a time (128 bytes each), where a hash map's
/// smallest table holds four (532 bytes). A store that many sessions share becomes a hash map.
#[derive(Debug)]
enum Entries {
    Few(Vec<(CacheKey, StoredToken)>),
    // Boxed so the common vector case keeps the store at 32 bytes rather than a map's 56.
    #[allow(clippy::box_collection)]
    Many(Box<HashMap<CacheKey, StoredToken>>),
}

impl Default for Entries {
    fn default() -> Self {
        Entries::Few(Vec::new())
    }
}

impl Entries {
    fn get(&self, key: &CacheKey) -> Option<&StoredToken> {
        match self {
            Entries::Few(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, t)| t),
            Entries::Many(map) => map.get(key),
        }
    }

    /// Stores `token` under `key`, replacing what was there (the key is cloned only when new).
    fn insert(&mut self, key: &CacheKey, token: StoredToken) {
        match self {
            Entries::Few(entries) => {
                if let Some(entry) = entries.iter_mut().find(|(k, _)| k == key) {
                    entry.1 = token;
                } else if entries.len() < FEW {
                    entries.reserve_exact(1);
                    entries.push((key.clone(), token));
                } else {
                    let mut map: HashMap<CacheKey, StoredToken> = entries.drain(..).collect();
                    map.insert(key.clone(), token);
                    *self = Entries::Many(Box::new(map));
                }
            }
            Entries::Many(map) => {
                if let Some(stored) = map.get_mut(key) {
                    *stored = token;
                } else {
                    map.insert(key.clone(), token);
                }
            }
        }
    }

    fn remove(&mut self, key: &CacheKey) {
        match self {
            Entries::Few(entries) => entries.retain(|(k, _)| k != key),
            Entries::Many(map) => {
                map.remove(key);
            }
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Entries) -> T) -> T {
        // A panic elsewhere while holding the lock leaves entries that are still valid data.
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
                m.insert(key, token);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn key(subject: &str) -> CacheKey {
        CacheKey {
            provider: "p",
            endpoint: "e",
            environment: "test".into(),
            subject: subject.into(),
        }
    }

    fn token(value: &str, issued: i64) -> StoredToken {
        let t = Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_secs(issued);
        StoredToken {
            value: SecretString::from(value),
            issued_at: t,
            expires_at: t + jiff::SignedDuration::from_hours(2),
        }
    }

    /// The same answers whether the store holds few tokens (a vector) or many (a hash map).
    #[tokio::test]
    async fn few_and_many_tokens_behave_alike() {
        let store = MemoryStore::new();
        let at = Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_secs(60);
        let keys: Vec<CacheKey> = (0..3 * FEW).map(|i| key(&format!("tenant-{i}"))).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(store.save(k, token(&format!("v{i}"), 10)).await);
            // Every key saved so far is still found with its own token, across the switch.
            for (j, earlier) in keys[..=i].iter().enumerate() {
                let found = store.load(earlier, at).await.unwrap();
                assert_eq!(found.value.expose_secret(), format!("v{j}"));
            }
        }
        assert!(store.with(|m| matches!(m, Entries::Many(_))));
        for k in [&keys[0], &keys[3 * FEW - 1]] {
            // An older token never replaces a newer one; a newer one does.
            assert!(!store.save(k, token("older", 5)).await);
            assert!(store.save(k, token("newer", 20)).await);
            assert_eq!(
                store.load(k, at).await.unwrap().value.expose_secret(),
                "newer"
            );
            // Compare before invalidate.
            assert!(!store.invalidate_if(k, "older").await);
            assert!(store.invalidate_if(k, "newer").await);
            assert!(store.load(k, at).await.is_none());
        }
        // An expired token is not loaded.
        let late = Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_hours(3);
        assert!(store.load(&keys[1], late).await.is_none());
    }

    #[tokio::test]
    async fn no_store_keeps_nothing_and_lets_the_cache_keep_its_token() {
        let store = NoStore;
        let at = Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_secs(60);
        assert!(store.save(&key("a"), token("v", 10)).await);
        assert!(store.load(&key("a"), at).await.is_none());
        assert!(!store.invalidate_if(&key("a"), "v").await);
        assert_eq!(
            store
                .acquire_lease(&key("a"), std::time::Duration::from_secs(1))
                .await,
            Lease::NotShared
        );
    }

    #[tokio::test]
    async fn a_few_tokens_take_one_entry_each() {
        let store = MemoryStore::new();
        store.save(&key("a"), token("v", 10)).await;
        store.save(&key("a"), token("w", 11)).await;
        store.save(&key("b"), token("x", 10)).await;
        store.with(|m| match m {
            Entries::Few(entries) => {
                assert_eq!(
                    entries.len(),
                    2,
                    "a replaced token takes no entry of its own"
                );
                assert_eq!(entries.capacity(), 2, "grown one entry at a time");
            }
            Entries::Many(_) => panic!("two tokens belong in the vector"),
        });
    }
}
