//! Markdown (CommonMark + GFM tables) through pulldown-cmark. Raw HTML blocks (YApi tables) are
//! handed to the HTML reader and their line numbers shifted to the Markdown page.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::{Document, Reader, html};
use crate::parse::blocks::{Block, LineCounter, Row, Table, tidy_text};
use crate::parse::diagnostics::Diagnostic;

/// Reads `.md` pages and anything no other reader claims.
pub struct MarkdownReader;

impl Reader for MarkdownReader {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn sniff(&self, extension: Option<&str>, _text: &str) -> u8 {
        match extension {
            Some("md" | "markdown") => 50,
            // Loose pages (`.txt`, no extension) are most often Markdown: the fallback.
            _ => 1,
        }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks: read_blocks(text),
            warnings: Vec::new(),
        })
    }
}

/// What inline text is currently being collected for.
enum Open {
    Heading {
        level: u8,
        line: u32,
    },
    Paragraph {
        line: u32,
    },
    Code {
        lang: Option<String>,
        line: u32,
        text_line: u32,
    },
    Html {
        line: u32,
    },
}

/// Parses Markdown into blocks. Never fails: pulldown-cmark accepts any text.
/// ReadMe's legacy blocks (`[block:parameters]` + JSON + `[/block]`) as the Markdown they render
/// to: headers as headings, parameter grids as tables, code tabs as fenced code, callouts as
/// quotes. Each block keeps at least its line count, so the lines after it stay true (unless a
/// block renders longer than its JSON, which ReadMe's verbose JSON rarely allows).
fn expand_readme_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[block:") {
        let Some(end) = rest[start..].find("[/block]").map(|e| start + e) else {
            break;
        };
        out.push_str(&rest[..start]);
        let block = &rest[start..end];
        let kind = block["[block:".len()..].split(']').next().unwrap_or("");
        let json = block.find('{').map_or("", |b| &block[b..]);
        let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        let markdown = readme_block(kind, &value);
        // As many line breaks as the block had, so the lines after it keep their numbers.
        let breaks = block.matches('\n').count();
        out.push_str(&markdown);
        for _ in markdown.matches('\n').count()..breaks {
            out.push('\n');
        }
        rest = &rest[end + "[/block]".len()..];
    }
    out.push_str(rest);
    out
}

fn readme_block(kind: &str, value: &serde_json::Value) -> String {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
    };
    match kind {
        "api-header" => format!("## {}\n", text("title")),
        "callout" => format!(
            "> **{}**\n> {}\n",
            text("title"),
            text("body").replace('\n', "\n> ")
        ),
        "code" => value
            .get("codes")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
            .map(|c| {
                let code = c.get("code").and_then(|v| v.as_str()).unwrap_or("");
                let lang = c.get("language").and_then(|v| v.as_str()).unwrap_or("");
                format!("```{lang}\n{code}\n```\n")
            })
            .collect(),
        "parameters" => {
            let cols = value
                .get("cols")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0);
            let rows = value
                .get("rows")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0);
            let data = value.get("data");
            let cell = |key: String| {
                data.and_then(|d| d.get(&key))
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .replace('\n', " ")
                    .replace('|', "\\|")
            };
            let mut table = String::new();
            let header: Vec<String> = (0..cols).map(|c| cell(format!("h-{c}"))).collect();
            table.push_str(&format!("| {} |\n", header.join(" | ")));
            table.push_str(&format!("|{}\n", "---|".repeat(header.len().max(1))));
            for r in 0..rows.min(1000) {
                let cells: Vec<String> = (0..cols).map(|c| cell(format!("{r}-{c}"))).collect();
                table.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            table
        }
        _ => format!("{}\n", text("body")),
    }
}

