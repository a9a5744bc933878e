//! The runtime's view of an endpoint: plain `'static` data that generated code writes as
//! constants (one per endpoint), so a client carries no descriptor parsing at run time.

// The vocabulary is the descriptor model's own: one definition for the page readers, the code
// generator and the runtime.
pub use authgen_descriptor::model::{Encoding, ExpiryKind, Location, Method, ValueType};

/// The reqwest method for a descriptor method.
pub(crate) fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// A fixed JSON scalar written into generated code: a success value or a constant parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    /// A string (`"000"`, `"client_credential"`).
    Str(&'static str),
    /// An integer (`1000`, `200`).
    Int(i64),
    /// A boolean (`true`).
    Bool(bool),
    /// Any other JSON number (`1.5`, `18446744073709551615`), as written.
    Number(&'static str),
    /// An array, object or null, as JSON text.
    Json(&'static str),
}

impl Literal {
    /// The value as JSON (with its type: `"000"` is not `0`).
    pub fn to_json(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Literal::Str(s) => Value::from(s),
            Literal::Int(n) => Value::from(n),
            Literal::Bool(b) => Value::from(b),
            Literal::Number(text) | Literal::Json(text) => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::from(text))
            }
        }
    }

    /// Whether a JSON value is this literal (numbers compared as written when not `i64`).
    pub fn matches(self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (value, self) {
            (Value::String(s), Literal::Str(want)) => s == want,
            (Value::Number(n), Literal::Int(want)) => n.as_i64() == Some(want),
            (Value::Number(n), Literal::Number(want)) => n.to_string() == want,
            (Value::Bool(b), Literal::Bool(want)) => *b == want,
            (other, Literal::Json(_)) => *other == self.to_json(),
            _ => false,
        }
    }
}

/// Who supplies a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// One of the session's credentials.
    Credential,
    /// Passed with each call.
    PerCall,
    /// The cached token of this endpoint (same provider).
    FilledFrom(&'static str),
    /// A fixed value the client sends itself.
    Constant(Literal),
    /// The `Authorization: Basic` header built from [`EndpointSpec::basic_auth`].
    ClientAuth,
}

/// HTTP Basic client authentication: the wire names of the two credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicAuthSpec {
    /// The credential sent as the user name.
    pub user: &'static str,
    /// The secret credential sent as the password.
    pub password: &'static str,
}

/// How a protected call presents a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    /// `Authorization: <scheme> <token>`.
    Authorization {
        /// The scheme word (`Bearer`).
        scheme: &'static str,
    },
    /// A custom header carrying the token alone.
    Header {
        /// The header's name.
        name: &'static str,
    },
    /// A query parameter.
    Query {
        /// The parameter's name.
        name: &'static str,
    },
}

/// A request parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// Wire name.
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Whether the page marks it required (generated code makes required ones non-optional).
    pub required: bool,
    /// Whether the value must never be logged.
    pub secret: bool,
    /// The declared type.
    pub ty: ValueType,
    /// Who supplies the value.
    pub role: Role,
}

impl ParamSpec {
    /// The endpoint whose token fills the parameter, if any.
    pub fn filled_from(&self) -> Option<&'static str> {
        match self.role {
            Role::FilledFrom(endpoint) => Some(endpoint),
            _ => None,
        }
    }
}

/// How a response says whether it succeeded, and where its parts sit (dotted paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeSpec {
    /// The field tested.
    pub success_field: &'static str,
    /// The value meaning success (typed: `"000"` is not `0`).
    pub success: Literal,
    /// Whether a missing field also means success (errcode style).
    pub absent_ok: bool,
    /// The business code, for errors.
    pub code: Option<&'static str>,
    /// The message.
    pub message: Option<&'static str>,
    /// The payload.
    pub data: Option<&'static str>,
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
    /// Dotted path in the body, or the response header's name when [`Self::header`].
    pub path: &'static str,
    /// Whether the token comes in a response header.
    pub header: bool,
    /// How protected calls present it.
    pub presentation: Presentation,
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
    /// Whether it is transient (the manifest's `retryable_codes`): retried like a 5xx.
    pub retryable: bool,
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
    /// HTTP Basic client authentication, if the endpoint uses it.
    pub basic_auth: Option<BasicAuthSpec>,
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
