//! A fake provider built from any endpoint descriptor: it serves every endpoint as the
//! descriptor documents it, so a client generated from a page can be tried end to end before
//! anyone holds real credentials.
//!
//! For each request it checks the method, the path (with `{param}` segments), the body encoding,
//! every required parameter's presence, location and JSON type, the constants, the HTTP Basic
//! credentials and the credentials' values; it answers a token endpoint with its documented
//! success sample carrying a fresh token and expiry, wrong credentials with a documented error,
//! and accepts protected calls only with a valid token presented as documented (revocation and
//! "a new token invalidates the previous one" included). Every request is captured, bytes and
//! all, for tests that assert what went on the wire.

use std::collections::BTreeMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use authgen_descriptor::model::{
    Descriptor, Encoding, Endpoint, ExampleKind, ExpiryKind, Location, Presentation, Role,
    ValueType,
};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

use crate::serving::Served;

/// Lifetime of the tokens the fake issues, in seconds.
const LIFETIME_SECONDS: i64 = 7200;

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Captured {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string (empty when none).
    pub query: String,
    /// Headers, names in lower case.
    pub headers: BTreeMap<String, String>,
    /// The body, as sent.
    pub body: Bytes,
}

impl Captured {
    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, if it is.
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// A query parameter's (decoded) value.
    pub fn query_param(&self, name: &str) -> Option<String> {
        url_pairs(&self.query)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

#[derive(Debug)]
struct Issued {
    endpoint: String,
    value: String,
    expires_at: jiff::Timestamp,
    revoked: bool,
}

#[derive(Debug, Default)]
struct Log {
    captured: Vec<Captured>,
    issued: Vec<Issued>,
    serial: u64,
}

#[derive(Debug)]
struct Shared {
    descriptor: Descriptor,
    credentials: BTreeMap<String, Value>,
    log: Mutex<Log>,
    faults: crate::Faults,
}

impl Shared {
    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        // A panicking handler cannot leave the log half-written: every update is one push.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running fake of one described provider on `127.0.0.1`.
#[derive(Debug)]
pub struct DescribedFake {
    shared: Arc<Shared>,
    addr: SocketAddr,
    /// Stops the server when dropped.
    served: Served,
}

impl DescribedFake {
    /// Starts serving `descriptor` on an OS-chosen loopback port (inside a Tokio runtime).
    pub async fn start(descriptor: Descriptor) -> io::Result<Self> {
        Self::start_on(descriptor, 0).await
    }

    /// Starts serving `descriptor` on `127.0.0.1:port` (`0`: OS-chosen).
    pub async fn start_on(descriptor: Descriptor, port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            credentials: made_up_credentials(&descriptor),
            descriptor,
            log: Mutex::new(Log::default()),
            faults: crate::Faults::default(),
        });
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        Ok(Self {
            shared,
            addr,
            served: Served::spawn(listener, app),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The credentials the fake accepts, by wire name: made up from the parameters' names and
    /// types (`appid` → `"fake-appid"`), HTTP Basic ones included.
    pub fn credentials(&self) -> &BTreeMap<String, Value> {
        &self.shared.credentials
    }

    /// The fault switches, the seed fakes' own: 5xx, slow answers, malformed JSON, an HTML error
    /// page, an oversized body, 429 with `Retry-After`, for the next N requests of a path.
    pub fn faults(&self) -> &crate::Faults {
        &self.shared.faults
    }

    /// Every request received so far, oldest first.
    pub fn captured(&self) -> Vec<Captured> {
        self.shared.log().captured.clone()
    }

    /// Every token issued so far becomes invalid (tokens issued later are valid).
    pub fn revoke_all(&self) {
        for token in &mut self.shared.log().issued {
            token.revoked = true;
        }
    }

    /// How many tokens the fake issued.
    pub fn issued(&self) -> usize {
        self.shared.log().issued.len()
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        self.served.stop();
        let _ = self.served.wait().await;
    }
}

/// The value the fake expects for a credential: deterministic, typed, obviously fake.
pub fn made_up_value(wire: &str, ty: ValueType, secret: bool) -> Value {
    let slug: String = wire
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    match ty {
        ValueType::Integer => Value::from(42),
        ValueType::Number => Value::from(4.2),
        ValueType::Boolean => Value::Bool(false),
        ValueType::Object => Value::Object(Map::new()),
        ValueType::Array => Value::Array(Vec::new()),
        _ if secret => Value::from(format!("fake-secret-{slug}")),
        _ => Value::from(format!("fake-{slug}")),
    }
}

fn made_up_credentials(descriptor: &Descriptor) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for endpoint in &descriptor.endpoints {
        if let Some(basic) = &endpoint.basic_auth {
            out.entry(basic.user.clone())
                .or_insert_with(|| made_up_value(&basic.user, ValueType::String, false));
            out.entry(basic.password.clone())
                .or_insert_with(|| made_up_value(&basic.password, ValueType::String, true));
        }
        for p in endpoint
            .params
            .iter()
            .filter(|p| p.role == Role::Credential)
        {
            out.entry(p.name.clone())
                .or_insert_with(|| made_up_value(&p.name, p.ty, p.secret));
        }
    }
    out
}

/// What a request carries, by location.
struct Incoming {
    query: Vec<(String, String)>,
    headers: HeaderMap,
    /// Body parameters: typed for JSON, text otherwise.
    body: Map<String, Value>,
    content_type: String,
}

impl Incoming {
    fn get(&self, location: Location, name: &str) -> Option<Value> {
        match location {
            Location::Query => self
                .query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| Value::from(v.clone())),
            Location::Header => self
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(Value::from),
            Location::Body => self.body.get(name).cloned(),
            Location::Path => None,
        }
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let headers = request.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (body_map, body) = if content_type.starts_with("multipart/form-data") {
        (multipart_fields(request).await, Bytes::new())
    } else {
        let body = axum::body::to_bytes(request.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let map = if content_type.starts_with("application/json") {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            url_pairs(&String::from_utf8_lossy(&body))
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect()
        } else {
            Map::new()
        };
        (map, body)
    };
    shared.log().captured.push(Captured {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        headers: headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect(),
        body,
    });
    // Armed faults answer instead of the documented behaviour (the request is still captured).
    if let Some(answer) = shared.faults.apply(&path).await {
        return answer;
    }
    let incoming = Incoming {
        query: url_pairs(&query),
        headers,
        body: body_map,
        content_type,
    };
    let descriptor = &shared.descriptor;
    let matching: Vec<(&Endpoint, BTreeMap<String, String>)> = descriptor
        .endpoints
        .iter()
        .filter_map(|e| path_match(&e.path, &path).map(|vars| (e, vars)))
        .collect();
    let Some((endpoint, vars)) = matching
        .iter()
        .find(|(e, _)| e.method.as_str() == method)
        .or(matching.first())
    else {
        return protected_resource(&shared, &incoming);
    };
    if endpoint.method.as_str() != method {
        return problem(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "`{}` is documented as {}, not {method}",
                endpoint.path, endpoint.method
            ),
        );
    }
    serve_endpoint(&shared, endpoint, vars, &incoming)
}

/// A request to a path no endpoint documents: a protected resource, served when it presents a
/// valid token the way the provider's first token endpoint says.
fn protected_resource(shared: &Shared, incoming: &Incoming) -> Response {
    let Some(token_endpoint) = shared
        .descriptor
        .endpoints
        .iter()
        .find(|e| e.issues_token())
    else {
        return problem(StatusCode::NOT_FOUND, "no such endpoint".into());
    };
    let presentation = token_endpoint
        .token
        .as_ref()
        .map(|t| t.presentation.clone())
        .unwrap_or_default();
    let presented = match &presentation {
        Presentation::Authorization { scheme } => incoming
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| strip_scheme(v, scheme)),
        Presentation::Header { name } => incoming
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        Presentation::Query { name } => incoming
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone()),
    };
    match presented {
        Some(token) if valid_token(shared, &token_endpoint.name, &token) => {
            (StatusCode::OK, axum::Json(json!({"ok": true}))).into_response()
        }
        Some(_) => invalid_token_answer(shared, None),
        None => problem(
            StatusCode::UNAUTHORIZED,
            format!("no token presented as documented ({presentation:?})"),
        ),
    }
}

fn strip_scheme(value: &str, scheme: &str) -> Option<String> {
    let (word, rest) = value.split_once(' ')?;
    word.eq_ignore_ascii_case(scheme).then(|| rest.to_owned())
}

fn serve_endpoint(
    shared: &Shared,
    endpoint: &Endpoint,
    vars: &BTreeMap<String, String>,
    incoming: &Incoming,
) -> Response {
    let expected_type = match endpoint.encoding {
        Encoding::Json => Some("application/json"),
        Encoding::Form => Some("application/x-www-form-urlencoded"),
        Encoding::Multipart => Some("multipart/form-data"),
        Encoding::Query => None,
    };
    let has_body_params = endpoint
        .params
        .iter()
        .any(|p| p.location == Location::Body && p.role != Role::ClientAuth);
    if let Some(expected) = expected_type
        && has_body_params
        && !incoming.content_type.starts_with(expected)
    {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "the body must be {expected}, got `{}`",
                incoming.content_type
            ),
        );
    }
    let mut wrong_credential: Option<String> = None;
    for p in &endpoint.params {
        // Body parameters of a query-encoded endpoint travel in the query string.
        let location = if p.location == Location::Body && endpoint.encoding == Encoding::Query {
            Location::Query
        } else {
            p.location
        };
        let value = if location == Location::Path {
            vars.get(&p.name).map(|v| Value::from(v.clone()))
        } else {
            incoming.get(location, &p.name)
        };
        if p.name.eq_ignore_ascii_case("content-type") || p.role == Role::ClientAuth {
            continue;
        }
        let Some(value) = value else {
            if p.required {
                return problem(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "missing required {} parameter `{}`",
                        location.as_str(),
                        p.name
                    ),
                );
            }
            continue;
        };
        if let Some(problem_text) = type_problem(&value, p.ty, location, endpoint.encoding) {
            return problem(
                StatusCode::BAD_REQUEST,
                format!("parameter `{}`: {problem_text}", p.name),
            );
        }
        match &p.role {
            Role::Constant(constant) if !same_value(&value, constant) => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    format!("parameter `{}` must be {constant}, got {value}", p.name),
                );
            }
            Role::FilledFrom(source) => {
                let text = value.as_str().unwrap_or_default();
                let token = if p.location == Location::Header
                    && p.name.eq_ignore_ascii_case("authorization")
                {
                    text.split_once(' ').map_or(text, |(_, t)| t)
                } else {
                    text
                };
                if !valid_token(shared, source, token) {
                    return invalid_token_answer(shared, Some(endpoint));
                }
            }
            Role::Credential if p.required => {
                if let Some(expected) = shared.credentials.get(&p.name)
                    && !expected.is_boolean()
                    && !same_value(&value, expected)
                {
                    wrong_credential.get_or_insert_with(|| p.name.clone());
                }
            }
            _ => {}
        }
    }
    if let Some(basic) = &endpoint.basic_auth {
        let decoded = incoming
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| strip_scheme(v, "Basic"))
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok());
        let Some(decoded) = decoded else {
            return problem(
                StatusCode::UNAUTHORIZED,
                "missing HTTP Basic client authentication".into(),
            );
        };
        let expected = format!(
            "{}:{}",
            text_of(shared.credentials.get(&basic.user)),
            text_of(shared.credentials.get(&basic.password))
        );
        if decoded != expected {
            wrong_credential.get_or_insert_with(|| basic.password.clone());
        }
    }
    if let Some(name) = wrong_credential {
        return documented_error(endpoint, &name);
    }
    success(shared, endpoint)
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Whether a received value is the expected one: typed in JSON bodies, as text elsewhere.
fn same_value(got: &Value, want: &Value) -> bool {
    got == want
        || (!want.is_string()
            && got
                .as_str()
                .and_then(|text| serde_json::from_str::<Value>(text).ok())
                .is_some_and(|parsed| parsed == *want))
}

