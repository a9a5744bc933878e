//! A read page prepared for the extractors: each block's context, each table's column kinds and
//! each code block's JSON sample, worked out once per page.
//!
//! Every endpoint of a page and every extractor (facts, request, response, envelope) looks at the
//! same blocks; before this cache each of them re-classified the table headers, re-parsed the
//! JSON samples and cloned the heading and label strings of every block.

use std::cell::OnceCell;

use serde_json::Value;

use super::text::sample_json;
use crate::model::{Location, Source};
use crate::parse::blocks::{Block, Table};
use crate::parse::read::Document;
use crate::parse::vocab::{self, Column, Section};

/// The section and label a block sits under (borrowed from the page's blocks).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'a> {
    pub section: Option<Section>,
    pub label: Option<&'a str>,
    pub heading: Option<&'a str>,
}

/// A page with the context of each block, shared by the extractors.
pub(crate) struct Page<'a> {
    pub doc: &'a Document,
    pub context: Vec<Context<'a>>,
    /// The column kinds of each table block (`None` for other blocks).
    columns: Vec<Option<Columns>>,
    /// The JSON of each code block, parsed on first use.
    samples: Vec<OnceCell<Option<Value>>>,
    /// The success sample inside each table's cells (Swagger UI's responses table), on first use.
    cell_samples: Vec<OnceCell<Option<(Value, String, u32)>>>,
}

impl<'a> Page<'a> {
    pub fn new(doc: &'a Document) -> Self {
        Self {
            doc,
            context: contexts(&doc.blocks),
            columns: doc
                .blocks
                .iter()
                .map(|block| match block {
                    Block::Table(table) => Some(Columns::new(table)),
                    _ => None,
                })
                .collect(),
            samples: doc.blocks.iter().map(|_| OnceCell::new()).collect(),
            cell_samples: doc.blocks.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    pub fn source(&self, line: u32) -> Source {
        Source {
            page: self.doc.page.clone(),
            line,
        }
    }

    pub fn section(&self, index: usize) -> Section {
        self.context
            .get(index)
            .and_then(|c| c.section)
            .unwrap_or(Section::Other)
    }

    /// The label a block sits under, else its heading (how examples are titled).
    pub fn label_or_heading(&self, index: usize) -> Option<String> {
        self.context
            .get(index)
            .and_then(|c| c.label.or(c.heading))
            .map(str::to_owned)
    }

    /// The classified columns of the table at `index` (`None` when the block is not a table).
    pub fn columns(&self, index: usize) -> Option<&Columns> {
        self.columns.get(index).and_then(Option::as_ref)
    }

    /// The JSON object a responses table shows inside a cell of a 2xx row (Swagger UI renders
    /// each response as `201 | Response … Example Value {…}`), with the cell text from its `{`
    /// and the row's line.
    pub fn cell_sample(&self, index: usize) -> Option<(&Value, &str, u32)> {
        let Some(Block::Table(table)) = self.doc.blocks.get(index) else {
            return None;
        };
        self.cell_samples
            .get(index)?
            .get_or_init(|| {
                table.rows.iter().find_map(|row| {
                    let status = row.cells.first()?.trim();
                    if !(status.len() == 3 && status.starts_with('2')) {
                        return None;
                    }
                    row.cells.iter().skip(1).find_map(|cell| {
                        let start = cell.find('{')?;
                        let end = cell.rfind('}')?;
                        let text = cell.get(start..=end)?;
                        sample_json(text).map(|v| (v, text.to_owned(), row.line))
                    })
                })
            })
            .as_ref()
            .map(|(v, t, l)| (v, t.as_str(), *l))
    }

    /// [`sample_json`] of the code block at `index` (`None` for other blocks).
    pub fn sample(&self, index: usize) -> Option<&Value> {
        let Some(Block::Code { text, .. }) = self.doc.blocks.get(index) else {
            return None;
        };
        self.samples
            .get(index)?
            .get_or_init(|| sample_json(text))
            .as_ref()
    }
}

/// Assigns each block the section of the nearest heading and the label (bold line, short
/// paragraph, tab title) that follows it. A heading's own context holds its own section.
///
/// Headings nest: `### Body` under `## Responses` is the response's body (Stoplight's and
/// Redoc's layout), not the request's, so a location heading inside a response heading keeps
/// the response section.
fn contexts(blocks: &[Block]) -> Vec<Context<'_>> {
    let mut current = Context::default();
    let mut heading_section = None;
    // The sections of the headings enclosing the current one, by level.
    let mut enclosing: Vec<(u8, Section)> = Vec::new();
    blocks
        .iter()
        .map(|block| {
            match block {
                Block::Heading { text, level, .. } => {
                    while enclosing.last().is_some_and(|(l, _)| *l >= *level) {
                        enclosing.pop();
                    }
                    let own = vocab::section(text);
                    let section = match (own, enclosing.last()) {
                        (
                            Section::Request(Some(Location::Body | Location::Header)),
                            Some((_, Section::Response | Section::ResponseSample)),
                        ) => Section::Response,
                        _ => own,
                    };
                    enclosing.push((*level, section));
                    heading_section = Some(section);
                    current = Context {
                        section: Some(section),
                        label: None,
                        heading: Some(text),
                    };
                }
                Block::Label { text, .. } => set_label(&mut current, heading_section, text),
                Block::Paragraph { text, .. } if is_short_label(text) => {
                    set_label(&mut current, heading_section, text);
                }
                // A label with the media type under it or after it (`REQUEST BODY *` /
                // `application/json`, `Body 参数 application/x-www-form-urlencoded`).
                Block::Paragraph { text, .. }
                    if text.trim().rsplit_once(char::is_whitespace).is_some_and(
                        |(label, media)| {
                            is_short_label(label.trim()) && is_media_type(media.trim())
                        },
                    ) =>
                {
                    // The label alone names the section; the media type would drown it.
                    let label = text
                        .trim()
                        .rsplit_once(char::is_whitespace)
                        .map_or(text.as_str(), |(label, _)| label.trim());
                    set_label(&mut current, heading_section, label);
                }
                // A list item that only names a part of the call (API Blueprint's `+ Request
                // (application/json)`, `+ Response 200`, a bullet `- 返回参数`) labels what
                // follows, as a bold line would.
                Block::Item { text, .. } if is_item_label(text) => {
                    set_label(&mut current, heading_section, text);
                }
                _ => {}
            }
            current
        })
        .collect()
}

fn set_label<'a>(current: &mut Context<'a>, heading_section: Option<Section>, text: &'a str) {
    let section = vocab::section(text);
    current.label = Some(text);
    current.section = match (section, heading_section) {
        // `**Headers**` under 请求参数 refines the location; an unknown label (a `JSON` badge
        // after `返回结果`) keeps the section in force.
        (Section::Other, h) => current.section.or(h),
        // `Headers` or `Body` after a response label are the response's.
        (Section::Request(Some(Location::Body | Location::Header)), _)
            if matches!(
                current.section,
                Some(Section::Response | Section::ResponseSample)
            ) =>
        {
            current.section
        }
        (s, _) => Some(s),
    };
}

