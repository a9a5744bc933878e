//! Trust boundaries of the runtime: credentials never follow a redirect, and two tenants never
//! share a cached token. Real HTTP on 127.0.0.1 (a minimal server written here, so the test
//! controls every byte of the redirect).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{Arc, Mutex};

use auth_runtime::spec::{Encoding, EndpointSpec, Location, Method, ParamSpec, TokenSpec};
use auth_runtime::{Client, Error, Params, SecretString, Session};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server that answers every request with `response` and records what it received.
struct Recorder {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

async fn recorder(response: String) -> Recorder {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut got = Vec::new();
                // Headers, then as much body as Content-Length says.
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if got.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&got).to_string());
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Recorder { port, requests }
}

fn redirect_to(status: &str, location: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

const TOKEN_OK: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 42\r\nConnection: close\r\n\r\n{\"access_token\":\"tok\",\"expires_in\":7200} ";

static GET_PARAMS: [ParamSpec; 2] = [
    ParamSpec {
        name: "appid",
        location: Location::Query,
        required: true,
        secret: false,
        ty: auth_runtime::spec::ValueType::String,
        role: auth_runtime::spec::Role::Credential,
    },
    ParamSpec {
        name: "secret",
        location: Location::Query,
        required: true,
        secret: true,
        ty: auth_runtime::spec::ValueType::String,
        role: auth_runtime::spec::Role::Credential,
    },
];

static TOKEN: TokenSpec = TokenSpec {
    path: "access_token",
    header: false,
    presentation: auth_runtime::spec::Presentation::Authorization { scheme: "Bearer" },
    scheme_included: None,
    invalidates_previous: false,
};

static GET_TOKEN: EndpointSpec = EndpointSpec {
    provider: "p",
    name: "token",
    method: Method::Get,
    path: "/token",
    encoding: Encoding::Query,
    params: &GET_PARAMS,
    basic_auth: None,
    envelope: None,
    token: Some(TOKEN),
    expiry: &[],
    use_limit: None,
    errors: &[],
};

static POST_PARAMS: [ParamSpec; 3] = [
    ParamSpec {
        name: "grant_type",
        location: Location::Body,
        required: true,
        secret: false,
        ty: auth_runtime::spec::ValueType::String,
        role: auth_runtime::spec::Role::Credential,
    },
    ParamSpec {
        name: "appid",
        location: Location::Body,
        required: true,
        secret: false,
        ty: auth_runtime::spec::ValueType::String,
        role: auth_runtime::spec::Role::Credential,
    },
    ParamSpec {
        name: "app_secret",
        location: Location::Body,
        required: true,
        secret: true,
        ty: auth_runtime::spec::ValueType::String,
        role: auth_runtime::spec::Role::Credential,
    },
];

static POST_TOKEN: EndpointSpec = EndpointSpec {
    provider: "p",
    name: "token",
    method: Method::Post,
    path: "/token",
    encoding: Encoding::Json,
    params: &POST_PARAMS,
    basic_auth: None,
    envelope: None,
    token: Some(TOKEN),
    expiry: &[],
    use_limit: None,
    errors: &[],
};

static GET_SPECS: [&EndpointSpec; 1] = [&GET_TOKEN];
static POST_SPECS: [&EndpointSpec; 1] = [&POST_TOKEN];

const SECRET: &str = "s3cr3t-value-never-elsewhere";

#[tokio::test]
async fn token_requests_never_follow_a_redirect_nor_send_a_referer() {
    let target = recorder(TOKEN_OK.to_owned()).await;
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
            let origin = recorder(redirect_to(status, &format!("{location}?echo={SECRET}"))).await;
            let base = format!("http://127.0.0.1:{}", origin.port);
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
            let sent = origin.requests.lock().unwrap().clone();
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
        target.requests.lock().unwrap().is_empty(),
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
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = socket.read(&mut buf).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                GZIPPED.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&GZIPPED).await;
        }
    });
    let session = Session::builder(
        Client::with_defaults().unwrap(),
        &GET_SPECS,
        "t",
        format!("http://127.0.0.1:{port}"),
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
    name: "id",
    location: Location::Path,
    required: false,
    secret: false,
    ty: auth_runtime::spec::ValueType::String,
    role: auth_runtime::spec::Role::Credential,
}];

static PATH_SPEC: EndpointSpec = EndpointSpec {
    provider: "p",
    name: "by_id",
    method: Method::Get,
    path: "/apps/{id}/token",
    encoding: Encoding::Query,
    params: &PATH_PARAMS,
    basic_auth: None,
    envelope: None,
    token: None,
    expiry: &[],
    use_limit: None,
    errors: &[],
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
