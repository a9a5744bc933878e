//! Shared set-up of the Redis tests: the server (from `.ci/run`, or one of the test's own), the
//! fake provider, and the worker processes.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use fake_providers::{Config, FakeProviders, Provider};
use fleet::Report;

/// The URL of the redis-server `.ci/run` started, or `None` with a visible note. In CI
/// (`AUTHGEN_REQUIRE_REDIS=1`) a missing server fails the test instead of skipping it.
pub fn redis_url(test: &str) -> Option<String> {
    match std::env::var("AUTHGEN_REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("AUTHGEN_REQUIRE_REDIS").as_deref() != Ok("1"),
                "{test}: AUTHGEN_REQUIRE_REDIS=1 but AUTHGEN_REDIS_URL is not set (run the tests through .ci/run)"
            );
            // Straight to stderr: the test harness captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: no Redis (set AUTHGEN_REDIS_URL, or run .ci/run, which starts redis-server)"
            );
            None
        }
    }
}

/// A key prefix no other test uses, so tests can share one server.
pub fn unique_prefix(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("test-{test}-{}-{nanos}", std::process::id())
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A redis-server of the test's own (for tests that stop it), without persistence.
pub struct RedisServer {
    pub port: u16,
    binary: PathBuf,
    dir: PathBuf,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts one on a free port, or `None` (with a note) when no redis-server binary is known.
    pub fn start(test: &str) -> Option<RedisServer> {
        let binary = match std::env::var("AUTHGEN_REDIS_SERVER") {
            Ok(path) if !path.is_empty() => PathBuf::from(path),
            _ => {
                redis_url(test)?;
                PathBuf::from("redis-server")
            }
        };
        let dir = std::env::temp_dir().join(unique_prefix(test));
        std::fs::create_dir_all(&dir).unwrap();
        let mut server = RedisServer {
            port: free_port(),
            binary,
            dir,
            child: None,
        };
        server.restart();
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on the same port and waits until it answers.
    pub fn restart(&mut self) {
        let child = Command::new(&self.binary)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.binary.display()));
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server (as a crash would).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The fake provider with appauth tokens of `lifetime`, each new one invalidating the last.
pub async fn invalidating_fake(lifetime: Duration) -> FakeProviders {
    FakeProviders::start(
        Config::default()
            .with_lifetime(Provider::Appauth, lifetime)
            .with_invalidate_previous(Provider::Appauth, true),
    )
    .await
    .unwrap()
}

pub const TOKEN_PATH: &str = "/auth/getAccessToken";

/// Starts a `fleet-worker` process.
pub fn spawn_worker(fake: &FakeProviders, redis: &str, prefix: &str, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_fleet-worker"))
        .args([
            "--base-url",
            &fake.base_url(),
            "--redis",
            redis,
            "--prefix",
            prefix,
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// Waits for a worker (without blocking the runtime the fake runs on) and parses its report.
pub async fn report(child: Child) -> Report {
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        output.status.success(),
        "worker failed: {:?}",
        output.status
    );
    let text = String::from_utf8(output.stdout).unwrap();
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("bad report {text:?}: {e}"))
}

pub fn unix_ms(t: SystemTime) -> i64 {
    i64::try_from(
        t.duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}
