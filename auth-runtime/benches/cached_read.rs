//! Cached-token read through `TokenCache::get` against the cheapest possible alternative (an
//! `Arc<str>` clone), a `Mutex`-guarded cache, and the peer a Rust user would pick: `moka`'s
//! async cache, with 1 and 2 threads. Prints each side and the ratio. Run with
//! `cargo bench -p auth-runtime --bench cached_read`.
//!
//! Why `moka::future::Cache` is the peer: a token cache sits in async code and must load a
//! missing or expired token once however many tasks ask, which `future::Cache::try_get_with`
//! does (its sync cache would block a runtime thread while the fetch runs). It is given its
//! cheapest fitting setup (one `time_to_live` for every entry rather than a per-entry `Expiry`),
//! so the comparison favours it. Its sync cache's `get` is printed too, for reference.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use auth_runtime::cache::{CachePolicy, Fetched, TokenCache, TokenSource};
use auth_runtime::store::BoxFuture;
use auth_runtime::{CacheKey, Error, MemoryStore, SecretString, SystemClock};
use jiff::{SignedDuration, Timestamp};

struct Fixed(CacheKey);

impl TokenSource for Fixed {
    fn key(&self) -> &CacheKey {
        &self.0
    }
    fn fetch(&self) -> BoxFuture<'_, Result<Fetched, Error>> {
        Box::pin(async {
            Ok(Fetched {
                value: SecretString::from(
                    "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.signature",
                ),
                expires_at: Some(
                    Timestamp::now()
                        .checked_add(SignedDuration::from_hours(2))
                        .unwrap(),
                ),
                uses: None,
            })
        })
    }
}

const READS: u64 = 2_000_000;

/// Median nanoseconds per read over 7 rounds, `threads` threads reading concurrently.
fn measure(threads: usize, read: impl Fn() + Sync) -> f64 {
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {
                        for _ in 0..READS {
                            read();
                        }
                    });
                }
            });
            start.elapsed().as_nanos() as f64 / (READS as f64)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[3]
}

/// A `Mutex`-guarded cache as many hand-written clients do it.
struct MutexCache {
    inner: Mutex<Option<(Arc<str>, Timestamp)>>,
}

impl MutexCache {
    fn get(&self) -> Arc<str> {
        let guard = self.inner.lock().unwrap();
        let (token, expires) = guard.as_ref().unwrap();
        assert!(Timestamp::now() < *expires);
        Arc::clone(token)
    }
}

/// Polls `future` to completion with a no-op waker, counting the polls that were pending. The
/// reads measured here never wait for I/O; a pending poll can only be a moment of contention on
/// a lock that another thread releases without needing this task to be woken.
fn poll_ready<T>(future: impl Future<Output = T>, pending: &std::sync::atomic::AtomicU64) -> T {
    let mut cx = Context::from_waker(Waker::noop());
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        pending.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The key a multi-tenant moka cache would be keyed by: the tenant's cache key as text.
const MOKA_KEY: &str = "bench/token/test/client";

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Inside the runtime, so the cache arms timers instead of reading the clock per read.
    let _entered = runtime.enter();
    let key = CacheKey {
        provider: "bench",
        endpoint: "token",
        environment: "test".into(),
        subject: "client".into(),
    };
    let cache = TokenCache::new(
        Fixed(key),
        Arc::new(SystemClock),
        Arc::new(MemoryStore::new()),
        CachePolicy::default(),
    );
    runtime.block_on(cache.get()).unwrap();
    let arc: Arc<str> = Arc::from("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.signature");
    let mutex = MutexCache {
        inner: Mutex::new(Some((
            Arc::clone(&arc),
            Timestamp::now()
                .checked_add(SignedDuration::from_hours(2))
                .unwrap(),
        ))),
    };
    // `get` completes without awaiting anything on a fresh token: poll it once, no executor.
    let read_cache = || {
        let mut cx = Context::from_waker(Waker::noop());
        let mut fut = std::pin::pin!(cache.get());
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(t) => {
                black_box(t.unwrap());
            }
            Poll::Pending => panic!("a fresh token must be served without waiting"),
        }
    };
    // The peers hold the same token under a 2-hour time to live, keyed as a multi-tenant cache is.
    let ttl = Duration::from_secs(2 * 3600);
    let moka_async: moka::future::Cache<String, Arc<str>> =
        moka::future::Cache::builder().time_to_live(ttl).build();
    runtime.block_on(moka_async.insert(MOKA_KEY.to_owned(), Arc::clone(&arc)));
    let moka_sync: moka::sync::Cache<String, Arc<str>> =
        moka::sync::Cache::builder().time_to_live(ttl).build();
    moka_sync.insert(MOKA_KEY.to_owned(), Arc::clone(&arc));
    let moka_pending = std::sync::atomic::AtomicU64::new(0);
    let read_moka = || {
        let token = poll_ready(moka_async.get(black_box(MOKA_KEY)), &moka_pending);
        black_box(token.unwrap());
    };
    println!("cached-token read, ns per read (median of 7 rounds of {READS} reads per thread)");
    for threads in [1, 2] {
        let ours = measure(threads, read_cache);
        let baseline = measure(threads, || {
            black_box(Arc::clone(black_box(&arc)));
        });
        let locked = measure(threads, || {
            black_box(mutex.get());
        });
        let moka = measure(threads, read_moka);
        let moka_blocking = measure(threads, || {
            black_box(moka_sync.get(black_box(MOKA_KEY)).unwrap());
        });
        println!(
            "{threads} thread(s): TokenCache::get {ours:.1} ns   Arc<str> clone {baseline:.1} ns   ratio {:.2}x (target <= 3x)   Mutex cache {locked:.1} ns   ratio vs Mutex {:.2}x",
            ours / baseline,
            ours / locked,
        );
        println!(
            "{threads} thread(s): moka::future::Cache::get {moka:.1} ns   ours is {:.2}x faster (target >= 3x)   moka::sync::Cache::get {moka_blocking:.1} ns ({:.2}x ours)",
            moka / ours,
            moka_blocking / ours,
        );
    }
    let pending = moka_pending.load(std::sync::atomic::Ordering::Relaxed);
    println!("moka::future::Cache::get polls that were pending (lock contention): {pending}");
}
