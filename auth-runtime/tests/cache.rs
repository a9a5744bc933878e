//! Token cache behaviour with a counting token source and a manual clock: single-flight,
//! early refresh, stale-while-failing with backoff, compare before invalidate, use limits.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use auth_runtime::cache::{CachePolicy, Fetched, TokenCache, TokenSource};
use auth_runtime::store::BoxFuture;
use auth_runtime::{At, CacheKey, Clock, Error, ManualClock, MemoryStore, SecretString};
use jiff::SignedDuration;

struct Counting {
    key: CacheKey,
    clock: Arc<ManualClock>,
    fetches: Arc<AtomicU64>,
    fail: Arc<AtomicBool>,
    lifetime: SignedDuration,
    uses: Option<u32>,
}

impl TokenSource for Counting {
    fn key(&self) -> &CacheKey {
        &self.key
    }
    fn fetch(&self) -> BoxFuture<'_, Result<Fetched, Error>> {
        Box::pin(async move {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            // Long enough that every waiting task piles up behind this fetch.
            tokio::time::sleep(Duration::from_millis(50)).await;
            if self.fail.load(Ordering::SeqCst) {
                return Err(Error::Status {
                    at: At {
                        provider: "p",
                        endpoint: "e",
                    },
                    status: 503,
                    retry_after: None,
                    code: None,
                    documented: None,
                    excerpt: String::new(),
                });
            }
            Ok(Fetched {
                value: SecretString::from(format!("token-{n}")),
                expires_at: Some(self.clock.now().checked_add(self.lifetime).unwrap()),
                uses: self.uses,
            })
        })
    }
}

struct Fixture {
    cache: TokenCache,
    clock: Arc<ManualClock>,
    fetches: Arc<AtomicU64>,
    fail: Arc<AtomicBool>,
}

fn fixture(lifetime: SignedDuration, uses: Option<u32>, policy: CachePolicy) -> Fixture {
    let clock = Arc::new(ManualClock::starting_now());
    let fetches = Arc::new(AtomicU64::new(0));
    let fail = Arc::new(AtomicBool::new(false));
    let source = Counting {
        key: CacheKey {
            provider: "p",
            endpoint: "e",
            environment: "test".into(),
            subject: "client".into(),
        },
        clock: Arc::clone(&clock),
        fetches: Arc::clone(&fetches),
        fail: Arc::clone(&fail),
        lifetime,
        uses,
    };
    let cache = TokenCache::new(source, clock.clone(), Arc::new(MemoryStore::new()), policy);
    Fixture {
        cache,
        clock,
        fetches,
        fail,
    }
}

fn no_jitter() -> CachePolicy {
    let mut p = CachePolicy::default();
    p.refresh.jitter_share = 0.0;
    p
}

