//! The generated clients against the fake providers over real loopback HTTP: every seed endpoint's
//! success and documented errors, single-flight at the fake, use-limited tickets, dependent
//! parameters, 401 recovery, the `Bearer` prefix, plain-HTTP refusal.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::sync::Arc;

use auth_runtime::{Error, ExposeSecret, ManualClock, Params, SecretString, SystemClock};
use common::*;
use embedded_clients::{anyweb, appauth, coupang, ebaas};
use fake_providers::{Provider, credentials as c};
use jiff::SignedDuration;

#[tokio::test]
async fn ebaas_access_token_and_service_ticket() {
    let fake = fake().await;
    let client = ebaas(&fake);
    let response = client.get_access_token().await.unwrap();
    assert_eq!(response.code.as_deref(), Some("000"));
    let data = response.data.expect("data");
    assert!(
        data.access_token
            .expect("token")
            .expose_secret()
            .split('.')
            .count()
            == 3,
        "JWT-shaped"
    );
    assert_eq!(
        data.expired.map(|e| e.len()),
        Some(19),
        "naive datetime YYYY-MM-DD HH:MM:SS"
    );

    // The ticket call fills access_token from the cache: the caller passes nothing.
    let ticket = client
        .get_service_ticket()
        .await
        .unwrap()
        .data
        .expect("data");
    assert!(
        ticket
            .service_ticket
            .expect("ticket")
            .expose_secret()
            .starts_with("ST-")
    );
    assert_eq!(ticket.number_of_uses, Some(1));
    // The raw call does not fill the cache; the ticket's access token is one cached fetch.
    assert_eq!(fake.count("/oauth/getAccessToken"), 2);
    assert_eq!(fake.count("/oauth/getServiceTicket"), 1);
    client.get_service_ticket().await.unwrap();
    assert_eq!(
        fake.count("/oauth/getAccessToken"),
        2,
        "the access token came from the cache"
    );
    assert_eq!(fake.count("/oauth/getServiceTicket"), 2);
}

#[tokio::test]
async fn ebaas_documented_errors() {
    let fake = fake().await;
    let bad_id = ebaas_with(
        &fake,
        "nobody",
        c::EBAAS_CLIENT_SECRET,
        Arc::new(SystemClock),
    );
    let err = bad_id.get_access_token().await.unwrap_err();
    assert_eq!(
        ebaas::EbaasGetAccessTokenError::of(&err),
        Some(ebaas::EbaasGetAccessTokenError::InvalidClientId)
    );
    assert_eq!(
        err.to_string(),
        "ebaas.get_access_token: provider error 403006: client_id不正确"
    );
    assert_eq!(err.documented().map(|d| d.variant), Some("InvalidClientId"));

    let bad_secret = ebaas_with(
        &fake,
        c::EBAAS_CLIENT_ID,
        "wrong-secret",
        Arc::new(SystemClock),
    );
    let err = bad_secret.get_access_token_cached().await.unwrap_err();
    assert_eq!(
        ebaas::EbaasGetAccessTokenError::of(&err),
        Some(ebaas::EbaasGetAccessTokenError::InvalidClientSecret)
    );
    assert!(!err.is_retryable());

    // Missing parameter: an empty client id is sent and the provider names it.
    let empty = ebaas_with(&fake, "", c::EBAAS_CLIENT_SECRET, Arc::new(SystemClock));
    let err = empty.get_access_token().await.unwrap_err();
    assert_eq!(
        ebaas::EbaasGetAccessTokenError::of(&err),
        // `400` is documented on getServiceTicket's page, not on this endpoint's: it keeps
        // the code, not another endpoint's meaning.
        Some(ebaas::EbaasGetAccessTokenError::Other("400".into()))
    );
    assert!(err.to_string().contains("参数[client_id]不能为空"), "{err}");

    // Unparsable body: the same endpoint sent as a form instead of JSON.
    static AS_FORM: auth_runtime::EndpointSpec = auth_runtime::EndpointSpec {
        encoding: auth_runtime::spec::Encoding::Form,
        ..ebaas::EbaasClient::GET_SERVICE_TICKET
    };
    let client = ebaas(&fake);
    let before = fake.count("/oauth/getAccessToken");
    let err = client
        .session()
        .call(&AS_FORM, &Params::new())
        .await
        .unwrap_err();
    assert_eq!(
        ebaas::EbaasGetServiceTicketError::of(&err),
        Some(ebaas::EbaasGetServiceTicketError::UnparsableBody)
    );
    assert_eq!(
        fake.count("/oauth/getAccessToken") - before,
        1,
        "the access token was fetched for the call"
    );
}

