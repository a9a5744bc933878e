//! Request side: parameters (from tables and samples), their location, and the body encoding.

use std::ops::Range;

use super::text::{sample_query_keys, snake_case, with_loose};
use super::{Page, endpoint_lines};
use crate::model::{
    Conflict, Encoding, Endpoint, Example, ExampleKind, Location, Method, Param, Role, ValueType,
};
use crate::parse::blocks::Block;
use crate::parse::case;
use crate::parse::vocab::{self, Column, Section};

/// Fills `params`, `encoding` and request `examples`, recording contradictions.
pub(super) fn read(page: &Page<'_>, range: Range<usize>, paths: &[&str], endpoint: &mut Endpoint) {
    let samples = request_samples(page, range.clone());
    let calls = calls_to(page, range.clone(), paths);
    let call_hints: Vec<(Encoding, String, u32)> = calls
        .iter()
        .filter_map(|(call, line, curl)| {
            let label = if *curl { "curl" } else { "a raw HTTP request" };
            call.encoding.map(|e| (e, label.to_owned(), *line))
        })
        .collect();
    let encoding = choose_encoding(page, &samples, call_hints, range.clone(), endpoint);
    endpoint.encoding = encoding;
    let default_location = if encoding == Encoding::Query {
        Location::Query
    } else {
        Location::Body
    };

    for index in range.clone() {
        let Block::Table(table) = &page.doc.blocks[index] else {
            continue;
        };
        let Some(columns) = page.columns(index) else {
            continue;
        };
        if !columns.has(Column::Name) {
            // A table without a header row (Redoc's, Word's): in a request section, rows led by
            // an identifier are parameters. A header the readers know (`Environment | URL`, a
            // host list) says what the rows are, and they are not parameters.
            let headerless = columns.kinds.iter().all(Option::is_none);
            if headerless && let Section::Request(location) = page.section(index) {
                headerless_rows(page, table, location.unwrap_or(default_location), endpoint);
            }
            continue;
        }
        // A section names the location; a table elsewhere is a parameter table by its columns
        // (response tables do not say what is required or where it goes).
        let location = match page.section(index) {
            Section::Request(location) => location,
            Section::Other | Section::Basics
                if columns.has(Column::Required)
                    || columns.has(Column::Nullable)
                    || columns.has(Column::Location) =>
            {
                None
            }
            _ => continue,
        };
        let section_location = location;
        // A name column headed `Header` (`Header | Required | Value`) lists headers.
        let column_location = columns
            .kinds
            .iter()
            .position(|k| *k == Some(Column::Name))
            .and_then(|i| table.header.get(i))
            .and_then(|h| vocab::location_word(h))
            .filter(|l| *l == Location::Header);
        for row in &table.rows {
            let Some(name) = columns.cell(&row.cells, Column::Name) else {
                continue;
            };
            let description = columns
                .cell(&row.cells, Column::Description)
                .map(str::to_owned);
            let example = columns
                .cell(&row.cells, Column::Example)
                .or_else(|| columns.cell(&row.cells, Column::Value))
                .map(|cell| without_code_span(cell).to_owned());
            let type_cell = columns.cell(&row.cells, Column::Type);
            let required = if columns.has(Column::Required) {
                columns
                    .cell(&row.cells, Column::Required)
                    .and_then(vocab::required_in_text)
                    .unwrap_or(false)
            } else if columns.has(Column::Nullable) {
                columns
                    .cell(&row.cells, Column::Nullable)
                    .and_then(vocab::required_in_text)
                    .is_some_and(|nullable| !nullable)
            } else {
                // Words in the type or description cell, else: a table without a required
                // column lists what the call needs.
                type_cell
                    .and_then(vocab::required_in_text)
                    .or_else(|| description.as_deref().and_then(leading_required_marker))
                    .unwrap_or(true)
            };
            let name = name.trim_matches(|c: char| matches!(c, '`' | '*' | '"' | '\''));
            // Where the row says, else the section, else a standard header's name
            // (`Authorization` in a GET's one table is a header, not a query parameter).
            let location = columns
                .cell(&row.cells, Column::Location)
                .and_then(vocab::location_word)
                .or(column_location)
                .or(section_location)
                .or_else(|| vocab::is_request_header(name).then_some(Location::Header))
                .unwrap_or(default_location);
            // A marker beside the name in its cell (`code optional`, `client_id 必填`).
            let (name, name_marker) = match name.split_once(char::is_whitespace) {
                Some((first, rest)) => (
                    first.trim_matches(|c: char| matches!(c, '`' | '*' | '"' | '\'')),
                    vocab::required_in_text(rest),
                ),
                None => (name, None),
            };
            let required = if columns.has(Column::Required) || columns.has(Column::Nullable) {
                required
            } else {
                name_marker.unwrap_or(required)
            };
            endpoint.params.push(Param {
                name: name.to_owned(),
                rust_name: snake_case(name),
                location,
                required,
                ty: type_cell
                    .and_then(|t| {
                        vocab::value_type(t.split([',', '，', ' ', '|', '/']).next().unwrap_or(t))
                    })
                    .filter(|t| *t != ValueType::Unknown)
                    .or_else(|| example.as_deref().map(infer_type))
                    .unwrap_or(ValueType::String),
                max_length: columns
                    .cell(&row.cells, Column::MaxLength)
                    .and_then(|m| m.parse().ok()),
                secret: is_secret(name, description.as_deref()),
                description,
                example,
                role: Role::Credential,
                alternatives: Vec::new(),
                source: page.source(row.line),
            });
        }
    }
    if endpoint.params.is_empty() {
        list_params(page, range.clone(), default_location, endpoint);
    }
    if endpoint.params.is_empty() {
        schema_row_params(page, range.clone(), default_location, endpoint);
    }
    // Every `{placeholder}` of the path is a path parameter, listed or not (it must be filled).
    for name in endpoint.path_params.clone() {
        if !endpoint.params.iter().any(|p| p.name == name) {
            endpoint.params.push(Param {
                rust_name: snake_case(&name),
                secret: false,
                name,
                location: Location::Path,
                required: true,
                ty: ValueType::String,
                max_length: None,
                description: Some("A placeholder of the path.".to_owned()),
                example: None,
                role: Role::Credential,
                alternatives: Vec::new(),
                source: endpoint
                    .sources
                    .get("path")
                    .cloned()
                    .unwrap_or_else(|| page.source(1)),
            });
        }
    }
    for param in &mut endpoint.params {
        if param.location == Location::Path || endpoint.path_params.contains(&param.name) {
            param.location = Location::Path;
        }
    }
    // Before the sample is compared with the tables, so no contradiction is recorded about a
    // row that is no parameter; and after the calls add theirs.
    drop_non_parameters(endpoint);
    reconcile_with_sample(page, &samples, endpoint, default_location);
    add_call_params(page, &calls, endpoint);
    drop_non_parameters(endpoint);
    // A call whose parameters all go in the query has no body, whatever its method.
    if endpoint.encoding != Encoding::Query
        && !endpoint.params.iter().any(|p| p.location == Location::Body)
        && endpoint
            .params
            .iter()
            .any(|p| p.location == Location::Query)
    {
        endpoint.encoding = Encoding::Query;
    }
}

