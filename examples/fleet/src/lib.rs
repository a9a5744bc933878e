//! Fleet mode in use: the generated appauth client with its tokens in Redis, and a worker that
//! hammers it from many tasks and reports which token each call received and when.
//!
//! The multi-process tests start several `fleet-worker` processes against one redis-server
//! and one fake provider; this library is what each of them runs.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::Duration;

use auth_runtime::{CachePolicy, Client, ClientConfig, RedisStore, SecretString};
use embedded_clients::appauth::{Appauth, AppauthClient};
use serde::{Deserialize, Serialize};

/// Any set-up error (client, store), displayed without secrets.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What one worker does.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// Base URL of the (fake) provider.
    #[arg(long)]
    pub base_url: String,
    /// Redis URL (`redis://127.0.0.1:PORT`).
    #[arg(long)]
    pub redis: String,
    /// Key prefix in Redis (one per test, so tests sharing a server do not meet).
    #[arg(long, default_value = "authgen")]
    pub prefix: String,
    /// Concurrent tasks asking for the token.
    #[arg(long, default_value_t = 100)]
    pub tasks: usize,
    /// How long the tasks keep asking.
    #[arg(long, default_value_t = 3000)]
    pub run_ms: u64,
    /// Pause between two asks of one task.
    #[arg(long, default_value_t = 2)]
    pub pause_ms: u64,
    /// Fleet lease lifetime.
    #[arg(long, default_value_t = 2000)]
    pub lease_ttl_ms: u64,
    /// Longest wait for another instance's fetch.
    #[arg(long, default_value_t = 10_000)]
    pub lease_wait_ms: u64,
    /// Bound on each Redis command.
    #[arg(long, default_value_t = 200)]
    pub redis_timeout_ms: u64,
}

/// One token as the worker's tasks received it. The values are the fake provider's tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The token.
    pub value: String,
    /// Unix ms at the start of the first ask that returned it.
    pub first_asked_ms: i64,
    /// Unix ms at the start of the last ask that returned it.
    pub last_asked_ms: i64,
    /// Asks that returned it.
    pub count: u64,
}

/// What a worker saw, printed as one JSON line when it ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Tokens received, by token.
    pub receipts: Vec<Receipt>,
    /// Asks that returned an error.
    pub errors: u64,
    /// A few of those errors, as displayed (they never contain secrets).
    pub error_samples: Vec<String>,
    /// Fetches this process started.
    pub fetches: u64,
    /// Whether the Redis store considered Redis unreachable at the end.
    pub degraded: bool,
}

/// The cache policy of the fleet tests: the provider invalidates the previous token on every
/// fetch, so the lease is required and due tokens are not served.
pub fn policy(args: &WorkerArgs) -> CachePolicy {
    CachePolicy {
        fetch_invalidates_previous: true,
        lease_ttl: Duration::from_millis(args.lease_ttl_ms),
        lease_wait: Duration::from_millis(args.lease_wait_ms),
        lease_poll: Duration::from_millis(10),
        ..CachePolicy::default()
    }
}

/// The generated appauth client over `store`.
pub fn appauth(
    base_url: &str,
    store: Arc<dyn auth_runtime::TokenStore>,
    policy: CachePolicy,
) -> Result<AppauthClient, BoxError> {
    Appauth {
        app_id: "demo-app".to_owned(),
        app_secret: SecretString::from("demo-app-secret"),
    }
    .session_builder(Client::new(ClientConfig::default())?, "test", base_url)
    .store(store)
    .policy(policy)
    .build()
    .map(AppauthClient::from_session)
    .map_err(Into::into)
}

#[derive(Default)]
struct Seen {
    receipts: HashMap<String, Receipt>,
    errors: u64,
    error_samples: Vec<String>,
}

/// Runs `args.tasks` tasks asking for the cached token until `args.run_ms` has passed.
pub async fn run(args: &WorkerArgs) -> Result<Report, BoxError> {
    let store = Arc::new(
        RedisStore::builder(&args.redis)
            .prefix(&args.prefix)
            .timeout(Duration::from_millis(args.redis_timeout_ms))
            .build()?,
    );
    let client = appauth(&args.base_url, store.clone(), policy(args))?;
    let deadline = tokio::time::Instant::now() + Duration::from_millis(args.run_ms);
    let pause = Duration::from_millis(args.pause_ms);
    let mut tasks = Vec::with_capacity(args.tasks);
    for _ in 0..args.tasks {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut seen = Seen::default();
            while tokio::time::Instant::now() < deadline {
                let asked = jiff::Timestamp::now().as_millisecond();
                match client.get_access_token_cached().await {
                    Ok(token) => {
                        let receipt = seen
                            .receipts
                            .entry(token.expose_secret().to_owned())
                            .or_insert_with(|| Receipt {
                                value: token.expose_secret().to_owned(),
                                first_asked_ms: asked,
                                last_asked_ms: asked,
                                count: 0,
                            });
                        receipt.last_asked_ms = asked;
                        receipt.count += 1;
                    }
                    Err(e) => {
                        seen.errors += 1;
                        if seen.error_samples.len() < 3 {
                            seen.error_samples.push(e.to_string());
                        }
                    }
                }
                tokio::time::sleep(pause).await;
            }
            seen
        }));
    }
    let mut all = Seen::default();
    for task in tasks {
        let Ok(seen) = task.await else {
            all.errors += 1;
            continue;
        };
        all.errors += seen.errors;
        all.error_samples.extend(seen.error_samples);
        for (value, r) in seen.receipts {
            match all.receipts.entry(value) {
                Entry::Vacant(slot) => {
                    slot.insert(r);
                }
                Entry::Occupied(mut slot) => {
                    let merged = slot.get_mut();
                    merged.first_asked_ms = merged.first_asked_ms.min(r.first_asked_ms);
                    merged.last_asked_ms = merged.last_asked_ms.max(r.last_asked_ms);
                    merged.count += r.count;
                }
            }
        }
    }
    all.error_samples.truncate(10);
    let mut receipts: Vec<Receipt> = all.receipts.into_values().collect();
    receipts.sort_by_key(|r| r.first_asked_ms);
    Ok(Report {
        receipts,
        errors: all.errors,
        error_samples: all.error_samples,
        fetches: client
            .session()
            .cache("get_access_token")
            .map_or(0, auth_runtime::TokenCache::fetches),
        degraded: store.is_degraded(),
    })
}
