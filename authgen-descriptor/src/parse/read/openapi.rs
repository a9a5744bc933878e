//! OpenAPI 3 and Swagger 2 documents (JSON), standalone or embedded in a rendered page (Redoc's
//! `__redoc_state`, Swagger UI's `spec:`), turned into the blocks a human page would show: per
//! operation a heading, a `METHOD path` line, the servers as a host table, a parameter table
//! (name, in, type, required, description), the request body's properties, the response's
//! example, and its properties. The extractors then read them as they read any page.
//!
//! `$ref`s are resolved within the document (`#/components/schemas/…`, `#/definitions/…`), with
//! depth and count bounded so a cycle cannot loop.

use serde_json::Value;

use super::layout;

use crate::parse::blocks::{Block, Row, Table};

/// How many `$ref`s one schema walk may follow (cycles and blow-ups end here).
const MAX_REFS: usize = 64;

/// Whether a JSON value is an OpenAPI or Swagger document.
pub fn is_openapi(value: &Value) -> bool {
    (value.get("openapi").is_some() || value.get("swagger").is_some())
        && value.get("paths").is_some_and(Value::is_object)
}

/// The OpenAPI document a rendered page embeds (`__redoc_state = {…}` or `spec: {…}` in a
/// script), if any.
pub fn embedded(script: &str) -> Option<Value> {
    for marker in ["__redoc_state", "spec:", "spec =", "\"spec\":"] {
        let mut from = 0;
        while let Some(at) = script[from..].find(marker) {
            let start = from + at + marker.len();
            from = start;
            let Some(open) = script[start..].find('{') else {
                break;
            };
            let mut values =
                serde_json::Deserializer::from_str(&script[start + open..]).into_iter::<Value>();
            if let Some(Ok(value)) = values.next() {
                // Redoc keeps the document under `spec.data`.
                let document = value.pointer("/spec/data").cloned().unwrap_or(value);
                if is_openapi(&document) {
                    return Some(document);
                }
            }
        }
    }
    None
}

/// The `$ref`s of a document that point nowhere (dangling), outside it, or at an ancestor of
/// themselves (a cycle, read once and then cut), each with its JSON pointer.
pub fn ref_problems(doc: &Value) -> Vec<String> {
    fn walk(doc: &Value, value: &Value, pointer: &mut String, depth: usize, out: &mut Vec<String>) {
        if depth > 64 || out.len() >= 20 {
            return;
        }
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    match reference.strip_prefix('#') {
                        None => out.push(format!(
                            "`$ref` at {pointer} points outside the document (`{reference}`): not followed"
                        )),
                        Some(target) if doc.pointer(target).is_none() => out.push(format!(
                            "dangling `$ref` at {pointer}: `{reference}` is not in the document; read as an empty schema"
                        )),
                        Some(target) if pointer.starts_with(target) => out.push(format!(
                            "`$ref` cycle at {pointer}: `{reference}` contains it; read once, then cut"
                        )),
                        Some(_) => {}
                    }
                }
                for (key, child) in map {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    walk(doc, child, pointer, depth + 1, out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    walk(doc, child, pointer, depth + 1, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, doc, &mut String::new(), 0, &mut out);
    out
}

/// The blocks of an OpenAPI document.
pub fn blocks(doc: &Value) -> Vec<Block> {
    let mut out = Vec::new();
    let line = 1;
    if let Some(title) = doc.pointer("/info/title").and_then(Value::as_str) {
        out.push(Block::Heading {
            level: 1,
            text: title.to_owned(),
            line,
        });
    }
    // The document's own description (Markdown): shared error codes, hosts, conventions.
    if let Some(description) = doc.pointer("/info/description").and_then(Value::as_str) {
        out.extend(super::markdown::read_blocks(description));
    }
    let servers = servers(doc);
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !matches!(method.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                continue;
            }
            let summary = op
                .get("summary")
                .or_else(|| op.get("operationId"))
                .and_then(Value::as_str)
                .unwrap_or(path);
            let mut head = layout::operation_head(summary, method, path, &servers);
            let hosts = (head.len() > 2).then(|| head.remove(2));
            out.extend(head);
            if let Some(description) = op.get("description").and_then(Value::as_str) {
                // Descriptions are Markdown: their tables and lists (error codes) are read too.
                out.extend(super::markdown::read_blocks(description));
            }
            out.extend(hosts);
            out.extend(security(doc, op));
            parameters(doc, item.get("parameters"), op.get("parameters"), &mut out);
            // Swagger 2 states the body's media type in `consumes` (per operation or for all).
            if let Some(media) = op
                .get("consumes")
                .or_else(|| doc.get("consumes"))
                .and_then(|c| c.get(0))
                .and_then(Value::as_str)
            {
                let [_, sentence] = layout::body_intro(media);
                out.push(sentence);
            }
            request_body(doc, op, &mut out);
            responses(doc, op, &mut out);
        }
    }
    out
}