/// The curl commands and raw HTTP requests in `range` that call `path`: `(call, line, is curl)`.
fn calls_to(
    page: &Page<'_>,
    range: Range<usize>,
    paths: &[&str],
) -> Vec<(endpoint_lines::Call, u32, bool)> {
    let mut out = Vec::new();
    for i in range {
        let (text, line) = match &page.doc.blocks[i] {
            Block::Code {
                text, text_line, ..
            } => (text.as_str(), *text_line),
            Block::Paragraph { text, line } => (text.as_str(), *line),
            _ => continue,
        };
        for call in endpoint_lines::calls(text) {
            if call
                .url
                .as_ref()
                .is_some_and(|u| paths.contains(&u.path.as_str()))
            {
                let curl = text.contains("curl");
                out.push((call.clone(), line + call.line_offset, curl));
            }
        }
    }
    out
}

/// Parameters that only the page's literal calls send (flagged as such in their description).
fn add_call_params(
    page: &Page<'_>,
    calls: &[(endpoint_lines::Call, u32, bool)],
    endpoint: &mut Endpoint,
) {
    for (call, line, _) in calls {
        let body_location = if call.encoding.is_some() {
            Location::Body
        } else {
            Location::Query
        };
        let names = call
            .query
            .iter()
            .map(|n| (n, Location::Query))
            .chain(call.body.iter().map(|n| (n, body_location)));
        for (name, location) in names {
            if endpoint.params.iter().any(|p| p.name == *name) {
                continue;
            }
            endpoint.params.push(Param {
                name: name.clone(),
                rust_name: snake_case(name),
                location,
                required: true,
                ty: ValueType::String,
                max_length: None,
                description: Some("Only in a code sample of the page.".to_owned()),
                example: None,
                secret: is_secret(name, None),
                role: Role::Credential,
                alternatives: Vec::new(),
                source: page.source(*line),
            });
        }
    }
}

fn headerless_rows(
    page: &Page<'_>,
    table: &crate::parse::blocks::Table,
    location: Location,
    endpoint: &mut Endpoint,
) {
    let header = (!table.header.is_empty()).then_some((&table.header, table.line));
    // A star beside some names (`grant_type*`, Redoc's and RapiDoc's required mark) marks those
    // required and, by its absence, the others optional.
    let starred = |cell: &str| {
        let first = cell.split_whitespace().next().unwrap_or("");
        first.ends_with('*') || first == "*"
    };
    let stars = table
        .rows
        .iter()
        .filter_map(|r| r.cells.first())
        .any(|c| starred(c));
    for (cells, line) in header
        .into_iter()
        .chain(table.rows.iter().map(|r| (&r.cells, r.line)))
    {
        let Some(first) = cells.first() else {
            continue;
        };
        let name = first
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(['`', '*', '"']);
        let identifier = is_param_name(name);
        if !identifier || cells.len() < 2 || endpoint.params.iter().any(|p| p.name == name) {
            continue;
        }
        let rest = cells.join(" ");
        let rest = rest[first.len().min(rest.len())..].trim().to_owned();
        let ty = rest
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '<' | '>'))
            .filter_map(vocab::value_type)
            .find(|t| *t != ValueType::Unknown);
        let required =
            vocab::required_in_text(&cells.join(" ")).or_else(|| stars.then(|| starred(first)));
        endpoint.params.push(Param {
            name: name.to_owned(),
            rust_name: snake_case(name),
            location,
            required: required.unwrap_or(true),
            ty: ty.unwrap_or(ValueType::String),
            max_length: None,
            secret: is_secret(name, Some(&rest)),
            description: Some(rest).filter(|d| !d.is_empty()),
            example: None,
            role: Role::Credential,
            alternatives: Vec::new(),
            source: page.source(line),
        });
    }
}

