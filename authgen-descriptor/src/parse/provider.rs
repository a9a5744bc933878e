//! A provider's pages (and manifest) → one [`Descriptor`], and the regen plan over `specs/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::diagnostics::{Diagnostic, Severity};
use super::extract;
use super::manifest::LoadedManifest;
use super::read;
use crate::model::{Descriptor, Endpoint, ExpiryKind, Resource, SCHEMA_VERSION};

/// The manifest's file name inside a provider folder.
pub const MANIFEST: &str = "manifest.toml";
/// The folder under `specs/` holding the generated descriptors.
pub const DESCRIPTORS: &str = "descriptors";
/// The folder (beside `specs/`) holding the embeddable generated Rust.
pub const GENERATED: &str = "generated";

/// Where a project keeps its pages and where `regen` writes: the one place that knows the
/// layout. The default, [`Layout::under`], is this repository's: `specs/<provider>/` pages,
/// `specs/descriptors/<provider>.json`, `generated/<provider>.rs` beside `specs/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The folder of provider folders.
    pub specs: PathBuf,
    /// Where descriptors are written (a folder inside `specs` is skipped as a provider).
    pub descriptors: PathBuf,
    /// Where embeddable Rust is written; `None` writes none (projects that use the macro only).
    pub generated: Option<PathBuf>,
    /// The folder paths are shown relative to (and generated headers name the descriptor from).
    pub root: PathBuf,
    /// Where `openapi` writes the OpenAPI documents (a folder inside `specs` is skipped as a
    /// provider).
    pub openapi: PathBuf,
}

impl Layout {
    /// The default layout around a `specs` folder.
    pub fn under(specs: &Path) -> Self {
        let root = specs.parent().unwrap_or(specs).to_path_buf();
        Self {
            specs: specs.to_path_buf(),
            descriptors: specs.join(DESCRIPTORS),
            generated: Some(root.join(GENERATED)),
            openapi: specs.join("openapi"),
            root,
        }
    }

    /// The descriptor file of a provider.
    pub fn descriptor_path(&self, provider: &str) -> PathBuf {
        self.descriptors.join(format!("{provider}.json"))
    }

    /// The embeddable Rust file of a provider, if the layout writes them.
    pub fn generated_path(&self, provider: &str) -> Option<PathBuf> {
        self.generated
            .as_ref()
            .map(|g| g.join(format!("{provider}.rs")))
    }

    /// A path as shown to the user: relative to the root when inside it, `/`-separated.
    pub fn display(&self, path: &Path) -> String {
        display(path, Some(&self.root))
    }
}

/// The outcome of building one provider.
#[derive(Debug)]
pub struct ProviderBuild {
    /// The provider name (manifest, guess, or folder name when nothing else is known).
    pub name: String,
    /// How many pages were read.
    pub pages: usize,
    /// The descriptor, unless an error prevented it.
    pub descriptor: Option<Descriptor>,
    /// Warnings and errors, in page order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ProviderBuild {
    /// Number of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Number of endpoints built.
    pub fn endpoints(&self) -> usize {
        self.descriptor.as_ref().map_or(0, |d| d.endpoints.len())
    }
}

/// Provider folders under `specs/` (every folder but `descriptors/`), sorted.
pub fn discover_providers(specs: &Path) -> std::io::Result<Vec<PathBuf>> {
    discover_in(&Layout::under(specs))
}

