//! Docusaurus MDX: Markdown plus `import`/`export` lines, `:::kind` admonitions and
//! `<Tabs>`/`<TabItem>` around code samples.
//!
//! The MDX-only lines are blanked (so line numbers stay those of the page) before the Markdown
//! reader runs; admonitions become [`Block::Note`] and tab titles [`Block::Label`].

use super::{Document, Reader, markdown};
use crate::parse::blocks::{Block, Row, Table};
use crate::parse::diagnostics::Diagnostic;

/// Reads `.mdx` pages and Markdown that uses MDX syntax.
pub struct MdxReader;

impl Reader for MdxReader {
    fn name(&self) -> &'static str {
        "mdx"
    }

    fn sniff(&self, extension: Option<&str>, text: &str) -> u8 {
        if extension == Some("mdx") {
            return 90;
        }
        // Pages whose extension names another format are not scanned line by line.
        if matches!(
            extension,
            Some("html" | "htm" | "json" | "adoc" | "rst" | "wiki" | "org")
        ) {
            return 0;
        }
        let mdx_line = text.lines().any(|line| {
            let line = line.trim_start();
            (line.starts_with("import ") && line.contains(" from "))
                || line.starts_with("export ")
                || line.starts_with("<Tabs")
                || line.starts_with(":::")
        });
        if mdx_line { 75 } else { 0 }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        let mut plain = String::with_capacity(text.len());
        let mut notes: Vec<(String, u32, u32)> = Vec::new();
        let mut open_note: Option<(String, u32)> = None;
        let mut labels: Vec<Block> = Vec::new();
        let mut in_fence = false;
        let mut fields = FieldComponents::default();
        for (number, line) in text.lines().enumerate() {
            let line_no = u32::try_from(number + 1).unwrap_or(u32::MAX);
            let trimmed = line.trim();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                in_fence = !in_fence;
            }
            let keep = in_fence
                || !(fields.take(trimmed, line_no)
                    || self.is_mdx_line(trimmed, line_no, &mut open_note, &mut notes, &mut labels));
            if keep {
                plain.push_str(line);
            }
            plain.push('\n');
        }
        if let Some((_, start)) = open_note {
            return Err(Diagnostic::error(
                page,
                start,
                "admonition `:::` is never closed",
            ));
        }
        let mut blocks = markdown::read_blocks(&plain);
        for block in &mut blocks {
            if let Block::Paragraph { text, line } = block
                && let Some((kind, _, _)) = notes.iter().find(|(_, s, e)| (*s..=*e).contains(line))
            {
                *block = Block::Note {
                    kind: kind.clone(),
                    text: std::mem::take(text),
                    line: *line,
                };
            }
        }
        blocks.extend(labels);
        blocks.extend(fields.tables());
        blocks.sort_by_key(Block::line);
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks,
            warnings: Vec::new(),
        })
    }
}

impl MdxReader {
    /// Recognises an MDX-only line, recording admonitions and tab titles; returns whether to blank it.
    fn is_mdx_line(
        &self,
        trimmed: &str,
        line: u32,
        open_note: &mut Option<(String, u32)>,
        notes: &mut Vec<(String, u32, u32)>,
        labels: &mut Vec<Block>,
    ) -> bool {
        if (trimmed.starts_with("import ") && trimmed.contains(" from "))
            || trimmed.starts_with("export ")
        {
            return true;
        }
        if let Some(rest) = trimmed.strip_prefix(":::") {
            match open_note.take() {
                Some((kind, start)) if rest.trim().is_empty() => notes.push((kind, start, line)),
                previous => {
                    let kind = rest.split_whitespace().next().unwrap_or("note").to_owned();
                    // A new `:::` while one is open closes the open one first.
                    if let Some((k, s)) = previous {
                        notes.push((k, s, line));
                    }
                    *open_note = Some((kind, line));
                }
            }
            return true;
        }
        if trimmed.starts_with("<TabItem") {
            if let Some(label) = attribute(trimmed, "label").or_else(|| attribute(trimmed, "value"))
            {
                labels.push(Block::Label { text: label, line });
            }
            return true;
        }
        trimmed.starts_with("<Tabs")
            || trimmed.starts_with("</Tabs")
            || trimmed.starts_with("</TabItem")
    }
}

/// One component's cells and the line it starts on.
type FieldRow = (Vec<String>, u32);

/// Mintlify's field components (`<ParamField body="client_id" type="string" required>…`,
/// `<ResponseField name="access_token" type="string">…`), collected into one table per run of
/// consecutive components: what the generator renders as a parameter or field list.
#[derive(Default)]
struct FieldComponents {
    /// Finished runs: whether they are parameters, their first line, their rows with lines.
    runs: Vec<(bool, u32, Vec<FieldRow>)>,
    /// The component being read: parameter or not, its row, its first line.
    open: Option<(bool, Vec<String>, u32)>,
    /// Whether other text came since the last component (it ends the run).
    interrupted: bool,
}

