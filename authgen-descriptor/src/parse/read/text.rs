//! Lightweight-markup and plain-text pages: AsciiDoc, reStructuredText (Sphinx sources, the
//! httpdomain's `:form name:` fields), MediaWiki wikitext, Org-mode and RFC-style plain text.
//!
//! One line-based reader serves them all: each construct is recognised by its shape (heading
//! markers and underlines, delimited and indented code, pipe, `|===` and `{|` tables, definition
//! and field lists, list items), with the page's dialect deciding only the few shapes that mean
//! different things in different markups (`* x` is an Org heading but a list item elsewhere).

use super::{Document, Reader};
use crate::parse::blocks::{Block, Row, Table, tidy_text};
use crate::parse::diagnostics::Diagnostic;

/// Reads lightweight markup and plain text.
pub struct TextReader;

/// The markup a page is written in, from its extension or content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    AsciiDoc,
    Rst,
    Wiki,
    Org,
    Plain,
}

fn dialect(extension: Option<&str>, text: &str) -> Option<Dialect> {
    match extension.map(str::to_ascii_lowercase).as_deref() {
        Some("adoc" | "asciidoc" | "asc") => Some(Dialect::AsciiDoc),
        Some("rst" | "rest") => Some(Dialect::Rst),
        Some("wiki" | "mediawiki" | "wikitext") => Some(Dialect::Wiki),
        Some("org") => Some(Dialect::Org),
        Some("txt" | "text") | None => {
            // Loose pages written in Markdown stay with the Markdown reader.
            let markdown = text.contains("```")
                || text
                    .lines()
                    .any(|l| l.starts_with("# ") || l.starts_with("## "))
                || text.contains("|---")
                || text.contains("| ---");
            (!markdown
                && !text.trim_start().starts_with('<')
                && !text.trim_start().starts_with('{'))
            .then_some(Dialect::Plain)
        }
        _ => None,
    }
}

impl Reader for TextReader {
    fn name(&self) -> &'static str {
        "text"
    }

    fn sniff(&self, extension: Option<&str>, text: &str) -> u8 {
        match dialect(extension, text) {
            Some(Dialect::Plain) => 5,
            Some(_) => 60,
            None => 0,
        }
    }

    fn read(&self, page: &str, text: &str) -> Result<Document, Diagnostic> {
        let extension = std::path::Path::new(page)
            .extension()
            .and_then(|e| e.to_str());
        let dialect = dialect(extension, text).unwrap_or(Dialect::Plain);
        Ok(Document {
            page: page.to_owned(),
            format: self.name(),
            blocks: read_blocks(text, dialect),
            warnings: Vec::new(),
        })
    }
}

/// Line `i` as a 1-based line number.
fn line_no(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

fn read_blocks(text: &str, dialect: Dialect) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut paragraph_start = 0;
    let flush = |paragraph: &mut Vec<&str>, start: usize, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            let text = tidy_text(&inline(&paragraph.join("\n")));
            paragraph.clear();
            if !text.is_empty() {
                blocks.push(Block::Paragraph {
                    text,
                    line: line_no(start),
                });
            }
        }
    };
    let mut lang: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        // Blank lines end paragraphs.
        if trimmed.is_empty() {
            flush(&mut paragraph, paragraph_start, &mut blocks);
            i += 1;
            continue;
        }
        // Source-block attributes (`[source,json]`) name the next block's language.
        if dialect == Dialect::AsciiDoc && trimmed.starts_with("[source") {
            lang = trimmed
                .trim_matches(['[', ']'])
                .split(',')
                .nth(1)
                .map(|l| l.trim().to_owned());
            i += 1;
            continue;
        }
        if let Some((block, next)) = code_block(&lines, i, dialect, lang.take()) {
            flush(&mut paragraph, paragraph_start, &mut blocks);
            blocks.push(block);
            i = next;
            continue;
        }
        if let Some((block, next)) = table(&lines, i, dialect) {
            flush(&mut paragraph, paragraph_start, &mut blocks);
            blocks.push(block);
            i = next;
            continue;
        }
        if let Some((block, next)) = heading(&lines, i, dialect) {
            flush(&mut paragraph, paragraph_start, &mut blocks);
            blocks.push(block);
            i = next;
            continue;
        }
        if let Some((text, next)) = definition(&lines, i, dialect) {
            flush(&mut paragraph, paragraph_start, &mut blocks);
            blocks.push(Block::Item {
                text: tidy_text(&inline(&text)),
                line: line_no(i),
            });
            i = next;
            continue;
        }
        if let Some(item) = list_item(trimmed, dialect) {
            flush(&mut paragraph, paragraph_start, &mut blocks);
            // Continuation lines (indented, not themselves items) belong to the item.
            let mut text = item.to_owned();
            let mut next = i + 1;
            while next < lines.len()
                && lines[next].starts_with([' ', '\t'])
                && !lines[next].trim().is_empty()
                && list_item(lines[next].trim(), dialect).is_none()
            {
                text.push(' ');
                text.push_str(lines[next].trim());
                next += 1;
            }
            blocks.push(Block::Item {
                text: tidy_text(&inline(&text)),
                line: line_no(i),
            });
            i = next;
            continue;
        }
        // Directives and comments that carry no text of their own.
        if skip_line(trimmed, dialect) {
            i += 1;
            continue;
        }
        if paragraph.is_empty() {
            paragraph_start = i;
        }
        paragraph.push(strip_admonition(trimmed, dialect));
        i += 1;
    }
    flush(&mut paragraph, paragraph_start, &mut blocks);
    blocks
}

