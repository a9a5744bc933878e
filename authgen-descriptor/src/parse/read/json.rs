//! Structured JSON pages: doc platforms' project exports (Eolink, YApi, Apifox, Postman and the
//! like) read without knowing their schema. Objects become headings (their key) and `key: value`
//! lines, arrays of objects become tables (one column per key), strings holding JSON samples
//! become code blocks under a label naming them, and strings holding HTML are read as HTML. The
//! extractors then find facts by the same vocabulary as on any page.

use serde_json::Value;

use super::{Document, Reader};
use crate::parse::blocks::{Block, Row, Table};
use crate::parse::diagnostics::Diagnostic;

/// Reads JSON exports that are not a `{"__html": …}` wrapper.
pub struct JsonReader;

/// How deep the walk goes (exports nest a few levels; hostile input may nest thousands).
const MAX_DEPTH: usize = 32;

impl Reader for JsonReader {
    fn name(&self) -> &'static str {
        "json"
    }

    fn sniff(&self, extension: Option<&str>, text: &str) -> u8 {
        // Markup pages may open with a brace too (`{{Note}}`, `{attribute}`).
        if !matches!(extension, None | Some("json" | "txt" | "text")) {
            return 0;
        }
        let trimmed = text.trim_start();
        if !(trimmed.starts_with('{') || trimmed.starts_with('[')) || trimmed.contains("\"__html\"")
        {
            return 0;
        }
        // Parsed once, by `read` (which says where a page that is not JSON breaks).
        80
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Diagnostic::error(
                page,
                u32::try_from(e.line()).unwrap_or(1),
                format!("not JSON: {e}"),
            )
        })?;
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks: blocks_of(&value),
            warnings: structured_warnings(page, &value),
        })
    }
}

/// What a structured document's reading went around: `$ref`s that point nowhere or back at
/// themselves, each with its JSON pointer.
pub(super) fn structured_warnings(page: &str, value: &Value) -> Vec<Diagnostic> {
    if !super::openapi::is_openapi(value) {
        return Vec::new();
    }
    super::openapi::ref_problems(value)
        .into_iter()
        .map(|message| {
            Diagnostic::warning(
                crate::model::Source {
                    page: page.to_owned(),
                    line: 1,
                },
                message,
            )
        })
        .collect()
}

/// The blocks of a structured document: an OpenAPI or Swagger document, a Postman collection,
/// or any other JSON export, walked.
pub(super) fn blocks_of(value: &Value) -> Vec<Block> {
    if super::openapi::is_openapi(value) {
        return super::openapi::blocks(value);
    }
    if super::postman::is_postman(value) {
        return super::postman::blocks(value);
    }
    if super::insomnia::is_insomnia(value) {
        return super::insomnia::blocks(value);
    }
    let mut blocks = Vec::new();
    walk(value, None, 1, &mut blocks);
    blocks
}

