//! RAML 1.0 API descriptions (`.raml`, or a document starting `#%RAML`), as MuleSoft's tools and
//! many API teams publish them. The YAML is parsed by the YAML reader's parser; the resources are
//! then laid out as the OpenAPI reader lays out operations: a heading per method, `METHOD path`,
//! the base URI as a host table, the Markdown descriptions and `documentation` as Markdown, and a
//! table per parameter group and body (RAML's properties are required unless `required: false`
//! or a `name?` key says otherwise), each response's examples and fields.

use serde_json::{Map, Value};

use super::{Document, Reader, layout};
use crate::parse::blocks::{Block, Table};
use crate::parse::diagnostics::Diagnostic;

/// How deeply resources may nest (`/a:` → `/b:` → …); a real description nests a few levels.
const MAX_NESTING: usize = 32;

/// The methods RAML resources may hold that the descriptor knows.
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

pub struct RamlReader;

impl Reader for RamlReader {
    fn name(&self) -> &'static str {
        "raml"
    }

    fn sniff(&self, extension: Option<&str>, text: &str) -> u8 {
        if text.trim_start().starts_with("#%RAML") {
            95
        } else if extension == Some("raml") {
            90
        } else {
            0
        }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        let doc = super::yaml::parse(text)
            .map_err(|(line, message)| Diagnostic::error(page, line, message))?;
        if !doc.is_object() {
            return Err(Diagnostic::error(
                page,
                1,
                "not a RAML document: expected a mapping with `title` and resources (`/path:`)",
            ));
        }
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks: blocks(&doc),
            warnings: Vec::new(),
        })
    }
}

/// The blocks of a RAML document.
pub(super) fn blocks(doc: &Value) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(title) = doc.get("title").and_then(Value::as_str) {
        out.push(Block::Heading {
            level: 1,
            text: title.to_owned(),
            line: 1,
        });
    }
    if let Some(description) = doc.get("description").and_then(Value::as_str) {
        out.extend(super::markdown::read_blocks(description));
    }
    for chapter in doc
        .get("documentation")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(title) = chapter.get("title").and_then(Value::as_str) {
            out.push(Block::Heading {
                level: 2,
                text: title.to_owned(),
                line: 1,
            });
        }
        if let Some(content) = chapter.get("content").and_then(Value::as_str) {
            out.extend(super::markdown::read_blocks(content));
        }
    }
    let hosts = base_uri(doc);
    resources(doc, doc, "", &hosts, 0, &mut out);
    out
}

/// `baseUri` with its `{version}` filled in, as a host labelled for production.
fn base_uri(doc: &Value) -> Vec<(String, String)> {
    let Some(uri) = doc.get("baseUri").and_then(Value::as_str) else {
        return Vec::new();
    };
    let version = doc
        .get("version")
        .and_then(super::json::scalar)
        .unwrap_or_default();
    vec![("prod".to_owned(), uri.replace("{version}", &version))]
}

/// Every method of every resource under `node`, whose path so far is `prefix`.
fn resources(
    doc: &Value,
    node: &Value,
    prefix: &str,
    hosts: &[(String, String)],
    depth: usize,
    out: &mut Vec<Block>,
) {
    let Some(map) = node.as_object() else {
        return;
    };
    if depth > MAX_NESTING {
        return;
    }
    for (key, child) in map {
        if key.starts_with('/') {
            let path = format!("{prefix}{key}");
            for method in METHODS {
                if let Some(op) = child.get(method) {
                    operation(doc, child, &path, method, op, hosts, out);
                }
            }
            resources(doc, child, &path, hosts, depth + 1, out);
        }
    }
}

fn operation(
    doc: &Value,
    resource: &Value,
    path: &str,
    method: &str,
    op: &Value,
    hosts: &[(String, String)],
    out: &mut Vec<Block>,
) {
    let title = op
        .get("displayName")
        .or_else(|| resource.get("displayName"))
        .and_then(Value::as_str)
        .unwrap_or(path);
    out.extend(layout::operation_head(title, method, path, hosts));
    if let Some(description) = op.get("description").and_then(Value::as_str) {
        out.extend(super::markdown::read_blocks(description));
    }
    if basic_auth(doc, op) {
        out.push(Block::Paragraph {
            text: "Client authentication: HTTP Basic, Authorization: Basic base64(client_id:client_secret)".into(),
            line: 1,
        });
    }
    for (key, label) in [
        ("headers", "Request headers"),
        ("queryParameters", "Query parameters"),
        ("uriParameters", "Path parameters"),
    ] {
        if let Some(table) = op.get(key).and_then(|p| properties_table(doc, p)) {
            out.push(Block::Label {
                text: label.into(),
                line: 1,
            });
            out.push(Block::Table(table));
        }
    }
    if let Some((media, body)) = op
        .get("body")
        .and_then(Value::as_object)
        .and_then(|b| b.iter().next())
    {
        out.extend(layout::body_intro(media));
        if let Some(table) = body_properties(doc, body).and_then(|p| properties_table(doc, p)) {
            out.push(Block::Table(table));
        }
    }
    responses(doc, op, out);
}

/// Whether the method (or, when it says nothing, the document) is secured by a scheme of type
/// `Basic Authentication`. `securedBy: [ null ]` means none.
fn basic_auth(doc: &Value, op: &Value) -> bool {
    let secured = op.get("securedBy").or_else(|| doc.get("securedBy"));
    let schemes = doc.get("securitySchemes");
    secured
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|name| schemes.and_then(|s| s.get(name)))
        .any(|scheme| {
            scheme
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("Basic Authentication"))
        })
}

