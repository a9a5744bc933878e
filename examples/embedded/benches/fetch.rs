//! One token fetch through the generated client (parameter encoding, envelope check, typed
//! decode) against a hand-written reqwest call to the same fake endpoint. Prints both and the
//! ratio. Run with `cargo bench -p embedded-clients --bench fetch`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use auth_runtime::SecretString;
use embedded_clients::coupang;
use fake_providers::{Config, FakeProviders, credentials as c};

const CALLS: u32 = 2_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let fake = FakeProviders::start(Config::default()).await.unwrap();
        let generated = coupang::Coupang { app_id: c::COUPANG_APP_ID.into(), app_secret: SecretString::from(c::COUPANG_APP_SECRET) }
            .with_base_url(&fake.base_url())
            .unwrap();
        let http = reqwest::Client::new();
        let url = fake.url("/oauth/token/get");
        let body = serde_json::json!({"app_id": c::COUPANG_APP_ID, "app_secret": c::COUPANG_APP_SECRET});

        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for _ in 0..7 {
            let start = Instant::now();
            for _ in 0..CALLS {
                let response = generated.get_token().await.unwrap();
                black_box(response.access_token);
            }
            ours.push(start.elapsed().as_nanos() as f64 / f64::from(CALLS) / 1000.0);

            let start = Instant::now();
            for _ in 0..CALLS {
                let response: serde_json::Value = http.post(&url).json(&body).send().await.unwrap().json().await.unwrap();
                assert_eq!(response["statusCode"], 200);
                black_box(response["accessToken"].as_str().map(str::len));
            }
            theirs.push(start.elapsed().as_nanos() as f64 / f64::from(CALLS) / 1000.0);
        }
        ours.sort_by(f64::total_cmp);
        theirs.sort_by(f64::total_cmp);
        let (a, b) = (ours[3], theirs[3]);
        println!("one fetch, µs per call (median of 7 rounds of {CALLS} calls)");
        println!("generated client {a:.1} µs   hand-written reqwest {b:.1} µs   ratio {:.2}x (target <= 1.1x)", a / b);
    });
}
