//! Small text helpers shared by the extractors: names, URLs, JSON samples.

use serde_json::Value;

use crate::model::ValueType;

/// `getServiceTicket` → `get_service_ticket`; `app-id` → `app_id`; keywords get a trailing `_`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
        previous = Some(c);
    }
    out.truncate(out.trim_end_matches('_').len());
    if out.is_empty() {
        out.push_str("field");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "n_");
    }
    if crate::model::is_rust_keyword(&out) {
        out.push('_');
    }
    out
}

/// Comparison key for names that differ only in case and separators (`app_id` ~ `appId`).
pub fn loose(name: &str) -> String {
    loose_chars(name).collect()
}

/// Calls `f` with [`loose`]`(name)`, built on the stack when short (every field of every
/// response is classified several times).
pub fn with_loose<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
    crate::parse::case::with_short_str(loose_chars(name).map(Some), || loose(name), f)
}

/// Whether a field name names the token a response delivers (`access_token`, `accessToken`,
/// `jsapi_ticket`): not its type, a refresh or ID token, nor an expiry.
pub fn names_token_field(name: &str) -> bool {
    with_loose(name, |n| {
        (n.contains("token") || n.contains("ticket"))
            && !["refresh", "type", "expire", "idtoken"]
                .iter()
                .any(|x| n.contains(x))
    })
}

/// Whether a field name names a lifetime or an expiry (`expires_in`, `expireTime`, `ttl`), not
/// the refresh token's.
pub fn names_expiry_field(name: &str) -> bool {
    with_loose(name, |n| {
        (n.contains("expire")
            || n.contains("expiry")
            || n.contains("expiration")
            || n == "ttl"
            || n == "validity")
            // The refresh token's lifetime is not the access token's.
            && !n.contains("refresh")
            && !n.starts_with("reexpire")
    })
}

/// The characters of [`loose`], without collecting them.
fn loose_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
}

/// `loose(a) == loose(b)`, without building either key (names are compared pairwise in loops).
pub fn loose_eq(a: &str, b: &str) -> bool {
    loose_chars(a).eq(loose_chars(b))
}

/// A URL or path as written on a page, split into host (with scheme) and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageUrl {
    /// `https://host[:port]`, when the page gives a host.
    pub host: Option<String>,
    /// The path, `{param}` style, without query.
    pub path: String,
}

/// Reads `https://h/p?q`, `h.com/p`, `/p`, `` `/p` `` or `GET h/p?q`; `None` when it is not a URL.
pub fn parse_url(text: &str) -> Option<PageUrl> {
    let token = text
        .split_whitespace()
        .find(|t| t.contains('/'))?
        .trim_matches(|c: char| matches!(c, '`' | '"' | '\'' | '<' | '>' | '(' | ')' | ',' | '，'));
    // Markup escapes (`\{realm}`, `access\_token`) are not part of the path.
    let unescaped;
    let token = if token.contains('\\') {
        unescaped = token.replace('\\', "");
        unescaped.as_str()
    } else {
        token
    };
    let without_query = token.split(['?', '#']).next().unwrap_or(token);
    // A host placeholder (`{{server}}/api/x`, `{baseUrl}/x`, `${HOST}/x`, `<host>/x`) leaves
    // the path alone.
    let without_query = strip_host_placeholder(without_query);
    let (host, path) = if let Some(rest) = without_query
        .strip_prefix("https://")
        .map(|r| ("https://", r))
        .or_else(|| {
            without_query
                .strip_prefix("http://")
                .map(|r| ("http://", r))
        }) {
        let (scheme, rest) = rest;
        let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
        // Sentence punctuation and markup after a bare host (`https://a.example.com`.) are not
        // part of it; a host of other characters (`平台IP:端口`) is a placeholder in prose.
        let host =
            host.trim_end_matches(['.', '`', '\'', '"', ',', ';', ':', ')', '）', '。', '，']);
        let valid = !host.is_empty()
            && host.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '.' | '-' | ':' | '[' | ']' | '{' | '}' | '_' | '@' | '$')
            });
        if !valid {
            return None;
        }
        (Some(format!("{scheme}{host}")), format!("/{path}"))
    } else if without_query.starts_with('/') {
        (None, without_query.to_owned())
    } else {
        let (host, path) = without_query.split_once('/')?;
        if !host.contains('.')
            || host.contains(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')))
        {
            return None;
        }
        (Some(format!("https://{host}")), format!("/{path}"))
    };
    if host.as_deref().is_some_and(|h| h.ends_with("://")) {
        return None;
    }
    let path = normalize_path(&path)?;
    Some(PageUrl { host, path })
}