/// A scalar's text (strings as they are, numbers and booleans as written); `None` otherwise.
pub(super) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn walk(value: &Value, key: Option<&str>, depth: usize, blocks: &mut Vec<Block>) {
    if depth > MAX_DEPTH {
        return;
    }
    let level = u8::try_from(depth.min(6)).unwrap_or(6);
    match value {
        Value::Object(map) => {
            if let Some(key) = key {
                blocks.push(Block::Heading {
                    level,
                    text: key.to_owned(),
                    line: 1,
                });
            }
            let mut lines = Vec::new();
            for (k, v) in map {
                match v {
                    Value::String(s) if is_json_sample(s) => {
                        flush_lines(&mut lines, blocks);
                        blocks.extend(Block::labelled_sample(k.clone(), "json", s));
                    }
                    // Notes written in Markdown (tables, lists, code) are read as Markdown.
                    Value::String(s) if s.contains('\n') => {
                        flush_lines(&mut lines, blocks);
                        blocks.push(Block::Label {
                            text: k.clone(),
                            line: 1,
                        });
                        // (Their lines count inside the string: an export is one line anyway.)
                        blocks.extend(super::markdown::read_blocks(s));
                    }
                    Value::Object(_) | Value::Array(_) => {}
                    other => {
                        if let Some(text) = scalar(other).filter(|t| !t.is_empty()) {
                            lines.push(format!("{k}: {}", strip_tags(&text)));
                        }
                    }
                }
            }
            flush_lines(&mut lines, blocks);
            for (k, v) in map {
                if matches!(v, Value::Object(_) | Value::Array(_)) {
                    walk(v, Some(k), depth + 1, blocks);
                }
            }
        }
        Value::Array(items) => {
            let objects: Vec<&serde_json::Map<String, Value>> =
                items.iter().filter_map(Value::as_object).collect();
            let mut header: Vec<String> = Vec::new();
            for object in &objects {
                for (k, v) in object.iter() {
                    if scalar(v).is_some() && !header.contains(k) {
                        header.push(k.clone());
                    }
                }
            }
            if !header.is_empty() {
                if let Some(key) = key {
                    blocks.push(Block::Heading {
                        level,
                        text: key.to_owned(),
                        line: 1,
                    });
                }
                let rows = objects
                    .iter()
                    .map(|o| Row {
                        cells: header
                            .iter()
                            .map(|h| {
                                o.get(h)
                                    .and_then(scalar)
                                    .map(|s| strip_tags(&s))
                                    .unwrap_or_default()
                            })
                            .collect(),
                        depth: 0,
                        line: 1,
                    })
                    .collect();
                blocks.push(Block::Table(Table {
                    header,
                    rows,
                    line: 1,
                }));
            } else if let (Some(key), false) = (key, items.is_empty()) {
                let scalars: Vec<String> = items.iter().filter_map(scalar).collect();
                if !scalars.is_empty() {
                    blocks.push(Block::Paragraph {
                        text: format!("{key}: {}", scalars.join(", ")),
                        line: 1,
                    });
                }
            }
            // Nested structures inside the items (an export's `apiList[].baseInfo`).
            for object in objects {
                for (k, v) in object {
                    if matches!(v, Value::Object(_) | Value::Array(_)) {
                        walk(v, Some(k), depth + 1, blocks);
                    }
                }
            }
        }
        _ => {}
    }
}

fn flush_lines(lines: &mut Vec<String>, blocks: &mut Vec<Block>) {
    if !lines.is_empty() {
        blocks.push(Block::Paragraph {
            text: lines.join("\n"),
            line: 1,
        });
        lines.clear();
    }
}

/// Whether a string holds a JSON object or array (a response or request sample).
fn is_json_sample(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with('{') || t.starts_with('['))
        && t.len() > 2
        && serde_json::from_str::<Value>(t).is_ok()
}

/// Markup in exported descriptions (`<p>`, `<br>`) as plain text, lines kept.
fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in s.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name = tag
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                if matches!(name, "br" | "br/" | "p" | "div" | "li" | "tr") {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_become_headings_lines_tables_and_samples() {
        let page = r#"{"api": {"baseInfo": {"apiURI": "https://h.example.com/oauth2/token", "apiSuccessMock": "{\"access_token\": \"x\"}"},
            "requestInfo": [{"paramKey": "client_id", "paramType": "string"}, {"paramKey": "code", "paramType": "string"}]}}"#;
        let doc = JsonReader.read("p.json", page).unwrap();
        assert!(doc.blocks.iter().any(|b| matches!(b, Block::Paragraph { text, .. } if text == "apiURI: https://h.example.com/oauth2/token")));
        assert!(
            doc.blocks
                .iter()
                .any(|b| matches!(b, Block::Code { text, .. } if text.contains("access_token")))
        );
        let table = doc.blocks.iter().find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        });
        assert_eq!(
            table.map(|t| t.header.clone()),
            Some(vec!["paramKey".to_owned(), "paramType".to_owned()])
        );
        assert_eq!(
            JsonReader.sniff(Some("json"), "{\"__html\": \"<p>x</p>\"}"),
            0
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let page = format!("{}1{}", "{\"a\":".repeat(100), "}".repeat(100));
        assert!(JsonReader.read("p.json", &page).is_ok());
    }
}
