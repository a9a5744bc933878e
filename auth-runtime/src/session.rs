//! A session: one provider, one environment, one set of credentials. It owns a token cache per
//! token endpoint, fills parameters that come from another endpoint's token (a service ticket
//! needs an access token; a protected call needs the token), and retries a call once when the
//! provider rejects the token it was given.

use std::sync::{Arc, Weak};

use secrecy::SecretString;
use serde_json::Value;

use crate::cache::{CachePolicy, Fetched, TokenCache, TokenSource};
use crate::client::{Client, Reply};
use crate::clock::{Clock, SystemClock};
use crate::error::{At, Error};
use crate::expiry::expires_at;
use crate::params::{ParamValue, Params};
use crate::spec::{EndpointSpec, Location, Presentation, Role, lookup};
use crate::store::{BoxFuture, CacheKey, NoStore, TokenStore};
use crate::token::{Token, authorization_value, check_token_type};

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

    /// Where tokens are shared with other sessions and processes: a shared
    /// [`MemoryStore`](crate::MemoryStore) or a Redis store. By default nothing is shared; each
    /// token cache keeps its own token.
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
    ///
    /// ```no_run
    /// # fn demo(builder: auth_runtime::SessionBuilder) -> Result<auth_runtime::Session, auth_runtime::Error> {
    /// use auth_runtime::{CachePolicy, RefreshPolicy};
    /// use jiff::SignedDuration;
    ///
    /// let policy = CachePolicy {
    ///     // Refresh 10 minutes before expiry (or at 80 % of the lifetime, whichever is first).
    ///     refresh: RefreshPolicy {
    ///         before_expiry: SignedDuration::from_mins(10),
    ///         ..RefreshPolicy::default()
    ///     },
    ///     // Give up on one fetch, retries included, after 5 s.
    ///     fetch_deadline: std::time::Duration::from_secs(5),
    ///     ..CachePolicy::default()
    /// };
    /// let session = builder.policy(policy).build()?;
    /// # Ok(session) }
    /// ```
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
            mut credentials,
            clock,
            store,
            policy,
            fingerprint_key,
        } = self;
        credentials.shrink_to_fit();
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

/// The clock sessions use unless given one: one for the process, not one allocation per session.
static SYSTEM_CLOCK: std::sync::LazyLock<Arc<dyn Clock>> =
    std::sync::LazyLock::new(|| Arc::new(SystemClock));

/// The store sessions use unless given one: none, shared by all. Each token cache keeps its own
/// token; a store only matters when caches should share tokens (a shared `MemoryStore`, Redis).
static NO_STORE: std::sync::LazyLock<Arc<dyn TokenStore>> =
    std::sync::LazyLock::new(|| Arc::new(NoStore));

/// The key of the HMAC that fingerprints secrets in cache keys when the session sets none. It
/// only separates this use of SHA-256 from others; [`SessionBuilder::fingerprint_key`] sets a
/// private one (every instance of a fleet must then share it).
const DEFAULT_FINGERPRINT_KEY: &[u8] = b"authgen cache-key fingerprint v2";

/// The cache key's subject: everything that identifies the caller. Every plain credential and
/// constant the endpoint sends (`name="value"`, in the spec's order: client ids, `grant_type`),
/// then `#` and an HMAC-SHA-256 of the secret ones (names and values), so keys never contain a
/// secret and two tenants that differ in any credential never share a token.
fn subject(spec: &EndpointSpec, credentials: &Params, fingerprint_key: &[u8]) -> String {
    use hmac::Mac;
    let mut plain = Vec::new();
    // HMAC takes a key of any length, so `new_from_slice` cannot fail for it.
    #[allow(clippy::expect_used)]
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(fingerprint_key)
        .expect("HMAC accepts keys of any length");
    let basic = spec.basic_auth.iter().flat_map(|b| [b.user, b.password]);
    let names = spec
        .params
        .iter()
        .filter(|p| matches!(p.role, Role::Credential | Role::PerCall | Role::Constant(_)))
        .map(|p| (p.name, p.secret, p.role))
        .chain(basic.map(|name| (name, false, Role::Credential)));
    for (name, secret, role) in names {
        let value = match role {
            Role::Constant(literal) => ParamValue::from(literal.to_json()),
            _ => match credentials.get(name) {
                Some(value) => value.clone(),
                None => continue,
            },
        };
        match value {
            ParamValue::Secret(_) => {}
            _ if secret => {}
            plain_value => {
                plain.push(format!("{name}={:?}", plain_value.text()));
                continue;
            }
        }
        mac.update(name.as_bytes());
        mac.update(&[0]);
        mac.update(value.text().as_bytes());
        mac.update(&[0]);
    }
    let fingerprint: String = mac.finalize().into_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}#{fingerprint}", plain.join("&"))
}

