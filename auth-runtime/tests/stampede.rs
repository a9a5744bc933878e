//! Failures never stampede the provider. Real HTTP on 127.0.0.1: one server per failure (HTTP 400
//! with an error body, HTTP 200 with a provider error envelope, HTTP 200 with a token that expired
//! on arrival (`expires_in` -1 or 0), HTTP 503), each counting what it is asked; 10,000 concurrent callers ask a
//! [`Session`] for the token and every one gets an error, while the provider sees at most one
//! fetch per backoff window (with its bounded retries for a 503). A server that accepts the
//! connection and never answers ends every call at the fetch deadline.
//!
//! The session runs on a [`ManualClock`], so the backoff windows move only when the test moves the
//! clock: a slow machine cannot open a second window behind the test's back, and the bounds below
//! are exact rather than timing-dependent.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod support;

use auth_runtime::spec::{Encoding, EndpointSpec, Method};
use auth_runtime::{CachePolicy, Client, ClientConfig, Error, ManualClock, Session};
use axum::http::{StatusCode, header};
use support::{ERRCODE, EXPIRES_IN, serve, token_endpoint};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// The one endpoint every server here plays. A WeChat-style token endpoint: GET, errcode envelope (absent means success), the
/// token at `access_token`, its lifetime in seconds at `expires_in`. It takes no parameters: the
/// failures under test do not depend on credentials, and none keeps this file clear of
/// `ParamSpec`'s shape.
static SPEC: EndpointSpec = EndpointSpec {
    name: "endpoint",
    envelope: Some(ERRCODE),
    expiry: &EXPIRES_IN,
    ..token_endpoint(Method::Get, "/cgi-bin/token", Encoding::Query, &[])
};

static SPECS: [&EndpointSpec; 1] = [&SPEC];

const CALLERS: usize = 10_000;

/// A loopback server and how many requests (or, for the silent one, connections) it received.
struct Upstream {
    base: String,
    requests: Arc<AtomicUsize>,
}

impl Upstream {
    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// An axum server answering every request with `status` and the JSON `body`, counting requests.
async fn answering(status: StatusCode, body: &'static str) -> Upstream {
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    let app = axum::Router::new().fallback(move || {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            (status, [(header::CONTENT_TYPE, "application/json")], body)
        }
    });
    let base = serve(app).await;
    Upstream { base, requests }
}

/// A server that accepts connections, reads whatever arrives and never answers.
async fn silent() -> Upstream {
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                while matches!(socket.read(&mut buf).await, Ok(n) if n > 0) {}
            });
        }
    });
    Upstream { base, requests }
}

/// The client used throughout: default settings except a short retry delay, so the 503 case's
/// bounded retries take milliseconds rather than 600 ms.
fn client() -> Client {
    Client::new(ClientConfig {
        retry_base_delay: Duration::from_millis(10),
        ..ClientConfig::default()
    })
    .unwrap()
}

fn session(upstream: &Upstream, clock: &Arc<ManualClock>, policy: CachePolicy) -> Session {
    Session::builder(client(), &SPECS, "test", &upstream.base)
        .clock(Arc::clone(clock) as Arc<dyn auth_runtime::Clock>)
        .policy(policy)
        .build()
        .unwrap()
}

/// `callers` concurrent tasks ask for the token; each one's result and how long it took.
async fn burst(session: &Session, callers: usize) -> Vec<(Result<String, Error>, Duration)> {
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let result = session
                    .token("endpoint")
                    .await
                    .map(|t| t.expose_secret().to_owned());
                (result, started.elapsed())
            })
        })
        .collect();
    let mut out = Vec::with_capacity(callers);
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

/// Every caller got an error, and each error is the expected one.
fn all_failed(results: &[(Result<String, Error>, Duration)], expected: &dyn Fn(&Error) -> bool) {
    assert_eq!(results.len(), CALLERS);
    for (result, _) in results {
        match result {
            Ok(_) => panic!("a caller was handed a token by a failing provider"),
            Err(e) => assert!(expected(e), "unexpected error: {e}"),
        }
    }
}