/// The operation's security requirements (or the document's) as the sentences a page would
/// write: `Authorization: Basic base64(client_id:client_secret)` for an HTTP Basic scheme,
/// `Authorization: Bearer <token>` for a bearer one, `X-Token: <token>` or `?name=<token>` for
/// an API key in a header or the query (OpenAPI 3 `components/securitySchemes`, Swagger 2
/// `securityDefinitions`).
fn security(doc: &Value, op: &Value) -> Vec<Block> {
    let schemes = doc
        .pointer("/components/securitySchemes")
        .or_else(|| doc.get("securityDefinitions"));
    let requirements = op.get("security").or_else(|| doc.get("security"));
    let mut out = Vec::new();
    // The headers and query parameters the schemes put on the request, as a page lists them.
    let mut headers: Vec<Row> = Vec::new();
    let mut query: Vec<Row> = Vec::new();
    let row = |name: &str, description: &str| Row {
        cells: vec![
            name.to_owned(),
            "string".to_owned(),
            "true".to_owned(),
            description.to_owned(),
        ],
        depth: 0,
        line: 1,
    };
    for requirement in requirements.and_then(Value::as_array).into_iter().flatten() {
        for name in requirement
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            let Some(scheme) = schemes.and_then(|s| s.get(name)) else {
                continue;
            };
            let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
            let http = scheme.get("scheme").and_then(Value::as_str).unwrap_or("");
            let key_name = scheme.get("name").and_then(Value::as_str).unwrap_or("");
            let about = scheme
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("");
            let text = match (kind, http.to_ascii_lowercase().as_str()) {
                ("http", "basic") | ("basic", _) => {
                    let text = "Client authentication: HTTP Basic, Authorization: Basic base64(client_id:client_secret)";
                    headers.push(row("Authorization", text));
                    text.to_owned()
                }
                ("http", "bearer") | ("oauth2", _) | ("openIdConnect", _) => {
                    let text = "Send the token as Authorization: Bearer <access_token>";
                    headers.push(row("Authorization", text));
                    text.to_owned()
                }
                ("apiKey", _) => match scheme.get("in").and_then(Value::as_str) {
                    Some("query") => {
                        query.push(row(key_name, about));
                        format!("Send the token in the query: ?{key_name}=ACCESS_TOKEN")
                    }
                    Some("header") => {
                        headers.push(row(key_name, about));
                        if key_name.eq_ignore_ascii_case("authorization") {
                            "Send the token as Authorization: Bearer <access_token>".to_owned()
                        } else {
                            format!("Send the token in the header {key_name}: <token>")
                        }
                    }
                    _ => continue,
                },
                _ => continue,
            };
            out.push(Block::Paragraph { text, line: 1 });
        }
    }
    for (label, rows) in [("Request headers", headers), ("Query parameters", query)] {
        if rows.is_empty() {
            continue;
        }
        out.push(Block::Label {
            text: label.to_owned(),
            line: 1,
        });
        out.push(Block::Table(Table {
            header: vec![
                "Name".into(),
                "Type".into(),
                "Required".into(),
                "Description".into(),
            ],
            rows,
            line: 1,
        }));
    }
    out
}