/// What is wrong with a value's type, if anything: JSON bodies must carry the documented JSON
/// type (a boolean as `false`, not `"false"`); text locations must parse as it.
fn type_problem(
    value: &Value,
    ty: ValueType,
    location: Location,
    encoding: Encoding,
) -> Option<String> {
    let typed_json = location == Location::Body && encoding == Encoding::Json;
    let fits = if typed_json {
        match ty {
            ValueType::String => value.is_string(),
            ValueType::Integer => value.is_i64() || value.is_u64(),
            ValueType::Number => value.is_number(),
            ValueType::Boolean => value.is_boolean(),
            ValueType::Object => value.is_object(),
            ValueType::Array => value.is_array(),
            ValueType::Unknown => true,
        }
    } else {
        let text = text_of(Some(value));
        match ty {
            ValueType::Integer => text.parse::<i64>().is_ok(),
            ValueType::Number => text.parse::<f64>().is_ok(),
            ValueType::Boolean => text == "true" || text == "false",
            _ => true,
        }
    };
    (!fits).then(|| {
        format!(
            "expected {} {}, got {value}",
            if typed_json { "a JSON" } else { "text of a" },
            ty.as_str()
        )
    })
}

fn valid_token(shared: &Shared, endpoint: &str, token: &str) -> bool {
    let now = jiff::Timestamp::now();
    shared
        .log()
        .issued
        .iter()
        .any(|t| t.endpoint == endpoint && t.value == token && !t.revoked && t.expires_at > now)
}

