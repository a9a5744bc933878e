//! Cached-token read through `TokenCache::get` against the cheapest possible alternative (an
//! `Arc<str>` clone) and against a `Mutex`-guarded cache, with 1 and 2 threads. Prints each
//! side and the ratio. Run with `cargo bench -p auth-runtime --bench cached_read`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::Instant;

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
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut fut = std::pin::pin!(cache.get());
        match fut.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(t) => {
                black_box(t.unwrap());
            }
            std::task::Poll::Pending => panic!("a fresh token must be served without waiting"),
        }
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
        println!(
            "{threads} thread(s): TokenCache::get {ours:.1} ns   Arc<str> clone {baseline:.1} ns   ratio {:.2}x (target <= 3x)   Mutex cache {locked:.1} ns   ratio vs Mutex {:.2}x",
            ours / baseline,
            ours / locked,
        );
    }
}

use std::future::Future;
