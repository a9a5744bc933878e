//! Shared set-up: a fake provider server and the generated clients pointed at it.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use auth_runtime::{Client, ClientConfig, Clock, SecretString, SystemClock};
use embedded_clients::{anyweb, appauth, coupang, ebaas};
use fake_providers::{Config, FakeProviders, credentials as c};

pub async fn fake() -> FakeProviders {
    FakeProviders::start(Config::default())
        .await
        .expect("fake providers start")
}

/// Short retry delays so fault tests stay fast; everything else as shipped.
pub fn http() -> Client {
    Client::new(ClientConfig {
        retry_base_delay: Duration::from_millis(20),
        ..ClientConfig::default()
    })
    .unwrap()
}

pub fn ebaas_with(
    fake: &FakeProviders,
    client_id: &str,
    secret: &str,
    clock: Arc<dyn Clock>,
) -> ebaas::EbaasClient {
    ebaas::Ebaas {
        client_id: client_id.to_owned(),
        client_secret: SecretString::from(secret),
        token: SecretString::from("login-token-of-a-user-0123456789"),
    }
    .session_builder(http(), "test", &fake.base_url())
    .clock(clock)
    .build()
    .map(ebaas::EbaasClient::from_session)
    .unwrap()
}

pub fn ebaas(fake: &FakeProviders) -> ebaas::EbaasClient {
    ebaas_with(
        fake,
        c::EBAAS_CLIENT_ID,
        c::EBAAS_CLIENT_SECRET,
        Arc::new(SystemClock),
    )
}

pub fn appauth_with(fake: &FakeProviders, secret: &str) -> appauth::AppauthClient {
    appauth::Appauth {
        app_id: c::APPAUTH_APP_ID.to_owned(),
        app_secret: SecretString::from(secret),
    }
    .session_builder(http(), "test", &fake.base_url())
    .build()
    .map(appauth::AppauthClient::from_session)
    .unwrap()
}

pub fn anyweb(fake: &FakeProviders) -> anyweb::AnywebClient {
    anyweb::Anyweb {
        appid: c::ANYWEB_APPID.to_owned(),
        secret: SecretString::from(c::ANYWEB_SECRET),
    }
    .session_builder(http(), "test", &fake.base_url())
    .build()
    .map(anyweb::AnywebClient::from_session)
    .unwrap()
}

pub fn coupang_with(
    fake: &FakeProviders,
    app_id: &str,
    secret: &str,
    clock: Arc<dyn Clock>,
    client: Client,
) -> coupang::CoupangClient {
    coupang::Coupang {
        app_id: app_id.to_owned(),
        app_secret: SecretString::from(secret),
    }
    .session_builder(client, "test", &fake.base_url())
    .clock(clock)
    .build()
    .map(coupang::CoupangClient::from_session)
    .unwrap()
}

pub fn coupang(fake: &FakeProviders) -> coupang::CoupangClient {
    coupang_with(
        fake,
        c::COUPANG_APP_ID,
        c::COUPANG_APP_SECRET,
        Arc::new(SystemClock),
        http(),
    )
}
