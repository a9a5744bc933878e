//! A session: one provider, one environment, one set of credentials. It owns a token cache per
//! token endpoint, fills parameters that come from another endpoint's token (a service ticket
//! needs an access token; a protected call needs the token), and retries a call once when the
//! provider rejects the token it was given.

use std::sync::{Arc, Weak};

use secrecy::SecretString;
use serde_json::Value;

use crate::cache::{CachePolicy, Fetched, TokenCache, TokenSource};
use crate::client::Client;
use crate::clock::{Clock, SystemClock};
use crate::error::{At, Error};
use crate::expiry::expires_at;
use crate::params::{ParamValue, Params};
use crate::spec::{EndpointSpec, lookup};
use crate::store::{BoxFuture, CacheKey, MemoryStore, TokenStore};
use crate::token::Token;

struct Inner {
    client: Client,
    provider: &'static str,
    environment: String,
    base_url: String,
    credentials: Params,
    clock: Arc<dyn Clock>,
    caches: Vec<(&'static str, TokenCache)>,
    specs: &'static [&'static EndpointSpec],
}

/// A provider session. Clones share caches.
#[derive(Clone)]
pub struct Session(Arc<Inner>);

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("provider", &self.0.provider)
            .field("environment", &self.0.environment)
            .field("base_url", &self.0.base_url)
            .field("credentials", &self.0.credentials)
            .finish()
    }
}

/// Builds a [`Session`].
pub struct SessionBuilder {
    client: Client,
    specs: &'static [&'static EndpointSpec],
    environment: String,
    base_url: String,
    credentials: Params,
    clock: Arc<dyn Clock>,
    store: Arc<dyn TokenStore>,
    policy: CachePolicy,
    fingerprint_key: Vec<u8>,
}

impl SessionBuilder {
    /// The caller's credentials and other parameters, by wire name (client id, secret, login token).
    pub fn credentials(mut self, credentials: Params) -> Self {
        self.credentials = credentials;
        self
    }

    /// The clock (tests move time with [`crate::ManualClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Where tokens are shared (default: in memory).
    pub fn store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = store;
        self
    }

    /// The key of the HMAC that fingerprints secret credentials in cache keys (and so in Redis
    /// key names). The default is a fixed public constant, which is enough to keep secrets out of
    /// keys; a private key also stops anyone who can read the keys from testing guesses of a
    /// secret against them. Every instance sharing a store must use the same key.
    pub fn fingerprint_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.fingerprint_key = key.into();
        self
    }

    /// Refresh and backoff settings.
    pub fn policy(mut self, policy: CachePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The session; fails when the base URL is not one the client may call.
    pub fn build(self) -> Result<Session, Error> {
        let provider = self.specs.first().map_or("unknown", |s| s.provider);
        let at = At {
            provider,
            endpoint: "-",
        };
        let url = reqwest::Url::parse(&self.base_url).map_err(|e| Error::Config {
            at,
            message: format!("invalid base URL `{}`: {e}", self.base_url),
        })?;
        self.client.check_url(at, &url)?;
        let SessionBuilder {
            client,
            specs,
            environment,
            base_url,
            credentials,
            clock,
            store,
            policy,
            fingerprint_key,
        } = self;
        Ok(Session(Arc::new_cyclic(|weak: &Weak<Inner>| {
            let caches = specs
                .iter()
                .filter(|s| s.issues_token())
                .map(|spec| {
                    let key = CacheKey {
                        provider: spec.provider,
                        endpoint: spec.name,
                        environment: environment.clone(),
                        subject: subject(spec, &credentials, &fingerprint_key),
                    };
                    let source = EndpointSource {
                        session: weak.clone(),
                        spec,
                        key,
                    };
                    // The descriptor's fact about the provider holds whatever the policy says;
                    // a policy can only add the setting for providers the descriptor is silent on.
                    let policy = CachePolicy {
                        fetch_invalidates_previous: policy.fetch_invalidates_previous
                            || spec.token.is_some_and(|t| t.invalidates_previous),
                        ..policy
                    };
                    (
                        spec.name,
                        TokenCache::new(source, Arc::clone(&clock), Arc::clone(&store), policy),
                    )
                })
                .collect();
            Inner {
                client,
                provider,
                environment,
                base_url,
                credentials,
                clock,
                caches,
                specs,
            }
        })))
    }
}

