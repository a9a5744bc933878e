//! Fault switches: each produces its exact status, headers and body N times, then normal answers.

use std::time::{Duration, Instant};

use fake_providers::credentials::{APPAUTH_APP_ID, APPAUTH_APP_SECRET};
use fake_providers::{
    FakeProviders, HTML_ERROR_BODY, MALFORMED_JSON_BODY, OVERSIZED_LEN, RATE_LIMITED_BODY,
    SERVICE_UNAVAILABLE_BODY,
};
use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::common::{client, start};

const PATH: &str = "/auth/getAccessToken";

async fn fetch(server: &FakeProviders) -> Response {
    client()
        .get(server.url(PATH))
        .query(&[("appId", APPAUTH_APP_ID), ("appSecret", APPAUTH_APP_SECRET)])
        .send()
        .await
        .unwrap()
}

async fn assert_normal(resp: Response) {
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["success"], true, "{body}");
}

fn content_type(resp: &Response) -> &str {
    resp.headers()["content-type"].to_str().unwrap()
}

#[tokio::test]
async fn fail_5xx_then_normal() {
    let server = start().await;
    server.faults().fail_5xx(Some(PATH), 2);
    for _ in 0..2 {
        let resp = fetch(&server).await;
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(content_type(&resp), "application/json");
        assert_eq!(resp.text().await.unwrap(), SERVICE_UNAVAILABLE_BODY);
    }
    assert_normal(fetch(&server).await).await;
    // Faulted requests are counted too.
    assert_eq!(server.count(PATH), 3);
}

#[tokio::test]
async fn malformed_json_then_normal() {
    let server = start().await;
    server.faults().malformed_json(Some(PATH), 2);
    for _ in 0..2 {
        let resp = fetch(&server).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(content_type(&resp), "application/json");
        let text = resp.text().await.unwrap();
        assert_eq!(text, MALFORMED_JSON_BODY);
        assert!(serde_json::from_str::<Value>(&text).is_err());
    }
    assert_normal(fetch(&server).await).await;
    assert_eq!(server.count(PATH), 3);
}

#[tokio::test]
async fn html_error_then_normal() {
    let server = start().await;
    server.faults().html_error(Some(PATH), 2);
    for _ in 0..2 {
        let resp = fetch(&server).await;
        assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(content_type(&resp), "text/html");
        let text = resp.text().await.unwrap();
        assert_eq!(text, HTML_ERROR_BODY);
        assert!(text.contains("<title>502 Bad Gateway</title>") && text.contains("nginx"));
    }
    assert_normal(fetch(&server).await).await;
    assert_eq!(server.count(PATH), 3);
}

#[tokio::test]
async fn oversized_then_normal() {
    let server = start().await;
    server.faults().oversized(Some(PATH), 2);
    for _ in 0..2 {
        let resp = fetch(&server).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let bytes = resp.bytes().await.unwrap();
        assert_eq!(bytes.len(), OVERSIZED_LEN);
        assert_eq!(OVERSIZED_LEN, 2 * 1024 * 1024);
        assert!(serde_json::from_slice::<Value>(&bytes).is_ok());
    }
    assert_normal(fetch(&server).await).await;
    assert_eq!(server.count(PATH), 3);
}

#[tokio::test]
async fn rate_limit_then_normal() {
    let server = start().await;
    server.faults().rate_limit(Some(PATH), 2, 7);
    for _ in 0..2 {
        let resp = fetch(&server).await;
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(resp.headers()["retry-after"], "7");
        assert_eq!(resp.text().await.unwrap(), RATE_LIMITED_BODY);
    }
    assert_normal(fetch(&server).await).await;
    assert_eq!(server.count(PATH), 3);
}

#[tokio::test]
async fn slow_then_normal() {
    let server = start().await;
    let delay = Duration::from_millis(300);
    server.faults().slow(Some(PATH), 2, delay);
    for _ in 0..2 {
        let started = Instant::now();
        assert_normal(fetch(&server).await).await;
        assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    }
    let started = Instant::now();
    assert_normal(fetch(&server).await).await;
    assert!(started.elapsed() < delay, "{:?}", started.elapsed());
    assert_eq!(server.count(PATH), 3);
}

#[tokio::test]
async fn path_rules_only_hit_their_path_and_none_hits_every_path() {
    let server = start().await;
    server.faults().fail_5xx(Some("/product"), 1);
    assert_normal(fetch(&server).await).await;
    assert_eq!(server.faults().armed(), 1);

    server.faults().fail_5xx(None, 2);
    // The `/product` rule was armed first, so it answers `/product` and the wildcard waits.
    let product = client().get(server.url("/product")).send().await.unwrap();
    assert_eq!(product.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(server.faults().armed(), 2);
    // The wildcard covers any path, known or not.
    assert_eq!(
        fetch(&server).await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let unknown = client().get(server.url("/nowhere")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(server.faults().armed(), 0);
    let product = client().get(server.url("/product")).send().await.unwrap();
    assert_eq!(product.status(), StatusCode::OK);
    assert_eq!(server.count("/nowhere"), 1);
    assert_eq!(server.count("/product"), 2);
}

#[tokio::test]
async fn slow_combines_with_an_answer_fault() {
    let server = start().await;
    let delay = Duration::from_millis(200);
    server.faults().slow(Some(PATH), 1, delay);
    server.faults().rate_limit(Some(PATH), 1, 1);
    let started = Instant::now();
    let resp = fetch(&server).await;
    assert!(started.elapsed() >= delay);
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_normal(fetch(&server).await).await;
}

#[tokio::test]
async fn clear_disarms_everything() {
    let server = start().await;
    let faults = server.faults();
    faults.fail_5xx(None, 5);
    faults.malformed_json(Some(PATH), 5);
    faults.rate_limit(Some(PATH), 5, 1);
    faults.slow(None, 5, Duration::from_secs(5));
    faults.fail_5xx(Some(PATH), 0);
    assert_eq!(faults.armed(), 20);
    faults.clear();
    assert_eq!(faults.armed(), 0);
    assert_normal(fetch(&server).await).await;
}
