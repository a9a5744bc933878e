//! Loopback HTTP servers that behave like the four seed token providers as their pages describe
//! them (ebaas, appauth, anyweb, coupang), for end-to-end tests of the token-client runtime and
//! for demos.
//!
//! One [`FakeProviders`] server on `127.0.0.1` serves all four (their paths do not collide). It
//! keeps a table of issued tokens so protected calls can reject expired, revoked or superseded
//! ones, counts requests per path, and has [`Faults`] switches that make the next N requests fail
//! in the ways real gateways do.
//!
//! These four are written by hand from the pages, on purpose: they are the independent witness
//! of what the readers extract. A fake built from the descriptor ([`DescribedFake`], which serves
//! any other provider) agrees with whatever the readers made of a page, so it cannot catch a
//! misread fact; these do (coupang's fake accepts only the `app_secret` its sample sends, not the
//! table's `app_key`). Everything else is shared: both kinds take the same [`Faults`] switches
//! and run on the same shutdown handle.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use fake_providers::{Config, FakeProviders};
//! let server = FakeProviders::start(Config::default()).await?;
//! let url = server.url("/oauth/getAccessToken?client_id=demo-client&client_secret=demo-secret");
//! server.faults().fail_5xx(Some("/oauth/getAccessToken"), 1);
//! // ... point a client at `url` ...
//! assert_eq!(server.count("/oauth/getAccessToken"), 0);
//! # Ok(()) }
//! ```
//!
//! Routes:
//!
//! | provider | method and path | auth |
//! |---|---|---|
//! | ebaas | `GET /oauth/getAccessToken?client_id&client_secret` | credentials |
//! | ebaas | `POST /oauth/getServiceTicket` JSON `{access_token, token}` | access token |
//! | ebaas | `GET /ebaas/resource`, header `X-Service-Ticket` | ticket (use-limited) |
//! | appauth | `GET /auth/getAccessToken?appId&appSecret` | credentials |
//! | appauth | `GET /auth/hello?accessToken` | access token |
//! | anyweb | `POST /service/serviceToken` form `appid`, `secret` | credentials |
//! | coupang | `POST /oauth/token/get` JSON `{app_id, app_secret}` | credentials |
//! | coupang | `GET /product` | none |
//! | coupang | `GET /product/get?id`, header `Authorization: Bearer <jwt>` | access token |

#![forbid(unsafe_code)]

mod anyweb;
mod appauth;
mod capture;
mod config;
mod coupang;
pub mod described;
mod ebaas;
mod faults;
mod request;
mod serving;
mod state;
mod time;
mod token;

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;

pub use capture::LogCapture;
pub use config::{Config, Provider, ProviderConfig};
pub use described::{Captured, DescribedFake};
pub use faults::{
    Faults, HTML_ERROR_BODY, MALFORMED_JSON_BODY, OVERSIZED_LEN, RATE_LIMITED_BODY,
    SERVICE_UNAVAILABLE_BODY,
};
pub use state::IssuedRecord;

use serving::Served;
use state::AppState;

/// The demo credentials each fake accepts; anything else gets the provider's documented error.
pub mod credentials {
    /// ebaas `client_id`.
    pub const EBAAS_CLIENT_ID: &str = "demo-client";
    /// ebaas `client_secret`.
    pub const EBAAS_CLIENT_SECRET: &str = "demo-secret";
    /// appauth `appId`.
    pub const APPAUTH_APP_ID: &str = "demo-app";
    /// appauth `appSecret`.
    pub const APPAUTH_APP_SECRET: &str = "demo-app-secret";
    /// anyweb `appid`.
    pub const ANYWEB_APPID: &str = "demo-appid";
    /// anyweb `secret`.
    pub const ANYWEB_SECRET: &str = "demo-anyweb-secret";
    /// coupang `app_id` (the page's own test credentials).
    pub const COUPANG_APP_ID: &str = "coupang";
    /// coupang `app_secret` (the page's own test credentials).
    pub const COUPANG_APP_SECRET: &str = "coupangTest";
    /// A coupang `app_id` the fake answers with the page's documented service error
    /// (`statusCode` 500), as a provider-side failure would look.
    pub const COUPANG_SERVER_ERROR_APP_ID: &str = "coupang-server-error";
}

/// A running server with all four providers on one loopback port.
///
/// Dropping it asks the server to shut down (in-flight requests finish);
/// [`shutdown`](FakeProviders::shutdown) also waits for that.
#[derive(Debug)]
pub struct FakeProviders {
    state: Arc<AppState>,
    addr: SocketAddr,
    /// Stops the server when dropped.
    served: Served,
}

