//! Blocks → endpoints: find each endpoint's method and path, split the page into one segment per
//! endpoint, then read parameters, response, envelope, token, expiry and errors from each segment.

mod auth;
mod endpoint_lines;
mod envelope;
mod page;
mod request;
mod response;
pub(crate) mod text;

use std::collections::BTreeMap;

use super::blocks::{Block, Table};
use super::case;
use super::diagnostics::Diagnostic;
use super::read::Document;
use super::vocab::{self, Column, Key, Section};
use crate::model::{Endpoint, Method, Resource};
use page::{Columns, Page};
use text::{PageUrl, parse_url};

/// What one page yields.
#[derive(Debug, Default)]
pub struct PageExtract {
    /// Endpoints in page order.
    pub endpoints: Vec<Endpoint>,
    /// Protected resources the page names.
    pub resources: Vec<Resource>,
    /// Warnings and per-endpoint errors.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
struct UrlFact {
    url: PageUrl,
    block: usize,
    line: u32,
    /// Whether the fact sits in a test section or under a test key.
    test: bool,
    /// The method stated with the URL (`POST https://…`, a curl command), if any.
    method: Option<Method>,
    /// Other spellings of this endpoint's path merged into it: `(path, prefix)`, where the
    /// prefix (`/rest`, `/auth`) belongs to the base URL (see [`canonical_anchors`]).
    aka: Vec<(String, String)>,
    /// Whether the statement documents a call that presents a token (see
    /// [`mark_protected_calls`]).
    protected: bool,
    /// Whether it was stated inside a sentence of prose (see [`drop_prose_references`]).
    in_sentence: bool,
}

#[derive(Debug, Clone)]
struct MethodFact {
    method: Method,
    block: usize,
    line: u32,
}

#[derive(Debug, Default)]
struct Facts {
    urls: Vec<UrlFact>,
    /// Endpoints stated in running text or code (`METHOD URL`, curl, SDK calls).
    lines: Vec<UrlFact>,
    methods: Vec<MethodFact>,
    descriptions: Vec<(usize, String, u32)>,
    hosts: Vec<(usize, String, String, u32)>,
    resources: Vec<Resource>,
}

/// Extracts every endpoint of a page.
pub fn extract(doc: &Document) -> Result<PageExtract, Diagnostic> {
    let page = Page::new(doc);
    let mut out = PageExtract::default();
    out.diagnostics.extend(doc.warnings.iter().cloned());
    warn_unknown_headers(&page, &mut out.diagnostics);
    let mut facts = collect_facts(&page);
    drop_prose_references(&page, &mut facts);
    mark_protected_calls(&page, &mut facts);
    out.resources = std::mem::take(&mut facts.resources);

    let chosen = choose_anchors(&facts);
    // A template ends like the path it stands for: only words ending in an anchor's last
    // segment can be one (most of a page's words are not looked at).
    let endings: Vec<String> = chosen
        .iter()
        .filter_map(|a| a.url.path.trim_end_matches('/').rsplit('/').next())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let mentions = path_mentions(doc, &endings);
    let owned = canonical_anchors(chosen, &mentions);
    let anchors: Vec<&UrlFact> = owned.iter().collect();
    if anchors.is_empty() {
        let line = doc.blocks.first().map_or(1, Block::line);
        return Err(Diagnostic::error(
            &doc.page,
            line,
            "no path found: expected a `Path:`/`请求地址:` line, a table with a 请求地址/请求路径/URL column, or a full URL",
        ));
    }
    // A browser authorisation page (`/oauth2/authorize`, `/to_login`) is no endpoint, but what
    // documents it (its query parameters) belongs to it, not to the next endpoint. So does a
    // section that declares another call (a heading, then `METHOD URL` on its own line) which
    // is no endpoint here: a tool export's `GET …/shop.json` keeps its headers and query.
    // Another spelling of an endpoint (a prefix more or less) ends like it.
    let last = |path: &str| {
        path.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_owned()
    };
    let described = |path: &str| anchors.iter().any(|a| last(&a.url.path) == last(path));
    let fences: Vec<usize> = facts
        .urls
        .iter()
        .chain(&facts.lines)
        .filter(|f| {
            let declares_section = f.method.is_some()
                && f.url.path != "/"
                && !f.in_sentence
                && f.block > 0
                && matches!(doc.blocks.get(f.block - 1), Some(Block::Heading { .. }))
                && !described(&f.url.path);
            (vocab::names_authorize_page(&f.url.path) || declares_section) && !f.test
        })
        .map(|f| f.block)
        .collect();
    let bounds = segment_bounds(&doc.blocks, &anchors, &fences);
    let page_hosts = hosts_in(&facts, 0..doc.blocks.len(), &anchors);
    for (anchor, range) in anchors.iter().zip(bounds) {
        let stated = facts
            .urls
            .iter()
            .chain(&facts.lines)
            .filter(|f| same_endpoint(anchor, &f.url.path))
            .find_map(|f| f.method.map(|m| (m, f.block, f.line)));
        let found = stated
            .map(|(method, block, line)| MethodFact {
                method,
                block,
                line,
            })
            .or_else(|| {
                facts
                    .methods
                    .iter()
                    .find(|m| range.contains(&m.block))
                    .cloned()
            });
        let method = if let Some(found) = found {
            found
        } else {
            // Never silent, never empty: the endpoint is still described (as a GET, the method
            // a bare URL implies), and the error says what is missing and where.
            out.diagnostics.push(Diagnostic::error(
                &doc.page,
                anchor.line,
                format!(
                    "no method found for `{}`: expected `METHOD URL`, a `Method:`/`请求方式:` label, a method column or a curl command near it; described as GET until the page or the manifest says otherwise",
                    anchor.url.path
                ),
            ));
            MethodFact {
                method: Method::Get,
                block: anchor.block,
                line: anchor.line,
            }
        };
        let mut sources = BTreeMap::new();
        sources.insert("path".to_owned(), page.source(anchor.line));
        sources.insert("method".to_owned(), page.source(method.line));
        let mut base_urls: BTreeMap<String, String> = BTreeMap::new();
        let mut hosts = hosts_in(&facts, range.clone(), &anchors);
        if hosts.is_empty() {
            hosts = page_hosts.clone();
        }
        let mut host_conflicts = Vec::new();
        for (env, host, line) in hosts {
            if base_urls.values().any(|h| *h == host) {
                continue;
            }
            // Two hosts under one label (regions, an old and a new host): the second is kept
            // under a label made from its host, and the disagreement is recorded.
            let env = if let Some(first) = base_urls.get(&env) {
                let label = vocab::environment(host.split("://").nth(1).unwrap_or(&host));
                let first_line = sources
                    .get(&format!("base_urls.{env}"))
                    .map_or(0, |s| s.line);
                host_conflicts.push(crate::model::Conflict {
                    topic: format!("/base_urls/{env}"),
                    chosen: first.clone(),
                    alternatives: vec![host.clone()],
                    message: format!(
                        "two hosts for `{env}`: {first} (line {first_line}) and {host} (line {line}); kept the first as `{env}` and the second as `{label}` (an old and a new host, or regions: rename or drop one in the manifest)"
                    ),
                    source: page.source(line),
                    settled_by: None,
                });
                label
            } else {
                env
            };
            sources.insert(format!("base_urls.{env}"), page.source(line));
            base_urls.entry(env).or_insert(host);
        }
        let title = title_for(&page, range.start, anchor.block);
        if let Some((_, line)) = &title {
            sources.insert("title".to_owned(), page.source(*line));
        }
        let description = facts
            .descriptions
            .iter()
            .find(|(b, _, _)| range.contains(b))
            .map(|(_, d, _)| d.clone())
            .or_else(|| first_paragraph_after(&page, title.as_ref().map(|t| t.1), range.clone()));
        let mut endpoint = Endpoint {
            name: text::endpoint_name(&anchor.url.path),
            title: title.map(|t| t.0),
            description,
            method: method.method,
            path: anchor.url.path.clone(),
            path_params: text::path_params(&anchor.url.path),
            basic_auth: None,
            base_urls,
            encoding: crate::model::Encoding::Query,
            params: Vec::new(),
            response: Vec::new(),
            envelope: None,
            token: None,
            expiry: Vec::new(),
            use_limit: None,
            errors: Vec::new(),
            examples: Vec::new(),
            conflicts: host_conflicts,
            sources,
        };
        let paths: Vec<&str> = std::iter::once(anchor.url.path.as_str())
            .chain(anchor.aka.iter().map(|(p, _)| p.as_str()))
            .collect();
        request::read(&page, range.clone(), &paths, &mut endpoint);
        let sample = response::read(&page, range.clone(), &mut endpoint);
        envelope::read(&page, range.clone(), sample, &mut endpoint);
        auth::read(&page, range, &mut endpoint);
        let lower = endpoint.path.to_lowercase();
        if endpoint.token.is_none() && (lower.contains("token") || lower.contains("ticket")) {
            out.diagnostics.push(Diagnostic::warning(
                page.source(anchor.line),
                format!(
                    "`{}` names a token operation but no token was found in its response: expected a field such as `access_token`/`token`/`ticket` in a response table or sample, or a token response header; add one to the manifest if the page does not say",
                    endpoint.path
                ),
            ));
        }
        out.endpoints.push(endpoint);
    }
    warn_unused_tables(&page, &out.endpoints, &mut out.diagnostics);
    Ok(out)
}

/// Tables that look like parameters, response fields or error codes but gave no fact: each
/// named with its line and why it was passed over, so nothing a page says is dropped silently.
fn warn_unused_tables(page: &Page<'_>, endpoints: &[Endpoint], diagnostics: &mut Vec<Diagnostic>) {
    let mut used: Vec<u32> = Vec::new();
    for e in endpoints {
        used.extend(e.params.iter().map(|p| p.source.line));
        used.extend(e.errors.iter().map(|x| x.source.line));
        used.extend(e.sources.values().map(|s| s.line));
        let mut stack: Vec<&crate::model::Field> = e.response.iter().collect();
        while let Some(f) = stack.pop() {
            used.push(f.source.line);
            stack.extend(f.fields.iter());
        }
    }
    used.sort_unstable();
    used.dedup();
    for (index, block) in page.doc.blocks.iter().enumerate() {
        let (Block::Table(table), Some(columns)) = (block, page.columns(index)) else {
            continue;
        };
        let kind = if columns.has(Column::Code) {
            "error codes"
        } else if columns.is_field_table() {
            "parameters or response fields"
        } else {
            continue;
        };
        let lines: Vec<u32> = std::iter::once(table.line)
            .chain(table.rows.iter().map(|r| r.line))
            .collect();
        if table.rows.is_empty() || lines.iter().any(|l| used.binary_search(l).is_ok()) {
            continue;
        }
        let section = page.section(index);
        diagnostics.push(Diagnostic::warning(
            page.source(table.line),
            format!(
                "a table of {kind} ({} rows, columns {}) gave no fact: its section ({section:?}) is not one this kind of table is read in, no endpoint's segment holds it, or its names are none a request could carry",
                table.rows.len(),
                table.header.iter().map(|h| format!("`{}`", h.trim())).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
}

fn warn_unknown_headers(page: &Page<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for (index, block) in page.doc.blocks.iter().enumerate() {
        if let (Block::Table(table), Some(columns)) = (block, page.columns(index)) {
            // `normalize` drops white space, so a header's kind is that of its trimmed text.
            let unknown: Vec<&str> = table
                .header
                .iter()
                .zip(&columns.kinds)
                .map(|(h, kind)| (h.trim(), kind))
                .filter(|(h, kind)| !h.is_empty() && kind.is_none())
                .map(|(h, _)| h)
                .collect();
            if !unknown.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        page.source(table.line),
                        format!(
                            "table column(s) {} are not known to any reader and were ignored (known: 参数/名称/Name, 类型/Type, 是否必填/Required, 最大长度, 描述/备注/Description, 示例/Example, 请求地址/URL, 请求方式/Method, 环境, ...; list them in the manifest's `ignored_columns` to acknowledge)",
                            unknown.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .about(unknown.iter().map(|h| format!("column:{h}")).collect()),
                );
            }
        }
    }
}

/// Whether `path` is the anchor's path or one merged into it.
fn same_endpoint(anchor: &UrlFact, path: &str) -> bool {
    anchor.url.path == path || anchor.aka.iter().any(|(p, _)| p == path)
}

/// Every path the page writes anywhere (inline code, labels, headings, URLs in code), with at
/// least two segments: the forms an endpoint may be documented under.
fn path_mentions(doc: &Document, endings: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        if !text.contains('/') || !endings.iter().any(|e| text.contains(e.as_str())) {
            return;
        }
        for word in text.split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '`' | '"' | '\'' | '|' | '(' | ')' | '[' | ']' | ',' | '，' | '：'
                )
        }) {
            // Two segments at least: two slashes (a URL has more).
            if !(word.starts_with('/') || word.contains("://") || word.starts_with('{'))
                || word.matches('/').count() < 2
                || !endings.iter().any(|e| word.contains(e.as_str()))
            {
                continue;
            }
            if let Some(url) = parse_url(word)
                && url.path.split('/').filter(|s| !s.is_empty()).count() >= 2
                && !out.contains(&url.path)
            {
                out.push(url.path);
            }
        }
    };
    for block in &doc.blocks {
        match block {
            Block::Paragraph { text, .. }
            | Block::Item { text, .. }
            | Block::Label { text, .. }
            | Block::Note { text, .. }
            | Block::Heading { text, .. }
            | Block::Code { text, .. } => add(text),
            Block::Table(t) => t.rows.iter().flat_map(|r| &r.cells).for_each(|c| add(c)),
        }
    }
    out
}