/// `servers` (OpenAPI 3) or `host` + `basePath` + `schemes` (Swagger 2), labelled by their
/// description.
fn servers(doc: &Value) -> Vec<(String, String)> {
    if let Some(list) = doc.get("servers").and_then(Value::as_array) {
        return list
            .iter()
            .filter_map(|s| {
                let url = s.get("url")?.as_str()?.trim_end_matches('/').to_owned();
                let label = s
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("prod")
                    .to_owned();
                Some((label, url))
            })
            .collect();
    }
    let Some(host) = doc.get("host").and_then(Value::as_str) else {
        return Vec::new();
    };
    let scheme = doc
        .pointer("/schemes/0")
        .and_then(Value::as_str)
        .unwrap_or("https");
    let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
    vec![(
        "prod".to_owned(),
        format!("{scheme}://{host}{}", base.trim_end_matches('/')),
    )]
}

/// Follows `$ref`s within the document, bounded.
fn resolve<'v>(doc: &'v Value, mut value: &'v Value) -> &'v Value {
    for _ in 0..MAX_REFS {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        match reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
            Some(target) => value = target,
            None => return value,
        }
    }
    value
}

fn type_of(doc: &Value, schema: &Value) -> String {
    let schema = resolve(doc, schema);
    schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            if schema.get("properties").is_some() {
                "object".to_owned()
            } else {
                String::new()
            }
        })
}

fn parameters(doc: &Value, shared: Option<&Value>, own: Option<&Value>, out: &mut Vec<Block>) {
    let list: Vec<&Value> = shared
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(own.and_then(Value::as_array).into_iter().flatten())
        .map(|p| resolve(doc, p))
        .collect();
    let rows: Vec<Row> = list
        .iter()
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            let location = p.get("in")?.as_str()?;
            // Swagger 2 body parameters carry a schema: their properties are the body.
            if location == "body" {
                if let Some(schema) = p.get("schema") {
                    out.push(Block::Label {
                        text: "Request body".into(),
                        line: 1,
                    });
                    if let Some(table) = properties_table(doc, schema) {
                        out.push(Block::Table(table));
                    }
                }
                return None;
            }
            let location = if location == "formData" {
                "body"
            } else {
                location
            };
            let ty = p
                .get("schema")
                .map(|s| type_of(doc, s))
                .or_else(|| p.get("type").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default();
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
            let description = p.get("description").and_then(Value::as_str).unwrap_or("");
            Some(Row {
                cells: vec![
                    name.to_owned(),
                    location.to_owned(),
                    ty,
                    if required { "true" } else { "false" }.to_owned(),
                    description.replace('\n', " "),
                ],
                depth: 0,
                line: 1,
            })
        })
        .collect();
    if !rows.is_empty() {
        out.push(Block::Label {
            text: "Request parameters".into(),
            line: 1,
        });
        out.push(Block::Table(Table {
            header: ["Name", "In", "Type", "Required", "Description"]
                .map(str::to_owned)
                .to_vec(),
            rows,
            line: 1,
        }));
    }
}

/// A schema's properties as a field table (name, type, required, description).
/// Tables written inside field descriptions (a `code` field listing its values), read as the
/// Markdown they are, after the fields' own table. Nested objects are visited, depth-bounded.
fn description_tables(doc: &Value, schema: &Value, depth: usize, out: &mut Vec<Block>) {
    if depth > 8 {
        return;
    }
    let schema = resolve(doc, schema);
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let property = resolve(doc, property);
        if let Some(description) = property.get("description").and_then(Value::as_str)
            && description.lines().any(|l| l.trim_start().starts_with('|'))
        {
            out.push(Block::Label {
                text: format!("{name} values"),
                line: 1,
            });
            out.extend(super::markdown::read_blocks(description));
        }
        description_tables(doc, property, depth + 1, out);
    }
}