/// The answer to a rejected token: a documented invalid-token code in the envelope, else 401.
fn invalid_token_answer(shared: &Shared, endpoint: Option<&Endpoint>) -> Response {
    let documented = endpoint
        .into_iter()
        .chain(&shared.descriptor.endpoints)
        .find_map(|e| {
            let envelope = e.envelope.as_ref()?;
            let code = e.errors.iter().find(|x| x.invalid_token)?;
            Some((envelope, code))
        });
    match documented {
        Some((envelope, code)) => (
            StatusCode::OK,
            axum::Json(envelope_error(envelope, &code.code, &code.message)),
        )
            .into_response(),
        None => problem(StatusCode::UNAUTHORIZED, "invalid or expired token".into()),
    }
}

/// The documented error for a wrong credential: the code whose message names it (or a secret,
/// an id, "invalid"), else the first documented one; in the envelope with HTTP 200 when the
/// provider has one, else as an HTTP 401 with an OAuth-style body.
fn documented_error(endpoint: &Endpoint, credential: &str) -> Response {
    let lower = credential.to_ascii_lowercase();
    let words = [
        lower.as_str(),
        "secret",
        "appid",
        "client",
        "invalid",
        "credential",
    ];
    let chosen = words
        .iter()
        .find_map(|w| {
            endpoint
                .errors
                .iter()
                .find(|e| !e.invalid_token && e.message.to_ascii_lowercase().contains(w))
        })
        .or(endpoint.errors.iter().find(|e| !e.invalid_token))
        .or(endpoint.errors.first());
    match (&endpoint.envelope, chosen) {
        (Some(envelope), Some(code)) => (
            StatusCode::OK,
            axum::Json(envelope_error(envelope, &code.code, &code.message)),
        )
            .into_response(),
        (None, Some(code)) => {
            let status = code
                .code
                .parse::<u16>()
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .filter(|s| s.is_client_error())
                .unwrap_or(StatusCode::UNAUTHORIZED);
            (
                status,
                axum::Json(json!({"error": code.code, "error_description": code.message})),
            )
                .into_response()
        }
        (_, None) => problem(
            StatusCode::UNAUTHORIZED,
            format!("wrong `{credential}` (the page documents no error code)"),
        ),
    }
}

