//! HTML pages and fragments: parsed by html5ever into a small tree (`tree`, built by `sink`) that
//! records the line of every element's tag, then walked into blocks.

mod sink;
mod tree;

use html5ever::tendril::TendrilSink;
use sink::Sink;
use tree::{Id, Step, Tree};

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
        if let Err((line, message)) = check_limits(text) {
            return Err(Diagnostic::error(page, line, message));
        }
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks: read_checked(text),
            warnings: Vec::new(),
        })
    }
}

/// How deep block elements may nest: html5ever's tree builder takes time that grows with the
/// square of the depth of open block elements (scope checks), so a hostile page of 100,000
/// nested `<div>`s would take minutes, and even 2,000 levels cost 40× what 200 do (the
/// `nesting` bench). Real pages stay under a few dozen (34 is the deepest in the corpus): 512
/// leaves room fifteen times over while keeping describe time close to linear in the depth.
pub(crate) const MAX_BLOCK_DEPTH: usize = 512;
/// How many attributes one tag may carry.
pub(crate) const MAX_ATTRIBUTES: usize = 1_000;

/// One linear scan before parsing: block nesting and attribute counts within the limits, or the
/// line where they are exceeded and which limit.
pub(crate) fn check_limits(source: &str) -> Result<(), (u32, String)> {
    // The line of a byte offset, counted only when a limit is exceeded.
    let line_at = |at: usize| {
        u32::try_from(
            source.as_bytes()[..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
        )
        .unwrap_or(u32::MAX)
    };
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    // From one `<` to the next (a memchr search), never byte by byte through text.
    while let Some(offset) = source[i..].find('<') {
        let at = i + offset;
        let closing = bytes.get(at + 1) == Some(&b'/');
        let start = at + 1 + usize::from(closing);
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| start + n);
        i = end.max(at + 1);
        let name = &source[start..end];
        if !is_block_tag(name) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        // The tag's end, its attributes counted on the way (`=` outside quotes).
        let mut attributes = 0usize;
        let mut quote = None;
        let mut j = end;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'>') => break,
                (None, b'"' | b'\'') => quote = Some(bytes[j]),
                (Some(q), b) if b == q => quote = None,
                (None, b'=') => attributes += 1,
                _ => {}
            }
            j += 1;
        }
        if attributes > MAX_ATTRIBUTES {
            return Err((
                line_at(at),
                format!(
                    "a `<{name}>` tag carries more than {MAX_ATTRIBUTES} attributes; the page is not read"
                ),
            ));
        }
        if !(j > 0 && bytes.get(j - 1) == Some(&b'/')) {
            depth += 1;
        }
        if depth > MAX_BLOCK_DEPTH {
            return Err((
                line_at(at),
                format!(
                    "block elements nest deeper than {MAX_BLOCK_DEPTH} levels; the page is not read (real pages nest a few dozen)"
                ),
            ));
        }
        i = j.max(i);
    }
    Ok(())
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
/// A fragment beyond the limits ([`check_limits`]) yields no blocks: the readers that hand
/// fragments over report it from their own check.
pub(crate) fn read_fragment(source: &str) -> Vec<Block> {
    if check_limits(source).is_err() {
        return Vec::new();
    }
    read_checked(source)
}

/// Parses HTML that [`check_limits`] has passed.
pub(crate) fn read_checked(source: &str) -> Vec<Block> {
    blocks(&html5ever::parse_document(Sink::for_source(source), Default::default()).one(source))
}

