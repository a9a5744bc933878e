//! anyweb: serviceToken wants a form (urlencoded or multipart), whatever the page's caution box says.

use fake_providers::FakeProviders;
use fake_providers::credentials::{ANYWEB_APPID, ANYWEB_SECRET};
use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::{Value, json};

use crate::common::{assert_near, client, json, jwt_exp, now, start};

const PATH: &str = "/service/serviceToken";

async fn post(req: reqwest::RequestBuilder) -> Value {
    let (status, body) = json(req.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn post_form(server: &FakeProviders, form: &[(&str, &str)]) -> Value {
    post(client().post(server.url(PATH)).form(form)).await
}

fn assert_success(body: &Value) -> String {
    assert_eq!(body["code"], 1000, "{body}");
    assert_eq!(body["message"], "success");
    let keys: Vec<&String> = body["data"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["serviceToken", "expiresIn"]);
    assert_eq!(body["data"]["expiresIn"], 7200);
    let token = body["data"]["serviceToken"].as_str().unwrap();
    assert_near(jwt_exp(token), now() + 7200, 3);
    token.to_owned()
}

fn error(code: u16, message: &str) -> Value {
    json!({"code": code, "message": message, "data": null})
}

#[tokio::test]
async fn urlencoded_form_gets_a_token() {
    let server = start().await;
    let body = post_form(
        &server,
        &[("appid", ANYWEB_APPID), ("secret", ANYWEB_SECRET)],
    )
    .await;
    let first = assert_success(&body);
    let body = post_form(
        &server,
        &[("appid", ANYWEB_APPID), ("secret", ANYWEB_SECRET)],
    )
    .await;
    assert_ne!(
        assert_success(&body),
        first,
        "each fetch issues a new token"
    );
}

#[tokio::test]
async fn multipart_form_gets_a_token() {
    let server = start().await;
    let form = Form::new()
        .text("appid", ANYWEB_APPID)
        .text("secret", ANYWEB_SECRET);
    let body = post(client().post(server.url(PATH)).multipart(form)).await;
    assert_success(&body);
}

#[tokio::test]
async fn json_is_refused_as_the_real_server_does() {
    let server = start().await;
    let refused = error(4001, "请使用表单提交 (form data expected)");
    let credentials = json!({"appid": ANYWEB_APPID, "secret": ANYWEB_SECRET});
    let body = post(client().post(server.url(PATH)).json(&credentials)).await;
    assert_eq!(body, refused);
    // Same when the content type is missing but the body is a JSON object.
    let body = post(
        client()
            .post(server.url(PATH))
            .body(credentials.to_string()),
    )
    .await;
    assert_eq!(body, refused);
}

#[tokio::test]
async fn wrong_and_missing_credentials() {
    let server = start().await;
    let wrong = error(4003, "appid或secret错误");
    let missing = error(4000, "缺少参数");
    let cases: [(&[(&str, &str)], &Value); 5] = [
        (&[("appid", "nope"), ("secret", ANYWEB_SECRET)], &wrong),
        (&[("appid", ANYWEB_APPID), ("secret", "nope")], &wrong),
        (&[("appid", ANYWEB_APPID)], &missing),
        (&[("appid", ANYWEB_APPID), ("secret", "")], &missing),
        (&[], &missing),
    ];
    for (form, expected) in cases {
        assert_eq!(post_form(&server, form).await, *expected, "{form:?}");
    }
    let body = post(
        client()
            .post(server.url(PATH))
            .multipart(Form::new().text("secret", ANYWEB_SECRET)),
    )
    .await;
    assert_eq!(body, missing);
    // A body that is neither form nor JSON.
    let body = post(client().post(server.url(PATH)).body("appid")).await;
    assert_eq!(body, missing);
}
