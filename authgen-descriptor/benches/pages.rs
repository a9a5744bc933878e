//! Pages → descriptors over a generated corpus of about 1,000 pages (the five seeds and every
//! corpus page, with variations), against the bare parse of the same bytes by the parsers the
//! readers build on (html5ever's full parse into its reference DOM for HTML, serde_json for
//! JSON, pulldown-cmark for Markdown plus html5ever for its raw HTML blocks, pulldown-cmark for
//! other text), in the same run; also against the stricter baseline with html5ever's tokenizer
//! alone, and against pulldown-cmark alone over every page. Prints the times and the ratios. Run with `cargo bench -p authgen-descriptor --bench pages`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use authgen_descriptor::parse::describe_text;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer};
use pulldown_cmark::{Options, Parser};

// The allocator `cargo xtask` runs with, so the pipeline is measured as users run it; the
// baseline parse runs under the same allocator in the same process.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Variants per seed page; `PAGES_BENCH_VARIANTS` lowers it for profiling runs.
const VARIANTS: usize = 100;
/// Variants per corpus page.
const CORPUS_VARIANTS: usize = 10;
/// Timed rounds, each timing both sides back to back (medians are reported, and the median of
/// the rounds' ratios, which a machine slowing down or speeding up mid-run disturbs least);
/// `PAGES_BENCH_ROUNDS` changes it.
const ROUNDS: usize = 15;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// One variation of a page: renamed parameters, other hosts and paths, flipped required markers,
/// English headers, duplicated rows.
// `is_multiple_of` is newer than the workspace's rust-version (1.85).
#[allow(clippy::manual_is_multiple_of)]
fn vary(page: &str, i: usize) -> String {
    let mut text = page
        .replace("client_id", &format!("client_id_{i}"))
        .replace("appSecret", &format!("appSecret{i}"))
        .replace("app_id", &format!("app_id_{i}"))
        .replace("ebaas.com", &format!("ebaas{i}.com"))
        .replace("/oauth/", &format!("/oauth/v{}/", i % 7))
        .replace("/service/", &format!("/service{}/", i % 5));
    if i % 2 == 0 {
        text = text.replace("| 是 ", "| 否 ").replace("True", "False");
    }
    if i % 3 == 0 {
        text = text
            .replace("参数描述", "Description")
            .replace("是否必填", "Required")
            .replace("字段说明", "Description");
    }
    if i % 4 == 0 {
        // Duplicate the first table row of each pipe table.
        text = text.replace(
            "| access_token |",
            "| access_token |    是    | String |          | copy |        |\n| access_token |",
        );
    }
    if i % 5 == 0 {
        text.push_str(&format!(
            "\n\n## 附录 {i}\n\n| 错误码 | 描述 |\n|---|---|\n| E{i} | 错误{i} |\n"
        ));
    }
    text
}

/// A tokenizer sink that keeps nothing: html5ever's bare parse.
struct Discard;

impl TokenSink for Discard {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        black_box(&token);
        TokenSinkResult::Continue
    }
}

/// html5ever's full parse into its own reference DOM: the bare parse the HTML reader builds on.
fn parse_html(text: &str) {
    use html5ever::tendril::TendrilSink;
    let dom = html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
        .one(text);
    black_box(&dom.document);
}

fn tokenize_html(text: &str) {
    let tokenizer = Tokenizer::new(Discard, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
}

/// The bare parse a reader of this page builds on: html5ever's full parse (`tree`) or, stricter,
/// its tokenizer alone, for HTML.
fn bare_parse_with(text: &str, ext: &str, tree: bool) {
    let html = |t: &str| {
        if tree {
            parse_html(t)
        } else {
            tokenize_html(t)
        }
    };
    if ext == "html" {
        html(text);
    } else if ext == "json" {
        let value: Option<serde_json::Value> = serde_json::from_str(text).ok();
        // A JSON-wrapped HTML page: the wrapper, then the HTML inside.
        if let Some(page) = value
            .as_ref()
            .and_then(|v| v.get("__html"))
            .and_then(|h| h.as_str())
        {
            html(page);
        }
        black_box(value);
    } else {
        // Markdown: pulldown-cmark, and html5ever for the raw HTML blocks it hands over (the
        // Markdown reader reads those with the HTML reader).
        let mut blocks = String::new();
        for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
            if let pulldown_cmark::Event::Html(h) = &event {
                blocks.push_str(h);
            }
            black_box(&event);
        }
        if !blocks.is_empty() {
            html(&blocks);
        }
    }
}

