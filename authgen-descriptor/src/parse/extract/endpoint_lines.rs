//! Where a page states an endpoint in running text or code rather than under a label: a
//! `METHOD URL` pair (prose, inline code, headings, HTTP request lines, doc-generator badges), a
//! curl command (`-X`, data flags, `-G`), or an SDK call (`requests.post("https://…")`). Each
//! occurrence is a candidate: method, URL and line, tried on every block of every format.

use super::text::{PageUrl, parse_url};
use crate::model::{Encoding, Method};

/// An endpoint stated in a line of text or code.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointLine {
    /// The method, when the text says it (a bare URL in a curl without data is a GET).
    pub method: Option<Method>,
    /// Host and path.
    pub url: PageUrl,
    /// Offset in lines from the start of the text.
    pub line_offset: u32,
    /// Whether it came from a command or SDK call (a sample) rather than from prose.
    pub from_code: bool,
    /// Whether it sits inside a sentence of prose (words on its line besides a label, the method
    /// and the URL), where pages refer to other endpoints ("revoke it with `POST /revoke`")
    /// rather than state their own.
    pub in_sentence: bool,
}

/// Every endpoint statement in `text`.
pub fn find(text: &str, code: bool) -> Vec<EndpointLine> {
    let mut out = Vec::new();
    // Every statement this module reads names a path or URL.
    if !text.contains('/') {
        return out;
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut host_header: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let offset = u32::try_from(i).unwrap_or(u32::MAX);
        if !line.contains('/') && !line.contains(':') {
            continue;
        }
        if let Some(host) = host_header_value(line) {
            host_header = Some(host);
        }
        if !line.contains('/') {
            continue;
        }
        // A method word in capitals, or a line of two words (a badge in any case).
        let named = ["GET", "POST", "PUT", "PATCH", "DELETE"]
            .iter()
            .any(|m| line.contains(m));
        let pair = line.split_whitespace().nth(2).is_none();
        let found = if named { method_then_url(line) } else { None };
        if let Some(found) = found.or_else(|| if pair { badge_pair(line) } else { None }) {
            out.push(EndpointLine {
                method: Some(found.0),
                url: found.1,
                line_offset: offset,
                from_code: code,
                in_sentence: !code && in_sentence(line),
            });
        }
        if line.contains("http")
            && line.contains('(')
            && let Some(found) = sdk_call(line)
        {
            out.push(EndpointLine {
                method: Some(found.0),
                url: found.1,
                line_offset: offset,
                from_code: true,
                in_sentence: false,
            });
        }
    }
    if code && text.contains(":\n") {
        out.extend(openapi_paths(&lines));
    }
    // A raw HTTP request (`POST /token HTTP/1.1` + `Host:`) gets its host from the header.
    if let Some(host) = host_header {
        for e in out.iter_mut().filter(|e| e.url.host.is_none()) {
            e.url.host = Some(if host.contains("://") {
                host.clone()
            } else {
                format!("https://{host}")
            });
        }
    }
    if !text.contains("curl ") {
        return out;
    }
    out.extend(curl_calls(&lines).into_iter().filter_map(|call| {
        Some(EndpointLine {
            method: call.method,
            url: call.url?,
            line_offset: call.line_offset,
            from_code: true,
            in_sentence: false,
        })
    }));
    out
}

/// Words a line of prose has besides a leading label (`Request:`), method words and URLs, at
/// which a statement counts as part of a sentence: "Send a POST request to https://…" (three)
/// still states the endpoint; "invalidated with `POST /oauth2/revoke`. Cache it." refers to one.
const SENTENCE_WORDS: usize = 4;

