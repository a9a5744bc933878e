//! Execution: one shared `reqwest::Client`; parameters encoded as the spec says; bodies capped,
//! decoded and checked against the envelope's success rule.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tracing::Instrument;

use crate::config::ClientConfig;
use crate::error::{At, Error, escape_controls, redact_secrets, redacted_excerpt};
use crate::params::{ParamValue, Params};
use crate::spec::{Encoding, EndpointSpec, Location, Role, lookup, reqwest_method};

/// The HTTP client could not be built (TLS initialisation, invalid user agent).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct BuildError(String);

/// A successful answer: the decoded body, and the headers (a token may come in one).
#[derive(Debug, Clone)]
pub struct Reply {
    /// The JSON body, its envelope checked.
    pub body: Value,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
}

/// A response read in full (protected calls, whose body is checked for invalid-token codes).
pub(crate) struct Buffered {
    pub(crate) status: reqwest::StatusCode,
    version: reqwest::Version,
    headers: reqwest::header::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Buffered {
    pub(crate) fn status(&self) -> reqwest::StatusCode {
        self.status
    }
}

impl From<Buffered> for reqwest::Response {
    fn from(buffered: Buffered) -> Self {
        let mut response = http::Response::new(buffered.body);
        *response.status_mut() = buffered.status;
        *response.version_mut() = buffered.version;
        *response.headers_mut() = buffered.headers;
        reqwest::Response::from(response)
    }
}

/// A cheap-to-clone handle on the shared HTTP client and its settings.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
}

impl Client {
    /// A client with the given settings.
    pub fn new(config: ClientConfig) -> Result<Self, BuildError> {
        Self::from_reqwest(reqwest::Client::builder(), config)
    }

