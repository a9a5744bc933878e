//! The `token_type` a token response states beside the token (RFC 6749 §5.1): `bearer` in any
//! case is presented as the page documents, with its scheme word; a token bound to a key (`DPoP`,
//! `MAC`) or no access token at all (`N_A`) is refused at the fetch, naming the type, instead of
//! being sent as a bearer token that every call would fail with. Real HTTP on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use auth_runtime::spec::{Encoding, EndpointSpec, Method, TokenSpec};
use auth_runtime::{Client, Error, Session};
use support::{ACCESS_TOKEN, Recorder, json_response, token_endpoint};

static TOP: EndpointSpec = token_endpoint(Method::Get, "/token", Encoding::Query, &[]);
static NESTED: EndpointSpec = EndpointSpec {
    token: Some(TokenSpec {
        path: "data.access_token",
        ..ACCESS_TOKEN
    }),
    ..token_endpoint(Method::Get, "/token", Encoding::Query, &[])
};
static TOP_SPECS: [&EndpointSpec; 1] = [&TOP];
static NESTED_SPECS: [&EndpointSpec; 1] = [&NESTED];

async fn fetch(specs: &'static [&'static EndpointSpec], body: &str) -> Result<String, Error> {
    let server = Recorder::start(json_response(200, body)).await;
    let session = Session::builder(Client::with_defaults().unwrap(), specs, "t", server.base())
        .build()
        .unwrap();
    let token = session.token("token").await?;
    assert_eq!(server.requests().len(), 1);
    Ok(token.authorization())
}

#[tokio::test]
async fn bearer_in_any_case_is_presented_with_the_documented_scheme() {
    for token_type in ["bearer", "Bearer", "BEARER"] {
        let body = format!(r#"{{"access_token":"tok-1","token_type":"{token_type}"}}"#);
        assert_eq!(fetch(&TOP_SPECS, &body).await.unwrap(), "Bearer tok-1");
    }
    // A provider's own word is not refused either: the page says how to present it.
    let body = r#"{"access_token":"tok-2","token_type":"access_token"}"#;
    assert_eq!(fetch(&TOP_SPECS, body).await.unwrap(), "Bearer tok-2");
}

#[tokio::test]
async fn key_bound_and_non_access_tokens_are_refused_naming_the_type() {
    for (token_type, named) in [
        ("DPoP", "DPoP"),
        ("dpop", "DPoP"),
        ("MAC", "MAC"),
        ("N_A", "N_A"),
    ] {
        let body = format!(r#"{{"access_token":"tok-secret-value","token_type":"{token_type}"}}"#);
        let err = fetch(&TOP_SPECS, &body).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Mismatch { .. }), "{text}");
        assert!(text.contains(&format!("`{named}` token")), "{text}");
        assert!(!text.contains("tok-secret-value"), "{text}");
        assert!(!err.is_retryable(), "the next fetch gets the same kind");
    }
}

#[tokio::test]
async fn the_type_is_read_beside_a_nested_token() {
    let ok = r#"{"data":{"access_token":"tok-3","token_type":"bearer"},"token_type":"DPoP"}"#;
    assert_eq!(fetch(&NESTED_SPECS, ok).await.unwrap(), "Bearer tok-3");
    let bound = r#"{"data":{"access_token":"tok-4","token_type":"DPoP"}}"#;
    assert!(matches!(
        fetch(&NESTED_SPECS, bound).await,
        Err(Error::Mismatch { .. })
    ));
}