/// The key of the HMAC that fingerprints secrets in cache keys when the session sets none. It
/// only separates this use of SHA-256 from others; [`SessionBuilder::fingerprint_key`] sets a
/// private one (every instance of a fleet must then share it).
const DEFAULT_FINGERPRINT_KEY: &[u8] = b"authgen cache-key fingerprint v2";

/// The cache key's subject: everything that identifies the caller. Every plain credential the
/// endpoint takes (`name="value"`, in the spec's order: client ids and constants), then `#` and
/// an HMAC-SHA-256 of the secret ones (names and values), so keys never contain a secret and two
/// tenants that differ in any credential never share a token.
fn subject(spec: &EndpointSpec, credentials: &Params, fingerprint_key: &[u8]) -> String {
    use hmac::Mac;
    let mut plain = Vec::new();
    // HMAC takes a key of any length, so `new_from_slice` cannot fail for it.
    #[allow(clippy::expect_used)]
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(fingerprint_key)
        .expect("HMAC accepts keys of any length");
    for p in spec.params.iter().filter(|p| p.fill_from.is_none()) {
        match credentials.get(p.name) {
            Some(ParamValue::Text(t)) if !p.secret => plain.push(format!("{}={t:?}", p.name)),
            Some(value) => {
                mac.update(p.name.as_bytes());
                mac.update(&[0]);
                mac.update(value.expose().as_bytes());
                mac.update(&[0]);
            }
            None => {}
        }
    }
    let fingerprint: String = mac.finalize().into_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}#{fingerprint}", plain.join("&"))
}

impl Session {
    /// Starts a session on `base_url` for the endpoints of one provider.
    pub fn builder(
        client: Client,
        specs: &'static [&'static EndpointSpec],
        environment: impl Into<String>,
        base_url: impl Into<String>,
    ) -> SessionBuilder {
        SessionBuilder {
            client,
            specs,
            environment: environment.into(),
            base_url: base_url.into(),
            credentials: Params::new(),
            clock: Arc::new(SystemClock),
            store: Arc::new(MemoryStore::new()),
            policy: CachePolicy::default(),
            fingerprint_key: DEFAULT_FINGERPRINT_KEY.to_vec(),
        }
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.0.client
    }

    /// The token cache of a token endpoint.
    pub fn cache(&self, endpoint: &str) -> Option<&TokenCache> {
        self.0
            .caches
            .iter()
            .find(|(n, _)| *n == endpoint)
            .map(|(_, c)| c)
    }

    fn cache_or_error(&self, endpoint: &str) -> Result<&TokenCache, Error> {
        self.cache(endpoint).ok_or_else(|| Error::Config {
            at: At {
                provider: self.0.provider,
                endpoint: "-",
            },
            message: format!("`{endpoint}` is not a token endpoint of this provider"),
        })
    }

    /// A cached token of a token endpoint (fetched, with its own dependencies, when needed).
    pub async fn token(&self, endpoint: &str) -> Result<Token, Error> {
        self.cache_or_error(endpoint)?.get().await
    }

    /// Calls an endpoint with `params` over the session's credentials; parameters filled from
    /// another endpoint's token are added here. When the provider rejects such a token (HTTP 401
    /// or a documented invalid-token code) it is invalidated — only if it is still the cached
    /// one — and the call is retried once with a new token. Never more.
    pub async fn call(&self, spec: &'static EndpointSpec, params: &Params) -> Result<Value, Error> {
        let base = self.0.credentials.clone().merged(params);
        let (filled, used) = self.fill(spec, base.clone()).await?;
        match self.0.client.call(spec, &self.0.base_url, &filled).await {
            Err(e) if e.is_invalid_token() && !used.is_empty() => {
                for (endpoint, token) in &used {
                    if let Some(cache) = self.cache(endpoint) {
                        cache.invalidate_if(token).await;
                    }
                }
                let (filled, _) = self.fill(spec, base).await?;
                self.0.client.call(spec, &self.0.base_url, &filled).await
            }
            other => other,
        }
    }

    /// Sends a request the descriptor does not describe (a protected resource) with the token of
    /// `token_endpoint` in the `Authorization` header (never `Bearer Bearer`); on HTTP 401 the
    /// token is invalidated (compare before invalidate) and the request sent once more.
    pub async fn send_authorized(
        &self,
        token_endpoint: &str,
        request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        let cache = self.cache_or_error(token_endpoint)?;
        let at = At {
            provider: self.0.provider,
            endpoint: "authorized",
        };
        let send = |token: Token| {
            let builder = request(self.0.client.http())
                .header(reqwest::header::AUTHORIZATION, token.authorization());
            async move {
                let built = builder.build().map_err(|e| Error::Config {
                    at,
                    message: e.without_url().to_string(),
                })?;
                self.0.client.check_url(at, built.url())?;
                let response = self.0.client.http().execute(built).await.map_err(|e| {
                    if e.is_timeout() {
                        Error::Timeout { at }
                    } else {
                        Error::Transport {
                            at,
                            message: e.without_url().to_string(),
                        }
                    }
                })?;
                Ok::<_, Error>((token, response))
            }
        };
        let (token, response) = send(cache.get().await?).await?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        cache.invalidate_if(&token).await;
        let (_, response) = send(cache.get().await?).await?;
        Ok(response)
    }

    /// Adds the tokens of the endpoints `spec`'s parameters are filled from.
    async fn fill(
        &self,
        spec: &'static EndpointSpec,
        mut params: Params,
    ) -> Result<(Params, Vec<(&'static str, Token)>), Error> {
        let mut used = Vec::new();
        for p in spec.params {
            if let Some(from) = p.fill_from {
                let token = self.token(from).await?;
                params.set(
                    p.name,
                    ParamValue::Secret(SecretString::from(token.expose_secret())),
                );
                used.push((from, token));
            }
        }
        Ok((params, used))
    }
}