/// Whether a statement's line is a sentence rather than a label, a heading or a bare
/// `METHOD URL`. Han characters count two to a word.
fn in_sentence(line: &str) -> bool {
    let body = match line.split_once([':', '：']) {
        Some((label, rest))
            if !label.contains('/') && !label.split_whitespace().any(is_method_word) =>
        {
            rest
        }
        _ => line,
    };
    let mut words = 0;
    let mut han = 0;
    for word in body.split_whitespace() {
        if word.contains('/') || is_method_word(word) {
            continue;
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let han_here = word.chars().filter(|c| is_han(*c)).count();
        han += han_here;
        if letters - han_here >= 2 {
            words += 1;
        }
    }
    words + han / 2 >= SENTENCE_WORDS
}

/// A method in capitals (`POST`, `**GET**`): "get" and "post" in a sentence are words.
fn is_method_word(word: &str) -> bool {
    let bare = trim_markup(word);
    bare == bare.to_ascii_uppercase() && Method::parse(bare).is_some()
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// API Blueprint's resource and action headings state the path and the method in trailing
/// brackets: `## Token [/oauth/token]`, `### Get one [POST]`, `## Get one [POST /oauth/token]`.
/// A URI template's query part (`{?code,state}`) is not part of the path.
pub fn heading_brackets(text: &str) -> Option<(Option<Method>, Option<PageUrl>)> {
    let inner = text.trim_end().strip_suffix(']')?;
    let (_, inner) = inner.rsplit_once('[')?;
    let mut words = inner.split_whitespace();
    let first = words.next()?;
    let path = |word: &str| {
        let word = word.split("{?").next().unwrap_or(word);
        word.starts_with('/').then(|| parse_url(word)).flatten()
    };
    match Method::parse(first).filter(|_| first == first.to_ascii_uppercase()) {
        Some(method) => Some((Some(method), words.next().and_then(path))),
        None => path(first).map(|url| (None, Some(url))),
    }
}

/// `Host: api.example.com` (a raw HTTP request's header).
fn host_header_value(line: &str) -> Option<String> {
    let (key, value) = line.trim().split_once(':')?;
    if !key.trim().eq_ignore_ascii_case("host") {
        return None;
    }
    let value = value.trim().trim_matches('`');
    let ok = !value.is_empty()
        && value.contains('.')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:/".contains(c));
    ok.then(|| value.trim_end_matches('/').to_owned())
}

/// Characters around a word that are markup, not part of it.
fn trim_markup(word: &str) -> &str {
    word.trim_matches(|c: char| {
        matches!(
            c,
            '`' | '*'
                | '"'
                | '\''
                | '['
                | ']'
                | '('
                | ')'
                | '<'
                | '>'
                | ':'
                | '：'
                | ','
                | '|'
                | '{'
                | '}'
                | '='
                | ';'
        )
    })
}

/// An upper-case method word followed (after markup) by a URL or an absolute path.
fn method_then_url(line: &str) -> Option<(Method, PageUrl)> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '|' || c == '：')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        // A method glued to its path by markup (`POST/app/x` from adjacent spans).
        if let Some((m, rest)) = word.split_once('/')
            && let Some(method) = Method::parse(trim_markup(m))
                .filter(|_| m.len() >= 3 && m == m.to_ascii_uppercase())
            && let Some(url) = parse_url(&format!("/{}", url_word(rest)))
        {
            return Some((method, url));
        }
        let bare = trim_markup(word);
        if bare.len() < 3 || bare != bare.to_ascii_uppercase() {
            continue;
        }
        let Some(method) = Method::parse(bare) else {
            continue;
        };
        // The URL follows within a few words (`POST to https://…`, `**POST** `/token``), or
        // just before (`https://…/token POST`, a badge after the URL).
        let after = words.get(i + 1..).unwrap_or(&[]).iter().take(4);
        let before = words[..i].iter().rev().take(1);
        for candidate in after.chain(before) {
            let w = url_word(candidate);
            // A host placeholder may stand first (`{{base_url}}/oauth/token`, `${HOST}/token`).
            let placeholder =
                ["{{", "${", "{"].iter().any(|p| w.starts_with(p)) && w.contains("}/");
            if (w.starts_with('/')
                || w.starts_with("http://")
                || w.starts_with("https://")
                || placeholder)
                && let Some(url) = parse_url(w)
            {
                return Some((method, url));
            }
        }
    }
    None
}