#[tokio::test]
async fn ebaas_invalid_access_token_is_replaced_once() {
    let fake = fake().await;
    let client = ebaas(&fake);
    client.get_access_token_cached().await.unwrap();
    fake.revoke_all(Provider::Ebaas);
    // 401003 on the ticket call: the access token is invalidated (it is the one that failed),
    // fetched again, and the ticket call retried once.
    let ticket = client.get_service_ticket_cached().await.unwrap();
    assert!(ticket.expose_secret().starts_with("ST-"));
    assert_eq!(fake.count("/oauth/getAccessToken"), 2);
    assert_eq!(fake.count("/oauth/getServiceTicket"), 2);
    // Revoked again while the new one is revoked too: one retry only, then the error.
    fake.revoke_all(Provider::Ebaas);
    fake.faults().clear();
    let before = fake.count("/oauth/getServiceTicket");
    let ok = client.get_service_ticket_cached().await;
    assert!(ok.is_ok(), "a fresh access token is valid again: {ok:?}");
    assert_eq!(
        fake.count("/oauth/getServiceTicket") - before,
        2,
        "never more than one retry"
    );
}

#[tokio::test]
async fn use_limited_tickets_are_used_once_then_replaced() {
    let fake = fake().await;
    let client = ebaas(&fake);
    let http = reqwest::Client::new();
    for round in 1..=3u64 {
        let ticket = client.get_service_ticket_cached().await.unwrap();
        assert_eq!(ticket.uses_left(), Some(0), "the one use was handed out");
        let ok = http
            .get(fake.url("/ebaas/resource"))
            .header("X-Service-Ticket", ticket.expose_secret())
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let again = http
            .get(fake.url("/ebaas/resource"))
            .header("X-Service-Ticket", ticket.expose_secret())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 401, "the provider refuses a second use");
        assert_eq!(
            fake.count("/oauth/getServiceTicket"),
            round,
            "a new ticket per use"
        );
    }
    assert_eq!(
        fake.count("/oauth/getAccessToken"),
        1,
        "the access token is reused"
    );
}

#[tokio::test]
async fn appauth_token_and_hello_with_the_token_filled_in() {
    let fake = fake().await;
    let client = appauth_with(&fake, c::APPAUTH_APP_SECRET);
    let response = client.get_access_token().await.unwrap();
    assert_eq!(response.success, Some(true));
    let result = response.result.expect("result");
    assert!(result.expires_in.unwrap_or_default() > 0);
    assert!(result.expire_time.expect("expireTime").ends_with("+08:00"));
    let hello = client.hello().await.unwrap();
    assert_eq!(
        (hello.result.as_deref(), hello.success),
        (Some("hello"), Some(true))
    );
    // hello needed a token; the cache fetched one (the raw call above does not fill the cache).
    assert_eq!(fake.count("/auth/getAccessToken"), 2);
    client.hello().await.unwrap();
    assert_eq!(fake.count("/auth/getAccessToken"), 2, "cached");

    // Revoked: hello answers 401, the token is replaced and hello retried once.
    fake.revoke_all(Provider::Appauth);
    assert_eq!(
        client.hello().await.unwrap().result.as_deref(),
        Some("hello")
    );
    assert_eq!(fake.count("/auth/getAccessToken"), 3);
    assert_eq!(fake.count("/auth/hello"), 4);

    let err = appauth_with(&fake, "wrong")
        .get_access_token()
        .await
        .unwrap_err();
    assert_eq!(
        appauth::AppauthGetAccessTokenError::of(&err),
        Some(appauth::AppauthGetAccessTokenError::Other("401".into()))
    );
    assert!(
        matches!(err, Error::Provider { .. }),
        "success == false is a provider error: {err}"
    );
}

