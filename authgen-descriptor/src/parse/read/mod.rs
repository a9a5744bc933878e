//! Format readers: page text → [`Block`]s.
//!
//! Each format is one module implementing [`Reader`]; adding a format means adding a module and
//! one entry in [`READERS`]. The reader with the highest [`Reader::sniff`] score reads the page.

mod html;
mod http_file;
mod insomnia;
mod json;
mod json_html;
mod layout;
mod markdown;
mod mdx;
mod openapi;
mod postman;
mod raml;
mod text;
pub(crate) mod yaml;

use super::blocks::Block;
use super::diagnostics::Diagnostic;

/// A page as read: its display name (used in every [`crate::model::Source`]) and its blocks.
#[derive(Debug, Clone)]
pub struct Document {
    /// The page name used in sources (a JSON-wrapped page is `<file>#__html`).
    pub page: String,
    /// The name of the reader that produced it.
    pub format: &'static str,
    /// Blocks in page order.
    pub blocks: Vec<Block>,
    /// What the reader read around (a dangling or cyclic `$ref`), each naming where.
    pub warnings: Vec<Diagnostic>,
}

/// One page format.
pub trait Reader: Sync {
    /// Short name (`markdown`, `html`, ...), shown by `describe`.
    fn name(&self) -> &'static str;
    /// How sure this reader is that it should read the page: 0 means "not mine"; the highest wins.
    fn sniff(&self, extension: Option<&str>, text: &str) -> u8;
    /// Reads the page. `page` is the name to put in diagnostics.
    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic>;
}

/// Every reader, most specific first (ties go to the earlier one).
pub static READERS: &[&dyn Reader] = &[
    &json_html::JsonHtmlReader,
    &raml::RamlReader,
    &http_file::HttpFileReader,
    &json::JsonReader,
    &yaml::YamlReader,
    &mdx::MdxReader,
    &html::HtmlReader,
    &markdown::MarkdownReader,
    &text::TextReader,
];

/// The largest page read (32 MiB): documentation pages are kilobytes; past this the memory a
/// parse takes grows out of proportion.
pub const MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// Reads a page with the reader that claims it most strongly.
pub fn read_page(page: &str, extension: Option<&str>, text: &str) -> Result<Document, Diagnostic> {
    if text.len() > MAX_PAGE_BYTES {
        return Err(Diagnostic::error(
            page,
            1,
            format!(
                "the page is {} MiB; pages larger than {} MiB are not read",
                text.len() / (1024 * 1024),
                MAX_PAGE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let reader = READERS
        .iter()
        .map(|reader| (reader.sniff(extension, text), *reader))
        .filter(|(score, _)| *score > 0)
        .fold(None::<(u8, &dyn Reader)>, |best, candidate| match best {
            Some(b) if b.0 >= candidate.0 => Some(b),
            _ => Some(candidate),
        })
        .map(|(_, reader)| reader)
        .ok_or_else(|| Diagnostic::error(page, 1, "no reader knows this page's format"))?;
    // CR-only and mixed line endings read like LF (every reader counts lines by `\n`).
    if text.contains('\r') {
        let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        return reader.read(page, &normalized);
    }
    reader.read(page, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(ext: Option<&str>, text: &str) -> &'static str {
        read_page("p", ext, text)
            .map(|d| d.format)
            .unwrap_or("error")
    }

    #[test]
    fn sniffing_picks_the_format() {
        assert_eq!(
            format_of(Some("txt"), "{\"__html\": \"<h2>x</h2>\"}"),
            "json-html"
        );
        assert_eq!(
            format_of(None, "# t\n\nimport A from '@theme/Tabs';\n"),
            "mdx"
        );
        assert_eq!(format_of(Some("mdx"), "# t"), "mdx");
        assert_eq!(format_of(Some("html"), "<h2>x</h2>"), "html");
        assert_eq!(
            format_of(None, "<!DOCTYPE html><html><body></body></html>"),
            "html"
        );
        assert_eq!(format_of(Some("md"), "## x"), "markdown");
        assert_eq!(format_of(None, "plain words"), "text");
        assert_eq!(format_of(Some("txt"), "# Title\n\n```\nx\n```"), "markdown");
        assert_eq!(format_of(Some("rst"), "Title\n====="), "text");
        assert_eq!(format_of(Some("org"), "* Title"), "text");
    }
}
