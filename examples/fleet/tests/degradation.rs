//! Redis going away is logged once, its return once, and neither log line nor any other shows
//! a token.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Duration;

use auth_runtime::{CacheKey, ExposeSecret, RedisStore, SecretString, StoredToken, TokenStore};
use common::*;
use fake_providers::LogCapture;
use jiff::{SignedDuration, Timestamp};

// Current-thread runtime: the subscriber set for this thread sees every event of the test.
#[tokio::test]
async fn degradation_and_recovery_are_logged_once_each_without_secrets() {
    let Some(mut server) = RedisServer::start("degradation_and_recovery_are_logged_once") else {
        return;
    };
    let capture = LogCapture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let store = RedisStore::builder(server.url())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let key = CacheKey {
        provider: "appauth",
        endpoint: "get_access_token",
        environment: "test".into(),
        subject: "demo-app".into(),
    };
    let secret_token = "tok-3b1f9c-very-secret-value";
    let token = || StoredToken {
        value: SecretString::from(secret_token),
        issued_at: Timestamp::now(),
        expires_at: Timestamp::now() + SignedDuration::from_secs(60),
    };
    assert!(store.save(&key, token()).await);
    assert!(!store.is_degraded());

    server.kill();
    for _ in 0..5 {
        assert!(
            store.load(&key, Timestamp::now()).await.is_none(),
            "fails open: nothing stored"
        );
    }
    assert!(
        store.save(&key, token()).await,
        "fails open: the caller keeps its token"
    );
    assert!(store.is_degraded());

    server.restart();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    // Redis restarted empty: a save is needed before a load finds anything.
    while !store.save(&key, token()).await || store.is_degraded() {
        assert!(
            std::time::Instant::now() < deadline,
            "the store never reconnected"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let loaded = store.load(&key, Timestamp::now()).await.unwrap();
    assert_eq!(loaded.value.expose_secret(), secret_token);
    assert!(store.load(&key, Timestamp::now()).await.is_some());

    let logs = capture.text();
    assert_eq!(logs.matches("Redis is unreachable").count(), 1, "{logs}");
    assert_eq!(
        logs.matches("Redis is reachable again").count(),
        1,
        "{logs}"
    );
    assert!(!logs.contains(secret_token), "{logs}");
    assert!(!format!("{store:?}").contains(secret_token));
}
