//! The envelope (success rule, message, data), the token, its expiry and use limit, and the
//! documented error codes.

use std::ops::Range;

use serde_json::Value;

use super::Page;
use super::text::{
    looks_like_datetime, loose_eq, names_expiry_field, names_token_field, sample_json, scalar_text,
    with_loose,
};
use crate::model::{
    Endpoint, Envelope, ErrorCode, ExampleKind, ExpiryKind, ExpirySpec, Field, FieldRef,
    Presentation, SuccessRule, TokenSpec, ValueType, lookup,
};
use crate::parse::blocks::Block;
use crate::parse::case;
use crate::parse::vocab::{Column, Section};

const CODE_NAMES: &[&str] = &[
    "code",
    "errcode",
    "errorcode",
    "statuscode",
    "retcode",
    "resultcode",
    "rescode",
    "ret",
    "status",
    "state",
    "errno",
];
const SUCCESS_NAMES: &[&str] = &["success", "succeeded", "issuccess", "ok"];
const MESSAGE_NAMES: &[&str] = &[
    "msg",
    "message",
    "errmsg",
    "errormessage",
    "errordescription",
    "errormsg",
    "retmsg",
];
const DATA_NAMES: &[&str] = &["data", "result", "body", "payload", "content"];

/// Fills `envelope`, `token`, `expiry`, `use_limit` and `errors`.
pub(super) fn read(
    page: &Page<'_>,
    range: Range<usize>,
    sample: Option<&Value>,
    endpoint: &mut Endpoint,
) {
    let root = &endpoint.response;
    // A status field is a scalar (`result: 1` is a code; `result: {…}` is the data wrapper).
    let code = CODE_NAMES.iter().chain(&["result"]).find_map(|n| {
        root.iter().find(|f| {
            loose_eq(&f.name, n)
                && f.fields.is_empty()
                && !matches!(f.ty, ValueType::Object | ValueType::Array)
        })
    });
    // A success body with only the token (WeChat's) leaves the code and message to the error
    // sample: `{"errcode": 40125, "errmsg": "…"}`, sent with HTTP 200.
    let error_sample = endpoint
        .examples
        .iter()
        .filter(|e| e.kind == ExampleKind::Error)
        .find_map(|e| sample_json(&e.body).map(|v| (v, e.source.clone())));
    let sample_field = |names: &[&str]| {
        let (value, source) = error_sample.as_ref()?;
        // An "error" sample whose code is 0 is a success body under the wrong tab.
        let (name, v) = value.as_object()?.iter().find(|(k, v)| {
            names.iter().any(|n| loose_eq(k, n))
                && !v.is_object()
                && !v.is_array()
                && scalar_text(v).is_some_and(|t| t != "0")
        })?;
        Some(Field {
            name: name.clone(),
            rust_name: super::text::snake_case(name),
            ty: super::text::json_type(v),
            format: None,
            required: false,
            description: None,
            aliases: Vec::new(),
            fields: Vec::new(),
            source: source.clone(),
        })
    };
    // Only the `errcode` convention says "absent means success"; other codes in an error
    // sample (`error_code` beside an OAuth `error`) come with an HTTP error status.
    let sample_code = if code.is_none() {
        sample_field(&["errcode"])
    } else {
        None
    };
    let code = code.or(sample_code.as_ref());
    let success_flag = find_root(root, SUCCESS_NAMES)
        .filter(|f| matches!(f.ty, ValueType::Boolean | ValueType::Unknown));
    let message = find_root(root, MESSAGE_NAMES)
        .map(|f| f.name.clone())
        .or_else(|| {
            sample_code
                .as_ref()
                .and(sample_field(MESSAGE_NAMES))
                .map(|f| f.name)
        });
    let data = find_root(root, DATA_NAMES)
        .filter(|f| code.is_none_or(|c| c.name != f.name))
        .map(|f| f.name.clone());

    let mut errors = error_codes(
        page,
        range.clone(),
        code.map(|c| c.name.as_str()),
        message.as_deref(),
    );
    // An error table shared by the page's endpoints may sit outside this one's segment.
    if errors.is_empty() && !(range.start == 0 && range.end == page.doc.blocks.len()) {
        errors = error_codes(
            page,
            0..page.doc.blocks.len(),
            code.map(|c| c.name.as_str()),
            message.as_deref(),
        );
    }
    let success_from_text = errors
        .iter()
        .position(|e| is_success_message(&e.message))
        .map(|i| errors.remove(i));
    // The error sample's code makes the envelope only when the code table confirms it with a
    // success row (`0 | ok`); otherwise the sample may be another API's on the same page.
    let (code, message) = if sample_code.is_some() && success_from_text.is_none() {
        (None, find_root(root, MESSAGE_NAMES).map(|f| f.name.clone()))
    } else {
        (code, message)
    };

    let success = if let Some(code) = code
        && let Some(value) = sample
            .and_then(|s| lookup(s, &code.name))
            .filter(|v| !v.is_null())
    {
        Some((
            code.name.clone(),
            value.clone(),
            code.source.clone(),
            loose_eq(&code.name, "errcode"),
        ))
    } else if let Some(flag) = success_flag {
        Some((
            flag.name.clone(),
            Value::Bool(true),
            flag.source.clone(),
            false,
        ))
    } else if let Some(code) = code
        && let Some(found) = &success_from_text
    {
        let value = found
            .code
            .parse::<i64>()
            .map_or_else(|_| Value::String(found.code.clone()), Value::from);
        // A code only the error sample shows is absent from successful bodies.
        let absent_ok = loose_eq(&code.name, "errcode") || sample_code.is_some();
        Some((code.name.clone(), value, found.source.clone(), absent_ok))
    } else {
        code.filter(|c| loose_eq(&c.name, "errcode") || sample_code.is_some())
            .map(|c| (c.name.clone(), Value::from(0), c.source.clone(), true))
    };
    if let Some((field, equals, source, absent_ok)) = success {
        let success_text = scalar_text(&equals);
        errors.retain(|e| Some(&e.code) != success_text.as_ref());
        endpoint.envelope = Some(Envelope {
            success: SuccessRule {
                field,
                equals,
                absent_ok,
            },
            // A boolean flag names its failure in an `error` field (`{"ok": false, "error":
            // "invalid_code"}`).
            code: code.map(|c| c.name.clone()).or_else(|| {
                success_flag
                    .and_then(|_| find_root(root, &["error"]))
                    .filter(|f| matches!(f.ty, ValueType::String | ValueType::Unknown))
                    .map(|f| f.name.clone())
            }),
            message,
            data: data.clone(),
            source,
        });
    }
    name_variants(&mut errors);
    endpoint.errors = errors;

    let scopes: Vec<(String, &[Field])> = match data
        .as_deref()
        .and_then(|d| root.iter().find(|f| f.name == d))
    {
        Some(d) if !d.fields.is_empty() => vec![
            (format!("{}.", d.name), d.fields.as_slice()),
            (String::new(), root.as_slice()),
        ],
        _ => vec![(String::new(), root.as_slice())],
    };
    let find = |pred: &dyn Fn(&Field) -> bool| {
        scopes.iter().find_map(|(prefix, fields)| {
            fields
                .iter()
                .find(|f| pred(f))
                .map(|f| (format!("{prefix}{}", f.name), f))
        })
    };
    // The token may sit under any wrapper (`pop_auth_token_create_response.access_token`,
    // `Credentials.SecurityToken`): after the data scope and the root, the whole tree, shallow
    // first.
    let tree = breadth_first(root);
    let token = find(&|f| is_token_field(f)).or_else(|| {
        tree.iter()
            .find(|(_, f)| is_token_field(f))
            .map(|(path, f)| (path.clone(), *f))
    });
    let token_parent = token.as_ref().map(|(path, _)| {
        path.rsplit_once('.')
            .map_or(String::new(), |(p, _)| format!("{p}."))
    });
    if let Some((path, field)) = token {
        let value = sample
            .and_then(|s| lookup(s, &path))
            .and_then(Value::as_str);
        let scheme_included = value
            .and_then(|v| v.split_once(' '))
            .map(|(scheme, _)| scheme)
            .filter(|s| s.eq_ignore_ascii_case("bearer") || s.eq_ignore_ascii_case("basic"))
            .map(str::to_owned);
        // A field named like an HTTP header (`X-Subject-Token`) is a response header the page
        // lists with the body's fields.
        let header = !path.contains('.')
            && path.contains('-')
            && path.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && path.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        endpoint.token = Some(TokenSpec {
            path,
            header,
            scheme_included,
            presentation: Presentation::default(),
            source: field.source.clone(),
        });
    }
    if endpoint.token.is_none() {
        endpoint.token = header_token(page, range.clone());
    }
    if endpoint.token.is_some() {
        let mut expiry: Vec<ExpirySpec> = Vec::new();
        // The token's siblings first, then the scopes.
        let siblings: Vec<(String, &[Field])> = token_parent
            .filter(|p| !p.is_empty())
            .and_then(|p| {
                let parent = tree.iter().find(|(path, _)| format!("{path}.") == p)?;
                Some((p, parent.1.fields.as_slice()))
            })
            .into_iter()
            .collect();
        for (prefix, fields) in siblings.iter().chain(&scopes) {
            for field in fields.iter().filter(|f| is_expiry_field(f)) {
                let path = format!("{prefix}{}", field.name);
                let value = sample.and_then(|s| lookup(s, &path));
                if let Some(kind) = expiry_kind(field, value) {
                    expiry.push(ExpirySpec {
                        path,
                        kind,
                        time_zone: None,
                        source: field.source.clone(),
                    });
                }
            }
            if !expiry.is_empty() {
                break;
            }
        }
        expiry.sort_by_key(|e| e.kind != ExpiryKind::Seconds);
        endpoint.expiry = expiry;
        endpoint.use_limit = find(&|f| is_use_limit(f)).map(|(path, f)| FieldRef {
            path,
            source: f.source.clone(),
        });
    }
}

