//! Lenient request reading shared by the providers: malformed input becomes "absent", and each
//! provider then answers with its own documented error instead of axum's plain-text rejection.

use std::collections::HashMap;

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use serde_json::{Map, Value};

/// Query parameters as a map; an unparsable query string counts as empty.
pub(crate) type QueryMap = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(crate) fn query_map(query: QueryMap) -> HashMap<String, String> {
    query.map(|Query(map)| map).unwrap_or_default()
}

/// A parameter that is present and not blank (providers answer "不能为空" for both cases).
pub(crate) fn non_empty<'a>(map: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    map.get(name)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

/// A JSON body that must be an object.
pub(crate) fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A string member of a JSON object: `Ok(None)` when absent, null or blank, `Err(())` when it has
/// another type (a Java server would fail to bind it).
pub(crate) fn json_str<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ()> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(()),
    }
}