/// The segments of `template` match the end of `path` (placeholders match any segment): the
/// leading segments of `path` left over, or `None`.
fn suffix_match(template: &str, path: &str, stated: bool) -> Option<String> {
    let t: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let p: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // A mere mention needs two segments to be trusted; a path stated with a method, one.
    if t.len() < if stated { 1 } else { 2 }
        || t.len() > p.len()
        || template.trim_end_matches('/') == path.trim_end_matches('/')
    {
        return None;
    }
    let offset = p.len() - t.len();
    let fits = t
        .iter()
        .zip(&p[offset..])
        .all(|(a, b)| a == b || (a.starts_with('{') && a.ends_with('}') && !b.starts_with('{')));
    let prefix = &p[..offset];
    // The prefix joins the host; placeholders there would make no URL.
    (fits && prefix.iter().all(|s| !s.starts_with('{')))
        .then(|| prefix.iter().map(|s| format!("/{s}")).collect::<String>())
}

/// One endpoint per documented path: a concrete or prefixed path (`/realms/demo/…`,
/// `/rest/auth/token/create`) becomes the page's template or shorter form of it
/// (`/realms/{realm-name}/…`, `/auth/token/create`) when the page writes one; the prefix moves to
/// the base URL. The most specific template wins; duplicates merge.
fn canonical_anchors(anchors: Vec<&UrlFact>, mentions: &[String]) -> Vec<UrlFact> {
    let paths: Vec<String> = anchors.iter().map(|a| a.url.path.clone()).collect();
    let anchors_paths: Vec<&String> = paths.iter().collect();
    let mut out: Vec<UrlFact> = Vec::new();
    for anchor in anchors {
        let mut fact = anchor.clone();
        // Other anchors (stated with a method) are templates too, however short.
        let stated: Vec<&String> = anchors_paths
            .iter()
            .filter(|p| **p != &anchor.url.path)
            .copied()
            .collect();
        let best = mentions
            .iter()
            .chain(stated.iter().copied())
            .filter_map(|m| {
                suffix_match(m, &anchor.url.path, stated.contains(&m)).map(|prefix| (m, prefix))
            })
            // A path the page states as an endpoint beats one it merely mentions; then the most
            // specific template.
            .max_by_key(|(m, _)| {
                (
                    stated.contains(m),
                    m.split('/').filter(|s| !s.is_empty()).count(),
                    m.matches('{').count(),
                )
            });
        if let Some((template, prefix)) = best {
            fact.aka.push((anchor.url.path.clone(), prefix));
            fact.url.path = template.clone();
        }
        if fact.aka.is_empty() {
            // A prefix found to belong to the base URL for one endpoint does for its siblings.
            let known = out
                .iter()
                .flat_map(|a| &a.aka)
                .map(|(_, prefix)| prefix.clone())
                .find(|prefix| {
                    !prefix.is_empty() && fact.url.path.starts_with(&format!("{prefix}/"))
                });
            if let Some(prefix) = known {
                let shorter = fact.url.path[prefix.len()..].to_owned();
                let original = std::mem::replace(&mut fact.url.path, shorter);
                fact.aka.push((original, prefix));
            }
        }
        // `/token` and `/token/` are one endpoint; the first-stated spelling (a label or table,
        // before any sample) is kept.
        let same =
            |a: &UrlFact| a.url.path.trim_end_matches('/') == fact.url.path.trim_end_matches('/');
        match out.iter_mut().find(|a| same(a)) {
            Some(existing) => {
                if existing.url.path != fact.url.path {
                    existing.aka.push((fact.url.path.clone(), String::new()));
                }
                existing.aka.extend(fact.aka);
                if existing.url.host.is_none() {
                    existing.url.host = fact.url.host;
                }
            }
            None => out.push(fact),
        }
    }
    out
}