/// An error body in the envelope: the code at its path, the success field failing, the message.
fn envelope_error(
    envelope: &authgen_descriptor::model::Envelope,
    code: &str,
    message: &str,
) -> Value {
    let mut body = Value::Object(Map::new());
    let success = &envelope.success;
    match envelope.code.as_deref() {
        Some(path) if path != success.field => {
            set_path(&mut body, &success.field, code_value(code, &success.equals));
            set_path(&mut body, path, code_value(code, &Value::Null));
        }
        _ => set_path(&mut body, &success.field, code_value(code, &success.equals)),
    }
    if let Some(path) = &envelope.message {
        set_path(&mut body, path, Value::from(message));
    }
    body
}

/// A code in the JSON type of the success value (`40125` as a number when success is `0`).
fn code_value(code: &str, success: &Value) -> Value {
    match success {
        Value::Number(_) => code
            .parse::<i64>()
            .map_or_else(|_| Value::from(code), Value::from),
        // A flag cannot carry the code: it only fails.
        Value::Bool(b) => Value::Bool(!b),
        _ => Value::from(code),
    }
}

/// The documented success: the response sample (or a body built from the response fields),
/// with the envelope's success value, a fresh token and its expiry.
fn success(shared: &Shared, endpoint: &Endpoint) -> Response {
    let mut body = endpoint
        .examples
        .iter()
        .filter(|e| e.kind == ExampleKind::Response)
        .find_map(|e| match serde_json::from_str::<Value>(&e.body) {
            Ok(Value::Object(map)) => Some(Value::Object(map)),
            _ => None,
        })
        .unwrap_or_else(|| fields_body(&endpoint.response));
    if let Some(envelope) = &endpoint.envelope {
        set_path(
            &mut body,
            &envelope.success.field,
            envelope.success.equals.clone(),
        );
    }
    let mut headers = HeaderMap::new();
    if let Some(token) = &endpoint.token {
        let now = jiff::Timestamp::now();
        let value = {
            let mut log = shared.log();
            log.serial += 1;
            let value = format!(
                "fake-{}-{}-{:x}",
                endpoint.name,
                log.serial,
                now.as_nanosecond() & 0xffff_ffff
            );
            if shared.descriptor.token_invalidates_previous {
                for old in log
                    .issued
                    .iter_mut()
                    .filter(|t| t.endpoint == endpoint.name)
                {
                    old.revoked = true;
                }
            }
            log.issued.push(Issued {
                endpoint: endpoint.name.clone(),
                value: value.clone(),
                expires_at: now + jiff::SignedDuration::from_secs(LIFETIME_SECONDS),
                revoked: false,
            });
            value
        };
        let sent = match &token.scheme_included {
            Some(scheme) => format!("{scheme} {value}"),
            None => value,
        };
        if token.header {
            if let Ok(header) = HeaderValue::from_str(&sent)
                && let Ok(name) = axum::http::HeaderName::from_bytes(token.path.as_bytes())
            {
                headers.insert(name, header);
            }
        } else {
            set_path(&mut body, &token.path, Value::from(sent));
        }
        for expiry in &endpoint.expiry {
            let value = match expiry.kind {
                ExpiryKind::Seconds => Value::from(LIFETIME_SECONDS),
                ExpiryKind::Datetime => {
                    let sample = lookup(&body, &expiry.path).cloned();
                    datetime_like(sample.as_ref(), now, expiry.time_zone.as_deref())
                }
            };
            set_path(&mut body, &expiry.path, value);
        }
    }
    (StatusCode::OK, headers, axum::Json(body)).into_response()
}