/// Provider folders of a layout: every folder of `specs` but the descriptors folder, sorted.
pub fn discover_in(layout: &Layout) -> std::io::Result<Vec<PathBuf>> {
    let specs = &layout.specs;
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(specs)? {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_dir()
            && entry.path() != layout.descriptors
            && entry.path() != layout.openapi
            && !name.to_string_lossy().starts_with('.')
        {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Page files of a provider folder (everything but the manifest and hidden files), sorted.
pub fn provider_pages(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_file()
            && name != MANIFEST
            && !name.to_string_lossy().starts_with('.')
        {
            pages.push(entry.path());
        }
    }
    pages.sort();
    Ok(pages)
}

/// A page's display name: relative to `base` when below it, else as given.
fn display(path: &Path, base: Option<&Path>) -> String {
    base.and_then(|b| path.strip_prefix(b).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

struct PageOutcome {
    page: String,
    endpoints: Vec<Endpoint>,
    resources: Vec<Resource>,
}

fn read_one(
    path: &Path,
    base: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PageOutcome> {
    let page = display(path, base);
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = u32::try_from(valid.iter().filter(|b| **b == b'\n').count() + 1)
                    .unwrap_or(u32::MAX);
                diagnostics.push(Diagnostic::error(&page, line, "the page is not UTF-8 text"));
                return None;
            }
        },
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                &page,
                1,
                format!("cannot read the page: {e}"),
            ));
            return None;
        }
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let outcome = describe_text(&page, extension.as_deref(), &text);
    diagnostics.extend(outcome.2);
    outcome.0.map(|(endpoints, resources)| PageOutcome {
        page,
        endpoints,
        resources,
    })
}

/// Reads one page's text: its endpoints and resources, or `None` with the errors saying why.
#[allow(clippy::type_complexity)]
pub fn describe_text(
    page: &str,
    extension: Option<&str>,
    text: &str,
) -> (
    Option<(Vec<Endpoint>, Vec<Resource>)>,
    &'static str,
    Vec<Diagnostic>,
) {
    let document = match read::read_page(page, extension, text) {
        Ok(d) => d,
        Err(e) => return (None, "unknown", vec![e]),
    };
    match extract::extract(&document) {
        Ok(found) => (
            Some((found.endpoints, found.resources)),
            document.format,
            found.diagnostics,
        ),
        Err(e) => (None, document.format, vec![e]),
    }
}

/// Builds the descriptor of a provider folder under `specs` (with its manifest).
pub fn build_provider(specs: &Path, dir: &Path) -> ProviderBuild {
    let folder = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut diagnostics = Vec::new();
    let manifest_path = dir.join(MANIFEST);
    let manifest_name = display(&manifest_path, Some(specs));
    let manifest = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => match LoadedManifest::parse(&manifest_name, &text) {
            Ok(m) => Some(m),
            Err(e) => {
                return ProviderBuild {
                    name: folder,
                    pages: 0,
                    descriptor: None,
                    diagnostics: vec![e],
                };
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diagnostics.push(Diagnostic::warning(
                crate::model::Source {
                    page: manifest_name.clone(),
                    line: 1,
                },
                "no manifest: the provider name and time zone are guessed; add manifest.toml",
            ));
            None
        }
        Err(e) => {
            return ProviderBuild {
                name: folder,
                pages: 0,
                descriptor: None,
                diagnostics: vec![Diagnostic::error(
                    &manifest_name,
                    1,
                    format!("cannot read the manifest: {e}"),
                )],
            };
        }
    };
    let pages = match provider_pages(dir) {
        Ok(p) => p,
        Err(e) => {
            return ProviderBuild {
                name: folder,
                pages: 0,
                descriptor: None,
                diagnostics: vec![Diagnostic::error(
                    &display(dir, Some(specs)),
                    1,
                    format!("cannot list the folder: {e}"),
                )],
            };
        }
    };
    let outcomes: Vec<PageOutcome> = pages
        .iter()
        .filter_map(|p| read_one(p, Some(specs), &mut diagnostics))
        .collect();
    let mut build = assemble(outcomes, manifest.as_ref(), &folder, diagnostics);
    build.pages = pages.len();
    build
}