/// Parameters written as list items or definition lines: `` `client_id` (string, required):
/// … ``, `**grant_type** — required — …`, `code: the code you got`, `; client_id : …`. In a
/// request section every identifier-led item counts; elsewhere only those with a type or a
/// required marker.
fn list_params(page: &Page<'_>, range: Range<usize>, default: Location, endpoint: &mut Endpoint) {
    for index in range {
        let (text, line) = match &page.doc.blocks[index] {
            Block::Item { text, line } => (text.as_str(), *line),
            Block::Paragraph { text, line }
                if matches!(page.section(index), Section::Request(_)) =>
            {
                (text.as_str(), *line)
            }
            _ => continue,
        };
        let section = page.section(index);
        if matches!(
            section,
            Section::Response | Section::ResponseSample | Section::ErrorSample | Section::Resource
        ) {
            continue;
        }
        for (offset, text_line) in text.lines().enumerate() {
            // `Request (application/json)` labels the parameters; it is none of them.
            if super::page::is_item_label(text_line) {
                continue;
            }
            let Some(item) = parse_param_item(text_line) else {
                continue;
            };
            let in_request = matches!(section, Section::Request(_));
            if !in_request && item.ty.is_none() && item.required.is_none() {
                continue;
            }
            // `Type: string`, `format: password`: a field's attributes, not parameters.
            if vocab::SCHEMA_KEYWORDS
                .iter()
                .any(|k| item.name.eq_ignore_ascii_case(k))
            {
                continue;
            }
            // `Endpoint: POST https://…`, `Method: GET`: the page's own facts, not parameters
            // (a parameter named like a key, OAuth's `resource`, is described in words).
            if vocab::key(&item.name).is_some() && states_endpoint(&item.description) {
                continue;
            }
            if endpoint.params.iter().any(|p| p.name == item.name) {
                continue;
            }
            let location = item
                .location
                .or(match section {
                    Section::Request(location) => location,
                    _ => None,
                })
                .unwrap_or(default);
            endpoint.params.push(Param {
                rust_name: snake_case(&item.name),
                secret: is_secret(&item.name, Some(&item.description)),
                name: item.name,
                location,
                required: item.required.unwrap_or(true),
                ty: item.ty.unwrap_or(ValueType::String),
                max_length: None,
                description: Some(item.description).filter(|d| !d.is_empty()),
                example: None,
                role: Role::Credential,
                alternatives: Vec::new(),
                source: page.source(line + u32::try_from(offset).unwrap_or(0)),
            });
        }
    }
}

/// Drops what was read as a parameter but is none: a header the HTTP client sets on every
/// request (`User-Agent`, `Host`, `Content-Length`: a table or sample listing them shows a
/// transport detail, not something to ask for), and a name no request could carry (`缓存位置` in
/// a notes table laid out like a parameter table, kramdown's `{: .note }`).
fn drop_non_parameters(endpoint: &mut Endpoint) {
    endpoint.params.retain(|p| {
        vocab::is_wire_name(&p.name)
            && !(p.location == Location::Header && vocab::is_client_managed_header(&p.name))
    });
}

/// Whether a value starts with a method, a path or a URL.
fn states_endpoint(value: &str) -> bool {
    let first = value
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(['`', '*', '"', '\'']);
    Method::parse(first).is_some()
        || first.starts_with('/')
        || first.starts_with("http://")
        || first.starts_with("https://")
}

/// Parameters laid out as schema rows of separate boxes (Stoplight, Apifox: the name, then its
/// type, then `required` when it is): a bare identifier followed by a type word. Only
/// `required` marks a required one.
fn schema_row_params(
    page: &Page<'_>,
    range: Range<usize>,
    default: Location,
    endpoint: &mut Endpoint,
) {
    let text_of = |i: usize| match page.doc.blocks.get(i) {
        Some(Block::Paragraph { text, .. } | Block::Label { text, .. }) => Some(text.trim()),
        _ => None,
    };
    for index in range {
        let location = match page.section(index) {
            Section::Request(location) => location.unwrap_or(default),
            _ => continue,
        };
        // A location badge may sit between the name and the type (`grant_type`, `QUERY`, `String`).
        let badge = text_of(index + 1).and_then(vocab::location_word);
        let step = usize::from(badge.is_some());
        let location = badge.unwrap_or(location);
        let Some(name) = text_of(index) else {
            continue;
        };
        // The whole row in one box (`developerId integer 必需`, Apidog's layout).
        if let Some((name, ty, required)) = compact_row(name) {
            if !endpoint.params.iter().any(|p| p.name == name) {
                let description = text_of(index + 1)
                    .filter(|d| compact_row(d).is_none())
                    .map(str::to_owned);
                endpoint.params.push(Param {
                    name: name.to_owned(),
                    rust_name: snake_case(name),
                    location,
                    required,
                    ty,
                    max_length: None,
                    secret: is_secret(name, description.as_deref()),
                    description,
                    example: None,
                    role: Role::Credential,
                    alternatives: Vec::new(),
                    source: page.source(page.doc.blocks[index].line()),
                });
            }
            continue;
        }
        if !is_param_name(name) || endpoint.params.iter().any(|p| p.name == name) {
            continue;
        }
        let Some(row) = schema_row(&text_of, index + 1 + step) else {
            continue;
        };
        let description = text_of(row.next)
            .filter(|d| !is_param_name(d) || text_of(row.next + 1).is_none())
            .map(str::to_owned);
        endpoint.params.push(Param {
            name: name.to_owned(),
            rust_name: snake_case(name),
            location,
            required: row.required,
            ty: row.ty,
            max_length: None,
            secret: is_secret(name, description.as_deref()),
            description,
            example: row.example,
            role: Role::Credential,
            alternatives: Vec::new(),
            source: page.source(page.doc.blocks[index].line()),
        });
    }
}

