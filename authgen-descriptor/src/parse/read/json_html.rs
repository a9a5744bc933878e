//! Pages saved as a JSON object whose `__html` string holds the rendered HTML (ShowDoc exports).

use super::{Document, Reader, html};
use crate::parse::diagnostics::Diagnostic;

/// Reads `{"__html": "..."}` pages.
pub struct JsonHtmlReader;

impl Reader for JsonHtmlReader {
    fn name(&self) -> &'static str {
        "json-html"
    }

    fn sniff(&self, extension: Option<&str>, text: &str) -> u8 {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') && trimmed.contains("\"__html\"") {
            95
        } else if extension == Some("json") {
            // Claim it anyway so a broken wrapper gets a JSON error, not a Markdown guess.
            70
        } else {
            0
        }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Diagnostic::error(
                page,
                u32::try_from(e.line()).unwrap_or(u32::MAX),
                format!(
                    "the page's JSON wrapper is not valid JSON (column {}): {e}",
                    e.column()
                ),
            )
        })?;
        let html = value
            .get("__html")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                Diagnostic::error(
                    page,
                    1,
                    "expected a JSON object with an `__html` string holding the page",
                )
            })?;
        if let Err((line, message)) = html::check_limits(html) {
            return Err(Diagnostic::error(&format!("{page}#__html"), line, message));
        }
        Ok(Document {
            page: format!("{page}#__html"),
            format: self.name(),
            blocks: html::read_checked(html),
            warnings: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_wrapper_names_the_line() {
        let err = JsonHtmlReader
            .read("p.json", "{\n\"__html\": \"<h2>x</h2>\",\n oops")
            .err();
        let err = err.map(|d| (d.source.line, d.message.contains("not valid JSON")));
        assert_eq!(err, Some((3, true)));
    }

    #[test]
    fn missing_html_key_is_an_error() {
        let err = JsonHtmlReader
            .read("p.json", "{\"html\": 1}")
            .err()
            .map(|d| d.message);
        assert_eq!(
            err.as_deref(),
            Some("expected a JSON object with an `__html` string holding the page")
        );
    }

    #[test]
    fn lines_count_inside_the_html() {
        let doc = JsonHtmlReader.read("p.json", r#"{"__html": "<h2>a</h2>\n<h4>b</h4>"}"#);
        let lines: Vec<u32> = doc
            .map(|d| d.blocks.iter().map(|b| b.line()).collect())
            .unwrap_or_default();
        assert_eq!(lines, [1, 2]);
    }
}