/// `/a/:id/` → `/a/{id}`; rejects characters no path has.
/// `{{server}}/api/x` → `/api/x` (also `{host}`, `${host}`, `<host>`, `:host`).
fn strip_host_placeholder(url: &str) -> &str {
    let Some((first, _)) = url.split_once('/') else {
        return url;
    };
    let placeholder = (first.starts_with('{') && first.ends_with('}'))
        || (first.starts_with("${") && first.ends_with('}'))
        || (first.starts_with('<') && first.ends_with('>'))
        || (first.starts_with(':') && first.len() > 1);
    if placeholder && !first.is_empty() {
        &url[first.len()..]
    } else {
        url
    }
}

fn normalize_path(path: &str) -> Option<String> {
    let mut segments = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let segment = match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        };
        let ok = segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~{}%@$!&'*+,;=".contains(c));
        if !ok {
            return None;
        }
        segments.push(segment);
    }
    // A trailing slash is part of the path (some servers answer `/token` and `/token/` apart).
    let slash = if path.ends_with('/') && !segments.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("/{}{slash}", segments.join("/")))
}

/// The `{name}` parameters of a path.
pub fn path_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_owned)
        .collect()
}

/// The endpoint name a path suggests: `/oauth/getAccessToken` → `get_access_token`, `/oauth/token/get` → `get_token`.
pub fn endpoint_name(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .collect();
    let Some(last) = segments.last() else {
        return "root".to_owned();
    };
    let last = snake_case(last);
    let verb = matches!(
        last.as_str(),
        "get" | "post" | "create" | "list" | "query" | "new" | "fetch" | "issue" | "apply"
    );
    match segments.len().checked_sub(2).and_then(|i| segments.get(i)) {
        Some(previous) if verb => format!("{last}_{}", snake_case(previous)),
        _ => last,
    }
}

/// The JSON a code sample holds: the whole text, or the outermost `{...}` inside it.
pub fn sample_json(text: &str) -> Option<Value> {
    if let Ok(value) = serde_json::from_str::<Value>(text)
        && value.is_object()
    {
        return Some(value);
    }
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let inner = text.get(start..=end)?;
    serde_json::from_str::<Value>(inner)
        .ok()
        .or_else(|| serde_json::from_str::<Value>(&repair_json(inner)).ok())
        .filter(Value::is_object)
}

/// Samples are pasted by hand: `//` comments, trailing commas and a missing comma at a line's
/// end are taken out or put in so the sample still says what it shows.
fn repair_json(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        // A `//` comment outside a string (quotes before it balanced).
        let cut = line
            .match_indices("//")
            .map(|(at, _)| at)
            .find(|&at| line[..at].matches('"').count() % 2 == 0 && !line[..at].ends_with(':'))
            .unwrap_or(line.len());
        let kept = line[..cut].trim_end();
        if !kept.trim().is_empty() {
            lines.push(kept.to_owned());
        }
    }
    let ends_value = |l: &str| {
        let l = l.trim_end();
        l.ends_with('"')
            || l.ends_with('}')
            || l.ends_with(']')
            || l.ends_with("true")
            || l.ends_with("false")
            || l.ends_with("null")
            || l.ends_with(|c: char| c.is_ascii_digit())
    };
    let mut out = String::with_capacity(text.len());
    for i in 0..lines.len() {
        let line = lines[i].as_str();
        let next = lines.get(i + 1).map(|l| l.trim_start()).unwrap_or("");
        out.push_str(line);
        if next.starts_with('"') && ends_value(line) && !line.trim_end().ends_with(',') {
            out.push(',');
        }
        out.push('\n');
    }
    // Trailing commas before a closing bracket.
    let mut cleaned = String::with_capacity(out.len());
    let chars: Vec<char> = out.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        cleaned.push(*c);
    }
    cleaned
}

