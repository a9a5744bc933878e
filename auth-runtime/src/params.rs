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
}

impl ParamValue {
    pub(crate) fn expose(&self) -> &str {
        match self {
            ParamValue::Text(t) => t,
            ParamValue::Secret(s) => s.expose_secret(),
        }
    }
}

impl std::fmt::Debug for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Text(t) => write!(f, "{t:?}"),
            ParamValue::Secret(_) => f.write_str("[redacted]"),
        }
    }
}

/// Parameters for a call: wire name → value.
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
                ParamValue::Text(_) => None,
            })
            .collect()
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
