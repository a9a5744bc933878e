//! Docusaurus MDX: Markdown plus `import`/`export` lines, `:::kind` admonitions and
//! `<Tabs>`/`<TabItem>` around code samples.
//!
//! The MDX-only lines are blanked (so line numbers stay those of the page) before the Markdown
//! reader runs; admonitions become [`Block::Note`] and tab titles [`Block::Label`].

use super::{Document, Reader, markdown};
use crate::parse::blocks::Block;
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
        for (number, line) in text.lines().enumerate() {
            let line_no = u32::try_from(number + 1).unwrap_or(u32::MAX);
            let trimmed = line.trim();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                in_fence = !in_fence;
            }
            let keep = in_fence
                || !self.is_mdx_line(trimmed, line_no, &mut open_note, &mut notes, &mut labels);
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
}
