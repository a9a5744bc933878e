//! The runtime's view of an endpoint: plain `'static` data that generated code writes as
//! constants (one per endpoint), so a client carries no descriptor parsing at run time.

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// How body parameters are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// No body: body parameters (if any) go in the query string.
    Query,
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Location {
    Query,
    Header,
    Body,
    Path,
}

/// A request parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// Wire name.
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Whether the call fails without it.
    pub required: bool,
    /// Whether the value must never be logged.
    pub secret: bool,
    /// The token endpoint (same provider) whose cached token fills it.
    pub fill_from: Option<&'static str>,
}

/// The value that means success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessValue {
    /// A string (`"000"`).
    Str(&'static str),
    /// An integer (`1000`, `200`).
    Int(i64),
    /// A boolean (`true`).
    Bool(bool),
}

/// How a response says whether it succeeded, and where its parts sit (dotted paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeSpec {
    /// The field tested.
    pub success_field: &'static str,
    /// The value meaning success (typed: `"000"` is not `0`).
    pub success: SuccessValue,
    /// Whether a missing field also means success (errcode style).
    pub absent_ok: bool,
    /// The business code, for errors.
    pub code: Option<&'static str>,
    /// The message.
    pub message: Option<&'static str>,
    /// The payload.
    pub data: Option<&'static str>,
}

/// Expiry encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryKind {
    /// Seconds from the response.
    Seconds,
    /// Absolute datetime, with offset, or naive in the given zone.
    Datetime,
}

/// Where an expiry sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpirySpec {
    /// Dotted path.
    pub path: &'static str,
    /// Encoding.
    pub kind: ExpiryKind,
    /// IANA zone for naive datetimes.
    pub time_zone: Option<&'static str>,
}

/// Where the token sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSpec {
    /// Dotted path.
    pub path: &'static str,
    /// Scheme the value already carries (`Bearer`).
    pub scheme_included: Option<&'static str>,
    /// Whether issuing a new token revokes the previous one (the manifest's
    /// `token_invalidates_previous`). Sessions then set
    /// [`CachePolicy::fetch_invalidates_previous`](crate::CachePolicy::fetch_invalidates_previous)
    /// for this endpoint's cache.
    pub invalidates_previous: bool,
}

/// A documented error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorSpec {
    /// The code as text.
    pub code: &'static str,
    /// The documented message.
    pub message: &'static str,
    /// The generated enum variant's name.
    pub variant: &'static str,
    /// Whether it means "the token you sent is invalid": invalidate and retry once.
    pub invalid_token: bool,
}

/// One endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointSpec {
    /// Provider name.
    pub provider: &'static str,
    /// Endpoint name.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path with `{param}` placeholders.
    pub path: &'static str,
    /// Body encoding.
    pub encoding: Encoding,
    /// Parameters.
    pub params: &'static [ParamSpec],
    /// Envelope, if the provider wraps responses.
    pub envelope: Option<EnvelopeSpec>,
    /// Token location, for token endpoints.
    pub token: Option<TokenSpec>,
    /// Expiry locations.
    pub expiry: &'static [ExpirySpec],
    /// Use-limit location.
    pub use_limit: Option<&'static str>,
    /// Documented error codes.
    pub errors: &'static [ErrorSpec],
}

impl EndpointSpec {
    /// The documented error for a code, if any.
    pub fn error(&self, code: &str) -> Option<&'static ErrorSpec> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// Whether the endpoint issues a token.
    pub fn issues_token(&self) -> bool {
        self.token.is_some()
    }
}

/// Walks a dotted path through a JSON value.
pub fn lookup<'v>(value: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .try_fold(value, |v, key| v.get(key))
}