/// A line that is only a method and a path, in any case (`post /oauth.v2.access`: a generator's
/// verb badge styled upper-case by CSS).
fn badge_pair(line: &str) -> Option<(Method, PageUrl)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let [method, path] = words.as_slice() else {
        return None;
    };
    let path = url_word(path);
    if !path.starts_with('/') {
        return None;
    }
    Some((Method::parse(trim_markup(method))?, parse_url(path)?))
}

/// Paths and their operations in an OpenAPI document pasted as a sample (YAML
/// `  /token:` then `    post:`, or JSON `"/token": {` then `"post": {`).
fn openapi_paths(lines: &[&str]) -> Vec<EndpointLine> {
    let mut out = Vec::new();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim().trim_end_matches('{').trim();
        let Some(key) = t.strip_suffix(':') else {
            continue;
        };
        let key = key.trim_matches(['"', '\'']);
        if !key.starts_with('/') || key.contains(' ') {
            continue;
        }
        let Some(url) = parse_url(key) else {
            continue;
        };
        let own = indent(line);
        for next in lines[i + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > own)
        {
            let word = next
                .trim()
                .trim_end_matches('{')
                .trim()
                .trim_end_matches(':');
            let word = word.trim_matches(['"', '\'']);
            if word.chars().all(|c| c.is_ascii_lowercase())
                && let Some(method) = Method::parse(word)
            {
                out.push(EndpointLine {
                    method: Some(method),
                    url: url.clone(),
                    line_offset: u32::try_from(i).unwrap_or(u32::MAX),
                    from_code: true,
                    in_sentence: false,
                });
            }
        }
    }
    out
}

/// An HTTP method named anywhere in a short value (`浏览器跳转（GET）`, `POST (form)`): the
/// first upper-case method word.
pub fn method_in(value: &str) -> Option<Method> {
    if value.chars().count() > 40 {
        return None;
    }
    value
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && *w == w.to_ascii_uppercase())
        .find_map(Method::parse)
}

/// A word with the markup around a URL removed (backticks, quotes, brackets, a trailing dot).
fn url_word(word: &str) -> &str {
    word.trim_matches(|c: char| {
        matches!(
            c,
            '`' | '*' | '"' | '\'' | '<' | '>' | '(' | ')' | '[' | ']' | ','
        )
    })
    .trim_end_matches(['.', ';', ':'])
}

/// `requests.post("https://…")`, `http.Get("…")`, `axios.post('…')`, `HttpPost("…")`.
fn sdk_call(line: &str) -> Option<(Method, PageUrl)> {
    let lower = line.to_ascii_lowercase();
    for (word, method) in [
        ("post", Method::Post),
        ("get", Method::Get),
        ("put", Method::Put),
        ("patch", Method::Patch),
        ("delete", Method::Delete),
    ] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(word) {
            let start = from + at;
            from = start + word.len();
            // `post(`, `.post(`, and camel-case compounds (`doPostJson(`, `HttpPost(`,
            // `postForObject(`), not words that merely contain the method (`getToken(`).
            let camel = line
                .as_bytes()
                .get(start)
                .is_some_and(u8::is_ascii_uppercase);
            let before_ok =
                start == 0 || !lower.as_bytes()[start - 1].is_ascii_alphanumeric() || camel;
            let suffix_len = [
                "json",
                "forobject",
                "forentity",
                "async",
                "form",
                "data",
                "",
            ]
            .iter()
            .find(|s| {
                lower[from..].starts_with(*s)
                    && lower[from + s.len()..].trim_start().starts_with('(')
            })
            .map_or(usize::MAX, |s| s.len());
            if suffix_len == usize::MAX {
                continue;
            }
            from += suffix_len;
            let rest = lower[from..].trim_start();
            if !before_ok || !rest.starts_with('(') {
                continue;
            }
            let rest = rest[1..].trim_start();
            let Some(quote) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\'' | '`'))
            else {
                continue;
            };
            let inner = &rest[1..];
            let end = inner.find(quote).unwrap_or(inner.len());
            let url = &line[line.len() - inner.len()..][..end];
            if (url.starts_with("http://") || url.starts_with("https://"))
                && let Some(url) = parse_url(url)
            {
                return Some((method, url));
            }
        }
    }
    None
}

