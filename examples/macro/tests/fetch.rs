//! The macro-generated clients fetch a token through every seed endpoint of the fake providers
//! (the same scenarios as the embedded source's tests, on the code the macro writes).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use auth_runtime::SecretString;
use fake_providers::{Config, FakeProviders, credentials as c};
use macro_clients::{anyweb, appauth, coupang, ebaas};

#[tokio::test]
async fn every_seed_endpoint_through_the_macro_clients() {
    let fake = FakeProviders::start(Config::default()).await.unwrap();
    let base = fake.base_url();

    let e = ebaas::Ebaas {
        client_id: c::EBAAS_CLIENT_ID.into(),
        client_secret: SecretString::from(c::EBAAS_CLIENT_SECRET),
        token: SecretString::from("login-token"),
    }
    .with_base_url(&base)
    .unwrap();
    assert_eq!(
        e.get_access_token().await.unwrap().code.as_deref(),
        Some("000")
    );
    assert!(
        e.get_access_token_cached()
            .await
            .unwrap()
            .expose_secret()
            .contains('.')
    );
    assert!(
        e.get_service_ticket_cached()
            .await
            .unwrap()
            .expose_secret()
            .starts_with("ST-")
    );
    assert_eq!(
        e.get_service_ticket()
            .await
            .unwrap()
            .data
            .and_then(|d| d.number_of_uses),
        Some(1)
    );

    let a = appauth::Appauth {
        app_id: c::APPAUTH_APP_ID.into(),
        app_secret: SecretString::from(c::APPAUTH_APP_SECRET),
    }
    .with_base_url(&base)
    .unwrap();
    assert_eq!(a.get_access_token().await.unwrap().success, Some(true));
    assert_eq!(a.hello().await.unwrap().result.as_deref(), Some("hello"));

    let w = anyweb::Anyweb {
        appid: c::ANYWEB_APPID.into(),
        secret: SecretString::from(c::ANYWEB_SECRET),
    }
    .with_base_url(&base)
    .unwrap();
    assert_eq!(w.service_token().await.unwrap().code, Some(1000));
    assert!(
        !w.service_token_cached()
            .await
            .unwrap()
            .expose_secret()
            .is_empty()
    );

    let k = coupang::Coupang {
        app_id: c::COUPANG_APP_ID.into(),
        app_secret: SecretString::from(c::COUPANG_APP_SECRET),
    }
    .with_base_url(&base)
    .unwrap();
    assert_eq!(k.get_token().await.unwrap().status_code, Some(200));
    assert!(
        k.get_token_cached()
            .await
            .unwrap()
            .authorization()
            .starts_with("Bearer ey")
    );

    for path in [
        "/oauth/getAccessToken",
        "/oauth/getServiceTicket",
        "/auth/getAccessToken",
        "/auth/hello",
        "/service/serviceToken",
        "/oauth/token/get",
    ] {
        assert!(fake.count(path) >= 1, "{path} was called");
    }
}

#[tokio::test]
async fn environment_constructors_point_at_the_documented_hosts() {
    // No request is made: the constructors only build sessions on the page's hosts.
    let e = ebaas::Ebaas {
        client_id: "x".into(),
        client_secret: SecretString::from("y"),
        token: SecretString::from("z"),
    };
    assert_eq!(
        e.test().unwrap().session().base_url(),
        "https://test-etc.ebaas.com"
    );
    let w = anyweb::Anyweb {
        appid: "x".into(),
        secret: SecretString::from("y"),
    };
    assert_eq!(
        w.prod().unwrap().session().base_url(),
        "https://api.anyweb.cc"
    );
}