/// The first of `names` (already in [`super::text::loose`] form) that a root field is loosely named.
fn find_root<'f>(root: &'f [Field], names: &[&str]) -> Option<&'f Field> {
    names
        .iter()
        .find_map(|n| root.iter().find(|f| loose_eq(&f.name, n)))
}

fn is_token_field(field: &Field) -> bool {
    matches!(field.ty, ValueType::String | ValueType::Unknown) && names_token_field(&field.name)
}

fn is_expiry_field(field: &Field) -> bool {
    names_expiry_field(&field.name)
}

/// A token the page says comes in a response header (`X-Subject-Token`): a header-named token in
/// a table or a sentence about response headers.
fn header_token(page: &Page<'_>, range: Range<usize>) -> Option<TokenSpec> {
    let header_name = |word: &str| {
        let w = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
        (w.contains('-')
            && case::lowercase(w).contains("token")
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| w.to_owned())
    };
    let about_headers = |text: &str| {
        let t = case::lowercase(text);
        [
            "响应头",
            "response header",
            "返回头",
            "响应消息头",
            "header of the response",
            "in the header",
        ]
        .iter()
        .any(|w| t.contains(w))
    };
    for index in range {
        let (text, line) = match &page.doc.blocks[index] {
            Block::Paragraph { text, line }
            | Block::Item { text, line }
            | Block::Note { text, line, .. }
            | Block::Label { text, line } => {
                if !about_headers(text) {
                    continue;
                }
                (text.clone(), *line)
            }
            Block::Table(t) => {
                let context = page.label_or_heading(index).unwrap_or_default();
                let cells = t
                    .rows
                    .iter()
                    .flat_map(|r| r.cells.clone())
                    .collect::<Vec<_>>()
                    .join(" ");
                (format!("{context} {} {cells}", t.header.join(" ")), t.line)
            }
            _ => continue,
        };
        if !about_headers(&text) {
            continue;
        }
        if let Some(name) = text.split_whitespace().find_map(header_name) {
            return Some(TokenSpec {
                path: name,
                header: true,
                scheme_included: None,
                presentation: Presentation::default(),
                source: page.source(line),
            });
        }
    }
    None
}

