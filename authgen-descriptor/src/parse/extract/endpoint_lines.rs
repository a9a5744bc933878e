//! Where a page states an endpoint in running text or code rather than under a label: a
//! `METHOD URL` pair (prose, inline code, headings, HTTP request lines, doc-generator badges), a
//! curl command (`-X`, data flags, `-G`), or an SDK call (`requests.post("https://…")`). Each
//! occurrence is a candidate: method, URL and line, tried on every block of every format.

use super::text::{PageUrl, parse_url};
use crate::model::Method;

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
}

/// Every endpoint statement in `text`.
pub fn find(text: &str, code: bool) -> Vec<EndpointLine> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut host_header: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let offset = u32::try_from(i).unwrap_or(u32::MAX);
        if let Some(host) = host_header_value(line) {
            host_header = Some(host);
        }
        if let Some(found) = method_then_url(line) {
            out.push(EndpointLine {
                method: Some(found.0),
                url: found.1,
                line_offset: offset,
                from_code: code,
            });
        }
        if let Some(found) = sdk_call(line) {
            out.push(EndpointLine {
                method: Some(found.0),
                url: found.1,
                line_offset: offset,
                from_code: true,
            });
        }
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
    out.extend(curl_commands(&lines));
    out
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
            '`' | '*' | '"' | '\'' | '[' | ']' | '(' | ')' | '<' | '>' | ':' | '：' | ',' | '|' | '{'
                | '}' | '=' | ';'
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
            if w.starts_with('/') || w.starts_with("http://") || w.starts_with("https://") {
                if let Some(url) = parse_url(w) {
                    return Some((method, url));
                }
            }
        }
    }
    None
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
    word.trim_matches(|c: char| matches!(c, '`' | '*' | '"' | '\'' | '<' | '>' | '(' | ')' | '[' | ']' | ','))
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
            let camel = line.as_bytes().get(start).is_some_and(u8::is_ascii_uppercase);
            let before_ok =
                start == 0 || !lower.as_bytes()[start - 1].is_ascii_alphanumeric() || camel;
            let suffix_len = ["json", "forobject", "forentity", "async", "form", "data", ""]
                .iter()
                .find(|s| lower[from..].starts_with(*s) && lower[from + s.len()..].trim_start().starts_with('('))
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
            let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else {
                continue;
            };
            let inner = &rest[1..];
            let end = inner.find(quote).unwrap_or(inner.len());
            let url = &line[line.len() - inner.len()..][..end];
            if url.starts_with("http://") || url.starts_with("https://") {
                if let Some(url) = parse_url(url) {
                    return Some((method, url));
                }
            }
        }
    }
    None
}

/// curl commands: continuation lines joined, then `-X`/`--request`, data flags and the URL.
fn curl_commands(lines: &[&str]) -> Vec<EndpointLine> {
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
        if let Some((method, url)) = read_curl(&command) {
            out.push(EndpointLine {
                method: Some(method),
                url,
                line_offset: u32::try_from(start).unwrap_or(u32::MAX),
                from_code: true,
            });
        }
    }
    out
}

fn read_curl(command: &str) -> Option<(Method, PageUrl)> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut method = None;
    let mut data = false;
    let mut force_get = false;
    let mut url = None;
    let mut k = 1;
    while k < words.len() {
        let w = words[k].trim_matches(|c| c == '"' || c == '\'');
        match w {
            "-X" | "--request" => {
                method = words
                    .get(k + 1)
                    .and_then(|m| Method::parse(m.trim_matches(|c| c == '"' || c == '\'')));
                k += 1;
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-urlencode" | "-F"
            | "--form" | "--json" => {
                data = true;
                k += 1;
            }
            "-G" | "--get" => force_get = true,
            "-H" | "--header" | "-u" | "--user" | "-o" | "--output" | "-A" | "--user-agent" => {
                k += 1;
            }
            _ if w.starts_with("-X") && w.len() > 2 => method = Method::parse(&w[2..]),
            _ if w.starts_with("--data") || w.starts_with("-d") && w.len() > 2 => data = true,
            _ if url.is_none() && (w.contains("://") || w.starts_with('/')) => {
                let w = w.trim_start_matches("--url").trim();
                url = parse_url(url_word(w));
            }
            _ => {}
        }
        k += 1;
    }
    let method = match (method, force_get, data) {
        (Some(m), _, _) => m,
        (None, true, _) | (None, false, false) => Method::Get,
        (None, false, true) => Method::Post,
    };
    Some((method, url?))
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
    fn method_and_url_in_prose_code_and_request_lines() {
        assert_eq!(
            first("Send a `POST` request to `https://a.example.com/oauth/token`."),
            (Some(Method::Post), Some("https://a.example.com".into()), "/oauth/token".into())
        );
        assert_eq!(
            first("POST /v1/oauth2/token HTTP/1.1\nHost: api-m.example.com\n"),
            (Some(Method::Post), Some("https://api-m.example.com".into()), "/v1/oauth2/token".into())
        );
        assert_eq!(first("**GET** `/sns/oauth2/{appid}`").2, "/sns/oauth2/{appid}");
        assert_eq!(first("https请求方式: GET https://api.example.com/cgi-bin/token?grant_type=x").2, "/cgi-bin/token");
    }

    #[test]
    fn curl_commands_with_and_without_a_method() {
        let text = "curl -X POST \\\n  'https://id.example.com/connect/token' \\\n  -d grant_type=x";
        assert_eq!(first(text).0, Some(Method::Post));
        assert_eq!(first("curl https://h.example.com/a -d x=1").0, Some(Method::Post));
        assert_eq!(first("curl 'https://h.example.com/a?x=1'").0, Some(Method::Get));
        assert_eq!(first("curl -G https://h.example.com/a -d x=1").0, Some(Method::Get));
    }

    #[test]
    fn sdk_calls() {
        let (method, _, path) = first("resp = requests.post(\"https://h.example.com/api/token\", data=d)");
        assert_eq!((method, path.as_str()), (Some(Method::Post), "/api/token"));
    }

    #[test]
    fn lower_case_words_are_prose() {
        assert!(find("you can get /tmp files", false).is_empty());
    }
}