/// A body's properties: its own, or those of the type it names in the document's `types`.
fn body_properties<'v>(doc: &'v Value, body: &'v Value) -> Option<&'v Value> {
    body.get("properties").or_else(|| {
        let name = body.get("type").and_then(Value::as_str)?;
        doc.get("types")?.get(name)?.get("properties")
    })
}

/// A property's type: its `type`, or the base type of the named type it refers to.
fn type_of(doc: &Value, property: &Value) -> String {
    let named = match property {
        Value::String(s) => s.as_str(),
        _ => property
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("string"),
    };
    match doc.get("types").and_then(|t| t.get(named)) {
        Some(Value::String(base)) => base.clone(),
        Some(t) => t
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_owned(),
        None => named.to_owned(),
    }
}

/// A table of RAML properties (parameters, headers, body fields). A property is required unless
/// it says `required: false` or its key ends in `?`.
fn properties_table(doc: &Value, properties: &Value) -> Option<Table> {
    let map: &Map<String, Value> = properties.as_object()?;
    if map.is_empty() {
        return None;
    }
    Some(layout::fields_table(map.iter().map(|(key, p)| {
        let (name, optional) = match key.strip_suffix('?') {
            Some(name) => (name, true),
            None => (key.as_str(), false),
        };
        layout::FieldRow {
            name: name.to_owned(),
            ty: type_of(doc, p),
            required: !optional && p.get("required").and_then(Value::as_bool) != Some(false),
            description: p
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        }
    })))
}

/// Each response: a label saying its status, an error's description as a sentence (its codes
/// are read from it), its examples as samples, and a success body's fields.
fn responses(doc: &Value, op: &Value, out: &mut Vec<Block>) {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return;
    };
    for (status, response) in responses {
        out.extend(layout::response_head(
            status,
            response.get("description").and_then(Value::as_str),
        ));
        let Some(body) = response
            .get("body")
            .and_then(Value::as_object)
            .and_then(|b| b.values().next())
        else {
            continue;
        };
        for example in examples(body) {
            out.extend(layout::response_example(status, &example));
        }
        if status.starts_with('2')
            && let Some(table) = body_properties(doc, body).and_then(|p| properties_table(doc, p))
        {
            out.extend(layout::response_fields(table));
        }
    }
}

/// A body's `example`, or each of its named `examples` (a value, or `{value: …}`), as text: a
/// string as written (RAML examples are often JSON in a block scalar), anything else as JSON.
fn examples(body: &Value) -> Vec<String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    let mut out: Vec<String> = body.get("example").map(text).into_iter().collect();
    if let Some(named) = body.get("examples").and_then(Value::as_object) {
        out.extend(
            named
                .values()
                .map(|e| e.get("value").map_or_else(|| text(e), text)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"#%RAML 1.0
title: Tokens
baseUri: https://api.example.com/{version}
version: v2
securitySchemes:
  basic:
    type: Basic Authentication
types:
  Token:
    type: object
    properties:
      access_token: string
      expires_in:
        type: integer
/oauth:
  /token:
    post:
      securedBy: [ basic ]
      body:
        application/x-www-form-urlencoded:
          properties:
            grant_type:
              type: string
            scope?:
              type: string
            audience:
              required: false
      responses:
        200:
          body:
            application/json:
              type: Token
              example: |
                {"access_token": "abc", "expires_in": 3600}
        400:
          description: "`invalid_grant`: the code expired."
"#;

    #[test]
    fn nested_resources_become_operations_with_their_parts() {
        let doc = RamlReader.read("t.raml", DOC).unwrap();
        let texts: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } | Block::Label { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert!(texts.contains(&"POST /oauth/token".to_owned()), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("Authorization: Basic")));
        assert!(texts.contains(&"`400`: `invalid_grant`: the code expired.".to_owned()));
        let tables: Vec<&Table> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(
            tables[0].rows[0].cells,
            ["prod", "https://api.example.com/v2"]
        );
        let body: Vec<(&str, &str)> = tables[1]
            .rows
            .iter()
            .map(|r| (r.cells[0].as_str(), r.cells[2].as_str()))
            .collect();
        assert_eq!(
            body,
            [
                ("grant_type", "true"),
                ("scope", "false"),
                ("audience", "false")
            ]
        );
        assert_eq!(tables[2].rows[1].cells[..2], ["expires_in", "integer"]);
        assert!(doc.blocks.iter().any(
            |b| matches!(b, Block::Code { text, .. } if text.contains("\"access_token\": \"abc\""))
        ));
    }

    #[test]
    fn the_format_is_claimed_by_its_header_or_extension() {
        assert_eq!(RamlReader.sniff(None, "#%RAML 1.0\ntitle: x"), 95);
        assert_eq!(RamlReader.sniff(Some("raml"), "title: x"), 90);
        assert_eq!(RamlReader.sniff(Some("yaml"), "openapi: 3.1.0"), 0);
    }

    #[test]
    fn a_scalar_document_is_refused_with_the_reason() {
        let err = RamlReader
            .read("t.raml", "#%RAML 1.0\njust text\n")
            .unwrap_err();
        assert!(err.to_string().contains("not a RAML document"), "{err}");
    }
}