/// Query parameter names in a sample line such as `GET host/p?a=1&b=2`.
pub fn sample_query_keys(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|token| token.split_once('?').map(|(_, q)| q))
        .flat_map(|query| query.split('&'))
        .filter_map(|pair| pair.split('=').next())
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The type a sample value shows.
pub fn json_type(value: &Value) -> ValueType {
    match value {
        Value::String(_) => ValueType::String,
        Value::Number(n) if n.is_i64() || n.is_u64() => ValueType::Integer,
        Value::Number(_) => ValueType::Number,
        Value::Bool(_) => ValueType::Boolean,
        Value::Object(_) => ValueType::Object,
        Value::Array(_) => ValueType::Array,
        Value::Null => ValueType::Unknown,
    }
}

/// A JSON scalar as text (`"000"` → `000`, `1000` → `1000`).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether text looks like `2021-06-18 15:00:34` or an RFC 3339 date-time.
pub fn looks_like_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 16
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
}

/// How many lines into a code block (given as its lines) `"key"` first appears (0 for its first
/// line, and when absent).
pub fn key_line(lines: &[&str], key: &str) -> u32 {
    let quoted = format!("\"{key}\"");
    lines
        .iter()
        .position(|line| crate::parse::case::contains(line, &quoted))
        .and_then(|i| u32::try_from(i).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake_case("getServiceTicket"), "get_service_ticket");
        assert_eq!(snake_case("client_id"), "client_id");
        assert_eq!(snake_case("Content-Type"), "content_type");
        assert_eq!(snake_case("type"), "type_");
        assert_eq!(snake_case("9x"), "n_9x");
        assert_eq!(endpoint_name("/oauth/getAccessToken"), "get_access_token");
        assert_eq!(endpoint_name("/oauth/token/get"), "get_token");
        assert_eq!(endpoint_name("/service/serviceToken"), "service_token");
        assert_eq!(endpoint_name("/users/{id}"), "users");
        assert_eq!(loose("app_id"), loose("appId"));
        let long = "Very_Long-Field.Name".repeat(8);
        for name in ["app_id", "", "参数 Expires_In", long.as_str()] {
            assert_eq!(with_loose(name, str::to_owned), loose(name), "{name}");
        }
        assert!(loose_eq("app_id", "appId"));
        assert!(loose_eq("errCode", "errcode"));
        assert!(!loose_eq("app_id", "appIds"));
    }

    #[test]
    fn urls() {
        let u = |s| parse_url(s);
        assert_eq!(
            u("https://api.anyweb.cc/service/serviceToken"),
            Some(PageUrl {
                host: Some("https://api.anyweb.cc".into()),
                path: "/service/serviceToken".into()
            })
        );
        assert_eq!(
            u("/oauth/getServiceTicket"),
            Some(PageUrl {
                host: None,
                path: "/oauth/getServiceTicket".into()
            })
        );
        assert_eq!(
            u("GET dev-etc.ebaas.com/oauth/getAccessToken?client_id=aaa"),
            Some(PageUrl {
                host: Some("https://dev-etc.ebaas.com".into()),
                path: "/oauth/getAccessToken".into()
            })
        );
        assert_eq!(
            u("/users/:id"),
            Some(PageUrl {
                host: None,
                path: "/users/{id}".into()
            })
        );
        assert_eq!(u("POST"), None);
        assert_eq!(u("a/b"), None);
        assert_eq!(u("https://"), None);
        assert_eq!(path_params("/a/{id}/b/{x}"), ["id", "x"]);
    }

    #[test]
    fn samples() {
        assert_eq!(
            sample_json("https://x/y\nPOST applocation/json\n{\"a\": 1}\n"),
            Some(serde_json::json!({"a": 1}))
        );
        assert_eq!(sample_json("401"), None);
        assert_eq!(
            sample_query_keys("GET h/p?client_id=a&client_secret=b"),
            ["client_id", "client_secret"]
        );
        assert!(looks_like_datetime("2021-06-18 15:00:34"));
        assert!(!looks_like_datetime("7200"));
    }
}
