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

/// `#[doc = "..."]` attributes, one per line.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let docs = lines
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(|l| format!(" {l}"));
    quote! { #( #[doc = #docs] )* }
}

#[cfg(test)]
mod tests {
    use super::*;

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