fn skip_line(trimmed: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Org => {
            trimmed.starts_with("#+") || trimmed.starts_with(':') && trimmed.ends_with(':')
        }
        Dialect::AsciiDoc => {
            trimmed.starts_with("//")
                || trimmed.starts_with(':') && trimmed[1..].contains(": ")
                || trimmed.starts_with('[') && trimmed.ends_with(']')
        }
        Dialect::Rst => trimmed.starts_with("..") && !trimmed.contains("::"),
        Dialect::Wiki => trimmed.starts_with("__") || trimmed.starts_with("[[Category"),
        Dialect::Plain => false,
    }
}

/// `NOTE: x`, `{{Note|x}}`, `.. note:: x` → `x`.
fn strip_admonition(trimmed: &str, dialect: Dialect) -> &str {
    match dialect {
        Dialect::AsciiDoc => ["NOTE: ", "TIP: ", "IMPORTANT: ", "WARNING: ", "CAUTION: "]
            .iter()
            .find_map(|p| trimmed.strip_prefix(p))
            .unwrap_or(trimmed),
        Dialect::Rst => trimmed
            .strip_prefix(".. ")
            .and_then(|rest| rest.split_once("::"))
            .map_or(trimmed, |(_, rest)| rest.trim()),
        _ => trimmed,
    }
}

