//! coupang: token/get (token value carries its `Bearer ` scheme) and the product resource API.

use fake_providers::credentials::{COUPANG_APP_ID, COUPANG_APP_SECRET};
use fake_providers::{FakeProviders, Provider};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{assert_near, client, json, jwt_exp, now, start};

async fn get_token_raw(server: &FakeProviders, body: String) -> Value {
    let resp = client()
        .post(server.url("/oauth/token/get"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, body) = json(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The `accessToken` value as issued, `Bearer ` included.
pub async fn access_token(server: &FakeProviders) -> String {
    let body = get_token_raw(
        server,
        json!({"app_id": COUPANG_APP_ID, "app_secret": COUPANG_APP_SECRET}).to_string(),
    )
    .await;
    assert_eq!(body["statusCode"], 200, "{body}");
    body["accessToken"].as_str().unwrap().to_owned()
}

/// `GET /product/get?id=...` with the given `Authorization` header.
pub async fn product(
    server: &FakeProviders,
    id: &str,
    authorization: Option<&str>,
) -> (StatusCode, String) {
    let mut req = client()
        .get(server.url("/product/get"))
        .query(&[("id", id)]);
    if let Some(value) = authorization {
        req = req.header("Authorization", value);
    }
    let resp = req.send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

fn failure(status_code: u16, err_msg: &str) -> Value {
    json!({
        "appId": null,
        "accessToken": null,
        "expiresIn": null,
        "statusCode": status_code,
        "errMsg": err_msg,
    })
}

#[tokio::test]
async fn token_success_matches_the_sample() {
    let server = start().await;
    let body = get_token_raw(
        &server,
        json!({"app_id": COUPANG_APP_ID, "app_secret": COUPANG_APP_SECRET}).to_string(),
    )
    .await;
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["appId", "accessToken", "expiresIn", "statusCode", "errMsg"]
    );
    assert_eq!(body["appId"], "coupang");
    assert_eq!(body["expiresIn"], 3600);
    assert_eq!(body["statusCode"], 200);
    assert_eq!(body["errMsg"], Value::Null);
    let token = body["accessToken"].as_str().unwrap();
    let jwt = token.strip_prefix("Bearer ").unwrap();
    assert!(!jwt.starts_with("Bearer"));
    assert_near(jwt_exp(jwt), now() + 3600, 3);
    assert_ne!(access_token(&server).await, token);
}

#[tokio::test]
async fn token_errors() {
    let server = start().await;
    let bad = failure(400, "错误请求");
    let cases = [
        ("not json".to_owned(), bad.clone()),
        ("[]".to_owned(), bad.clone()),
        ("{}".to_owned(), bad.clone()),
        (json!({"app_id": COUPANG_APP_ID}).to_string(), bad.clone()),
        // The table's `app_key` is not what the server reads.
        (
            json!({"app_id": COUPANG_APP_ID, "app_key": COUPANG_APP_SECRET}).to_string(),
            bad.clone(),
        ),
        (
            json!({"app_id": 7, "app_secret": COUPANG_APP_SECRET}).to_string(),
            bad,
        ),
        (
            json!({"app_id": "S12345945", "app_secret": COUPANG_APP_SECRET}).to_string(),
            failure(401, "非法id"),
        ),
        (
            json!({"app_id": COUPANG_APP_ID, "app_secret": "nope"}).to_string(),
            failure(403, "禁止访问"),
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(
            get_token_raw(&server, request.clone()).await,
            expected,
            "{request}"
        );
    }
}

#[tokio::test]
async fn product_list_needs_no_token() {
    let server = start().await;
    let resp = client().get(server.url("/product")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.unwrap(), "Ok!You got the product list");
}

#[tokio::test]
async fn product_get_with_the_token_as_issued() {
    let server = start().await;
    let token = access_token(&server).await;
    assert_eq!(
        product(&server, "1", Some(&token)).await,
        (
            StatusCode::OK,
            "Ok!You successfully caught me. The Id is 1".to_owned()
        )
    );
    assert_eq!(
        product(&server, "42", Some(&token)).await.1,
        "Ok!You successfully caught me. The Id is 42"
    );
    assert_eq!(server.invalid_token_presentations(), 0);
}

#[tokio::test]
async fn product_get_rejects_missing_doubled_or_schemeless_tokens() {
    let server = start().await;
    let token = access_token(&server).await;
    let unauthorized = (StatusCode::UNAUTHORIZED, "401".to_owned());

    assert_eq!(product(&server, "1", None).await, unauthorized);
    assert_eq!(server.invalid_token_presentations(), 0);

    // A client that adds its own scheme to a value that already has one.
    let doubled = format!("Bearer {token}");
    assert_eq!(product(&server, "1", Some(&doubled)).await, unauthorized);
    assert_eq!(server.invalid_token_presentations(), 1);

    // A client that strips the scheme and sends the bare JWT.
    let bare = token.strip_prefix("Bearer ").unwrap();
    assert_eq!(product(&server, "1", Some(bare)).await, unauthorized);
    assert_eq!(server.invalid_token_presentations(), 2);

    assert_eq!(
        product(&server, "1", Some("Bearer nope")).await,
        unauthorized
    );
    assert_eq!(server.invalid_token_presentations_of(Provider::Coupang), 3);
    assert_eq!(product(&server, "1", Some(&token)).await.0, StatusCode::OK);
}