impl FieldComponents {
    /// Takes a line that belongs to a field component; false for any other line.
    fn take(&mut self, trimmed: &str, line: u32) -> bool {
        if let Some((param, row, start)) = &mut self.open {
            if trimmed.starts_with("</ParamField") || trimmed.starts_with("</ResponseField") {
                let (param, row, start) = (*param, std::mem::take(row), *start);
                self.open = None;
                self.finish(param, row, start);
            } else if !trimmed.is_empty() {
                let description = row.last_mut();
                if let Some(d) = description {
                    if !d.is_empty() {
                        d.push(' ');
                    }
                    d.push_str(trimmed);
                }
            }
            return true;
        }
        let param = trimmed.starts_with("<ParamField");
        if !param && !trimmed.starts_with("<ResponseField") {
            self.interrupted |= !trimmed.is_empty();
            return false;
        }
        let (name, location) = ["body", "query", "path", "header", "name"]
            .iter()
            .find_map(|key| attribute(trimmed, key).map(|n| (n, *key)))
            .unwrap_or_default();
        let required = trimmed.split_whitespace().any(|w| {
            w.trim_end_matches(['>', '/']) == "required" || w.starts_with("required={true}")
        });
        let ty = attribute(trimmed, "type").unwrap_or_default();
        let mut row = vec![name];
        if param {
            row.push(if location == "name" {
                String::new()
            } else {
                location.to_owned()
            });
        }
        row.push(ty);
        row.push(if required { "required" } else { "optional" }.to_owned());
        row.push(String::new());
        if trimmed.ends_with("/>") {
            self.finish(param, row, line);
        } else {
            self.open = Some((param, row, line));
        }
        true
    }

    fn finish(&mut self, param: bool, row: Vec<String>, line: u32) {
        match self.runs.last_mut() {
            Some((p, _, rows)) if *p == param && !self.interrupted => rows.push((row, line)),
            _ => self.runs.push((param, line, vec![(row, line)])),
        }
        self.interrupted = false;
    }

    fn tables(self) -> Vec<Block> {
        self.runs
            .into_iter()
            .map(|(param, line, rows)| {
                let header: Vec<String> = if param {
                    vec!["Name", "In", "Type", "Required", "Description"]
                } else {
                    vec!["Name", "Type", "Required", "Description"]
                }
                .into_iter()
                .map(str::to_owned)
                .collect();
                Block::Table(Table {
                    header,
                    rows: rows
                        .into_iter()
                        .map(|(cells, line)| Row {
                            cells,
                            depth: 0,
                            line,
                        })
                        .collect(),
                    line,
                })
            })
            .collect()
    }
}

/// `label="Node"` in a JSX tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[start..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# T\n\nimport Tabs from '@theme/Tabs';\n\n:::caution 注意\n\n请使用 json 格式提交请求。\n\n:::\n\n<Tabs>\n<TabItem value=\"py\" label=\"Python\">\n\n```py\nprint(1)\n```\n\n</TabItem>\n</Tabs>\n";

    #[test]
    fn admonitions_tabs_and_imports() {
        let doc = MdxReader
            .read("p.mdx", PAGE)
            .map(|d| d.blocks)
            .unwrap_or_default();
        assert_eq!(
            doc,
            vec![
                Block::Heading {
                    level: 1,
                    text: "T".into(),
                    line: 1
                },
                Block::Note {
                    kind: "caution".into(),
                    text: "请使用 json 格式提交请求。".into(),
                    line: 7
                },
                Block::Label {
                    text: "Python".into(),
                    line: 12
                },
                Block::Code {
                    lang: Some("py".into()),
                    text: "print(1)\n".into(),
                    line: 14,
                    text_line: 15
                },
            ]
        );
    }

    #[test]
    fn unclosed_admonition_is_an_error() {
        let err = MdxReader
            .read("p.mdx", "# T\n:::tip\nx\n")
            .err()
            .map(|d| d.to_string());
        assert_eq!(
            err.as_deref(),
            Some("p.mdx:2: error: admonition `:::` is never closed")
        );
    }

    #[test]
    fn mintlify_field_components_become_tables() {
        let page = "# Token\n\nimport X from 'y';\n\n## Body\n\n<ParamField body=\"client_id\" type=\"string\" required>\n  Your client id.\n</ParamField>\n\n<ParamField query=\"scope\" type=\"string\">\n  Scopes.\n</ParamField>\n\n## Response\n\n<ResponseField name=\"access_token\" type=\"string\">\n  The token.\n</ResponseField>\n";
        let doc = MdxReader.read("p.mdx", page).ok();
        let tables: Vec<&Table> = doc
            .iter()
            .flat_map(|d| &d.blocks)
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 2, "{tables:?}");
        assert_eq!(
            tables[0].rows[0].cells,
            ["client_id", "body", "string", "required", "Your client id."]
        );
        assert_eq!(tables[0].rows[1].cells[1], "query");
        assert_eq!(
            tables[1].rows[0].cells,
            ["access_token", "string", "optional", "The token."]
        );
    }
}
