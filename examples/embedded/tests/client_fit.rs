//! How a generated client fits a team's setup: its own reqwest settings (a default header) reach
//! the provider, and codes the manifest marks retryable (WeChat's `-1`, "system busy") are
//! retried the bounded number of times while other codes are not.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use auth_runtime::{Client, ClientConfig, SecretString};
use axum::Json;
use axum::http::HeaderMap;
use embedded_clients::wechat;
use serde_json::{Value, json};

/// A stable_token server that answers `code` (as errcode) to every request, counting them and
/// remembering the last `x-team` header.
async fn server(
    code: i64,
) -> (
    String,
    Arc<AtomicU32>,
    Arc<std::sync::Mutex<Option<String>>>,
) {
    let count = Arc::new(AtomicU32::new(0));
    let team = Arc::new(std::sync::Mutex::new(None));
    let (c, t) = (Arc::clone(&count), Arc::clone(&team));
    let app = axum::Router::new().route(
        "/cgi-bin/stable_token",
        axum::routing::post(move |headers: HeaderMap| {
            let (c, t) = (Arc::clone(&c), Arc::clone(&t));
            async move {
                c.fetch_add(1, Ordering::SeqCst);
                *t.lock().unwrap() = headers
                    .get("x-team")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let body: Value = if code == 0 {
                    json!({"access_token": "t-0123456789abcdef0123456789", "expires_in": 7200})
                } else {
                    json!({"errcode": code, "errmsg": "system error"})
                };
                Json(body)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, count, team)
}

fn client(url: &str, http: Client) -> wechat::WechatClient {
    wechat::Wechat {
        appid: "wx".into(),
        secret: SecretString::from("s"),
        force_refresh: None,
    }
    .session_builder(http, "test", url)
    .build()
    .map(wechat::WechatClient::from_session)
    .unwrap()
}

fn config() -> ClientConfig {
    ClientConfig {
        retry_base_delay: Duration::from_millis(1),
        ..ClientConfig::default()
    }
}

#[tokio::test]
async fn a_team_s_reqwest_settings_reach_the_provider() {
    let (url, _, team) = server(0).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-team", "payments".parse().unwrap());
    let http = Client::from_reqwest(
        reqwest::Client::builder().default_headers(headers),
        config(),
    )
    .unwrap();
    client(&url, http).stable_token_cached().await.unwrap();
    assert_eq!(team.lock().unwrap().as_deref(), Some("payments"));
}

#[tokio::test]
async fn retryable_codes_are_retried_a_bounded_number_of_times_and_others_not() {
    let (url, count, _) = server(-1).await;
    let err = client(&url, Client::new(config()).unwrap())
        .stable_token_cached()
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err}");
    assert_eq!(
        count.load(Ordering::SeqCst),
        1 + config().fetch_retries,
        "one request and fetch_retries retries: {err}"
    );

    let (url, count, _) = server(40013).await;
    let err = client(&url, Client::new(config()).unwrap())
        .stable_token_cached()
        .await
        .unwrap_err();
    assert!(!err.is_retryable(), "{err}");
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "a plain provider error is not retried"
    );
}