/// Delimited and indented code: ``` and ~~~ fences, `----` (AsciiDoc), `#+BEGIN_SRC` (Org),
/// `<syntaxhighlight>`/`<source>`/`<pre>` (wiki), `::` and `.. code-block::` (rst), and blocks
/// indented by four spaces or a tab.
fn code_block(
    lines: &[&str],
    i: usize,
    dialect: Dialect,
    lang: Option<String>,
) -> Option<(Block, usize)> {
    let trimmed = lines[i].trim();
    let delimited = |end: &dyn Fn(&str) -> bool, lang: Option<String>, first: Option<&str>| {
        let mut j = i + 1;
        let mut body: Vec<&str> = first.into_iter().filter(|f| !f.trim().is_empty()).collect();
        while j < lines.len() && !end(lines[j].trim()) {
            body.push(lines[j]);
            j += 1;
        }
        let text = format!("{}\n", body.join("\n"));
        (
            Block::Code {
                lang,
                text,
                line: line_no(i),
                text_line: line_no(i + 1),
            },
            (j + 1).min(lines.len()),
        )
    };
    if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
        let fence = &trimmed[..3];
        let lang = Some(trimmed[3..].trim().to_owned()).filter(|l| !l.is_empty());
        return Some(delimited(&|l: &str| l.starts_with(fence), lang, None));
    }
    let lower = trimmed.to_ascii_lowercase();
    if dialect == Dialect::Org
        && (lower.starts_with("#+begin_src") || lower.starts_with("#+begin_example"))
    {
        let lang = trimmed.split_whitespace().nth(1).map(str::to_owned);
        return Some(delimited(
            &|l: &str| l.to_ascii_lowercase().starts_with("#+end_"),
            lang,
            None,
        ));
    }
    if dialect == Dialect::AsciiDoc && (trimmed == "----" || trimmed == "....") {
        let delimiter = trimmed.to_owned();
        return Some(delimited(&move |l: &str| l == delimiter, lang, None));
    }
    if dialect == Dialect::Wiki {
        for tag in ["syntaxhighlight", "source", "pre"] {
            if lower.starts_with(&format!("<{tag}")) {
                let close = format!("</{tag}>");
                let lang = trimmed.split_once("lang=").map(|(_, r)| {
                    r.trim_matches(['"', '\'', '>', ' '])
                        .split(['"', '\'', '>', ' '])
                        .next()
                        .unwrap_or("")
                        .to_owned()
                });
                let after_open = trimmed.split_once('>').map(|(_, r)| r);
                if let Some(first) = after_open
                    && let Some((inside, _)) = first.split_once(&close)
                {
                    return Some((
                        Block::Code {
                            lang,
                            text: format!("{inside}\n"),
                            line: line_no(i),
                            text_line: line_no(i),
                        },
                        i + 1,
                    ));
                }
                return Some(delimited(
                    &move |l: &str| l.to_ascii_lowercase().contains(&close),
                    lang,
                    after_open,
                ));
            }
        }
    }
    if dialect == Dialect::Rst {
        let directive = lower.starts_with(".. code-block::")
            || lower.starts_with(".. code::")
            || lower.starts_with(".. sourcecode::");
        // (`Example::` stays a paragraph; its indented block is read by the indentation rule.)
        if directive {
            let lang = trimmed
                .split("::")
                .nth(1)
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty());
            let mut j = i + 1;
            // Directive options (`:linenos:`) and blank lines before the body.
            while j < lines.len()
                && (lines[j].trim().is_empty() || lines[j].trim().starts_with(':'))
            {
                j += 1;
            }
            if j < lines.len() && lines[j].starts_with([' ', '\t']) {
                return Some(indented(lines, j, lang));
            }
        }
    }
    let previous_blank = i == 0 || lines[i - 1].trim().is_empty();
    let indent = lines[i].len() - lines[i].trim_start().len();
    // Plain text indents everything (prose and parameter lists too): there, an indented block
    // is code only when it starts like code.
    let code_like = [
        "{", "[", "<", "curl ", "HTTP/", "GET ", "POST ", "PUT ", "PATCH ", "DELETE ",
    ]
    .iter()
    .any(|p| trimmed.starts_with(p));
    if dialect == Dialect::Plain {
        if previous_blank && indent >= 2 && code_like {
            return Some(indented(lines, i, None));
        }
    } else if previous_blank
        && (indent >= 4 || lines[i].starts_with('\t'))
        && dialect != Dialect::Org
    {
        return Some(indented(lines, i, None));
    }
    None
}

/// An indented block from line `start`: every line indented at least as much, blank lines
/// inside it included.
fn indented(lines: &[&str], start: usize, lang: Option<String>) -> (Block, usize) {
    let indent = lines[start].len() - lines[start].trim_start().len();
    let mut j = start;
    let mut body = Vec::new();
    while j < lines.len() {
        let l = lines[j];
        let this = l.len() - l.trim_start().len();
        if !l.trim().is_empty() && this < indent {
            break;
        }
        body.push(l.get(indent.min(l.len())..).unwrap_or("").trim_end());
        j += 1;
    }
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }
    (
        Block::Code {
            lang,
            text: format!("{}\n", body.join("\n")),
            line: line_no(start),
            text_line: line_no(start),
        },
        j,
    )
}

