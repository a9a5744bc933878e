//! `cargo xtask try`: every corpus page whose descriptor has a token endpoint runs end to end
//! against the fake built from it; and `--base-url` with `--set` works against a server the
//! project did not write (Python's standard library, `tests/servers/token_server.py`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

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

/// Pages that cannot pass yet, with the reason. The list may only shrink.
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn every_corpus_page_with_a_token_endpoint_runs_end_to_end() {
    let mut failed = Vec::new();
    let mut passed = 0;
    for page in std::fs::read_dir(root().join("corpus/pages")).unwrap() {
        let page = page.unwrap().path();
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let relative = format!("corpus/pages/{name}");
        let out = xtask(&["try", &relative]);
        assert_ne!(out.status.code(), Some(101), "{relative} panicked");
        let known = KNOWN.iter().any(|(k, _)| *k == name);
        match (out.status.success(), known) {
            (true, false) => passed += 1,
            (false, true) => {}
            (true, true) => failed.push(format!("{name} passes now: remove it from KNOWN")),
            (false, false) => {
                failed.push(format!("{name}:\n{}", String::from_utf8_lossy(&out.stderr)))
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(passed >= 51, "{passed} pages passed");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn python_server() -> Option<(Server, String)> {
    let script = root().join("xtask/tests/servers/token_server.py");
    let mut child = match Command::new("python3")
        .arg(&script)
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        // CI installs python3; a machine without it says so instead of failing obscurely.
        Err(e) => {
            eprintln!("SKIPPED: python3 not available: {e}");
            return None;
        }
    };
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().to_owned();
    assert!(port.parse::<u16>().is_ok(), "server printed {line:?}");
    Some((Server(child), format!("http://127.0.0.1:{port}")))
}

#[test]
fn try_runs_against_an_independent_server_with_given_credentials() {
    let Some((_server, url)) = python_server() else {
        return;
    };
    let wechat = xtask(&[
        "try",
        "specs/wechat/stable-token.md",
        "--base-url",
        &url,
        "--set",
        "appid=wx-test-app",
        "--set",
        "secret=wx-test-secret",
    ]);
    let stdout = String::from_utf8_lossy(&wechat.stdout);
    assert!(
        wechat.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&wechat.stderr)
    );
    assert!(stdout.contains("token   py-wec…"), "{stdout}");
    assert!(
        stdout.contains("typed as `InvalidClientSecret`"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("wx-test-secret"),
        "the secret is never printed"
    );

    let spotify = xtask(&[
        "try",
        "specs/spotify/client-credentials.md",
        "--base-url",
        &url,
        "--set",
        "client_id=sp-client",
        "--set",
        "client_secret=sp-secret",
    ]);
    let stdout = String::from_utf8_lossy(&spotify.stdout);
    assert!(
        spotify.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&spotify.stderr)
    );
    assert!(stdout.contains("token   py-spo…"), "{stdout}");
    assert!(
        stdout.contains("Authorization: Basic [redacted]"),
        "{stdout}"
    );

    // A missing credential is named, and the step fails.
    let missing = xtask(&[
        "try",
        "specs/spotify/client-credentials.md",
        "--base-url",
        &url,
        "--set",
        "client_id=sp-client",
    ]);
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("credentials: missing `client_secret`"),
        "{stderr}"
    );
}
