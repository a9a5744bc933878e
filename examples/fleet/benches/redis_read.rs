//! A cached-token read through the Redis store against the in-memory store, same run: a local
//! cache hit (the token is in this process), and a store hit (a fresh cache, as after a restart
//! or on another instance, finds the token in the store). Uses `AUTHGEN_REDIS_URL`, else starts
//! a redis-server of its own. Run with `cargo bench -p fleet --bench redis_read`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::future::Future;
use std::hint::black_box;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_runtime::store::BoxFuture;
use auth_runtime::{
    CacheKey, CachePolicy, Error, Fetched, MemoryStore, RedisStore, SecretString, SystemClock,
    TokenCache, TokenSource, TokenStore,
};
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
                expires_at: Some(Timestamp::now() + SignedDuration::from_hours(2)),
                uses: None,
            })
        })
    }
}

fn key() -> CacheKey {
    CacheKey {
        provider: "bench",
        endpoint: "token",
        environment: "test".into(),
        subject: "client".into(),
    }
}

fn new_cache(store: &Arc<dyn TokenStore>) -> TokenCache {
    TokenCache::new(
        Fixed(key()),
        Arc::new(SystemClock),
        Arc::clone(store),
        CachePolicy::default(),
    )
}

/// Median ns per call over 7 rounds of `n` calls.
fn measure(n: u32, mut call: impl FnMut()) -> f64 {
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                call();
            }
            start.elapsed().as_nanos() as f64 / f64::from(n)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[3]
}

/// A local hit completes without awaiting: poll once, no executor.
fn read_now(cache: &TokenCache) {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut fut = std::pin::pin!(cache.get());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(t) => {
            black_box(t.unwrap());
        }
        std::task::Poll::Pending => panic!("a fresh local token must be served without waiting"),
    }
}

fn own_server() -> (String, Child) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = std::env::temp_dir().join(format!("authgen-bench-redis-{port}"));
    std::fs::create_dir_all(&dir).unwrap();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(&dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server on PATH, or AUTHGEN_REDIS_URL set");
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }
    (format!("redis://127.0.0.1:{port}"), child)
}

fn main() {
    let (url, mut server) = match std::env::var("AUTHGEN_REDIS_URL") {
        Ok(url) if !url.is_empty() => (url, None),
        _ => {
            let (url, child) = own_server();
            (url, Some(child))
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _entered = runtime.enter();
    let prefix = format!("bench-{}", std::process::id());
    let redis: Arc<dyn TokenStore> =
        Arc::new(RedisStore::builder(&url).prefix(&prefix).build().unwrap());
    let memory: Arc<dyn TokenStore> = Arc::new(MemoryStore::new());

    // Local hits: the token is in the process.
    let (redis_cache, memory_cache) = (new_cache(&redis), new_cache(&memory));
    runtime.block_on(redis_cache.get()).unwrap();
    runtime.block_on(memory_cache.get()).unwrap();
    let local_redis = measure(1_000_000, || read_now(&redis_cache));
    let local_memory = measure(1_000_000, || read_now(&memory_cache));

    // Store hits: a fresh cache finds the token in the store (no fetch).
    let store_hit = |store: &Arc<dyn TokenStore>| {
        let cache = new_cache(store);
        black_box(runtime.block_on(cache.get()).unwrap());
        assert_eq!(cache.fetches(), 0, "served from the store");
    };
    let hit_redis = measure(2_000, || store_hit(&redis));
    let hit_memory = measure(2_000, || store_hit(&memory));

    println!("cached-token read, ns per read (median of 7 rounds)");
    println!(
        "local cache hit:  Redis store {local_redis:.1} ns   memory store {local_memory:.1} ns   ratio {:.2}x",
        local_redis / local_memory
    );
    println!(
        "store hit:        Redis store {:.1} us   memory store {:.1} us   ratio {:.1}x",
        hit_redis / 1000.0,
        hit_memory / 1000.0,
        hit_redis / hit_memory
    );
    if let Some(child) = server.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
}