impl FakeProviders {
    /// Starts a server on `127.0.0.1` with an OS-chosen port. Must be called inside a Tokio
    /// runtime, which then runs the server.
    pub async fn start(config: Config) -> io::Result<FakeProviders> {
        Self::start_on(config, 0).await
    }

    /// Starts a server on `127.0.0.1:port` (`0`: OS-chosen).
    pub async fn start_on(config: Config, port: u16) -> io::Result<FakeProviders> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(AppState::new(config));
        let served = Served::spawn(listener, router(Arc::clone(&state)));
        Ok(FakeProviders {
            state,
            addr,
            served,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// [`base_url`](Self::base_url) followed by `path_and_query` (which starts with `/`).
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base_url())
    }

    /// Requests received for `path` (without query string), faulted ones included.
    pub fn count(&self, path: &str) -> u64 {
        self.state.count(path)
    }

    /// Requests received per path, unknown paths included.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.state.counts()
    }

    /// Sets every request counter back to zero.
    pub fn reset_counts(&self) {
        self.state.reset_counts();
    }

    /// The fault switches.
    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// "Token revoked early": every token `provider` has issued so far becomes invalid (for
    /// ebaas also every service ticket). Tokens issued afterwards are valid; appauth hands out a
    /// new one instead of repeating the revoked one.
    pub fn revoke_all(&self, provider: Provider) {
        self.state.revoke_all(provider);
    }

    /// Protected calls (ebaas `getServiceTicket` and `/ebaas/resource`, appauth `/auth/hello`,
    /// coupang `/product/get`) that presented a non-empty token or ticket which was unknown,
    /// expired, revoked, superseded or used up, over all providers.
    pub fn invalid_token_presentations(&self) -> u64 {
        self.state.invalid_presentations(None)
    }

    /// [`invalid_token_presentations`](Self::invalid_token_presentations) of one provider.
    pub fn invalid_token_presentations_of(&self, provider: Provider) -> u64 {
        self.state.invalid_presentations(Some(provider))
    }

    /// Every token `provider` issued (tickets aside), oldest first, with when it was issued and
    /// when a newer one superseded it.
    pub fn history(&self, provider: Provider) -> Vec<IssuedRecord> {
        self.state.history(provider)
    }

    /// Changes the lifetime of tokens `provider` issues from now on; issued ones keep theirs.
    pub fn set_lifetime(&self, provider: Provider, lifetime: Duration) {
        self.state.set_lifetime(provider, lifetime);
    }

    /// The current settings (with lifetimes changed by [`set_lifetime`](Self::set_lifetime)).
    pub fn config(&self) -> Config {
        self.state.config()
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server.
    pub async fn shutdown(mut self) -> io::Result<()> {
        self.served.stop();
        self.served.wait().await
    }
}

/// Runs a server on `127.0.0.1:port` (`0`: OS-chosen) in the foreground until `shutdown`
/// resolves, then shuts it down gracefully.
///
/// `on_ready` runs once the port is bound, with the running server: print its
/// [`base_url`](FakeProviders::base_url), arm faults, and so on. Nothing is printed here.
pub async fn serve_until<F>(
    config: Config,
    port: u16,
    on_ready: impl FnOnce(&FakeProviders),
    shutdown: F,
) -> io::Result<()>
where
    F: Future<Output = ()>,
{
    let mut server = FakeProviders::start_on(config, port).await?;
    on_ready(&server);
    tokio::select! {
        ended = server.served.wait() => ended,
        () = shutdown => server.shutdown().await,
    }
}

/// Runs a server on `127.0.0.1:port` in the foreground for as long as the process lives (end it
/// with Ctrl-C, whose default action terminates the process); returns only if the server fails.
/// For a custom stop signal use [`serve_until`].
pub async fn serve_forever(
    config: Config,
    port: u16,
    on_ready: impl FnOnce(&FakeProviders),
) -> io::Result<()> {
    serve_until(config, port, on_ready, std::future::pending()).await
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(ebaas::routes())
        .merge(appauth::routes())
        .merge(anyweb::routes())
        .merge(coupang::routes())
        .fallback(not_found)
        // After the routes and the fallback, so it sees every request, unknown paths included.
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            count_then_fault,
        ))
        .with_state(state)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "404 Not Found").into_response()
}

/// Counts the request, then applies whatever fault switches are armed for its path.
async fn count_then_fault(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    state.count_request(&path);
    match state.faults.apply(&path).await {
        Some(answer) => answer,
        None => next.run(req).await,
    }
}