/// A literal call in a sample: a curl command or a raw HTTP request, with what it sends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Call {
    /// The method (curl's default: GET without data, POST with it).
    pub method: Option<Method>,
    /// Host and path.
    pub url: Option<PageUrl>,
    /// Offset in lines of the call's first line.
    pub line_offset: u32,
    /// Names in the URL's query string.
    pub query: Vec<String>,
    /// Names in the body.
    pub body: Vec<String>,
    /// How the body is encoded, when there is one.
    pub encoding: Option<Encoding>,
    /// Header names sent (`-H`, `-u` as `Authorization`).
    pub headers: Vec<String>,
}

/// Every curl command and raw HTTP request in a sample.
pub fn calls(text: &str) -> Vec<Call> {
    if !text.contains("curl ") && !text.contains(" HTTP/") {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = curl_calls(&lines);
    out.extend(raw_http(&lines));
    out
}

/// curl commands: continuation lines joined, then words as a shell splits them.
fn curl_calls(lines: &[&str]) -> Vec<Call> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(at) = lines[i].find("curl ") else {
            i += 1;
            continue;
        };
        let start = i;
        let mut command = lines[i][at..].to_owned();
        while command.trim_end().ends_with('\\') && i + 1 < lines.len() {
            let trimmed = command.trim_end().trim_end_matches('\\').to_owned();
            command = format!("{trimmed} {}", lines[i + 1].trim());
            i += 1;
        }
        i += 1;
        let mut call = read_curl(&shell_words(&command));
        call.line_offset = u32::try_from(start).unwrap_or(u32::MAX);
        if call.url.is_some() {
            out.push(call);
        }
    }
    out
}

/// Splits a command line into words, honouring single and double quotes.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

fn read_curl(words: &[String]) -> Call {
    let mut call = Call::default();
    let mut data = false;
    let mut force_get = false;
    let mut json_header = false;
    let mut k = 1;
    let next = |k: usize| words.get(k + 1).map(String::as_str).unwrap_or("");
    while k < words.len() {
        let w = words[k].as_str();
        match w {
            "-X" | "--request" => {
                call.method = Method::parse(next(k));
                k += 1;
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-urlencode" | "--json" => {
                data = true;
                let value = next(k);
                let (names, encoding) = body_names(value, w == "--json");
                call.body.extend(names);
                call.encoding = call.encoding.or(encoding);
                k += 1;
            }
            "-F" | "--form" => {
                data = true;
                call.body
                    .extend(next(k).split('=').next().map(str::to_owned));
                call.encoding = Some(Encoding::Multipart);
                k += 1;
            }
            "-G" | "--get" => force_get = true,
            "-H" | "--header" => {
                let header = next(k);
                if let Some((name, value)) = header.split_once(':') {
                    if name.trim().eq_ignore_ascii_case("content-type")
                        && value.to_ascii_lowercase().contains("json")
                    {
                        json_header = true;
                    }
                    call.headers.push(name.trim().to_owned());
                }
                k += 1;
            }
            "-u" | "--user" => {
                call.headers.push("Authorization".to_owned());
                k += 1;
            }
            "-o" | "--output" | "-A" | "--user-agent" | "-e" | "--referer" => k += 1,
            _ if w.starts_with("-X") && w.len() > 2 => call.method = Method::parse(&w[2..]),
            _ if call.url.is_none() && (w.contains("://") || w.starts_with('/')) => {
                let w = url_word(w);
                call.query.extend(query_names(w));
                call.url = parse_url(w);
            }
            _ => {}
        }
        k += 1;
    }
    if force_get {
        call.query.append(&mut call.body);
        call.encoding = None;
    } else if json_header && data {
        call.encoding = Some(Encoding::Json);
    }
    call.method = Some(match (call.method, force_get, data) {
        (Some(m), _, _) => m,
        (None, true, _) | (None, false, false) => Method::Get,
        (None, false, true) => Method::Post,
    });
    call
}

