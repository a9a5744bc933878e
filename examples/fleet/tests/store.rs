//! The Redis store on a real redis-server: write only if newer, compare before invalidate, the
//! lease, key layout and TTL, a slow fetch that must not overwrite a newer token, failing open
//! when Redis is unreachable, and no secret in keys, `Debug` or errors.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use auth_runtime::store::BoxFuture;
use auth_runtime::{
    CacheKey, CachePolicy, Error, ExposeSecret, Fetched, Lease, RedisStore, SecretString,
    StoredToken, SystemClock, TokenCache, TokenSource, TokenStore,
};
use common::*;
use jiff::{SignedDuration, Timestamp};

fn key(subject: &str) -> CacheKey {
    CacheKey {
        provider: "appauth",
        endpoint: "get_access_token",
        environment: "test".into(),
        subject: subject.into(),
    }
}

fn store(url: &str, prefix: &str) -> RedisStore {
    RedisStore::builder(url)
        .prefix(prefix)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn token(value: &str, issued_secs_ago: i64, lifetime_secs: i64) -> StoredToken {
    let issued =
        Timestamp::from_millisecond(Timestamp::now().as_millisecond() - issued_secs_ago * 1000)
            .unwrap();
    StoredToken {
        value: SecretString::from(value),
        issued_at: issued,
        expires_at: issued + SignedDuration::from_secs(lifetime_secs),
    }
}

async fn raw(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_newer_token_is_never_overwritten_by_an_older_one() {
    let Some(url) = redis_url("a_newer_token_is_never_overwritten") else {
        return;
    };
    let store = store(&url, &unique_prefix("newer"));
    let key = key("demo-app");
    assert!(store.save(&key, token("newer", 1, 60)).await);
    assert!(
        !store.save(&key, token("older", 5, 60)).await,
        "older refused"
    );
    let loaded = store.load(&key, Timestamp::now()).await.unwrap();
    assert_eq!(loaded.value.expose_secret(), "newer");
    assert!(store.save(&key, token("newest", 0, 60)).await);
    let loaded = store.load(&key, Timestamp::now()).await.unwrap();
    assert_eq!(loaded.value.expose_secret(), "newest");
    // Expired at `now`: not returned.
    let later = Timestamp::now() + SignedDuration::from_secs(120);
    assert!(store.load(&key, later).await.is_none());
}

#[tokio::test]
async fn invalidation_compares_first_and_keeps_the_high_water_mark() {
    let Some(url) = redis_url("invalidation_compares_first") else {
        return;
    };
    let store = store(&url, &unique_prefix("invalidate"));
    let key = key("demo-app");
    assert!(store.save(&key, token("current", 1, 60)).await);
    assert!(!store.invalidate_if(&key, "some-older-token").await);
    assert!(
        store.load(&key, Timestamp::now()).await.is_some(),
        "a stale report leaves it"
    );
    assert!(store.invalidate_if(&key, "current").await);
    assert!(store.load(&key, Timestamp::now()).await.is_none());
    // A late fetch older than the invalidated token still cannot slip in.
    assert!(!store.save(&key, token("late", 3, 60)).await);
    assert!(store.load(&key, Timestamp::now()).await.is_none());
}

#[tokio::test]
async fn the_lease_has_one_holder_released_only_by_it_and_lapses() {
    let Some(url) = redis_url("the_lease_has_one_holder") else {
        return;
    };
    let store = store(&url, &unique_prefix("lease"));
    let key = key("demo-app");
    let Lease::Acquired(id) = store.acquire_lease(&key, Duration::from_secs(5)).await else {
        panic!("first ask gets the lease");
    };
    assert_eq!(
        store.acquire_lease(&key, Duration::from_secs(5)).await,
        Lease::Busy
    );
    store.release_lease(&key, "not-the-holder").await;
    assert_eq!(
        store.acquire_lease(&key, Duration::from_secs(5)).await,
        Lease::Busy
    );
    store.release_lease(&key, &id).await;
    let Lease::Acquired(second) = store.acquire_lease(&key, Duration::from_millis(150)).await
    else {
        panic!("released lease is free");
    };
    assert_ne!(second, id, "lease ids are unique");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(matches!(
        store.acquire_lease(&key, Duration::from_secs(5)).await,
        Lease::Acquired(_)
    ));
    // The lapsed holder's late release does not free the new holder's lease.
    store.release_lease(&key, &second).await;
    assert_eq!(
        store.acquire_lease(&key, Duration::from_secs(5)).await,
        Lease::Busy
    );
}

#[tokio::test]
async fn keys_are_namespaced_hashed_and_live_as_long_as_the_token() {
    let Some(url) = redis_url("keys_are_namespaced") else {
        return;
    };
    let prefix = unique_prefix("keys");
    let store = store(&url, &prefix);
    let key = key("client-id-in-clear");
    assert!(store.save(&key, token("v", 0, 30)).await);
    let redis_key = store.redis_key(&key);
    assert!(redis_key.starts_with(&format!("{prefix}:appauth:get_access_token:test:")));
    assert!(!redis_key.contains("client-id-in-clear"), "{redis_key}");
    let mut connection = raw(&url).await;
    let ttl_ms: i64 = redis::cmd("PTTL")
        .arg(&redis_key)
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!(
        (25_000..=30_000).contains(&ttl_ms),
        "TTL follows the lifetime: {ttl_ms} ms"
    );
    let other = store.redis_key(&self::key("another-client"));
    assert_ne!(other, redis_key, "clients do not share tokens");
}

/// A source whose fetches take `delay` and return `value`.
struct Source {
    key: CacheKey,
    value: &'static str,
    delay: Duration,
    fetches: Arc<AtomicU64>,
}

impl TokenSource for Source {
    fn key(&self) -> &CacheKey {
        &self.key
    }
    fn fetch(&self) -> BoxFuture<'_, Result<Fetched, Error>> {
        Box::pin(async move {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            Ok(Fetched {
                value: SecretString::from(self.value),
                expires_at: Some(Timestamp::now() + SignedDuration::from_secs(600)),
                uses: None,
            })
        })
    }
}

fn cache(
    store: Arc<RedisStore>,
    value: &'static str,
    delay: Duration,
    policy: CachePolicy,
) -> (TokenCache, Arc<AtomicU64>) {
    let fetches = Arc::new(AtomicU64::new(0));
    let source = Source {
        key: key("demo-app"),
        value,
        delay,
        fetches: Arc::clone(&fetches),
    };
    (
        TokenCache::new(source, Arc::new(SystemClock), store, policy),
        fetches,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_fetch_finishing_after_a_newer_token_was_stored_does_not_overwrite_it() {
    let Some(url) = redis_url("a_slow_fetch_does_not_overwrite") else {
        return;
    };
    let store = Arc::new(store(&url, &unique_prefix("slow")));
    let policy = CachePolicy {
        lease_ttl: Duration::from_millis(100),
        ..CachePolicy::default()
    };
    // Two instances: the first fetch hangs past its lease, the second takes over.
    let (slow, _) = cache(
        Arc::clone(&store),
        "slow-token",
        Duration::from_millis(800),
        policy,
    );
    let (fast, _) = cache(Arc::clone(&store), "fast-token", Duration::ZERO, policy);
    let slow_get =
        tokio::spawn(async move { slow.get().await.map(|t| t.expose_secret().to_owned()) });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let fast_token = fast.get().await.unwrap();
    assert_eq!(fast_token.expose_secret(), "fast-token");
    let slow_result = slow_get.await.unwrap().unwrap();
    assert_eq!(
        slow_result, "fast-token",
        "the slow instance adopts the newer stored token"
    );
    let stored = store
        .load(&key("demo-app"), Timestamp::now())
        .await
        .unwrap();
    assert_eq!(
        stored.value.expose_secret(),
        "fast-token",
        "and leaves it stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_wait_for_the_lease_holder_instead_of_fetching() {
    let Some(url) = redis_url("instances_wait_for_the_lease_holder") else {
        return;
    };
    let store = Arc::new(store(&url, &unique_prefix("wait")));
    let policy = CachePolicy {
        fetch_invalidates_previous: true,
        lease_poll: Duration::from_millis(5),
        ..CachePolicy::default()
    };
    let instances: Vec<_> = (0..5)
        .map(|_| {
            cache(
                Arc::clone(&store),
                "shared",
                Duration::from_millis(200),
                policy,
            )
        })
        .collect();
    let mut gets = Vec::new();
    for (cache, _) in &instances {
        for _ in 0..20 {
            let cache = cache.clone();
            gets.push(tokio::spawn(async move {
                cache.get().await.map(|t| t.expose_secret().to_owned())
            }));
        }
    }
    for get in gets {
        assert_eq!(get.await.unwrap().unwrap(), "shared");
    }
    let fetches: u64 = instances
        .iter()
        .map(|(_, f)| f.load(Ordering::SeqCst))
        .sum();
    assert_eq!(fetches, 1, "one fetch for five instances of twenty tasks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_fails_open_to_the_in_process_cache() {
    // No server needed: a port nothing listens on.
    let url = format!("redis://127.0.0.1:{}", free_port());
    let store = Arc::new(
        RedisStore::builder(&url)
            .timeout(Duration::from_millis(100))
            .build()
            .unwrap(),
    );
    assert!(
        store
            .load(&key("demo-app"), Timestamp::now())
            .await
            .is_none()
    );
    assert!(store.is_degraded());
    assert_eq!(
        store
            .acquire_lease(&key("demo-app"), Duration::from_secs(1))
            .await,
        Lease::NotShared
    );
    let (cache, fetches) = cache(
        Arc::clone(&store),
        "local",
        Duration::from_millis(20),
        CachePolicy::default(),
    );
    let started = std::time::Instant::now();
    let gets: Vec<_> = (0..50)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get().await.map(|t| t.expose_secret().to_owned()) })
        })
        .collect();
    for get in gets {
        assert_eq!(get.await.unwrap().unwrap(), "local");
    }
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "single-flight still holds"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "bounded by the timeouts"
    );
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let url = "redis://:hunter2-password@127.0.0.1:1/0";
    let builder = RedisStore::builder(url);
    assert!(!format!("{builder:?}").contains("hunter2"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _guard = runtime.enter();
    let store = RedisStore::builder(url).build().unwrap();
    assert!(!format!("{store:?}").contains("hunter2"));
    let error = RedisStore::builder("redis://:hunter2-password@[bad")
        .build()
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("Redis URL"), "{text}");
    let error = RedisStore::builder(url)
        .prefix("has space")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("prefix"), "{error}");
}

