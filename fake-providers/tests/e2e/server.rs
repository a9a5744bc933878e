//! Server-wide behaviour: counters, revocation, runtime lifetimes, fleet mode, start and stop.

use std::collections::BTreeMap;
use std::time::Duration;

use fake_providers::{Config, FakeProviders, Provider, serve_until};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{client, jwt_claims, start, start_with};
use crate::{appauth, coupang, ebaas};

#[tokio::test]
async fn counters_count_per_path() {
    let server = start().await;
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(server.base_url(), format!("http://{}", server.addr()));
    assert!(server.counts().is_empty());

    ebaas::access_token(&server).await;
    ebaas::access_token(&server).await;
    coupang::access_token(&server).await;
    let resp = client()
        .get(server.url("/nowhere?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    // Wrong method on a known path: still a request to that path.
    let resp = client()
        .get(server.url("/oauth/token/get"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);

    assert_eq!(server.count("/oauth/getAccessToken"), 2);
    assert_eq!(server.count("/auth/getAccessToken"), 0);
    let expected = BTreeMap::from([
        ("/nowhere".to_owned(), 1),
        ("/oauth/getAccessToken".to_owned(), 2),
        ("/oauth/token/get".to_owned(), 2),
    ]);
    assert_eq!(server.counts(), expected);

    server.reset_counts();
    assert!(server.counts().is_empty());
    assert_eq!(server.count("/oauth/getAccessToken"), 0);
    ebaas::access_token(&server).await;
    assert_eq!(server.count("/oauth/getAccessToken"), 1);
}

#[tokio::test]
async fn revoke_all_invalidates_issued_tokens_of_one_provider() {
    let server = start().await;
    let ebaas_token = ebaas::access_token(&server).await;
    let ticket = ebaas::service_ticket(&server).await;
    let appauth_token = appauth::access_token(&server).await;
    let coupang_token = coupang::access_token(&server).await;
    assert_eq!(server.invalid_token_presentations(), 0);

    server.revoke_all(Provider::Coupang);
    assert_eq!(
        coupang::product(&server, "1", Some(&coupang_token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(server.invalid_token_presentations(), 1);
    // Other providers are untouched.
    assert_eq!(
        appauth::hello(&server, Some(&appauth_token)).await.0,
        StatusCode::OK
    );

    server.revoke_all(Provider::Appauth);
    let (status, body) = appauth::hello(&server, Some(&appauth_token)).await;
    appauth::assert_hello_rejected(status, &body);
    assert_eq!(server.invalid_token_presentations(), 2);
    // A revoked token is not handed out again.
    let fresh = appauth::access_token(&server).await;
    assert_ne!(fresh, appauth_token);
    assert_eq!(
        appauth::hello(&server, Some(&fresh)).await.0,
        StatusCode::OK
    );

    server.revoke_all(Provider::Ebaas);
    assert_eq!(
        ebaas::use_ticket(&server, Some(&ticket)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let resp = client()
        .post(server.url("/oauth/getServiceTicket"))
        .json(&json!({"access_token": ebaas_token, "token": "x"}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "401003");
    assert_eq!(server.invalid_token_presentations(), 4);
    assert_eq!(server.invalid_token_presentations_of(Provider::Ebaas), 2);
    assert_eq!(server.invalid_token_presentations_of(Provider::Appauth), 1);
    assert_eq!(server.invalid_token_presentations_of(Provider::Coupang), 1);
    assert_eq!(server.invalid_token_presentations_of(Provider::Anyweb), 0);

    // Tokens issued after the revocation work.
    let ticket = ebaas::service_ticket(&server).await;
    assert_eq!(
        ebaas::use_ticket(&server, Some(&ticket)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn set_lifetime_applies_to_new_tokens() {
    let server = start().await;
    let long = coupang::access_token(&server).await;
    server.set_lifetime(Provider::Coupang, Duration::from_secs(1));
    assert_eq!(
        server.config().coupang.token_lifetime,
        Duration::from_secs(1)
    );
    let short = coupang::access_token(&server).await;
    let claims = jwt_claims(short.strip_prefix("Bearer ").unwrap());
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert!((0..=1).contains(&lifetime), "{claims}");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        coupang::product(&server, "1", Some(&short)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        coupang::product(&server, "1", Some(&long)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn invalidate_previous_supersedes_older_tokens() {
    let config = Config::default().with_invalidate_previous(Provider::Coupang, true);
    let server = start_with(config).await;
    let first = coupang::access_token(&server).await;
    let second = coupang::access_token(&server).await;
    assert_eq!(
        coupang::product(&server, "1", Some(&first)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        coupang::product(&server, "1", Some(&second)).await.0,
        StatusCode::OK
    );
    assert_eq!(server.invalid_token_presentations(), 1);
}

#[test]
fn provider_names_and_default_config() {
    let names: Vec<&str> = Provider::all().iter().map(|p| p.name()).collect();
    assert_eq!(names, ["ebaas", "appauth", "anyweb", "coupang"]);
    let config = Config::default();
    let secs = |p| config.provider(p).token_lifetime.as_secs();
    assert_eq!(secs(Provider::Ebaas), 7200);
    assert_eq!(secs(Provider::Appauth), 7200);
    assert_eq!(secs(Provider::Anyweb), 7200);
    assert_eq!(secs(Provider::Coupang), 3600);
    assert_eq!(config.ebaas_ticket_lifetime, Duration::from_secs(60));
    assert_eq!(config.ebaas_ticket_uses, 1);
    assert!(
        Provider::all()
            .iter()
            .all(|&p| !config.provider(p).invalidate_previous)
    );
}

async fn refused(url: &str) -> bool {
    client().get(url).send().await.is_err()
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let server = start().await;
    let url = server.url("/product");
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    server.shutdown().await.unwrap();
    assert!(refused(&url).await);

    let server = start().await;
    let url = server.url("/product");
    drop(server);
    let mut stopped = false;
    for _ in 0..50 {
        if refused(&url).await {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(stopped, "server still answering after drop");
}

#[tokio::test]
async fn serve_until_reports_its_address_and_stops_on_signal() {
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(serve_until(
        Config::default(),
        0,
        move |server: &FakeProviders| {
            server.faults().fail_5xx(Some("/product"), 1);
            let _ = ready_tx.send(server.url("/product"));
        },
        async move {
            let _ = stop_rx.await;
        },
    ));
    let url = ready_rx.await.unwrap();
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    stop_tx.send(()).unwrap();
    serving.await.unwrap().unwrap();
    assert!(refused(&url).await);
}

#[tokio::test]
async fn malformed_input_gets_documented_errors_not_panics() {
    let server = start().await;
    let get = |path: &str| client().get(server.url(path)).send();

    // Bad percent-encoding and invalid UTF-8 in query strings.
    let resp = get("/oauth/getAccessToken?client_id=%ZZ&client_secret=%FF%FE")
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "403006");
    let resp = get("/auth/getAccessToken?appId&appSecret=&&==")
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 401);
    let (status, body) = appauth::hello(&server, Some("\u{0}%FF")).await;
    appauth::assert_hello_rejected(status, &body);
    let resp = get("/auth/hello?accessToken=%FF").await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // Non-UTF-8 header values.
    let garbled = reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap();
    let resp = client()
        .get(server.url("/product/get?id=x"))
        .header("Authorization", garbled.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = client()
        .get(server.url("/ebaas/resource"))
        .header("X-Service-Ticket", garbled)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(server.invalid_token_presentations(), 4);

    // Broken multipart and a bodyless JSON post.
    let resp = client()
        .post(server.url("/service/serviceToken"))
        .header("content-type", "multipart/form-data; boundary=xyz")
        .body("--xyz\r\nContent-Disposition: form-data; name=\"appid\"\r\n\r\ndemo")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 4000);
    let resp = client()
        .post(server.url("/oauth/token/get"))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["statusCode"], 400);

    // Coupang binds a non-numeric id to 0, like ASP.NET.
    let token = coupang::access_token(&server).await;
    let resp = client()
        .get(server.url("/product/get?id=x"))
        .header("Authorization", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.text().await.unwrap(),
        "Ok!You successfully caught me. The Id is 0"
    );
}
