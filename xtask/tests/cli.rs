//! The commands as a user runs them: `describe` on each seed page, `--help`, and the dependency
//! boundary that keeps the page readers out of the macro's build.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("run xtask")
}

#[test]
fn describe_prints_each_seed_descriptor_without_a_manifest() {
    for (page, provider, endpoints) in [
        (
            "specs/ebaas/get-service-ticket.md",
            "ebaas",
            vec!["get_service_ticket"],
        ),
        (
            "specs/ebaas/get-access-token.json",
            "ebaas",
            vec!["get_access_token"],
        ),
        (
            "specs/appauth/access-token.md",
            "appauth",
            vec!["get_access_token", "hello"],
        ),
        (
            "specs/anyweb/service-token.mdx",
            "anyweb",
            vec!["service_token"],
        ),
        ("specs/coupang/token.md", "blsct", vec!["get_token"]),
    ] {
        let out = xtask(&["describe", page]);
        assert!(
            out.status.success(),
            "{page}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        assert_eq!(json["provider"], provider, "{page}");
        assert_eq!(json["schema_version"], 1);
        let names: Vec<&str> = json["endpoints"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["name"].as_str())
            .collect();
        assert_eq!(names, endpoints, "{page}");
    }
    let out = xtask(&["describe", "specs/coupang/token.md"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("specs/coupang/token.md:43: warning: `get_token`: request parameter"),
        "{stderr}"
    );
}

#[test]
fn describe_fails_on_a_page_without_a_path() {
    let dir = std::env::temp_dir().join(format!("authgen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let page = dir.join("broken.md");
    std::fs::write(&page, "# nothing here\n").expect("write");
    let out = xtask(&["describe", &page.to_string_lossy()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.md:1: error: no path found"));
}

#[test]
fn every_command_has_help() {
    for command in [
        "regen", "check", "describe", "try", "serve", "score", "list", "openapi",
    ] {
        let out = xtask(&[command, "--help"]);
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: cargo xtask"),
            "{command}"
        );
    }
}

#[test]
fn the_macro_never_depends_on_the_page_readers() {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            "auth-derive",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.contains("authgen-descriptor"),
        "the macro uses the descriptor model:\n{tree}"
    );
    for forbidden in ["pulldown-cmark", "scraper", "html5ever", "markup5ever"] {
        assert!(
            !tree.contains(forbidden),
            "auth-derive pulls in {forbidden}:\n{tree}"
        );
    }
}

#[test]
fn the_demo_runs_every_scene_offline() {
    let out = xtask(&["demo"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "ebaas     get_service_ticket   ST-",
        "coupang   get_token            Bearer eyJhbG",
        "hello answered \"hello\"; getAccessToken calls: 1 (the cached token was used)",
        "one background fetch replaced it (new token); upstream calls: 2",
        "500 callers served by 1 upstream request(s)",
        "first use: HTTP 200; the same ticket again: HTTP 401; the cache hands out a new one (different ticket)",
        "1 refetch, retried once: HTTP 200",
        "ebaas.get_access_token: provider error 403007: client_secret不正确",
        "typed: Some(InvalidClientSecret), retryable: false",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("demo-secret") && !stdout.contains("not-the-secret"),
        "a secret was printed"
    );
}

#[test]
fn describe_on_a_missing_file_prints_only_the_error() {
    let out = xtask(&["describe", "no/such/page.md"]);
    assert!(!out.status.success());
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no/such/page.md:1: error: cannot read the page"),
        "{stderr}"
    );
}

#[test]
fn regen_with_an_error_writes_nothing() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("regen-atomic");
    let _ = std::fs::remove_dir_all(&dir);
    let specs = dir.join("specs");
    std::fs::create_dir_all(specs.join("good")).unwrap();
    std::fs::create_dir_all(specs.join("bad")).unwrap();
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    std::fs::copy(
        root.join("specs/appauth/access-token.md"),
        specs.join("good/access-token.md"),
    )
    .unwrap();
    std::fs::write(specs.join("good/manifest.toml"), "provider = \"good\"\n").unwrap();
    std::fs::copy(
        root.join("specs/appauth/access-token.md"),
        specs.join("bad/access-token.md"),
    )
    .unwrap();
    // A bad manifest: an unknown time zone.
    std::fs::write(
        specs.join("bad/manifest.toml"),
        "provider = \"bad\"\ntime_zone = \"Mars/Olympus_Mons\"\n",
    )
    .unwrap();
    let out = xtask(&["regen", "--specs", specs.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("regen wrote nothing"), "{stderr}");
    assert!(
        !specs.join("descriptors").exists(),
        "no descriptor was written"
    );
    assert!(
        !dir.join("generated").exists(),
        "no generated file was written"
    );
}

#[test]
fn manifest_names_that_generated_code_cannot_take_are_refused() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let cases = [
        (
            "reserved",
            "provider = \"reserved\"\n[[override]]\nendpoint = \"get_access_token\"\npointer = \"/name\"\nvalue = \"session\"\nreason = \"adversarial\"\n",
            "endpoint name `session` is reserved: generated clients already define `session`, `from_session`, `endpoints`",
        ),
        (
            "keyword",
            "provider = \"keyword\"\n[[override]]\nendpoint = \"get_access_token\"\npointer = \"/params/appId/rust_name\"\nvalue = \"type\"\nreason = \"adversarial\"\n",
            "parameter `appId` has the Rust name `type`, which is not a snake_case identifier or is a keyword",
        ),
        (
            "collision",
            "provider = \"collision\"\n[[override]]\nendpoint = \"get_access_token\"\npointer = \"/params/appId/rust_name\"\nvalue = \"app_secret\"\nreason = \"adversarial\"\n",
            "two parameters have the Rust name `app_secret`",
        ),
        (
            "self",
            "provider = \"self\"\n",
            "`provider` must be a snake_case name that is not a Rust keyword",
        ),
    ];
    for (name, manifest, expected) in cases {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("names-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        let specs = dir.join("specs");
        std::fs::create_dir_all(specs.join(name)).unwrap();
        std::fs::copy(
            root.join("specs/appauth/access-token.md"),
            specs.join(name).join("access-token.md"),
        )
        .unwrap();
        std::fs::write(specs.join(name).join("manifest.toml"), manifest).unwrap();
        let out = xtask(&["regen", "--specs", specs.to_str().unwrap()]);
        assert_ne!(out.status.code(), Some(101), "{name}: panicked");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(stderr.contains("regen wrote nothing"), "{name}: {stderr}");
        assert!(!specs.join("descriptors").exists(), "{name}");
    }
}

#[test]
fn an_unknown_column_warning_can_be_acknowledged_in_the_manifest() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    for (name, manifest, warned) in [
        ("plain", "provider = \"plain\"\n", true),
        (
            "acknowledged",
            "provider = \"acknowledged\"\nignored_columns = [\"处理建议\"]\n",
            false,
        ),
    ] {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("columns-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        let specs = dir.join("specs");
        std::fs::create_dir_all(specs.join(name)).unwrap();
        std::fs::copy(
            root.join("specs/wechat/stable-token.md"),
            specs.join(name).join("stable-token.md"),
        )
        .unwrap();
        std::fs::write(specs.join(name).join("manifest.toml"), manifest).unwrap();
        let out = xtask(&["regen", "--specs", specs.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        assert_eq!(stderr.contains("`处理建议`"), warned, "{name}: {stderr}");
    }
}
