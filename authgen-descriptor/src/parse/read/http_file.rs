//! HTTP request files (`.http`, `.rest`) as the JetBrains HTTP Client and VS Code's REST Client
//! run them, and as teams commit them beside their code: `@name = value` variables, requests
//! separated by `###` lines (the rest of the line is the request's title), `#`/`//` comments
//! (read as Markdown; a JSON object pasted in a comment is a sample), a request line with its
//! query continued on indented `?`/`&` lines, headers, a body, and `> {% … %}` response handlers
//! (skipped). Each request becomes a heading, its comments, a `METHOD URL` line (variables whose
//! value is a URL filled in) and the raw request as a code block, which the extractors read as
//! they read any pasted HTTP request.

use super::{Document, Reader};
use crate::parse::blocks::Block;
use crate::parse::diagnostics::Diagnostic;

pub struct HttpFileReader;

impl Reader for HttpFileReader {
    fn name(&self) -> &'static str {
        "http-file"
    }

    fn sniff(&self, extension: Option<&str>, _text: &str) -> u8 {
        if matches!(extension, Some("http" | "rest")) {
            90
        } else {
            0
        }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        let blocks = blocks(text);
        if !blocks
            .iter()
            .any(|b| matches!(b, Block::Code { lang: Some(l), .. } if l == "http"))
        {
            return Err(Diagnostic::error(
                page,
                1,
                "no request found: expected a request line such as `POST https://host/path` (requests are separated by `###` lines)",
            ));
        }
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks,
            warnings: Vec::new(),
        })
    }
}

/// A line and its 1-based number.
type Line<'t> = (u32, &'t str);

fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l))
        .collect();
    let variables: Vec<(&str, &str)> = lines
        .iter()
        .filter_map(|(_, l)| {
            let (name, value) = l.trim().strip_prefix('@')?.split_once('=')?;
            Some((name.trim(), value.trim()))
        })
        .collect();
    let mut out = Vec::new();
    // The preamble, then one section per `###` line.
    let mut sections: Vec<(Option<&str>, Vec<Line<'_>>)> = vec![(None, Vec::new())];
    for &(number, line) in &lines {
        if let Some(title) = line.trim_start().strip_prefix("###") {
            sections.push((Some(title.trim()), Vec::new()));
        } else if let Some((_, section)) = sections.last_mut() {
            section.push((number, line));
        }
    }
    for (title, section) in sections {
        request_blocks(title, &section, &variables, &mut out);
    }
    out
}

/// Whether a line is a comment, and its text without the marker.
fn comment(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let text = trimmed
        .strip_prefix("//")
        .or_else(|| trimmed.strip_prefix('#'))?;
    Some(text.strip_prefix(' ').unwrap_or(text))
}

