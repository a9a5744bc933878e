//! HTML pages and fragments through scraper (html5ever).
//!
//! html5ever does not report source positions, so lines come from the source itself: the k-th
//! `<tr` in the text is the k-th `tr` element of the tree (true for every tag we emit, since the
//! parser only ever invents `html`, `head`, `body` and `tbody`).

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node};

use super::{Document, Reader};
use crate::parse::blocks::{Block, LineIndex, Row, Table, tidy_text};
use crate::parse::diagnostics::Diagnostic;

/// Reads `.html` pages and text that starts like HTML.
pub struct HtmlReader;

impl Reader for HtmlReader {
    fn name(&self) -> &'static str {
        "html"
    }

    fn sniff(&self, extension: Option<&str>, text: &str) -> u8 {
        if matches!(extension, Some("html" | "htm")) {
            return 80;
        }
        let start = text.trim_start().get(..16).unwrap_or(text.trim_start());
        let start = start.to_ascii_lowercase();
        let html_start = [
            "<!doctype",
            "<html",
            "<body",
            "<div",
            "<table",
            "<h1",
            "<h2",
            "<h3",
            "<p>",
        ];
        if html_start.iter().any(|p| start.starts_with(p)) {
            60
        } else {
            0
        }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks: read_fragment(text),
        })
    }
}

/// Whether an inline HTML tag is a line break (`<br>`, `<br/>`, `<BR />`).
pub(crate) fn is_line_break_tag(tag: &str) -> bool {
    let inner: String = tag
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/')
        .trim()
        .to_ascii_lowercase();
    inner == "br"
}

const TRACKED: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "table", "tr",
];

/// Byte offsets of the opening tags we emit blocks for, per tag name, in source order.
struct TagLines {
    index: LineIndex,
    offsets: HashMap<&'static str, Vec<usize>>,
}

impl TagLines {
    fn new(source: &str) -> Self {
        let mut offsets: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let bytes = source.as_bytes();
        for (at, _) in source.match_indices('<') {
            let name_len = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let name = &source[at + 1..at + 1 + name_len];
            let boundary = bytes.get(at + 1 + name_len).copied();
            if !matches!(
                boundary,
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
            ) {
                continue;
            }
            if let Some(tag) = TRACKED.iter().find(|t| t.eq_ignore_ascii_case(name)) {
                offsets.entry(tag).or_default().push(at);
            }
        }
        Self {
            index: LineIndex::new(source),
            offsets,
        }
    }

    /// Line of the `ordinal`-th `tag` element; past the end, the line of the last one seen.
    fn line(&self, tag: &str, ordinal: usize) -> u32 {
        let offsets = self.offsets.get(tag).map(Vec::as_slice).unwrap_or(&[]);
        offsets
            .get(ordinal)
            .or(offsets.last())
            .map_or(1, |&offset| self.index.line(offset))
    }
}

/// Parses an HTML page or fragment into blocks.
pub(crate) fn read_fragment(source: &str) -> Vec<Block> {
    let document = Html::parse_document(source);
    let lines = TagLines::new(source);
    let mut counters: HashMap<&'static str, usize> = HashMap::new();
    let mut blocks = Vec::new();
    for element in document.root_element().descendent_elements() {
        let name = element.value().name();
        let Some(tag) = TRACKED.iter().copied().find(|t| *t == name) else {
            continue;
        };
        let ordinal = *counters.get(tag).unwrap_or(&0);
        counters.insert(tag, ordinal + 1);
        if inside_block(element) {
            continue;
        }
        let line = lines.line(tag, ordinal);
        let text = || tidy_text(&element_text(element));
        match tag {
            "table" => {
                let first_row = *counters.get("tr").unwrap_or(&0);
                blocks.push(Block::Table(read_table(element, line, first_row, &lines)));
            }
            "pre" => blocks.push(Block::Code {
                lang: code_language(element),
                text: raw_text(element),
                line,
            }),
            "li" => blocks.push(Block::Item { text: text(), line }),
            "p" => {
                let text = text();
                if !text.is_empty() {
                    blocks.push(Block::Paragraph { text, line });
                }
            }
            heading => blocks.push(Block::Heading {
                level: heading[1..].parse().unwrap_or(1),
                text: text().replace('\n', " "),
                line,
            }),
        }
    }
    blocks
}

/// Whether an element sits inside a block we already emit whole (a table cell, a list item, ...).
fn inside_block(element: ElementRef<'_>) -> bool {
    element.ancestors().filter_map(ElementRef::wrap).any(|a| {
        matches!(a.value().name(), "table" | "li" | "pre" | "p")
            || a.value().name().len() == 2 && a.value().name().starts_with('h')
    })
}

