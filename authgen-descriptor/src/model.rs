//! The endpoint descriptor: what a documentation page says about a token endpoint, in a form that
//! code generators and the runtime can rely on.
//!
//! A descriptor is one pretty JSON file per provider (`specs/descriptors/<provider>.json`). Its
//! format is versioned by [`SCHEMA_VERSION`]; every fact carries the [`Source`] (page and line) it
//! was read from, so a reviewer can check it against the page.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The version of the descriptor format written by this crate. Readers refuse other versions.
pub const SCHEMA_VERSION: u32 = 1;

/// All endpoints of one provider, built from every page of that provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Descriptor {
    /// Format version; always [`SCHEMA_VERSION`] when written by this crate.
    pub schema_version: u32,
    /// Provider name (snake_case), from the manifest or guessed from the page.
    pub provider: String,
    /// IANA time zone used for datetimes the provider sends without an offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Whether fetching a new token invalidates the previous one (fleet mode must then
    /// coordinate fetches). `false` when the manifest does not say.
    #[serde(default)]
    pub token_invalidates_previous: bool,
    /// The pages this descriptor was built from, relative to `specs/`.
    pub pages: Vec<String>,
    /// The endpoints, in page order.
    pub endpoints: Vec<Endpoint>,
    /// Protected resources the pages name (for example a test API that needs the token).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
}

/// Where a fact was read: a page (relative to `specs/`, or as given to `describe`) and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The page path; a page wrapped in JSON is named `<file>#__html` and lines count in the HTML.
    pub page: String,
    /// 1-based line number.
    pub line: u32,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.page, self.line)
    }
}

/// One HTTP endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Rust-friendly snake_case name, unique within the provider (e.g. `get_access_token`).
    pub name: String,
    /// The page's heading for this endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The page's description of the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// HTTP method.
    pub method: Method,
    /// Path, starting with `/`; path parameters are written `{name}`.
    pub path: String,
    /// Names of the `{name}` parameters in [`Endpoint::path`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_params: Vec<String>,
    /// Base URLs by environment label (`dev`, `test`, `prod`, or any other label the page uses).
    #[serde(default)]
    pub base_urls: BTreeMap<String, String>,
    /// How the request parameters are sent.
    pub encoding: Encoding,
    /// Request parameters.
    #[serde(default)]
    pub params: Vec<Param>,
    /// HTTP Basic client authentication, when the page asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    /// The response body as a field tree (top level first).
    #[serde(default)]
    pub response: Vec<Field>,
    /// The response envelope: how success is recognised and where message and data sit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<Envelope>,
    /// Where the issued token sits, for token-issuing endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenSpec>,
    /// Where the token's expiry sits; when several are given the runtime trusts the shortest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expiry: Vec<ExpirySpec>,
    /// Where the number of allowed uses of the token sits, for use-limited tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_limit: Option<FieldRef>,
    /// Documented error codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    /// Request, response and error samples as printed on the page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Contradictions found on the page, what was chosen and what else the page says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// Sources of the scalar facts: `method`, `path`, `encoding`, `title`, `base_urls.<env>`.
    #[serde(default)]
    pub sources: BTreeMap<String, Source>,
}

impl Endpoint {
    /// Whether this endpoint issues a token (and can therefore drive a token cache).
    pub fn issues_token(&self) -> bool {
        self.token.is_some()
    }
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// Parses a method name case-insensitively (`post`, `GET`, ...).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "GET" => Some(Self::Get),
            "POST" => Some(Self::Post),
            "PUT" => Some(Self::Put),
            "PATCH" => Some(Self::Patch),
            "DELETE" => Some(Self::Delete),
            _ => None,
        }
    }

    /// The upper-case method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How request parameters located in the body are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// No body: every parameter goes in the query string.
    Query,
    /// `application/json` body.
    Json,
    /// `application/x-www-form-urlencoded` body.
    Form,
    /// `multipart/form-data` body.
    Multipart,
}

