//! Postman collections (v2.0/v2.1 JSON), turned into the blocks a human page would show: per
//! request a heading, its description, a `METHOD URL` line (collection variables filled in), the
//! client authentication, header, query and body tables, and each saved response as a labelled
//! sample. The extractors then read them as they read any page.

use serde_json::Value;

use super::layout;
use crate::parse::blocks::Block;

/// How deeply folders may nest before the walk stops (a hostile collection cannot recurse far).
const MAX_FOLDER_DEPTH: usize = 32;

/// Whether a JSON value is a Postman collection.
pub fn is_postman(value: &Value) -> bool {
    value
        .pointer("/info/schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("schema.getpostman.com"))
        && value.get("item").is_some_and(Value::is_array)
}

/// The blocks of a collection.
pub fn blocks(collection: &Value) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(name) = collection.pointer("/info/name").and_then(Value::as_str) {
        out.push(Block::Heading {
            level: 1,
            text: name.to_owned(),
            line: 1,
        });
    }
    if let Some(description) = description(collection.pointer("/info/description")) {
        out.extend(super::markdown::read_blocks(&description));
    }
    let variables: Vec<(String, String)> = collection
        .get("variable")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            Some((
                v.get("key")?.as_str()?.to_owned(),
                super::json::scalar(v.get("value")?)?,
            ))
        })
        .collect();
    let inherited = collection.get("auth");
    items(collection, &variables, inherited, 0, &mut out);
    out
}

fn items(
    parent: &Value,
    variables: &[(String, String)],
    auth: Option<&Value>,
    depth: usize,
    out: &mut Vec<Block>,
) {
    if depth > MAX_FOLDER_DEPTH {
        return;
    }
    for item in parent
        .get("item")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let auth = item.get("auth").or(auth);
        if item.get("request").is_some() {
            request(item, variables, auth, out);
        } else {
            if let Some(name) = item.get("name").and_then(Value::as_str) {
                out.push(Block::Heading {
                    level: 2,
                    text: name.to_owned(),
                    line: 1,
                });
            }
            items(item, variables, auth, depth + 1, out);
        }
    }
}

/// A description: a string, or `{content, type}`.
fn description(value: Option<&Value>) -> Option<String> {
    let value = value?;
    value
        .as_str()
        .or_else(|| value.get("content").and_then(Value::as_str))
        .map(str::to_owned)
        .filter(|d| !d.trim().is_empty())
}

/// `{{baseUrl}}/oauth/token` with the collection's variables filled in.
fn fill(text: &str, variables: &[(String, String)]) -> String {
    variables.iter().fold(text.to_owned(), |t, (k, v)| {
        t.replace(&format!("{{{{{k}}}}}"), v)
    })
}

fn request(
    item: &Value,
    variables: &[(String, String)],
    auth: Option<&Value>,
    out: &mut Vec<Block>,
) {
    let request = &item["request"];
    let auth = request.get("auth").or(auth);
    out.push(Block::Heading {
        level: 2,
        text: item
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("Request")
            .to_owned(),
        line: 1,
    });
    if let Some(d) = description(request.get("description")) {
        out.extend(super::markdown::read_blocks(&d));
    }
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET")
        .to_ascii_uppercase();
    let url = match request.get("url") {
        Some(Value::String(raw)) => raw.clone(),
        Some(url) => url
            .get("raw")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                let host = url
                    .get("host")
                    .and_then(Value::as_array)
                    .map(|h| {
                        h.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .unwrap_or_default();
                let path = url
                    .get("path")
                    .and_then(Value::as_array)
                    .map(|p| {
                        p.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("/")
                    })
                    .unwrap_or_default();
                format!("{host}/{path}")
            }),
        None => String::new(),
    };
    let url = fill(&url, variables);
    // Postman's `:id` path variables read as the `{id}` the readers know.
    out.push(Block::Paragraph {
        text: format!("{method} {url}"),
        line: 1,
    });
    if let Some(auth) = auth {
        match auth.get("type").and_then(Value::as_str) {
            Some("basic") => {
                let part = |key: &str| {
                    auth.get("basic")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .find(|e| e.get("key").and_then(Value::as_str) == Some(key))
                        .and_then(|e| e.get("value").and_then(Value::as_str))
                        .map(|v| v.trim_matches(|c| c == '{' || c == '}').to_owned())
                        .unwrap_or_else(|| key.to_owned())
                };
                let text = format!(
                    "Client authentication: HTTP Basic, Authorization: Basic base64({}:{})",
                    part("username"),
                    part("password")
                );
                out.push(Block::Paragraph {
                    text: text.clone(),
                    line: 1,
                });
                // The header the scheme puts on the request, as a page lists it.
                layout::name_value_table(
                    "Request headers",
                    vec![vec!["Authorization".to_owned(), "Basic …".to_owned(), text]],
                    out,
                );
            }
            Some("bearer") => out.push(Block::Paragraph {
                text: "Authorization: Bearer {{access_token}}".to_owned(),
                line: 1,
            }),
            _ => {}
        }
    }
    layout::name_value_table(
        "Request headers",
        layout::pairs("key", request.get("header")),
        out,
    );
    if let Some(url) = request.get("url").filter(|u| u.is_object()) {
        layout::name_value_table(
            "Query parameters",
            layout::pairs("key", url.get("query")),
            out,
        );
        layout::name_value_table(
            "Path parameters",
            layout::pairs("key", url.get("variable")),
            out,
        );
    }
    if let Some(body) = request.get("body") {
        match body.get("mode").and_then(Value::as_str) {
            Some("urlencoded") => layout::name_value_table(
                "Request body (application/x-www-form-urlencoded)",
                layout::pairs("key", body.get("urlencoded")),
                out,
            ),
            Some("formdata") => layout::name_value_table(
                "Request body (multipart/form-data)",
                layout::pairs("key", body.get("formdata")),
                out,
            ),
            Some("raw") => {
                if let Some(raw) = body.get("raw").and_then(Value::as_str) {
                    let lang = body
                        .pointer("/options/raw/language")
                        .and_then(Value::as_str)
                        .unwrap_or("json");
                    out.extend(Block::labelled_sample(
                        "Request body",
                        lang,
                        &fill(raw, variables),
                    ));
                }
            }
            _ => {}
        }
    }
    for response in item
        .get("response")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(body) = response.get("body").and_then(Value::as_str) else {
            continue;
        };
        let code = response.get("code").and_then(Value::as_u64).unwrap_or(200);
        let name = response.get("name").and_then(Value::as_str).unwrap_or("");
        let label = if code >= 400 {
            format!("Error response {code}: {name}")
        } else {
            format!("Response {code}: {name}")
        };
        out.extend(Block::labelled_sample(label, "json", body));
    }
}
