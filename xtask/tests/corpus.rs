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