/// The blocks of a parsed page, in document order: each block element not inside another one.
fn blocks(tree: &Tree) -> Vec<Block> {
    let mut blocks = Vec::new();
    let Some(root) = tree.root() else {
        return blocks;
    };
    let layout = layout_tables(tree, root);
    // The block element being walked through (everything below it belongs to its block).
    let mut inside: Option<Id> = None;
    let mut scratch = String::new();
    // Text outside any block element (doc generators lay pages out in `<div>`s and `<span>`s):
    // one paragraph per innermost container, with the line of the element it started in.
    let mut loose = String::new();
    let mut loose_line = 1;
    let mut embedded: Vec<Block> = Vec::new();
    // The item a `<dt>` made, while its `<dd>` is awaited.
    let mut term: Option<usize> = None;
    let flush = |loose: &mut String, line: u32, blocks: &mut Vec<Block>| {
        let text = tidy_text(loose);
        loose.clear();
        if !text.is_empty() {
            blocks.push(Block::Paragraph { text, line });
        }
    };
    for step in tree.walk(root) {
        let node = match step {
            Step::Enter(node) if inside.is_none() => node,
            Step::Leave(node) if inside == Some(node) => {
                inside = None;
                continue;
            }
            Step::Leave(node) if inside.is_none() => {
                if tree.name(node).is_some_and(is_container) {
                    flush(&mut loose, loose_line, &mut blocks);
                }
                continue;
            }
            _ => continue,
        };
        let Some(name) = tree.name(node) else {
            if let Some(text) = tree.text(node) {
                loose.push_str(text);
            }
            continue;
        };
        if matches!(
            name,
            "script" | "style" | "noscript" | "template" | "svg" | "head"
        ) && !(name == "template" && tree.is_shadow_root(node))
        {
            // A rendered API page (Redoc, Swagger UI) embeds the OpenAPI document it shows.
            if name == "script"
                && let Some(document) = super::openapi::embedded(&raw_text(tree, node))
            {
                embedded.extend(super::openapi::blocks(&document));
            }
            inside = Some(node);
            continue;
        }
        if name == "br" {
            loose.push('\n');
            continue;
        }
        if !is_block(name) {
            if is_container(name) {
                flush(&mut loose, loose_line, &mut blocks);
                loose_line = tree.line(node);
            } else if loose.trim().is_empty() {
                loose_line = tree.line(node);
            } else if matches!(name, "span" | "label" | "small")
                && !loose.ends_with(char::is_whitespace)
            {
                // Side-by-side spans (`BODY` `raw (json)`) are words apart on screen.
                loose.push(' ');
            }
            continue;
        }
        // A definition list reads as term/definition items only where the term names a
        // parameter (`<dt>client_id</dt>`) and neither holds structure of its own; Javadoc's
        // `<dt>Parameters:</dt>` and other definition lists stay boxes of text.
        if matches!(name, "dt" | "dd") {
            let plain = !layout.get(node).copied().unwrap_or(false);
            let read_as_item = plain
                && if name == "dt" {
                    is_parameter_term(&element_text(tree, node, &mut scratch))
                } else {
                    term.is_some_and(|i| i + 1 == blocks.len()) && loose.trim().is_empty()
                };
            if !read_as_item {
                term = None;
                flush(&mut loose, loose_line, &mut blocks);
                loose_line = tree.line(node);
                continue;
            }
        }
        // A table laid out around the page (Word's two-column layout, cells holding headings
        // and tables of their own) is not a data table: its content is read as blocks.
        if layout.get(node).copied().unwrap_or(false) && !has_known_header(tree, node) {
            continue;
        }
        flush(&mut loose, loose_line, &mut blocks);
        inside = Some(node);
        let line = tree.line(node);
        let mut text = || element_text(tree, node, &mut scratch);
        match name {
            "table" => blocks.push(Block::Table(read_table(tree, node, line))),
            // html5ever drops a line break right after `<pre>`, so where the code starts is only
            // known to be the tag's line or the next; the tag's line is taken.
            "pre" => blocks.push(Block::Code {
                lang: code_language(tree, node),
                text: raw_text(tree, node),
                line,
                text_line: line,
            }),
            "li" => blocks.push(Block::Item { text: text(), line }),
            // A definition list's term and its definition become one item, `term: definition`,
            // as the Markdown reader makes of one (Salesforce's and Javadoc's parameter lists).
            "dt" => {
                blocks.push(Block::Item { text: text(), line });
                term = Some(blocks.len() - 1);
            }
            "dd" => {
                let definition = text();
                match term.take().filter(|&i| i + 1 == blocks.len()) {
                    Some(i) => {
                        if let Some(Block::Item { text, .. }) = blocks.get_mut(i) {
                            text.push_str(": ");
                            text.push_str(&definition);
                        }
                    }
                    None if !definition.is_empty() => {
                        blocks.push(Block::Paragraph {
                            text: definition,
                            line,
                        });
                    }
                    None => {}
                }
            }
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
    flush(&mut loose, loose_line, &mut blocks);
    blocks.extend(embedded);
    join_json_trees(blocks)
}

/// A definition term that names a parameter: one identifier, maybe in code markup, not a label
/// (`Parameters:`, `Since:`).
fn is_parameter_term(text: &str) -> bool {
    let word = text.trim().trim_matches(['`', '*', '"']);
    !word.is_empty()
        && !word.ends_with([':', '：'])
        && !word.contains(char::is_whitespace)
        && crate::parse::vocab::is_wire_name(word)
}

/// The longest run of paragraphs one JSON tree view may span (a line per key).
const MAX_JSON_TREE_PARAGRAPHS: usize = 2_000;

/// JSON shown as a tree of boxes (RapiDoc's and other viewers' example panes: `{`, then a box per
/// `"key": value`, then `}`) reads as one paragraph per box; a run from a lone `{` or `[` to the
/// paragraph that balances it, which parses as JSON once joined, is the code block it shows.
fn join_json_trees(blocks: Vec<Block>) -> Vec<Block> {
    let opens =
        |b: &Block| matches!(b, Block::Paragraph { text, .. } if matches!(text.trim(), "{" | "["));
    if !blocks.iter().any(opens) {
        return blocks;
    }
    // Paragraphs looked at in all attempts: a page of a million lone `{` boxes stays linear.
    let mut budget = blocks.len().saturating_mul(4).saturating_add(10_000);
    // The runs to join, `(start, end, code)`, found first; then the blocks are moved, not cloned.
    let mut runs = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        if let Some((end, code)) = json_tree_at(&blocks, i, &mut budget) {
            runs.push((i, end, code));
            i = end;
        } else {
            i += 1;
        }
    }
    if runs.is_empty() {
        return blocks;
    }
    let mut out = Vec::with_capacity(blocks.len());
    let mut runs = runs.into_iter().peekable();
    for (i, block) in blocks.into_iter().enumerate() {
        match runs.peek_mut() {
            Some((start, end, code)) if i >= *start && i < *end => {
                if i == *start {
                    out.push(std::mem::replace(
                        code,
                        Block::Paragraph {
                            text: String::new(),
                            line: 0,
                        },
                    ));
                }
                if i + 1 == *end {
                    runs.next();
                }
            }
            _ => out.push(block),
        }
    }
    out
}

/// The code block of the JSON tree starting at `start`, and the index after it. Each paragraph
/// looked at takes one from `budget`; none is looked at once it is spent.
fn json_tree_at(blocks: &[Block], start: usize, budget: &mut usize) -> Option<(usize, Block)> {
    let Some(Block::Paragraph { text, line }) = blocks.get(start) else {
        return None;
    };
    if !matches!(text.trim(), "{" | "[") {
        return None;
    }
    let mut joined = String::new();
    let mut depth = 0i64;
    for (offset, block) in blocks[start..]
        .iter()
        .take(MAX_JSON_TREE_PARAGRAPHS)
        .enumerate()
    {
        let Block::Paragraph { text, .. } = block else {
            return None;
        };
        *budget = budget.checked_sub(1)?;
        // A box's own line breaks (`"key":` above its value) are layout.
        let part = text.split_whitespace().collect::<Vec<_>>().join(" ");
        depth += part.matches(['{', '[']).count() as i64;
        depth -= part.matches(['}', ']']).count() as i64;
        joined.push_str(&part);
        joined.push('\n');
        if depth <= 0 {
            serde_json::from_str::<serde_json::Value>(&joined).ok()?;
            return Some((
                start + offset + 1,
                Block::Code {
                    lang: Some("json".to_owned()),
                    text: joined,
                    line: *line,
                    text_line: *line,
                },
            ));
        }
    }
    None
}

/// For every node, whether it is layout: a `<table>` or `<li>` with a table, a heading, a code
/// block or a section inside it. One pass over the tree (post-order, through the walk's leave steps), so nested layouts
/// cost no more than the page's size.
fn layout_tables(tree: &Tree, root: Id) -> Vec<bool> {
    let size = tree.nodes.len();
    let mut holds = vec![false; size];
    let mut layout = vec![false; size];
    for step in tree.walk(root) {
        let Step::Leave(node) = step else {
            continue;
        };
        let name = tree.name(node);
        // A list item holding a heading, a table or a code block (Javadoc's member lists)
        // is layout as much as such a table is.
        let is_structure = matches!(
            name,
            Some("table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "section")
        );
        if matches!(name, Some("table" | "li" | "dt" | "dd"))
            && holds.get(node).copied().unwrap_or(false)
            && let Some(flag) = layout.get_mut(node)
        {
            *flag = true;
        }
        let below = holds.get(node).copied().unwrap_or(false) || is_structure;
        if below && let Some(parent) = tree.parent(node).and_then(|p| holds.get_mut(p)) {
            *parent = true;
        }
    }
    layout
}

/// Whether a table's first row names known columns (a data table, even with tables nested in
/// its cells: Word's sub-parameter tables).
fn has_known_header(tree: &Tree, table: Id) -> bool {
    if tree.name(table) != Some("table") {
        return false;
    }
    let Some(first) = tree
        .subtree(table)
        .find(|&n| tree.name(n) == Some("tr") && nearest_table(tree, n) == Some(table))
    else {
        return false;
    };
    let mut scratch = String::new();
    cells(tree, first)
        .iter()
        .filter(|&&c| crate::parse::vocab::column(&element_text(tree, c, &mut scratch)).is_some())
        .count()
        >= 2
}

/// Whether a tag name is a block element whose nesting the tree builder pays for (compared on a
/// lower-cased stack copy: this runs for every tag of every page).
fn is_block_tag(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 {
        return false;
    }
    let mut lower = [0u8; 10];
    for (slot, b) in lower.iter_mut().zip(bytes) {
        *slot = b.to_ascii_lowercase();
    }
    matches!(
        &lower[..bytes.len()],
        b"div"
            | b"section"
            | b"article"
            | b"p"
            | b"ul"
            | b"ol"
            | b"li"
            | b"table"
            | b"tr"
            | b"td"
            | b"th"
            | b"tbody"
            | b"blockquote"
            | b"dl"
            | b"dd"
            | b"dt"
            | b"main"
            | b"aside"
            | b"header"
            | b"footer"
            | b"nav"
            | b"form"
            | b"fieldset"
            | b"details"
            | b"figure"
            | b"pre"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
    )
}

/// Elements whose boundaries end a run of loose text: layout containers, and custom elements
/// (`<nz-tag>`, `<eo-api-methods-tag>`: doc generators' components are boxes of their own).
fn is_container(name: &str) -> bool {
    name.contains('-')
        || matches!(
            name,
            "div"
                | "section"
                | "article"
                | "main"
                | "header"
                | "footer"
                | "aside"
                | "nav"
                | "dd"
                | "dt"
                | "dl"
                | "blockquote"
                | "summary"
                | "details"
                | "figcaption"
                | "form"
                | "fieldset"
                | "label"
                | "ul"
                | "ol"
                | "body"
                | "button"
        )
}

/// Whether an element named so becomes a block (when it is not inside another one).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "li" | "pre" | "table" | "dt" | "dd"
    )
}