/// Every field of a tree with its dotted path, shallow levels first.
fn breadth_first(root: &[Field]) -> Vec<(String, &Field)> {
    let mut out: Vec<(String, &Field)> = root.iter().map(|f| (f.name.clone(), f)).collect();
    let mut start = 0;
    while start < out.len() && out.len() < 4096 {
        let end = out.len();
        for i in start..end {
            let (path, field) = (out[i].0.clone(), out[i].1);
            for child in &field.fields {
                out.push((format!("{path}.{}", child.name), child));
            }
        }
        start = end;
    }
    out
}

fn expiry_kind(field: &Field, value: Option<&Value>) -> Option<ExpiryKind> {
    let description = field
        .description
        .as_deref()
        .map(case::lowercase)
        .unwrap_or_default();
    let says_instant = [
        "时间戳",
        "timestamp",
        "unix",
        "epoch",
        "过期时间",
        "到期时间",
        "截止时间",
        "utc",
    ]
    .iter()
    .any(|w| description.contains(w));
    let says_lifetime = [
        "秒",
        "second",
        "有效期",
        "lifetime",
        "valid for",
        "duration",
        "有效时长",
    ]
    .iter()
    .any(|w| description.contains(w));
    // An absolute time named or shaped as one: `expires_at`, `expire_time`, a Unix timestamp in
    // seconds (≥ 10⁹, no lifetime is thirty years) or milliseconds.
    let named_instant = with_loose(&field.name, |n| {
        n.ends_with("at")
            || n.ends_with("time")
            || n.ends_with("date")
            || n == "expiration"
            || n == "expires"
    });
    match value {
        Some(Value::Number(n)) => {
            let value = n.as_f64().unwrap_or(0.0);
            // The value decides where it can: no timestamp is below 10⁸ (1973), no lifetime
            // above 10⁹ seconds (31 years); in between, the description does.
            let large = value >= 1e9;
            let small = value < 1e8;
            return Some(if large || (!small && says_instant && !says_lifetime) {
                ExpiryKind::Datetime
            } else {
                ExpiryKind::Seconds
            });
        }
        Some(Value::String(s))
            if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && s.len() >= 10 =>
        {
            return Some(ExpiryKind::Datetime);
        }
        Some(Value::String(s)) if looks_like_datetime(s) => return Some(ExpiryKind::Datetime),
        Some(Value::String(s)) if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() => {
            return Some(ExpiryKind::Seconds);
        }
        _ => {}
    }
    if field
        .format
        .as_deref()
        .is_some_and(|f| case::contains(f, "date"))
    {
        return Some(ExpiryKind::Datetime);
    }
    if says_instant && !says_lifetime {
        return Some(ExpiryKind::Datetime);
    }
    if says_lifetime && !says_instant {
        return Some(ExpiryKind::Seconds);
    }
    match field.ty {
        ValueType::Integer | ValueType::Number if named_instant => Some(ExpiryKind::Datetime),
        ValueType::Integer | ValueType::Number => Some(ExpiryKind::Seconds),
        ValueType::String => {
            let seconds = with_loose(&field.name, |n| {
                case::contains(n, "in") && !case::contains(n, "time")
            });
            Some(if seconds {
                ExpiryKind::Seconds
            } else {
                ExpiryKind::Datetime
            })
        }
        _ => None,
    }
}