/// A source handing out `first`, `second`, ... in turn, one per fetch.
struct Sequence {
    key: CacheKey,
    next: Arc<AtomicU64>,
}

impl TokenSource for Sequence {
    fn key(&self) -> &CacheKey {
        &self.key
    }
    fn fetch(&self) -> BoxFuture<'_, Result<Fetched, Error>> {
        Box::pin(async move {
            let n = self.next.fetch_add(1, Ordering::SeqCst);
            Ok(Fetched {
                value: SecretString::from(format!("token-{n}")),
                expires_at: Some(Timestamp::now() + SignedDuration::from_secs(600)),
                uses: None,
            })
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_replaced_once_for_the_whole_fleet() {
    let Some(url) = redis_url("a_rejected_token_is_replaced_once") else {
        return;
    };
    let store: Arc<RedisStore> = Arc::new(store(&url, &unique_prefix("reject")));
    let fetches = Arc::new(AtomicU64::new(0));
    let instance = || {
        let source = Sequence {
            key: key("demo-app"),
            next: Arc::clone(&fetches),
        };
        TokenCache::new(
            source,
            Arc::new(SystemClock),
            store.clone(),
            CachePolicy::default(),
        )
    };
    let (a, b) = (instance(), instance());
    let first_a = a.get().await.unwrap();
    let first_b = b.get().await.unwrap();
    assert_eq!(
        first_b.expose_secret(),
        first_a.expose_secret(),
        "b adopted a's token"
    );
    // The provider rejects it: a reports first, invalidates it and fetches the next one.
    assert!(a.invalidate_if(&first_a).await);
    let second = a.get().await.unwrap();
    assert_ne!(second.expose_secret(), first_a.expose_secret());
    // b's report of the same old token must not throw a's new token away ...
    b.invalidate_if(&first_b).await;
    let stored = store
        .load(&key("demo-app"), Timestamp::now())
        .await
        .unwrap();
    assert_eq!(stored.value.expose_secret(), second.expose_secret());
    // ... and b picks the new one up from Redis instead of fetching a third.
    let second_b = b.get().await.unwrap();
    assert_eq!(second_b.expose_secret(), second.expose_secret());
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        2,
        "one fetch per token for both instances"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_tokens_are_shared_but_use_limited_tickets_stay_per_instance() {
    use embedded_clients::ebaas::{Ebaas, EbaasClient};
    use fake_providers::credentials as c;

    let Some(url) = redis_url("use_limited_tickets_stay_per_instance") else {
        return;
    };
    let fake = fake_providers::FakeProviders::start(fake_providers::Config::default())
        .await
        .unwrap();
    let prefix = unique_prefix("tickets");
    let instance = || {
        let store: Arc<dyn TokenStore> = Arc::new(store(&url, &prefix));
        Ebaas {
            client_id: c::EBAAS_CLIENT_ID.to_owned(),
            client_secret: SecretString::from(c::EBAAS_CLIENT_SECRET),
            token: SecretString::from("login-token-of-a-user-0123456789"),
        }
        .session_builder(
            auth_runtime::Client::with_defaults().unwrap(),
            "test",
            &fake.base_url(),
        )
        .store(store)
        .build()
        .map(EbaasClient::from_session)
        .unwrap()
    };
    let (a, b) = (instance(), instance());
    let ticket_a = a.get_service_ticket_cached().await.unwrap();
    let ticket_b = b.get_service_ticket_cached().await.unwrap();
    assert_ne!(ticket_a.expose_secret(), ticket_b.expose_secret());
    assert_eq!(
        fake.count("/oauth/getAccessToken"),
        1,
        "the access token is shared"
    );
    assert_eq!(
        fake.count("/oauth/getServiceTicket"),
        2,
        "each instance its own ticket"
    );
    let mut connection = raw(&url).await;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with(&format!("{prefix}:ebaas:get_access_token:test:")));
}