/// The paths that become endpoints: every labelled or tabled path; then every path a `METHOD
/// URL` line, curl command or SDK call states that names a token operation (when the page has no
/// such path, the most often stated one). Browser authorisation pages and the
/// API description (`/v2/api-docs`) are not endpoints.
fn choose_anchors(facts: &Facts) -> Vec<&UrlFact> {
    let mut anchors: Vec<&UrlFact> = Vec::new();
    for fact in &facts.urls {
        if fact.url.path != "/"
            && !vocab::names_authorize_page(&fact.url.path)
            && !vocab::names_api_description(&fact.url.path)
            && !anchors.iter().any(|a| a.url.path == fact.url.path)
        {
            anchors.push(fact);
        }
    }
    let candidates: Vec<&UrlFact> = facts
        .lines
        .iter()
        .filter(|f| {
            f.url.path != "/"
                && !vocab::names_authorize_page(&f.url.path)
                && !vocab::names_api_description(&f.url.path)
        })
        .collect();
    let tokenish: Vec<&UrlFact> = candidates
        .iter()
        .copied()
        .filter(|f| vocab::names_token_operation(&f.url.path) || f.protected)
        .collect();
    let mut extra = tokenish;
    // An RPC-style page calls its host's root (`GET https://sts.example.com/?Action=…`).
    if extra.is_empty() && anchors.is_empty() && candidates.is_empty() {
        extra.extend(
            facts
                .lines
                .iter()
                .find(|f| f.url.host.is_some() && f.method.is_some()),
        );
    }
    // A page that only labels its host and `/` as the path.
    if extra.is_empty() && anchors.is_empty() && candidates.is_empty() {
        extra.extend(
            facts
                .urls
                .iter()
                .filter(|f| f.url.path == "/")
                .max_by_key(|f| f.url.host.is_some()),
        );
    }
    if extra.is_empty() && anchors.is_empty() {
        let most = candidates.iter().max_by_key(|c| {
            (
                candidates
                    .iter()
                    .filter(|o| o.url.path == c.url.path)
                    .count(),
                std::cmp::Reverse(c.block),
            )
        });
        extra.extend(most.copied());
    }
    for fact in extra {
        if !anchors.iter().any(|a| a.url.path == fact.url.path) {
            anchors.push(fact);
        }
    }
    // A summary table or list naming several endpoints is not where each is documented: an
    // anchor sharing its block with another moves to its path's next statement elsewhere.
    let shared: Vec<usize> = anchors
        .iter()
        .filter(|a| anchors.iter().filter(|b| b.block == a.block).count() > 1)
        .map(|a| a.block)
        .collect();
    for anchor in &mut anchors {
        if !shared.contains(&anchor.block) {
            continue;
        }
        if let Some(later) = facts
            .urls
            .iter()
            .chain(&facts.lines)
            .find(|f| f.url.path == anchor.url.path && !shared.contains(&f.block))
        {
            *anchor = later;
        }
    }
    anchors.sort_by_key(|a| a.block);
    anchors
}