fn is_use_limit(field: &Field) -> bool {
    matches!(
        field.ty,
        ValueType::Integer | ValueType::Number | ValueType::Unknown
    ) && with_loose(&field.name, |n| {
        [
            "numberofuses",
            "usecount",
            "uselimit",
            "remaininguses",
            "usetimes",
            "maxuses",
        ]
        .iter()
        .any(|w| case::contains(n, w))
    })
}

fn is_success_message(message: &str) -> bool {
    let m = case::lowercase(message.trim());
    matches!(&*m, "正常" | "成功" | "success" | "ok" | "请求成功")
}

/// Error codes from error samples, status-code sentences (`正常(200)、错误请求(400)`) and code tables.
fn error_codes(
    page: &Page<'_>,
    range: Range<usize>,
    code_field: Option<&str>,
    message_field: Option<&str>,
) -> Vec<ErrorCode> {
    let mut out: Vec<ErrorCode> = Vec::new();
    let mut push = |code: String, message: String, line: u32| {
        if !out.iter().any(|e| e.code == code) {
            out.push(ErrorCode {
                invalid_token: is_invalid_token(&message),
                retryable: false,
                variant: String::new(),
                code,
                message,
                source: page.source(line),
            });
        }
    };
    for index in range {
        match &page.doc.blocks[index] {
            Block::Code { line, .. }
                if page.section(index) == Section::ErrorSample
                    || page.sample(index).is_some_and(is_http_error_body) =>
            {
                let Some(sample) = page.sample(index) else {
                    continue;
                };
                // An error object nested under `error` or as the first of `errors`
                // (`{"errors": [{"code": 99, "message": …}]}`) holds its own code and message.
                let nested = ["error", "errors"].iter().find_map(|k| {
                    let v = sample.get(k)?;
                    let v = v.get(0).unwrap_or(v);
                    v.is_object().then_some(v)
                });
                let sample = match nested {
                    Some(inner)
                        if !CODE_NAMES.iter().any(|n| {
                            sample
                                .as_object()
                                .is_some_and(|o| o.keys().any(|k| loose_eq(k, n)))
                        }) =>
                    {
                        inner
                    }
                    _ => sample,
                };
                let code = code_field
                    .and_then(|c| sample.get(c))
                    .or_else(|| {
                        CODE_NAMES.iter().find_map(|n| {
                            sample
                                .as_object()?
                                .iter()
                                .find(|(k, _)| loose_eq(k, n))
                                .map(|(_, v)| v)
                        })
                    })
                    // RFC 6749: `{"error": "invalid_client", "error_description": …}`.
                    .or_else(|| sample.get("error").filter(|v| v.is_string()))
                    .and_then(scalar_text);
                let message = message_field
                    .and_then(|m| sample.get(m))
                    .or_else(|| {
                        MESSAGE_NAMES.iter().find_map(|n| {
                            sample
                                .as_object()?
                                .iter()
                                .find(|(k, _)| loose_eq(k, n))
                                .map(|(_, v)| v)
                        })
                    })
                    .and_then(scalar_text)
                    .unwrap_or_default();
                if let Some(code) = code {
                    push(code, message, *line);
                }
            }
            Block::Paragraph { text, line }
            | Block::Item { text, line }
            | Block::Note { text, line, .. } => {
                if case::contains(text, "码") || case::contains_ascii_ci(text, "code") {
                    for (message, code) in labelled_codes(text) {
                        push(code, message, *line);
                    }
                }
                // In an error section, every code-shaped term: `invalid_grant`, `KOE303: …`.
                if page.section(index) == Section::ErrorSample {
                    for (code, message) in listed_codes(text) {
                        push(code, message, *line);
                    }
                }
                // Anywhere, the OAuth 2.0 error registry's codes, which every OAuth token
                // endpoint answers with (`invalid_client — unknown or disabled client`).
                for (code, message) in oauth_codes(text) {
                    push(code, message, *line);
                }
                // Error bodies quoted inline: `{"error":"invalid_code"}  -> wrong client secret`.
                for (code, message) in inline_error_bodies(text) {
                    push(code, message, *line);
                }
            }
            Block::Table(table) => {
                let Some(columns) = page.columns(index) else {
                    continue;
                };
                let in_errors = page.section(index) == Section::ErrorSample;
                let Some(code_column) = code_column(table, columns, in_errors) else {
                    continue;
                };
                // A sub-code column beside it (`error | sub_error | Meaning`, Huawei's and
                // Alipay's two-level codes): each sub-code is a documented code too.
                let sub_column = table.header.iter().position(|h| {
                    let h = crate::parse::vocab::normalize(h);
                    (h.starts_with("sub") || h.starts_with('子'))
                        && (h.contains("code") || h.contains("error") || h.contains('码'))
                });
                for row in &table.rows {
                    let message = columns
                        .cell(&row.cells, Column::Description)
                        .unwrap_or("")
                        .to_owned();
                    for column in
                        std::iter::once(code_column).chain(sub_column.filter(|c| *c != code_column))
                    {
                        let Some(code) = row.cells.get(column).map(|c| clean_code(c)) else {
                            continue;
                        };
                        if code.is_empty() || code.chars().count() > 64 {
                            continue;
                        }
                        push(code, message.clone(), row.line);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `常用状态码：正常(200)、错误请求(400)` → `[("正常", "200"), ("错误请求", "400")]`.
/// The column holding error codes: among several code columns the one that is not an HTTP status
/// (`HttpCode | 错误码 | 错误信息`); in an error section, a name column too.
fn code_column(
    table: &crate::parse::blocks::Table,
    columns: &super::page::Columns,
    in_errors: bool,
) -> Option<usize> {
    let codes: Vec<usize> = columns
        .kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| **k == Some(Column::Code))
        .map(|(i, _)| i)
        .collect();
    let is_http = |i: &usize| {
        table.header.get(*i).is_some_and(|h| {
            let h = case::lowercase(h);
            h.contains("http") || h.contains("status") || h.contains("状态")
        })
    };
    // Codes are mostly numbers when they are numbers (`100200105`): such a column, the first
    // column of an error table included, wins over a column of error names beside it.
    let numeric = |i: &usize| {
        let cells: Vec<&str> = table
            .rows
            .iter()
            .filter_map(|r| r.cells.get(*i))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        !cells.is_empty()
            && cells
                .iter()
                .filter(|c| {
                    c.trim_start_matches('-')
                        .chars()
                        .all(|ch| ch.is_ascii_digit())
                })
                .count()
                * 2
                > cells.len()
    };
    let first_numeric =
        (in_errors && table.header.len() > 1 && numeric(&0) && !is_http(&0)).then_some(0);
    let chosen = first_numeric
        .or_else(|| codes.iter().find(|i| !is_http(i) && numeric(i)).copied())
        .or_else(|| codes.iter().rev().find(|i| !is_http(i)).copied())
        .or(codes.first().copied());
    if chosen.is_some() && (columns.has(Column::Description) || in_errors) {
        return chosen;
    }
    // A table with a type column describes the error body's fields (`error | string | …`),
    // not codes.
    if in_errors && columns.has(Column::Description) && !columns.has(Column::Type) {
        return columns.kinds.iter().position(|k| *k == Some(Column::Name));
    }
    None
}

/// A code cell without its markup.
fn clean_code(cell: &str) -> String {
    cell.trim()
        .trim_matches(|c: char| matches!(c, '`' | '*' | '"' | '\''))
        .trim()
        .to_owned()
}

/// Whether a term has the shape of an error code: digits (`40001`, `-1`), snake_case
/// (`invalid_grant`), dotted or capitalised names (`InvalidParameter.RoleArn`, `KOE303`).
fn looks_like_code(term: &str) -> bool {
    let t = term.trim();
    if t.is_empty() || t.chars().count() > 48 || t.contains(char::is_whitespace) {
        return false;
    }
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':'));
    let digits = t
        .trim_start_matches('-')
        .chars()
        .all(|c| c.is_ascii_digit());
    let snake = t.contains('_') && t.chars().any(|c| c.is_ascii_lowercase());
    let capital = t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && t.chars()
            .any(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && t.len() > 3;
    allowed && (digits || snake || capital)
}

/// Codes listed in an error section's prose or list items: backticked code-shaped terms, and
/// `CODE: message` / `CODE - message` lines.
fn listed_codes(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim().trim_start_matches(['-', '*', '+', '•']).trim();
        if let Some((head, rest)) = trimmed
            .split_once([':', '：', '—'])
            .or_else(|| trimmed.split_once(" - "))
        {
            let head = clean_code(head);
            if looks_like_code(&head) && !head.ends_with("//") {
                out.push((head, rest.trim().to_owned()));
                continue;
            }
        }
        let mut parts = line.split('`');
        parts.next();
        while let (Some(term), Some(_)) = (parts.next(), parts.next()) {
            // The error body's own field names (`error`, `error_description`) are not codes.
            let field_name = ["error"]
                .iter()
                .chain(CODE_NAMES)
                .chain(MESSAGE_NAMES)
                .any(|n| loose_eq(term, n));
            if looks_like_code(term) && !field_name && !out.iter().any(|(c, _)| c == term) {
                out.push((term.to_owned(), String::new()));
            }
        }
    }
    out
}

/// A sample that is an OAuth error body (`{"error": "invalid_client", "error_description": …}`)
/// or an HTTP error body ([`is_http_error_body`]): what a request never sends.
pub(super) fn is_error_body(sample: &Value) -> bool {
    let Some(map) = sample.as_object() else {
        return false;
    };
    let oauth = map.get("error").is_some_and(Value::is_string)
        && map.len() <= 5
        && !map.keys().any(|k| names_token_field(k));
    oauth || is_http_error_body(sample)
}

/// A sample that is an HTTP error body wherever a page shows it: a small object with an HTTP
/// error status in a code field and a message beside it (`{"status": 403, "message": "invalid
/// client secret"}`), and no token.
fn is_http_error_body(sample: &Value) -> bool {
    let Some(map) = sample.as_object() else {
        return false;
    };
    let status = |v: &Value| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .is_some_and(|n| (400..600).contains(&n))
    };
    map.len() <= 4
        && !map.keys().any(|k| names_token_field(k))
        && map
            .iter()
            .any(|(k, v)| CODE_NAMES.iter().any(|n| loose_eq(k, n)) && status(v))
        && map
            .keys()
            .any(|k| MESSAGE_NAMES.iter().any(|n| loose_eq(k, n)))
}

/// The OAuth 2.0 error codes (RFC 6749 §5.2 and the IANA registry's common extensions) a text
/// names as words, each with what follows it on its line (`invalid_scope — Invalid scopes`).
fn oauth_codes(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    if !text.contains("_") {
        return out;
    }
    // One search per code over the whole text; lines are looked at for the codes it holds.
    let present: Vec<&str> = crate::parse::vocab::OAUTH_ERROR_CODES
        .iter()
        .copied()
        .filter(|code| text.contains(code))
        .collect();
    if present.is_empty() {
        return out;
    }
    for line in text.lines() {
        for code in &present {
            let Some(at) = find_word(line, code) else {
                continue;
            };
            if out.iter().any(|(c, _)| c == code) {
                continue;
            }
            let message = line[at + code.len()..]
                .trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '`' | ':' | '：' | '—' | '-' | '–' | ')')
                })
                .trim()
                .to_owned();
            out.push(((*code).to_owned(), message));
        }
    }
    out
}

