//! Captures every tracing event (at TRACE) and every error/Debug string produced while the
//! generated clients run against the fake providers — successes, documented errors, faults,
//! revocations — and finds no client secret and no token value in any of it.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::sync::Arc;

use auth_runtime::{ExposeSecret, SystemClock};
use common::*;
use fake_providers::{LogCapture, Provider, credentials as c};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_errors_or_debug_output() {
    let capture = LogCapture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let fake = fake().await;
    let mut secrets: Vec<String> = [
        c::EBAAS_CLIENT_SECRET,
        c::APPAUTH_APP_SECRET,
        c::ANYWEB_SECRET,
        c::COUPANG_APP_SECRET,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    secrets.push("login-token-of-a-user-0123456789".to_owned());
    let mut outputs: Vec<String> = Vec::new();
    let mut record = |text: String| outputs.push(text);

    // Successes through every endpoint.
    let e = ebaas(&fake);
    let access = e.get_access_token().await.unwrap();
    record(format!("{access:?}"));
    secrets.push(
        access
            .data
            .unwrap()
            .access_token
            .unwrap()
            .expose_secret()
            .to_owned(),
    );
    let ticket = e.get_service_ticket_cached().await.unwrap();
    record(format!("{ticket:?} {e:?}"));
    secrets.push(ticket.expose_secret().to_owned());
    secrets.push(
        e.get_access_token_cached()
            .await
            .unwrap()
            .expose_secret()
            .to_owned(),
    );
    let a = appauth_with(&fake, c::APPAUTH_APP_SECRET);
    record(format!("{:?}", a.hello().await.unwrap()));
    secrets.push(
        a.get_access_token_cached()
            .await
            .unwrap()
            .expose_secret()
            .to_owned(),
    );
    let w = anyweb(&fake);
    secrets.push(
        w.service_token_cached()
            .await
            .unwrap()
            .expose_secret()
            .to_owned(),
    );
    let k = coupang(&fake);
    let token = k.get_token_cached().await.unwrap();
    record(format!("{token:?} {k:?} {:?}", k.session()));
    secrets.push(
        token
            .expose_secret()
            .trim_start_matches("Bearer ")
            .to_owned(),
    );

    // Revocations and recoveries.
    fake.revoke_all(Provider::Ebaas);
    secrets.push(
        e.get_service_ticket_cached()
            .await
            .unwrap()
            .expose_secret()
            .to_owned(),
    );
    secrets.push(
        e.get_access_token_cached()
            .await
            .unwrap()
            .expose_secret()
            .to_owned(),
    );
    fake.revoke_all(Provider::Appauth);
    record(format!("{:?}", a.hello().await.unwrap()));
    secrets.push(
        a.get_access_token_cached()
            .await
            .unwrap()
            .expose_secret()
            .to_owned(),
    );

    // Errors: documented codes, faults on GET (secret in the query string) and POST.
    let errors = vec![
        ebaas_with(
            &fake,
            c::EBAAS_CLIENT_ID,
            "wrong-secret-value",
            Arc::new(SystemClock),
        )
        .get_access_token()
        .await
        .unwrap_err(),
        appauth_with(&fake, "another-wrong-secret")
            .get_access_token()
            .await
            .unwrap_err(),
        {
            fake.faults().malformed_json(None, 3);
            ebaas(&fake).get_access_token_cached().await.unwrap_err()
        },
        {
            fake.faults().clear();
            fake.faults().html_error(None, 3);
            coupang(&fake).get_token_cached().await.unwrap_err()
        },
        {
            fake.faults().clear();
            fake.faults().fail_5xx(None, 3);
            appauth_with(&fake, c::APPAUTH_APP_SECRET)
                .get_access_token_cached()
                .await
                .unwrap_err()
        },
    ];
    fake.faults().clear();
    secrets.push("wrong-secret-value".to_owned());
    secrets.push("another-wrong-secret".to_owned());
    for err in &errors {
        record(format!("{err} {err:?}"));
    }

    let log = capture.text();
    assert!(
        log.contains("authgen.fetch"),
        "the capture saw the fetch spans:\n{log}"
    );
    assert!(
        log.contains("call failed"),
        "the capture saw the failures:\n{log}"
    );
    assert!(secrets.len() >= 15);
    for secret in &secrets {
        assert!(secret.len() >= 10, "a meaningful secret: {secret}");
        assert!(
            !log.contains(secret.as_str()),
            "a secret leaked into the logs"
        );
        for output in &outputs {
            assert!(
                !output.contains(secret.as_str()),
                "a secret leaked into: {output}"
            );
        }
    }
}
