//! `regen`, `check` and `describe`: thin shells around `authgen_descriptor::parse`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use authgen_descriptor::parse::{self, Layout, Severity};

/// Writes every planned file whose content changed and removes descriptors and generated files
/// no provider produces any more; prints diagnostics and a summary table.
pub fn regen(layout: &Layout, quiet: bool) -> Result<ExitCode, String> {
    let plan =
        parse::plan(layout).map_err(|e| format!("cannot read {}: {e}", layout.specs.display()))?;
    // Atomic: with any error, nothing is written (a half-regenerated tree would mix old and new
    // descriptors, or drop a manifest's override silently).
    if plan.builds.iter().any(|b| b.count(Severity::Error) > 0) {
        report(&plan.builds, quiet);
        eprintln!("regen wrote nothing: fix the errors above and run it again");
        return Ok(ExitCode::FAILURE);
    }
    let mut written = 0;
    for output in &plan.files {
        let (path, content) = (&output.path, &output.content);
        if std::fs::read_to_string(path).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write_atomically(path, content)?;
        eprintln!("wrote {}", relative(path));
        written += 1;
    }
    let mut removed = 0;
    for orphan in plan.orphans(layout) {
        std::fs::remove_file(&orphan)
            .map_err(|e| format!("cannot remove {}: {e}", orphan.display()))?;
        eprintln!(
            "removed {} (no provider produces it any more)",
            layout.display(&orphan)
        );
        removed += 1;
    }
    let failed = report(&plan.builds, quiet);
    eprintln!(
        "{written} file(s) written, {} unchanged{}",
        plan.files.len() - written,
        if removed > 0 {
            format!(", {removed} removed")
        } else {
            String::new()
        }
    );
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Compares the planned files with the checked-in ones; `program` is the command to suggest
/// (`cargo authgen`, `cargo xtask`).
pub fn check(layout: &Layout, program: &str) -> Result<ExitCode, String> {
    let plan =
        parse::plan(layout).map_err(|e| format!("cannot read {}: {e}", layout.specs.display()))?;
    let problems = plan.problems(layout);
    if problems.is_empty() {
        eprintln!("check: {} generated file(s) up to date", plan.files.len());
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        eprintln!("{p}");
    }
    eprintln!("check failed: run `{program} regen` and commit the result");
    Ok(ExitCode::FAILURE)
}

/// Prints the blocks the readers make of arbitrary pages, one per line.
pub fn blocks(paths: &[PathBuf]) -> Result<ExitCode, String> {
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let extension = path.extension().and_then(|e| e.to_str());
        let page = path.display().to_string();
        match parse::read::read_page(&page, extension, &text) {
            Ok(doc) => {
                println!("{page}: read as {}", doc.format);
                for block in &doc.blocks {
                    println!("{block:?}");
                }
            }
            Err(d) => eprintln!("{d}"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints descriptors of arbitrary pages.
pub fn describe(paths: &[PathBuf]) -> Result<ExitCode, String> {
    let builds = parse::describe_pages(paths);
    let mut failed = false;
    let mut descriptors = Vec::new();
    for build in &builds {
        for d in &build.diagnostics {
            eprintln!("{d}");
        }
        failed |= build.count(Severity::Error) > 0;
        descriptors.extend(build.descriptor.clone());
    }
    let json = match descriptors.as_slice() {
        // Nothing described: the errors on stderr say why; stdout stays empty.
        [] => String::new(),
        [one] => one.to_json(),
        many => {
            let mut text = serde_json::to_string_pretty(many).map_err(|e| e.to_string())?;
            text.push('\n');
            text
        }
    };
    print!("{json}");
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints every diagnostic and the summary table; returns whether any page failed.
fn report(builds: &[parse::ProviderBuild], quiet: bool) -> bool {
    for build in builds {
        for d in &build.diagnostics {
            if !quiet || d.is_error() {
                eprintln!("{d}");
            }
        }
    }
    let name_width = builds
        .iter()
        .map(|b| b.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    eprintln!();
    eprintln!(
        "{:<name_width$}  {:>5}  {:>9}  {:>8}  {:>6}",
        "provider", "pages", "endpoints", "warnings", "errors"
    );
    let mut totals = [0usize; 4];
    for b in builds {
        let row = [
            b.pages,
            b.endpoints(),
            b.count(Severity::Warning),
            b.count(Severity::Error),
        ];
        eprintln!(
            "{:<name_width$}  {:>5}  {:>9}  {:>8}  {:>6}",
            b.name, row[0], row[1], row[2], row[3]
        );
        for (t, r) in totals.iter_mut().zip(row) {
            *t += r;
        }
    }
    eprintln!(
        "{:<name_width$}  {:>5}  {:>9}  {:>8}  {:>6}",
        "total", totals[0], totals[1], totals[2], totals[3]
    );
    totals[3] > 0
}

fn write_atomically(path: &Path, content: &str) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, content).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}