/// The `error` values of error bodies quoted inline in prose (`{"error":"invalid_code"}`), each
/// with what follows the body on its line as the meaning.
fn inline_error_bodies(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    if !text.contains("\"error\"") {
        return out;
    }
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("\"error\"") {
            let after = rest[at + 7..].trim_start();
            let Some(value) = after
                .strip_prefix(':')
                .map(str::trim_start)
                .and_then(|v| v.strip_prefix('"'))
            else {
                rest = &rest[at + 7..];
                continue;
            };
            let Some(end) = value.find('"') else {
                break;
            };
            let code = &value[..end];
            let tail = &value[end + 1..];
            let message = tail
                .split_once('}')
                .map_or("", |(_, m)| m)
                .trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '-' | '>' | '→' | ':' | '—')
                })
                .trim();
            if looks_like_code(code) && !out.iter().any(|(c, _)| c == code) {
                out.push((code.to_owned(), message.to_owned()));
            }
            rest = tail;
        }
    }
    out
}

/// Where `word` occurs in `text` as a whole word (not inside `my_invalid_client_id`).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        !text[..at].chars().next_back().is_some_and(is_word)
            && !text[at + word.len()..].chars().next().is_some_and(is_word)
    })
}

fn labelled_codes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['(', '（']) {
        let open_len = rest[open..].chars().next().map_or(1, char::len_utf8);
        let after = &rest[open + open_len..];
        let Some(close) = after.find([')', '）']) else {
            break;
        };
        let code = after[..close].trim();
        let label = rest[..open]
            .rsplit(['、', '，', ',', ';', '；', ':', '：', ' ', '\n'])
            .next()
            .unwrap_or("")
            .trim();
        if !code.is_empty()
            && code.chars().all(|c| c.is_ascii_alphanumeric())
            && code.chars().any(|c| c.is_ascii_digit())
            && !label.is_empty()
        {
            out.push((label.to_owned(), code.to_owned()));
        }
        let close_len = after[close..].chars().next().map_or(1, char::len_utf8);
        rest = &after[close + close_len..];
    }
    out
}