/// Pipe tables (Org, Markdown-like, rst grid rows), AsciiDoc `|===` tables and wiki `{|` tables.
fn table(lines: &[&str], i: usize, dialect: Dialect) -> Option<(Block, usize)> {
    let trimmed = lines[i].trim();
    let separator = |l: &str| {
        !l.is_empty()
            && l.chars()
                .all(|c| matches!(c, '|' | '-' | '+' | ':' | '=' | ' '))
    };
    let mut rows: Vec<(Vec<String>, usize)> = Vec::new();
    let next;
    if dialect == Dialect::AsciiDoc && trimmed.starts_with("|===") {
        let mut j = i + 1;
        let mut cells: Vec<(String, usize)> = Vec::new();
        let mut width = 0;
        while j < lines.len() && !lines[j].trim().starts_with("|===") {
            let l = lines[j].trim();
            if let Some(row) = l.strip_prefix('|') {
                let these: Vec<String> = row.split('|').map(|c| c.trim().to_owned()).collect();
                if width == 0 {
                    width = these.len();
                }
                cells.extend(these.into_iter().map(|c| (c, j)));
            } else if !l.is_empty()
                && let Some(last) = cells.last_mut()
            {
                last.0.push(' ');
                last.0.push_str(l);
            }
            j += 1;
        }
        next = (j + 1).min(lines.len());
        let width = width.max(1);
        for chunk in cells.chunks(width) {
            rows.push((chunk.iter().map(|(c, _)| c.clone()).collect(), chunk[0].1));
        }
    } else if dialect == Dialect::Wiki && trimmed.starts_with("{|") {
        let mut j = i + 1;
        let mut current: Vec<String> = Vec::new();
        let mut current_line = i;
        while j < lines.len() && !lines[j].trim().starts_with("|}") {
            let l = lines[j].trim();
            if l.starts_with("|-") {
                if !current.is_empty() {
                    rows.push((std::mem::take(&mut current), current_line));
                }
            } else if l.starts_with("|+") {
            } else if let Some(rest) = l.strip_prefix('!') {
                current_line = j;
                current.extend(rest.split("!!").map(wiki_cell));
            } else if let Some(rest) = l.strip_prefix('|') {
                if current.is_empty() {
                    current_line = j;
                }
                current.extend(rest.split("||").map(wiki_cell));
            } else if let Some(last) = current.last_mut() {
                last.push(' ');
                last.push_str(l);
            }
            j += 1;
        }
        if !current.is_empty() {
            rows.push((current, current_line));
        }
        next = (j + 1).min(lines.len());
    } else if trimmed.starts_with('|') || (trimmed.starts_with("+-") && dialect == Dialect::Rst) {
        let mut j = i;
        while j < lines.len() {
            let l = lines[j].trim();
            if !(l.starts_with('|') || (l.starts_with('+') && separator(l))) {
                break;
            }
            if !separator(l) {
                let inner = l.trim_start_matches('|').trim_end_matches('|');
                rows.push((inner.split('|').map(|c| c.trim().to_owned()).collect(), j));
            }
            j += 1;
        }
        next = j;
    } else {
        return None;
    }
    let mut rows = rows.into_iter();
    let (header, header_line) = rows.next()?;
    let header: Vec<String> = header.iter().map(|h| inline(h).trim().to_owned()).collect();
    Some((
        Block::Table(Table {
            header,
            rows: rows
                .map(|(cells, line)| Row {
                    cells: cells.iter().map(|c| tidy_text(&inline(c))).collect(),
                    depth: 0,
                    line: line_no(line),
                })
                .collect(),
            line: line_no(header_line.min(i.max(header_line))),
        }),
        next,
    ))
}

/// A wiki cell without its attributes (`style="…" | text`).
fn wiki_cell(cell: &str) -> String {
    match cell.split_once('|') {
        Some((attributes, text)) if attributes.contains('=') => text.trim().to_owned(),
        _ => cell.trim().to_owned(),
    }
}