/// A schema row written in one box: a name, a type word and a required marker (`developerId
/// integer 必需`, `scope string optional`).
fn compact_row(text: &str) -> Option<(&str, ValueType, bool)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [name, ty, marker] = words.as_slice() else {
        return None;
    };
    let ty = vocab::value_type(ty).filter(|t| *t != ValueType::Unknown)?;
    let required = vocab::required(marker)?;
    is_param_name(name).then_some((*name, ty, required))
}

/// What the boxes under a schema row's name say: its type (`string`, `Type: string`, or a
/// `const: …` that makes it a string), `required`, an example or constant value, and the index
/// of the first box that is none of these (the description).
struct SchemaRow {
    ty: ValueType,
    required: bool,
    example: Option<String>,
    next: usize,
}

/// Reads the attribute boxes from `start`: the first must give the type; then `required`,
/// `format: …`, `enum: …`, `default: …`, `Example` with its value in the next box, in any order.
fn schema_row<'t>(text_of: &impl Fn(usize) -> Option<&'t str>, start: usize) -> Option<SchemaRow> {
    let keyed = |text: &'t str, key: &str| {
        let (k, v) = text.split_once(':')?;
        k.trim().eq_ignore_ascii_case(key).then(|| v.trim())
    };
    let first = text_of(start)?;
    let (ty, mut example) = if let Some(value) = keyed(first, "const") {
        (ValueType::String, Some(value.to_owned()))
    } else {
        let word = keyed(first, "type").unwrap_or(first);
        let ty = vocab::value_type(word.split_whitespace().next().unwrap_or(""))
            .filter(|t| *t != ValueType::Unknown)?;
        (ty, None)
    };
    let mut required = false;
    let mut at = start + 1;
    while let Some(text) = text_of(at) {
        if vocab::required(text) == Some(true) {
            required = true;
        } else if let Some(value) = keyed(text, "const") {
            example = Some(value.to_owned());
        } else if vocab::SCHEMA_KEYWORDS
            .iter()
            .any(|k| keyed(text, k).is_some())
        {
            // Other attributes say nothing the descriptor keeps.
        } else if text.eq_ignore_ascii_case("example") {
            example = example.or_else(|| text_of(at + 1).map(str::to_owned));
            at += 1;
        } else {
            break;
        }
        at += 1;
    }
    Some(SchemaRow {
        ty,
        required,
        example,
        next: at,
    })
}

/// Whether a word can be a parameter's wire name: ASCII, led by a letter or `_`, at most 64
/// characters of letters, digits and `_-.[]` (`client_id`, `auth.identity`, `scope[]`).
fn is_param_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c))
}

/// A parameter read from one list line.
struct ParamItem {
    name: String,
    ty: Option<ValueType>,
    required: Option<bool>,
    location: Option<Location>,
    description: String,
}