fn bare_parse(text: &str, ext: &str) {
    bare_parse_with(text, ext, true);
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let seeds = [
        ("ebaas/get-service-ticket.md", "md"),
        ("ebaas/get-access-token.json", "json"),
        ("appauth/access-token.md", "md"),
        ("anyweb/service-token.mdx", "mdx"),
        ("coupang/token.md", "md"),
    ];
    let variants = env_count("PAGES_BENCH_VARIANTS", VARIANTS);
    // `PAGES_BENCH_SEED=appauth` keeps only the seeds whose path contains it (for profiling).
    let only = std::env::var("PAGES_BENCH_SEED").unwrap_or_default();
    let seeds: Vec<_> = seeds
        .iter()
        .filter(|(path, _)| path.contains(&only))
        .collect();
    let mut corpus: Vec<(String, String)> = seeds
        .iter()
        .flat_map(|(path, ext)| {
            let page = std::fs::read_to_string(specs.join(path)).unwrap();
            (0..variants).map(move |i| (vary(&page, i), (*ext).to_owned()))
        })
        .collect();
    if only.is_empty() {
        let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/pages");
        let mut files: Vec<_> = std::fs::read_dir(pages)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let ext = file
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_owned();
            let page = std::fs::read_to_string(&file).unwrap();
            for i in 0..env_count("PAGES_BENCH_CORPUS_VARIANTS", CORPUS_VARIANTS) {
                corpus.push((vary(&page, i), ext.clone()));
            }
        }
    }
    let bytes: usize = corpus.iter().map(|(t, _)| t.len()).sum();
    if let Some(path) = std::env::var_os("PAGES_BENCH_DUMP") {
        // Every page's full outcome, to diff before and after a change that must not alter output.
        let dump: String = corpus
            .iter()
            .map(|(t, ext)| format!("{:#?}\n", describe_text("bench", Some(ext.as_str()), t)))
            .collect();
        std::fs::write(path, dump).unwrap();
    }
    let endpoints: usize = corpus
        .iter()
        .map(|(t, ext)| {
            describe_text("bench", Some(ext.as_str()), t)
                .0
                .map_or(0, |(e, _)| e.len())
        })
        .sum();
    assert!(
        endpoints >= corpus.len(),
        "every variant still yields its endpoints ({endpoints})"
    );

    let mut ours = Vec::new();
    let mut bare = Vec::new();
    let mut pulldown = Vec::new();
    let mut tokens = Vec::new();
    for _ in 0..env_count("PAGES_BENCH_ROUNDS", ROUNDS) {
        let start = Instant::now();
        for (text, ext) in &corpus {
            black_box(describe_text("bench", Some(ext.as_str()), text));
        }
        ours.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        for (text, ext) in &corpus {
            bare_parse(text, ext);
        }
        bare.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        for (text, _) in &corpus {
            black_box(Parser::new_ext(text, Options::ENABLE_TABLES).count());
        }
        pulldown.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        for (text, ext) in &corpus {
            bare_parse_with(text, ext, false);
        }
        tokens.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let ratios: Vec<f64> = ours.iter().zip(&bare).map(|(a, b)| a / b).collect();
    let (low, high) = ratios
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), r| (l.min(*r), h.max(*r)));
    let ratio = median(ratios);
    let pulldown_ratio = median(ours.iter().zip(&pulldown).map(|(a, b)| a / b).collect());
    let token_ratio = median(ours.iter().zip(&tokens).map(|(a, b)| a / b).collect());
    let tokens_ms = median(tokens.clone());
    let (a, b, c) = (median(ours), median(bare), median(pulldown));
    if std::env::var_os("PAGES_BENCH_STAGES").is_some() {
        // Over the whole corpus, by extension: reading alone, reading and extraction, bare parse.
        let mut exts: Vec<&str> = corpus.iter().map(|(_, e)| e.as_str()).collect();
        exts.sort_unstable();
        exts.dedup();
        for ext in exts {
            let pages: Vec<&(String, String)> = corpus.iter().filter(|(_, e)| e == ext).collect();
            let time = |f: &dyn Fn(&str, &str)| {
                let start = Instant::now();
                for (text, ext) in &pages {
                    f(text, ext);
                }
                start.elapsed().as_secs_f64() * 1000.0
            };
            let read = time(&|t, e| {
                black_box(authgen_descriptor::parse::read::read_page("bench", Some(e), t).ok());
            });
            let full = time(&|t, e| {
                black_box(describe_text("bench", Some(e), t));
            });
            let bare = time(&|t, e| bare_parse(t, e));
            println!(
                "{ext} ({} pages): read {read:.1} ms, read+extract {full:.1} ms, bare {bare:.1} ms ({:.1}x)",
                pages.len(),
                full / bare
            );
        }
        // Per seed: reading alone, reading and extraction, and pulldown's parse of the same pages.
        for (seed, chunk) in seeds.iter().zip(corpus.chunks(variants)) {
            let time = |f: &dyn Fn(&str, &str)| {
                let start = Instant::now();
                for (text, ext) in chunk {
                    f(text, ext);
                }
                start.elapsed().as_secs_f64() * 1000.0
            };
            let read = time(&|t, e| {
                black_box(authgen_descriptor::parse::read::read_page("bench", Some(e), t).ok());
            });
            let full = time(&|t, e| {
                black_box(describe_text("bench", Some(e), t));
            });
            let bare = time(&|t, _| {
                black_box(Parser::new_ext(t, Options::ENABLE_TABLES).count());
            });
            println!(
                "{}: read {read:.1} ms, read+extract {full:.1} ms, pulldown {bare:.1} ms ({:.1}x)",
                seed.0,
                full / bare
            );
        }
    }
    println!(
        "corpus: {} pages, {:.1} KiB, {endpoints} endpoints",
        corpus.len(),
        bytes as f64 / 1024.0
    );
    println!(
        "pages->descriptors: {a:.1} ms   bare parse by the readers' parsers (html5ever into its reference DOM, serde_json, pulldown-cmark): {b:.1} ms   ratio: {ratio:.2}x (rounds {low:.2}-{high:.2}; target <= 3x)"
    );
    println!(
        "pages->descriptors vs the same with html5ever's tokenizer alone for HTML ({tokens_ms:.1} ms): {token_ratio:.2}x"
    );
    println!(
        "pages->descriptors vs pulldown-cmark alone over every page ({c:.1} ms): {pulldown_ratio:.2}x"
    );
}