/// Headings: `== x` (AsciiDoc), `== x ==` (wiki), `* x` (Org), `# x`, and underlined titles
/// (rst, plain text).
fn heading(lines: &[&str], i: usize, dialect: Dialect) -> Option<(Block, usize)> {
    let line = lines[i];
    let trimmed = line.trim();
    let make = |level: usize, text: &str, next: usize| {
        let text = inline(text).trim().to_owned();
        (!text.is_empty()).then(|| {
            (
                Block::Heading {
                    level: u8::try_from(level.clamp(1, 6)).unwrap_or(6),
                    text,
                    line: line_no(i),
                },
                next,
            )
        })
    };
    match dialect {
        Dialect::AsciiDoc | Dialect::Wiki if line.starts_with('=') => {
            let level = line.chars().take_while(|c| *c == '=').count();
            let rest = line[level..].trim();
            let rest = rest.trim_end_matches('=').trim();
            if line[level..].starts_with(' ') {
                return make(level, rest, i + 1);
            }
        }
        Dialect::Org if line.starts_with('*') => {
            let level = line.chars().take_while(|c| *c == '*').count();
            if line[level..].starts_with(' ') {
                let text = line[level..].trim();
                // Trailing tags (`:api:auth:`).
                let text = match text.rsplit_once(' ') {
                    Some((head, tags)) if tags.starts_with(':') && tags.ends_with(':') => head,
                    _ => text,
                };
                return make(level, text, i + 1);
            }
        }
        Dialect::Plain if line.starts_with('#') => {
            let level = line.chars().take_while(|c| *c == '#').count();
            if line[level..].starts_with(' ') {
                return make(level, &line[level..], i + 1);
            }
        }
        // RFC-style numbered section titles at the margin: `2.3.  Errors`.
        Dialect::Plain if line.starts_with(|c: char| c.is_ascii_digit()) => {
            let number: String = line
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let title = line[number.len()..].trim();
            if number.ends_with('.')
                && line[number.len()..].starts_with(' ')
                && !title.is_empty()
                && title.chars().count() <= 60
                && title.chars().next().is_some_and(char::is_uppercase)
                && !title.ends_with(['.', ':', ','])
            {
                let level = number.matches('.').count();
                return make(level, title, i + 1);
            }
        }
        _ => {}
    }
    // An underline (and maybe an overline) of one punctuation character.
    let is_rule = |l: &str| {
        let l = l.trim_end();
        l.len() >= 3
            && l.chars().next().is_some_and(|c| "=-~^\"'`#*+_".contains(c))
            && l.chars().all(|c| l.starts_with(c))
    };
    if matches!(dialect, Dialect::Rst | Dialect::Plain)
        && !is_rule(line)
        && lines
            .get(i + 1)
            .is_some_and(|u| is_rule(u) && u.trim_end().len() + 2 >= trimmed.chars().count())
    {
        let mark = lines[i + 1].trim().chars().next().unwrap_or('=');
        let level = match mark {
            '#' | '*' => 1,
            '=' => 2,
            '-' => 3,
            '~' | '^' => 4,
            _ => 5,
        };
        return make(level, trimmed, i + 2);
    }
    if matches!(dialect, Dialect::Rst | Dialect::Plain)
        && is_rule(line)
        && lines.get(i + 2).is_some_and(|u| is_rule(u))
        && let Some(title) = lines.get(i + 1)
    {
        return make(1, title.trim(), i + 3);
    }
    None
}