/// The names a body sends: JSON keys, or `a=1&b=2` pairs.
fn body_names(value: &str, json: bool) -> (Vec<String>, Option<Encoding>) {
    let value = value.trim();
    // What the body is beats what its header says: `grant_type=client_credentials&…` under a
    // `Content-Type: application/json` (a sample's copy-paste slip) is a form.
    let form_shaped = value
        .split('&')
        .next()
        .and_then(|pair| pair.split_once('='))
        .is_some_and(|(key, _)| is_field_name(key.trim()));
    if value.starts_with('{') || (json && !form_shaped) {
        let names = match serde_json::from_str::<serde_json::Value>(value) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        return (names, Some(Encoding::Json));
    }
    if value.starts_with('@') || !value.contains('=') {
        return (Vec::new(), None);
    }
    let names = value
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .map(str::trim)
        .filter(|k| is_field_name(k))
        .map(str::to_owned)
        .collect();
    (names, Some(Encoding::Form))
}

/// Whether a key of a form body or query string is a field name (not an encoded value).
fn is_field_name(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c))
}

/// The parameter names of a URL's query string.
pub fn query_names(url: &str) -> Vec<String> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    query
        .split('#')
        .next()
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .map(str::trim)
        .filter(|k| is_field_name(k))
        .map(str::to_owned)
        .collect()
}

