//! Pages → descriptors over a generated corpus of 1,000 pages (the five seeds with variations),
//! against pulldown-cmark's bare parse of the same bytes, in the same run. Prints both and the
//! ratio. Run with `cargo bench -p authgen-descriptor --bench pages`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use authgen_descriptor::parse::describe_text;
use pulldown_cmark::{Options, Parser};

// The allocator `cargo xtask` runs with, so the pipeline is measured as users run it; the
// baseline parse runs under the same allocator in the same process.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Variants per seed page; `PAGES_BENCH_VARIANTS` lowers it for profiling runs.
const VARIANTS: usize = 200;
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
    let corpus: Vec<(String, &str)> = seeds
        .iter()
        .flat_map(|(path, ext)| {
            let page = std::fs::read_to_string(specs.join(path)).unwrap();
            (0..variants).map(move |i| (vary(&page, i), *ext))
        })
        .collect();
    let bytes: usize = corpus.iter().map(|(t, _)| t.len()).sum();
    if let Some(path) = std::env::var_os("PAGES_BENCH_DUMP") {
        // Every page's full outcome, to diff before and after a change that must not alter output.
        let dump: String = corpus
            .iter()
            .map(|(t, ext)| format!("{:#?}\n", describe_text("bench", Some(ext), t)))
            .collect();
        std::fs::write(path, dump).unwrap();
    }
    let endpoints: usize = corpus
        .iter()
        .map(|(t, ext)| {
            describe_text("bench", Some(ext), t)
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
    for _ in 0..env_count("PAGES_BENCH_ROUNDS", ROUNDS) {
        let start = Instant::now();
        for (text, ext) in &corpus {
            black_box(describe_text("bench", Some(ext), text));
        }
        ours.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        for (text, _) in &corpus {
            black_box(Parser::new_ext(text, Options::ENABLE_TABLES).count());
        }
        bare.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let ratios: Vec<f64> = ours.iter().zip(&bare).map(|(a, b)| a / b).collect();
    let (low, high) = ratios
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), r| (l.min(*r), h.max(*r)));
    let ratio = median(ratios);
    let (a, b) = (median(ours), median(bare));
    if std::env::var_os("PAGES_BENCH_STAGES").is_some() {
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
        "pages->descriptors: {a:.1} ms   pulldown-cmark parse: {b:.1} ms   ratio: {ratio:.2}x (rounds {low:.2}-{high:.2}; target <= 5x)"
    );
}