/// Definition and field lists as `term: definition` (one item): `; term : def` (wiki),
/// `term:: def` (AsciiDoc), `- term :: def` (Org), `:field name: def` (rst, httpdomain's
/// `:form x:`/`:query x:`/`:reqheader X:`), and plain text's `  name   REQUIRED. def`.
fn definition(lines: &[&str], i: usize, dialect: Dialect) -> Option<(String, usize)> {
    let trimmed = lines[i].trim();
    // The definition may continue on indented lines (or `: def` lines in the wiki).
    let continued = |first: String, from: usize| {
        let mut text = first;
        let mut j = from;
        while j < lines.len() {
            let l = lines[j];
            let t = l.trim();
            let more = match dialect {
                Dialect::Wiki => t.starts_with(':'),
                _ => l.starts_with([' ', '\t']) && !t.is_empty() && !t.starts_with(':'),
            };
            if !more {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(t.trim_start_matches(':').trim());
            j += 1;
        }
        (text, j)
    };
    match dialect {
        Dialect::Wiki if trimmed.starts_with(';') => {
            let rest = trimmed[1..].trim();
            let (term, def) = rest.split_once(" : ").unwrap_or((rest, ""));
            let (def, next) = continued(def.trim().to_owned(), i + 1);
            Some((format!("{}: {def}", term.trim()), next))
        }
        Dialect::AsciiDoc => {
            let (term, def) = trimmed
                .split_once(":: ")
                .or_else(|| trimmed.strip_suffix("::").map(|t| (t, "")))?;
            if term.is_empty() || term.contains("://") || term.starts_with('.') {
                return None;
            }
            let (def, next) = continued(def.trim().to_owned(), i + 1);
            Some((format!("{}: {def}", term.trim()), next))
        }
        Dialect::Org => {
            let rest = trimmed
                .strip_prefix("- ")
                .or_else(|| trimmed.strip_prefix("+ "))?;
            let (term, def) = rest.split_once(" :: ")?;
            let (def, next) = continued(def.trim().to_owned(), i + 1);
            Some((format!("{}: {def}", term.trim()), next))
        }
        Dialect::Rst => {
            let rest = trimmed.strip_prefix(':')?;
            let (field, def) = rest
                .split_once(": ")
                .or_else(|| rest.strip_suffix(':').map(|f| (f, "")))?;
            let words: Vec<&str> = field.split_whitespace().collect();
            let (def, next) = continued(def.trim().to_owned(), i + 1);
            let item = match words.as_slice() {
                [kind, .., name] if words.len() >= 2 => {
                    let location = match *kind {
                        "form" | "formparameter" | "<json" | "jsonparameter" | "reqjson" => "body",
                        "query" | "queryparameter" | "queryparam" => "query",
                        "reqheader" | "requestheader" => "header",
                        "param" | "parameter" | "arg" => "path",
                        _ => "",
                    };
                    let ty = if words.len() >= 3 { words[1] } else { "" };
                    if location.is_empty() {
                        format!("{name}: {def}")
                    } else {
                        format!(
                            "`{name}` ({location}{}{ty}): {def}",
                            if ty.is_empty() { "" } else { ", " }
                        )
                    }
                }
                [name] => format!("{name}: {def}"),
                _ => return None,
            };
            Some((item, next))
        }
        Dialect::Plain => {
            // `  client_id      REQUIRED.  The client identifier …` (RFC style).
            let indent = lines[i].len() - lines[i].trim_start().len();
            let (term, def) = trimmed.split_once("  ")?;
            let def = def.trim();
            let term_ok = indent >= 1
                && !term.contains(' ')
                && term.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && term
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !term_ok || def.is_empty() {
                return None;
            }
            let (def, next) = continued(def.to_owned(), i + 1);
            Some((format!("{term}: {def}"), next))
        }
        Dialect::Wiki => None,
    }
}

/// The text of a list item line, without its marker.
fn list_item(trimmed: &str, dialect: Dialect) -> Option<&str> {
    let markers: &[&str] = match dialect {
        Dialect::Org => &["- ", "+ "],
        Dialect::Wiki => &["* ", "# ", "** ", "## "],
        _ => &["- ", "* ", "+ ", "• "],
    };
    if let Some(m) = markers.iter().find(|m| trimmed.starts_with(**m)) {
        return Some(trimmed[m.len()..].trim());
    }
    if dialect == Dialect::Wiki && trimmed.starts_with(['*', '#']) {
        return Some(trimmed.trim_start_matches(['*', '#']).trim());
    }
    // `1. x`, `2) x`.
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = &trimmed[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(item.trim());
        }
    }
    None
}

