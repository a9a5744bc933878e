//! Each fault switch of the fake provider → the documented typed error or a recovery, never a
//! panic, and a bounded number of requests (counted at the fake).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_runtime::{Client, ClientConfig, Error, SystemClock};
use common::*;
use fake_providers::credentials as c;

const TOKEN: &str = "/oauth/token/get";

#[tokio::test]
async fn one_5xx_is_retried_and_recovers() {
    let fake = fake().await;
    fake.faults().fail_5xx(Some(TOKEN), 1);
    let token = coupang(&fake).get_token_cached().await.unwrap();
    assert!(token.expose_secret().starts_with("Bearer "));
    assert_eq!(fake.count(TOKEN), 2);
}

#[tokio::test]
async fn persistent_5xx_gives_up_after_the_retry_budget() {
    let fake = fake().await;
    fake.faults().fail_5xx(Some(TOKEN), 10);
    let err = coupang(&fake).get_token_cached().await.unwrap_err();
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err}");
    assert!(err.is_retryable());
    assert_eq!(fake.count(TOKEN), 3, "one try and two retries, no more");
}

#[tokio::test]
async fn slow_response_times_out() {
    let fake = fake().await;
    fake.faults().slow(Some(TOKEN), 10, Duration::from_secs(2));
    let client = Client::new(ClientConfig {
        request_timeout: Duration::from_millis(300),
        fetch_retries: 1,
        retry_base_delay: Duration::from_millis(10),
        ..ClientConfig::default()
    })
    .unwrap();
    let started = Instant::now();
    let err = coupang_with(
        &fake,
        c::COUPANG_APP_ID,
        c::COUPANG_APP_SECRET,
        Arc::new(SystemClock),
        client,
    )
    .get_token_cached()
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert_eq!(err.to_string(), "coupang.get_token: timed out");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "bounded by the timeout, not the server"
    );
    assert_eq!(fake.count(TOKEN), 2);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_a_redacted_excerpt() {
    let fake = fake().await;
    fake.faults().malformed_json(Some(TOKEN), 10);
    let err = coupang(&fake).get_token().await.unwrap_err();
    match &err {
        Error::Decode {
            reason, excerpt, ..
        } => {
            assert!(reason.starts_with("expected JSON"), "{reason}");
            assert_eq!(excerpt, r#"{"code": "000", "data": {"#);
        }
        other => panic!("expected a decode error, got {other}"),
    }
    assert_eq!(fake.count(TOKEN), 1, "a plain call is not retried");
    // A token fetch retries it (a truncated body is a passing fault) within the budget.
    fake.faults().clear();
    fake.faults().malformed_json(Some(TOKEN), 1);
    coupang(&fake).get_token_cached().await.unwrap();
    assert_eq!(fake.count(TOKEN), 3);
}

#[tokio::test]
async fn html_error_page_is_a_status_error() {
    let fake = fake().await;
    fake.faults().html_error(Some(TOKEN), 1);
    let err = coupang(&fake).get_token().await.unwrap_err();
    match &err {
        Error::Status {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 502);
            assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
        }
        other => panic!("expected a status error, got {other}"),
    }
}

#[tokio::test]
async fn oversized_body_is_refused_without_retry() {
    let fake = fake().await;
    fake.faults().oversized(Some(TOKEN), 10);
    let err = coupang(&fake).get_token_cached().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(fake.count(TOKEN), 1);
}

#[tokio::test]
async fn rate_limit_honours_retry_after() {
    let fake = fake().await;
    fake.faults().rate_limit(Some(TOKEN), 1, 1);
    let started = Instant::now();
    coupang(&fake).get_token_cached().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for Retry-After"
    );
    assert_eq!(fake.count(TOKEN), 2);
    // A Retry-After beyond the cap is reported, not slept through.
    fake.faults().rate_limit(Some(TOKEN), 1, 3600);
    let err = coupang(&fake).get_token().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(
        err.to_string(),
        "coupang.get_token: HTTP 429 Too Many Requests (retry after 3600 s)"
    );
}