fn parse_param_item(line: &str) -> Option<ParamItem> {
    let line = line
        .trim()
        .trim_start_matches(['-', '*', '+', '•', ';', '·'])
        .trim();
    // The name: a backticked or bold term, or a leading identifier.
    let (name, rest) = if let Some(inner) = line.strip_prefix('`') {
        let end = inner.find('`')?;
        (&inner[..end], &inner[end + 1..])
    } else if let Some(inner) = line.strip_prefix("**") {
        let end = inner.find("**")?;
        (inner[..end].trim_matches('`'), &inner[end + 2..])
    } else {
        let end = line
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
            })
            .unwrap_or(line.len());
        // A bare word is a name only when a separator follows it (`code: …`, `code (string)`,
        // `code — …`), not when a sentence goes on (`Same as …`).
        let after = line[end..].trim_start();
        if !after.starts_with([':', '：', '(', '（', '—', '–', '-', '|']) {
            return None;
        }
        (&line[..end], &line[end..])
    };
    let name = name.trim();
    let identifier = is_param_name(name);
    let rest = rest.trim();
    // Something must follow the name: a parenthesis or words (a lone `Parameters:` is a label).
    if !identifier
        || rest
            .trim_start_matches([':', '：', '-', '—', '–'])
            .trim()
            .is_empty()
    {
        return None;
    }
    // Markers sit in a parenthesis or right after the name: `(string, required)`, `— required —`.
    let head: String = rest.chars().take(60).collect();
    let head_lower = case::lowercase(&head);
    let paren = head
        .split_once(['(', '（'])
        .and_then(|(_, r)| r.split_once([')', '）']).map(|(inside, _)| inside));
    let words: Vec<&str> = paren
        .unwrap_or(&head)
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | '，' | '|' | '/' | '*' | '`' | ':' | '：' | '—' | '-' | '.'
                )
        })
        .filter(|w| !w.is_empty())
        .collect();
    let ty = words
        .iter()
        .filter_map(|w| vocab::value_type(w))
        .find(|t| *t != ValueType::Unknown);
    let required = vocab::required_in_text(&head_lower);
    let location = words.iter().find_map(|w| {
        matches!(
            *w,
            "header" | "query" | "body" | "path" | "form" | "formData"
        )
        .then(|| vocab::location_word(w))
        .flatten()
    });
    let description = rest
        .trim_start_matches([':', '：', '-', '—', '–', ' '])
        .to_owned();
    // An SDK reference names the argument and says what goes on the wire: `sent as `client_id``.
    let wire = ["sent as ", "wire name ", "maps to ", "serialized as "]
        .iter()
        .find_map(|marker| {
            let at = description.find(marker)? + marker.len();
            let word = description[at..].split_whitespace().next()?;
            Some(
                word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .to_owned(),
            )
        })
        .filter(|w| !w.is_empty() && w.chars().any(|c| c == '_' || c.is_ascii_lowercase()));
    Some(ParamItem {
        name: wire.unwrap_or_else(|| name.to_owned()),
        ty,
        required,
        location,
        description,
    })
}

/// A required marker at the start of a description (`Required.`, `**Optional**`, `必填，…`).
fn leading_required_marker(description: &str) -> Option<bool> {
    let head: String = description.chars().take(24).collect();
    vocab::required_in_text(&head)
}

/// A cell that is one code span (`` `client_credentials` ``) holds the value inside it: the
/// backticks are Markdown, never part of what is sent.
fn without_code_span(cell: &str) -> &str {
    let cell = cell.trim();
    match cell.strip_prefix('`').and_then(|c| c.strip_suffix('`')) {
        Some(inner) if !inner.contains('`') && !inner.is_empty() => inner,
        _ => cell,
    }
}

/// The type an example value suggests: integers, booleans, else a string.
pub(super) fn infer_type(example: &str) -> ValueType {
    let e = example.trim().trim_matches('`');
    if !e.is_empty() && e.len() < 19 && e.bytes().all(|b| b.is_ascii_digit()) {
        ValueType::Integer
    } else if e == "true" || e == "false" {
        ValueType::Boolean
    } else {
        ValueType::String
    }
}

/// Whether a parameter carries a secret: passwords, client secrets, keys, tokens.
pub(super) fn is_secret(name: &str, description: Option<&str>) -> bool {
    let description = description.unwrap_or("");
    with_loose(name, |n| {
        [
            "secret",
            "password",
            "passwd",
            "token",
            "ticket",
            "appkey",
            "privatekey",
            "signature",
        ]
        .iter()
        .any(|w| case::contains(n, w))
    }) || ["密钥", "密码", "秘钥"]
        .iter()
        .any(|w| case::contains(description, w))
}

/// A request sample: the literal body or query of a call (not an SDK snippet).
struct LiteralSample {
    keys: Vec<String>,
    /// The sample's values, when it is a JSON object (their types are compared with the table).
    values: Option<serde_json::Map<String, serde_json::Value>>,
    line: u32,
    /// Whether the keys come from a URL's query string (rather than a body).
    in_query: bool,
}

/// The code blocks of a request section: `(block, code, language, line)`.
type Sample<'p> = (usize, &'p str, Option<&'p str>, u32);

fn request_samples<'p>(page: &Page<'p>, range: Range<usize>) -> Vec<Sample<'p>> {
    range
        .filter_map(|i| match &page.doc.blocks[i] {
            Block::Code {
                lang, text, line, ..
            } if (matches!(
                page.section(i),
                Section::RequestSample | Section::Request(_)
            ) || introduced_as_request(page, i))
                && !page.sample(i).is_some_and(|v| {
                    super::response::is_token_response(v, 0) || super::envelope::is_error_body(v)
                }) =>
            {
                Some((i, text.as_str(), lang.as_deref(), *line))
            }
            _ => None,
        })
        .collect()
}

/// The top-level keys of an object written like JSON but not JSON (values that are variables:
/// `"client_id": clientId,`).
fn json_like_keys(body: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut depth = 0i32;
    for line in body.lines() {
        let trimmed = line.trim();
        if depth == 1
            && let Some(rest) = trimmed.strip_prefix('"')
            && let Some((key, after)) = rest.split_once('"')
            && after.trim_start().starts_with(':')
            && !key.is_empty()
            && !key.contains(' ')
        {
            keys.push(key.to_owned());
        }
        depth += trimmed.matches(['{', '[']).count() as i32;
        depth -= trimmed.matches(['}', ']']).count() as i32;
    }
    keys
}