pub(crate) fn read_blocks(text: &str) -> Vec<Block> {
    let expanded;
    let text = if text.contains("[block:") {
        expanded = expand_readme_blocks(text);
        expanded.as_str()
    } else {
        text
    };
    let mut lines = LineCounter::new(text);
    let mut out = Builder::default();
    let parser = Parser::new_ext(
        text,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_DEFINITION_LIST,
    );
    for (event, range) in parser.into_offset_iter() {
        // Only opening tags start blocks: the others need no line.
        match event {
            Event::Start(tag) => out.start(tag, lines.line(range.start)),
            event => out.event(event),
        }
    }
    out.blocks
}

/// The Markdown tables written inside a plain-text fence (exports such as ApiPost's put each
/// description in a ```` ```text ```` block, error-code tables included), at their page lines.
/// The fence's own text is read without looking into fences again.
fn tables_in_text(text: &str, text_line: u32) -> Vec<Block> {
    let separator = |l: &str| {
        let l = l.trim();
        l.contains("---") && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
    };
    if !text.lines().any(separator) {
        return Vec::new();
    }
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES);
    let mut lines = LineCounter::new(text);
    let mut out = Builder::default();
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(tag) => out.start(tag, lines.line(range.start)),
            event => out.event(event),
        }
    }
    out.blocks
        .into_iter()
        .filter(|b| matches!(b, Block::Table(_)))
        .map(|mut b| {
            b.shift_lines(text_line.saturating_sub(1));
            b
        })
        .collect()
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    open: Option<Open>,
    text: String,
    /// Whether every non-blank character of the current paragraph was bold.
    only_strong: bool,
    strong_depth: usize,
    /// Indices in `blocks` of the list items being collected (nested lists nest).
    items: Vec<usize>,
    table: Option<Table>,
    row: Option<Row>,
    in_cell: bool,
    /// The item holding a definition list's term, while its definition is awaited.
    term: Option<usize>,
    /// Whether the next text appended to an item is a definition (`term: definition`).
    defining: bool,
}