impl Encoding {
    /// The snake_case name used in descriptors.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Json => "json",
            Self::Form => "form",
            Self::Multipart => "multipart",
        }
    }
}

/// Where a request parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Location {
    Query,
    Header,
    Body,
    Path,
}

impl Location {
    /// The location's name as the descriptor writes it (`query`, `header`, `body`, `path`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Header => "header",
            Self::Body => "body",
            Self::Path => "path",
        }
    }
}

/// The type of a parameter or field as the page states it (or as a sample shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ValueType {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    /// The page gives no type and no sample shows one.
    Unknown,
}

impl ValueType {
    /// The type's name as the descriptor writes it (`string`, `integer`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Object => "object",
            Self::Array => "array",
            Self::Unknown => "unknown",
        }
    }
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Name on the wire.
    pub name: String,
    /// snake_case Rust name.
    pub rust_name: String,
    /// Where it is sent.
    pub location: Location,
    /// Whether the page marks it required (a table without a required column: `true`).
    pub required: bool,
    /// Declared type.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// Maximum length, when the page gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// The page's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The page's example or fixed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Whether the value is a secret (client secret, password, token): never logged.
    #[serde(default)]
    pub secret: bool,
    /// Who supplies the value: decided once, when the descriptor is assembled.
    #[serde(default)]
    pub role: Role,
    /// Other names the page uses for this parameter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// Where the parameter is documented.
    pub source: Source,
}

/// Who supplies a parameter's value.
///
/// Written `"credential"`, `"per_call"`, `"client_auth"`, `{"filled_from": "get_token"}` or
/// `{"constant": "client_credential"}`; the manifest can override it like any other fact
/// (`pointer = "/params/grant_type/role"`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Part of the credentials a client is built with (app id, client secret).
    #[default]
    Credential,
    /// Passed with each call (the request struct of the endpoint's method).
    PerCall,
    /// The token of this endpoint (same provider), fetched through its cache; never passed by
    /// the user.
    FilledFrom(String),
    /// A fixed value the page states (`grant_type=client_credential`), sent by the client
    /// itself; its JSON type is the type sent.
    Constant(serde_json::Value),
    /// Computed by the client from the endpoint's [`Endpoint::basic_auth`] credentials (the
    /// documented `Authorization: Basic …` header).
    ClientAuth,
}

impl Role {
    /// The endpoint that fills the parameter, when it is filled from a token.
    pub fn filled_from(&self) -> Option<&str> {
        match self {
            Self::FilledFrom(endpoint) => Some(endpoint),
            _ => None,
        }
    }

    /// Whether the user supplies the value (as a credential or per call).
    pub fn user_supplied(&self) -> bool {
        matches!(self, Self::Credential | Self::PerCall)
    }
}

/// HTTP Basic client authentication: the credentials sent as `Authorization: Basic
/// base64(user:password)` instead of as parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    /// The credential sent as the user name (`client_id` unless the page names another).
    pub user: String,
    /// The secret credential sent as the password (`client_secret` unless the page names another).
    pub password: String,
    /// Where the page says so.
    pub source: Source,
}

/// How a protected call presents a token.
///
/// Written `{"in": "authorization", "scheme": "Bearer"}`, `{"in": "header", "name": "X-Token"}`
/// or `{"in": "query", "name": "access_token"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "in", rename_all = "snake_case", deny_unknown_fields)]
pub enum Presentation {
    /// `Authorization: <scheme> <token>` (the token alone when it already carries a scheme).
    Authorization {
        /// The scheme word (`Bearer`, `token`).
        scheme: String,
    },
    /// A custom header carrying the token alone.
    Header {
        /// The header's name.
        name: String,
    },
    /// A query parameter (`?access_token=`).
    Query {
        /// The parameter's name.
        name: String,
    },
}

impl Default for Presentation {
    fn default() -> Self {
        Self::Authorization {
            scheme: "Bearer".to_owned(),
        }
    }
}

