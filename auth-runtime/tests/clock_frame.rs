//! One clock frame per fetch: a relative lifetime (`expires_in`) counts from the request's
//! start, the moment the cache dates the token from, not from the answer's arrival. A server
//! that takes 100 s (on the manual clock) to answer `expires_in: 7200` yields a token that
//! expires 7200 s after the request started.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::sync::Arc;

use auth_runtime::spec::{Encoding, EndpointSpec, Method};
use auth_runtime::{Client, ManualClock, Session};
use jiff::SignedDuration;
use support::{EXPIRES_IN, serve, token_endpoint};

static SPEC: EndpointSpec = EndpointSpec {
    expiry: &EXPIRES_IN,
    ..token_endpoint(Method::Get, "/token", Encoding::Query, &[])
};

static SPECS: [&EndpointSpec; 1] = [&SPEC];

#[tokio::test]
async fn a_relative_lifetime_counts_from_the_request_start() {
    let clock = Arc::new(ManualClock::starting_now());
    let started = auth_runtime::Clock::now(clock.as_ref());
    let slow = Arc::clone(&clock);
    let app = axum::Router::new().route(
        "/token",
        axum::routing::get(move || {
            let clock = Arc::clone(&slow);
            async move {
                // The answer takes 100 s on the session's clock.
                clock.advance(SignedDuration::from_secs(100));
                axum::Json(serde_json::json!({"access_token": "t-0123456789abcdefghijkl", "expires_in": 7200}))
            }
        }),
    );
    let base = serve(app).await;

    let session = Session::builder(Client::with_defaults().unwrap(), &SPECS, "test", base)
        .clock(clock.clone())
        .build()
        .unwrap();
    let token = session.token("token").await.unwrap();
    assert_eq!(
        token.expires_at().as_millisecond(),
        (started + SignedDuration::from_secs(7200)).as_millisecond()
    );
    assert_eq!(token.issued_at().as_millisecond(), started.as_millisecond());
}