/// A sample that the sentence before it presents as what is sent (`… with this JSON body:`,
/// `请求示例如下`), wherever the page's sections put it.
fn introduced_as_request(page: &Page<'_>, index: usize) -> bool {
    if matches!(
        page.section(index),
        Section::Response | Section::ResponseSample | Section::ErrorSample | Section::Resource
    ) {
        return false;
    }
    let Some(Block::Paragraph { text, .. } | Block::Label { text, .. } | Block::Item { text, .. }) =
        index.checked_sub(1).and_then(|i| page.doc.blocks.get(i))
    else {
        return false;
    };
    let tail: String = text
        .chars()
        .rev()
        .take(240)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let last = case::lowercase(&tail);
    let says_request = [
        "request body",
        "json body",
        "form body",
        "this body",
        "with this",
        "sends",
        "send the",
        "请求体",
        "请求示例",
        "请求参数",
        "入参",
    ]
    .iter()
    .any(|w| last.contains(w));
    let says_response = ["response", "returns", "响应", "返回"]
        .iter()
        .any(|w| last.contains(w));
    says_request && !says_response
}

fn is_snippet(lang: Option<&str>, text: &str) -> bool {
    let program_lang = matches!(
        lang.map(str::to_ascii_lowercase).as_deref(),
        Some(
            "javascript"
                | "js"
                | "node"
                | "py"
                | "python"
                | "java"
                | "go"
                | "php"
                | "csharp"
                | "c#"
                | "ts"
                | "typescript"
                | "kotlin"
                | "swift"
                | "ruby"
                | "shell"
                | "bash"
                | "sh"
                | "curl"
        )
    );
    program_lang || case::contains(text, "import ") || case::contains(text, "require(")
}