    /// A client over your own reqwest settings: a proxy, extra root certificates, default
    /// headers, a DNS resolver. It takes the *builder*, not a built `reqwest::Client`, so that
    /// the settings a credential-carrying client must keep are still applied on top: redirects
    /// are never followed and no `Referer` is sent. The timeouts and user agent of `config`
    /// are applied too.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use auth_runtime::{Client, ClientConfig};
    ///
    /// let mut headers = reqwest::header::HeaderMap::new();
    /// headers.insert("x-team", "payments".parse()?);
    /// let builder = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read("corp-ca.pem")?)?)
    ///     .default_headers(headers);
    /// let client = Client::from_reqwest(builder, ClientConfig::default())?;
    /// # Ok(()) }
    /// ```
    ///
    /// Without this, reqwest's own environment settings still apply: `HTTPS_PROXY`,
    /// `HTTP_PROXY` and `NO_PROXY` are honoured.
    pub fn from_reqwest(
        builder: reqwest::ClientBuilder,
        config: ClientConfig,
    ) -> Result<Self, BuildError> {
        let http = builder
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.clone())
            // Requests carry client secrets and tokens: a redirect is reported, never followed
            // (reqwest would re-send a 307/308 body to wherever it points), and no `Referer`
            // (which would hold a GET token request's query string) is ever sent.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map_err(|e| BuildError(e.without_url().to_string()))?;
        Ok(Self {
            http,
            config: Arc::new(config),
        })
    }

    /// A client with the default settings, its build failure reported as [`Error::Config`] of
    /// `provider` (what generated constructors use).
    pub fn default_for(provider: &'static str) -> Result<Self, Error> {
        Self::with_defaults().map_err(|e| Error::Config {
            at: At {
                provider,
                endpoint: "-",
            },
            message: e.to_string(),
        })
    }

    /// A client with [`ClientConfig::default`]: 5 s to connect, 30 s per request, 1 MiB bodies,
    /// two retries of a failed token fetch, plain HTTP only to loopback, no redirect followed.
    ///
    /// ```
    /// let client = auth_runtime::Client::with_defaults()?;
    /// assert!(!client.config().allow_insecure_http);
    /// # Ok::<(), auth_runtime::client::BuildError>(())
    /// ```
    pub fn with_defaults() -> Result<Self, BuildError> {
        Self::new(ClientConfig::default())
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The underlying reqwest client, for protected calls the descriptor does not describe.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Checks that a URL may be called: plain HTTP only to loopback unless explicitly allowed.
    pub fn check_url(&self, at: At, url: &reqwest::Url) -> Result<(), Error> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.config.allow_insecure_http || is_loopback(url) => Ok(()),
            "http" => Err(Error::Config {
                at,
                message: format!(
                    "refusing plain HTTP to {}: use https, or set ClientConfig::allow_insecure_http",
                    url.host_str().unwrap_or("?")
                ),
            }),
            other => Err(Error::Config {
                at,
                message: format!("unsupported URL scheme `{other}`"),
            }),
        }
    }

    /// Calls an endpoint once and returns the decoded, successful body.
    pub async fn call(
        &self,
        spec: &'static EndpointSpec,
        base_url: &str,
        params: &Params,
    ) -> Result<Reply, Error> {
        let at = At {
            provider: spec.provider,
            endpoint: spec.name,
        };
        let span = tracing::info_span!(
            "authgen.call",
            provider = spec.provider,
            endpoint = spec.name,
            status = tracing::field::Empty,
            outcome = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .call_inner(at, spec, base_url, params)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(_) => span.record("outcome", "ok"),
            Err(e) => span.record("outcome", error_kind(e)),
        };
        let _entered = span.enter();
        match &result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(e) => tracing::warn!(error = %e, "call failed"),
        }
        result
    }

    /// [`Client::call`] with bounded retries of retryable errors (for token fetches, which are
    /// safe to repeat): exponential backoff, honouring `Retry-After` up to a cap.
    pub async fn call_with_retries(
        &self,
        spec: &'static EndpointSpec,
        base_url: &str,
        params: &Params,
    ) -> Result<Reply, Error> {
        let mut attempt = 0;
        loop {
            match self.call(spec, base_url, params).await {
                Err(e) if e.is_retryable() && attempt < self.config.fetch_retries => {
                    let delay = match e.retry_after() {
                        Some(d) if d > self.config.max_retry_after => return Err(e),
                        Some(d) => d,
                        None => self.config.retry_base_delay * 2u32.saturating_pow(attempt),
                    };
                    attempt += 1;
                    tokio::time::sleep(delay).await;
                }
                other => return other,
            }
        }
    }

    async fn call_inner(
        &self,
        at: At,
        spec: &'static EndpointSpec,
        base_url: &str,
        params: &Params,
    ) -> Result<Reply, Error> {
        // Each parameter's value as sent: constants from the spec, the Basic header from the
        // credentials it names, everything else as given (an optional one left out is not sent).
        let mut values: Vec<(&'static str, Location, std::borrow::Cow<'_, ParamValue>)> =
            Vec::with_capacity(spec.params.len());
        for p in spec.params {
            let value = match p.role {
                Role::Constant(literal) => {
                    std::borrow::Cow::Owned(ParamValue::from(literal.to_json()))
                }
                Role::ClientAuth => continue,
                Role::Credential | Role::PerCall | Role::FilledFrom(_) => {
                    match params.get(p.name) {
                        Some(value) => std::borrow::Cow::Borrowed(value),
                        None => continue,
                    }
                }
            };
            values.push((p.name, p.location, value));
        }
        let mut path = spec.path.to_owned();
        for (name, _, value) in values.iter().filter(|(_, l, _)| *l == Location::Path) {
            path = path.replace(&format!("{{{name}}}"), &path_segment(&value.text()));
        }
        // A placeholder left unfilled would be sent as `%7Bid%7D`: refuse instead.
        if let Some(open) = path.find('{')
            && let Some(len) = path[open..].find('}')
        {
            return Err(Error::Config {
                at,
                message: format!("missing path parameter `{}`", &path[open + 1..open + len]),
            });
        }
        let url = format!("{}{}", base_url.trim_end_matches('/'), path);
        let url = reqwest::Url::parse(&url).map_err(|e| Error::Config {
            at,
            message: format!("invalid base URL `{base_url}`: {e}"),
        })?;
        self.check_url(at, &url)?;

        let mut query: Vec<(&str, String)> = Vec::new();
        let mut body: Vec<(&str, &ParamValue)> = Vec::new();
        let mut request = self.http.request(reqwest_method(spec.method), url);
        for (name, location, value) in &values {
            match location {
                Location::Query => query.push((name, value.text().into_owned())),
                Location::Body if spec.encoding == Encoding::Query => {
                    query.push((name, value.text().into_owned()))
                }
                Location::Body => body.push((name, value)),
                Location::Header => {
                    // A documented Content-Type header would contradict the encoding we choose.
                    if !name.eq_ignore_ascii_case("content-type") {
                        request = request.header(*name, value.text().as_ref());
                    }
                }
                Location::Path => {}
            }
        }
        if let Some(basic) = spec.basic_auth {
            let credential = |name: &'static str| {
                params.get(name).ok_or_else(|| Error::Config {
                    at,
                    message: format!("missing credential `{name}` for HTTP Basic authentication"),
                })
            };
            let (user, password) = (credential(basic.user)?, credential(basic.password)?);
            request = request.basic_auth(user.text(), Some(password.text()));
        }
        if !query.is_empty() {
            request = request.query(&query);
        }
        request = match spec.encoding {
            Encoding::Query => request,
            Encoding::Json => {
                let object: serde_json::Map<String, Value> = body
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.json()))
                    .collect();
                request.json(&object)
            }
            Encoding::Form => {
                let fields: Vec<(&str, std::borrow::Cow<'_, str>)> =
                    body.iter().map(|(k, v)| (*k, v.text())).collect();
                request.form(&fields)
            }
            Encoding::Multipart => {
                let form = body
                    .iter()
                    .fold(reqwest::multipart::Form::new(), |f, (k, v)| {
                        f.text((*k).to_owned(), v.text().into_owned())
                    });
                request.multipart(form)
            }
        };
        let response = request.send().await.map_err(|e| transport_error(at, e))?;
        let status = response.status();
        tracing::Span::current().record("status", status.as_u16());
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after_value);
        if status.is_redirection() {
            return Err(Error::Redirect {
                at,
                status: status.as_u16(),
                target: redirect_target(response.url(), response.headers()),
            });
        }
        let headers = response.headers().clone();
        let bytes = self.read_capped(at, response).await?;
        let secrets = params.secrets();
        if !status.is_success() {
            // The envelope's code, or RFC 6749's `error` (`invalid_client`) when the provider
            // answers errors OAuth-style.
            let code = serde_json::from_slice::<Value>(&bytes).ok().and_then(|v| {
                spec.envelope
                    .and_then(|e| e.code)
                    .and_then(|c| lookup(&v, c).and_then(scalar_text))
                    .or_else(|| v.get("error").and_then(Value::as_str).map(str::to_owned))
                    .map(|c| escape_controls(&redact_secrets(&c, &secrets)))
            });
            return Err(Error::Status {
                at,
                status: status.as_u16(),
                retry_after,
                documented: code.as_deref().and_then(|c| spec.error(c)),
                code,
                excerpt: redacted_excerpt(&bytes, &secrets),
            });
        }
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
            at,
            reason: format!("expected JSON: {e}"),
            excerpt: redacted_excerpt(&bytes, &secrets),
        })?;
        check_envelope(at, spec, &value, &secrets)?;
        Ok(Reply {
            body: value,
            headers,
        })
    }

    /// Sends a request built elsewhere (a protected call) and reads its body, capped at the
    /// body limit, so that it can be inspected before it is handed back.
    pub(crate) async fn execute(
        &self,
        at: At,
        request: reqwest::Request,
    ) -> Result<Buffered, Error> {
        let response = self
            .http
            .execute(request)
            .await
            .map_err(|e| transport_error(at, e))?;
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let body = self.read_capped(at, response).await?;
        Ok(Buffered {
            status,
            version,
            headers,
            body,
        })
    }

    async fn read_capped(&self, at: At, mut response: reqwest::Response) -> Result<Vec<u8>, Error> {
        let limit = self.config.body_limit;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::TooLarge { at, limit });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(at, e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(Error::TooLarge { at, limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// Where a redirect points, without its query or fragment (they may echo credentials).
fn redirect_target(from: &reqwest::Url, headers: &reqwest::header::HeaderMap) -> String {
    let Some(location) = headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return "(no Location header)".to_owned();
    };
    match from.join(location) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            let _ = url.set_password(None);
            let _ = url.set_username("");
            url.to_string()
        }
        Err(_) => "(an invalid Location header)".to_owned(),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A path parameter's value as one segment: percent-encoded, and a value of dots (`.`, `..`)
/// encoded too, so URL normalisation cannot turn it into a step up the path.
fn path_segment(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c == '.') {
        "%2E".repeat(value.len())
    } else {
        percent_encode(value)
    }
}

/// `Retry-After` as seconds or as an HTTP date (how long until it).
fn retry_after_value(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = when.duration_since(jiff::Timestamp::now());
    Some(Duration::from_secs(
        u64::try_from(wait.as_secs()).unwrap_or(0),
    ))
}

pub(crate) fn transport_error(at: At, e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout { at };
    }
    // The whole chain of causes: a TLS failure is named only deep in it.
    let mut causes = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let chain = causes.join(": ").to_ascii_lowercase();
    // `without_url`: a GET token request carries the client secret in its query string.
    let e = e.without_url();
    let message = e.to_string();
    if [
        "certificate",
        "tls",
        "handshake",
        "unknownissuer",
        "invalid peer",
    ]
    .iter()
    .any(|w| chain.contains(w))
    {
        // The same certificate fails the same way on every attempt: not retried.
        Error::Tls {
            at,
            message: format!("{message}: {}", causes.last().map_or("", String::as_str)),
            source: Some(std::sync::Arc::new(e)),
        }
    } else {
        Error::Transport {
            at,
            message,
            source: Some(std::sync::Arc::new(e)),
        }
    }
}