/// An expiry `LIFETIME_SECONDS` from now, written like the sample (Unix seconds or
/// milliseconds, RFC 3339, or a naive `YYYY-MM-DD HH:MM:SS` in the provider's zone).
fn datetime_like(sample: Option<&Value>, now: jiff::Timestamp, zone: Option<&str>) -> Value {
    let at = now + jiff::SignedDuration::from_secs(LIFETIME_SECONDS);
    match sample {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v > 100_000_000_000) => {
            Value::from(at.as_millisecond())
        }
        Some(Value::Number(_)) => Value::from(at.as_second()),
        Some(Value::String(s)) if !s.contains('T') => {
            let tz = zone
                .and_then(|z| jiff::tz::TimeZone::get(z).ok())
                .unwrap_or(jiff::tz::TimeZone::UTC);
            Value::from(at.to_zoned(tz).strftime("%Y-%m-%d %H:%M:%S").to_string())
        }
        _ => Value::from(at.to_string()),
    }
}

/// A body from the response fields: each leaf a value of its type.
fn fields_body(fields: &[authgen_descriptor::model::Field]) -> Value {
    let map = fields
        .iter()
        .map(|f| {
            let value = if f.fields.is_empty() {
                match f.ty {
                    ValueType::Integer | ValueType::Number => Value::from(0),
                    ValueType::Boolean => Value::Bool(true),
                    ValueType::Array => Value::Array(Vec::new()),
                    ValueType::Object => Value::Object(Map::new()),
                    ValueType::String | ValueType::Unknown => Value::from(""),
                }
            } else {
                fields_body(&f.fields)
            };
            (f.name.clone(), value)
        })
        .collect();
    Value::Object(map)
}

fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    authgen_descriptor::model::lookup(value, path)
}

/// Sets a dotted path, creating objects on the way (a non-object in the way is replaced).
fn set_path(value: &mut Value, path: &str, new: Value) {
    let mut current = value;
    let mut keys = path.split('.').filter(|k| !k.is_empty()).peekable();
    while let Some(key) = keys.next() {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(map) = current else { return };
        if keys.peek().is_none() {
            map.insert(key.to_owned(), new);
            return;
        }
        current = map
            .entry(key.to_owned())
            .or_insert(Value::Object(Map::new()));
    }
}

/// The `{param}` values when `path` matches the documented `template`.
fn path_match(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let want: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut vars = BTreeMap::new();
    for (w, g) in want.iter().zip(&got) {
        if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            vars.insert(name.to_owned(), percent_decode(g));
        } else if w != g {
            return None;
        }
    }
    Some(vars)
}

/// `a=1&b=x%20y` → pairs, `+` as space.
fn url_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn multipart_fields(request: Request) -> Map<String, Value> {
    let mut out = Map::new();
    let Ok(mut form) = axum::extract::Multipart::from_request(request, &()).await else {
        return out;
    };
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if let Ok(text) = field.text().await {
            out.insert(name, Value::from(text));
        }
    }
    out
}

/// A refusal that says what was expected (the fake's own words, not a provider's).
fn problem(status: StatusCode, message: String) -> Response {
    (status, axum::Json(json!({"fake_error": message}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_templates() {
        let vars = path_match("/v1/artists/{id}", "/v1/artists/abc%20d");
        assert_eq!(
            vars.and_then(|v| v.get("id").cloned()).as_deref(),
            Some("abc d")
        );
        assert!(path_match("/v1/artists/{id}", "/v1/albums/abc").is_none());
    }

    #[test]
    fn dotted_paths_are_set() {
        let mut v = json!({"data": {"a": 1}});
        set_path(&mut v, "data.token", json!("t"));
        set_path(&mut v, "x.y", json!(2));
        assert_eq!(v, json!({"data": {"a": 1, "token": "t"}, "x": {"y": 2}}));
    }

    #[test]
    fn json_types_are_checked_in_json_bodies_only() {
        assert!(
            type_problem(
                &json!("false"),
                ValueType::Boolean,
                Location::Body,
                Encoding::Json
            )
            .is_some()
        );
        assert!(
            type_problem(
                &json!(false),
                ValueType::Boolean,
                Location::Body,
                Encoding::Json
            )
            .is_none()
        );
        assert!(
            type_problem(
                &json!("false"),
                ValueType::Boolean,
                Location::Query,
                Encoding::Query
            )
            .is_none()
        );
        assert!(
            type_problem(
                &json!("yes"),
                ValueType::Boolean,
                Location::Query,
                Encoding::Query
            )
            .is_some()
        );
    }
}
