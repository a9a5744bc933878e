//! HTML pages and fragments: parsed by html5ever into a small tree (`sink`) that records the line
//! of every element's tag, copied into an index-based tree (`dom`) that is cheap to walk, then
//! walked into blocks.

mod dom;
mod sink;

use dom::Dom;

use super::{Document, Reader};
use crate::parse::blocks::{Block, Row, Table, tidy_text};
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

/// Parses an HTML page or fragment into blocks.
pub(crate) fn read_fragment(source: &str) -> Vec<Block> {
    blocks(&Dom::parse(source))
}

/// The blocks of a parsed page, in document order.
fn blocks(dom: &Dom) -> Vec<Block> {
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
        if !is_block(name) || inside.get(node).copied().unwrap_or(false) {
            continue;
        }
        let line = dom.line(node);
        let text = || tidy_text(&element_text(dom, node));
        match name {
            "table" => blocks.push(Block::Table(read_table(dom, node, line))),
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

/// Whether an element named so becomes a block (when it is not inside another one).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "li" | "pre" | "table"
    )
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

fn read_table(dom: &Dom, table: usize, line: u32) -> Table {
    let mut result = Table {
        line,
        ..Table::default()
    };
    let rows = dom
        .subtree(table)
        .filter(|&n| dom.name(n) == Some("tr"))
        .filter(|&tr| nearest_table(dom, tr) == Some(table));
    for tr in rows {
        let cells = cells(dom, tr);
        let is_header = !cells.is_empty() && cells.iter().all(|&c| dom.name(c) == Some("th"));
        let row_line = dom.line(tr);
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
    fn misplaced_content_is_moved_as_browsers_do() {
        // A paragraph inside a table is foster-parented before it (append_before_sibling).
        let blocks = read_fragment("<table>\n<p>note</p>\n<tr><td>a</td></tr>\n</table>");
        assert_eq!(
            blocks.first(),
            Some(&Block::Paragraph {
                text: "note".into(),
                line: 2
            })
        );
        let Some(Block::Table(table)) = blocks.get(1) else {
            panic!("expected the table after the paragraph, got {blocks:?}");
        };
        assert_eq!(
            (table.rows[0].cells.as_slice(), table.rows[0].line),
            (&["a".to_owned()][..], 3)
        );
        // Misnested formatting runs the adoption agency (reparent_children, remove_from_parent):
        // no text is lost or duplicated.
        let blocks = read_fragment("<b>x<p>one</b>two</p>");
        assert_eq!(
            blocks,
            vec![Block::Paragraph {
                text: "onetwo".into(),
                line: 1
            }]
        );
    }

    #[test]
    fn br_tags_are_recognised() {
        assert!(is_line_break_tag("<br>"));
        assert!(is_line_break_tag("<BR />"));
        assert!(!is_line_break_tag("<b>"));
    }
}