fn is_invalid_token(message: &str) -> bool {
    let m = case::lowercase(message);
    let about_token = ["token", "凭证", "令牌", "ticket"]
        .iter()
        .any(|w| case::contains(&m, w));
    let bad = [
        "无效",
        "过期",
        "失效",
        "超时",
        "不合法",
        "invalid",
        "expired",
        "非法",
        "revoked",
    ]
    .iter()
    .any(|w| case::contains(&m, w));
    about_token && bad
}

/// Gives each code a PascalCase variant from what its message means, or from the code itself.
fn name_variants(errors: &mut [ErrorCode]) {
    let mut used: Vec<String> = Vec::new();
    for error in errors.iter_mut() {
        let m = case::lowercase(&error.message);
        let meaning = if error.invalid_token {
            "InvalidToken"
        } else if case::contains(&m, "client_id")
            || case::contains(&m, "clientid")
            || case::contains(&m, "appid")
            || case::contains(&m, "app_id")
        {
            "InvalidClientId"
        } else if case::contains(&m, "secret")
            || case::contains(&m, "密钥")
            || case::contains(&m, "密码")
        {
            "InvalidClientSecret"
        } else if case::contains(&m, "不能为空")
            || case::contains(&m, "缺少")
            || case::contains(&m, "missing")
            || case::contains(&m, "required")
        {
            "MissingParameter"
        } else if case::contains(&m, "解析")
            || case::contains(&m, "parse")
            || case::contains(&m, "格式")
        {
            "UnparsableBody"
        } else if case::contains(&m, "未授权") || case::contains(&m, "unauthorized") {
            "Unauthorized"
        } else if case::contains(&m, "禁止") || case::contains(&m, "forbidden") {
            "Forbidden"
        } else if case::contains(&m, "服务错误")
            || case::contains(&m, "系统")
            || case::contains(&m, "server")
            || case::contains(&m, "内部")
        {
            "ServerError"
        } else if case::contains(&m, "错误请求") || case::contains(&m, "bad request") {
            "BadRequest"
        } else if case::contains(&m, "频率")
            || case::contains(&m, "频繁")
            || case::contains(&m, "rate")
            || case::contains(&m, "limit")
        {
            "RateLimited"
        } else {
            ""
        };
        let code_part: String = error
            .code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let mut variant = if meaning.is_empty() {
            format!("Code{code_part}")
        } else {
            meaning.to_owned()
        };
        if used.contains(&variant) {
            variant = format!("{variant}{code_part}");
        }
        used.push(variant.clone());
        error.variant = variant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_bodies_with_an_http_error_status_are_error_bodies() {
        let body = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        assert!(is_http_error_body(&body(
            r#"{"status": 403, "message": "invalid client secret"}"#
        )));
        assert!(is_http_error_body(&body(
            r#"{"code": "401", "msg": "unauthorized"}"#
        )));
        for not_one in [
            r#"{"status": 200, "message": "ok"}"#,
            r#"{"status": 400, "message": "x", "access_token": "t"}"#,
            r#"{"status": 400}"#,
            r#"{"errcode": 40001, "errmsg": "invalid credential"}"#,
        ] {
            assert!(!is_http_error_body(&body(not_one)), "{not_one}");
        }
    }

    #[test]
    fn error_bodies_quoted_inline_give_their_codes() {
        assert_eq!(
            inline_error_bodies(
                "  {\"error\":\"invalid_code\"}            -> wrong client secret\n  {\"error\": \"invalid_redirect_uri\"} -> redirect differs"
            ),
            [
                ("invalid_code".to_owned(), "wrong client secret".to_owned()),
                (
                    "invalid_redirect_uri".to_owned(),
                    "redirect differs".to_owned()
                )
            ]
        );
        assert!(inline_error_bodies("the \"error\" field").is_empty());
    }

    #[test]
    fn oauth_registry_codes_are_read_as_words_with_their_meaning() {
        let found = oauth_codes(
            "invalid_request — Missing form parameter: grant_type\nsee my_invalid_client_id and `invalid_client`: wrong secret",
        );
        assert_eq!(
            found,
            [
                (
                    "invalid_request".to_owned(),
                    "Missing form parameter: grant_type".to_owned()
                ),
                ("invalid_client".to_owned(), "wrong secret".to_owned())
            ]
        );
        assert!(oauth_codes("no codes here").is_empty());
    }

    #[test]
    fn status_code_sentences() {
        assert_eq!(
            labelled_codes("常用状态码：正常(200)、错误请求(400)、服务错误(500)"),
            vec![
                ("正常".to_owned(), "200".to_owned()),
                ("错误请求".to_owned(), "400".to_owned()),
                ("服务错误".to_owned(), "500".to_owned())
            ]
        );
        assert!(labelled_codes("see (the docs)").is_empty());
    }

    #[test]
    fn invalid_token_messages() {
        assert!(is_invalid_token("无效的access_token"));
        assert!(is_invalid_token("token expired"));
        assert!(!is_invalid_token("client_id不正确"));
    }
}
