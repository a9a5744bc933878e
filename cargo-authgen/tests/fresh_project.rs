//! A new user's path, outside this workspace: install `cargo-authgen` into a temporary root,
//! create a project in the system temp folder with one page, run `cargo authgen regen`, `check`
//! and `list`, then build a binary that uses the macro on the new descriptor and `auth-runtime`
//! by path, and also includes the embeddable file regen wrote (unused: a binary crate must not
//! warn about dead code), under `-D warnings`, and run it: it fetches a token from the fake built
//! from the same descriptor.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

fn run(mut command: Command, what: &str) -> Output {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_fresh_project_outside_the_workspace_regenerates_builds_and_fetches() {
    let root = workspace();
    // Artifacts are shared with earlier runs (the build is incremental), never with the
    // workspace's own target folder, which the running `cargo test` holds. The install and the
    // project build share one folder (most dependencies are common) and carry no debug info: the
    // project lives outside the workspace, so the workspace's `.cargo/config.toml` does not reach it.
    let target = root.join("target/fresh-project");
    let build_dir = target.join("build");
    let install_root = target.join("install");
    let mut install = Command::new(env!("CARGO"));
    install
        .args(["install", "--path"])
        .arg(root.join("cargo-authgen"))
        .arg("--root")
        .arg(&install_root)
        .args(["--debug", "--locked", "--offline", "--quiet", "--force"])
        .env("CARGO_TARGET_DIR", &build_dir)
        .env("CARGO_PROFILE_DEV_DEBUG", "false");
    run(install, "cargo install --path cargo-authgen");
    let bin = install_root.join("bin/cargo-authgen");
    assert!(bin.is_file(), "{}", bin.display());

    let project = std::env::temp_dir().join(format!("authgen-fresh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&project);
    std::fs::create_dir_all(project.join("specs/wechat")).unwrap();
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::copy(
        root.join("specs/wechat/stable-token.md"),
        project.join("specs/wechat/stable-token.md"),
    )
    .unwrap();
    std::fs::write(
        project.join("specs/wechat/manifest.toml"),
        "provider = \"wechat\"\ntime_zone = \"Asia/Shanghai\"\n",
    )
    .unwrap();
    let path = |crate_dir: &str| format!("{:?}", root.join(crate_dir).display().to_string());
    std::fs::write(
        project.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fresh\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [package.metadata.authgen]\ngenerated = \"src/generated\"\n\n\
             [dependencies]\nauth-runtime = {{ path = {}, features = [\"derive\"] }}\n\
             authgen-descriptor = {{ path = {} }}\nfake-providers = {{ path = {} }}\n\
             tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\n[workspace]\n",
            path("auth-runtime"),
            path("authgen-descriptor"),
            path("fake-providers")
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), project.join("Cargo.lock")).unwrap();
    std::fs::write(
        project.join("src/main.rs"),
        r#"use auth_runtime::SecretString;

/// The embeddable route: the same client as plain Rust, unused here.
mod embedded {
    include!("generated/wechat.rs");
}

#[auth_runtime::token_endpoint(spec = "specs/descriptors/wechat.json")]
pub struct Wechat {
    pub appid: String,
    pub secret: SecretString,
    pub force_refresh: Option<bool>,
}

#[tokio::main]
async fn main() {
    let text = std::fs::read_to_string("specs/descriptors/wechat.json").expect("descriptor");
    let descriptor = authgen_descriptor::Descriptor::from_json(&text).expect("valid");
    let fake = fake_providers::DescribedFake::start(descriptor).await.expect("fake");
    let credential = |name: &str| fake.credentials()[name].as_str().unwrap_or_default().to_owned();
    let client = Wechat {
        appid: credential("appid"),
        secret: SecretString::from(credential("secret")),
        force_refresh: None,
    }
    .with_base_url(&fake.base_url())
    .expect("client");
    let token = client.stable_token_cached().await.expect("token");
    println!("fetched {} tokens: {}", fake.issued(), token.display_prefix());
}
"#,
    )
    .unwrap();

    let authgen = |args: &[&str]| {
        let mut command = Command::new(&bin);
        command.arg("authgen").args(args).current_dir(&project);
        command
    };
    let out = run(authgen(&["regen"]), "cargo authgen regen");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wrote specs/descriptors/wechat.json")
            || project.join("specs/descriptors/wechat.json").is_file(),
        "{stderr}"
    );
    assert!(
        project.join("src/generated/wechat.rs").is_file(),
        "the configured folder holds the embeddable Rust"
    );
    run(authgen(&["check"]), "cargo authgen check");
    let out = run(authgen(&["list"]), "cargo authgen list");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing.contains("token POST   /cgi-bin/stable_token")
            && listing.contains("appid (credential)"),
        "{listing}"
    );

    let mut build = Command::new(env!("CARGO"));
    build
        .args(["run", "--offline", "--quiet"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", &build_dir)
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("AUTHGEN_SPEC_DIR");
    let out = run(build, "cargo run in the fresh project");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("fetched 1 tokens: "), "{stdout}");
    let _ = std::fs::remove_dir_all(&project);
}