pub(crate) fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Provider { .. } => "provider_error",
        Error::Status { .. } => "http_status",
        Error::Redirect { .. } => "redirect",
        Error::Decode { .. } => "decode_error",
        Error::Mismatch { .. } => "descriptor_mismatch",
        Error::TooLarge { .. } => "too_large",
        Error::Timeout { .. } => "timeout",
        Error::Transport { .. } => "transport",
        Error::Tls { .. } => "tls",
        Error::Config { .. } => "config",
    }
}

pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Applies the success rule; a failing envelope becomes [`Error::Provider`].
fn check_envelope(
    at: At,
    spec: &'static EndpointSpec,
    body: &Value,
    secrets: &[&str],
) -> Result<(), Error> {
    let Some(envelope) = spec.envelope else {
        return Ok(());
    };
    let found = lookup(body, envelope.success_field);
    let ok = match found {
        None | Some(Value::Null) => envelope.absent_ok,
        Some(value) => envelope.success.matches(value),
    };
    if ok {
        return Ok(());
    }
    if !body.is_object() {
        return Err(Error::Decode {
            at,
            reason: "expected a JSON object".into(),
            excerpt: String::new(),
        });
    }
    let code = envelope
        .code
        .and_then(|c| lookup(body, c))
        .or(found)
        .and_then(scalar_text)
        .unwrap_or_else(|| "(none)".to_owned());
    // The provider's words reach errors and logs redacted and on one line.
    let message = envelope
        .message
        .and_then(|m| lookup(body, m))
        .and_then(scalar_text)
        .map(|m| escape_controls(&redact_secrets(&m, secrets)))
        .unwrap_or_default();
    let code = escape_controls(&redact_secrets(&code, secrets));
    Err(Error::Provider {
        at,
        documented: spec.error(&code),
        code,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_as_seconds_or_an_http_date() {
        assert_eq!(retry_after_value("120"), Some(Duration::from_secs(120)));
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(300);
        let date = jiff::fmt::rfc2822::to_string(&later.to_zoned(jiff::tz::TimeZone::UTC))
            .unwrap_or_default();
        let wait = retry_after_value(&date).unwrap_or_default().as_secs();
        assert!((290..=300).contains(&wait), "{date}: {wait}");
        assert_eq!(
            retry_after_value("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after_value("soon"), None);
    }

    #[test]
    fn a_path_parameter_of_dots_cannot_climb_the_path() {
        assert_eq!(path_segment(".."), "%2E%2E");
        assert_eq!(path_segment("a.b"), "a.b");
        assert_eq!(path_segment("a/b"), "a%2Fb");
    }

    #[test]
    fn tls_failures_are_not_retried() {
        let at = At {
            provider: "p",
            endpoint: "e",
        };
        assert!(
            !Error::Tls {
                at,
                message: "invalid peer certificate".into(),
                source: None,
            }
            .is_retryable()
        );
    }
}