/// A heading that is a key (`#### 接口URL`, `### Method`, as ApiPost and other exports title each
/// fact) with its value in the next block (`> {{host}}/cgi-bin/gettoken`, `> GET`).
fn heading_key_facts(page: &Page<'_>, index: usize, test: bool, facts: &mut Facts) {
    let Some(Block::Heading { text, .. }) = page.doc.blocks.get(index) else {
        return;
    };
    if text.contains([':', '：']) {
        return;
    }
    let Some(key) = vocab::key(text) else {
        return;
    };
    let Some((value, line)) = (match page.doc.blocks.get(index + 1) {
        Some(
            Block::Paragraph { text, line }
            | Block::Item { text, line }
            | Block::Note { text, line, .. }
            | Block::Code { text, line, .. },
        ) => Some((text.lines().next().unwrap_or("").trim(), *line)),
        _ => None,
    }) else {
        return;
    };
    match key {
        Key::Url => {
            if let Some(url) = parse_url(value.trim_matches('`')) {
                facts.urls.push(UrlFact {
                    url,
                    block: index + 1,
                    line,
                    test,
                    method: None,
                    aka: Vec::new(),
                    protected: false,
                    in_sentence: false,
                });
            }
        }
        Key::Method => {
            if let Some(method) = Method::parse(value).or_else(|| endpoint_lines::method_in(value))
            {
                facts.methods.push(MethodFact {
                    method,
                    block: index + 1,
                    line,
                });
            }
        }
        Key::Description => {}
    }
}

