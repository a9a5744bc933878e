//! Several OS processes, one redis-server, one fake provider that invalidates the previous token
//! on every fetch: one fetch per refresh across the fleet, no task ever handed a token that was
//! already superseded, a dead lease holder taken over, and Redis going away and coming back.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use common::*;
use fake_providers::{IssuedRecord, Provider};
use fleet::Report;

const PROCESSES: usize = 4;
/// The least time between two fetches of one fleet sharing 2 s tokens (refreshed after 1 s).
const MIN_GAP_MS: i64 = 400;

/// Every token a task received was issued by the fake, and was asked for before the fetch that
/// superseded it (asks and issues are read off the same machine clock).
fn assert_never_superseded(reports: &[Report], history: &[IssuedRecord]) {
    let by_value: HashMap<&str, &IssuedRecord> =
        history.iter().map(|r| (r.value.as_str(), r)).collect();
    for (i, report) in reports.iter().enumerate() {
        for receipt in &report.receipts {
            let issued = by_value
                .get(receipt.value.as_str())
                .unwrap_or_else(|| panic!("worker {i} received a token the fake never issued"));
            if let Some(superseded) = issued.superseded_at {
                assert!(
                    receipt.last_asked_ms <= unix_ms(superseded),
                    "worker {i} was handed a token {} ms after a newer one superseded it",
                    receipt.last_asked_ms - unix_ms(superseded)
                );
            }
        }
    }
}