/// Fetches the token of one endpoint through the session.
struct EndpointSource {
    session: Weak<Inner>,
    spec: &'static EndpointSpec,
    key: CacheKey,
}

impl TokenSource for EndpointSource {
    fn key(&self) -> &CacheKey {
        &self.key
    }

    fn shareable(&self) -> bool {
        self.spec.use_limit.is_none()
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Fetched, Error>> {
        Box::pin(async move {
            let at = At {
                provider: self.spec.provider,
                endpoint: self.spec.name,
            };
            let inner = self.session.upgrade().ok_or_else(|| Error::Config {
                at,
                message: "the session was dropped".into(),
            })?;
            let session = Session(inner);
            let credentials = session.0.credentials.clone();
            let (params, used) = session.fill(self.spec, credentials.clone()).await?;
            let client = &session.0.client;
            let body = match client
                .call_with_retries(self.spec, &session.0.base_url, &params)
                .await
            {
                Err(e) if e.is_invalid_token() && !used.is_empty() => {
                    for (endpoint, token) in &used {
                        if let Some(cache) = session.cache(endpoint) {
                            cache.invalidate_if(token).await;
                        }
                    }
                    let (params, _) = session.fill(self.spec, credentials).await?;
                    client
                        .call_with_retries(self.spec, &session.0.base_url, &params)
                        .await?
                }
                other => other?,
            };
            let token_spec = self.spec.token.ok_or_else(|| Error::Config {
                at,
                message: "not a token endpoint".into(),
            })?;
            let value = lookup(&body, token_spec.path)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| Error::Decode {
                    at,
                    reason: format!("no token string at `{}`", token_spec.path),
                    excerpt: String::new(),
                })?;
            let now = session.0.clock.now();
            let expires = expires_at(self.spec, &body, value, now).map_err(|e| Error::Decode {
                at,
                reason: e.to_string(),
                excerpt: String::new(),
            })?;
            let uses = self
                .spec
                .use_limit
                .and_then(|p| lookup(&body, p))
                .and_then(Value::as_u64)
                .map(|u| u32::try_from(u).unwrap_or(u32::MAX - 1));
            Ok(Fetched {
                value: SecretString::from(value),
                expires_at: expires,
                uses,
            })
        })
    }
}

impl Session {
    /// Every endpoint spec of the session's provider.
    pub fn specs(&self) -> &'static [&'static EndpointSpec] {
        self.0.specs
    }
}