impl Session {
    /// Starts a session on `base_url` for the endpoints of one provider. Generated clients call
    /// it through `<Provider>::session_builder`; a descriptor loaded at run time works too.
    ///
    /// ```no_run
    /// # fn demo(descriptor: &authgen_descriptor::Descriptor) -> Result<(), Box<dyn std::error::Error>> {
    /// use auth_runtime::{Client, Params, SecretString, Session};
    ///
    /// let specs = auth_runtime::dynamic::specs(descriptor);
    /// let session = Session::builder(Client::with_defaults()?, specs, "prod", "https://api.example.com")
    ///     .credentials(
    ///         Params::new()
    ///             .text("appid", "wx123")
    ///             .secret("secret", SecretString::from("…")),
    ///     )
    ///     .build()?;
    /// # Ok(()) }
    /// ```
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
            clock: Arc::clone(&SYSTEM_CLOCK),
            store: Arc::clone(&NO_STORE),
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
    ///
    /// ```no_run
    /// # async fn demo(session: &auth_runtime::Session) -> Result<(), auth_runtime::Error> {
    /// let token = session.token("get_access_token").await?;
    /// println!("{} expires at {}", token.display_prefix(), token.expires_at());
    /// # Ok(()) }
    /// ```
    pub async fn token(&self, endpoint: &str) -> Result<Token, Error> {
        self.cache_or_error(endpoint)?.get().await
    }

    /// Calls an endpoint with `params` over the session's credentials; parameters filled from
    /// another endpoint's token are added here. When the provider rejects such a token (HTTP 401
    /// or a documented invalid-token code) it is invalidated — only if it is still the cached
    /// one — and the call is retried once with a new token. Never more.
    ///
    /// ```no_run
    /// # async fn demo(session: &auth_runtime::Session) -> Result<(), Box<dyn std::error::Error>> {
    /// use auth_runtime::Params;
    ///
    /// let spec = session.specs().iter().find(|s| s.name == "get_user").ok_or("no such endpoint")?;
    /// let body = session.call(spec, &Params::new().text("userid", "zhangsan")).await?;
    /// println!("{}", body["name"]);
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, spec: &'static EndpointSpec, params: &Params) -> Result<Value, Error> {
        let base = self.0.credentials.clone().merged(params);
        let reply = self
            .with_fresh_tokens(spec, base, |params| async move {
                self.0.client.call(spec, &self.0.base_url, &params).await
            })
            .await?;
        Ok(reply.body)
    }

    /// Sends a request the descriptor does not describe (a protected resource) with the token of
    /// `token_endpoint`, presented as the descriptor says (`Authorization: Bearer`, a custom
    /// header or a query parameter). When the provider rejects it (HTTP 401, or an HTTP 200 body
    /// whose code the provider documents as an invalid token), the token is invalidated (compare
    /// before invalidate) and the request sent once more. The body is read (up to the client's
    /// body limit) to look for that code, then handed back in the response.
    ///
    /// ```no_run
    /// # async fn demo(session: &auth_runtime::Session) -> Result<(), Box<dyn std::error::Error>> {
    /// // The token of `get_token` goes where the descriptor says: `Authorization: Bearer …`,
    /// // a custom header, or `?access_token=…`.
    /// let url = "https://api.example.com/v1/orders?page=1";
    /// let response = session
    ///     .send_authorized("get_token", |http| http.get(url))
    ///     .await?;
    /// let orders: serde_json::Value = response.json().await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_authorized(
        &self,
        token_endpoint: &str,
        request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        let cache = self.cache_or_error(token_endpoint)?;
        let presentation = self.presentation(token_endpoint);
        let at = At {
            provider: self.0.provider,
            endpoint: "authorized",
        };
        let send = |token: Token| {
            let builder = present(request(self.0.client.http()), presentation, &token);
            async move {
                let built = builder.build().map_err(|e| Error::Config {
                    at,
                    message: e.without_url().to_string(),
                })?;
                self.0.client.check_url(at, built.url())?;
                let response = self.0.client.execute(at, built).await?;
                let rejected = response.status() == reqwest::StatusCode::UNAUTHORIZED
                    || self.documents_invalid_token(&response.body);
                Ok::<_, Error>((token, response, rejected))
            }
        };
        let (token, response, rejected) = send(cache.get().await?).await?;
        if !rejected {
            return Ok(response.into());
        }
        cache.invalidate_if(&token).await;
        let (_, response, _) = send(cache.get().await?).await?;
        Ok(response.into())
    }

    /// How protected calls present the token of `token_endpoint` (`Authorization: Bearer` when
    /// the descriptor does not say).
    fn presentation(&self, token_endpoint: &str) -> Presentation {
        self.0
            .specs
            .iter()
            .find(|s| s.name == token_endpoint)
            .and_then(|s| s.token)
            .map_or(Presentation::Authorization { scheme: "Bearer" }, |t| {
                t.presentation
            })
    }

    /// Whether a body carries a code one of the provider's endpoints documents as "invalid
    /// token", at the place its envelope keeps codes.
    fn documents_invalid_token(&self, body: &[u8]) -> bool {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        self.0.specs.iter().any(|spec| {
            let Some(code) = spec
                .envelope
                .and_then(|e| e.code.or(Some(e.success_field)))
                .and_then(|path| lookup(&value, path))
                .and_then(crate::client::scalar_text)
            else {
                return false;
            };
            spec.errors
                .iter()
                .any(|e| e.invalid_token && e.code == code)
        })
    }

    /// Runs `send` with `base` plus the tokens `spec`'s parameters are filled from; when the
    /// provider rejects such a token, invalidates it (only if still cached) and runs `send` once
    /// more with a new one. The one retry-once rule of calls and token fetches.
    async fn with_fresh_tokens<F, Fut>(
        &self,
        spec: &'static EndpointSpec,
        base: Params,
        send: F,
    ) -> Result<Reply, Error>
    where
        F: Fn(Params) -> Fut,
        Fut: std::future::Future<Output = Result<Reply, Error>>,
    {
        let (filled, used) = self.fill(spec, base.clone()).await?;
        match send(filled).await {
            Err(e) if e.is_invalid_token() && !used.is_empty() => {
                for (endpoint, token) in &used {
                    if let Some(cache) = self.cache(endpoint) {
                        cache.invalidate_if(token).await;
                    }
                }
                let (filled, _) = self.fill(spec, base).await?;
                send(filled).await
            }
            other => other,
        }
    }

    /// Adds the tokens of the endpoints `spec`'s parameters are filled from.
    async fn fill(
        &self,
        spec: &'static EndpointSpec,
        mut params: Params,
    ) -> Result<(Params, Vec<(&'static str, Token)>), Error> {
        let mut used = Vec::new();
        for p in spec.params {
            if let Some(from) = p.filled_from() {
                let token = self.token(from).await?;
                // An `Authorization` header carries the scheme too (`Bearer <token>`).
                let value = if p.location == Location::Header
                    && p.name.eq_ignore_ascii_case("authorization")
                {
                    let scheme = match self.presentation(from) {
                        Presentation::Authorization { scheme } => scheme,
                        _ => "Bearer",
                    };
                    authorization_value(token.expose_secret(), scheme)
                } else {
                    token.expose_secret().to_owned()
                };
                params.set(p.name, ParamValue::Secret(SecretString::from(value)));
                used.push((from, token));
            }
        }
        Ok((params, used))
    }
}