/// A response field; objects carry their children in [`Field::fields`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Name on the wire.
    pub name: String,
    /// snake_case Rust name.
    pub rust_name: String,
    /// Declared or observed type.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// A finer format (`int64`, `date-time`, ...), when the page gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Whether the page marks it as always present.
    #[serde(default)]
    pub required: bool,
    /// The page's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Other wire names the page uses for this field (decoded as serde aliases).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Children of an object field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Where the field is documented (the table row, or the sample line).
    pub source: Source,
}

/// The response envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// How a successful response is recognised.
    pub success: SuccessRule,
    /// Dotted path of the business code, if any (for error reporting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Dotted path of the message field, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Dotted path of the payload object, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Where the rule was read.
    pub source: Source,
}

/// `field == equals` (or the field is absent, when `absent_ok`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessRule {
    /// Dotted path of the field tested.
    pub field: String,
    /// The value meaning success; its JSON type matters (`"000"` is not `0`).
    pub equals: serde_json::Value,
    /// Whether a missing field also means success (`errcode` style).
    #[serde(default)]
    pub absent_ok: bool,
}

impl fmt::Display for SuccessRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} == {}", self.field, self.equals)?;
        if self.absent_ok {
            write!(f, " (or absent)")?;
        }
        Ok(())
    }
}

/// Where the issued token sits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// Dotted path in the response body, or the response header's name when [`Self::header`].
    pub path: String,
    /// Whether the token comes in a response header (Huawei Cloud's `X-Subject-Token`) rather
    /// than in the body.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub header: bool,
    /// An auth scheme the value already carries (seed 004 sends `Bearer eyJ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme_included: Option<String>,
    /// How protected calls present the token (`Authorization: Bearer` unless the page shows
    /// another way).
    #[serde(default)]
    pub presentation: Presentation,
    /// Where it was read.
    pub source: Source,
}

/// How an expiry is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryKind {
    /// Lifetime in seconds from the time of the response.
    Seconds,
    /// An absolute datetime; without an offset it is read in [`ExpirySpec::time_zone`].
    Datetime,
}

/// Where an expiry sits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpirySpec {
    /// Dotted path in the response body.
    pub path: String,
    /// Seconds or datetime.
    pub kind: ExpiryKind,
    /// For datetimes without an offset: the IANA zone they are assumed to be in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Where it was read.
    pub source: Source,
}

/// A reference to a response field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRef {
    /// Dotted path in the response body.
    pub path: String,
    /// Where it was read.
    pub source: Source,
}

/// A documented error code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The code as the provider sends it (as text).
    pub code: String,
    /// The documented message.
    pub message: String,
    /// A PascalCase variant name for the generated error enum.
    pub variant: String,
    /// Whether the code means the token presented is invalid or expired (invalidate and retry once).
    #[serde(default)]
    pub invalid_token: bool,
    /// Whether the code is transient ("system busy"): retried like a 5xx, a bounded number of
    /// times. Set by the manifest's `retryable_codes`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retryable: bool,
    /// Where it was read.
    pub source: Source,
}

/// What a sample on the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ExampleKind {
    Request,
    Response,
    Error,
    Other,
}

/// A sample as printed on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What it shows.
    pub kind: ExampleKind,
    /// The heading, label or tab it sits under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The code fence's language, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The sample text, verbatim.
    pub body: String,
    /// Where it starts.
    pub source: Source,
}

/// A contradiction on the page and how it was resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// The endpoint-relative pointer (override syntax) of the fact concerned, e.g. `/encoding`.
    pub topic: String,
    /// What the descriptor uses.
    pub chosen: String,
    /// What else the page says.
    pub alternatives: Vec<String>,
    /// A human explanation.
    pub message: String,
    /// Where the contradiction shows.
    pub source: Source,
    /// The manifest override that settled it, if any (then no warning is printed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_by: Option<String>,
}

