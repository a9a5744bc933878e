//! The corpus of real-style token pages (`corpus/`): every page scores at least its floor
//! (`corpus/FLOOR`), and every page either yields a descriptor or says, with file and line, what
//! it could not find. Nothing panics.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run xtask")
}

#[test]
fn every_corpus_page_scores_at_least_its_floor() {
    let out = xtask(&["score", "corpus", "-q", "--check-floor", "corpus/FLOOR"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("total: "), "{stdout}");
}

#[test]
fn every_corpus_page_yields_a_descriptor_or_says_why_not() {
    let pages = std::fs::read_dir(root().join("corpus/pages")).unwrap();
    let mut checked = 0;
    for page in pages {
        let page = page.unwrap().path();
        let relative = page
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let out = xtask(&["describe", &relative]);
        assert_ne!(out.status.code(), Some(101), "{relative} panicked");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let empty = stdout.trim().is_empty() || stdout.trim() == "[]";
        if empty {
            // `file:line: error: …`
            assert!(
                stderr
                    .lines()
                    .any(|l| l.starts_with(&format!("{relative}:")) && l.contains("error")),
                "{relative}: no descriptor and no located error:\n{stderr}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 45, "the corpus holds {checked} pages");
}

#[test]
fn every_corpus_descriptor_generates_code_that_parses() {
    let pages = std::fs::read_dir(root().join("corpus/pages")).unwrap();
    let mut failures = Vec::new();
    for page in pages {
        let page = page.unwrap().path();
        for build in authgen_descriptor::parse::describe_pages(std::slice::from_ref(&page)) {
            let Some(descriptor) = build.descriptor else {
                continue;
            };
            let result = std::panic::catch_unwind(|| {
                authgen_descriptor::codegen::embedded_file(&descriptor, "corpus.json")
            });
            match result {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => failures.push(format!("{}: {e}", page.display())),
                Err(_) => failures.push(format!("{}: the generator panicked", page.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The lenient, schema-agnostic scorer the corpus came with (`corpus/score.py`, from
/// `../shared/corpus/`) agrees with ours: at least 90% of the 20 shared pages' facts.
#[test]
fn the_shared_scorer_finds_at_least_ninety_percent_on_the_shared_pages() {
    let (mut got, mut total) = (0u32, 0u32);
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-score");
    std::fs::create_dir_all(&tmp).unwrap();
    for n in 1..=20 {
        let prefix = format!("{n:02}_");
        let page = std::fs::read_dir(root().join("corpus/pages"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&prefix)
            })
            .unwrap();
        let stem = page.file_stem().unwrap().to_string_lossy().into_owned();
        let relative = page
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let described = xtask(&["describe", &relative]);
        let json = tmp.join(format!("{stem}.json"));
        std::fs::write(&json, &described.stdout).unwrap();
        let out = Command::new("python3")
            .arg(root().join("corpus/score.py"))
            .arg(root().join(format!("corpus/expected/{stem}.json")))
            .arg(&json)
            .output()
            .expect("python3 runs corpus/score.py");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let last = stdout.lines().last().unwrap_or("");
        let (g, t) = last
            .trim_start_matches("score: ")
            .split_once('/')
            .map(|(g, t)| (g.parse::<u32>().unwrap(), t.trim().parse::<u32>().unwrap()))
            .unwrap_or_else(|| panic!("{stem}: {stdout}"));
        got += g;
        total += t;
    }
    assert!(got * 10 >= total * 9, "score.py: {got}/{total}");
}