async fn burst(cache: &TokenCache, tasks: usize) -> Vec<String> {
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let c = cache.clone();
            tokio::spawn(async move { c.get().await.map(|t| t.expose_secret().to_owned()) })
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap().unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_tasks_share_one_fetch_when_the_token_has_expired() {
    let f = fixture(SignedDuration::from_hours(2), None, no_jitter());
    assert_eq!(
        burst(&f.cache, 1000)
            .await
            .iter()
            .filter(|t| *t == "token-1")
            .count(),
        1000
    );
    assert_eq!(f.fetches.load(Ordering::SeqCst), 1);
    // Fresh token: a second burst makes no request at all.
    burst(&f.cache, 1000).await;
    assert_eq!(f.fetches.load(Ordering::SeqCst), 1);
    // Past expiry: exactly one more.
    f.clock.advance(SignedDuration::from_hours(3));
    let tokens = burst(&f.cache, 1000).await;
    assert!(tokens.iter().all(|t| t == "token-2"));
    assert_eq!(f.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn early_refresh_serves_the_valid_token_and_fetches_once_in_the_background() {
    let f = fixture(SignedDuration::from_hours(2), None, no_jitter());
    f.cache.get().await.unwrap();
    // 80 % of 2 h = 96 min: the refresh is due, the token still valid.
    f.clock.advance(SignedDuration::from_mins(97));
    let tokens = burst(&f.cache, 1000).await;
    assert!(
        tokens.iter().all(|t| t == "token-1"),
        "callers are not kept waiting"
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        f.fetches.load(Ordering::SeqCst),
        2,
        "exactly one background refresh"
    );
    assert_eq!(f.cache.get().await.unwrap().expose_secret(), "token-2");
}

#[tokio::test]
async fn a_failed_refresh_keeps_serving_the_valid_token_and_backs_off() {
    let f = fixture(SignedDuration::from_hours(2), None, no_jitter());
    f.cache.get().await.unwrap();
    f.fail.store(true, Ordering::SeqCst);
    f.clock.advance(SignedDuration::from_mins(100));
    // Refresh due: the background refresh fails; callers still get token-1.
    assert_eq!(f.cache.get().await.unwrap().expose_secret(), "token-1");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(f.fetches.load(Ordering::SeqCst), 2);
    // Within the backoff (1 s), no new attempt.
    for _ in 0..20 {
        assert_eq!(f.cache.get().await.unwrap().expose_secret(), "token-1");
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(f.fetches.load(Ordering::SeqCst), 2);
    // After it, one more attempt (which fails again: backoff doubles).
    f.clock.advance(SignedDuration::from_secs(2));
    assert_eq!(f.cache.get().await.unwrap().expose_secret(), "token-1");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(f.fetches.load(Ordering::SeqCst), 3);
    // Once expired and still failing, the error reaches the caller.
    f.clock.advance(SignedDuration::from_hours(1));
    let err = f.cache.get().await.unwrap_err();
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err}");
    // Recovery: the failure answers until its backoff (4 s by now) ends, then one fetch.
    f.fail.store(false, Ordering::SeqCst);
    assert!(f.cache.get().await.is_err(), "still within the backoff");
    assert_eq!(f.fetches.load(Ordering::SeqCst), 4);
    f.clock.advance(SignedDuration::from_secs(5));
    assert_eq!(f.cache.get().await.unwrap().expose_secret(), "token-5");
}

async fn failing_burst(cache: &TokenCache, tasks: usize) -> Vec<Error> {
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let c = cache.clone();
            tokio::spawn(async move { c.get().await })
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        if let Err(e) = h.await.unwrap() {
            out.push(e);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_provider_is_asked_once_per_backoff_window_however_many_callers() {
    let f = fixture(SignedDuration::from_hours(2), None, no_jitter());
    f.fail.store(true, Ordering::SeqCst);
    let errors = failing_burst(&f.cache, 10_000).await;
    assert_eq!(errors.len(), 10_000, "every caller gets the failure");
    assert!(
        errors
            .iter()
            .all(|e| matches!(e, Error::Status { status: 503, .. }))
    );
    assert_eq!(
        f.fetches.load(Ordering::SeqCst),
        1,
        "one fetch, its failure shared"
    );
    // Still inside the backoff window: no new fetch.
    failing_burst(&f.cache, 1_000).await;
    assert_eq!(f.fetches.load(Ordering::SeqCst), 1);
    // After it: one more (and the window doubles).
    f.clock.advance(SignedDuration::from_secs(2));
    failing_burst(&f.cache, 1_000).await;
    assert_eq!(f.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expired_on_arrival_is_a_failure_not_a_stampede() {
    let f = fixture(SignedDuration::from_secs(-1), None, no_jitter());
    let errors = failing_burst(&f.cache, 10_000).await;
    assert_eq!(errors.len(), 10_000);
    assert!(
        errors
            .iter()
            .all(|e| e.to_string().contains("already expired")),
        "{}",
        errors[0]
    );
    assert_eq!(f.fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_fetch_that_never_ends_is_cut_at_the_deadline() {
    let mut policy = no_jitter();
    policy.fetch_deadline = Duration::from_millis(10);
    let f = fixture(SignedDuration::from_hours(2), None, policy);
    // The source sleeps 50 ms per fetch: past the deadline.
    let err = f.cache.get().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
}

#[tokio::test]
async fn invalidation_compares_before_it_drops() {
    let f = fixture(SignedDuration::from_hours(2), None, no_jitter());
    let first = f.cache.get().await.unwrap();
    assert!(f.cache.invalidate_if(&first).await);
    let second = f.cache.get().await.unwrap();
    assert_eq!(second.expose_secret(), "token-2");
    // A late report about the first token must not throw the second away.
    assert!(!f.cache.invalidate_if(&first).await);
    assert_eq!(f.cache.get().await.unwrap().expose_secret(), "token-2");
    assert_eq!(f.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn use_limited_tickets_are_handed_out_no_more_than_allowed() {
    let f = fixture(SignedDuration::from_secs(60), Some(2), no_jitter());
    let got: Vec<String> = futures_free_sequence(&f.cache, 5).await;
    assert_eq!(got, ["token-1", "token-1", "token-2", "token-2", "token-3"]);
    assert_eq!(f.fetches.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_use_limited_tickets_are_never_over_used() {
    let f = fixture(SignedDuration::from_secs(60), Some(1), no_jitter());
    let tokens = burst(&f.cache, 50).await;
    let mut unique = tokens.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        50,
        "each single-use ticket went to exactly one task"
    );
    assert_eq!(f.fetches.load(Ordering::SeqCst), 50);
}

#[tokio::test]
async fn forced_refresh_fetches_even_when_fresh() {
    let f = fixture(SignedDuration::from_hours(2), None, no_jitter());
    f.cache.get().await.unwrap();
    assert_eq!(f.cache.refresh().await.unwrap().expose_secret(), "token-2");
    assert_eq!(f.cache.get().await.unwrap().expose_secret(), "token-2");
    assert_eq!(f.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn jitter_spreads_refresh_times() {
    let mut times = Vec::new();
    for _ in 0..8 {
        let f = fixture(SignedDuration::from_hours(2), None, CachePolicy::default());
        let t = f.cache.get().await.unwrap();
        let before_expiry = t.expires_at().duration_since(t.refresh_at());
        // Between 24 min (the 80 % point) and 24 + 6 min (5 % jitter of 2 h).
        assert!(
            before_expiry >= SignedDuration::from_mins(24)
                && before_expiry <= SignedDuration::from_mins(30),
            "{before_expiry:?}"
        );
        times.push(before_expiry);
    }
    times.dedup();
    assert!(
        times.len() > 1,
        "refresh times should differ between caches"
    );
}

async fn futures_free_sequence(cache: &TokenCache, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(cache.get().await.unwrap().expose_secret().to_owned());
    }
    out
}
