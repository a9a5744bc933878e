//! Response side: the field tree from tables and from the sample, merged, with contradictions
//! between the two recorded (the sample's names win; the table's become aliases).

use std::ops::Range;

use serde_json::{Map, Value};

use super::Page;
use super::text::{
    json_type, key_line, loose_eq, names_expiry_field, names_token_field, snake_case,
};
use crate::model::{Conflict, Endpoint, Example, ExampleKind, Field, Source, ValueType};
use crate::parse::blocks::Block;
use crate::parse::vocab::{self, Column, Section};

/// Fills `response` and response/error `examples`; returns the success sample, if any.
pub(super) fn read<'p>(
    page: &'p Page<'_>,
    range: Range<usize>,
    endpoint: &mut Endpoint,
) -> Option<&'p Value> {
    // The sample: its value, code, block line and the line its code starts on.
    let mut sample: Option<(&Value, &str, u32, u32)> = None;
    for index in range.clone() {
        let Block::Code {
            lang,
            text,
            line,
            text_line,
        } = &page.doc.blocks[index]
        else {
            continue;
        };
        let kind = match page.section(index) {
            Section::ResponseSample | Section::Response => ExampleKind::Response,
            Section::ErrorSample => ExampleKind::Error,
            Section::Resource => ExampleKind::Other,
            _ => continue,
        };
        endpoint.examples.push(Example {
            kind,
            label: page.label_or_heading(index),
            lang: lang.clone(),
            body: text.clone(),
            source: page.source(*line),
        });
        if kind == ExampleKind::Response && sample.is_none() {
            sample = page
                .sample(index)
                .map(|v| (v, text.as_str(), *line, *text_line));
        }
    }
    // A page that does not label its response sample still shows it: the JSON object in the
    // segment that holds a token (at any depth), outside request and error sections.
    if !sample.is_some_and(|(v, ..)| holds_token(v, 0)) {
        // In the segment first; for a token operation, anywhere on the page (an SDK reference
        // documents the response type in a section of its own).
        let everywhere = crate::parse::vocab::names_token_operation(&endpoint.path);
        let blocks = if everywhere {
            0..page.doc.blocks.len()
        } else {
            range.clone()
        };
        // Outside request sections first; then inside one too (a generator's UI chrome such as
        // `Body Headers (5)` can leave a response sample under a request-looking label).
        let candidate = |index: usize, strict: bool| {
            let Block::Code {
                text,
                line,
                text_line,
                ..
            } = &page.doc.blocks[index]
            else {
                // A responses table's success cell (Swagger UI).
                let (value, text, line) = page.cell_sample(index)?;
                return holds_token(value, 0).then_some((value, text, line, line));
            };
            let excluded = match page.section(index) {
                Section::ErrorSample => true,
                Section::Request(_) | Section::RequestSample => strict,
                _ => false,
            };
            if excluded {
                return None;
            }
            let value = page.sample(index)?;
            holds_token(value, 0).then_some((value, text.as_str(), *line, *text_line))
        };
        let found = range
            .clone()
            .chain(blocks.clone())
            .find_map(|index| candidate(index, true))
            .or_else(|| range.clone().find_map(|index| candidate(index, false)));
        if found.is_some() {
            sample = found;
        }
    }
    let table = table_fields(page, range, sample.map(|(v, ..)| v));
    endpoint.response = match sample {
        None => table,
        Some((value, text, line, text_line)) => {
            let mut fields = match value {
                Value::Object(map) => {
                    let lines: Vec<&str> = text.lines().collect();
                    sample_fields(map, &lines, text_line, &page.doc.page)
                }
                _ => Vec::new(),
            };
            if !table.is_empty() {
                merge(
                    &mut fields,
                    table,
                    page.source(line),
                    &mut endpoint.conflicts,
                );
            }
            fields
        }
    };
    sample.map(|(v, ..)| v)
}