/// Inline markup to plain text with code spans kept as backticks: `<code>x</code>`,
/// ``` ``x`` ```, `=x=`/`~x~` (Org), `'''x'''` (wiki bold), `[[link|text]]`.
fn inline(text: &str) -> String {
    let mut out = text
        .replace("<code>", "`")
        .replace("</code>", "`")
        .replace("<tt>", "`")
        .replace("</tt>", "`")
        .replace("``", "`")
        .replace("'''", "")
        .replace("''", "")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    // Org verbatim and code (`=x=`, `~x~`) around a word.
    for mark in ['=', '~'] {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(open) = rest.find(mark) {
            let before_ok = open == 0 || rest[..open].ends_with([' ', '(', '\n']);
            let after = &rest[open + 1..];
            match after.find(mark) {
                Some(close)
                    if before_ok
                        && close > 0
                        && !after[..close].contains(' ')
                        && after[close + 1..]
                            .chars()
                            .next()
                            .is_none_or(|c| !c.is_alphanumeric()) =>
                {
                    result.push_str(&rest[..open]);
                    result.push('`');
                    result.push_str(&after[..close]);
                    result.push('`');
                    rest = &after[close + 1..];
                }
                _ => {
                    result.push_str(&rest[..=open]);
                    rest = after;
                }
            }
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str, dialect: Dialect) -> Vec<Block> {
        read_blocks(text, dialect)
    }

    #[test]
    fn wiki_tables_definitions_and_code() {
        let page = "== Token ==\n; client_id : the app id\n{| class=\"wikitable\"\n! Code !! Meaning\n|-\n| <code>bad</code> || wrong\n|}\n<syntaxhighlight lang=\"bash\">\ncurl -d a=1 https://h.example.com/token\n</syntaxhighlight>\n";
        let b = blocks(page, Dialect::Wiki);
        assert!(matches!(&b[0], Block::Heading { text, level: 2, .. } if text == "Token"));
        assert!(matches!(&b[1], Block::Item { text, .. } if text == "client_id: the app id"));
        let Block::Table(t) = &b[2] else {
            panic!("{b:?}")
        };
        assert_eq!(
            (t.header.clone(), t.rows[0].cells.clone()),
            (
                vec!["Code".to_owned(), "Meaning".to_owned()],
                vec!["`bad`".to_owned(), "wrong".to_owned()]
            )
        );
        assert!(
            matches!(&b[3], Block::Code { lang: Some(l), text, .. } if l == "bash" && text.starts_with("curl"))
        );
    }

    #[test]
    fn rst_titles_fields_and_code() {
        let page = "Token\n=====\n\n.. http:post:: /oauth/token\n\n   :form grant_type: always ``client_credentials``\n   :reqheader Authorization: Basic credentials\n\n.. code-block:: json\n\n   {\"access_token\": \"x\"}\n";
        let b = blocks(page, Dialect::Rst);
        assert!(matches!(&b[0], Block::Heading { text, .. } if text == "Token"));
        assert!(
            b.iter().any(
                |x| matches!(x, Block::Item { text, .. } if text.starts_with("`grant_type` (body)"))
            ),
            "{b:?}"
        );
        assert!(b.iter().any(|x| matches!(x, Block::Item { text, .. } if text.starts_with("`Authorization` (header)"))), "{b:?}");
        assert!(
            b.iter()
                .any(|x| matches!(x, Block::Code { lang: Some(l), .. } if l == "json")),
            "{b:?}"
        );
    }

    #[test]
    fn org_and_asciidoc_shapes() {
        let org = "* Token :api:\n- client_id :: the id\n#+BEGIN_SRC shell\ncurl x\n#+END_SRC\n| Code | Meaning |\n|------+---------|\n| =bad= | wrong |\n";
        let b = blocks(org, Dialect::Org);
        assert!(matches!(&b[0], Block::Heading { text, .. } if text == "Token"));
        assert!(matches!(&b[1], Block::Item { text, .. } if text == "client_id: the id"));
        assert!(matches!(&b[2], Block::Code { .. }));
        assert!(matches!(&b[3], Block::Table(t) if t.rows[0].cells[0] == "`bad`"));
        let adoc = "== Token\nURL:: `/token`\n[source,json]\n----\n{}\n----\n|===\n|Name |Required\n|a |yes\n|===\n";
        let b = blocks(adoc, Dialect::AsciiDoc);
        assert!(matches!(&b[1], Block::Item { text, .. } if text == "URL: `/token`"));
        assert!(matches!(&b[2], Block::Code { lang: Some(l), .. } if l == "json"));
        assert!(
            matches!(&b[3], Block::Table(t) if t.header == ["Name", "Required"] && t.rows[0].cells == ["a", "yes"])
        );
    }

    #[test]
    fn plain_text_requests_and_parameters() {
        let page = "Token request\n-------------\n\n   POST /token HTTP/1.1\n   Host: h.example.com\n\nParameters:\n\n  client_id      REQUIRED.  The client.\n";
        let b = blocks(page, Dialect::Plain);
        assert!(matches!(&b[0], Block::Heading { .. }));
        assert!(matches!(&b[1], Block::Code { text, .. } if text.starts_with("POST /token")));
        assert!(b.iter().any(|x| matches!(x, Block::Item { text, .. } if text == "client_id: REQUIRED. The client.")), "{b:?}");
    }
}