/// Gaps between consecutive issues, in ms.
fn gaps_ms(history: &[IssuedRecord], from: SystemTime) -> Vec<i64> {
    let times: Vec<i64> = history
        .iter()
        .filter(|r| r.issued_at >= from)
        .map(|r| unix_ms(r.issued_at))
        .collect();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_fetch_once_per_refresh_and_never_hand_out_a_superseded_token() {
    let Some(redis) = redis_url("four_processes_fetch_once_per_refresh") else {
        return;
    };
    // 2 s tokens are refreshed at half their life (the floor of the refresh policy): every 1 s.
    let fake = invalidating_fake(Duration::from_secs(2)).await;
    let prefix = unique_prefix("fleet");
    let run_ms = 4500;
    let workers: Vec<_> = (0..PROCESSES)
        .map(|_| {
            spawn_worker(
                &fake,
                &redis,
                &prefix,
                &["--tasks", "100", "--run-ms", &run_ms.to_string()],
            )
        })
        .collect();
    let mut reports = Vec::new();
    for worker in workers {
        reports.push(report(worker).await);
    }

    for (i, r) in reports.iter().enumerate() {
        assert_eq!(r.errors, 0, "worker {i} errors: {:?}", r.error_samples);
        assert!(!r.degraded, "worker {i} lost Redis");
        assert!(
            r.receipts.len() >= 3,
            "worker {i} saw the token refreshed: {} tokens",
            r.receipts.len()
        );
    }
    let history = fake.history(Provider::Appauth);
    assert_eq!(
        fake.count(TOKEN_PATH) as usize,
        history.len(),
        "every request issued one token"
    );
    let fleet_fetches: u64 = reports.iter().map(|r| r.fetches).sum();
    assert_eq!(
        fleet_fetches as usize,
        history.len(),
        "the fake saw each of the fleet's fetches"
    );
    // One fetch per refresh period. Refreshes are 1 s after the previous fetch *started*, so
    // issues are 1 s apart give or take the fetch latency (hundreds of ms while four processes
    // start on two cores); a second fetch for the same expiry would follow within milliseconds.
    for gap in gaps_ms(&history, SystemTime::UNIX_EPOCH) {
        assert!(
            gap >= MIN_GAP_MS,
            "two fetches {gap} ms apart: {history:#?}"
        );
    }
    assert!(
        history.len() <= run_ms / 1000 + 2,
        "{} fetches in {run_ms} ms",
        history.len()
    );
    assert_never_superseded(&reports, &history);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_lease_holder_is_taken_over_after_its_lease_lapses() {
    let Some(redis) = redis_url("a_killed_lease_holder_is_taken_over") else {
        return;
    };
    let fake = invalidating_fake(Duration::from_secs(60)).await;
    let prefix = unique_prefix("takeover");
    // The first fetch hangs: its process holds the lease and dies with it.
    fake.faults()
        .slow(Some(TOKEN_PATH), 1, Duration::from_secs(60));
    let lease = ["--lease-ttl-ms", "1500", "--lease-wait-ms", "10000"];
    let mut holder = spawn_worker(
        &fake,
        &redis,
        &prefix,
        &[&["--tasks", "10", "--run-ms", "20000"][..], &lease[..]].concat(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.count(TOKEN_PATH) == 0 {
        assert!(Instant::now() < deadline, "the holder never fetched");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let killed_at = SystemTime::now();
    holder.kill().unwrap();
    holder.wait().unwrap();

    let others: Vec<_> = (0..2)
        .map(|_| {
            spawn_worker(
                &fake,
                &redis,
                &prefix,
                &[&["--tasks", "100", "--run-ms", "4000"][..], &lease[..]].concat(),
            )
        })
        .collect();
    let mut reports = Vec::new();
    for worker in others {
        reports.push(report(worker).await);
    }
    for (i, r) in reports.iter().enumerate() {
        assert_eq!(r.errors, 0, "worker {i} errors: {:?}", r.error_samples);
        assert_eq!(r.receipts.len(), 1, "worker {i} got the one token");
        // It waited for the dead holder's lease to lapse rather than fetching beside it.
        assert!(r.receipts[0].first_asked_ms >= unix_ms(killed_at));
    }
    assert_eq!(
        reports[0].receipts[0].value, reports[1].receipts[0].value,
        "both share it"
    );
    assert_eq!(
        fake.count(TOKEN_PATH),
        2,
        "the hung fetch and one take-over"
    );
    let history = fake.history(Provider::Appauth);
    assert_eq!(history.len(), 1, "only the take-over issued a token");
    assert!(
        unix_ms(history[0].issued_at) >= unix_ms(killed_at) + 1000,
        "the take-over waited for the lease (1.5 s from the hung fetch) to lapse"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_going_away_fails_open_with_bounded_fetches_and_is_used_again_after_restart() {
    let Some(mut server) = RedisServer::start("redis_going_away_fails_open") else {
        return;
    };
    let fake = invalidating_fake(Duration::from_secs(2)).await;
    let prefix = unique_prefix("outage");
    let url = server.url();
    let run_ms: u64 = 8000;
    let started = SystemTime::now();
    let workers: Vec<_> = (0..PROCESSES)
        .map(|_| {
            spawn_worker(
                &fake,
                &url,
                &prefix,
                &[
                    "--tasks",
                    "100",
                    "--run-ms",
                    &run_ms.to_string(),
                    "--redis-timeout-ms",
                    "100",
                ],
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill();
    tokio::time::sleep(Duration::from_millis(2000)).await;
    server.restart();
    let restarted = SystemTime::now();
    let mut reports = Vec::new();
    for worker in workers {
        reports.push(report(worker).await);
    }

    for (i, r) in reports.iter().enumerate() {
        assert_eq!(
            r.errors, 0,
            "worker {i}: no token call failed: {:?}",
            r.error_samples
        );
        assert!(!r.degraded, "worker {i} uses Redis again at the end");
        // Bounded: at most one fetch per refresh period (1 s) of the whole run, plus the first.
        assert!(
            r.fetches <= run_ms / 1000 + 2,
            "worker {i} fetched {} times",
            r.fetches
        );
    }
    let history = fake.history(Provider::Appauth);
    assert_eq!(fake.count(TOKEN_PATH) as usize, history.len());
    // During the outage every process fetched for itself ...
    let outage: Vec<_> = history
        .iter()
        .filter(|r| r.issued_at > started + Duration::from_millis(1600) && r.issued_at < restarted)
        .collect();
    assert!(
        outage.len() >= PROCESSES,
        "each process fetched on its own: {}",
        outage.len()
    );
    // ... and once they all use Redis again, the fleet is back to one fetch per refresh.
    let settled = restarted + Duration::from_millis(2500);
    let gaps = gaps_ms(&history, settled);
    assert!(!gaps.is_empty(), "fetches after recovery: {history:#?}");
    for gap in gaps {
        assert!(
            gap >= MIN_GAP_MS,
            "two fetches {gap} ms apart after recovery"
        );
    }
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!(
        keys.iter()
            .any(|k| k.starts_with(&format!("{prefix}:appauth:get_access_token:test:"))),
        "{keys:?}"
    );
}
