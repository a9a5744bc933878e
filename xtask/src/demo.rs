//! `cargo xtask demo` and `cargo xtask serve`: the fake providers, and the generated clients
//! against them — fetch and cache, refresh, a burst served by one fetch, a ticket used up, a
//! 401 recovered, a wrong secret — in a few seconds, with no network and no credentials.

use std::sync::Arc;
use std::time::{Duration, Instant};

use auth_runtime::{Client, ClientConfig, Error, SecretString, Token};
use embedded_clients::{anyweb, appauth, coupang, ebaas};
use fake_providers::{Config, FakeProviders, Provider, credentials as c};

/// Runs the fake providers in the foreground until the process is stopped.
pub fn serve(port: u16) -> Result<(), String> {
    runtime()?.block_on(async {
        fake_providers::serve_forever(Config::default(), port, |server| {
            println!("fake providers listening on {}", server.base_url());
            println!("  ebaas    GET  /oauth/getAccessToken?client_id={}&client_secret={}", c::EBAAS_CLIENT_ID, c::EBAAS_CLIENT_SECRET);
            println!("  ebaas    POST /oauth/getServiceTicket   GET /ebaas/resource (X-Service-Ticket)");
            println!("  appauth  GET  /auth/getAccessToken?appId={}&appSecret={}   GET /auth/hello?accessToken=", c::APPAUTH_APP_ID, c::APPAUTH_APP_SECRET);
            println!("  anyweb   POST /service/serviceToken (form: appid={}, secret={})", c::ANYWEB_APPID, c::ANYWEB_SECRET);
            println!("  coupang  POST /oauth/token/get (JSON: app_id={}, app_secret={})   GET /product/get?id=1", c::COUPANG_APP_ID, c::COUPANG_APP_SECRET);
            println!("press Ctrl-C to stop");
        })
        .await
        .map_err(|e| format!("fake providers stopped: {e}"))
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// The demo: a table of tokens, then five scenes.
pub fn demo() -> Result<(), String> {
    runtime()?
        .block_on(run())
        .map_err(|e| format!("demo failed: {e}"))
}

fn http() -> Result<Client, Error> {
    Client::new(ClientConfig {
        retry_base_delay: Duration::from_millis(50),
        ..ClientConfig::default()
    })
    .map_err(|e| Error::Config {
        at: auth_runtime::At {
            provider: "demo",
            endpoint: "-",
        },
        message: e.to_string(),
    })
}

fn expires_in(token: &Token) -> String {
    let secs = token
        .expires_at()
        .duration_since(jiff::Timestamp::now())
        .as_secs()
        .max(0);
    match secs {
        3600.. => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
        60.. => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{secs}s"),
    }
}

async fn run() -> Result<(), Error> {
    let started = Instant::now();
    // anyweb tokens live 4 s here so a refresh happens during the demo.
    let config = Config::default().with_lifetime(Provider::Anyweb, Duration::from_secs(4));
    let fake = FakeProviders::start(config)
        .await
        .map_err(|e| Error::Config {
            at: auth_runtime::At {
                provider: "demo",
                endpoint: "-",
            },
            message: format!("cannot start the fake providers: {e}"),
        })?;
    let base = fake.base_url();
    println!("authgen demo: fake providers on {base} (loopback only, demo credentials)\n");

    let e = ebaas::Ebaas {
        client_id: c::EBAAS_CLIENT_ID.into(),
        client_secret: SecretString::from(c::EBAAS_CLIENT_SECRET),
        token: SecretString::from("demo-login-token-for-service-tickets"),
    }
    .session_builder(http()?, "test", &base)
    .build()
    .map(ebaas::EbaasClient::from_session)?;
    let a = appauth::Appauth {
        app_id: c::APPAUTH_APP_ID.into(),
        app_secret: SecretString::from(c::APPAUTH_APP_SECRET),
    }
    .session_builder(http()?, "test", &base)
    .build()
    .map(appauth::AppauthClient::from_session)?;
    let w = anyweb::Anyweb {
        appid: c::ANYWEB_APPID.into(),
        secret: SecretString::from(c::ANYWEB_SECRET),
    }
    .session_builder(http()?, "test", &base)
    .build()
    .map(anyweb::AnywebClient::from_session)?;
    let k = coupang::Coupang {
        app_id: c::COUPANG_APP_ID.into(),
        app_secret: SecretString::from(c::COUPANG_APP_SECRET),
    }
    .session_builder(http()?, "test", &base)
    .build()
    .map(coupang::CoupangClient::from_session)?;

    let rows: Vec<(&str, &str, &str, Token)> = vec![
        (
            "ebaas",
            "get_access_token",
            "/oauth/getAccessToken",
            e.get_access_token_cached().await?,
        ),
        (
            "ebaas",
            "get_service_ticket",
            "/oauth/getServiceTicket",
            e.get_service_ticket_cached().await?,
        ),
        (
            "appauth",
            "get_access_token",
            "/auth/getAccessToken",
            a.get_access_token_cached().await?,
        ),
        (
            "anyweb",
            "service_token",
            "/service/serviceToken",
            w.service_token_cached().await?,
        ),
        (
            "coupang",
            "get_token",
            "/oauth/token/get",
            k.get_token_cached().await?,
        ),
    ];
    // A second round comes from the caches: the upstream counts do not move.
    e.get_access_token_cached().await?;
    a.get_access_token_cached().await?;
    k.get_token_cached().await?;
    println!(
        "{:<9} {:<20} {:<14} {:<11} upstream calls",
        "provider", "endpoint", "token prefix", "expires in"
    );
    for (provider, endpoint, path, token) in &rows {
        let prefix = if token.expose_secret().starts_with("Bearer ") {
            format!("Bearer {}", token.display_prefix())
        } else {
            token.display_prefix()
        };
        println!(
            "{provider:<9} {endpoint:<20} {prefix:<14} {:<11} {}",
            expires_in(token),
            fake.count(path)
        );
    }

    println!(
        "\nprotected call: appauth.hello() takes no token argument; the generated method fills `accessToken` from the cache"
    );
    let hello = a.hello().await?;
    println!(
        "   hello answered {:?}; getAccessToken calls: {} (the cached token was used)",
        hello.result.as_deref().unwrap_or(""),
        fake.count("/auth/getAccessToken")
    );

    println!(
        "\n1. refresh: anyweb tokens live 4 s here; the cache refreshes early, in the background"
    );
    let first = w.service_token_cached().await?;
    tokio::time::sleep(Duration::from_millis(3300)).await;
    let still = w.service_token_cached().await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refreshed = w.service_token_cached().await?;
    println!(
        "   at 3.3 s the old token was served at once ({}), one background fetch replaced it ({}); upstream calls: {}",
        if still.same_as(&first) {
            "same token"
        } else {
            "already new"
        },
        if refreshed.same_as(&first) {
            "not yet"
        } else {
            "new token"
        },
        fake.count("/service/serviceToken")
    );

    println!("\n2. burst: 500 concurrent callers on a cold cache");
    let cold = Arc::new(
        coupang::Coupang {
            app_id: c::COUPANG_APP_ID.into(),
            app_secret: SecretString::from(c::COUPANG_APP_SECRET),
        }
        .session_builder(http()?, "burst", &base)
        .build()
        .map(coupang::CoupangClient::from_session)?,
    );
    let before = fake.count("/oauth/token/get");
    let tasks: Vec<_> = (0..500)
        .map(|_| {
            let client = Arc::clone(&cold);
            tokio::spawn(async move {
                client
                    .get_token_cached()
                    .await
                    .map(|t| t.expose_secret().len())
            })
        })
        .collect();
    let mut served = 0;
    for task in tasks {
        if matches!(task.await, Ok(Ok(_))) {
            served += 1;
        }
    }
    println!(
        "   {served} callers served by {} upstream request(s)",
        fake.count("/oauth/token/get") - before
    );

    println!(
        "\n3. ticket used up: an ebaas service ticket allows {} use",
        rows[1].3.uses_left().map_or(1, |u| u + 1)
    );
    let resource = fake.url("/ebaas/resource");
    let plain = reqwest::Client::new();
    let ticket = e.get_service_ticket_cached().await?;
    let used = plain
        .get(&resource)
        .header("X-Service-Ticket", ticket.expose_secret())
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    let reused = plain
        .get(&resource)
        .header("X-Service-Ticket", ticket.expose_secret())
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    let next = e.get_service_ticket_cached().await?;
    println!(
        "   first use: HTTP {used}; the same ticket again: HTTP {reused}; the cache hands out a new one ({}); getServiceTicket calls: {}",
        if next.same_as(&ticket) {
            "same!"
        } else {
            "different ticket"
        },
        fake.count("/oauth/getServiceTicket")
    );

    println!("\n4. 401 recovered: the provider revokes every coupang token early");
    fake.revoke_all(Provider::Coupang);
    let before = fake.count("/oauth/token/get");
    let url = fake.url("/product/get?id=1");
    let response = k
        .session()
        .send_authorized("get_token", |http| http.get(&url))
        .await?;
    println!(
        "   protected call got 401, token invalidated (it was the one that failed), {} refetch, retried once: HTTP {}",
        fake.count("/oauth/token/get") - before,
        response.status().as_u16()
    );

    println!("\n5. wrong secret");
    let wrong = ebaas::Ebaas {
        client_id: c::EBAAS_CLIENT_ID.into(),
        client_secret: SecretString::from("not-the-secret"),
        token: SecretString::from("demo-login-token-for-service-tickets"),
    }
    .session_builder(http()?, "test", &base)
    .build()
    .map(ebaas::EbaasClient::from_session)?;
    match wrong.get_access_token_cached().await {
        Ok(_) => println!("   unexpected success"),
        Err(err) => println!(
            "   {err}\n   typed: {:?}, retryable: {} (the secret appears nowhere in this output)",
            ebaas::EbaasGetAccessTokenError::of(&err),
            err.is_retryable()
        ),
    }
    println!("\ndone in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
