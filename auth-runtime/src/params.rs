//! Parameter values for one call, by wire name. Secret values stay wrapped until they are
//! written into the request.

use secrecy::{ExposeSecret, SecretString};

/// A parameter value.
#[derive(Clone)]
pub enum ParamValue {
    /// Plain text.
    Text(String),
    /// A secret (client secret, token): redacted in `Debug`.
    Secret(SecretString),
    /// A typed value (number, boolean, array, object): sent as JSON in a JSON body, as its text
    /// (`true`, `42`, compact JSON) anywhere else. Boxed: most values are text, and a session
    /// keeps one slot per credential (the tenants bench counts every byte).
    Json(Box<serde_json::Value>),
}

impl ParamValue {
    /// The value as text, for the query, a form, a header or a path segment.
    pub(crate) fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            ParamValue::Text(t) => t.into(),
            ParamValue::Secret(s) => s.expose_secret().into(),
            ParamValue::Json(v) => match v.as_ref() {
                serde_json::Value::String(s) => s.into(),
                other => other.to_string().into(),
            },
        }
    }

    /// The value for a JSON body: text as a string, typed values as they are.
    pub(crate) fn json(&self) -> serde_json::Value {
        match self {
            ParamValue::Text(t) => t.clone().into(),
            ParamValue::Secret(s) => s.expose_secret().into(),
            ParamValue::Json(v) => v.as_ref().clone(),
        }
    }
}

impl std::fmt::Debug for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Text(t) => write!(f, "{t:?}"),
            ParamValue::Secret(_) => f.write_str("[redacted]"),
            ParamValue::Json(v) => write!(f, "{v}"),
        }
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::Text(value)
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::Text(value.to_owned())
    }
}

impl From<SecretString> for ParamValue {
    fn from(value: SecretString) -> Self {
        ParamValue::Secret(value)
    }
}

impl From<serde_json::Value> for ParamValue {
    fn from(value: serde_json::Value) -> Self {
        ParamValue::Json(Box::new(value))
    }
}

impl From<Vec<serde_json::Value>> for ParamValue {
    fn from(value: Vec<serde_json::Value>) -> Self {
        ParamValue::Json(Box::new(value.into()))
    }
}

macro_rules! typed_from {
    ($($ty:ty),*) => {$(
        impl From<$ty> for ParamValue {
            fn from(value: $ty) -> Self {
                ParamValue::Json(Box::new(value.into()))
            }
        }
    )*};
}
typed_from!(bool, i64, f64);

/// Parameters for a call: wire name → value.
///
/// ```
/// use auth_runtime::{Params, SecretString};
///
/// let params = Params::new()
///     .text("appid", "wx123")
///     .secret("secret", SecretString::from("s3cr3t"))
///     .value("force_refresh", false);
/// assert!(params.contains("force_refresh"));
/// assert!(!format!("{params:?}").contains("s3cr3t"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Params {
    entries: Vec<(&'static str, ParamValue)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a plain value.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.set(name, ParamValue::Text(value.into()));
        self
    }

    /// Adds (or replaces) a secret value.
    pub fn secret(mut self, name: &'static str, value: SecretString) -> Self {
        self.set(name, ParamValue::Secret(value));
        self
    }

    /// Adds (or replaces) a value of any parameter type (`String`, `SecretString`, `bool`,
    /// `i64`, `f64`, JSON values).
    pub fn value(mut self, name: &'static str, value: impl Into<ParamValue>) -> Self {
        self.set(name, value.into());
        self
    }

    /// Sets a value when there is one: an optional parameter left `None` is not sent at all.
    pub fn set_optional(&mut self, name: &'static str, value: Option<impl Into<ParamValue>>) {
        if let Some(value) = value {
            self.set(name, value.into());
        }
    }

    /// Sets a value, replacing an earlier one of the same name.
    pub fn set(&mut self, name: &'static str, value: ParamValue) {
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((name, value)),
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.entries
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// Whether `name` is set.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every secret value, to redact from error excerpts.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter_map(|(_, v)| match v {
                ParamValue::Secret(s) => Some(s.expose_secret()),
                ParamValue::Text(_) | ParamValue::Json(_) => None,
            })
            .collect()
    }

    /// Frees spare capacity (a session keeps its credentials for its whole life).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }

    /// Merges `other` over `self`.
    pub fn merged(mut self, other: &Params) -> Self {
        for (name, value) in &other.entries {
            self.set(name, value.clone());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let p = Params::new()
            .text("client_id", "abc")
            .secret("client_secret", SecretString::from("s3cr3t-value"));
        let debug = format!("{p:?}");
        assert!(
            debug.contains("abc") && debug.contains("[redacted]"),
            "{debug}"
        );
        assert!(!debug.contains("s3cr3t-value"), "{debug}");
        assert_eq!(p.secrets(), ["s3cr3t-value"]);
    }
}