/// A block that is only a method (a badge, a tab, a span laid out apart) followed by a block
/// starting with the path or URL.
fn method_badge_facts(page: &Page<'_>, index: usize, test: bool, facts: &mut Facts) {
    let blocks = &page.doc.blocks;
    let (Some(Block::Paragraph { text, line } | Block::Label { text, line }), Some(next)) =
        (blocks.get(index), blocks.get(index + 1))
    else {
        return;
    };
    let word = text
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '`' | '[' | ']'));
    if word.len() < 3 || word != word.to_ascii_uppercase() {
        return;
    }
    let Some(method) = Method::parse(word) else {
        return;
    };
    let (Block::Paragraph { text, .. } | Block::Label { text, .. } | Block::Code { text, .. }) =
        next
    else {
        return;
    };
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches('`');
    if !(first.starts_with('/') || first.starts_with("http")) {
        return;
    }
    if let Some(url) = parse_url(first) {
        facts.lines.push(UrlFact {
            url,
            block: index,
            line: *line,
            test,
            method: Some(method),
            aka: Vec::new(),
            protected: false,
            in_sentence: false,
        });
    }
}

/// A section documents one endpoint; a sentence in it may name another ("calling this again
/// returns the same token until it is invalidated with `POST /oauth2/invalidate_token`"). Such a
/// statement is a reference, not an endpoint, when the path is never stated any other way on the
/// page and its section (the blocks under the same heading) states another path outside a
/// sentence: in a label, a line of its own, a table or code.
fn drop_prose_references(page: &Page<'_>, facts: &mut Facts) {
    if !facts.lines.iter().any(|f| f.in_sentence) {
        return;
    }
    let mut section = Vec::with_capacity(page.doc.blocks.len());
    let mut current = 0;
    for (i, block) in page.doc.blocks.iter().enumerate() {
        if matches!(block, Block::Heading { .. }) {
            current = i;
        }
        section.push(current);
    }
    let section_of = |f: &UrlFact| section.get(f.block).copied().unwrap_or(0);
    let stated: Vec<(&str, usize)> = facts
        .urls
        .iter()
        .chain(&facts.lines)
        .filter(|f| !f.in_sentence)
        .map(|f| (f.url.path.as_str(), section_of(f)))
        .collect();
    let reference: Vec<bool> = facts
        .lines
        .iter()
        .map(|f| {
            f.in_sentence
                && !stated.iter().any(|(path, _)| *path == f.url.path)
                && stated
                    .iter()
                    .any(|(path, s)| *s == section_of(f) && *path != f.url.path)
        })
        .collect();
    let mut reference = reference.into_iter();
    facts.lines.retain(|_| !reference.next().unwrap_or(false));
}

/// A stated call (`GET https://…/getcallbackip?access_token=…`) whose own blocks present a token
/// — a token query parameter in its text, or `Bearer` in the blocks that document it, up to the
/// next heading — documents a protected endpoint of the page, although its path names no token
/// operation. Its parameters then stay out of the token endpoint's segment.
fn mark_protected_calls(page: &Page<'_>, facts: &mut Facts) {
    let blocks = &page.doc.blocks;
    // Resources a table lists (a test API) stay resources; test sections document no endpoint.
    let listed: Vec<String> = facts
        .resources
        .iter()
        .filter_map(|r| parse_url(&r.url).map(|u| u.path))
        .collect();
    for fact in facts.lines.iter_mut() {
        if fact.method.is_none()
            || fact.test
            || vocab::names_token_operation(&fact.url.path)
            || listed.contains(&fact.url.path)
            || placeholder_path(&fact.url.path)
            || example_path(&fact.url.path)
        {
            continue;
        }
        let end = blocks[fact.block + 1..]
            .iter()
            .position(|b| matches!(b, Block::Heading { .. }))
            .map_or(blocks.len(), |p| fact.block + 1 + p)
            .min(fact.block + 5);
        fact.protected = blocks[fact.block..end].iter().any(|block| {
            let text = match block {
                Block::Paragraph { text, .. }
                | Block::Item { text, .. }
                | Block::Label { text, .. }
                | Block::Note { text, .. }
                | Block::Code { text, .. } => std::borrow::Cow::Borrowed(text.as_str()),
                Block::Table(table) => table
                    .rows
                    .iter()
                    .map(|r| r.cells.join(" "))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into(),
                Block::Heading { .. } => return false,
            };
            presents_token(&text)
        });
    }
}

