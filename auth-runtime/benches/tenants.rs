//! 100,000 tenants' tokens in one process: the memory each tenant costs and what a cached read
//! costs when every read is for a random tenant. Run with
//! `cargo bench -p auth-runtime --bench tenants`.
//!
//! The per-tenant unit is what a multi-tenant service holds per credential set: a [`Session`]
//! (generated clients wrap one), built with the defaults a generated client uses (its own token
//! cache per token endpoint, its in-memory store, the system clock), its token fetched once over
//! real HTTP from a loopback server and cached. Memory is counted by a counting global allocator
//! (`stats_alloc`, whose `unsafe impl GlobalAlloc` stays in that crate: this bench has no unsafe
//! code) as the bytes our structures request, and cross-checked with the resident set size from
//! `/proc/self/statm`, which adds the allocator's own overhead.
//!
//! The peer: the same 100,000 tokens in one `moka::future::Cache` keyed by each tenant's cache
//! key (what a service would build with moka: one shared cache, one entry per tenant), its memory
//! per entry and its `get` of a random tenant.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::alloc::System;
use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use auth_runtime::spec::{Encoding, EndpointSpec, Literal, Location, Method, ParamSpec, Role};
use auth_runtime::{Client, Params, SecretString, Session};
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[path = "../tests/support/mod.rs"]
mod support;
use support::{EXPIRES_IN, credential, serve, token_endpoint};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const TENANTS: usize = 100_000;
/// Length of the tokens the server issues: a typical opaque OAuth 2 access token.
const TOKEN_LEN: usize = 64;
const READS: u64 = 2_000_000;

/// The one token endpoint every tenant calls, written once: WeChat's `GET /cgi-bin/token` with
/// the constant grant type, the app id and the secret in the query, the token and its lifetime in
/// seconds in the answer.
static SPEC: EndpointSpec = EndpointSpec {
    provider: "bench",
    expiry: &EXPIRES_IN,
    ..token_endpoint(Method::Get, "/cgi-bin/token", Encoding::Query, &PARAMS)
};

static PARAMS: [ParamSpec; 3] = [
    ParamSpec {
        role: Role::Constant(Literal::Str("client_credential")),
        ..credential("grant_type", Location::Query, false)
    },
    credential("appid", Location::Query, false),
    credential("secret", Location::Query, true),
];

static SPECS: [&EndpointSpec; 1] = [&SPEC];

/// Bytes requested from the allocator and not yet freed (`stats_alloc` already counts a
/// reallocation's growth in `bytes_allocated` and its shrinking in `bytes_deallocated`).
fn live_bytes() -> i64 {
    let s = ALLOCATOR.stats();
    s.bytes_allocated as i64 - s.bytes_deallocated as i64
}

/// Allocations not yet freed.
fn live_blocks() -> i64 {
    let s = ALLOCATOR.stats();
    s.allocations as i64 - s.deallocations as i64
}

/// Resident set size in bytes (Linux), 0 where `/proc` is missing.
fn rss() -> i64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: i64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// A loopback token server issuing a distinct token of `TOKEN_LEN` characters per request.
async fn token_server() -> String {
    let issued = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let app = axum::Router::new().route(
        "/cgi-bin/token",
        axum::routing::get(move || {
            let n = issued.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            async move {
                let token = format!("{n:0>width$}", width = TOKEN_LEN);
                axum::Json(serde_json::json!({"access_token": token, "expires_in": 7200}))
            }
        }),
    );
    serve(app).await
}

/// Tenant `i`'s session, built as generated code builds one (defaults throughout).
fn tenant(client: &Client, base: &str, i: usize) -> Session {
    Session::builder(client.clone(), &SPECS, "prod", base)
        .credentials(
            Params::new()
                .text("appid", format!("wx{i:016x}"))
                .secret("secret", SecretString::from(format!("{i:032x}"))),
        )
        .build()
        .unwrap()
}

