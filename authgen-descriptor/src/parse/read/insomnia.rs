//! Insomnia exports (v4 JSON, `"_type": "export"`): the workspace, its folders and requests laid
//! out as a page: per folder a heading and its Markdown description, per request a heading, its
//! description, `METHOD URL` (Insomnia's `{{ _.var }}` templates filled from the base
//! environment when the value is a URL, else written `{var}`), Basic or bearer authentication,
//! header and query tables, and the body: a form as a table, anything else as a sample with its
//! media type. The extractors then read them as they read any page.

use serde_json::Value;

use super::layout;
use crate::parse::blocks::Block;

/// Whether a JSON value is an Insomnia export.
pub fn is_insomnia(value: &Value) -> bool {
    value.get("_type").and_then(Value::as_str) == Some("export")
        && value.get("__export_format").is_some()
        && value.get("resources").is_some_and(Value::is_array)
}

/// The blocks of an export.
pub fn blocks(export: &Value) -> Vec<Block> {
    let resources: Vec<&Value> = export
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let of_type = |t: &'static str| {
        resources
            .iter()
            .copied()
            .filter(move |r| r.get("_type").and_then(Value::as_str) == Some(t))
    };
    let id = |r: &Value| r.get("_id").and_then(Value::as_str).map(str::to_owned);
    let parent = |r: &Value| r.get("parentId").and_then(Value::as_str).map(str::to_owned);
    // The base environment: the one whose parent is a workspace.
    let workspaces: Vec<String> = of_type("workspace").filter_map(id).collect();
    let variables: Vec<(String, String)> = of_type("environment")
        .filter(|e| parent(e).is_some_and(|p| workspaces.contains(&p)))
        .filter_map(|e| e.get("data")?.as_object())
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), super::json::scalar(v)?)))
        .collect();
    let mut out = Vec::new();
    for workspace in of_type("workspace") {
        heading(1, workspace, &mut out);
    }
    let mut requests: Vec<&Value> = of_type("request").collect();
    requests.sort_by(|a, b| sort_key(a).total_cmp(&sort_key(b)));
    for folder in of_type("request_group") {
        heading(2, folder, &mut out);
        for request in requests.iter().filter(|r| parent(r) == id(folder)) {
            request_blocks(request, &variables, &mut out);
        }
    }
    let folders: Vec<String> = of_type("request_group").filter_map(id).collect();
    for request in requests
        .iter()
        .filter(|r| !parent(r).is_some_and(|p| folders.contains(&p)))
    {
        request_blocks(request, &variables, &mut out);
    }
    out
}

fn sort_key(resource: &Value) -> f64 {
    resource
        .get("metaSortKey")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
}

/// A workspace's or folder's name as a heading, and its description.
fn heading(level: u8, resource: &Value, out: &mut Vec<Block>) {
    if let Some(name) = resource.get("name").and_then(Value::as_str) {
        out.push(Block::Heading {
            level,
            text: name.to_owned(),
            line: 1,
        });
    }
    description(resource, out);
}

fn description(resource: &Value, out: &mut Vec<Block>) {
    if let Some(text) = resource
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.trim().is_empty())
    {
        out.extend(super::markdown::read_blocks(text));
    }
}