/// Fields from every table in a response section, nested by row depth.
fn table_fields(page: &Page<'_>, range: Range<usize>, sample: Option<&Value>) -> Vec<Field> {
    let mut rows: Vec<(u8, Field)> = Vec::new();
    for index in range {
        let Block::Table(table) = &page.doc.blocks[index] else {
            continue;
        };
        let Some(columns) = page.columns(index) else {
            continue;
        };
        if !columns.is_field_table() {
            continue;
        }
        // A field table outside a response section is one by its content: it names the token,
        // or most of its names are keys of the response sample.
        let by_content = || {
            let names: Vec<&str> = table
                .rows
                .iter()
                .filter_map(|r| columns.cell(&r.cells, Column::Name))
                .collect();
            let token = names.iter().any(|n| {
                super::text::with_loose(n, |l| {
                    (l.contains("token") || l.contains("ticket"))
                        && !l.contains("refresh")
                        && !l.contains("type")
                })
            });
            let in_sample = sample.map_or(0, |s| names.iter().filter(|n| has_key(s, n, 0)).count());
            !names.is_empty() && (token || in_sample * 2 > names.len())
        };
        match page.section(index) {
            Section::Response => {}
            // Outside a response section, a table that says what is required or where it goes
            // is the request's (the request reader takes it): one table, one role.
            Section::Other | Section::Basics
                if columns.has(Column::Required)
                    || columns.has(Column::Nullable)
                    || columns.has(Column::Location) =>
            {
                continue;
            }
            Section::Other | Section::ResponseSample | Section::Basics if by_content() => {}
            _ => continue,
        }
        for row in &table.rows {
            let Some(name) = columns.cell(&row.cells, Column::Name) else {
                continue;
            };
            let format = columns
                .cell(&row.cells, Column::Other)
                .and_then(|other| {
                    other
                        .split_once("format:")
                        .map(|(_, f)| f.trim().to_owned())
                })
                .filter(|f| !f.is_empty());
            rows.push((
                row.depth,
                Field {
                    name: name.to_owned(),
                    rust_name: snake_case(name),
                    ty: columns
                        .cell(&row.cells, Column::Type)
                        .and_then(vocab::value_type)
                        .unwrap_or(ValueType::Unknown),
                    format,
                    required: columns
                        .cell(&row.cells, Column::Required)
                        .and_then(vocab::required)
                        .unwrap_or(false),
                    description: columns
                        .cell(&row.cells, Column::Description)
                        .map(str::to_owned),
                    aliases: Vec::new(),
                    fields: Vec::new(),
                    source: page.source(row.line),
                },
            ));
        }
    }
    let mut iter = rows.into_iter().peekable();
    nest(&mut iter, 0)
}

fn nest(
    rows: &mut std::iter::Peekable<impl Iterator<Item = (u8, Field)>>,
    depth: u8,
) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    while let Some((d, _)) = rows.peek() {
        let d = *d;
        if d < depth {
            break;
        }
        if d > depth {
            // Children of the previous field (or orphans, kept at this level).
            let children = nest(rows, d);
            match out.last_mut() {
                Some(parent) => {
                    parent.fields.extend(children);
                    if parent.ty == ValueType::Unknown {
                        parent.ty = ValueType::Object;
                    }
                }
                None => out.extend(children),
            }
            continue;
        }
        if let Some((_, field)) = rows.next() {
            out.push(field);
        }
    }
    out
}

/// The fields of a sample object; `lines` are the sample's, the first on page line `line`.
fn sample_fields(map: &Map<String, Value>, lines: &[&str], line: u32, page: &str) -> Vec<Field> {
    map.iter()
        .map(|(name, value)| Field {
            name: name.clone(),
            rust_name: snake_case(name),
            ty: json_type(value),
            format: None,
            required: false,
            description: None,
            aliases: Vec::new(),
            fields: match value {
                Value::Object(inner) => sample_fields(inner, lines, line, page),
                _ => Vec::new(),
            },
            source: Source {
                page: page.to_owned(),
                line: line + key_line(lines, name),
            },
        })
        .collect()
}

/// Merges the table's fields into the sample's tree, at the object whose keys they match best.
fn merge(
    fields: &mut Vec<Field>,
    table: Vec<Field>,
    sample_source: Source,
    conflicts: &mut Vec<Conflict>,
) {
    let score = |candidates: &[Field]| {
        table
            .iter()
            .filter(|t| candidates.iter().any(|c| loose_eq(&c.name, &t.name)))
            .count()
    };
    let root_score = score(fields);
    let best_child = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.fields.is_empty())
        .map(|(i, f)| (score(&f.fields), i))
        .max();
    let table_describes_root = table.iter().any(|t| !t.fields.is_empty())
        || best_child.is_none_or(|(s, _)| root_score >= s && root_score > 0);
    let (target, prefix) = match best_child {
        Some((_, i)) if !table_describes_root => {
            let prefix = format!("/response/{}", fields[i].name);
            (&mut fields[i].fields, prefix)
        }
        _ => (fields, "/response".to_owned()),
    };
    merge_level(target, table, &prefix, &sample_source, conflicts);
}