fn properties_table(doc: &Value, schema: &Value) -> Option<Table> {
    let schema = resolve(doc, schema);
    let properties = schema.get("properties")?.as_object()?;
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    Some(layout::fields_table(properties.iter().map(|(name, p)| {
        layout::FieldRow {
            name: name.clone(),
            ty: type_of(doc, p),
            required: required.contains(&name.as_str()),
            description: resolve(doc, p)
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        }
    })))
}

fn request_body(doc: &Value, op: &Value, out: &mut Vec<Block>) {
    let Some(content) = op
        .get("requestBody")
        .map(|b| resolve(doc, b))
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
    else {
        return;
    };
    let Some((media, body)) = content.iter().next() else {
        return;
    };
    // The media type states the encoding the way a page's prose does.
    out.extend(layout::body_intro(media));
    if let Some(table) = body.get("schema").and_then(|s| properties_table(doc, s)) {
        out.push(Block::Table(table));
    }
}

fn responses(doc: &Value, op: &Value, out: &mut Vec<Block>) {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return;
    };
    for (status, response) in responses {
        let response = resolve(doc, response);
        let success = status.starts_with('2');
        let description = response.get("description").and_then(Value::as_str);
        out.extend(layout::response_head(
            status,
            Some(description.unwrap_or("")),
        ));
        let media = response
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next());
        let schema = media
            .and_then(|m| m.get("schema"))
            .or_else(|| response.get("schema"));
        let example = media
            .and_then(|m| {
                m.get("example").or_else(|| {
                    m.get("examples")
                        .and_then(Value::as_object)
                        .and_then(|e| e.values().next())
                        .and_then(|e| e.get("value"))
                })
            })
            .or_else(|| response.pointer("/examples/application~1json"));
        if let Some(example) = example {
            out.extend(layout::response_example(
                status,
                &serde_json::to_string_pretty(example).unwrap_or_default(),
            ));
        }
        if success && let Some(table) = schema.and_then(|s| properties_table(doc, s)) {
            out.extend(layout::response_fields(table));
        }
        if success && let Some(schema) = schema {
            description_tables(doc, schema, 0, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_becomes_a_page() {
        let doc: Value = serde_json::from_str(
            r##"{"openapi": "3.0.3", "servers": [{"url": "https://h.example.com/api"}],
            "paths": {"/oauth.token": {"post": {"summary": "Token",
              "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Req"}}}},
              "responses": {"200": {"description": "ok", "content": {"application/json": {"example": {"ok": true, "access_token": "x"}}}}}}}},
            "components": {"schemas": {"Req": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "state": {"type": "string"}}}}}}"##,
        )
        .unwrap();
        assert!(is_openapi(&doc));
        let b = blocks(&doc);
        assert!(
            b.iter()
                .any(|x| matches!(x, Block::Paragraph { text, .. } if text == "POST /oauth.token"))
        );
        assert!(b.iter().any(|x| matches!(x, Block::Table(t) if t.rows.iter().any(|r| r.cells == ["code", "string", "true", ""]))));
        assert!(
            b.iter()
                .any(|x| matches!(x, Block::Code { text, .. } if text.contains("access_token")))
        );
    }

    #[test]
    fn reference_cycles_end() {
        let doc: Value = serde_json::from_str(
            r##"{"openapi": "3.1.0", "paths": {"/t": {"get": {"responses": {"200": {"$ref": "#/components/responses/A"}}}}},
            "components": {"responses": {"A": {"$ref": "#/components/responses/A"}}}}"##,
        )
        .unwrap();
        assert!(!blocks(&doc).is_empty());
    }

    #[test]
    fn embedded_documents_are_found() {
        let script =
            r#"const __redoc_state = {"spec": {"data": {"openapi": "3.0.0", "paths": {}}}};"#;
        assert!(embedded(script).is_some());
    }
}