/// Describes pages given on the command line (no manifest): pages whose hosts suggest the same
/// provider are combined, so cross-page references (a ticket needing an access token) resolve.
pub fn describe_pages(paths: &[PathBuf]) -> Vec<ProviderBuild> {
    let mut groups: BTreeMap<String, (Vec<PageOutcome>, Vec<Diagnostic>, usize)> = BTreeMap::new();
    for path in paths {
        let mut diagnostics = Vec::new();
        let outcome = read_one(path, None, &mut diagnostics);
        let name = outcome
            .as_ref()
            .and_then(|o| guess_provider(&o.endpoints))
            .unwrap_or_else(|| name_from_path(path));
        let group = groups.entry(name).or_default();
        group.0.extend(outcome);
        group.1.extend(diagnostics);
        group.2 += 1;
    }
    groups
        .into_iter()
        .map(|(name, (outcomes, diagnostics, pages))| {
            let mut build = assemble(outcomes, None, &name, diagnostics);
            build.pages = pages;
            build
        })
        .collect()
}

/// The registrable name of the first host: `dev-etc.ebaas.com` → `ebaas`.
fn guess_provider(endpoints: &[Endpoint]) -> Option<String> {
    endpoints
        .iter()
        .flat_map(|e| e.base_urls.values())
        .find_map(|url| brand_of_host(url))
}

