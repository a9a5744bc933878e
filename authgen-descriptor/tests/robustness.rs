//! Bad input never panics: arbitrary bytes and arbitrary mutations of the seed pages go through
//! every reader and through extraction (10,000+ cases per `cargo test`). Every error a page gets
//! names that page and a line.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use authgen_descriptor::parse::describe_text;
use authgen_descriptor::parse::read::READERS;
use proptest::prelude::*;
use proptest::test_runner::Config;

const EXTENSIONS: [Option<&str>; 6] = [
    Some("md"),
    Some("mdx"),
    Some("html"),
    Some("json"),
    Some("txt"),
    None,
];

fn seeds() -> Vec<String> {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    [
        "ebaas/get-service-ticket.md",
        "ebaas/get-access-token.json",
        "appauth/access-token.md",
        "anyweb/service-token.mdx",
        "coupang/token.md",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(specs.join(p)).unwrap())
    .collect()
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Runs every reader and every extension's full pipeline; checks each error's location.
fn exercise(text: &str) {
    for reader in READERS {
        let _ = reader.read("page", text);
    }
    for extension in EXTENSIONS {
        let (_, _, diagnostics) = describe_text("page", extension, text);
        for d in diagnostics {
            assert!(
                d.source.page.starts_with("page"),
                "diagnostic names another page: {d}"
            );
            assert!(d.source.line >= 1, "line numbers start at 1: {d}");
        }
    }
}

/// Tokens that mean something to one reader or another.
fn structural() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("|".to_owned()),
        Just("\n|---|---|\n".to_owned()),
        Just("<table>".to_owned()),
        Just("</td>".to_owned()),
        Just("<tr><td style=\"padding-left: 99999999999px\">├─ x</td></tr>".to_owned()),
        Just("```".to_owned()),
        Just(":::".to_owned()),
        Just("<TabItem label=\"".to_owned()),
        Just("{\"__html\":".to_owned()),
        Just("\n".to_owned()),
        Just("：".to_owned()),
        Just("**Path：** /".to_owned()),
        Just("* 请求类型 : POST\n".to_owned()),
        Just("正常(".to_owned()),
        Just("\"expired\": \"9999-99-99 99:99:99\"".to_owned()),
        "\\PC{0,8}",
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, String),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..200).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 0usize..200).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        (any::<usize>(), structural()).prop_map(|(a, s)| Mutation::Insert(a, s)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// The char boundary at or below `at`, clamped to the text.
fn clamp(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The nearest char boundary at or below `at` (wrapped into the text).
fn boundary(text: &str, at: usize) -> usize {
    let mut at = if text.is_empty() {
        0
    } else {
        at % (text.len() + 1)
    };
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(mut text: String, mutations: &[Mutation]) -> String {
    for m in mutations {
        match m {
            Mutation::Delete(a, n) => {
                let start = boundary(&text, *a);
                let end = clamp(&text, start.saturating_add(*n));
                text.replace_range(start..end, "");
            }
            Mutation::Duplicate(a, n) => {
                let start = boundary(&text, *a);
                let end = clamp(&text, start.saturating_add(*n));
                let piece = text[start..end].to_owned();
                text.insert_str(end, &piece);
            }
            Mutation::Insert(a, s) => {
                let at = boundary(&text, *a);
                text.insert_str(at, s);
            }
            Mutation::Truncate(a) => {
                let at = boundary(&text, *a);
                text.truncate(at);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(config(2_500))]
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }
}

proptest! {
    #![proptest_config(config(2_500))]
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        exercise(&text);
    }
}

proptest! {
    #![proptest_config(config(3_000))]
    #[test]
    fn mutated_seed_pages_never_panic(seed in 0usize..5, mutations in proptest::collection::vec(mutation(), 1..6)) {
        let page = seeds().swap_remove(seed);
        exercise(&apply(page, &mutations));
    }
}

proptest! {
    #![proptest_config(config(2_000))]
    #[test]
    fn mutated_html_inside_the_json_wrapper_never_panics(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let wrapper: serde_json::Value = serde_json::from_str(&seeds()[1]).unwrap();
        let html = wrapper["__html"].as_str().unwrap().to_owned();
        let mutated = serde_json::json!({"__html": apply(html, &mutations)}).to_string();
        exercise(&mutated);
    }
}
