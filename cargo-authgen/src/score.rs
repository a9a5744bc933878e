//! `score`: pages against their expected facts, per page and in total.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use authgen_descriptor::parse;
use authgen_descriptor::score::{self, ExpectedPage, PageScore};

/// One scored page.
pub struct Scored {
    /// Its score.
    pub score: PageScore,
    /// Errors the readers reported (a page without a descriptor must say why).
    pub errors: usize,
}

/// Scores every page under `paths`; prints a line per page (with misses unless `quiet`) and the
/// total. Fails only when a page or its expected file cannot be read.
pub fn score(
    paths: &[PathBuf],
    quiet: bool,
    check_floor: Option<&Path>,
    write_floor: Option<&Path>,
) -> Result<ExitCode, String> {
    let pages = collect_pages(paths)?;
    if pages.is_empty() {
        return Err("no pages with an expected file found".into());
    }
    let mut all = Vec::new();
    for page in &pages {
        let scored = score_page(page)?;
        let s = &scored.score;
        println!(
            "{:<52} {:>3}/{:<3} {:>5.1}%  spurious {:<2} conflicts {:<2}{}",
            page.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
            s.got,
            s.total,
            s.ratio() * 100.0,
            s.spurious.len(),
            s.conflicts,
            if scored.errors > 0 {
                format!(" errors {}", scored.errors)
            } else {
                String::new()
            }
        );
        if !quiet {
            print!("{}", s.details());
        }
        all.push((page.clone(), scored));
    }
    let all_scored: Vec<&Scored> = all.iter().map(|(_, s)| s).collect();
    let got: usize = all_scored.iter().map(|s| s.score.got).sum();
    let total: usize = all_scored.iter().map(|s| s.score.total).sum();
    let lowest = all_scored
        .iter()
        .map(|s| s.score.ratio())
        .fold(f64::INFINITY, f64::min);
    println!();
    println!("pages: {}; lowest page {:.1}%", all.len(), lowest * 100.0);
    println!(
        "total: {got}/{total} facts ({:.1}%)",
        if total == 0 {
            100.0
        } else {
            got as f64 * 100.0 / total as f64
        }
    );
    let name = |p: &Path| {
        p.file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
    };
    if let Some(file) = write_floor {
        let mut text = String::from(
            "# Facts found per corpus page: `score --check-floor` fails below these.\n# Raise with `score --write-floor corpus/FLOOR` after an improvement.\n",
        );
        for (page, s) in &all {
            text.push_str(&format!("{} {}\n", name(page), s.score.got));
        }
        std::fs::write(file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        eprintln!("floor written to {}", file.display());
    }
    if let Some(file) = check_floor {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let mut below = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (page, floor) = line
                .rsplit_once(' ')
                .and_then(|(p, f)| Some((p, f.parse::<usize>().ok()?)))
                .ok_or_else(|| {
                    format!(
                        "{}:{}: expected `<page> <facts>`",
                        file.display(),
                        number + 1
                    )
                })?;
            match all.iter().find(|(p, _)| name(p) == page) {
                Some((_, s)) if s.score.got < floor => {
                    below.push(format!("{page}: {} facts, floor {floor}", s.score.got));
                }
                Some(_) => {}
                None => below.push(format!(
                    "{page}: not scored (page or expected file missing)"
                )),
            }
        }
        if !below.is_empty() {
            for b in &below {
                eprintln!("below the floor: {b}");
            }
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("every page at or above its floor ({})", file.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a page and scores what `describe` makes of it.
pub fn score_page(page: &Path) -> Result<Scored, String> {
    let expected_path = expected_for(page).ok_or_else(|| {
        format!(
            "{}: no expected file (expected/<stem>.json)",
            page.display()
        )
    })?;
    let text = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("cannot read {}: {e}", expected_path.display()))?;
    let expected: ExpectedPage =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", expected_path.display()))?;
    let builds = parse::describe_pages(&[page.to_path_buf()]);
    let descriptors: Vec<_> = builds.iter().filter_map(|b| b.descriptor.clone()).collect();
    let errors = builds.iter().map(|b| b.count(parse::Severity::Error)).sum();
    Ok(Scored {
        score: score::score(&expected, &descriptors),
        errors,
    })
}

/// `<dir>/pages/<stem>.<ext>` → `<dir>/expected/<stem>.json`; also `expected/` beside the page.
fn expected_for(page: &Path) -> Option<PathBuf> {
    let stem = page.file_stem()?.to_string_lossy().into_owned();
    let dir = page.parent()?;
    [
        dir.parent().map(|p| p.join("expected")),
        Some(dir.join("expected")),
    ]
    .into_iter()
    .flatten()
    .map(|d| d.join(format!("{stem}.json")))
    .find(|p| p.is_file())
}

/// Pages named directly, and every file with an expected twin in the folders named (a corpus
/// folder's `pages/` is looked into).
pub fn collect_pages(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut pages = Vec::new();
    for path in paths {
        if path.is_file() {
            pages.push(path.clone());
            continue;
        }
        let dir = if path.join("pages").is_dir() {
            path.join("pages")
        } else {
            path.clone()
        };
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && expected_for(p).is_some())
            .collect();
        found.sort();
        pages.extend(found);
    }
    Ok(pages)
}
