//! Who supplies each parameter, decided once when a provider's endpoints are assembled (the
//! generator, the macro and the runtime only read [`Role`]):
//! - a parameter named like another endpoint's token is **filled from** that endpoint;
//! - the documented `Authorization: Basic` header is **client auth**, built from the credentials;
//! - a value the page fixes (`grant_type` with one value, "固定值 json", a `Content-Type` header)
//!   is a **constant** the client sends itself;
//! - the rest of a token endpoint's parameters are **credentials**; another endpoint's are
//!   **per call**, unless a token endpoint takes the same parameter as a credential.
//!
//! How protected calls present each token is settled here too: a parameter filled from a token
//! says exactly where the token goes, which beats what the page's samples suggest.

use serde_json::Value;

use super::extract::text::{loose, loose_eq};
use super::vocab;
use crate::model::{Encoding, Endpoint, Location, Param, Presentation, Role, ValueType};

/// Assigns every parameter's role and every token's presentation.
pub(super) fn assign(endpoints: &mut [Endpoint]) {
    link_dependent_params(endpoints);
    for endpoint in endpoints.iter_mut() {
        let issues_token = endpoint.issues_token();
        let basic = endpoint.basic_auth.is_some();
        let encoding = endpoint.encoding;
        for param in endpoint.params.iter_mut() {
            if matches!(param.role, Role::FilledFrom(_)) {
                continue;
            }
            param.role = if basic && is_authorization(param) {
                Role::ClientAuth
            } else if let Some(value) = constant(param, encoding) {
                Role::Constant(value)
            } else if issues_token {
                Role::Credential
            } else {
                Role::PerCall
            };
        }
    }
    // A protected call that takes a credential of a token endpoint (an app id) gets it from the
    // same credentials, not per call.
    let credentials: Vec<String> = endpoints
        .iter()
        .flat_map(|e| &e.params)
        .filter(|p| p.role == Role::Credential)
        .map(|p| p.rust_name.clone())
        .collect();
    for param in endpoints.iter_mut().flat_map(|e| e.params.iter_mut()) {
        if param.role == Role::PerCall && credentials.contains(&param.rust_name) {
            param.role = Role::Credential;
        }
    }
    present_tokens(endpoints);
}

/// A parameter named like another endpoint's token (`access_token` ← `data.access_token`), or
/// an `Authorization` header of a protected call, is filled from that endpoint's cached token.
fn link_dependent_params(endpoints: &mut [Endpoint]) {
    let tokens: Vec<(String, String)> = endpoints
        .iter()
        .filter_map(|e| {
            let token = e.token.as_ref()?;
            let last = token.path.rsplit('.').next()?;
            Some((e.name.clone(), loose(last)))
        })
        .collect();
    let Some(first_token) = tokens.first().map(|(name, _)| name.clone()) else {
        return;
    };
    for endpoint in endpoints.iter_mut() {
        let protected = !endpoint.issues_token();
        for param in &mut endpoint.params {
            let named_like_token = tokens
                .iter()
                .find(|(name, field)| *name != endpoint.name && *field == loose(&param.name))
                .map(|(name, _)| name.clone());
            let bearer_header = (protected && is_authorization(param) && !mentions_basic(param))
                .then(|| first_token.clone());
            if let Some(source) = named_like_token.or(bearer_header) {
                param.role = Role::FilledFrom(source);
                param.secret = true;
            }
        }
    }
}

fn is_authorization(param: &Param) -> bool {
    param.location == Location::Header && param.name.eq_ignore_ascii_case("authorization")
}

fn mentions_basic(param: &Param) -> bool {
    [param.example.as_deref(), param.description.as_deref()]
        .into_iter()
        .flatten()
        .any(|t| t.to_ascii_lowercase().contains("basic"))
}

/// The fixed value of a parameter, when the page fixes one: a media-type header; a protocol
/// parameter (`grant_type`) with a single value; or a description that says "fixed value X",
/// "must be X" with X quoted or equal to the example.
fn constant(param: &Param, encoding: Encoding) -> Option<Value> {
    if param.secret {
        return None;
    }
    if param.location == Location::Header {
        let name = param.name.to_ascii_lowercase();
        if name == "content-type" || name == "accept" {
            let media = match encoding {
                Encoding::Form => "application/x-www-form-urlencoded",
                Encoding::Multipart => "multipart/form-data",
                Encoding::Json | Encoding::Query => "application/json",
            };
            return Some(Value::from(
                param.example.clone().unwrap_or_else(|| media.to_owned()),
            ));
        }
    }
    let description = param.description.as_deref().unwrap_or("");
    let example = param
        .example
        .as_deref()
        .map(str::trim)
        .filter(|e| single_value(e));
    let stated = stated_value(description);
    let value = if vocab::PROTOCOL_CONSTANTS
        .iter()
        .any(|c| loose_eq(c, &param.name))
    {
        // One value shown, and no alternative named in the description.
        match (example, stated) {
            (Some(e), _) if !lists_alternatives(description) => Some(e.to_owned()),
            (None, Some(s)) if !lists_alternatives(description) => Some(s),
            (None, None) if !lists_alternatives(description) => {
                code_words(description).next().map(str::to_owned)
            }
            _ => None,
        }
    } else {
        match (example, stated) {
            (Some(e), Some(s)) if e == s => Some(s),
            (None, Some(s)) if quoted_in(description, &s) => Some(s),
            (Some(e), None) if says_fixed(description) && description.contains(e) => {
                Some(e.to_owned())
            }
            _ => None,
        }
    }?;
    Some(typed(&value, param.ty))
}