fn merge_level(
    target: &mut Vec<Field>,
    table: Vec<Field>,
    prefix: &str,
    sample_source: &Source,
    conflicts: &mut Vec<Conflict>,
) {
    let mut unmatched_table: Vec<Field> = Vec::new();
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut matched: Vec<usize> = Vec::new();
    for t in table {
        let position = target
            .iter()
            .position(|f| f.name == t.name)
            .or_else(|| target.iter().position(|f| loose_eq(&f.name, &t.name)));
        match position {
            Some(i) => {
                if target[i].name != t.name {
                    renamed.push((t.name.clone(), target[i].name.clone()));
                }
                matched.push(i);
                let path = format!("{prefix}/{}", target[i].name);
                absorb(&mut target[i], t, &path, sample_source, conflicts);
            }
            None => unmatched_table.push(t),
        }
    }
    if !renamed.is_empty() {
        let (table_names, sample_names): (Vec<_>, Vec<_>) = renamed.iter().cloned().unzip();
        conflicts.push(Conflict {
            topic: prefix.to_owned(),
            chosen: sample_names.join(", "),
            alternatives: table_names.clone(),
            message: format!(
                "response field names: the table spells them {} but the sample response ({sample_source}) sends {}; chose the sample's names, the table's are kept as aliases",
                table_names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                sample_names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
            ),
            source: sample_source.clone(),
            settled_by: None,
        });
    }
    let mut sample_only: Vec<usize> = (0..target.len()).filter(|i| !matched.contains(i)).collect();
    for t in unmatched_table {
        let pair = sample_only
            .iter()
            .position(|&i| compatible(target[i].ty, t.ty))
            .map(|k| sample_only.remove(k));
        match pair {
            Some(i) => {
                let name = target[i].name.clone();
                let table_name = t.name.clone();
                let table_line = t.source.line;
                conflicts.push(Conflict {
                    topic: format!("{prefix}/{name}"),
                    chosen: name.clone(),
                    alternatives: vec![table_name.clone()],
                    message: format!(
                        "response field: the table (line {table_line}) lists `{table_name}` but the sample response ({sample_source}) returns `{}`; chose the sample's `{name}`, `{table_name}` kept as an alias",
                        format!("{prefix}/{name}").trim_start_matches("/response/").replace('/', ".")
                    ),
                    source: sample_source.clone(),
                    settled_by: None,
                });
                let path = format!("{prefix}/{name}");
                absorb(&mut target[i], t, &path, sample_source, conflicts);
            }
            None => target.push(t),
        }
    }
}

fn compatible(a: ValueType, b: ValueType) -> bool {
    a == b || a == ValueType::Unknown || b == ValueType::Unknown
}

/// Takes the table's knowledge (type, description, format, nested rows) into the sample's field.
fn absorb(
    field: &mut Field,
    table: Field,
    path: &str,
    sample_source: &Source,
    conflicts: &mut Vec<Conflict>,
) {
    if table.name != field.name && !field.aliases.contains(&table.name) {
        field.aliases.push(table.name);
    }
    if table.ty != ValueType::Unknown
        && !(table.ty == ValueType::Number && field.ty == ValueType::Integer)
    {
        field.ty = table.ty;
    }
    field.format = field.format.take().or(table.format);
    field.required = table.required;
    field.description = table.description.or(field.description.take());
    field.source = table.source;
    if !table.fields.is_empty() {
        merge_level(
            &mut field.fields,
            table.fields,
            path,
            sample_source,
            conflicts,
        );
    }
}

/// Whether a JSON value holds a token-named string at any depth (bounded).
fn holds_token(value: &Value, depth: usize) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    depth < 8
        && map
            .iter()
            .any(|(key, v)| (names_token_field(key) && v.is_string()) || holds_token(v, depth + 1))
}

/// Whether a JSON value is a token response: an object (at any depth) holding a token string
/// and its expiry side by side. What a request sends never holds both, so a sample like this is
/// the response wherever a page puts it (under a `Token request` heading, after "A successful
/// exchange looks like this:").
pub(super) fn is_token_response(value: &Value, depth: usize) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    depth < 8
        && ((map
            .iter()
            .any(|(key, v)| names_token_field(key) && v.is_string())
            && map.keys().any(|key| names_expiry_field(key)))
            || map.values().any(|v| is_token_response(v, depth + 1)))
}

/// Whether a JSON value has `key` at any depth (bounded).
fn has_key(value: &Value, key: &str, depth: usize) -> bool {
    match value {
        Value::Object(map) => {
            depth < 8 && (map.contains_key(key) || map.values().any(|v| has_key(v, key, depth + 1)))
        }
        Value::Array(items) => {
            depth < 8 && items.iter().take(4).any(|v| has_key(v, key, depth + 1))
        }
        _ => false,
    }
}
