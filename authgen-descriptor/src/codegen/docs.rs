//! Doc comments from page text: kept (Chinese too), but made safe for rustdoc — no link
//! brackets, no code fences or indented blocks that would run as doctests, URLs in backticks.

use proc_macro2::TokenStream;
use quote::quote;

/// Sanitises page text for a doc comment: one paragraph per line of input.
pub fn sanitize(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.split_whitespace()
                .map(|word| {
                    if word.contains("://") {
                        format!("`{}`", word.replace('`', ""))
                    } else {
                        word.chars()
                            .flat_map(|c| match c {
                                '[' | ']' | '<' | '>' | '`' | '*' | '_' | '#' | '\\' | '|' => {
                                    vec!['\\', c]
                                }
                                _ => vec![c],
                            })
                            .collect()
                    }
                })
                .collect::<Vec<String>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Page text (a name, a path, a host, a code) as an inline code span: one line, no backtick that
/// could close the span early, no control character. Inside a span rustdoc interprets nothing.
pub fn code(text: &str) -> String {
    let inner: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    match inner.trim() {
        "" => "(empty)".to_owned(),
        inner => format!("`{inner}`"),
    }
}

/// `#[doc = "..."]` attributes, one per line. Every line passes [`neutralize`] whatever built it,
/// so page text that slipped past [`sanitize`] or [`code`] still cannot open a doctest.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let docs = lines
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(|l| format!(" {}", neutralize(l)));
    quote! { #( #[doc = #docs] )* }
}

/// The last guard on a doc line: no leading indentation (an indented block is a doctest), no
/// code fence at its start, no control characters.
fn neutralize(line: &str) -> String {
    let line: String = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = line.trim_start();
    if line.starts_with("```") || line.starts_with("~~~") {
        return format!("\\{line}");
    }
    // A line opening a list, quote or heading (`1. 请求地址`, `- x`, `> x`) would swallow the
    // next line as a lazy continuation (clippy's `doc_lazy_continuation` under `-D warnings`).
    if line.starts_with(['-', '+', '*', '>', '#']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_cannot_be_closed_early_or_span_lines() {
        assert_eq!(
            code("a`b\n```rust\nfn main(){}"),
            "`a'b '''rust fn main(){}`"
        );
        assert_eq!(code("  "), "(empty)");
    }

    #[test]
    fn doc_lines_cannot_open_a_fence_or_an_indented_block() {
        let out = doc_attrs(&["x\n```\n    indented\n~~~".to_owned()]).to_string();
        assert!(out.contains(r#"" \\```""#), "{out}");
        assert!(out.contains(r#"" indented""#), "{out}");
        assert!(out.contains(r#"" \\~~~""#), "{out}");
    }

    #[test]
    fn doc_lines_cannot_open_a_list_quote_or_heading() {
        let out = doc_attrs(&["1. 请求地址\n- item\n> quote\n# head\n2) x\n12 apples".to_owned()])
            .to_string();
        for escaped in [
            r#"" 1\\. 请求地址""#,
            r#"" \\- item""#,
            r#"" \\> quote""#,
            r#"" \\# head""#,
            r#"" 2\\) x""#,
            r#"" 12 apples""#,
        ] {
            assert!(out.contains(escaped), "{escaped} in {out}");
        }
    }

    #[test]
    fn sanitizing() {
        assert_eq!(
            sanitize("参数[access_token]不能为空"),
            "参数\\[access\\_token\\]不能为空"
        );
        assert_eq!(sanitize("见 https://a.b/c 页面"), "见 `https://a.b/c` 页面");
        assert_eq!(
            sanitize("    indented code\n```\nfence"),
            "indented code\n\n\\`\\`\\`\n\nfence"
        );
    }
}
