//! HTML pages and fragments: parsed by html5ever (through scraper), copied into a small
//! index-based tree (`dom`) that is cheap to walk, then walked into blocks.
//!
//! html5ever does not report source positions, so lines come from the source itself: the k-th
//! `<tr` in the text is the k-th `tr` element of the tree (true for every tag we emit, since the
//! parser only ever invents `html`, `head`, `body` and `tbody`).

mod dom;

use scraper::Html;

use dom::Dom;

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
/// The index of `tr` in [`TRACKED`].
const TR: usize = 10;

/// The index in [`TRACKED`] of a (lower-case) element name (a `match`: names are looked up for
/// every element and every `<` of a page).
fn tracked(name: &[u8]) -> Option<usize> {
    Some(match name {
        b"h1" => 0,
        b"h2" => 1,
        b"h3" => 2,
        b"h4" => 3,
        b"h5" => 4,
        b"h6" => 5,
        b"p" => 6,
        b"li" => 7,
        b"pre" => 8,
        b"table" => 9,
        b"tr" => TR,
        _ => return None,
    })
}

/// [`tracked`] for a tag name as written (any ASCII case).
fn tracked_ignoring_case(name: &str) -> Option<usize> {
    let mut lower = [0u8; 5];
    let bytes = name.as_bytes();
    if bytes.len() > lower.len() {
        return None;
    }
    for (l, b) in lower.iter_mut().zip(bytes) {
        *l = b.to_ascii_lowercase();
    }
    tracked(&lower[..bytes.len()])
}

/// Byte offsets of the opening tags we emit blocks for, per tag name (index in [`TRACKED`]), in
/// source order.
struct TagLines {
    index: LineIndex,
    offsets: [Vec<usize>; TRACKED.len()],
}

impl TagLines {
    fn new(source: &str) -> Self {
        let mut offsets: [Vec<usize>; TRACKED.len()] = Default::default();
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
            if let Some(tag) = tracked_ignoring_case(name) {
                offsets[tag].push(at);
            }
        }
        Self {
            index: LineIndex::new(source),
            offsets,
        }
    }

    /// Line of the `ordinal`-th `tag` element; past the end, the line of the last one seen.
    fn line(&self, tag: usize, ordinal: usize) -> u32 {
        let offsets = self.offsets.get(tag).map_or(&[][..], Vec::as_slice);
        offsets
            .get(ordinal)
            .or(offsets.last())
            .map_or(1, |&offset| self.index.line(offset))
    }
}

/// Parses an HTML page or fragment into blocks.
pub(crate) fn read_fragment(source: &str) -> Vec<Block> {
    let dom = Dom::from_document(&Html::parse_document(source));
    blocks(&dom, &TagLines::new(source))
}

/// The blocks of a parsed page, in document order.
fn blocks(dom: &Dom, lines: &TagLines) -> Vec<Block> {
    let mut counters = [0usize; TRACKED.len()];
    // Whether a node sits inside a block we emit whole (a table cell, a list item, ...): its
    // parent is such a block or sits inside one. Nodes come in document order, parents first.
    let mut inside = vec![false; dom.len()];
    let mut blocks = Vec::new();
    for node in 0..dom.len() {
        if let Some(parent) = dom.parent(node) {
            let parent_inside = inside.get(parent).copied().unwrap_or(false);
            inside[node] = parent_inside || dom.name(parent).is_some_and(holds_blocks);
        }
        let Some(name) = dom.name(node) else {
            continue;
        };
        let Some(tag) = tracked(name.as_bytes()) else {
            continue;
        };
        let ordinal = counters[tag];
        counters[tag] += 1;
        if inside.get(node).copied().unwrap_or(false) {
            continue;
        }
        let line = lines.line(tag, ordinal);
        let text = || tidy_text(&element_text(dom, node));
        match name {
            "table" => {
                let first_row = counters[TR];
                blocks.push(Block::Table(read_table(dom, node, line, first_row, lines)));
            }
            "pre" => blocks.push(Block::Code {
                lang: code_language(dom, node),
                text: raw_text(dom, node),
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

/// Whether elements named so are emitted whole, with everything inside them.
fn holds_blocks(name: &str) -> bool {
    matches!(name, "table" | "li" | "pre" | "p") || name.len() == 2 && name.starts_with('h')
}

/// The element children of `node` named `td` or `th`.
fn cells(dom: &Dom, row: usize) -> Vec<usize> {
    dom.children(row)
        .filter(|&c| matches!(dom.name(c), Some("td" | "th")))
        .collect()
}

fn read_table(dom: &Dom, table: usize, line: u32, first_row: usize, lines: &TagLines) -> Table {
    let mut result = Table {
        line,
        ..Table::default()
    };
    let rows = dom
        .subtree(table)
        .filter(|&n| dom.name(n) == Some("tr"))
        .filter(|&tr| nearest_table(dom, tr) == Some(table));
    for (k, tr) in rows.enumerate() {
        let cells = cells(dom, tr);
        let is_header = !cells.is_empty() && cells.iter().all(|&c| dom.name(c) == Some("th"));
        let row_line = lines.line(TR, first_row + k);
        if is_header && result.header.is_empty() && result.rows.is_empty() {
            result.header = cells
                .iter()
                .map(|&c| tidy_text(&element_text(dom, c)))
                .collect();
            result.line = row_line;
            continue;
        }
        let depth = cells.first().map_or(0, |&c| indent_depth(dom, c));
        let texts = cells
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let text = tidy_text(&element_text(dom, c));
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

fn nearest_table(dom: &Dom, node: usize) -> Option<usize> {
    dom.ancestors(node).find(|&a| dom.name(a) == Some("table"))
}

/// YApi draws nesting as `padding-left: 20px` per level.
fn indent_depth(dom: &Dom, cell: usize) -> u8 {
    let padding = dom
        .subtree(cell)
        .filter_map(|n| dom.style(n))
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
fn element_text(dom: &Dom, element: usize) -> String {
    let mut out = String::new();
    push_text(dom, element, &mut out);
    out
}

fn push_text(dom: &Dom, element: usize, out: &mut String) {
    for child in dom.children(element) {
        match dom.name(child) {
            None => out.push_str(dom.text(child).unwrap_or("")),
            Some("br") => out.push('\n'),
            Some(name) => {
                let block = matches!(name, "p" | "div" | "li" | "tr" | "pre");
                if block {
                    out.push('\n');
                }
                push_text(dom, child, out);
                if block {
                    out.push('\n');
                }
            }
        }
    }
}

/// Text of a `<pre>`, verbatim (entities decoded by the parser).
fn raw_text(dom: &Dom, pre: usize) -> String {
    let mut text: String = dom.subtree(pre).filter_map(|n| dom.text(n)).collect();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// `<pre><code class="language-json">` → `json`.
fn code_language(dom: &Dom, pre: usize) -> Option<String> {
    dom.subtree(pre)
        .filter_map(|n| dom.class(n))
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
