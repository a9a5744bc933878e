//! Describe time against nesting depth: a page whose table sits inside N nested blocks, for N
//! ten times larger each step up to the readers' depth limit, as HTML, as a Markdown page with
//! an HTML block, and as HTML wrapped in JSON. Linear readers take about 10× the time for 10×
//! the nesting (html5ever's tree building is quadratic in the depth, which the readers' depth limit of 512
//! keeps small: 16k nested `<div>`s once took 28 s).
//! Also prints how fast a page beyond the limit is refused. Run with
//! `cargo bench -p authgen-descriptor --bench nesting`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use authgen_descriptor::parse::describe_text;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TABLE: &str = "<p>POST https://api.example.com/oauth/token</p><table><tr><th>参数</th><th>必填</th><th>说明</th></tr><tr><td>appid</td><td>是</td><td>应用</td></tr></table><pre>{\"access_token\": \"t\", \"expires_in\": 7200}</pre>";

fn nested_html(depth: usize) -> String {
    format!(
        "<html><body>{}{TABLE}{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

fn page(kind: &str, depth: usize) -> (String, &'static str) {
    let html = nested_html(depth);
    match kind {
        "html" => (html, "html"),
        "markdown" => (format!("# Token\n\n{html}\n"), "md"),
        _ => (
            serde_json::json!({"title": "Token", "__html": html}).to_string(),
            "json",
        ),
    }
}

/// The median of `rounds` timings of describing `text`.
fn time(text: &str, extension: &str, rounds: usize) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            black_box(describe_text("p", Some(extension), black_box(text)));
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// html5ever's own full parse of the same HTML into its reference DOM: the floor under the readers.
fn time_html5ever(html: &str, rounds: usize) -> Duration {
    use html5ever::tendril::TendrilSink;
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            let dom =
                html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
                    .one(black_box(html));
            black_box(dom);
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    println!("describe time against nesting depth (median of 9 runs)");
    for kind in ["html", "markdown", "json-wrapped html"] {
        let mut previous: Option<Duration> = None;
        for depth in [5, 50, 500] {
            let (text, extension) = page(kind, depth);
            let t = time(&text, extension, 9);
            let growth = previous.map_or(String::new(), |p| {
                format!("  ×{:.1} for ×10 depth", t.as_secs_f64() / p.as_secs_f64())
            });
            let floor = time_html5ever(&nested_html(depth), 9);
            println!(
                "{kind:<18} depth {depth:>5}: {:>9.1} µs{growth}   (html5ever alone: {:.1} µs)",
                t.as_secs_f64() * 1e6,
                floor.as_secs_f64() * 1e6
            );
            previous = Some(t);
        }
    }
    for depth in [100_000, 1_000_000] {
        let (text, extension) = page("html", depth);
        let t = time(&text, extension, 3);
        println!(
            "html depth {depth:>9} (beyond the limit, refused): {:.1} ms for {} MB",
            t.as_secs_f64() * 1e3,
            text.len() / 1_000_000
        );
    }
}