/// The element children of `node` named `td` or `th`.
fn cells(tree: &Tree, row: Id) -> Vec<Id> {
    tree.children(row)
        .filter(|&c| matches!(tree.name(c), Some("td" | "th")))
        .collect()
}

fn read_table(tree: &Tree, table: Id, line: u32) -> Table {
    let mut scratch = String::new();
    let mut result = Table {
        line,
        ..Table::default()
    };
    let rows = tree
        .subtree(table)
        .filter(|&n| tree.name(n) == Some("tr"))
        .filter(|&tr| nearest_table(tree, tr) == Some(table));
    for tr in rows {
        let cells = cells(tree, tr);
        let is_header = !cells.is_empty() && cells.iter().all(|&c| tree.name(c) == Some("th"));
        let row_line = tree.line(tr);
        if is_header && result.header.is_empty() && result.rows.is_empty() {
            result.header = cells
                .iter()
                .map(|&c| element_text(tree, c, &mut scratch))
                .collect();
            result.line = row_line;
            continue;
        }
        let depth = cells.first().map_or(0, |&c| indent_depth(tree, c));
        let texts = cells
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let text = element_text(tree, c, &mut scratch);
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
    // Word and many generators write the header row with `<td>` (bold at most): a first row
    // whose cells are column names the vocabulary knows is the header.
    if result.header.is_empty()
        && result.rows.len() > 1
        && result.rows[0]
            .cells
            .iter()
            .filter(|c| crate::parse::vocab::column(c).is_some())
            .count()
            >= 2
    {
        let first = result.rows.remove(0);
        result.header = first.cells;
        result.line = first.line;
    }
    result
}

fn nearest_table(tree: &Tree, node: Id) -> Option<Id> {
    tree.ancestors(node)
        .find(|&a| tree.name(a) == Some("table"))
}

/// YApi draws nesting as `padding-left: 20px` per level.
fn indent_depth(tree: &Tree, cell: Id) -> u8 {
    let padding = tree
        .subtree(cell)
        .filter_map(|n| tree.style(n))
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

/// Text of an element with `<br>` and block boundaries kept as line breaks, tidied
/// ([`tidy_text`]); `scratch` holds the raw text (one buffer reused from cell to cell).
fn element_text(tree: &Tree, element: Id, scratch: &mut String) -> String {
    let breaks_lines = |name: &str| matches!(name, "p" | "div" | "li" | "tr" | "pre");
    let out = scratch;
    out.clear();
    for step in tree.walk(element) {
        match step {
            Step::Enter(node) => match tree.name(node) {
                None => out.push_str(tree.text(node).unwrap_or("")),
                Some(name) if name == "br" || breaks_lines(name) => out.push('\n'),
                Some(_) => {}
            },
            Step::Leave(node) => {
                if tree.name(node).is_some_and(breaks_lines) {
                    out.push('\n');
                }
            }
        }
    }
    tidy_text(out)
}

/// Text of a `<pre>`, verbatim (entities decoded by the parser).
fn raw_text(tree: &Tree, pre: Id) -> String {
    let mut text = String::new();
    for step in tree.walk(pre) {
        let Step::Enter(node) = step else {
            continue;
        };
        if let Some(t) = tree.text(node) {
            text.push_str(t);
        } else if node != pre
            // A highlighter's line boxes (`<div class="ec-line">`, `<span>`s apart by `<br>`)
            // are the code's lines.
            && tree.name(node).is_some_and(|n| matches!(n, "div" | "p" | "li" | "tr" | "br"))
            && !text.is_empty()
            && !text.ends_with('\n')
        {
            text.push('\n');
        }
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// `<pre><code class="language-json">` → `json`.
fn code_language(tree: &Tree, pre: Id) -> Option<String> {
    tree.subtree(pre)
        .filter_map(|n| tree.class(n))
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
                    line: 5,
                    text_line: 5
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
        // Loose text (`x`, outside any block element) is kept as its own paragraph.
        let blocks = read_fragment("<b>x<p>one</b>two</p>");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph {
                    text: "x".into(),
                    line: 1
                },
                Block::Paragraph {
                    text: "onetwo".into(),
                    line: 1
                }
            ]
        );
    }

    #[test]
    fn text_laid_out_in_divs_and_spans_is_read() {
        let blocks = read_fragment(
            "<div class=\"op\"><span>POST</span><div><span>/app<wbr>/x/{id}</span></div></div><div>kept</div>",
        );
        let texts: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["POST", "/app/x/{id}", "kept"]);
    }

    #[test]
    fn deeply_nested_cells_are_read_without_recursion() {
        // Far deeper than a test thread's stack would allow a recursive walk to go.
        let depth = 100_000;
        let html = format!(
            "<table><tr><th>a</th></tr><tr><td>{}deep{}</td></tr></table>",
            "<span>".repeat(depth),
            "</span>".repeat(depth)
        );
        let blocks = read_fragment(&html);
        let Some(Block::Table(table)) = blocks.first() else {
            panic!("expected a table");
        };
        assert_eq!(table.rows[0].cells, ["deep"]);
    }

    #[test]
    fn parameter_definition_lists_become_items_and_labels_stay_text() {
        let html = "<dl><dt>client_id</dt><dd>The consumer key.</dd>\n\
                    <dt>Parameters:</dt><dd><code>clientId</code> - the app id</dd></dl>";
        let texts: Vec<(bool, String)> = read_fragment(html)
            .into_iter()
            .filter_map(|b| match b {
                Block::Item { text, .. } => Some((true, text)),
                Block::Paragraph { text, .. } => Some((false, text)),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                (true, "client_id: The consumer key.".to_owned()),
                (false, "Parameters:".to_owned()),
                (false, "clientId - the app id".to_owned())
            ]
        );
    }

    #[test]
    fn declarative_shadow_roots_are_read_and_inert_templates_are_not() {
        let html = "<rapi-doc><template shadowrootmode=\"open\"><h2>Token</h2>\
                    <p>POST /oauth/token</p></template></rapi-doc>\
                    <template><p>never shown</p></template>";
        let blocks = read_fragment(html);
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Heading { text, .. } if text == "Token"))
        );
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Paragraph { text, .. } if text == "POST /oauth/token"))
        );
        assert!(
            !blocks
                .iter()
                .any(|b| matches!(b, Block::Paragraph { text, .. } if text.contains("never")))
        );
    }

    #[test]
    fn code_lines_laid_out_as_boxes_keep_their_line_breaks() {
        let html = "<pre data-language=\"http\"><code><div class=\"ec-line\"><div class=\"code\">\
                    <span>POST</span><span> https://a.example.com/v1/token</span></div></div>\
                    <div class=\"ec-line\"><div class=\"code\">Accept: application/json</div></div></code></pre>";
        let blocks = read_fragment(html);
        assert!(
            matches!(&blocks[0], Block::Code { text, .. } if text == "POST https://a.example.com/v1/token\nAccept: application/json\n"),
            "{blocks:?}"
        );
    }

    #[test]
    fn json_shown_as_a_tree_of_boxes_is_one_code_block() {
        let html = "<div>{</div><div>\"access_token\":<span>\"abc\"</span>,</div>\
                    <div>\"expires_in\":<span>300</span></div><div>}</div><p>after</p>";
        let blocks = read_fragment(html);
        let code: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Code { text, lang, .. } if lang.as_deref() == Some("json") => {
                    Some(text.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(code.len(), 1, "{blocks:?}");
        let value: serde_json::Value = serde_json::from_str(code[0]).unwrap();
        assert_eq!(value["expires_in"], 300);
        assert!(matches!(blocks.last(), Some(Block::Paragraph { text, .. }) if text == "after"));
    }

    #[test]
    fn br_tags_are_recognised() {
        assert!(is_line_break_tag("<br>"));
        assert!(is_line_break_tag("<BR />"));
        assert!(!is_line_break_tag("<b>"));
    }
}