/// A path with a concrete identifier in it (`/v1/artists/0TnOYISbd1XYRBk9myaseg`,
/// `/orders/48213907`): a sample call of an endpoint whose documented form has a `{id}`, not the
/// endpoint itself.
fn example_path(path: &str) -> bool {
    path.split('/').any(|segment| {
        let digits = segment.chars().filter(char::is_ascii_digit).count();
        let letters = segment.chars().filter(char::is_ascii_alphabetic).count();
        (digits >= 3 && letters == 0 && digits == segment.len())
            || (segment.len() >= 12
                && digits > 0
                && letters > 0
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    })
}

/// A path a page writes as a placeholder (`/xxx/xxxx`, `/...`).
fn placeholder_path(path: &str) -> bool {
    path.split('/')
        .filter(|s| !s.is_empty())
        .any(|s| s.chars().all(|c| matches!(c, 'x' | 'X' | '.' | '*')))
}

/// Whether text presents a token: `Bearer <…>` or a token query parameter (`access_token=`).
fn presents_token(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("bearer ")
        || ["?access_token=", "&access_token=", "?token=", "&token="]
            .iter()
            .any(|q| lower.contains(q))
}

/// Endpoints stated in a block's text or code.
fn line_facts(index: usize, block: &Block, test: bool, facts: &mut Facts) {
    let mut push = |text: &str, line: u32, code: bool| {
        for found in endpoint_lines::find(text, code) {
            facts.lines.push(UrlFact {
                url: found.url,
                block: index,
                line: line + found.line_offset,
                test,
                method: found.method,
                aka: Vec::new(),
                protected: false,
                in_sentence: found.in_sentence,
            });
        }
    };
    match block {
        Block::Paragraph { text, line }
        | Block::Item { text, line }
        | Block::Label { text, line }
        | Block::Note { text, line, .. }
        | Block::Heading { text, line, .. } => push(text, *line, false),
        Block::Code {
            text, text_line, ..
        } => push(text, *text_line, true),
        Block::Table(table) => {
            for row in &table.rows {
                push(&row.cells.join(" "), row.line, false);
            }
        }
    }
}

fn collect_facts(page: &Page<'_>) -> Facts {
    let mut facts = Facts::default();
    for (index, block) in page.doc.blocks.iter().enumerate() {
        let in_test = page.context[index].heading.is_some_and(names_test);
        line_facts(index, block, in_test, &mut facts);
        method_badge_facts(page, index, in_test, &mut facts);
        heading_key_facts(page, index, in_test, &mut facts);
        if let Block::Heading { text, line, .. } = block
            && let Some((method, url)) = endpoint_lines::heading_brackets(text)
        {
            match url {
                Some(url) => facts.urls.push(UrlFact {
                    url,
                    block: index,
                    line: *line,
                    test: in_test,
                    method,
                    aka: Vec::new(),
                    protected: false,
                    in_sentence: false,
                }),
                None => facts.methods.extend(method.map(|method| MethodFact {
                    method,
                    block: index,
                    line: *line,
                })),
            }
        }
        prose_hosts(index, block, &mut facts);
        match block {
            Block::Paragraph { text, line }
            | Block::Item { text, line }
            | Block::Label { text, line }
            | Block::Note { text, line, .. } => {
                // A block without a colon states no `key: value`: one scan and done.
                if !text.contains([':', '：']) {
                    continue;
                }
                for (i, part) in text.lines().enumerate() {
                    let Some((key, value)) = vocab::split_key_value(part) else {
                        continue;
                    };
                    let key_kind = vocab::key(key);
                    let at = *line + u32::try_from(i).unwrap_or(0);
                    let test = in_test || names_test(key);
                    match key_kind {
                        Some(Key::Url) => {
                            // The value may sit in the next block (`**请求URL**` then a code line).
                            let value = if value.is_empty() {
                                match page.doc.blocks.get(index + 1) {
                                    Some(
                                        Block::Paragraph { text, .. }
                                        | Block::Item { text, .. }
                                        | Block::Code { text, .. },
                                    ) => text.lines().next().unwrap_or(""),
                                    _ => value,
                                }
                            } else {
                                value
                            };
                            if let Some(url) = parse_url(value) {
                                facts.urls.push(UrlFact {
                                    url,
                                    block: index,
                                    line: at,
                                    test,
                                    method: None,
                                    aka: Vec::new(),
                                    protected: false,
                                    in_sentence: false,
                                });
                            }
                        }
                        Some(Key::Method) => {
                            // The value may sit in the next block (`**请求方式：**` then `- GET`).
                            let next = || match page.doc.blocks.get(index + 1) {
                                Some(
                                    Block::Paragraph { text, line }
                                    | Block::Item { text, line }
                                    | Block::Code { text, line, .. },
                                ) if value.is_empty() => Some((text.as_str(), *line)),
                                _ => None,
                            };
                            let found = Method::parse(value)
                                .or_else(|| endpoint_lines::method_in(value))
                                .map(|m| (m, at))
                                .or_else(|| {
                                    next().and_then(|(t, l)| {
                                        endpoint_lines::method_in(t.lines().next().unwrap_or(""))
                                            .map(|m| (m, l))
                                    })
                                });
                            if let Some((method, line)) = found {
                                facts.methods.push(MethodFact {
                                    method,
                                    block: index,
                                    line,
                                });
                            }
                        }
                        // A label of any name whose value is exactly a method (`类型：POST`).
                        _ if value.len() <= 7
                            && value == value.to_ascii_uppercase()
                            && Method::parse(value).is_some() =>
                        {
                            if let Some(method) = Method::parse(value) {
                                facts.methods.push(MethodFact {
                                    method,
                                    block: index,
                                    line: at,
                                });
                            }
                        }
                        Some(Key::Description) => {
                            let rest = text.lines().skip(i + 1).collect::<Vec<_>>().join("\n");
                            let description = if value.is_empty() {
                                rest
                            } else {
                                value.to_owned()
                            };
                            if !description.trim().is_empty() {
                                facts
                                    .descriptions
                                    .push((index, description.trim().to_owned(), at));
                            }
                        }
                        None => {}
                    }
                }
            }
            Block::Table(table) => {
                if let Some(columns) = page.columns(index) {
                    table_facts(page, index, table, columns, in_test, &mut facts);
                }
                host_rows(index, table, &mut facts);
            }
            _ => {}
        }
    }
    facts
}

/// Whether a heading or key names a test environment (`测试`, `Test`, `TEST`).
fn names_test(text: &str) -> bool {
    text.contains("测试")
        || text
            .as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"test"))
}