/// Runs the three windows of one failing provider. `per_window` is the most upstream requests
/// one fetch may make: 1 for a failure that is not retried, 1 + `fetch_retries` for one that is.
async fn stampede(upstream: Upstream, per_window: usize, expected: &dyn Fn(&Error) -> bool) {
    let clock = Arc::new(ManualClock::starting_now());
    let policy = CachePolicy::default();
    let session = session(&upstream, &clock, policy);

    // Window 1: the first caller's fetch fails; those waiting on it and those arriving after it
    // share its error.
    all_failed(&burst(&session, CALLERS).await, expected);
    let first = upstream.requests();
    assert!(
        (1..=per_window).contains(&first),
        "{CALLERS} callers made {first} upstream requests; at most {per_window} per window"
    );

    // Still inside the window (the clock has not moved): the provider is not asked again.
    all_failed(&burst(&session, CALLERS).await, expected);
    assert_eq!(
        upstream.requests(),
        first,
        "a caller inside the backoff window reached the provider"
    );

    // The first window (backoff_base, 1 s) ends: exactly one more fetch, shared again.
    clock.advance(policy.backoff_base);
    all_failed(&burst(&session, CALLERS).await, expected);
    let second = upstream.requests() - first;
    assert!(
        (1..=per_window).contains(&second),
        "window 2: {second} upstream requests; at most {per_window}"
    );

    // The next window is twice as long: half of it later, still no new request.
    clock.advance(policy.backoff_base);
    all_failed(&burst(&session, CALLERS).await, expected);
    assert_eq!(
        upstream.requests(),
        first + second,
        "the doubled window was not kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_400_is_asked_once_per_window() {
    let upstream = answering(
        StatusCode::BAD_REQUEST,
        r#"{"error":"invalid_client","error_description":"unknown client"}"#,
    )
    .await;
    // A 4xx is not retried: one request per window.
    stampede(upstream, 1, &|e| {
        matches!(e, Error::Status { status: 400, .. })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_error_envelope_is_asked_once_per_window() {
    let upstream = answering(
        StatusCode::OK,
        r#"{"errcode":40013,"errmsg":"invalid appid"}"#,
    )
    .await;
    // A provider's business error is not retried: one request per window.
    stampede(
        upstream,
        1,
        &|e| matches!(e, Error::Provider { code, .. } if code == "40013"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_expired_on_arrival_is_asked_once_per_window() {
    // `expires_in: -1` is refused when the expiry is read (a lifetime cannot be negative), and
    // `expires_in: 0` by the cache (the token expired on arrival). Either way the HTTP exchange
    // succeeded, so the client does not retry: one request per window.
    let negative = answering(
        StatusCode::OK,
        r#"{"access_token":"ACCESS_TOKEN_VALUE_0123456789","expires_in":-1}"#,
    )
    .await;
    stampede(negative, 1, &|e| e.to_string().contains("`expires_in`")).await;
    let zero = answering(
        StatusCode::OK,
        r#"{"access_token":"ACCESS_TOKEN_VALUE_0123456789","expires_in":0}"#,
    )
    .await;
    stampede(zero, 1, &|e| e.to_string().contains("already expired")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_503_is_asked_once_plus_its_retries_per_window() {
    let upstream = answering(
        StatusCode::SERVICE_UNAVAILABLE,
        r#"{"error":"temporarily_unavailable"}"#,
    )
    .await;
    // A 5xx is retried inside the one fetch, at most `fetch_retries` times (default 2): at most
    // 1 + 2 = 3 requests per window, however many callers.
    let per_window = 1 + client().config().fetch_retries as usize;
    stampede(upstream, per_window, &|e| {
        matches!(e, Error::Status { status: 503, .. })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_ends_every_call_at_the_fetch_deadline() {
    let upstream = silent().await;
    let clock = Arc::new(ManualClock::starting_now());
    let policy = CachePolicy {
        fetch_deadline: Duration::from_millis(300),
        ..CachePolicy::default()
    };
    // Generous on purpose: the bound proves the wait is cut at the deadline (not the 30 s request
    // timeout or a retry loop), without failing on a busy machine.
    let bound = policy.fetch_deadline + Duration::from_secs(5);
    let session = session(&upstream, &clock, policy);

    let results = burst(&session, CALLERS).await;
    all_failed(&results, &|e| matches!(e, Error::Timeout { .. }));
    let slowest = results.iter().map(|(_, d)| *d).max().unwrap();
    assert!(
        slowest < bound,
        "a caller waited {slowest:?}, past the {:?} deadline (bound {bound:?})",
        policy.fetch_deadline
    );
    // The deadline covers the fetch with its retries: the one fetch of this window opened one
    // connection (a retry could not have started before the deadline cut it).
    assert_eq!(upstream.requests(), 1, "connections to the silent server");

    // The next window's caller is cut at the deadline too.
    clock.advance(policy.backoff_base);
    let started = Instant::now();
    let err = session.token("endpoint").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert!(started.elapsed() < bound, "{:?}", started.elapsed());
    assert_eq!(upstream.requests(), 2);
}