/// `{{ _.base_url }}/x` with URL-valued variables filled in (repeatedly: a base URL may itself
/// use `{{ _.shop }}`), and the rest written as the `{name}` placeholders pages use.
fn fill(text: &str, variables: &[(String, String)]) -> String {
    let mut text = text.to_owned();
    for _ in 0..4 {
        let before = text.clone();
        for (name, value) in variables {
            if value.starts_with("http://") || value.starts_with("https://") {
                for template in [format!("{{{{ _.{name} }}}}"), format!("{{{{_.{name}}}}}")] {
                    text = text.replace(&template, value);
                }
            }
        }
        if text == before {
            break;
        }
    }
    // `{{ _.shop }}` → `{shop}`.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = after[..close].trim();
        let name = name.strip_prefix("_.").unwrap_or(name);
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

fn request_blocks(request: &Value, variables: &[(String, String)], out: &mut Vec<Block>) {
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET")
        .to_ascii_uppercase();
    let url = fill(
        request.get("url").and_then(Value::as_str).unwrap_or(""),
        variables,
    );
    let name = request
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(url.as_str())
        .to_owned();
    out.extend(layout::operation_head(&name, &method, &url, &[]));
    description(request, out);
    let auth = request.get("authentication");
    match auth
        .and_then(|a| a.get("type"))
        .and_then(Value::as_str)
        .filter(|_| !auth.and_then(|a| a.get("disabled")).and_then(Value::as_bool).unwrap_or(false))
    {
        Some("basic") => out.push(Block::Paragraph {
            text: "Client authentication: HTTP Basic, Authorization: Basic base64(client_id:client_secret)"
                .to_owned(),
            line: 1,
        }),
        Some("bearer") => out.push(Block::Paragraph {
            text: "Authorization: Bearer {access_token}".to_owned(),
            line: 1,
        }),
        _ => {}
    }
    layout::name_value_table(
        "Request headers",
        layout::pairs("name", request.get("headers")),
        out,
    );
    layout::name_value_table(
        "Query parameters",
        layout::pairs("name", request.get("parameters")),
        out,
    );
    let Some(body) = request.get("body").filter(|b| b.get("mimeType").is_some()) else {
        return;
    };
    let media = body.get("mimeType").and_then(Value::as_str).unwrap_or("");
    if let Some(params) = body.get("params") {
        layout::name_value_table(
            &format!("Request body ({media})"),
            layout::pairs("name", Some(params)),
            out,
        );
    } else if let Some(text) = body.get("text").and_then(Value::as_str) {
        out.extend(layout::body_intro(media));
        let lang = if media.contains("json") {
            "json"
        } else {
            "text"
        };
        out.extend(Block::labelled_sample("Request body", lang, text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_become_pages_with_filled_urls_tables_and_bodies() {
        let export: Value = serde_json::from_str(
            r#"{"_type": "export", "__export_format": 4, "resources": [
              {"_id": "wrk_1", "_type": "workspace", "name": "Shop sync"},
              {"_id": "env_1", "parentId": "wrk_1", "_type": "environment",
               "data": {"shop": "dev-store", "base_url": "https://{{ _.shop }}.example.com"}},
              {"_id": "fld_1", "parentId": "wrk_1", "_type": "request_group", "name": "OAuth"},
              {"_id": "req_1", "parentId": "fld_1", "_type": "request", "name": "Exchange",
               "method": "POST", "url": "{{ _.base_url }}/admin/oauth/access_token",
               "headers": [{"name": "Content-Type", "value": "application/json"},
                           {"name": "X-Old", "value": "1", "disabled": true}],
               "body": {"mimeType": "application/json", "text": "{\"client_id\": \"{{ _.client_id }}\"}"}},
              {"_id": "req_2", "parentId": "fld_1", "_type": "request", "name": "Refresh",
               "method": "POST", "url": "https://{{ _.shop }}.example.com/admin/oauth/access_token",
               "body": {"mimeType": "application/x-www-form-urlencoded",
                        "params": [{"name": "grant_type", "value": "refresh_token"}]}}
            ]}"#,
        )
        .unwrap();
        assert!(is_insomnia(&export));
        let b = blocks(&export);
        let texts: Vec<String> = b
            .iter()
            .map(|x| match x {
                Block::Heading { text, .. }
                | Block::Paragraph { text, .. }
                | Block::Label { text, .. } => text.clone(),
                Block::Code { text, .. } => format!("code {text}"),
                Block::Table(t) => format!(
                    "table {:?}",
                    t.rows
                        .iter()
                        .map(|r| r.cells[0].clone())
                        .collect::<Vec<_>>()
                ),
                other => format!("{other:?}"),
            })
            .collect();
        assert!(
            texts.contains(&"POST https://{shop}.example.com/admin/oauth/access_token".to_owned()),
            "{texts:#?}"
        );
        assert!(
            texts.contains(&"table [\"Content-Type\"]".to_owned()),
            "disabled headers are left out: {texts:#?}"
        );
        assert!(
            texts.contains(&"code {\"client_id\": \"{{ _.client_id }}\"}\n".to_owned()),
            "{texts:#?}"
        );
        assert!(
            texts.contains(&"Request body (application/x-www-form-urlencoded)".to_owned()),
            "{texts:#?}"
        );
        assert!(
            texts.contains(&"table [\"grant_type\"]".to_owned()),
            "{texts:#?}"
        );
    }
}
