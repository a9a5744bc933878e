//! YAML documents (`.yaml`, `.yml`): OpenAPI 3.x and Swagger 2.0 as most specs are published,
//! read into JSON values and then exactly as the JSON reader reads them. Parsed with
//! `yaml-rust2` (maintained, pure Rust, source positions in its errors).

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

use super::{Document, Reader};
use crate::parse::diagnostics::Diagnostic;

/// How deeply collections may nest: a spec is a dozen levels deep; a hostile flow collection
/// (`[[[[…`) ends here with an error instead of deep recursion.
const MAX_DEPTH: usize = 256;

pub struct YamlReader;

impl Reader for YamlReader {
    fn name(&self) -> &'static str {
        "yaml"
    }

    fn sniff(&self, extension: Option<&str>, text: &str) -> u8 {
        match extension {
            Some("yaml" | "yml") => 90,
            None | Some("txt" | "text") => {
                let first = text
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty() && !l.starts_with('#'))
                    .unwrap_or("");
                if first.starts_with("openapi:") || first.starts_with("swagger:") {
                    85
                } else {
                    0
                }
            }
            _ => 0,
        }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        let value =
            parse(text).map_err(|(line, message)| Diagnostic::error(page, line, message))?;
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks: super::json::blocks_of(&value),
            warnings: super::json::structured_warnings(page, &value),
        })
    }
}

/// The first YAML document of `text` as JSON, or the line and reason it cannot be.
pub fn parse(text: &str) -> Result<Value, (u32, String)> {
    flow_depth(text)?;
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        (
            u32::try_from(e.marker().line()).unwrap_or(1).max(1),
            format!("not YAML: {}", e.info()),
        )
    })?;
    let first = docs
        .into_iter()
        .next()
        .ok_or_else(|| (1, "an empty YAML document".to_owned()))?;
    to_json(&first, 0).map_err(|message| (1, message))
}

/// Refuses flow collections nested deeper than [`MAX_DEPTH`] before the parser sees them.
fn flow_depth(text: &str) -> Result<(), (u32, String)> {
    let (mut depth, mut line) = (0usize, 1u32);
    for b in text.bytes() {
        match b {
            b'\n' => line += 1,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err((
                        line,
                        format!("collections nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn to_json(yaml: &Yaml, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("collections nested deeper than {MAX_DEPTH} levels"));
    }
    Ok(match yaml {
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(text) => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::from(text.clone()), Value::Number),
        Yaml::String(s) => Value::from(s.clone()),
        Yaml::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| to_json(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Hash(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    _ => continue,
                };
                out.insert(key, to_json(v, depth + 1)?);
            }
            Value::Object(out)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_becomes_json_and_errors_carry_lines() {
        let value = parse("openapi: 3.1.0\npaths:\n  /token:\n    post:\n      responses:\n        '200': {description: ok}\n").ok();
        assert_eq!(
            value
                .as_ref()
                .and_then(|v| v.pointer("/paths/~1token/post/responses/200/description")),
            Some(&Value::from("ok"))
        );
        assert_eq!(parse("a: [1, 2\nb: c\n").err().map(|e| e.0), Some(2));
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(
            parse(&deep)
                .err()
                .is_some_and(|(_, m)| m.contains("deeper"))
        );
    }
}