fn table_facts(
    page: &Page<'_>,
    index: usize,
    table: &Table,
    columns: &Columns,
    test: bool,
    facts: &mut Facts,
) {
    if columns.has(Column::NeedsAuth) && columns.has(Column::Url) {
        for row in &table.rows {
            let method = columns
                .cell(&row.cells, Column::Method)
                .and_then(Method::parse);
            let url = columns.cell(&row.cells, Column::Url);
            if let (Some(method), Some(url)) = (method, url) {
                let needs = columns.cell(&row.cells, Column::NeedsAuth).unwrap_or("");
                let requires_token = vocab::required(needs)
                    .unwrap_or(!needs.contains('不') && !needs.contains("no"));
                facts.resources.push(Resource {
                    method,
                    url: url.to_owned(),
                    requires_token,
                    source: page.source(row.line),
                });
            }
        }
    } else if columns.has(Column::Environment) && columns.has(Column::Url) {
        for row in &table.rows {
            let (Some(env), Some(host)) = (
                columns.cell(&row.cells, Column::Environment),
                columns.cell(&row.cells, Column::Url),
            ) else {
                continue;
            };
            if let Some(host) = normalize_host(host) {
                facts
                    .hosts
                    .push((index, vocab::environment(env), host, row.line));
            }
        }
    } else if columns.has(Column::Url) && columns.has(Column::Method) {
        for row in &table.rows {
            if let Some(url) = columns.cell(&row.cells, Column::Url).and_then(parse_url) {
                facts.urls.push(UrlFact {
                    url,
                    block: index,
                    line: row.line,
                    test,
                    method: None,
                    aka: Vec::new(),
                    protected: false,
                    in_sentence: false,
                });
            }
            if let Some(method) = columns
                .cell(&row.cells, Column::Method)
                .and_then(Method::parse)
            {
                facts.methods.push(MethodFact {
                    method,
                    block: index,
                    line: row.line,
                });
            }
        }
    } else if table.header.len() == 2 && !columns.is_field_table() {
        // A key/value table (标题 | 内容): each row is `key | value`.
        for row in &table.rows {
            let (Some(key), Some(value)) = (row.cells.first(), row.cells.get(1)) else {
                continue;
            };
            match vocab::key(key) {
                Some(Key::Url) => {
                    if let Some(url) = parse_url(value) {
                        facts.urls.push(UrlFact {
                            url,
                            block: index,
                            line: row.line,
                            test,
                            method: None,
                            aka: Vec::new(),
                            protected: false,
                            in_sentence: false,
                        });
                    }
                }
                Some(Key::Method) => {
                    if let Some(method) = Method::parse(value) {
                        facts.methods.push(MethodFact {
                            method,
                            block: index,
                            line: row.line,
                        });
                    }
                }
                Some(Key::Description) => facts.descriptions.push((index, value.clone(), row.line)),
                None => {}
            }
        }
    }
}

/// Bare hosts named in a sentence about hosts or environments (`Hosts: https://a.example.com for
/// production, https://sandbox.example.com for the sandbox`) or in a plain-text environment list,
/// each labelled by the words before it on its line, else by those that follow it.
fn prose_hosts(index: usize, block: &Block, facts: &mut Facts) {
    let (text, line) = match block {
        Block::Paragraph { text, line }
        | Block::Item { text, line }
        | Block::Note { text, line, .. } => (text, line),
        // A plain-text block (an export's environment list: `正式  qyapi_host = https://…`);
        // code in a language is a sample, whose URLs are calls.
        Block::Code {
            text, line, lang, ..
        } if lang
            .as_deref()
            .is_none_or(|l| matches!(l, "text" | "txt" | "plain" | "plaintext")) =>
        {
            (text, line)
        }
        _ => return,
    };
    if !text.contains("://") {
        return;
    }
    let about_hosts = [
        "host",
        "base url",
        "server",
        "domain",
        "environment",
        "域名",
        "环境",
        "地址",
    ]
    .iter()
    .any(|w| case::contains_ascii_ci(text, w) || text.contains(w));
    // Or a list whose every line is a short label and a bare host (`EU  https://accounts.x.eu`).
    let bare_host = |word: &str| parse_url(word).is_some_and(|u| u.host.is_some() && u.path == "/");
    let host_list = || {
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        lines.len() >= 2
            && lines.iter().all(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.len() <= 4 && words.iter().filter(|w| bare_host(w)).count() == 1
            })
    };
    if !about_hosts && !host_list() {
        return;
    }
    for (offset, text_line) in text.lines().enumerate() {
        let words: Vec<&str> = text_line.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let w = word.trim_matches(|c: char| {
                matches!(
                    c,
                    '`' | '"' | '\'' | '(' | ')' | ',' | '，' | '。' | '<' | '>'
                )
            });
            if !w.starts_with("http") {
                continue;
            }
            let Some(url) = parse_url(w) else {
                continue;
            };
            let (Some(host), "/") = (url.host, url.path.as_str()) else {
                continue;
            };
            // The label is what the line says before the URL (`正式 qyapi_host =`), else what
            // follows it (`https://… (sandbox)`).
            let before = words[..i].join(" ");
            let after = words[i + 1..]
                .iter()
                .take(4)
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let from_before = vocab::environment(&before);
            let label = if !before.is_empty() && from_before.len() <= 12 && from_before != "default"
            {
                from_before
            } else {
                vocab::environment(&after)
            };
            let label = if label.len() > 12 {
                "prod".to_owned()
            } else {
                label
            };
            let at = line + u32::try_from(offset).unwrap_or(0);
            facts.hosts.push((index, label, host, at));
        }
    }
}