/// Whether a list item is a label: one short line, written as a title (not starting with a
/// lower-case letter: `- errors` in a front matter's list is a value), that names a section of
/// the call and is no parameter entry (`client_id: …`, `` `code` (string) ``).
pub(crate) fn is_item_label(text: &str) -> bool {
    let text = text.trim();
    !text.starts_with(|c: char| c.is_ascii_lowercase())
        && !text.contains('\n')
        && text.chars().count() <= 48
        && !text.contains([':', '：', '`'])
        && !matches!(vocab::section(text), Section::Other)
}

/// `application/json`, `application/x-www-form-urlencoded; charset=utf-8`.
fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or("").trim();
    essence.split_once('/').is_some_and(|(kind, sub)| {
        matches!(kind, "application" | "multipart" | "text")
            && !sub.is_empty()
            && !sub.contains(char::is_whitespace)
    })
}

fn is_short_label(text: &str) -> bool {
    // A short line ending with a colon introduces what follows (`Parameters:`, `请求参数：`).
    let introducing = text.trim_end().strip_suffix([':', '：']);
    !text.contains('\n')
        && (text.chars().count() <= 20 && !text.contains(['。', '，', ',', '.', ':', '：'])
            || introducing.is_some_and(|t| {
                t.chars().count() <= 24 && !t.contains(['。', '，', ',', '.', ':', '：'])
            })
            || is_caption(text))
}

/// A table or figure caption (`表3-2 Request Header参数说明`, `Table 4: Errors`): a label
/// whatever its length.
fn is_caption(text: &str) -> bool {
    let rest = text
        .strip_prefix('表')
        .or_else(|| text.strip_prefix("Table "))
        .or_else(|| text.strip_prefix("图"));
    rest.is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        && text.chars().count() <= 48
}

/// A column-classified table.
pub(crate) struct Columns {
    pub kinds: Vec<Option<Column>>,
}

impl Columns {
    pub fn new(table: &Table) -> Self {
        let mut kinds: Vec<Option<Column>> =
            table.header.iter().map(|h| vocab::column(h)).collect();
        // Two name columns (`参数名` beside `参数`, an export's `paramName` beside `paramKey`):
        // the one holding identifiers names the parameter, the other describes it.
        let names: Vec<usize> = (0..kinds.len())
            .filter(|&i| kinds[i] == Some(Column::Name))
            .collect();
        if names.len() > 1 {
            let identifiers = |i: usize| {
                table
                    .rows
                    .iter()
                    .filter_map(|r| r.cells.get(i))
                    .filter(|c| {
                        let c = c.trim().trim_matches('`');
                        !c.is_empty()
                            && c.chars()
                                .all(|ch| ch.is_ascii_alphanumeric() || "_-.[]".contains(ch))
                    })
                    .count()
            };
            let best = names
                .iter()
                .copied()
                .max_by_key(|&i| (identifiers(i), std::cmp::Reverse(i)));
            for i in names {
                if Some(i) != best {
                    kinds[i] = Some(Column::Description);
                }
            }
        }
        Self { kinds }
    }

    pub fn has(&self, column: Column) -> bool {
        self.kinds.contains(&Some(column))
    }

    /// The cell of `column` in `cells`, trimmed, `None` when blank or absent.
    pub fn cell<'c>(&self, cells: &'c [String], column: Column) -> Option<&'c str> {
        let index = self.kinds.iter().position(|k| *k == Some(column))?;
        cells.get(index).map(|c| c.trim()).filter(|c| !c.is_empty())
    }

    pub fn is_field_table(&self) -> bool {
        self.has(Column::Name)
            && (self.has(Column::Type)
                || self.has(Column::Required)
                || self.has(Column::Description))
    }
}