/// Raw HTTP requests: `POST /path?x=1 HTTP/1.1`, header lines, a blank line, the body.
fn raw_http(lines: &[&str]) -> Vec<Call> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [method, target, version] = words.as_slice() else {
            continue;
        };
        let Some(method) = Method::parse(method) else {
            continue;
        };
        if !version.starts_with("HTTP/") {
            continue;
        }
        let mut call = Call {
            method: Some(method),
            url: parse_url(target),
            line_offset: u32::try_from(i).unwrap_or(u32::MAX),
            query: query_names(target),
            ..Call::default()
        };
        let mut host = None;
        let mut json = false;
        let mut k = i + 1;
        while k < lines.len() && !lines[k].trim().is_empty() {
            if let Some((name, value)) = lines[k].split_once(':') {
                let name = name.trim();
                if name.eq_ignore_ascii_case("host") {
                    host = Some(value.trim().to_owned());
                } else {
                    if name.eq_ignore_ascii_case("content-type") && value.contains("json") {
                        json = true;
                    }
                    call.headers.push(name.to_owned());
                }
            }
            k += 1;
        }
        let body: Vec<&str> = lines[(k + 1).min(lines.len())..]
            .iter()
            .take_while(|l| {
                !l.split_whitespace()
                    .nth(2)
                    .is_some_and(|v| v.starts_with("HTTP/"))
            })
            .copied()
            .collect();
        let (names, encoding) = body_names(&body.join("\n"), json);
        call.body = names;
        call.encoding = encoding;
        if let (Some(url), Some(host)) = (call.url.as_mut(), host)
            && url.host.is_none()
        {
            url.host = Some(if host.contains("://") {
                host
            } else {
                format!("https://{host}")
            });
        }
        out.push(call);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> (Option<Method>, Option<String>, String) {
        let found = find(text, false);
        let e = found.first().expect("an endpoint line");
        (e.method, e.url.host.clone(), e.url.path.clone())
    }

    #[test]
    fn a_form_body_is_a_form_whatever_its_header_says() {
        assert_eq!(
            body_names("grant_type=client_credentials&client_id=abc", true),
            (
                vec!["grant_type".to_owned(), "client_id".to_owned()],
                Some(Encoding::Form)
            )
        );
        assert_eq!(
            body_names("{\"client_id\": \"abc\"}", false).1,
            Some(Encoding::Json)
        );
        assert_eq!(body_names("client_id: abc", true).1, Some(Encoding::Json));
    }

    #[test]
    fn api_blueprint_headings_state_path_and_method() {
        let path = |t: &str| heading_brackets(t).and_then(|(_, u)| u).map(|u| u.path);
        let method = |t: &str| heading_brackets(t).and_then(|(m, _)| m);
        assert_eq!(
            path("Token [/oauth/token]").as_deref(),
            Some("/oauth/token")
        );
        assert_eq!(
            path("Token [/oauth/token{?code,state}]").as_deref(),
            Some("/oauth/token")
        );
        assert_eq!(method("Get one [POST]"), Some(Method::Post));
        assert_eq!(
            heading_brackets("Get one [POST /oauth/token]").map(|(m, u)| (m, u.map(|u| u.path))),
            Some((Some(Method::Post), Some("/oauth/token".to_owned())))
        );
        for plain in ["Token", "Token [beta]", "Token [post]", "Notes [1]"] {
            assert_eq!(heading_brackets(plain), None, "{plain}");
        }
    }

    #[test]
    fn statements_inside_sentences_are_told_apart() {
        for statement in [
            "POST https://a.example.com/oauth/token",
            "**Request:** `POST /oauth/token`",
            "请求地址：POST https://a.example.com/oauth/token",
            "Send a POST request to https://a.example.com/oauth/token",
        ] {
            assert!(!in_sentence(statement), "{statement}");
        }
        for sentence in [
            "invalidated with `POST /oauth2/invalidate_token`. Cache it. Requests made too often",
            "调用本接口之前，请先通过 POST /auth/token 获取访问令牌",
        ] {
            assert!(in_sentence(sentence), "{sentence}");
        }
    }

    #[test]
    fn method_and_url_in_prose_code_and_request_lines() {
        assert_eq!(
            first("Send a `POST` request to `https://a.example.com/oauth/token`."),
            (
                Some(Method::Post),
                Some("https://a.example.com".into()),
                "/oauth/token".into()
            )
        );
        assert_eq!(
            first("POST /v1/oauth2/token HTTP/1.1\nHost: api-m.example.com\n"),
            (
                Some(Method::Post),
                Some("https://api-m.example.com".into()),
                "/v1/oauth2/token".into()
            )
        );
        assert_eq!(
            first("**GET** `/sns/oauth2/{appid}`").2,
            "/sns/oauth2/{appid}"
        );
        assert_eq!(
            first("https请求方式: GET https://api.example.com/cgi-bin/token?grant_type=x").2,
            "/cgi-bin/token"
        );
    }

    #[test]
    fn curl_commands_with_and_without_a_method() {
        let text =
            "curl -X POST \\\n  'https://id.example.com/connect/token' \\\n  -d grant_type=x";
        assert_eq!(first(text).0, Some(Method::Post));
        assert_eq!(
            first("curl https://h.example.com/a -d x=1").0,
            Some(Method::Post)
        );
        assert_eq!(
            first("curl 'https://h.example.com/a?x=1'").0,
            Some(Method::Get)
        );
        assert_eq!(
            first("curl -G https://h.example.com/a -d x=1").0,
            Some(Method::Get)
        );
    }

    #[test]
    fn calls_name_what_they_send() {
        let c = &calls(
            "curl -X POST 'https://h.example.com/t?x=1' -H 'Content-Type: application/json' -d '{\"a\": 1, \"b\": \"two words\"}'",
        )[0];
        assert_eq!(
            (c.query.clone(), c.body.clone(), c.encoding),
            (
                vec!["x".to_owned()],
                vec!["a".to_owned(), "b".to_owned()],
                Some(Encoding::Json)
            )
        );
        let c = &calls(
            "POST /token HTTP/1.1\nHost: h.example.com\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=x&code=y",
        )[0];
        assert_eq!(
            (c.body.clone(), c.encoding),
            (
                vec!["grant_type".to_owned(), "code".to_owned()],
                Some(Encoding::Form)
            )
        );
        assert_eq!(
            c.url.as_ref().and_then(|u| u.host.clone()).as_deref(),
            Some("https://h.example.com")
        );
    }

    #[test]
    fn sdk_calls() {
        let (method, _, path) =
            first("resp = requests.post(\"https://h.example.com/api/token\", data=d)");
        assert_eq!((method, path.as_str()), (Some(Method::Post), "/api/token"));
    }

    #[test]
    fn lower_case_words_are_prose() {
        assert!(find("you can get /tmp files", false).is_empty());
    }
}
