//! The format-neutral shape every reader produces: a flat list of blocks in page order.
//!
//! Readers only turn syntax into blocks; everything about what the blocks *mean* (which table
//! holds the request parameters, which sample is an error) is decided in `extract`.

/// A piece of a page, with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading (`#`..`######`, `<h1>`..`<h6>`).
    Heading {
        /// 1 to 6.
        level: u8,
        /// Plain text.
        text: String,
        /// Line.
        line: u32,
    },
    /// A paragraph made only of bold text (`**Headers**`) or a tab title: names what follows.
    Label {
        /// Plain text.
        text: String,
        /// Line.
        line: u32,
    },
    /// Prose; soft line breaks kept as `\n`.
    Paragraph {
        /// Plain text.
        text: String,
        /// Line.
        line: u32,
    },
    /// A list item (`* 请求类型 : POST`, `<li>`).
    Item {
        /// Plain text.
        text: String,
        /// Line.
        line: u32,
    },
    /// An admonition (`:::caution` in MDX).
    Note {
        /// `caution`, `tip`, ...
        kind: String,
        /// Plain text.
        text: String,
        /// Line.
        line: u32,
    },
    /// A table.
    Table(Table),
    /// A code block or `<pre>`.
    Code {
        /// The fence's info string, if any.
        lang: Option<String>,
        /// The code, verbatim.
        text: String,
        /// Line of the opening fence (or `<pre>` tag): where the sample is.
        line: u32,
        /// Line of the code's first line: the one after a fence; a `<pre>`'s own line.
        text_line: u32,
    },
}

impl Block {
    /// The line the block starts on.
    pub fn line(&self) -> u32 {
        match self {
            Block::Heading { line, .. }
            | Block::Label { line, .. }
            | Block::Paragraph { line, .. }
            | Block::Item { line, .. }
            | Block::Note { line, .. }
            | Block::Code { line, .. } => *line,
            Block::Table(t) => t.line,
        }
    }

    /// Shifts every line number by `offset` (for HTML embedded at some line of a Markdown page).
    pub fn shift_lines(&mut self, offset: u32) {
        match self {
            Block::Heading { line, .. }
            | Block::Label { line, .. }
            | Block::Paragraph { line, .. }
            | Block::Item { line, .. }
            | Block::Note { line, .. } => *line += offset,
            Block::Code {
                line, text_line, ..
            } => {
                *line += offset;
                *text_line += offset;
            }
            Block::Table(t) => {
                t.line += offset;
                for row in &mut t.rows {
                    row.line += offset;
                }
            }
        }
    }
}

impl Block {
    /// A sample under its label, as structured documents present them (an export's JSON field,
    /// a Postman saved response, an OpenAPI example): a [`Block::Label`] and a [`Block::Code`],
    /// both on line 1 (the document is one line as far as the readers' lines go).
    pub fn labelled_sample(label: impl Into<String>, lang: &str, text: &str) -> [Block; 2] {
        [
            Block::Label {
                text: label.into(),
                line: 1,
            },
            Block::Code {
                lang: Some(lang.to_owned()),
                text: format!("{text}\n"),
                line: 1,
                text_line: 1,
            },
        ]
    }
}

/// A table: header cells and body rows, cells as plain text (`<br>` kept as `\n`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Header cells.
    pub header: Vec<String>,
    /// Body rows.
    pub rows: Vec<Row>,
    /// Line of the header.
    pub line: u32,
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Cells, as plain text.
    pub cells: Vec<String>,
    /// Nesting depth of the row's first cell (YApi shows children with `padding-left` and `├─`).
    pub depth: u8,
    /// Line.
    pub line: u32,
}

/// Maps byte offsets in a text to 1-based line numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> u32 {
        let index = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(index.max(1)).unwrap_or(u32::MAX)
    }
}

/// Line numbers of byte offsets asked for in (mostly) increasing order, as a reader walking a
/// page asks for them: each answer counts only the newlines since the previous one, so a page is
/// scanned once instead of indexed up front. An offset before the previous one counts again
/// from the start.
#[derive(Debug, Clone)]
pub struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    /// Counts lines of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line holding byte `offset` (offsets past the end are on the last line).
    pub fn line(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        let newlines = self
            .text
            .get(self.offset..offset)
            .map_or(0, |between| between.iter().filter(|&&b| b == b'\n').count());
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.offset = offset;
        self.line
    }
}

/// Collapses runs of white space inside each line, trims lines and drops empty ones.
///
/// One pass copying whole words into one `String`: every table cell and paragraph of every page
/// goes through here.
pub fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // What separates the next word from the previous one: nothing yet, a space or a line break.
    let mut gap = None;
    let mut word_start = None;
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            word_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = word_start.take() {
            push_word(&mut out, gap.take(), &text[start..at]);
        }
        if !out.is_empty() {
            gap = match (gap, c) {
                (_, '\n') | (Some('\n'), _) => Some('\n'),
                _ => Some(' '),
            };
        }
    }
    if let Some(start) = word_start {
        push_word(&mut out, gap, &text[start..]);
    }
    out
}

fn push_word(out: &mut String, gap: Option<char>, word: &str) {
    if let Some(gap) = gap {
        out.push(gap);
    }
    out.push_str(word);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_from_one() {
        let index = LineIndex::new("a\nbc\n\nd");
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(2), 2);
        assert_eq!(index.line(5), 3);
        assert_eq!(index.line(6), 4);
        assert_eq!(index.line(100), 4);
    }

    #[test]
    fn line_counter_agrees_with_the_index_in_any_order() {
        let text = "a\nbc\n\nd\n";
        let index = LineIndex::new(text);
        let mut counter = LineCounter::new(text);
        for offset in [0, 2, 3, 5, 6, 9, 100, 4, 1, 7] {
            assert_eq!(counter.line(offset), index.line(offset), "offset {offset}");
        }
    }

    #[test]
    fn tidy_text_folds_space_and_blank_lines() {
        assert_eq!(tidy_text("  a   b \n\n  c\t d  "), "a b\nc d");
        // The same as folding each line's words and dropping empty lines.
        let folded = |text: &str| {
            text.lines()
                .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        };
        for text in [
            "",
            " \n ",
            "a",
            "\u{3000}参数\u{a0}名\r\n\r\nb\rc ",
            "x \n\t\n y\u{2028}z\n",
            "├─ a\n\n\n   b   c",
        ] {
            assert_eq!(tidy_text(text), folded(text), "{text:?}");
        }
    }
}