/// The value after a fixed-value phrase (`固定值：client_credential`, "must be `json`").
fn stated_value(description: &str) -> Option<String> {
    let lower = description.to_lowercase();
    vocab::FIXED_VALUE_PHRASES.iter().find_map(|phrase| {
        let at = lower.find(phrase)? + phrase.len();
        let rest = description.get(at..)?;
        let rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ':' | '：' | '为' | '"' | '\'' | '`' | '“' | '「' | '，' | ','
                )
        });
        let value: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '+'))
            .collect();
        (!value.is_empty()
            && value
                .chars()
                .any(|c| c.is_ascii_alphabetic() || c.is_ascii_digit()))
        .then_some(value)
    })
}

fn says_fixed(description: &str) -> bool {
    let lower = description.to_lowercase();
    vocab::FIXED_VALUE_PHRASES.iter().any(|p| lower.contains(p))
}

fn quoted_in(description: &str, value: &str) -> bool {
    ["`", "\"", "'", "“"]
        .iter()
        .any(|q| description.contains(&format!("{q}{value}")))
}

/// Whether a description names more than one value (`authorization_code 或 refresh_token`).
fn lists_alternatives(description: &str) -> bool {
    let lower = description.to_lowercase();
    lower.contains(" or ") || lower.contains('或') || code_words(description).count() > 1
}

/// Words that look like protocol values (`client_credential`, `refresh_token`): lower-case
/// ASCII with an underscore.
fn code_words(description: &str) -> impl Iterator<Item = &str> {
    description
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.contains('_') && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

/// Whether an example is one value (not a list or a sentence).
fn single_value(example: &str) -> bool {
    !example.is_empty()
        && example.len() <= 64
        && !example.contains(char::is_whitespace)
        && !example.contains(['|', ','])
}

/// A stated value in the parameter's type (`true` for a boolean, `1` for an integer).
fn typed(value: &str, ty: ValueType) -> Value {
    match ty {
        ValueType::Boolean => match value {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::from(other),
        },
        ValueType::Integer => value
            .parse::<i64>()
            .map_or_else(|_| Value::from(value), Value::from),
        ValueType::Number => value
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::from(value), Value::Number),
        _ => Value::from(value),
    }
}

/// How protected calls present each token: where a parameter filled from it is sent (a query
/// parameter, a custom header, `Authorization`), when the provider has such a call.
fn present_tokens(endpoints: &mut [Endpoint]) {
    let mut found: Vec<(String, Presentation)> = Vec::new();
    for endpoint in endpoints.iter() {
        for param in &endpoint.params {
            let Role::FilledFrom(source) = &param.role else {
                continue;
            };
            let presentation = match param.location {
                Location::Query => Presentation::Query {
                    name: param.name.clone(),
                },
                Location::Header if is_authorization(param) => Presentation::Authorization {
                    scheme: scheme_of(param).unwrap_or_else(|| "Bearer".to_owned()),
                },
                Location::Header => Presentation::Header {
                    name: param.name.clone(),
                },
                Location::Body | Location::Path => continue,
            };
            if !found.iter().any(|(s, _)| s == source) {
                found.push((source.clone(), presentation));
            }
        }
    }
    for endpoint in endpoints.iter_mut() {
        if let (Some(token), Some((_, presentation))) = (
            endpoint.token.as_mut(),
            found.iter().find(|(s, _)| *s == endpoint.name),
        ) {
            token.presentation = presentation.clone();
        }
    }
}

/// The scheme word of an `Authorization` parameter's example (`Bearer {token}`).
fn scheme_of(param: &Param) -> Option<String> {
    let example = param.example.as_deref()?;
    let word = example.split_whitespace().next()?;
    vocab::TOKEN_SCHEMES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(word))
        .then(|| word.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_values_are_read_from_descriptions() {
        assert_eq!(
            stated_value("固定值：client_credential"),
            Some("client_credential".into())
        );
        assert_eq!(
            stated_value("Must be `client_credentials`."),
            Some("client_credentials".into())
        );
        assert_eq!(stated_value("The app's id."), None);
    }

    #[test]
    fn alternatives_are_not_constants() {
        assert!(lists_alternatives("authorization_code 或 refresh_token"));
        assert!(lists_alternatives(
            "Either authorization_code or refresh_token"
        ));
        assert!(!lists_alternatives("填写 client_credential"));
        assert_eq!(
            code_words("填写 client_credential").next(),
            Some("client_credential")
        );
    }

    #[test]
    fn constants_keep_their_type() {
        assert_eq!(typed("true", ValueType::Boolean), Value::Bool(true));
        assert_eq!(typed("7", ValueType::Integer), Value::from(7));
        assert_eq!(typed("json", ValueType::String), Value::from("json"));
    }
}