/// The brand a host names: the label before the registrable suffix (`api.weixin.qq.com` →
/// `weixin`: `qq.com` hosts many products; `open.example.com.cn` → `example`); `None` for
/// placeholders (`example.com`, `localhost`, an IP address, `{host}`).
fn brand_of_host(url: &str) -> Option<String> {
    let host = url
        .split("://")
        .nth(1)?
        .split([':', '/'])
        .next()?
        .to_ascii_lowercase();
    if host.contains(['{', '<', '$'])
        || host == "localhost"
        || host
            .split('.')
            .all(|l| l.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let mut labels: Vec<&str> = host.split('.').collect();
    labels.pop(); // the top-level domain
    // Second-level suffixes (`com.cn`, `co.uk`) and parents shared by many products.
    while labels.len() > 1
        && matches!(
            labels.last(),
            Some(&("com" | "co" | "net" | "org" | "gov" | "edu" | "ac" | "qq" | "amazonaws"))
        )
    {
        labels.pop();
    }
    let label = labels.last()?;
    if matches!(*label, "example" | "test" | "invalid" | "localhost") {
        return None;
    }
    Some(extract::text::snake_case(label))
}

/// A provider name for a page whose hosts name none: its folder when the folder is named after
/// a provider (`specs/appauth/…`), else its file name without a leading number (`19_ctrip_…` →
/// `ctrip`).
fn name_from_path(path: &Path) -> String {
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .map(|f| f.to_string_lossy().into_owned())
        .filter(|f| {
            !matches!(
                f.as_str(),
                "" | "." | ".." | "pages" | "specs" | "corpus" | "docs" | "tmp"
            )
        });
    if let Some(folder) = folder {
        return extract::text::snake_case(&folder);
    }
    let stem = path.file_stem().map_or_else(
        || "provider".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let snake = extract::text::snake_case(&stem);
    snake
        .split('_')
        .find(|part| !part.is_empty() && !part.chars().all(|c| c.is_ascii_digit()) && *part != "n")
        .map_or(snake.clone(), str::to_owned)
}

fn assemble(
    outcomes: Vec<PageOutcome>,
    manifest: Option<&LoadedManifest>,
    fallback: &str,
    mut diagnostics: Vec<Diagnostic>,
) -> ProviderBuild {
    let name = manifest
        .map(|m| m.manifest.provider.get_ref().clone())
        .or_else(|| {
            guess_provider(
                &outcomes
                    .iter()
                    .flat_map(|o| o.endpoints.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .unwrap_or_else(|| fallback.to_owned());
    let page_names: Vec<String> = outcomes.iter().map(|o| o.page.clone()).collect();
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut resources = Vec::new();
    for outcome in outcomes {
        for mut endpoint in outcome.endpoints {
            let base = endpoint.name.clone();
            endpoint.name = free_name(&base, |n| {
                endpoints.iter().any(|e| e.name == n) || !crate::model::is_endpoint_name(n)
            });
            if endpoint.name != base {
                diagnostics.push(Diagnostic::warning(
                    endpoint
                        .sources
                        .get("path")
                        .cloned()
                        .unwrap_or_else(|| crate::model::Source {
                            page: outcome.page.clone(),
                            line: 1,
                        }),
                    format!(
                        "endpoint name `{base}` is taken by another page or by generated code ({}); renamed `{}` (override `/name` in manifest.toml to choose)",
                        crate::model::RESERVED_ENDPOINT_NAMES.join(", "),
                        endpoint.name
                    ),
                ));
            }
            unique_names(&mut endpoint, &mut diagnostics);
            endpoints.push(endpoint);
        }
        resources.extend(outcome.resources);
    }
    super::roles::assign(&mut endpoints);
    warn_codes_with_two_meanings(&endpoints, &mut diagnostics);

    let time_zone = manifest
        .and_then(|m| m.manifest.time_zone.as_ref())
        .map(|z| z.get_ref().clone());
    if let Some(m) = manifest {
        for endpoint in &mut endpoints {
            for (env, url) in &m.manifest.base_urls {
                if !endpoint.base_urls.contains_key(env) {
                    endpoint
                        .base_urls
                        .insert(env.clone(), url.get_ref().trim_end_matches('/').to_owned());
                    endpoint
                        .sources
                        .insert(format!("base_urls.{env}"), m.source(url));
                }
            }
        }
        for code in &m.manifest.retryable_codes {
            let mut found = false;
            for error in endpoints
                .iter_mut()
                .flat_map(|e| e.errors.iter_mut())
                .filter(|e| e.code == *code.get_ref())
            {
                error.retryable = true;
                found = true;
            }
            if !found {
                diagnostics.push(Diagnostic::error(
                    &m.path,
                    m.source(code).line,
                    format!(
                        "retryable code `{}` is documented by no endpoint of `{name}`",
                        code.get_ref()
                    ),
                ));
            }
        }
        for o in &m.manifest.overrides {
            match endpoints
                .iter_mut()
                .find(|e| e.name == *o.endpoint.get_ref())
            {
                Some(endpoint) => {
                    if let Err(e) = m.apply(o, endpoint) {
                        diagnostics.push(e);
                    }
                }
                None => diagnostics.push(Diagnostic::error(
                    &m.path,
                    m.source(&o.endpoint).line,
                    format!(
                        "override names endpoint `{}`, which no page defines (endpoints: {})",
                        o.endpoint.get_ref(),
                        endpoints
                            .iter()
                            .map(|e| e.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
    }
    for endpoint in &mut endpoints {
        for expiry in endpoint
            .expiry
            .iter_mut()
            .filter(|e| e.kind == ExpiryKind::Datetime)
        {
            match &time_zone {
                Some(zone) => expiry.time_zone = Some(zone.clone()),
                None => diagnostics.push(Diagnostic::warning(
                    expiry.source.clone(),
                    format!(
                        "`{}`: datetime expiry with no time zone known; set `time_zone` in the provider's manifest.toml (datetimes without an offset are read as UTC until then)",
                        endpoint.name
                    ),
                )),
            }
        }
        for conflict in endpoint.conflicts.iter().filter(|c| c.settled_by.is_none()) {
            diagnostics.push(Diagnostic::warning(
                conflict.source.clone(),
                format!(
                    "`{}`: {} (settle it with an override for `{}` in manifest.toml)",
                    endpoint.name, conflict.message, conflict.topic
                ),
            ));
        }
    }
    let descriptor = Descriptor {
        schema_version: SCHEMA_VERSION,
        provider: name.clone(),
        time_zone,
        token_invalidates_previous: manifest.is_some_and(|m| m.manifest.token_invalidates_previous),
        pages: page_names,
        endpoints,
        resources,
    };
    let descriptor = match descriptor.validate() {
        _ if descriptor.endpoints.is_empty() => None,
        Ok(()) => Some(descriptor),
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                manifest.map_or(name.as_str(), |m| m.path.as_str()),
                1,
                e.to_string(),
            ));
            None
        }
    };
    // Warnings the manifest acknowledges (every subject listed) are not printed.
    if let Some(m) = manifest {
        let acknowledged: Vec<String> = m
            .manifest
            .ignored_columns
            .iter()
            .map(|c| format!("column:{c}"))
            .collect();
        diagnostics.retain(|d| {
            d.subjects.is_empty() || !d.subjects.iter().all(|s| acknowledged.contains(s))
        });
    }
    diagnostics.sort_by(|a, b| a.source.cmp(&b.source));
    ProviderBuild {
        name,
        pages: 0,
        descriptor,
        diagnostics,
    }
}

/// One code documented with different meanings by two endpoints (`40001`: a wrong secret on
/// the token endpoint, an invalid token on a protected one). Each endpoint's error type keeps
/// its own meaning; the warning makes sure a reader of one does not assume the other's.
fn warn_codes_with_two_meanings(endpoints: &[Endpoint], diagnostics: &mut Vec<Diagnostic>) {
    // Two messages mean the same when they share a word (`invalid appid` ~ `不合法的 AppID`):
    // ASCII words of three letters or more, and pairs of CJK characters.
    let words = |m: &str| -> std::collections::BTreeSet<String> {
        let lower = m.to_lowercase();
        let mut out: std::collections::BTreeSet<String> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 3)
            .map(str::to_owned)
            .collect();
        let cjk: Vec<char> = lower.chars().filter(|c| !c.is_ascii()).collect();
        out.extend(cjk.windows(2).map(|w| w.iter().collect::<String>()));
        out
    };
    for (i, a) in endpoints.iter().enumerate() {
        for b in &endpoints[i + 1..] {
            for x in &a.errors {
                let Some(y) = b.errors.iter().find(|y| y.code == x.code) else {
                    continue;
                };
                let shared = words(&x.message)
                    .intersection(&words(&y.message))
                    .next()
                    .is_some();
                let comparable = !x.message.trim().is_empty() && !y.message.trim().is_empty();
                if (comparable && !shared) || x.invalid_token != y.invalid_token {
                    diagnostics.push(Diagnostic::warning(
                        y.source.clone(),
                        format!(
                            "code `{}` means \"{}\" on `{}` ({}) and \"{}\" on `{}`: each endpoint's error type keeps its own meaning",
                            x.code, x.message, a.name, x.source, y.message, b.name
                        ),
                    ));
                }
            }
        }
    }
}

/// A file `cargo xtask regen` writes.
#[derive(Debug, Clone)]
pub struct Output {
    /// Where.
    pub path: PathBuf,
    /// The exact content.
    pub content: String,
    /// The pages it is built from (relative to `specs/`), to name them when it is stale.
    pub from: Vec<String>,
}

/// The files `cargo xtask regen` writes, with their content, and what building them found.
#[derive(Debug, Default)]
pub struct Plan {
    /// Every generated file.
    pub files: Vec<Output>,
    /// One build per provider folder.
    pub builds: Vec<ProviderBuild>,
}

/// Builds every provider under `specs` and lays out the descriptor files.
pub fn plan(layout: &Layout) -> std::io::Result<Plan> {
    let specs = &layout.specs;
    let mut plan = Plan::default();
    for dir in discover_in(layout)? {
        let build = build_provider(specs, &dir);
        if let Some(descriptor) = &build.descriptor {
            let descriptor_file = layout.descriptor_path(&descriptor.provider);
            plan.files.push(Output {
                path: descriptor_file.clone(),
                content: descriptor.to_json(),
                from: descriptor.pages.clone(),
            });
            #[cfg(feature = "codegen")]
            if let Some(generated) = layout.generated_path(&descriptor.provider) {
                let descriptor_path = layout.display(&descriptor_file);
                match crate::codegen::embedded_file(descriptor, &descriptor_path) {
                    Ok(content) => plan.files.push(Output {
                        path: generated,
                        content,
                        from: vec![descriptor_path],
                    }),
                    Err(e) => {
                        let mut build = build;
                        build
                            .diagnostics
                            .push(Diagnostic::error(&descriptor_path, 1, e));
                        plan.builds.push(build);
                        continue;
                    }
                }
            }
        }
        plan.builds.push(build);
    }
    Ok(plan)
}

impl Plan {
    /// Descriptors (`*.json` in the descriptors folder) and generated files (`*.rs` in the
    /// generated folder) that no provider produces any more, sorted.
    pub fn orphans(&self, layout: &Layout) -> Vec<PathBuf> {
        let mut orphans = Vec::new();
        let folders = [
            Some((&layout.descriptors, "json")),
            layout.generated.as_ref().map(|g| (g, "rs")),
        ];
        for (folder, extension) in folders.into_iter().flatten() {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            orphans.extend(entries.flatten().map(|e| e.path()).filter(|p| {
                p.extension().is_some_and(|e| e == extension)
                    && !self.files.iter().any(|o| o.path == *p)
            }));
        }
        orphans.sort();
        orphans
    }

    /// What `check` reports: files that differ from the plan or are missing, files no provider
    /// produces, and page errors. Empty when everything is up to date.
    pub fn problems(&self, layout: &Layout) -> Vec<String> {
        let mut problems = Vec::new();
        for output in &self.files {
            let name = layout.display(&output.path);
            match std::fs::read_to_string(&output.path) {
                Ok(existing) if existing == output.content => {}
                Ok(_) => problems.push(format!(
                    "stale: {name} (built from {})",
                    output.from.join(", ")
                )),
                Err(_) => problems.push(format!(
                    "missing: {name} (built from {})",
                    output.from.join(", ")
                )),
            }
        }
        for path in self.orphans(layout) {
            problems.push(format!(
                "not produced by any provider (regen removes it): {}",
                layout.display(&path)
            ));
        }
        for build in &self.builds {
            problems.extend(
                build
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(ToString::to_string),
            );
        }
        problems
    }
}

/// `base` if nothing has it yet, else the first of `base_2`, `base_3`, … that is free.
fn free_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    // `type_` + 2 is `type_2`: a doubled underscore is not snake case (a lint warning).
    let stem = match base.trim_end_matches('_') {
        "" => "field",
        stem => stem,
    };
    (2..)
        .map(|n| format!("{stem}_{n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

/// Rust names unique where they become fields: a parameter listed twice (same wire name) is kept
/// once, and two wire names that make one Rust name (`Content-Type`, `content_type`; `名称`,
/// `名字`) get `_2`, `_3`… — each with a warning saying what was done and how to override it.
fn unique_names(endpoint: &mut Endpoint, diagnostics: &mut Vec<Diagnostic>) {
    let mut kept: Vec<crate::model::Param> = Vec::new();
    for mut param in std::mem::take(&mut endpoint.params) {
        if kept.iter().any(|p| p.name == param.name) {
            diagnostics.push(Diagnostic::warning(
                param.source.clone(),
                format!(
                    "`{}`: parameter `{}` is listed twice; the first listing is kept",
                    endpoint.name, param.name
                ),
            ));
            continue;
        }
        let base = param.rust_name.clone();
        param.rust_name = free_name(&base, |n| kept.iter().any(|p| p.rust_name == n));
        if param.rust_name != base {
            diagnostics.push(Diagnostic::warning(
                param.source.clone(),
                format!(
                    "`{}`: parameter `{}` would be the Rust field `{base}` like another one; named `{}` (override `/params/{}/rust_name` in manifest.toml to choose)",
                    endpoint.name, param.name, param.rust_name, param.name
                ),
            ));
        }
        kept.push(param);
    }
    endpoint.params = kept;
    unique_field_names(&endpoint.name, &mut endpoint.response, diagnostics, 0);
}

fn unique_field_names(
    endpoint: &str,
    fields: &mut Vec<crate::model::Field>,
    diagnostics: &mut Vec<Diagnostic>,
    depth: usize,
) {
    // Bounded: a hostile sample may nest thousands of levels.
    if depth > 64 {
        return;
    }
    let mut kept: Vec<crate::model::Field> = Vec::new();
    for mut field in std::mem::take(fields) {
        if kept.iter().any(|f| f.name == field.name) {
            continue;
        }
        let base = field.rust_name.clone();
        field.rust_name = free_name(&base, |n| kept.iter().any(|f| f.rust_name == n));
        if field.rust_name != base {
            diagnostics.push(Diagnostic::warning(
                field.source.clone(),
                format!(
                    "`{endpoint}`: response field `{}` would be the Rust field `{base}` like another one; named `{}`",
                    field.name, field.rust_name
                ),
            ));
        }
        unique_field_names(endpoint, &mut field.fields, diagnostics, depth + 1);
        kept.push(field);
    }
    *fields = kept;
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    #[test]
    fn providers_are_named_by_brand_not_by_shared_parents_or_placeholders() {
        assert_eq!(
            brand_of_host("https://api.weixin.qq.com").as_deref(),
            Some("weixin")
        );
        assert_eq!(
            brand_of_host("https://open.example.com.cn").as_deref(),
            None
        );
        assert_eq!(
            brand_of_host("https://open.youzan.com.cn").as_deref(),
            Some("youzan")
        );
        assert_eq!(brand_of_host("https://sso.example.com").as_deref(), None);
        assert_eq!(brand_of_host("http://127.0.0.1:8080").as_deref(), None);
        assert_eq!(brand_of_host("https://{host}").as_deref(), None);
        assert_eq!(
            brand_of_host("https://accounts.spotify.com").as_deref(),
            Some("spotify")
        );
    }

    #[test]
    fn pages_without_a_host_are_named_by_folder_or_file() {
        assert_eq!(
            name_from_path(Path::new("specs/appauth/access-token.md")),
            "appauth"
        );
        assert_eq!(
            name_from_path(Path::new("corpus/pages/19_ctrip_corp_ticket.md")),
            "ctrip"
        );
        assert_eq!(name_from_path(Path::new("n_03_x.md")), "x");
    }
}

#[cfg(test)]
mod meaning_tests {
    use super::*;

    const PAGE: &str = "# Get token\n\n`POST https://api.example.com/cgi-bin/token`\n\n| 参数 | 类型 | 必填 | 说明 |\n|---|---|---|---|\n| appid | string | 是 | 应用 ID |\n| secret | string | 是 | 密钥 |\n\n返回：\n\n```json\n{\"access_token\": \"abc\", \"expires_in\": 7200}\n```\n\n| 错误码 | 说明 |\n|---|---|\n| 40001 | {TOKEN_MEANING} |\n| 40013 | invalid appid |\n\n# Call\n\n`GET https://api.example.com/cgi-bin/ip?access_token=ACCESS_TOKEN`\n\n| 参数 | 类型 | 必填 | 说明 |\n|---|---|---|---|\n| access_token | string | 是 | 凭据 |\n\n| 错误码 | 说明 |\n|---|---|\n| 40001 | access_token 无效，请重新获取 |\n| 40013 | 不合法的 AppID |\n";

    fn warnings(token_meaning: &str) -> Vec<String> {
        let text = PAGE.replace("{TOKEN_MEANING}", token_meaning);
        let (found, _, _) = describe_text("p.md", Some("md"), &text);
        let (mut endpoints, _) = found.expect("described");
        super::super::roles::assign(&mut endpoints);
        assert_eq!(endpoints.len(), 2, "{endpoints:?}");
        let mut diagnostics = Vec::new();
        warn_codes_with_two_meanings(&endpoints, &mut diagnostics);
        diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_code_with_two_meanings_is_warned_about_once() {
        let found = warnings("AppSecret 错误");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("code `40001`"), "{found:?}");
        // The same meaning in two wordings (`invalid appid` ~ `不合法的 AppID`) is no warning,
        // nor is the same meaning on both endpoints.
        assert!(warnings("access_token 已失效").is_empty());
    }
}
