//! How the structured readers (OpenAPI, RAML, Postman, Insomnia) lay an operation out as the blocks a human page
//! would show, so that extraction reads every format the same way: a heading, `METHOD path`, the
//! hosts as an `Environment | URL` table, a `Request body` label with the media type said in a
//! sentence, `Name | Type | Required | Description` tables, and per response a status label, an
//! error's description as a sentence, its examples and its fields. Written once here; each
//! reader only walks its own format.

use crate::parse::blocks::{Block, Row, Table};

/// The operation's heading, its `METHOD path` line and, when there are any, its hosts.
pub(super) fn operation_head(
    title: &str,
    method: &str,
    path: &str,
    hosts: &[(String, String)],
) -> Vec<Block> {
    let mut out = vec![
        Block::Heading {
            level: 2,
            text: title.to_owned(),
            line: 1,
        },
        Block::Paragraph {
            text: format!("{} {path}", method.to_ascii_uppercase()),
            line: 1,
        },
    ];
    if !hosts.is_empty() {
        out.push(Block::Table(Table {
            header: vec!["Environment".into(), "URL".into()],
            rows: hosts
                .iter()
                .map(|(label, url)| Row {
                    cells: vec![label.clone(), url.clone()],
                    depth: 0,
                    line: 1,
                })
                .collect(),
            line: 1,
        }));
    }
    out
}

/// The body's label and its media type, stated the way a page's prose does.
pub(super) fn body_intro(media: &str) -> [Block; 2] {
    [
        Block::Label {
            text: "Request body".into(),
            line: 1,
        },
        Block::Paragraph {
            text: format!("Send the body as Content-Type: {media}"),
            line: 1,
        },
    ]
}

/// One row of a fields table.
pub(super) struct FieldRow {
    pub name: String,
    pub ty: String,
    pub required: bool,
    pub description: String,
}

/// A `Name | Type | Required | Description` table (descriptions on one line).
pub(super) fn fields_table(rows: impl IntoIterator<Item = FieldRow>) -> Table {
    Table {
        header: ["Name", "Type", "Required", "Description"]
            .map(str::to_owned)
            .to_vec(),
        rows: rows
            .into_iter()
            .map(|r| Row {
                cells: vec![
                    r.name,
                    r.ty,
                    r.required.to_string(),
                    r.description.trim().replace('\n', " "),
                ],
                depth: 0,
                line: 1,
            })
            .collect(),
        line: 1,
    }
}

/// A response's label (`Response 200`, `Error 400`) and, for an error, its description as the
/// sentence its codes are read from.
pub(super) fn response_head(status: &str, description: Option<&str>) -> Vec<Block> {
    let success = status.starts_with('2');
    let mut out = vec![Block::Label {
        text: if success {
            format!("Response {status}")
        } else {
            format!("Error {status}")
        },
        line: 1,
    }];
    if !success && let Some(description) = description {
        out.push(Block::Paragraph {
            text: format!("`{status}`: {}", description.trim()),
            line: 1,
        });
    }
    out
}

/// A response's example, labelled as a success or an error sample.
pub(super) fn response_example(status: &str, text: &str) -> [Block; 2] {
    let label = if status.starts_with('2') {
        "Response example"
    } else {
        "Error example"
    };
    Block::labelled_sample(label, "json", text)
}

/// A success response's fields, labelled.
pub(super) fn response_fields(table: Table) -> [Block; 2] {
    [
        Block::Label {
            text: "Response fields".into(),
            line: 1,
        },
        Block::Table(table),
    ]
}

/// A labelled `Name | Value | Description` table, as request tools show headers, query and form
/// fields; nothing when there are no rows.
pub(super) fn name_value_table(label: &str, rows: Vec<Vec<String>>, out: &mut Vec<Block>) {
    if rows.is_empty() {
        return;
    }
    out.push(Block::Label {
        text: label.to_owned(),
        line: 1,
    });
    out.push(Block::Table(Table {
        header: vec!["Name".into(), "Value".into(), "Description".into()],
        rows: rows
            .into_iter()
            .map(|cells| Row {
                cells,
                depth: 0,
                line: 1,
            })
            .collect(),
        line: 1,
    }));
}

/// `[{<key>, value, description, disabled}]` (Postman's `key`, Insomnia's `name`) as
/// `Name | Value | Description` rows, disabled entries left out.
pub(super) fn pairs(key: &str, list: Option<&serde_json::Value>) -> Vec<Vec<String>> {
    use serde_json::Value;
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|e| !e.get("disabled").and_then(Value::as_bool).unwrap_or(false))
        .filter_map(|e| {
            Some(vec![
                e.get(key)?.as_str()?.to_owned(),
                e.get("value")
                    .and_then(super::json::scalar)
                    .unwrap_or_default(),
                e.get("description")
                    .and_then(|d| {
                        d.as_str()
                            .or_else(|| d.get("content").and_then(Value::as_str))
                    })
                    .unwrap_or_default()
                    .to_owned(),
            ])
        })
        .collect()
}
