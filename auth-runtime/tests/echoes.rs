//! A provider that echoes the caller's secret in its error message (raw, URL-encoded or
//! JSON-escaped) or sends a message with a line break and an ANSI escape: no error string and no
//! log line shows the secret, and no message starts a log line of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use auth_runtime::spec::{Encoding, EndpointSpec, Location, Method, ParamSpec};
use auth_runtime::{Client, Params, SecretString, Session};
use fake_providers::LogCapture;
use support::{ERRCODE, Recorder, credential, json_response, token_endpoint};

const SECRET: &str = "Zz9/q+r s@cret";

static PARAMS: [ParamSpec; 2] = [
    credential("appid", Location::Body, false),
    credential("secret", Location::Body, true),
];

static SPEC: EndpointSpec = EndpointSpec {
    envelope: Some(ERRCODE),
    ..token_endpoint(Method::Post, "/token", Encoding::Json, &PARAMS)
};

static SPECS: [&EndpointSpec; 1] = [&SPEC];

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
            let base = Recorder::start(json_response(status, &body)).await.base();
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
