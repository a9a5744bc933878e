//! Trust boundaries of the runtime: credentials never follow a redirect, and two tenants never
//! share a cached token. Real HTTP on 127.0.0.1 (a minimal server written here, so the test
//! controls every byte of the redirect).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use auth_runtime::spec::{Encoding, EndpointSpec, Location, Method, ParamSpec};
use auth_runtime::{Client, Error, Params, SecretString, Session};
use support::{Recorder, credential, json_response, token_endpoint};

fn redirect_to(status: &str, location: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

static GET_PARAMS: [ParamSpec; 2] = [
    credential("appid", Location::Query, false),
    credential("secret", Location::Query, true),
];

static GET_TOKEN: EndpointSpec =
    token_endpoint(Method::Get, "/token", Encoding::Query, &GET_PARAMS);

static POST_PARAMS: [ParamSpec; 3] = [
    credential("grant_type", Location::Body, false),
    credential("appid", Location::Body, false),
    credential("app_secret", Location::Body, true),
];

static POST_TOKEN: EndpointSpec =
    token_endpoint(Method::Post, "/token", Encoding::Json, &POST_PARAMS);

static GET_SPECS: [&EndpointSpec; 1] = [&GET_TOKEN];
static POST_SPECS: [&EndpointSpec; 1] = [&POST_TOKEN];

const SECRET: &str = "s3cr3t-value-never-elsewhere";

#[tokio::test]
async fn token_requests_never_follow_a_redirect_nor_send_a_referer() {
    let target = Recorder::start(json_response(
        200,
        r#"{"access_token":"tok","expires_in":7200}"#,
    ))
    .await;
    let port = target.port;
    let targets = [
        format!("http://127.0.0.1:{port}/stolen"),
        format!("http://0.0.0.0:{port}/stolen"),
        format!("http://[::ffff:127.0.0.1]:{port}/stolen"),
        "/same-origin-path".to_owned(),
    ];
    for status in [
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        for location in &targets {
            let origin =
                Recorder::start(redirect_to(status, &format!("{location}?echo={SECRET}"))).await;
            let base = origin.base();
            for specs in [&GET_SPECS, &POST_SPECS] {
                let credentials = Params::new()
                    .text("grant_type", "client_credential")
                    .text("appid", "app-1")
                    .secret("secret", SecretString::from(SECRET))
                    .secret("app_secret", SecretString::from(SECRET));
                let session = Session::builder(Client::with_defaults().unwrap(), specs, "t", &base)
                    .credentials(credentials)
                    .build()
                    .unwrap();
                let err = session.token("token").await.unwrap_err();
                let text = err.to_string();
                assert!(
                    matches!(err, Error::Redirect { .. }),
                    "{status} to {location}: {text}"
                );
                assert!(
                    text.contains("stolen") || text.contains("same-origin-path"),
                    "{text}"
                );
                assert!(
                    !text.contains(SECRET),
                    "the target's query is dropped: {text}"
                );
                assert!(!err.is_retryable());
            }
            let sent = origin.requests();
            assert_eq!(sent.len(), 2, "one request per fetch, no retry: {sent:?}");
            for request in &sent {
                assert!(
                    !request.to_ascii_lowercase().contains("\nreferer:"),
                    "{request}"
                );
            }
        }
    }
    assert!(
        target.requests().is_empty(),
        "no request reached the redirect target"
    );
}

fn key_of(specs: &'static [&'static EndpointSpec], credentials: Params) -> auth_runtime::CacheKey {
    let session = Session::builder(
        Client::with_defaults().unwrap(),
        specs,
        "prod",
        "https://api.example.com",
    )
    .credentials(credentials)
    .build()
    .unwrap();
    session.cache("token").unwrap().key().clone()
}

fn tenant(appid: &str, secret: &str) -> Params {
    Params::new()
        .text("grant_type", "client_credential")
        .text("appid", appid)
        .secret("app_secret", SecretString::from(secret.to_owned()))
}

#[test]
fn tenants_that_differ_in_a_later_credential_get_different_keys() {
    let a = key_of(&POST_SPECS, tenant("wx-app-a", "secret-a"));
    let b = key_of(&POST_SPECS, tenant("wx-app-b", "secret-a"));
    let c = key_of(&POST_SPECS, tenant("wx-app-a", "secret-c"));
    assert_ne!(a, b, "the appid after the constant grant_type counts");
    assert_ne!(a, c, "the secret counts, through its fingerprint");
    assert_eq!(a, key_of(&POST_SPECS, tenant("wx-app-a", "secret-a")));
    for key in [&a, &b, &c] {
        assert!(!key.subject.contains("secret-"), "{key}");
        assert!(!format!("{key:?}").contains("secret-"), "{key:?}");
    }
    assert!(a.subject.contains("appid=\"wx-app-a\""), "{}", a.subject);
}

#[cfg(feature = "redis")]
#[tokio::test]
async fn tenants_get_different_redis_keys() {
    let store = auth_runtime::RedisStore::builder("redis://127.0.0.1:1")
        .prefix("t")
        .build()
        .unwrap();
    let a = store.redis_key(&key_of(&POST_SPECS, tenant("wx-app-a", "secret-a")));
    let b = store.redis_key(&key_of(&POST_SPECS, tenant("wx-app-b", "secret-a")));
    let c = store.redis_key(&key_of(&POST_SPECS, tenant("wx-app-a", "secret-c")));
    assert_ne!(a, b);
    assert_ne!(a, c);
    assert!(!a.contains("wx-app-a") && !a.contains("secret-a"), "{a}");
}

/// `{"access_token":"gz-token","expires_in":7200}`, gzip-compressed.
const GZIPPED: [u8; 59] = [
    31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 171, 86, 74, 76, 78, 78, 45, 46, 142, 47, 201, 207, 78, 205,
    83, 178, 82, 74, 175, 210, 133, 48, 117, 148, 82, 43, 10, 50, 139, 82, 139, 227, 51, 129, 226,
    230, 70, 6, 6, 181, 0, 12, 51, 227, 211, 45, 0, 0, 0,
];

#[tokio::test]
async fn a_gzip_encoded_token_response_is_decoded() {
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        GZIPPED.len()
    )
    .into_bytes();
    response.extend_from_slice(&GZIPPED);
    let server = Recorder::start(response).await;
    let session = Session::builder(
        Client::with_defaults().unwrap(),
        &GET_SPECS,
        "t",
        server.base(),
    )
    .credentials(
        Params::new()
            .text("appid", "a")
            .secret("secret", SecretString::from("s")),
    )
    .build()
    .unwrap();
    let token = session.token("token").await.unwrap();
    assert_eq!(token.expose_secret(), "gz-token");
}

// Not required, so the required-parameter check does not answer first.
static PATH_PARAMS: [ParamSpec; 1] = [ParamSpec {
    required: false,
    ..credential("id", Location::Path, false)
}];

static PATH_SPEC: EndpointSpec = EndpointSpec {
    name: "by_id",
    token: None,
    ..token_endpoint(
        Method::Get,
        "/apps/{id}/token",
        Encoding::Query,
        &PATH_PARAMS,
    )
};

#[tokio::test]
async fn an_unfilled_path_placeholder_is_refused_not_sent() {
    let client = Client::with_defaults().unwrap();
    let err = client
        .call(&PATH_SPEC, "http://127.0.0.1:9", &Params::new())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("missing path parameter `id`"),
        "{err}"
    );
}