/// The blocks of one `###` section: its title, its comments, and its request.
fn request_blocks(
    title: Option<&str>,
    lines: &[Line<'_>],
    variables: &[(&str, &str)],
    out: &mut Vec<Block>,
) {
    let start = out.len();
    let mut comments: Vec<Line<'_>> = Vec::new();
    let mut request: Option<(u32, String)> = None;
    let mut headers: Vec<&str> = Vec::new();
    let mut body: Vec<&str> = Vec::new();
    let mut in_body = false;
    let mut in_handler = false;
    for &(number, line) in lines {
        if in_handler {
            in_handler = !line.contains("%}");
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('>') || trimmed.starts_with("<>") {
            in_handler = trimmed.contains("{%") && !trimmed.contains("%}");
            continue;
        }
        if let Some(text) = comment(line) {
            // `# @name exchangeCode`, `# @no-redirect`: directives for the client.
            if !text.trim_start().starts_with('@') {
                comments.push((number, text));
            }
            continue;
        }
        if trimmed.starts_with('@') && request.is_none() {
            continue;
        }
        match &mut request {
            None if !trimmed.is_empty() => {
                flush_comments(&mut comments, out);
                request = Some((number, trimmed.to_owned()));
            }
            None => {}
            // The query continued on indented lines (`    ?client_id=…`, `    &code=…`).
            Some((_, target))
                if !in_body
                    && headers.is_empty()
                    && line.starts_with(char::is_whitespace)
                    && (trimmed.starts_with('?') || trimmed.starts_with('&')) =>
            {
                target.push_str(trimmed);
            }
            // The blank line after the headers starts the body.
            Some(_) if !in_body && trimmed.is_empty() => in_body = true,
            Some(_) if !in_body => headers.push(trimmed),
            Some(_) => body.push(line),
        }
    }
    flush_comments(&mut comments, out);
    let Some((line, target)) = request else {
        return;
    };
    let target = collapse_placeholders(&target);
    let mut words = target.split_whitespace();
    let first = words.next().unwrap_or("");
    let (method, url) = match crate::model::Method::parse(first) {
        Some(method) => (method.as_str(), words.next().unwrap_or("")),
        None => ("GET", first),
    };
    let url = fill(url, variables);
    let heading = title
        .filter(|t| !t.is_empty())
        .map_or_else(|| format!("{method} {url}"), str::to_owned);
    out.insert(
        start,
        Block::Heading {
            level: 2,
            text: heading,
            line: line.saturating_sub(1).max(1),
        },
    );
    out.push(Block::Paragraph {
        text: format!("{method} {url}"),
        line,
    });
    let body = body.join("\n");
    let mut raw = format!("{method} {url} HTTP/1.1\n");
    for header in &headers {
        raw.push_str(header);
        raw.push('\n');
    }
    if !body.trim().is_empty() {
        raw.push('\n');
        raw.push_str(body.trim());
        raw.push('\n');
    }
    out.push(Block::Code {
        lang: Some("http".to_owned()),
        text: raw,
        line,
        text_line: line,
    });
}

/// `{{accounts}}/oauth/v2/token` with the host variable filled in when its value is a URL;
/// everything else (`{{client_id}}`, `{{$dotenv ZOHO_CLIENT_ID}}`, a redirect URL in the query)
/// stays as written.
fn fill(url: &str, variables: &[(&str, &str)]) -> String {
    variables
        .iter()
        .filter(|(_, v)| v.starts_with("https://") || v.starts_with("http://"))
        .find_map(|(name, value)| {
            url.strip_prefix(&format!("{{{{{name}}}}}"))
                .map(|rest| format!("{value}{rest}"))
        })
        .unwrap_or_else(|| url.to_owned())
}

/// `{{$dotenv ZOHO_GRANT_CODE}}` → `{{$dotenvZOHO_GRANT_CODE}}`: a placeholder is one word, so
/// a request line splits into method, URL and version at its own spaces only.
fn collapse_placeholders(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth = 0usize;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                depth += 1;
                out.push(c);
            }
            '}' if depth > 0 && chars.peek() == Some(&'}') => {
                depth -= 1;
                out.push(c);
            }
            c if depth > 0 && c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Comment lines as blocks: Markdown, except that a JSON object pasted over several lines is a
/// code sample.
fn flush_comments(comments: &mut Vec<Line<'_>>, out: &mut Vec<Block>) {
    let mut text_run: Vec<Line<'_>> = Vec::new();
    let mut i = 0;
    while i < comments.len() {
        let (number, line) = comments[i];
        if line.trim() == "{" {
            let mut depth = 0i32;
            let mut end = None;
            for (j, (_, l)) in comments.iter().enumerate().skip(i) {
                depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
                if depth <= 0 {
                    end = Some(j);
                    break;
                }
            }
            if let Some(end) = end {
                markdown_run(&mut text_run, out);
                let code: Vec<&str> = comments[i..=end].iter().map(|(_, l)| *l).collect();
                out.push(Block::Code {
                    lang: Some("json".to_owned()),
                    text: code.join("\n") + "\n",
                    line: number,
                    text_line: number,
                });
                i = end + 1;
                continue;
            }
        }
        text_run.push((number, line));
        i += 1;
    }
    markdown_run(&mut text_run, out);
    comments.clear();
}

/// A run of comment lines read as Markdown, at their lines in the file.
fn markdown_run(run: &mut Vec<Line<'_>>, out: &mut Vec<Block>) {
    let Some(&(first, _)) = run.first() else {
        return;
    };
    // Comments are indented for the eye, not for Markdown: a common indent is not a code block.
    let indent = run
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = run
        .iter()
        .map(|(_, l)| l.get(indent..).unwrap_or("").trim_end_matches(['=', '-']))
        .collect();
    for mut block in super::markdown::read_blocks(&text.join("\n")) {
        block.shift_lines(first.saturating_sub(1));
        out.push(block);
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# Token calls\n\n@host = https://accounts.example.com\n@client_id = {{$dotenv ID}}\n\n### 1. Exchange the code\n# All parameters travel in the query string.\n# @name exchange\nPOST {{host}}/oauth/v2/token\n    ?client_id={{client_id}}\n    &grant_type=authorization_code\nAccept: application/json\n\n> {%\n    client.global.set(\"t\", response.body.access_token);\n%}\n\n# Response:\n# {\n#   \"access_token\": \"1000.abc\",\n#   \"expires_in\": 3600\n# }\n\n### 2. Refresh\nPOST {{host}}/oauth/v2/token\nContent-Type: application/x-www-form-urlencoded\n\nclient_id={{client_id}}&grant_type=refresh_token\n";

    #[test]
    fn requests_become_headings_lines_and_raw_requests() {
        let doc = HttpFileReader.read("t.http", FILE).unwrap();
        let texts: Vec<String> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { text, .. } => format!("H {text}"),
                Block::Paragraph { text, .. } => format!("P {text}"),
                Block::Code { lang, text, .. } => format!("C {lang:?} {text}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert!(
            texts.contains(&"H 1. Exchange the code".to_owned()),
            "{texts:#?}"
        );
        assert!(
            texts.contains(&"P POST https://accounts.example.com/oauth/v2/token?client_id={{client_id}}&grant_type=authorization_code".to_owned()),
            "{texts:#?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("C Some(\"json\") {") && t.contains("\"expires_in\": 3600")),
            "{texts:#?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("C Some(\"http\") POST https://accounts.example.com/oauth/v2/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nclient_id=")),
            "{texts:#?}"
        );
        assert!(
            !texts.iter().any(|t| t.contains("client.global")),
            "handlers are skipped"
        );
    }

    #[test]
    fn a_file_without_a_request_is_refused_with_the_reason() {
        let err = HttpFileReader.read("t.http", "# just notes\n").unwrap_err();
        assert!(err.to_string().contains("no request found"), "{err}");
    }
}
