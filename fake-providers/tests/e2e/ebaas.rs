//! ebaas: getAccessToken, getServiceTicket and the ticket-protected resource.

use std::time::Duration;

use fake_providers::credentials::{EBAAS_CLIENT_ID, EBAAS_CLIENT_SECRET};
use fake_providers::{Config, FakeProviders, Provider};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{
    assert_near, assert_uuid_like, client, json, jwt_exp, now, parse_shanghai_naive, start,
    start_with,
};

async fn get_access_token(server: &FakeProviders, query: &[(&str, &str)]) -> Value {
    let resp = client()
        .get(server.url("/oauth/getAccessToken"))
        .query(query)
        .send()
        .await
        .unwrap();
    let (status, body) = json(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub async fn access_token(server: &FakeProviders) -> String {
    let body = get_access_token(
        server,
        &[
            ("client_id", EBAAS_CLIENT_ID),
            ("client_secret", EBAAS_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(body["code"], "000", "{body}");
    body["data"]["access_token"].as_str().unwrap().to_owned()
}

async fn get_service_ticket_raw(server: &FakeProviders, body: reqwest::Body) -> Value {
    let resp = client()
        .post(server.url("/oauth/getServiceTicket"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, body) = json(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn get_service_ticket(server: &FakeProviders, body: Value) -> Value {
    get_service_ticket_raw(server, body.to_string().into()).await
}

pub async fn service_ticket(server: &FakeProviders) -> String {
    let token = access_token(server).await;
    let body = get_service_ticket(server, json!({"access_token": token, "token": "login"})).await;
    assert_eq!(body["code"], "000", "{body}");
    body["data"]["service_ticket"].as_str().unwrap().to_owned()
}

pub async fn use_ticket(server: &FakeProviders, ticket: Option<&str>) -> (StatusCode, Value) {
    let mut req = client().get(server.url("/ebaas/resource"));
    if let Some(ticket) = ticket {
        req = req.header("X-Service-Ticket", ticket);
    }
    json(req.send().await.unwrap()).await
}

fn assert_error(body: &Value, code: &str, msg: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["msg"], msg, "{body}");
    assert_eq!(body["data"], Value::Null, "{body}");
    assert_uuid_like(body["request_id"].as_str().unwrap());
    assert_eq!(body.as_object().unwrap().len(), 4, "{body}");
}

fn assert_ticket_rejected(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        *body,
        json!({"code": "401003", "msg": "无效的service_ticket", "data": null})
    );
}

#[tokio::test]
async fn access_token_success_has_page_shape_and_shanghai_expiry() {
    let server = start().await;
    let query = [
        ("client_id", EBAAS_CLIENT_ID),
        ("client_secret", EBAAS_CLIENT_SECRET),
    ];
    let body = get_access_token(&server, &query).await;
    assert_eq!(body["code"], "000");
    assert_eq!(body["msg"], "成功");
    assert_uuid_like(body["request_id"].as_str().unwrap());
    let keys: Vec<&String> = body["data"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["access_token", "expired"]);

    let token = body["data"]["access_token"].as_str().unwrap();
    let expired = parse_shanghai_naive(body["data"]["expired"].as_str().unwrap());
    assert_near(expired, now() + 7200, 3);
    // The naive datetime and the token's own claim describe the same instant.
    assert_eq!(jwt_exp(token), expired);

    let again = get_access_token(&server, &query).await;
    assert_ne!(again["data"]["access_token"], body["data"]["access_token"]);
    assert_ne!(again["request_id"], body["request_id"]);
}

#[tokio::test]
async fn access_token_errors_name_the_problem() {
    let server = start().await;
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 6] = [
        (&[], "400", "参数[client_id]不能为空"),
        (
            &[("client_secret", EBAAS_CLIENT_SECRET)],
            "400",
            "参数[client_id]不能为空",
        ),
        (
            &[("client_id", ""), ("client_secret", EBAAS_CLIENT_SECRET)],
            "400",
            "参数[client_id]不能为空",
        ),
        (
            &[("client_id", EBAAS_CLIENT_ID)],
            "400",
            "参数[client_secret]不能为空",
        ),
        (
            &[
                ("client_id", "nope"),
                ("client_secret", EBAAS_CLIENT_SECRET),
            ],
            "403006",
            "client_id不正确",
        ),
        (
            &[("client_id", EBAAS_CLIENT_ID), ("client_secret", "nope")],
            "403007",
            "client_secret不正确",
        ),
    ];
    for (query, code, msg) in cases {
        let body = get_access_token(&server, query).await;
        assert_error(&body, code, msg);
    }
    assert_eq!(server.count("/oauth/getAccessToken"), 6);
}

#[tokio::test]
async fn service_ticket_success_then_single_use() {
    let server = start().await;
    let token = access_token(&server).await;
    let body = get_service_ticket(&server, json!({"access_token": token, "token": "login"})).await;
    assert_eq!(body["code"], "000");
    assert_eq!(body["msg"], "成功");
    assert_uuid_like(body["request_id"].as_str().unwrap());
    let data = &body["data"];
    let keys: Vec<&String> = data.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["expired", "service_ticket", "number_of_uses"]);
    assert_eq!(data["number_of_uses"], 1);
    assert_near(
        parse_shanghai_naive(data["expired"].as_str().unwrap()),
        now() + 60,
        3,
    );
    let ticket = data["service_ticket"].as_str().unwrap();
    assert!(ticket.starts_with("ST-") && ticket.len() > 40, "{ticket}");

    let (status, body) = use_ticket(&server, Some(ticket)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"code": "000", "msg": "成功", "data": "ok"}));
    assert_eq!(server.invalid_token_presentations(), 0);

    let (status, body) = use_ticket(&server, Some(ticket)).await;
    assert_ticket_rejected(status, &body);
    assert_eq!(server.invalid_token_presentations(), 1);

    // Each fetch is a distinct ticket with its own use.
    let other = service_ticket(&server).await;
    assert_ne!(other, ticket);
    assert_eq!(use_ticket(&server, Some(&other)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn service_ticket_errors_match_the_page() {
    let server = start().await;
    let token = access_token(&server).await;

    for raw in ["not json", "[1,2]", "\"str\"", ""] {
        let body = get_service_ticket_raw(&server, raw.into()).await;
        assert_error(&body, "400003", "入参解析异常");
    }
    let body = get_service_ticket(&server, json!({"access_token": 5, "token": "x"})).await;
    assert_error(&body, "400003", "入参解析异常");

    let missing = [
        (json!({}), "参数[access_token]不能为空"),
        (json!({"token": "x"}), "参数[access_token]不能为空"),
        (
            json!({"access_token": "", "token": "x"}),
            "参数[access_token]不能为空",
        ),
        (
            json!({"access_token": null, "token": "x"}),
            "参数[access_token]不能为空",
        ),
        (json!({"access_token": token}), "参数[token]不能为空"),
        (
            json!({"access_token": token, "token": ""}),
            "参数[token]不能为空",
        ),
    ];
    for (request, msg) in missing {
        let body = get_service_ticket(&server, request).await;
        assert_error(&body, "400", msg);
    }
    assert_eq!(server.invalid_token_presentations(), 0);

    let body = get_service_ticket(&server, json!({"access_token": "bogus", "token": "x"})).await;
    assert_error(&body, "401003", "无效的access_token");
    assert_eq!(server.invalid_token_presentations(), 1);
    assert_eq!(server.invalid_token_presentations_of(Provider::Ebaas), 1);
}

#[tokio::test]
async fn resource_rejects_missing_unknown_and_expired_tickets() {
    let config = Config::default().with_ticket_lifetime(Duration::from_secs(1));
    let server = start_with(config).await;

    let (status, body) = use_ticket(&server, None).await;
    assert_ticket_rejected(status, &body);
    // Nothing was presented, so nothing invalid was presented.
    assert_eq!(server.invalid_token_presentations(), 0);

    let (status, body) = use_ticket(&server, Some("ST-unknown==")).await;
    assert_ticket_rejected(status, &body);
    assert_eq!(server.invalid_token_presentations(), 1);

    let ticket = service_ticket(&server).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, body) = use_ticket(&server, Some(&ticket)).await;
    assert_ticket_rejected(status, &body);
    assert_eq!(server.invalid_token_presentations(), 2);
}

#[tokio::test]
async fn ticket_use_limit_follows_config() {
    let server = start_with(Config::default().with_ticket_uses(3)).await;
    let token = access_token(&server).await;
    let body = get_service_ticket(&server, json!({"access_token": token, "token": "x"})).await;
    assert_eq!(body["data"]["number_of_uses"], 3);
    let ticket = body["data"]["service_ticket"].as_str().unwrap();
    for _ in 0..3 {
        assert_eq!(use_ticket(&server, Some(ticket)).await.0, StatusCode::OK);
    }
    assert_eq!(
        use_ticket(&server, Some(ticket)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn expired_access_token_is_refused() {
    let config = Config::default().with_lifetime(Provider::Ebaas, Duration::from_secs(1));
    let server = start_with(config).await;
    let token = access_token(&server).await;
    let request = json!({"access_token": token, "token": "x"});
    assert_eq!(
        get_service_ticket(&server, request.clone()).await["code"],
        "000"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let body = get_service_ticket(&server, request).await;
    assert_error(&body, "401003", "无效的access_token");
    assert_eq!(server.invalid_token_presentations(), 1);
}