#[tokio::test]
async fn anyweb_form_as_the_manifest_settled_and_json_as_the_page_said() {
    let fake = fake().await;
    let client = anyweb(&fake);
    let response = client.service_token().await.unwrap();
    assert_eq!(response.code, Some(1000));
    assert_eq!(response.data.and_then(|d| d.expires_in), Some(7200));
    // What the page's caution box said: JSON. The server wants a form.
    static AS_JSON: auth_runtime::EndpointSpec = auth_runtime::EndpointSpec {
        encoding: auth_runtime::spec::Encoding::Json,
        ..anyweb::AnywebClient::SERVICE_TOKEN
    };
    let err = client
        .session()
        .call(&AS_JSON, &Params::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Provider { code, .. } if code == "4001"),
        "{err}"
    );
    // The same form as multipart/form-data: accepted, a token issued.
    static AS_MULTIPART: auth_runtime::EndpointSpec = auth_runtime::EndpointSpec {
        encoding: auth_runtime::spec::Encoding::Multipart,
        ..anyweb::AnywebClient::SERVICE_TOKEN
    };
    let body = client
        .session()
        .call(&AS_MULTIPART, &Params::new())
        .await
        .unwrap();
    assert_eq!(body["code"], 1000, "{body}");
    assert!(
        body["data"]["serviceToken"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert_eq!(fake.count("/service/serviceToken"), 3);
}

#[tokio::test]
async fn coupang_bearer_token_is_never_doubled() {
    let fake = fake().await;
    let client = coupang(&fake);
    let response = client.get_token().await.unwrap();
    assert_eq!(
        (response.status_code, response.expires_in),
        (Some(200), Some(3600))
    );
    let token = client.get_token_cached().await.unwrap();
    assert!(token.expose_secret().starts_with("Bearer "));
    assert_eq!(
        token.authorization(),
        token.expose_secret(),
        "already carries its scheme"
    );
    let url = fake.url("/product/get?id=1");
    let response = client
        .session()
        .send_authorized("get_token", |http| http.get(&url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.text().await.unwrap(),
        "Ok!You successfully caught me. The Id is 1"
    );
    // Revoked early: 401, invalidate, refetch, retry once.
    fake.revoke_all(Provider::Coupang);
    let response = client
        .session()
        .send_authorized("get_token", |http| http.get(&url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(fake.count("/oauth/token/get"), 3);
    assert_eq!(fake.count("/product/get"), 3);

    let bad = coupang_with(
        &fake,
        "stranger",
        c::COUPANG_APP_SECRET,
        Arc::new(SystemClock),
        http(),
    );
    let err = bad.get_token().await.unwrap_err();
    assert_eq!(
        coupang::CoupangGetTokenError::of(&err),
        Some(coupang::CoupangGetTokenError::Unauthorized)
    );
    let bad = coupang_with(
        &fake,
        c::COUPANG_APP_ID,
        "wrong",
        Arc::new(SystemClock),
        http(),
    );
    let err = bad.get_token().await.unwrap_err();
    assert_eq!(
        coupang::CoupangGetTokenError::of(&err),
        Some(coupang::CoupangGetTokenError::Forbidden)
    );
    let failing = coupang_with(
        &fake,
        c::COUPANG_SERVER_ERROR_APP_ID,
        c::COUPANG_APP_SECRET,
        Arc::new(SystemClock),
        http(),
    );
    let err = failing.get_token().await.unwrap_err();
    assert_eq!(
        coupang::CoupangGetTokenError::of(&err),
        Some(coupang::CoupangGetTokenError::ServerError)
    );
    assert_eq!(
        coupang::CoupangGetTokenError::ServerError.message(),
        Some("服务错误")
    );
    // A hand-built request missing `app_secret` (a generated client cannot build one: the
    // field is required) is sent as it is, and the documented 400 comes back typed.
    let params = Params::new().text("app_id", c::COUPANG_APP_ID);
    let err = http()
        .call(
            &coupang::CoupangClient::GET_TOKEN,
            &fake.base_url(),
            &params,
        )
        .await
        .unwrap_err();
    assert_eq!(
        coupang::CoupangGetTokenError::of(&err),
        Some(coupang::CoupangGetTokenError::BadRequest),
        "{err}"
    );
    // 3 above, three error answers, the request without the secret.
    assert_eq!(fake.count("/oauth/token/get"), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_tasks_one_request_at_the_fake() {
    let fake = fake().await;
    let clock = Arc::new(ManualClock::starting_now());
    let client = Arc::new(coupang_with(
        &fake,
        c::COUPANG_APP_ID,
        c::COUPANG_APP_SECRET,
        clock.clone(),
        http(),
    ));
    let burst = |client: Arc<coupang::CoupangClient>| async move {
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let c = Arc::clone(&client);
                tokio::spawn(async move {
                    c.get_token_cached()
                        .await
                        .map(|t| t.expose_secret().to_owned())
                })
            })
            .collect();
        let mut values = Vec::new();
        for t in tasks {
            values.push(t.await.unwrap().unwrap());
        }
        values
    };
    let first = burst(Arc::clone(&client)).await;
    assert_eq!(
        fake.count("/oauth/token/get"),
        1,
        "cold cache: one fetch for 1,000 tasks"
    );
    assert!(first.iter().all(|v| *v == first[0]));
    burst(Arc::clone(&client)).await;
    assert_eq!(fake.count("/oauth/token/get"), 1, "fresh token: no request");
    // The refresh is due (past 80 % of 3600 s) but the token still valid.
    clock.advance(SignedDuration::from_secs(2900));
    burst(Arc::clone(&client)).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(fake.count("/oauth/token/get"), 2, "one background refresh");
    // Expired: everyone waits for one fetch.
    clock.advance(SignedDuration::from_secs(7200));
    let after = burst(Arc::clone(&client)).await;
    assert_eq!(fake.count("/oauth/token/get"), 3);
    assert!(after.iter().all(|v| *v == after[0]));
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_before_any_request() {
    let err = coupang::Coupang {
        app_id: "a".into(),
        app_secret: SecretString::from("b"),
    }
    .session_builder(http(), "test", "http://testapi.coupang.blsct.com")
    .build()
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("refusing plain HTTP to testapi.coupang.blsct.com"),
        "{err}"
    );
    let allowed = auth_runtime::Client::new(auth_runtime::ClientConfig {
        allow_insecure_http: true,
        ..Default::default()
    })
    .unwrap();
    assert!(
        coupang::Coupang {
            app_id: "a".into(),
            app_secret: SecretString::from("b")
        }
        .session_builder(allowed, "test", "http://testapi.coupang.blsct.com")
        .build()
        .is_ok()
    );
}

/// appauth's token endpoint as a descriptor with `token_invalidates_previous = true` would
/// generate it.
static APPAUTH_INVALIDATING: auth_runtime::EndpointSpec = auth_runtime::EndpointSpec {
    token: Some(auth_runtime::spec::TokenSpec {
        path: "result.accessToken",
        header: false,
        presentation: auth_runtime::spec::Presentation::Authorization { scheme: "Bearer" },
        scheme_included: None,
        invalidates_previous: true,
    }),
    ..appauth::AppauthClient::GET_ACCESS_TOKEN
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_token_is_served_while_refreshing_unless_fetches_invalidate_it() {
    let fake = fake_providers::FakeProviders::start(
        fake_providers::Config::default().with_invalidate_previous(Provider::Appauth, true),
    )
    .await
    .unwrap();
    let credentials = Params::new()
        .text("appId", c::APPAUTH_APP_ID)
        .secret("appSecret", SecretString::from(c::APPAUTH_APP_SECRET));
    for (spec, invalidating) in [
        (&appauth::AppauthClient::GET_ACCESS_TOKEN, false),
        (&APPAUTH_INVALIDATING, true),
    ] {
        let specs: &'static [&'static auth_runtime::EndpointSpec] = Box::leak(Box::new([spec]));
        let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
        let session = auth_runtime::Session::builder(http(), specs, "test", fake.base_url())
            .credentials(credentials.clone())
            .clock(clock.clone())
            .build()
            .unwrap();
        let first = session.token("get_access_token").await.unwrap();
        // Past the refresh time (80 % of 7200 s), well before expiry.
        clock.advance(SignedDuration::from_secs(6000));
        let fetched_before = fake.count("/auth/getAccessToken");
        let second = session.token("get_access_token").await.unwrap();
        if invalidating {
            // Serving it would hand out a token the refresh is about to revoke: wait instead.
            assert!(!second.same_as(&first), "a fresh token, not the due one");
            assert_eq!(fake.count("/auth/getAccessToken"), fetched_before + 1);
        } else {
            assert!(second.same_as(&first), "the due token, served at once");
        }
    }
}