/// A protected resource named on a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// HTTP method.
    pub method: Method,
    /// The URL as given on the page.
    pub url: String,
    /// Whether the page says it needs the token.
    pub requires_token: bool,
    /// Where it was read.
    pub source: Source,
}

/// Why a descriptor could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Not JSON, or JSON of the wrong shape.
    #[error("invalid descriptor JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde expected.
        message: String,
    },
    /// A schema version this crate does not read.
    #[error("unsupported descriptor schema version {found} (this build reads version {expected})")]
    Version {
        /// The version in the file.
        found: u64,
        /// [`SCHEMA_VERSION`].
        expected: u32,
    },
    /// JSON of the right shape whose content is inconsistent.
    #[error("invalid descriptor: {0}")]
    Invalid(String),
}

impl Descriptor {
    /// Parses and validates a descriptor. The schema version is checked before the shape so an
    /// old or new file gets a version error rather than a confusing field error.
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        let json_error = |e: serde_json::Error| {
            // serde_json appends " at line L column C", which the variant already carries.
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            LoadError::Json {
                line: e.line(),
                column: e.column(),
                message,
            }
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;
        match value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(v) if v == u64::from(SCHEMA_VERSION) => {}
            Some(found) => {
                return Err(LoadError::Version {
                    found,
                    expected: SCHEMA_VERSION,
                });
            }
            None => {
                return Err(LoadError::Invalid(
                    "missing `schema_version` (a number) at the top level".into(),
                ));
            }
        }
        // Parse the text again (not the Value) so shape errors keep their line numbers.
        let descriptor: Descriptor = serde_json::from_str(text).map_err(json_error)?;
        descriptor.validate()?;
        Ok(descriptor)
    }

    /// Checks what serde cannot: unique endpoint names, paths starting with `/`, references
    /// between endpoints that resolve.
    pub fn validate(&self) -> Result<(), LoadError> {
        if !is_field_name(&self.provider) {
            return Err(LoadError::Invalid(format!(
                "provider name `{}` is not a snake_case identifier (nor may it be a Rust keyword)",
                self.provider
            )));
        }
        let mut seen = std::collections::BTreeSet::new();
        for endpoint in &self.endpoints {
            let name = &endpoint.name;
            if !is_snake_identifier(name) || name == "_" || is_rust_keyword(name) {
                return Err(LoadError::Invalid(format!(
                    "endpoint name `{name}` is not a snake_case identifier (nor may it be a Rust keyword)"
                )));
            }
            if RESERVED_ENDPOINT_NAMES.contains(&name.as_str()) {
                return Err(LoadError::Invalid(format!(
                    "endpoint name `{name}` is reserved: generated clients already define {} (rename it in the manifest)",
                    RESERVED_ENDPOINT_NAMES
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if let Some(base) = name.strip_suffix("_cached")
                && self
                    .endpoints
                    .iter()
                    .any(|e| e.name == base && e.issues_token())
            {
                return Err(LoadError::Invalid(format!(
                    "endpoint name `{name}` is taken by the cached method of token endpoint `{base}` (rename it in the manifest)"
                )));
            }
            let mut fields = std::collections::BTreeSet::new();
            for param in &endpoint.params {
                if !is_field_name(&param.rust_name) {
                    return Err(LoadError::Invalid(format!(
                        "endpoint `{name}`: parameter `{}` has the Rust name `{}`, which is not a snake_case identifier or is a keyword",
                        param.name, param.rust_name
                    )));
                }
                if !fields.insert(param.rust_name.as_str()) {
                    return Err(LoadError::Invalid(format!(
                        "endpoint `{name}`: two parameters have the Rust name `{}`",
                        param.rust_name
                    )));
                }
            }
            check_fields(name, &endpoint.response)?;
            if !seen.insert(name.as_str()) {
                return Err(LoadError::Invalid(format!(
                    "endpoint `{name}` appears twice"
                )));
            }
            if !endpoint.path.starts_with('/') {
                return Err(LoadError::Invalid(format!(
                    "endpoint `{name}`: path `{}` does not start with `/`",
                    endpoint.path
                )));
            }
        }
        for endpoint in &self.endpoints {
            for param in &endpoint.params {
                if let Some(from) = param.role.filled_from() {
                    let ok = self
                        .endpoints
                        .iter()
                        .any(|e| e.name == from && e.issues_token());
                    if !ok {
                        return Err(LoadError::Invalid(format!(
                            "endpoint `{}`: parameter `{}` is filled from `{from}`, which is not a token endpoint of this provider",
                            endpoint.name, param.name
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// The canonical file content: pretty JSON, keys in declaration order, trailing newline.
    pub fn to_json(&self) -> String {
        // Serialising plain data structures to a String cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Finds an endpoint by name.
    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name == name)
    }
}

/// Response fields become struct fields: identifiers, unique at each level.
fn check_fields(endpoint: &str, fields: &[Field]) -> Result<(), LoadError> {
    let mut seen = std::collections::BTreeSet::new();
    for field in fields {
        if !is_field_name(&field.rust_name) {
            return Err(LoadError::Invalid(format!(
                "endpoint `{endpoint}`: response field `{}` has the Rust name `{}`, which is not a snake_case identifier or is a keyword",
                field.name, field.rust_name
            )));
        }
        if !seen.insert(field.rust_name.as_str()) {
            return Err(LoadError::Invalid(format!(
                "endpoint `{endpoint}`: two response fields have the Rust name `{}`",
                field.rust_name
            )));
        }
        check_fields(endpoint, &field.fields)?;
    }
    Ok(())
}

/// Whether a word is a Rust keyword (strict or reserved), which cannot name a field or method.
pub fn is_rust_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "try"
            | "typeof"
            | "unsized"
            | "virtual"
    )
}

/// Endpoint names generated code already uses on every client (`session()`, `from_session()`,
/// the `ENDPOINTS` const): an endpoint cannot take them.
pub const RESERVED_ENDPOINT_NAMES: &[&str] = &["session", "from_session", "endpoints"];

/// Whether an endpoint may be named `name`: a snake_case identifier, no keyword, not reserved.
pub fn is_endpoint_name(name: &str) -> bool {
    is_snake_identifier(name)
        && name != "_"
        && !is_rust_keyword(name)
        && !RESERVED_ENDPOINT_NAMES.contains(&name)
}

/// Whether a Rust field may be named `name` (a snake_case identifier, not `_`, no keyword).
pub fn is_field_name(name: &str) -> bool {
    is_snake_identifier(name) && name != "_" && !is_rust_keyword(name)
}

/// Whether `name` is a non-empty snake_case identifier (`[a-z_][a-z0-9_]*`).
pub fn is_snake_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// Walks a dotted path (`data.access_token`) through a JSON value.
pub fn lookup<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .try_fold(value, |v, key| v.get(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_mismatch_is_reported_before_shape_errors() {
        let err = Descriptor::from_json(r#"{"schema_version": 9, "whatever": 1}"#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unsupported descriptor schema version 9 (this build reads version 1)")
        );
    }

    #[test]
    fn json_errors_carry_the_line() {
        let err = Descriptor::from_json("{\n\"schema_version\": 1,\n oops }");
        match err {
            Err(LoadError::Json { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a JSON error, got {other:?}"),
        }
    }

    #[test]
    fn lookup_follows_dotted_paths() {
        let v = serde_json::json!({"data": {"access_token": "t"}});
        assert_eq!(
            lookup(&v, "data.access_token"),
            Some(&serde_json::json!("t"))
        );
        assert_eq!(lookup(&v, "data.missing"), None);
    }

    #[test]
    fn snake_identifiers() {
        assert!(is_snake_identifier("get_access_token"));
        assert!(!is_snake_identifier("GetAccessToken"));
        assert!(!is_snake_identifier("9lives"));
        assert!(!is_snake_identifier(""));
    }
}
