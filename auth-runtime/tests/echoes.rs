//! A provider that echoes the caller's secret in its error message (raw, URL-encoded or
//! JSON-escaped) or sends a message with a line break and an ANSI escape: no error string and no
//! log line shows the secret, and no message starts a log line of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use auth_runtime::spec::{
    Encoding, EndpointSpec, EnvelopeSpec, Literal, Location, Method, ParamSpec, TokenSpec,
};
use auth_runtime::{Client, Params, SecretString, Session};
use fake_providers::LogCapture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRET: &str = "Zz9/q+r s@cret";

static PARAMS: [ParamSpec; 2] = [
    ParamSpec {
        name: "appid",
        location: Location::Body,
        required: true,
        secret: false,
        ty: auth_runtime::spec::ValueType::String,
        role: auth_runtime::spec::Role::Credential,
    },
    ParamSpec {
        name: "secret",
        location: Location::Body,
        required: true,
        secret: true,
        ty: auth_runtime::spec::ValueType::String,
        role: auth_runtime::spec::Role::Credential,
    },
];

static SPEC: EndpointSpec = EndpointSpec {
    provider: "p",
    name: "token",
    method: Method::Post,
    path: "/token",
    encoding: Encoding::Json,
    params: &PARAMS,
    basic_auth: None,
    envelope: Some(EnvelopeSpec {
        success_field: "errcode",
        success: Literal::Int(0),
        absent_ok: true,
        code: Some("errcode"),
        message: Some("errmsg"),
        data: None,
    }),
    token: Some(TokenSpec {
        path: "access_token",
        header: false,
        presentation: auth_runtime::spec::Presentation::Authorization { scheme: "Bearer" },
        scheme_included: None,
        invalidates_previous: false,
    }),
    expiry: &[],
    use_limit: None,
    errors: &[],
};

static SPECS: [&EndpointSpec; 1] = [&SPEC];

/// A loopback server answering every request with `body` (HTTP 200 or `status`).
async fn answering(status: u16, body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let _ = socket.read(&mut buf).await;
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoed_secrets_and_forged_lines_never_reach_errors_or_logs() {
    let capture = LogCapture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let url_encoded: String = url_encode(SECRET);
    let json_escaped = serde_json::to_string(SECRET).unwrap();
    let echoes = [
        format!("appSecret={SECRET} is wrong"),
        format!("appSecret={url_encoded} is wrong"),
        format!("appSecret={} is wrong", json_escaped.trim_matches('"')),
        "bad secret\nINFO forged line\u{1b}[31m".to_owned(),
    ];
    let mut texts = Vec::new();
    for (i, echo) in echoes.iter().enumerate() {
        let body = serde_json::json!({"errcode": 40001, "errmsg": echo}).to_string();
        // The envelope path (HTTP 200 with an error code) and the status path (HTTP 400).
        for status in [200, 400] {
            let base = answering(status, body.clone()).await;
            let session = Session::builder(Client::with_defaults().unwrap(), &SPECS, "t", &base)
                .credentials(
                    Params::new()
                        .text("appid", format!("app-{i}-{status}"))
                        .secret("secret", SecretString::from(SECRET)),
                )
                .build()
                .unwrap();
            let err = session.token("token").await.unwrap_err();
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
        }
    }
    let logs = capture.text();
    for text in texts.iter().chain(std::iter::once(&logs)) {
        for form in [SECRET, url_encoded.as_str(), json_escaped.trim_matches('"')] {
            assert!(!text.contains(form), "{form} in {text}");
        }
        assert!(!text.contains('\u{1b}'), "an escape reached: {text}");
    }
    assert!(
        texts.iter().any(|t| t.contains("[redacted]")),
        "the echo is replaced, not dropped: {texts:?}"
    );
    assert!(
        !logs.lines().any(|l| l.starts_with("INFO forged line")),
        "a message started a log line of its own:\n{logs}"
    );
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
