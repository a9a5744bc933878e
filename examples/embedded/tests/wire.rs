//! What generated clients put on the wire, against the fake built from the same descriptor
//! (`fake_providers::DescribedFake`): typed JSON values, omitted optionals, constants the user
//! never types, HTTP Basic client authentication, header credentials, path parameters, and the
//! token presented in `Authorization`, a custom header or the query, recovered once after a
//! 401 or a documented invalid-token code.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use auth_runtime::{Client, Params, SecretString, Session};
use authgen_descriptor::Descriptor;
use base64::Engine;
use embedded_clients::{spotify, wechat};
use fake_providers::DescribedFake;

fn descriptor(provider: &str) -> Descriptor {
    let path = format!(
        "{}/../../specs/descriptors/{provider}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Descriptor::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn text(fake: &DescribedFake, name: &str) -> String {
    fake.credentials()[name].as_str().unwrap().to_owned()
}

async fn wechat_client(fake: &DescribedFake, force_refresh: Option<bool>) -> wechat::WechatClient {
    wechat::Wechat {
        appid: text(fake, "appid"),
        secret: SecretString::from(text(fake, "secret")),
        force_refresh,
    }
    .with_base_url(&fake.base_url())
    .unwrap()
}

#[tokio::test]
async fn wechat_sends_a_json_boolean_omits_none_and_sends_the_constant_itself() {
    let fake = DescribedFake::start(descriptor("wechat")).await.unwrap();

    let client = wechat_client(&fake, Some(false)).await;
    let token = client.stable_token().await.unwrap();
    assert!(token.access_token.is_some());
    let sent = fake.captured().pop().unwrap();
    assert_eq!(sent.header("content-type"), Some("application/json"));
    let body = sent.body_json().unwrap();
    // A boolean as a JSON boolean, not "false"; the constant without any field for it.
    assert_eq!(body["force_refresh"], serde_json::Value::Bool(false));
    assert_eq!(body["grant_type"], "client_credential");
    assert_eq!(body["appid"], text(&fake, "appid"));

    let client = wechat_client(&fake, None).await;
    client.stable_token().await.unwrap();
    let body = fake.captured().pop().unwrap().body_json().unwrap();
    assert!(
        body.get("force_refresh").is_none(),
        "an optional None is not sent: {body}"
    );
}

#[tokio::test]
async fn wechat_puts_the_token_in_the_query_and_recovers_from_a_documented_invalid_token_code() {
    let fake = DescribedFake::start(descriptor("wechat")).await.unwrap();
    let client = wechat_client(&fake, None).await;
    client.getcallbackip().await.unwrap();
    let token = client.stable_token_cached().await.unwrap();
    let call = fake
        .captured()
        .into_iter()
        .find(|c| c.path == "/cgi-bin/getcallbackip")
        .unwrap();
    assert_eq!(
        call.query_param("access_token").as_deref(),
        Some(token.expose_secret())
    );
    assert_eq!(fake.issued(), 1);

    // Revoked: the fake answers errcode 40001 (documented as "invalid token") with HTTP 200;
    // the client refetches once and retries once.
    fake.revoke_all();
    client.getcallbackip().await.unwrap();
    assert_eq!(fake.issued(), 2);
    let calls = fake
        .captured()
        .iter()
        .filter(|c| c.path == "/cgi-bin/getcallbackip")
        .count();
    assert_eq!(calls, 3, "one call, one rejected, one retried");

    // An undocumented protected call through send_authorized: the token goes in the query, and
    // a documented invalid-token code in an HTTP 200 body recovers it once.
    let url = format!("{}/cgi-bin/anything", fake.base_url());
    let response = client
        .session()
        .send_authorized("stable_token", |http| http.get(&url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    fake.revoke_all();
    let before = fake.issued();
    let response = client
        .session()
        .send_authorized("stable_token", |http| http.get(&url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["ok"], true, "{body}");
    assert_eq!(
        fake.issued(),
        before + 1,
        "one new token after errcode 40001"
    );

    // Wrong secret: a documented code of the token endpoint, typed by its own enum.
    let wrong = wechat::Wechat {
        appid: text(&fake, "appid"),
        secret: SecretString::from("wrong"),
        force_refresh: None,
    }
    .with_base_url(&fake.base_url())
    .unwrap();
    let err = wrong.stable_token().await.unwrap_err();
    let code = wechat::WechatStableTokenError::of(&err).unwrap();
    assert!(
        !matches!(code, wechat::WechatStableTokenError::Other(_)),
        "{err}"
    );
    assert_eq!(wechat::WechatGetcallbackipError::of(&err), None);
}

#[tokio::test]
async fn spotify_builds_basic_auth_and_presents_the_token_as_bearer_recovering_from_401() {
    let fake = DescribedFake::start(descriptor("spotify")).await.unwrap();
    let client = spotify::Spotify {
        client_id: text(&fake, "client_id"),
        client_secret: SecretString::from(text(&fake, "client_secret")),
    }
    .with_base_url(&fake.base_url())
    .unwrap();
    let token = client.token_cached().await.unwrap();
    let sent = fake.captured().pop().unwrap();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        text(&fake, "client_id"),
        text(&fake, "client_secret")
    ));
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(sent.body_text(), "grant_type=client_credentials");

    client
        .artists(spotify::SpotifyArtistsRequest {
            id: "4Z8W4fKeB5YxbusRsdQVPb".into(),
        })
        .await
        .unwrap();
    let call = fake.captured().pop().unwrap();
    assert_eq!(call.path, "/v1/artists/4Z8W4fKeB5YxbusRsdQVPb");
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {}", token.expose_secret()).as_str())
    );

    // Revoked: HTTP 401, one new token, one retry.
    fake.revoke_all();
    client
        .artists(spotify::SpotifyArtistsRequest { id: "x".into() })
        .await
        .unwrap();
    assert_eq!(fake.issued(), 2);

    // An undocumented protected call through send_authorized: the same presentation.
    let url = format!("{}/v1/me/anything", fake.base_url());
    let response = client
        .session()
        .send_authorized("token", |http| http.get(&url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// A provider described only in JSON: a header credential, a path parameter, and tokens
/// presented in a custom header or the query, run through the runtime specs built at run time.
fn custom_descriptor(presentation: serde_json::Value) -> Descriptor {
    let json = serde_json::json!({
        "schema_version": 1,
        "provider": "custom",
        "pages": ["custom.md"],
        "endpoints": [{
            "name": "issue",
            "method": "POST",
            "path": "/tenants/{tenant}/token",
            "path_params": ["tenant"],
            "encoding": "json",
            "params": [
                {"name": "tenant", "rust_name": "tenant", "location": "path", "required": true, "type": "string", "role": "credential", "source": {"page": "custom.md", "line": 1}},
                {"name": "X-Api-Key", "rust_name": "x_api_key", "location": "header", "required": true, "type": "string", "secret": true, "role": "credential", "source": {"page": "custom.md", "line": 2}},
                {"name": "scope", "rust_name": "scope", "location": "body", "required": true, "type": "string", "role": {"constant": "read"}, "source": {"page": "custom.md", "line": 3}}
            ],
            "response": [],
            "token": {"path": "data.token", "presentation": presentation, "source": {"page": "custom.md", "line": 4}},
            "expiry": [{"path": "data.ttl", "kind": "seconds", "source": {"page": "custom.md", "line": 5}}]
        }]
    });
    Descriptor::from_json(&json.to_string()).unwrap()
}

#[tokio::test]
async fn header_credentials_path_parameters_and_custom_placements_reach_the_wire() {
    for presentation in [
        serde_json::json!({"in": "header", "name": "X-Auth-Token"}),
        serde_json::json!({"in": "query", "name": "token"}),
    ] {
        let descriptor = custom_descriptor(presentation.clone());
        let specs = auth_runtime::dynamic::specs(&descriptor);
        let fake = DescribedFake::start(descriptor).await.unwrap();
        let session = Session::builder(
            Client::with_defaults().unwrap(),
            specs,
            "test",
            fake.base_url(),
        )
        .credentials(
            Params::new()
                .text("tenant", text(&fake, "tenant"))
                .secret("X-Api-Key", SecretString::from(text(&fake, "X-Api-Key"))),
        )
        .build()
        .unwrap();
        let token = session.token("issue").await.unwrap();
        let sent = fake.captured().pop().unwrap();
        assert_eq!(
            sent.path,
            format!("/tenants/{}/token", text(&fake, "tenant"))
        );
        assert_eq!(
            sent.header("x-api-key"),
            Some(text(&fake, "X-Api-Key").as_str())
        );
        assert_eq!(sent.body_json().unwrap()["scope"], "read");

        let url = format!("{}/protected", fake.base_url());
        let response = session
            .send_authorized("issue", |http| http.get(&url))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{presentation}");
        let call = fake.captured().pop().unwrap();
        match presentation["in"].as_str() {
            Some("header") => assert_eq!(call.header("x-auth-token"), Some(token.expose_secret())),
            _ => assert_eq!(
                call.query_param("token").as_deref(),
                Some(token.expose_secret())
            ),
        }
        assert_eq!(call.header("authorization"), None);

        // Revoked: 401 from the fake, one new token, one retry, then 200.
        fake.revoke_all();
        let response = session
            .send_authorized("issue", |http| http.get(&url))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(fake.issued(), 2);
    }
}

#[tokio::test]
async fn a_token_in_a_response_header_is_read() {
    let json = serde_json::json!({
        "schema_version": 1,
        "provider": "iam",
        "pages": ["iam.md"],
        "endpoints": [{
            "name": "tokens",
            "method": "POST",
            "path": "/v3/auth/tokens",
            "encoding": "json",
            "params": [
                {"name": "password", "rust_name": "password", "location": "body", "required": true, "type": "string", "secret": true, "role": "credential", "source": {"page": "iam.md", "line": 1}}
            ],
            "response": [],
            "token": {"path": "X-Subject-Token", "header": true, "presentation": {"in": "header", "name": "X-Auth-Token"}, "source": {"page": "iam.md", "line": 2}}
        }]
    });
    let descriptor = Descriptor::from_json(&json.to_string()).unwrap();
    let specs = auth_runtime::dynamic::specs(&descriptor);
    let fake = DescribedFake::start(descriptor).await.unwrap();
    let session = Session::builder(
        Client::with_defaults().unwrap(),
        specs,
        "test",
        fake.base_url(),
    )
    .credentials(Params::new().secret("password", SecretString::from(text(&fake, "password"))))
    .build()
    .unwrap();
    let token = session.token("tokens").await.unwrap();
    assert!(
        token.expose_secret().starts_with("fake-tokens-"),
        "{token:?}"
    );
    let url = format!("{}/v3/projects", fake.base_url());
    let response = session
        .send_authorized("tokens", |http| http.get(&url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        fake.captured().pop().unwrap().header("x-auth-token"),
        Some(token.expose_secret())
    );
}

#[tokio::test]
async fn the_generic_fake_takes_the_seed_fakes_fault_switches() {
    let fake = DescribedFake::start(descriptor("wechat")).await.unwrap();
    // One 503, then the documented answer: the token fetch retries once and succeeds.
    fake.faults().fail_5xx(Some("/cgi-bin/stable_token"), 1);
    let client = wechat::Wechat {
        appid: text(&fake, "appid"),
        secret: SecretString::from(text(&fake, "secret")),
        force_refresh: None,
    }
    .session_builder(
        Client::new(auth_runtime::ClientConfig {
            retry_base_delay: std::time::Duration::from_millis(1),
            ..auth_runtime::ClientConfig::default()
        })
        .unwrap(),
        "test",
        &fake.base_url(),
    )
    .build()
    .map(wechat::WechatClient::from_session)
    .unwrap();
    client.stable_token_cached().await.unwrap();
    let calls = fake
        .captured()
        .iter()
        .filter(|c| c.path == "/cgi-bin/stable_token")
        .count();
    assert_eq!(calls, 2, "the 503 and the retry");
    assert_eq!(fake.issued(), 1);
}