impl Builder {
    /// Any event but [`Event::Start`] (see [`Builder::start`]).
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if self.strong_depth == 0 && !t.trim().is_empty() {
                    self.only_strong = false;
                }
                self.text.push_str(&t);
            }
            // Code spans keep their backticks: they mark names (`invalid_grant`, `client_id`)
            // that prose around them does not.
            Event::Code(t) => {
                if self.strong_depth == 0 && !t.trim().is_empty() {
                    self.only_strong = false;
                }
                self.text.push('`');
                self.text.push_str(&t);
                self.text.push('`');
            }
            Event::Html(t) => self.text.push_str(&t),
            Event::InlineHtml(t) if html::is_line_break_tag(&t) => self.text.push('\n'),
            Event::SoftBreak | Event::HardBreak => self.text.push('\n'),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: u32) {
        match tag {
            Tag::Heading { level, .. } => {
                self.text.clear();
                self.open = Some(Open::Heading {
                    level: level as u8,
                    line,
                });
            }
            Tag::Paragraph => {
                if self.items.is_empty() && !self.in_cell {
                    self.text.clear();
                    self.only_strong = true;
                    self.open = Some(Open::Paragraph { line });
                } else if !self.text.is_empty() {
                    self.text.push('\n');
                }
            }
            // A definition list's term and definition become one item: `term: definition`.
            Tag::DefinitionListDefinition => {
                self.flush_item_text();
                if let Some(index) = self.term.take() {
                    self.items.push(index);
                    self.defining = true;
                } else {
                    self.items.push(self.blocks.len());
                    self.blocks.push(Block::Item {
                        text: String::new(),
                        line,
                    });
                }
            }
            Tag::Item | Tag::DefinitionListTitle => {
                self.flush_item_text();
                self.items.push(self.blocks.len());
                self.blocks.push(Block::Item {
                    text: String::new(),
                    line,
                });
            }
            Tag::CodeBlock(kind) => {
                self.flush_item_text();
                // A fenced block's code starts on the line after its fence.
                let (lang, text_line) = match kind {
                    CodeBlockKind::Fenced(info) => {
                        let info = info.trim();
                        ((!info.is_empty()).then(|| info.to_owned()), line + 1)
                    }
                    CodeBlockKind::Indented => (None, line),
                };
                self.text.clear();
                self.open = Some(Open::Code {
                    lang,
                    line,
                    text_line,
                });
            }
            Tag::HtmlBlock => {
                self.text.clear();
                self.open = Some(Open::Html { line });
            }
            Tag::Table(_) => {
                self.table = Some(Table {
                    line,
                    ..Table::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                // Rows have as many cells as the header: one allocation per row.
                let width = self.table.as_ref().map_or(0, |t| t.header.len());
                self.row = Some(Row {
                    cells: Vec::with_capacity(width.max(4)),
                    line,
                    ..Row::default()
                });
            }
            Tag::TableCell => {
                self.in_cell = true;
                self.text.clear();
            }
            Tag::Strong => self.strong_depth += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                self.close_open();
            }
            TagEnd::Item | TagEnd::DefinitionListDefinition => {
                self.flush_item_text();
                self.items.pop();
                self.defining = false;
            }
            TagEnd::DefinitionListTitle => {
                self.flush_item_text();
                self.term = self.items.pop();
            }
            TagEnd::TableCell => {
                self.in_cell = false;
                // `clear` rather than `take`: the buffer keeps its capacity for the next cell.
                let cell = tidy_text(&self.text);
                self.text.clear();
                if let Some(row) = &mut self.row {
                    row.cells.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let (Some(table), Some(row)) = (&mut self.table, self.row.take()) {
                    table.header = row.cells;
                }
            }
            TagEnd::TableRow => {
                if let (Some(table), Some(row)) = (&mut self.table, self.row.take()) {
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.blocks.push(Block::Table(table));
                }
            }
            TagEnd::Strong => self.strong_depth = self.strong_depth.saturating_sub(1),
            _ => {}
        }
    }

    /// Appends the text collected so far to the innermost open list item.
    fn flush_item_text(&mut self) {
        if self.open.is_some() || self.in_cell {
            return;
        }
        let Some(&index) = self.items.last() else {
            return;
        };
        let addition = tidy_text(&self.text);
        self.text.clear();
        if let Some(Block::Item { text, .. }) = self.blocks.get_mut(index)
            && !addition.is_empty()
        {
            if self.defining && !text.is_empty() {
                text.push_str(": ");
                self.defining = false;
            } else if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&addition);
        }
    }

    fn close_open(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        if let Open::Code {
            lang,
            line,
            text_line,
        } = open
        {
            // A fenced block inside a list item belongs to the page, not to the item text.
            let text = std::mem::take(&mut self.text);
            let tables = if lang.as_deref().is_none_or(|l| l == "text") {
                tables_in_text(&text, text_line)
            } else {
                Vec::new()
            };
            self.blocks.push(Block::Code {
                lang,
                text,
                line,
                text_line,
            });
            self.blocks.extend(tables);
            return;
        }
        // The other blocks keep a tidied copy; the buffer is cleared and reused.
        match open {
            Open::Heading { level, line } => self.blocks.push(Block::Heading {
                level,
                text: tidy_text(&self.text).replace('\n', " "),
                line,
            }),
            Open::Paragraph { line } => {
                let text = tidy_text(&self.text);
                if !text.is_empty() {
                    self.blocks.push(if self.only_strong {
                        Block::Label { text, line }
                    } else {
                        Block::Paragraph { text, line }
                    });
                }
            }
            Open::Html { line } => {
                for mut block in html::read_fragment(&self.text) {
                    block.shift_lines(line.saturating_sub(1));
                    self.blocks.push(block);
                }
            }
            Open::Code { .. } => {}
        }
        self.text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_with_and_without_outer_pipes() {
        let blocks = read_blocks("| a | b |\n|---|---|\n| 1 | 2 |\n\nx | y\n---|---\n3 | 4\n");
        let tables: Vec<_> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].header, ["a", "b"]);
        assert_eq!(tables[0].rows[0].cells, ["1", "2"]);
        assert_eq!(tables[0].rows[0].line, 3);
        assert_eq!(tables[1].header, ["x", "y"]);
        assert_eq!(tables[1].rows[0].cells, ["3", "4"]);
        assert_eq!(tables[1].rows[0].line, 7);
    }

    #[test]
    fn bold_only_paragraphs_are_labels_and_key_values_are_paragraphs() {
        let blocks = read_blocks("**Headers**\n\n**Path：** /a/b\n\n* 请求类型 : POST\n");
        assert_eq!(
            blocks,
            vec![
                Block::Label {
                    text: "Headers".into(),
                    line: 1
                },
                Block::Paragraph {
                    text: "Path： /a/b".into(),
                    line: 3
                },
                Block::Item {
                    text: "请求类型 : POST".into(),
                    line: 5
                },
            ]
        );
    }

    #[test]
    fn fenced_code_keeps_language_and_text() {
        let blocks = read_blocks("# T\n\n```json\n{\"a\": 1}\n```\n");
        assert_eq!(
            blocks[1],
            Block::Code {
                lang: Some("json".into()),
                text: "{\"a\": 1}\n".into(),
                line: 3,
                text_line: 4
            }
        );
    }

    #[test]
    fn html_blocks_are_read_as_html_with_page_lines() {
        let blocks = read_blocks(
            "# T\n\n<table>\n<tr><th>名称</th></tr>\n<tr><td>a<br>b</td></tr>\n</table>\n",
        );
        let Some(Block::Table(table)) = blocks.get(1) else {
            panic!("expected a table, got {blocks:?}");
        };
        assert_eq!(table.header, ["名称"]);
        assert_eq!(table.rows[0].cells, ["a\nb"]);
        assert_eq!(table.rows[0].line, 5);
    }
}