fn read_table(table: ElementRef<'_>, line: u32, first_row: usize, lines: &TagLines) -> Table {
    let mut result = Table {
        line,
        ..Table::default()
    };
    let rows = table
        .descendent_elements()
        .filter(|e| e.value().name() == "tr")
        .filter(|tr| nearest_table(*tr).is_some_and(|t| t.id() == table.id()));
    for (k, tr) in rows.enumerate() {
        let cells: Vec<ElementRef<'_>> = tr
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .collect();
        let is_header = !cells.is_empty() && cells.iter().all(|c| c.value().name() == "th");
        let row_line = lines.line("tr", first_row + k);
        if is_header && result.header.is_empty() && result.rows.is_empty() {
            result.header = cells.iter().map(|c| tidy_text(&element_text(*c))).collect();
            result.line = row_line;
            continue;
        }
        let depth = cells.first().map_or(0, |c| indent_depth(*c));
        let texts = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let text = tidy_text(&element_text(*c));
                if i == 0 {
                    strip_tree_glyphs(&text)
                } else {
                    text
                }
            })
            .collect();
        result.rows.push(Row {
            cells: texts,
            depth,
            line: row_line,
        });
    }
    result
}

fn nearest_table(element: ElementRef<'_>) -> Option<ElementRef<'_>> {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
}

/// YApi draws nesting as `padding-left: 20px` per level.
fn indent_depth(cell: ElementRef<'_>) -> u8 {
    let padding = std::iter::once(cell)
        .chain(cell.descendent_elements())
        .filter_map(|e| e.value().attr("style"))
        .find_map(|style| {
            let rest = style.split("padding-left:").nth(1)?;
            let number: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            number.parse::<u32>().ok()
        })
        .unwrap_or(0);
    u8::try_from((padding + 10) / 20).unwrap_or(u8::MAX)
}

fn strip_tree_glyphs(text: &str) -> String {
    text.trim_start_matches(|c: char| {
        matches!(c, '├' | '└' | '│' | '─' | '|' | '-') || c.is_whitespace()
    })
    .to_owned()
}

/// Text of an element with `<br>` and block boundaries kept as line breaks.
fn element_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    push_text(element, &mut out);
    out
}

fn push_text(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) => {
                if e.name() == "br" {
                    out.push('\n');
                } else if let Some(child) = ElementRef::wrap(child) {
                    let block = matches!(e.name(), "p" | "div" | "li" | "tr" | "pre");
                    if block {
                        out.push('\n');
                    }
                    push_text(child, out);
                    if block {
                        out.push('\n');
                    }
                }
            }
            _ => {}
        }
    }
}

/// Text of a `<pre>`, verbatim (entities decoded by the parser).
fn raw_text(element: ElementRef<'_>) -> String {
    let mut text: String = element.text().collect();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// `<pre><code class="language-json">` → `json`.
fn code_language(pre: ElementRef<'_>) -> Option<String> {
    pre.descendent_elements()
        .filter_map(|e| e.value().attr("class"))
        .flat_map(str::split_whitespace)
        .find_map(|class| class.strip_prefix("language-").map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yapi_rows_carry_depth_and_lose_tree_glyphs() {
        let html = "<table><thead><tr><th>名称</th><th>类型</th></tr></thead><tbody>\n\
            <tr><td><span style=\"padding-left: 0px\"><span></span> result</span></td><td>object</td></tr>\n\
            <tr><td><span style=\"padding-left: 20px\"><span>├─</span> accessToken</span></td><td>string</td></tr>\n\
            </tbody></table>";
        let blocks = read_fragment(html);
        let Some(Block::Table(table)) = blocks.first() else {
            panic!("expected a table, got {blocks:?}");
        };
        assert_eq!(table.header, ["名称", "类型"]);
        assert_eq!(table.rows[0].cells, ["result", "object"]);
        assert_eq!((table.rows[0].depth, table.rows[0].line), (0, 2));
        assert_eq!(table.rows[1].cells, ["accessToken", "string"]);
        assert_eq!((table.rows[1].depth, table.rows[1].line), (1, 3));
    }

    #[test]
    fn headings_items_and_pre_keep_their_lines() {
        let html = "<h2>获取</h2>\n<ul>\n<li>请求类型 : GET</li>\n</ul>\n<pre><code>{&quot;a&quot;: 1}</code></pre>";
        let blocks = read_fragment(html);
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 2,
                    text: "获取".into(),
                    line: 1
                },
                Block::Item {
                    text: "请求类型 : GET".into(),
                    line: 3
                },
                Block::Code {
                    lang: None,
                    text: "{\"a\": 1}\n".into(),
                    line: 5
                },
            ]
        );
    }

    #[test]
    fn line_breaks_in_cells_survive() {
        let blocks = read_fragment("<table><tr><th>a</th></tr><tr><td>x<br/>y</td></tr></table>");
        let Some(Block::Table(table)) = blocks.first() else {
            panic!("expected a table");
        };
        assert_eq!(table.rows[0].cells, ["x\ny"]);
    }

    #[test]
    fn br_tags_are_recognised() {
        assert!(is_line_break_tag("<br>"));
        assert!(is_line_break_tag("<BR />"));
        assert!(!is_line_break_tag("<b>"));
    }
}
