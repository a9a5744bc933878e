//! Which provider is which, and how long the tokens each one issues live.

use std::time::Duration;

/// One of the four faked providers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    /// e-BaaS single sign-on: `getAccessToken` (query) and `getServiceTicket` (JSON, use-limited tickets).
    Ebaas,
    /// The YApi-documented credential service: `getAccessToken` and `hello`.
    Appauth,
    /// AnyWeb open platform: `serviceToken` (form data, whatever the page says).
    Anyweb,
    /// The blsct OAuth service for Coupang apps: `token/get` and the `product` resource API.
    Coupang,
}

impl Provider {
    /// Every provider, in declaration order.
    pub fn all() -> [Provider; 4] {
        [
            Provider::Ebaas,
            Provider::Appauth,
            Provider::Anyweb,
            Provider::Coupang,
        ]
    }

    /// The provider's name as the descriptors spell it (`"ebaas"`, `"appauth"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Provider::Ebaas => "ebaas",
            Provider::Appauth => "appauth",
            Provider::Anyweb => "anyweb",
            Provider::Coupang => "coupang",
        }
    }

    /// Position in [`Provider::all`], for per-provider arrays.
    pub(crate) fn index(self) -> usize {
        match self {
            Provider::Ebaas => 0,
            Provider::Appauth => 1,
            Provider::Anyweb => 2,
            Provider::Coupang => 3,
        }
    }
}

/// Token behaviour of one provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProviderConfig {
    /// How long a freshly issued token stays valid.
    pub token_lifetime: Duration,
    /// When `true`, issuing a token invalidates every earlier token of the same provider and client
    /// ("fleet mode": two processes sharing one credential keep knocking each other out).
    pub invalidate_previous: bool,
}

impl ProviderConfig {
    fn lasting(token_lifetime: Duration) -> Self {
        ProviderConfig {
            token_lifetime,
            invalidate_previous: false,
        }
    }
}

/// Settings of a [`FakeProviders`](crate::FakeProviders) server.
///
/// The defaults are the lifetimes the pages state: ebaas access token 2 h and service ticket 60 s
/// (used once), appauth 7200 s, anyweb 7200 s, coupang 3600 s; no provider invalidates previous tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// ebaas access tokens (`/oauth/getAccessToken`).
    pub ebaas: ProviderConfig,
    /// Lifetime of an ebaas service ticket (`/oauth/getServiceTicket`).
    pub ebaas_ticket_lifetime: Duration,
    /// How many protected calls one service ticket allows (`number_of_uses`; the page's sample says 1).
    pub ebaas_ticket_uses: u32,
    /// appauth access tokens (`/auth/getAccessToken`).
    pub appauth: ProviderConfig,
    /// anyweb service tokens (`/service/serviceToken`).
    pub anyweb: ProviderConfig,
    /// coupang access tokens (`/oauth/token/get`).
    pub coupang: ProviderConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ebaas: ProviderConfig::lasting(Duration::from_secs(7200)),
            ebaas_ticket_lifetime: Duration::from_secs(60),
            ebaas_ticket_uses: 1,
            appauth: ProviderConfig::lasting(Duration::from_secs(7200)),
            anyweb: ProviderConfig::lasting(Duration::from_secs(7200)),
            coupang: ProviderConfig::lasting(Duration::from_secs(3600)),
        }
    }
}

impl Config {
    /// The token settings of `provider`.
    pub fn provider(&self, provider: Provider) -> &ProviderConfig {
        match provider {
            Provider::Ebaas => &self.ebaas,
            Provider::Appauth => &self.appauth,
            Provider::Anyweb => &self.anyweb,
            Provider::Coupang => &self.coupang,
        }
    }

    /// The token settings of `provider`, mutably.
    pub fn provider_mut(&mut self, provider: Provider) -> &mut ProviderConfig {
        match provider {
            Provider::Ebaas => &mut self.ebaas,
            Provider::Appauth => &mut self.appauth,
            Provider::Anyweb => &mut self.anyweb,
            Provider::Coupang => &mut self.coupang,
        }
    }

    /// Sets the token lifetime of `provider`.
    pub fn with_lifetime(mut self, provider: Provider, lifetime: Duration) -> Self {
        self.provider_mut(provider).token_lifetime = lifetime;
        self
    }

    /// Sets whether a new token of `provider` invalidates the earlier ones.
    pub fn with_invalidate_previous(mut self, provider: Provider, on: bool) -> Self {
        self.provider_mut(provider).invalidate_previous = on;
        self
    }

    /// Sets the ebaas service ticket lifetime.
    pub fn with_ticket_lifetime(mut self, lifetime: Duration) -> Self {
        self.ebaas_ticket_lifetime = lifetime;
        self
    }

    /// Sets how many uses one ebaas service ticket allows.
    pub fn with_ticket_uses(mut self, uses: u32) -> Self {
        self.ebaas_ticket_uses = uses;
        self
    }
}