#[cfg(test)]
mod definition_list_tests {
    use super::*;

    #[test]
    fn readme_blocks_read_as_the_markdown_they_render_to() {
        let page = "[block:api-header]\n{\"title\": \"POST /token\"}\n[/block]\n[block:parameters]\n{\"data\": {\"h-0\": \"Name\", \"h-1\": \"Required\", \"0-0\": \"grant_type\", \"0-1\": \"yes\"}, \"cols\": 2, \"rows\": 1}\n[/block]\nafter\n";
        let blocks = read_blocks(page);
        assert!(matches!(&blocks[0], Block::Heading { text, .. } if text == "POST /token"));
        assert!(
            matches!(&blocks[1], Block::Table(t) if t.header == ["Name", "Required"] && t.rows[0].cells == ["grant_type", "yes"])
        );
        // Lines after a block stay where they were, unless a block renders longer than its JSON.
        assert!(
            matches!(blocks.last(), Some(Block::Paragraph { text, line }) if text == "after" && *line >= 7)
        );
    }

    #[test]
    fn tables_inside_a_plain_text_fence_are_read_too() {
        let page = "# T\n\n```text\nCodes:\n| errcode | meaning |\n|---|---|\n| 40001 | bad secret |\n```\n\n```json\n{\"a\": \"|---|\"}\n```\n";
        let blocks = read_blocks(page);
        let tables: Vec<&crate::parse::blocks::Table> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 1, "only the text fence's: {blocks:?}");
        assert_eq!(tables[0].rows[0].cells, ["40001", "bad secret"]);
        assert_eq!(tables[0].rows[0].line, 7, "the page's line");
    }

    #[test]
    fn a_definition_list_entry_is_one_item() {
        let blocks = read_blocks("`client_id`\n: The client id. Required.\n\nscope\n: Optional.\n");
        let items: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Item { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            items,
            ["`client_id`: The client id. Required.", "scope: Optional."]
        );
    }
}
