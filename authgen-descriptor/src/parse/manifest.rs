//! The per-provider manifest (`specs/<provider>/manifest.toml`): what a human decides and a
//! page cannot say, and overrides that settle contradictions or fix wrong facts.
//!
//! ```toml
//! provider = "ebaas"
//! time_zone = "Asia/Shanghai"          # for datetimes sent without an offset
//! token_invalidates_previous = false   # does a new fetch revoke the old token?
//!
//! retryable_codes = ["-1"]             # transient codes ("system busy"): retried like a 5xx
//! ignored_columns = ["处理建议"]        # unknown table columns acknowledged: no warning
//!
//! [base_urls]                          # added to every endpoint that lacks the environment
//! prod = "https://etc.example.com"
//!
//! [[override]]
//! endpoint = "service_token"
//! pointer = "/encoding"                # endpoint-relative; array items by name, `fields` implied
//! value = "form"                       # omit `value` to accept what was chosen
//! reason = "the server rejects JSON; the code samples are right"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use toml::Spanned;

use super::blocks::LineIndex;
use super::diagnostics::Diagnostic;
use crate::model::{Endpoint, Source, is_field_name};

/// A parsed manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Provider name (snake_case): the descriptor's file name.
    pub provider: Spanned<String>,
    /// IANA time zone for datetimes without an offset.
    #[serde(default)]
    pub time_zone: Option<Spanned<String>>,
    /// Whether a new fetch invalidates the previous token.
    #[serde(default)]
    pub token_invalidates_previous: bool,
    /// Base URLs by environment, added where a page gives none for that environment.
    #[serde(default)]
    pub base_urls: BTreeMap<String, Spanned<String>>,
    /// Table columns the readers do not know and the page may keep (`处理建议`): their warning
    /// is acknowledged and no longer printed.
    #[serde(default)]
    pub ignored_columns: Vec<String>,
    /// Documented codes that are transient (`-1`, "system busy"): the runtime retries them a
    /// bounded number of times, like a 5xx.
    #[serde(default)]
    pub retryable_codes: Vec<Spanned<String>>,
    /// Overrides, applied after parsing.
    #[serde(default, rename = "override")]
    pub overrides: Vec<Override>,
}

/// One override.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The endpoint name.
    pub endpoint: Spanned<String>,
    /// Endpoint-relative pointer: `/encoding`, `/params/app_secret/name`, `/response/data/service_ticket`.
    pub pointer: Spanned<String>,
    /// The new value; absent to accept the choice recorded in a conflict.
    #[serde(default)]
    pub value: Option<toml::Value>,
    /// Why: kept in the descriptor next to the conflict it settles.
    pub reason: String,
}

/// A manifest with the means to point at its lines.
pub struct LoadedManifest {
    /// The manifest.
    pub manifest: Manifest,
    /// Its display path.
    pub path: String,
    lines: LineIndex,
}