/// Fetches every session's token, `lanes` at a time.
async fn fetch_all(sessions: &[Session], lanes: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..lanes {
        let mine: Vec<Session> = sessions.iter().skip(lane).step_by(lanes).cloned().collect();
        tasks.spawn(async move {
            for s in mine {
                s.token("token").await.unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

/// Polls `future` to completion with a no-op waker (moka's `get` never waits for I/O; a pending
/// poll could only be a moment of lock contention that resolves without a wake-up).
fn poll_ready<T>(future: impl Future<Output = T>) -> T {
    let mut cx = Context::from_waker(Waker::noop());
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

/// Tenant `i`'s key in the moka peer: as long as a session's cache key (provider, endpoint,
/// environment, the plain credentials and the secrets' fingerprint).
fn moka_key(i: usize) -> String {
    format!("bench/token/prod/grant_type=\"client_credential\"&appid=\"wx{i:016x}\"#{i:032x}")
}

/// A cached read: `token` completes without awaiting on a fresh token, so it is polled once.
fn read(session: &Session) {
    let mut cx = Context::from_waker(Waker::noop());
    let mut fut = std::pin::pin!(session.token("token"));
    match fut.as_mut().poll(&mut cx) {
        Poll::Ready(t) => {
            black_box(t.unwrap());
        }
        Poll::Pending => panic!("a fresh token must be served without waiting"),
    }
}

/// Median nanoseconds per read over 7 rounds, `threads` threads reading concurrently; `read`
/// gets a pseudo-random number per read (xorshift, one per thread) to pick its tenant.
fn measure(threads: usize, read: impl Fn(u64) + Sync) -> f64 {
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            std::thread::scope(|s| {
                for t in 0..threads {
                    let read = &read;
                    s.spawn(move || {
                        let mut x = 0x9E37_79B9_7F4A_7C15_u64 ^ (t as u64 + 1);
                        for _ in 0..READS {
                            x ^= x << 13;
                            x ^= x >> 7;
                            x ^= x << 17;
                            read(x);
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

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Sessions are built inside the runtime, so their caches arm timers as in a service.
    let _entered = runtime.enter();
    let client = Client::with_defaults().unwrap();
    let base = runtime.block_on(token_server());
    const LANES: usize = 32;

    // Warm-up: the HTTP connections, the server's and the runtime's buffers come to their steady
    // size here, so the counts below are the tenants' alone.
    {
        let warm: Vec<Session> = (0..2_000).map(|i| tenant(&client, &base, i)).collect();
        runtime.block_on(fetch_all(&warm, LANES));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));

    let (bytes0, blocks0, rss0) = (live_bytes(), live_blocks(), rss());
    let sessions: Vec<Session> = (0..TENANTS)
        .map(|i| tenant(&client, &base, TENANTS + i))
        .collect();
    let (bytes1, blocks1) = (live_bytes(), live_blocks());
    let started = Instant::now();
    runtime.block_on(fetch_all(&sessions, LANES));
    let fetch_time = started.elapsed();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (bytes2, blocks2, rss2) = (live_bytes(), live_blocks(), rss());

    let per = |bytes: i64| bytes as f64 / TENANTS as f64;
    println!(
        "{TENANTS} tenants (one Session each, one token endpoint, {TOKEN_LEN}-byte tokens), fetched over loopback HTTP in {:.1} s",
        fetch_time.as_secs_f64()
    );
    println!(
        "memory per tenant: {:.0} B requested in {:.1} allocations (target <= 1024 B): session before its first fetch {:.0} B in {:.1}, the cached token {:.0} B in {:.1}",
        per(bytes2 - bytes0),
        per(blocks2 - blocks0),
        per(bytes1 - bytes0),
        per(blocks1 - blocks0),
        per(bytes2 - bytes1),
        per(blocks2 - blocks1),
    );
    println!(
        "resident set growth per tenant: {:.0} B (allocator overhead included)",
        per(rss2 - rss0)
    );

    // Read cost: a random tenant per read, against the same access pattern over the cheapest
    // holder of 100,000 tokens (a `Vec<Arc<str>>`) and against one tenant read over and over.
    let tokens: Vec<Arc<str>> = (0..TENANTS)
        .map(|i| Arc::from(format!("{i:0>TOKEN_LEN$}")))
        .collect();
    let pick = |x: u64| (x % TENANTS as u64) as usize;
    println!("cached read, ns per read (median of 7 rounds of {READS} reads per thread)");
    for threads in [1, 2] {
        let ours = measure(threads, |x| read(&sessions[pick(x)]));
        let baseline = measure(threads, |x| {
            black_box(Arc::clone(&tokens[pick(x)]));
        });
        let hot = measure(threads, |_| read(&sessions[0]));
        println!(
            "{threads} thread(s): random tenant {ours:.1} ns   random Arc<str> of {TENANTS} {baseline:.1} ns   ratio {:.2}x   one tenant {hot:.1} ns",
            ours / baseline
        );
    }
    drop(sessions);

    // The peer: one moka cache holding every tenant's token under a 2-hour time to live.
    let (bytes0, blocks0) = (live_bytes(), live_blocks());
    let moka: moka::future::Cache<String, Arc<str>> = moka::future::Cache::builder()
        .time_to_live(std::time::Duration::from_secs(2 * 3600))
        .build();
    runtime.block_on(async {
        for i in 0..TENANTS {
            moka.insert(moka_key(i), Arc::from(format!("{i:0>TOKEN_LEN$}")))
                .await;
        }
        moka.run_pending_tasks().await;
    });
    let (bytes1, blocks1) = (live_bytes(), live_blocks());
    println!(
        "moka::future::Cache peer: {:.0} B requested per tenant in {:.1} allocations (key and token included)",
        per(bytes1 - bytes0),
        per(blocks1 - blocks0)
    );
    let keys: Vec<String> = (0..TENANTS).map(moka_key).collect();
    for threads in [1, 2] {
        let peer = measure(threads, |x| {
            black_box(poll_ready(moka.get(&keys[pick(x)])).unwrap());
        });
        println!("{threads} thread(s): moka random tenant {peer:.1} ns");
    }
}