/// Puts a token on a request as the descriptor says protected calls present it.
fn present(
    builder: reqwest::RequestBuilder,
    presentation: Presentation,
    token: &Token,
) -> reqwest::RequestBuilder {
    match presentation {
        Presentation::Authorization { scheme } => builder.header(
            reqwest::header::AUTHORIZATION,
            authorization_value(token.expose_secret(), scheme),
        ),
        Presentation::Header { name } => builder.header(name, token.expose_secret()),
        Presentation::Query { name } => builder.query(&[(name, token.expose_secret())]),
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
            // One clock frame per fetch: a relative lifetime (`expires_in`) counts from the
            // request's start, the moment the cache dates the token from, never from the answer's
            // arrival (a token cannot outlive start + lifetime, however slow the answer).
            let now = session.0.clock.now();
            let (client, base_url) = (&session.0.client, session.0.base_url.as_str());
            let reply = session
                .with_fresh_tokens(self.spec, credentials, |params| async move {
                    client.call_with_retries(self.spec, base_url, &params).await
                })
                .await?;
            let token_spec = self.spec.token.ok_or_else(|| Error::Config {
                at,
                message: "not a token endpoint".into(),
            })?;
            let from_header;
            let value = if token_spec.header {
                from_header = reply
                    .headers
                    .get(token_spec.path)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                from_header.as_deref()
            } else {
                lookup(&reply.body, token_spec.path).and_then(Value::as_str)
            };
            let value = value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| Error::Mismatch {
                    at,
                    reason: if token_spec.header {
                        format!("no token in the `{}` response header", token_spec.path)
                    } else {
                        format!("no token string at `{}`", token_spec.path)
                    },
                })?;
            let body = &reply.body;
            if !token_spec.header
                && let Some(token_type) =
                    lookup(body, &sibling(token_spec.path, "token_type")).and_then(Value::as_str)
            {
                check_token_type(token_type).map_err(|reason| Error::Mismatch { at, reason })?;
            }
            let expires = expires_at(self.spec, body, value, now).map_err(|e| Error::Mismatch {
                at,
                reason: e.to_string(),
            })?;
            let uses = self
                .spec
                .use_limit
                .and_then(|p| lookup(body, p))
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

/// The dotted path of `name` beside the field at `path` (`data.access_token` → `data.token_type`).
fn sibling(path: &str, name: &str) -> String {
    match path.rsplit_once('.') {
        Some((parent, _)) => format!("{parent}.{name}"),
        None => name.to_owned(),
    }
}