/// Rows pairing a label with a bare host (`全局 | https://iam.example.com`, `Sandbox |
/// https://api-m.sandbox.example.com`), whatever the table's header says: environments and
/// regions.
fn host_rows(index: usize, table: &Table, facts: &mut Facts) {
    if table
        .header
        .iter()
        .any(|h| vocab::column(h) == Some(Column::Environment))
    {
        return; // read by `table_facts`
    }
    let header_row = (!table.header.is_empty()).then_some((&table.header, table.line));
    let rows = header_row
        .into_iter()
        .chain(table.rows.iter().map(|r| (&r.cells, r.line)));
    for (cells, line) in rows {
        let hosts: Vec<(usize, String)> = cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let c = c.trim().trim_matches('`');
                let url =
                    parse_url(c).filter(|u| u.path == "/" || u.path.matches('/').count() <= 1)?;
                let host = url.host?;
                (c.starts_with("http") && !c.contains(char::is_whitespace)).then_some((i, host))
            })
            .collect();
        let [(at, host)] = hosts.as_slice() else {
            continue;
        };
        // A row naming a method (`GET | https://…/product`) lists a resource, not a host.
        if cells.iter().any(|c| Method::parse(c).is_some()) {
            continue;
        }
        let Some(label) = cells
            .iter()
            .enumerate()
            .find(|(i, c)| i != at && !c.trim().is_empty() && c.chars().count() <= 40)
            .map(|(_, c)| c)
        else {
            continue;
        };
        // A full host with a base path (`https://slack.com/api`) keeps it.
        let full = cells[*at].trim().trim_matches('`').trim_end_matches('/');
        let host = if full.starts_with(host.as_str()) {
            full.to_owned()
        } else {
            host.clone()
        };
        facts
            .hosts
            .push((index, vocab::environment(label), host, line));
    }
}

/// `dev-etc.ebaas.com` → `https://dev-etc.ebaas.com`; blank → `None`.
fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim().trim_matches('`').trim_end_matches('/');
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    Some(
        if host.starts_with("http://") || host.starts_with("https://") {
            host.to_owned()
        } else {
            format!("https://{host}")
        },
    )
}

/// Hosts stated in `range`: host-table rows, and full URLs of an anchored path.
fn hosts_in(
    facts: &Facts,
    range: std::ops::Range<usize>,
    anchors: &[&UrlFact],
) -> Vec<(String, String, u32)> {
    let mut hosts: Vec<(String, String, u32)> = facts
        .hosts
        .iter()
        .filter(|(b, ..)| range.contains(b))
        .map(|(_, env, host, line)| (env.clone(), host.clone(), *line))
        .collect();
    for fact in facts
        .urls
        .iter()
        .chain(&facts.lines)
        .filter(|f| range.contains(&f.block))
    {
        let Some(host) = &fact.url.host else {
            continue;
        };
        for anchor in anchors {
            let prefix = if anchor.url.path == fact.url.path {
                Some("")
            } else {
                anchor
                    .aka
                    .iter()
                    .find(|(p, _)| *p == fact.url.path)
                    .map(|(_, prefix)| prefix.as_str())
            };
            if let Some(prefix) = prefix {
                let env = if fact.test { "test" } else { "prod" };
                hosts.push((env.to_owned(), format!("{host}{prefix}"), fact.line));
                break;
            }
        }
    }
    hosts
}

/// Block ranges, one per anchor. The boundary before an anchor is the highest-ranked heading
/// between it and the previous anchor (so `### hello` wins over its `#### 基本信息`).
fn segment_bounds(
    blocks: &[Block],
    anchors: &[&UrlFact],
    fences: &[usize],
) -> Vec<std::ops::Range<usize>> {
    // Anchors and fences, in page order; a fence's segment is cut out like an endpoint's and
    // then dropped. A fence in an anchor's own block is not one (a page stating both at once).
    let mut marks: Vec<(usize, bool)> = anchors.iter().map(|a| (a.block, true)).collect();
    marks.extend(
        fences
            .iter()
            .filter(|f| !anchors.iter().any(|a| a.block == **f))
            .map(|f| (*f, false)),
    );
    // Stable: anchors keep their order, so the ranges kept line up with `anchors`.
    marks.sort_by_key(|(block, _)| *block);
    let mut starts = vec![0];
    for pair in marks.windows(2) {
        let (previous, next) = (pair[0].0, pair[1].0);
        let boundary = (previous + 1..next)
            .filter_map(|i| match &blocks[i] {
                Block::Heading { level, .. } => Some((*level, i)),
                _ => None,
            })
            .min_by_key(|(level, i)| (*level, std::cmp::Reverse(*i)))
            .map_or(next, |(_, i)| i);
        starts.push(boundary);
    }
    let mut ends: Vec<usize> = starts.iter().skip(1).copied().collect();
    ends.push(blocks.len());
    marks
        .iter()
        .zip(starts.into_iter().zip(ends))
        .filter(|((_, is_anchor), _)| *is_anchor)
        .map(|(_, (s, e))| s..e)
        .collect()
}

/// The nearest heading before the anchor that is not a generic section name (基本信息, 接口说明, ...).
fn title_for(page: &Page<'_>, start: usize, anchor: usize) -> Option<(String, u32)> {
    let blocks = &page.doc.blocks;
    let mut fallback = None;
    let last = anchor.min(blocks.len().saturating_sub(1));
    for (index, block) in blocks.iter().enumerate().take(last + 1).rev() {
        if let Block::Heading { text, line, .. } = block {
            // A heading's context holds the heading's own section.
            if page.section(index) == Section::Other {
                return Some((text.clone(), *line));
            }
            fallback.get_or_insert((text.as_str(), *line));
        }
    }
    let _ = start;
    fallback.map(|(text, line)| (text.to_owned(), line))
}

fn first_paragraph_after(
    page: &Page<'_>,
    title_line: Option<u32>,
    range: std::ops::Range<usize>,
) -> Option<String> {
    let title_line = title_line?;
    let blocks = &page.doc.blocks;
    let after = blocks.iter().position(|b| b.line() > title_line)?;
    match blocks.get(after) {
        Some(Block::Paragraph { text, .. }) if range.contains(&after) || after < range.end => {
            Some(text.clone())
        }
        _ => None,
    }
}