impl LoadedManifest {
    /// Parses and checks a manifest; errors name the file and line.
    pub fn parse(path: &str, text: &str) -> Result<Self, Diagnostic> {
        let lines = LineIndex::new(text);
        let manifest: Manifest = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |span| lines.line(span.start));
            Diagnostic::error(path, line, format!("invalid manifest: {}", e.message()))
        })?;
        let loaded = Self {
            manifest,
            path: path.to_owned(),
            lines,
        };
        loaded.check()?;
        Ok(loaded)
    }

    /// The source of a spanned manifest value.
    pub fn source<T>(&self, spanned: &Spanned<T>) -> Source {
        Source {
            page: self.path.clone(),
            line: self.lines.line(spanned.span().start),
        }
    }

    fn error<T>(&self, at: &Spanned<T>, message: String) -> Diagnostic {
        Diagnostic::error(&self.path, self.source(at).line, message)
    }

    fn check(&self) -> Result<(), Diagnostic> {
        let m = &self.manifest;
        if !is_field_name(m.provider.get_ref()) {
            return Err(self.error(
                &m.provider,
                format!(
                    "`provider` must be a snake_case name that is not a Rust keyword (like `ebaas`), found `{}`",
                    m.provider.get_ref()
                ),
            ));
        }
        if let Some(zone) = &m.time_zone {
            let z = zone.get_ref();
            // Known to the time zone database the runtime will use: a bogus zone fails here, at
            // regen, not in every fetch at run time.
            let plausible = z == "UTC"
                || (z.contains('/')
                    && z.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
                    && jiff::tz::TimeZone::get(z).is_ok());
            if !plausible {
                return Err(self.error(
                    zone,
                    format!(
                        "`time_zone` must be an IANA zone name like `Asia/Shanghai`, found `{z}`"
                    ),
                ));
            }
        }
        for (env, url) in &m.base_urls {
            if !(url.get_ref().starts_with("https://") || url.get_ref().starts_with("http://")) {
                return Err(self.error(
                    url,
                    format!(
                        "base_urls.{env} must start with https:// (or http://), found `{}`",
                        url.get_ref()
                    ),
                ));
            }
        }
        for (i, o) in m.overrides.iter().enumerate() {
            if !o.pointer.get_ref().starts_with('/') {
                return Err(self.error(
                    &o.pointer,
                    format!(
                        "override #{} pointer must start with `/` (like `/encoding`)",
                        i + 1
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Applies override `o` to `endpoint`; marks conflicts it settles. Errors say what did not fit.
    pub fn apply(&self, o: &Override, endpoint: &mut Endpoint) -> Result<(), Diagnostic> {
        let pointer = o.pointer.get_ref();
        let source = self.source(&o.pointer);
        let mut value =
            serde_json::to_value(&*endpoint).map_err(|e| self.error(&o.pointer, e.to_string()))?;
        let segments: Vec<&str> = pointer
            .trim_start_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        match &o.value {
            None => {
                navigate(&mut value, &segments).map_err(|e| {
                    self.error(&o.pointer, format!("override pointer `{pointer}`: {e}"))
                })?;
            }
            Some(new) => {
                let new =
                    serde_json::to_value(new).map_err(|e| self.error(&o.pointer, e.to_string()))?;
                set(&mut value, &segments, new).map_err(|e| {
                    self.error(&o.pointer, format!("override pointer `{pointer}`: {e}"))
                })?;
                *endpoint = serde_json::from_value(value).map_err(|e| {
                    self.error(
                        &o.pointer,
                        format!("override value for `{pointer}` does not fit the descriptor: {e}"),
                    )
                })?;
            }
        }
        let settled_by = format!("{source}: {}", o.reason);
        for conflict in endpoint
            .conflicts
            .iter_mut()
            .filter(|c| &c.topic == pointer)
        {
            conflict.settled_by = Some(settled_by.clone());
        }
        Ok(())
    }
}

fn navigate<'v>(mut current: &'v mut Value, segments: &[&str]) -> Result<&'v mut Value, String> {
    for segment in segments {
        current = step(current, segment)?;
    }
    Ok(current)
}

fn step<'v>(current: &'v mut Value, segment: &str) -> Result<&'v mut Value, String> {
    match current {
        Value::Object(map) => {
            if map.contains_key(segment) {
                return map
                    .get_mut(segment)
                    .ok_or_else(|| format!("no `{segment}`"));
            }
            match map.get_mut("fields") {
                Some(Value::Array(items)) => find_item(items, segment),
                _ => Err(format!("no key `{segment}` here")),
            }
        }
        Value::Array(items) => find_item(items, segment),
        _ => Err(format!("cannot go into `{segment}`: not an object or list")),
    }
}

fn find_item<'v>(items: &'v mut [Value], segment: &str) -> Result<&'v mut Value, String> {
    if let Ok(index) = segment.parse::<usize>() {
        let len = items.len();
        return items
            .get_mut(index)
            .ok_or_else(|| format!("index {index} is past the end ({len} items)"));
    }
    let names: Vec<String> = items
        .iter()
        .filter_map(|item| {
            ["name", "code", "path"]
                .iter()
                .find_map(|k| item.get(k)?.as_str().map(str::to_owned))
        })
        .collect();
    items
        .iter_mut()
        .find(|item| {
            ["name", "code", "path"]
                .iter()
                .any(|k| item.get(k).and_then(Value::as_str) == Some(segment))
        })
        .ok_or_else(|| {
            format!(
                "no item named `{segment}` (there are: {})",
                names.join(", ")
            )
        })
}

fn set(root: &mut Value, segments: &[&str], new: Value) -> Result<(), String> {
    let Some((last, parents)) = segments.split_last() else {
        return Err("cannot replace the whole endpoint".to_owned());
    };
    let parent = navigate(root, parents)?;
    match parent {
        Value::Object(map) if map.contains_key(*last) || !map.contains_key("fields") => {
            map.insert((*last).to_owned(), new);
            Ok(())
        }
        other => {
            *step(other, last)? = new;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_time_zone_is_refused_at_regen() {
        let err = LoadedManifest::parse(
            "m.toml",
            "provider = \"ebaas\"\ntime_zone = \"Mars/Olympus_Mons\"\n",
        )
        .err()
        .map(|d| d.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.starts_with("m.toml:2: error: `time_zone` must be an IANA zone")),
            "{err:?}"
        );
        assert!(
            LoadedManifest::parse(
                "m.toml",
                "provider = \"ebaas\"\ntime_zone = \"Asia/Shanghai\"\n"
            )
            .is_ok()
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = LoadedManifest::parse("m.toml", "provider = \"ebaas\"\ntime_zone = 3\n")
            .err()
            .map(|d| d.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.starts_with("m.toml:2: error: invalid manifest")),
            "{err:?}"
        );
        let err = LoadedManifest::parse("m.toml", "provider = \"Ebaas\"\n")
            .err()
            .map(|d| d.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "m.toml:1: error: `provider` must be a snake_case name that is not a Rust keyword (like `ebaas`), found `Ebaas`"
            )
        );
        let err = LoadedManifest::parse("m.toml", "provider = \"a\"\ncolour = 1\n")
            .err()
            .map(|d| d.source.line);
        assert_eq!(err, Some(2));
    }

    #[test]
    fn pointers_find_items_by_name_and_fields_implicitly() {
        let mut v = serde_json::json!({"response": [{"name": "data", "fields": [{"name": "t", "type": "string"}]}]});
        let found = navigate(&mut v, &["response", "data", "t", "type"]).map(|v| v.clone());
        assert_eq!(found, Ok(serde_json::json!("string")));
        assert!(navigate(&mut v, &["response", "nope"]).is_err());
        assert_eq!(
            set(
                &mut v,
                &["response", "data", "t", "type"],
                serde_json::json!("integer")
            ),
            Ok(())
        );
        assert_eq!(v["response"][0]["fields"][0]["type"], "integer");
    }
}