fn choose_encoding(
    page: &Page<'_>,
    samples: &[Sample<'_>],
    call_hints: Vec<(Encoding, String, u32)>,
    range: Range<usize>,
    endpoint: &mut Endpoint,
) -> Encoding {
    let mut hints: Vec<(Encoding, String, u32)> = call_hints;
    for &(i, body, lang, line) in samples {
        endpoint.examples.push(Example {
            kind: ExampleKind::Request,
            label: page.label_or_heading(i),
            lang: lang.map(str::to_owned),
            body: body.to_owned(),
            source: page.source(line),
        });
        if let Some(encoding) = sample_encoding(lang, body, || page.sample(i).is_some()) {
            let label = page.context[i].label.unwrap_or(lang.unwrap_or("sample"));
            hints.push((encoding, label.to_owned(), line));
        }
    }
    // Sentences under the response or errors ("errors come as a JSON object") say nothing
    // about the request body.
    let stated = range
        .clone()
        .filter(|&i| {
            !matches!(
                page.section(i),
                Section::Response
                    | Section::ResponseSample
                    | Section::ErrorSample
                    | Section::Resource
            )
        })
        .find_map(|i| match &page.doc.blocks[i] {
            Block::Paragraph { text, line }
            | Block::Note { text, line, .. }
            | Block::Item { text, line } => stated_encoding(text).map(|e| (e, *line)),
            _ => None,
        });
    // A documented `Content-Type` header row names the encoding precisely (the parameters are
    // read after the encoding, which decides their default location).
    let header = range.clone().find_map(|i| {
        let Block::Table(table) = &page.doc.blocks[i] else {
            return None;
        };
        table.rows.iter().find_map(|row| {
            let named = row.cells.first().is_some_and(|c| {
                c.trim()
                    .trim_matches('`')
                    .eq_ignore_ascii_case("content-type")
            });
            named
                .then(|| row.cells.iter().skip(1).find_map(|c| media_encoding(c)))
                .flatten()
                .map(|e| (e, row.line))
        })
    });
    if endpoint.method == Method::Get {
        return Encoding::Query;
    }
    let literal = hints
        .iter()
        .find(|(_, label, _)| !is_program_label(label))
        .map(|(e, _, line)| (*e, *line));
    // Two or more code samples (curl commands, raw requests, request bodies, SDK calls) that
    // all send one encoding outweigh a sentence that names another: the samples are what was
    // run. A `Content-Type` header row still decides.
    let unanimous = hints
        .first()
        .filter(|(e, ..)| hints.len() >= 2 && hints.iter().all(|(o, ..)| o == e))
        .map(|(e, _, line)| (*e, *line));
    let (chosen, line, why) = match (header, stated, unanimous, literal) {
        (Some((e, line)), ..) => (e, line, "the page says so"),
        (None, Some((s, _)), Some((e, line)), _) if s != e => {
            (e, line, "every code sample sends it")
        }
        (None, Some((e, line)), ..) => (e, line, "the page says so"),
        (None, None, _, Some((e, line))) => (e, line, "the request sample sends it"),
        (None, None, _, None) => match majority(&hints) {
            Some((e, line)) => (e, line, "most code samples send it"),
            None => (
                Encoding::Json,
                endpoint.sources.get("method").map_or(1, |s| s.line),
                "default for a request with a body",
            ),
        },
    };
    endpoint
        .sources
        .insert("encoding".to_owned(), page.source(line));
    let disagree: Vec<&(Encoding, String, u32)> =
        hints.iter().filter(|(e, ..)| *e != chosen).collect();
    if let Some(first) = disagree.first() {
        let mut alternatives: Vec<String> = Vec::new();
        for (e, ..) in &disagree {
            if !alternatives.iter().any(|a| a == e.as_str()) {
                alternatives.push(e.as_str().to_owned());
            }
        }
        let samples = disagree
            .iter()
            .map(|(e, label, l)| format!("{} ({label}, line {l})", e.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        endpoint.conflicts.push(Conflict {
            topic: "/encoding".to_owned(),
            chosen: chosen.as_str().to_owned(),
            alternatives,
            message: format!(
                "body encoding: chose {} because {why} (line {line}), but code samples send {samples}",
                chosen.as_str()
            ),
            source: page.source(first.2),
            settled_by: None,
        });
    }
    chosen
}

fn is_program_label(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    [
        "node",
        "python",
        "java",
        "go",
        "php",
        "c#",
        "curl",
        "shell",
        "javascript",
        "js",
        "py",
        "ruby",
    ]
    .iter()
    .any(|p| l == *p || l.starts_with(&format!("{p} ")))
}

fn majority(hints: &[(Encoding, String, u32)]) -> Option<(Encoding, u32)> {
    let mut best: Option<(Encoding, usize, u32)> = None;
    for (e, _, line) in hints {
        let count = hints.iter().filter(|(o, ..)| o == e).count();
        if best.is_none_or(|(_, c, _)| count > c) {
            best = Some((*e, count, *line));
        }
    }
    best.map(|(e, _, line)| (e, line))
}

/// What a sample sends: multipart markers first (they contain "form"), then form, then JSON.
/// `holds_json` says whether the body holds a JSON object (asked last: it parses the body).
fn sample_encoding(
    lang: Option<&str>,
    body: &str,
    holds_json: impl FnOnce() -> bool,
) -> Option<Encoding> {
    let lower = body.to_ascii_lowercase();
    let lang = lang.map(str::to_ascii_lowercase).unwrap_or_default();
    if case::contains(&lower, "multipart")
        || case::contains(&lower, "formdata")
        || case::contains(&lower, "addformdatapart")
        || case::contains(&lower, "files=")
        || case::contains(&lower, " -f ")
    {
        return Some(Encoding::Multipart);
    }
    if case::contains(&lower, "x-www-form-urlencoded")
        || case::contains(&lower, "formbody")
        || case::contains(&lower, "form:")
    {
        return Some(Encoding::Form);
    }
    if matches!(lang.as_str(), "py" | "python") && case::contains(&lower, "data=") {
        return Some(Encoding::Form);
    }
    if case::contains(&lower, "/json")
        || case::contains(&lower, "json=")
        || case::contains(&lower, "json.stringify")
        || case::contains(&lower, "json:")
    {
        return Some(Encoding::Json);
    }
    holds_json().then_some(Encoding::Json)
}

/// "请使用 json 格式提交请求" → JSON.
/// The encoding a media type names (`application/x-www-form-urlencoded` → form).
fn media_encoding(text: &str) -> Option<Encoding> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("x-www-form-urlencoded") {
        Some(Encoding::Form)
    } else if lower.contains("multipart/form-data") {
        Some(Encoding::Multipart)
    } else if lower.contains("application/json") {
        Some(Encoding::Json)
    } else {
        None
    }
}

fn stated_encoding(text: &str) -> Option<Encoding> {
    // Every answer names one of these; most paragraphs name none.
    if !["json", "form", "multipart", "urlencoded"]
        .iter()
        .any(|w| case::contains_ascii_ci(text, w))
        && !text.contains("表单")
    {
        return None;
    }
    let lower = case::lowercase(text);
    let about_request = [
        "格式",
        "提交",
        "content-type",
        "使用",
        "请求体",
        "use ",
        "send",
        "encoded as",
        "body is",
    ]
    .iter()
    .any(|w| case::contains(&lower, w));
    if !about_request {
        return None;
    }
    if case::contains(&lower, "multipart") || case::contains(&lower, "form-data") {
        Some(Encoding::Multipart)
    } else if ["urlencoded", "url-encoded", "form-encoded", "表单"]
        .iter()
        .any(|w| case::contains(&lower, w))
    {
        // Checked before JSON: "a URL-encoded form (not JSON)".
        Some(Encoding::Form)
    } else if case::contains(&lower, "json") && !case::contains(&lower, "not json") {
        Some(Encoding::Json)
    } else {
        None
    }
}

/// Compares the parameter table with the literal request sample; a name the sample sends instead
/// of the table's becomes the wire name (samples are copied from real traffic, tables typed by hand).
fn reconcile_with_sample(
    page: &Page<'_>,
    samples: &[Sample<'_>],
    endpoint: &mut Endpoint,
    location: Location,
) {
    let Some(sample) = literal_sample(page, samples) else {
        return;
    };
    if endpoint.params.is_empty() {
        let location = if sample.in_query {
            Location::Query
        } else {
            location
        };
        for key in &sample.keys {
            endpoint.params.push(Param {
                name: key.clone(),
                rust_name: snake_case(key),
                location,
                required: true,
                ty: ValueType::String,
                max_length: None,
                description: None,
                example: None,
                secret: is_secret(key, None),
                role: Role::Credential,
                alternatives: Vec::new(),
                source: page.source(sample.line),
            });
        }
        return;
    }
    let in_sample = |name: &str| sample.keys.iter().any(|k| k == name);
    let table_only: Vec<usize> = endpoint
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location != Location::Header && !in_sample(&p.name))
        .map(|(i, _)| i)
        .collect();
    let sample_only: Vec<&String> = sample
        .keys
        .iter()
        .filter(|k| !endpoint.params.iter().any(|p| &p.name == *k))
        .collect();
    for (index, key) in table_only.into_iter().zip(sample_only) {
        let param = &mut endpoint.params[index];
        let table_name = std::mem::replace(&mut param.name, key.clone());
        param.rust_name = snake_case(key);
        param.secret = param.secret || is_secret(key, None);
        param.alternatives.push(table_name.clone());
        endpoint.conflicts.push(Conflict {
            topic: format!("/params/{key}/name"),
            chosen: key.clone(),
            alternatives: vec![table_name.clone()],
            message: format!(
                "request parameter: the table (line {}) names `{table_name}` but the request sample (line {}) sends `{key}`; chose the sample's name",
                param.source.line, sample.line
            ),
            source: page.source(sample.line),
            settled_by: None,
        });
    }
    // What the table requires and the sample does not send, and types the two disagree on.
    let in_sample = |name: &str| sample.keys.iter().any(|k| k == name);
    // A sample that sends fewer than half of the parameters illustrates a part of the call (one
    // query argument); only a full one says what is missing.
    let sent: Vec<&Param> = endpoint
        .params
        .iter()
        .filter(|p| matches!(p.location, Location::Body | Location::Query))
        .collect();
    let full = sent.iter().filter(|p| in_sample(&p.name)).count() * 2 >= sent.len();
    let mut conflicts = Vec::new();
    for p in &endpoint.params {
        if full
            && p.required
            && matches!(p.location, Location::Body | Location::Query)
            && !in_sample(&p.name)
        {
            conflicts.push(Conflict {
                topic: format!("/params/{}/required", p.name),
                chosen: "true".to_owned(),
                alternatives: vec!["false".to_owned()],
                message: format!(
                    "request parameter `{}`: the table (line {}) requires it but the request sample (line {}) does not send it; kept required",
                    p.name, p.source.line, sample.line
                ),
                source: page.source(p.source.line),
                settled_by: None,
            });
        }
        let sampled = sample
            .values
            .as_ref()
            .and_then(|v| v.get(&p.name))
            .map(super::text::json_type)
            .filter(|t| !matches!(t, ValueType::Unknown));
        if let Some(sampled) = sampled
            && sampled != p.ty
            && p.ty != ValueType::Unknown
            && !matches!((p.ty, sampled), (ValueType::Number, ValueType::Integer))
        {
            conflicts.push(Conflict {
                topic: format!("/params/{}/type", p.name),
                chosen: p.ty.as_str().to_owned(),
                alternatives: vec![sampled.as_str().to_owned()],
                message: format!(
                    "request parameter `{}`: the table (line {}) types it {} but the request sample (line {}) sends {}; kept the table's type",
                    p.name,
                    p.source.line,
                    p.ty.as_str(),
                    sample.line,
                    sampled.as_str()
                ),
                source: page.source(p.source.line),
                settled_by: None,
            });
        }
    }
    endpoint.conflicts.extend(conflicts);
}

fn literal_sample(page: &Page<'_>, samples: &[Sample<'_>]) -> Option<LiteralSample> {
    samples
        .iter()
        .filter(|(_, body, lang, _)| !is_snippet(*lang, body))
        .find_map(|&(i, body, _, line)| {
            let values = match page.sample(i) {
                Some(serde_json::Value::Object(map)) => Some(map.clone()),
                _ => None,
            };
            let (keys, in_query): (Vec<String>, bool) = match page.sample(i) {
                Some(serde_json::Value::Object(map)) => (map.keys().cloned().collect(), false),
                _ => match json_like_keys(body) {
                    keys if !keys.is_empty() => (keys, false),
                    _ => (sample_query_keys(body), true),
                },
            };
            (!keys.is_empty()).then_some(LiteralSample {
                keys,
                values,
                line,
                in_query,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::super::text::sample_json;
    use super::*;

    fn encoding_of(lang: Option<&str>, body: &str) -> Option<Encoding> {
        sample_encoding(lang, body, || sample_json(body).is_some())
    }

    #[test]
    fn encodings_from_samples() {
        assert_eq!(
            encoding_of(Some("py"), "requests.request('POST', u, data={})"),
            Some(Encoding::Form)
        );
        assert_eq!(
            encoding_of(Some("javascript"), "formData: {}"),
            Some(Encoding::Multipart)
        );
        assert_eq!(
            encoding_of(Some("java"), ".addFormDataPart(\"a\", \"b\")"),
            Some(Encoding::Multipart)
        );
        assert_eq!(
            encoding_of(None, "POST applocation/json\n{\"a\":1}"),
            Some(Encoding::Json)
        );
        assert_eq!(encoding_of(None, "GET h/p?a=1"), None);
        assert_eq!(
            stated_encoding("请使用 json 格式提交请求。"),
            Some(Encoding::Json)
        );
        assert_eq!(stated_encoding("json"), None);
    }

    #[test]
    fn secrets() {
        assert!(is_secret("client_secret", None));
        assert!(is_secret("app_key", Some("提供的第三方应用密钥")));
        assert!(is_secret("accessToken", None));
        assert!(!is_secret("client_id", Some("客户端id")));
    }
}
