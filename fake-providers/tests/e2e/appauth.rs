//! appauth: getAccessToken (same token within its lifetime) and hello.

use std::time::Duration;

use fake_providers::credentials::{APPAUTH_APP_ID, APPAUTH_APP_SECRET};
use fake_providers::{Config, FakeProviders, Provider};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{
    assert_near, client, json, jwt_exp, now, parse_rfc3339_shanghai, start, start_with,
};

async fn get_access_token(server: &FakeProviders, query: &[(&str, &str)]) -> Value {
    let resp = client()
        .get(server.url("/auth/getAccessToken"))
        // The descriptor lists these optional headers; the generated client may send them.
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .query(query)
        .send()
        .await
        .unwrap();
    let (status, body) = json(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub async fn access_token_result(server: &FakeProviders) -> Value {
    let body = get_access_token(
        server,
        &[("appId", APPAUTH_APP_ID), ("appSecret", APPAUTH_APP_SECRET)],
    )
    .await;
    assert_eq!(body["success"], true, "{body}");
    body["result"].clone()
}

pub async fn access_token(server: &FakeProviders) -> String {
    access_token_result(server).await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn hello(server: &FakeProviders, token: Option<&str>) -> (StatusCode, Value) {
    let mut req = client().get(server.url("/auth/hello"));
    if let Some(token) = token {
        req = req.query(&[("accessToken", token)]);
    }
    json(req.send().await.unwrap()).await
}

pub fn assert_hello_rejected(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        *body,
        json!({"code": 401, "message": "accessToken无效", "result": null, "success": false})
    );
}

#[tokio::test]
async fn access_token_success_has_page_shape() {
    let server = start().await;
    let body = get_access_token(
        &server,
        &[("appId", APPAUTH_APP_ID), ("appSecret", APPAUTH_APP_SECRET)],
    )
    .await;
    assert_eq!(body["code"], 200);
    assert_eq!(body["message"], "success");
    assert_eq!(body["success"], true);
    let result = &body["result"];
    let keys: Vec<&String> = result.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["accessToken", "expireTime", "expiresIn"]);
    assert_eq!(result["expiresIn"], 7200);
    let expire_time = parse_rfc3339_shanghai(result["expireTime"].as_str().unwrap());
    assert_near(expire_time, now() + 7200, 3);
    assert_eq!(
        jwt_exp(result["accessToken"].as_str().unwrap()),
        expire_time
    );
}

#[tokio::test]
async fn same_token_within_lifetime() {
    let server = start().await;
    let first = access_token_result(&server).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = access_token_result(&server).await;
    assert_eq!(second["accessToken"], first["accessToken"]);
    assert_eq!(second["expireTime"], first["expireTime"]);
    // expiresIn is what is left, so it shrinks.
    let left = second["expiresIn"].as_u64().unwrap();
    assert!((7195..7200).contains(&left), "{left}");
}

#[tokio::test]
async fn new_token_after_expiry() {
    let config = Config::default().with_lifetime(Provider::Appauth, Duration::from_secs(1));
    let server = start_with(config).await;
    let first = access_token(&server).await;
    assert_eq!(hello(&server, Some(&first)).await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let (status, body) = hello(&server, Some(&first)).await;
    assert_hello_rejected(status, &body);
    let second = access_token(&server).await;
    assert_ne!(second, first);
    assert_eq!(hello(&server, Some(&second)).await.0, StatusCode::OK);
    assert_eq!(server.invalid_token_presentations(), 1);
}

#[tokio::test]
async fn invalidate_previous_always_issues_and_kills_the_old_token() {
    let config = Config::default().with_invalidate_previous(Provider::Appauth, true);
    let server = start_with(config).await;
    let first = access_token(&server).await;
    let second = access_token(&server).await;
    assert_ne!(first, second);
    let (status, body) = hello(&server, Some(&first)).await;
    assert_hello_rejected(status, &body);
    assert_eq!(hello(&server, Some(&second)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn wrong_or_missing_credentials() {
    let server = start().await;
    let cases: [&[(&str, &str)]; 5] = [
        &[],
        &[("appId", APPAUTH_APP_ID)],
        &[("appSecret", APPAUTH_APP_SECRET)],
        &[("appId", "nope"), ("appSecret", APPAUTH_APP_SECRET)],
        &[("appId", APPAUTH_APP_ID), ("appSecret", "nope")],
    ];
    for query in cases {
        let body = get_access_token(&server, query).await;
        assert_eq!(
            body,
            json!({"code": 401, "message": "appId或appSecret不正确", "result": null, "success": false}),
            "{query:?}"
        );
    }
}

#[tokio::test]
async fn hello_accepts_valid_and_rejects_missing_or_invalid() {
    let server = start().await;
    let token = access_token(&server).await;
    let (status, body) = hello(&server, Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"code": 200, "message": "success", "result": "hello", "success": true})
    );

    let (status, body) = hello(&server, None).await;
    assert_hello_rejected(status, &body);
    let (status, body) = hello(&server, Some("")).await;
    assert_hello_rejected(status, &body);
    assert_eq!(server.invalid_token_presentations(), 0);

    let (status, body) = hello(&server, Some("not-a-token")).await;
    assert_hello_rejected(status, &body);
    assert_eq!(server.invalid_token_presentations(), 1);
    assert_eq!(server.invalid_token_presentations_of(Provider::Appauth), 1);
}
