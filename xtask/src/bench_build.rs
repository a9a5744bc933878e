//! `cargo xtask bench-build`: build time of a crate with N `#[token_endpoint]` structs against the
//! same crate with the embedded source, in the same run (each `cargo build` after `cargo clean -p`,
//! dependencies already built). Prints both and the ratio.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use authgen_descriptor::codegen;

/// The providers the bench builds, cycling: each struct's fields come from the generator's own
/// rule ([`codegen::default_credentials`]), so the bench never falls behind the descriptors.
const PROVIDERS: [&str; 4] = ["ebaas", "appauth", "anyweb", "coupang"];

/// Each provider's struct name and credential fields, as the embeddable files declare them.
fn structs(root: &Path) -> Result<Vec<(String, String, String)>, String> {
    PROVIDERS
        .iter()
        .map(|provider| {
            let path = root.join(format!("specs/descriptors/{provider}.json"));
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let descriptor = authgen_descriptor::Descriptor::from_json(&text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let options = codegen::Options::for_descriptor(&descriptor);
            let fields: String = options
                .credentials
                .iter()
                .map(|c| {
                    let ty = c.ty.tokens().to_string().replace(' ', "");
                    format!("        pub {}: {ty},\n", c.field)
                })
                .collect();
            Ok(((*provider).to_owned(), options.struct_name, fields))
        })
        .collect()
}

pub fn bench_build(root: &Path, structs: usize, rounds: usize) -> Result<(), String> {
    let dir = root.join("target").join("bench-build");
    write_workspace(root, &dir, structs)?;
    eprintln!("building dependencies once (not measured)...");
    cargo(&dir, &["build", "--offline", "--workspace"])?;
    let mut macro_times = Vec::new();
    let mut embedded_times = Vec::new();
    for round in 1..=rounds {
        for (package, times) in [
            ("with-macro", &mut macro_times),
            ("with-embedded", &mut embedded_times),
        ] {
            cargo(&dir, &["clean", "--offline", "-p", package])?;
            let started = Instant::now();
            cargo(&dir, &["build", "--offline", "-p", package])?;
            times.push(started.elapsed());
        }
        eprintln!(
            "round {round}/{rounds}: macro {:.2} s, embedded {:.2} s",
            secs(macro_times[round - 1]),
            secs(embedded_times[round - 1])
        );
    }
    let (m, e) = (median(&mut macro_times), median(&mut embedded_times));
    println!(
        "build of a crate with {structs} clients: #[token_endpoint] {:.2} s   embedded source {:.2} s   ratio {:.2}x (target <= 1.3x)",
        secs(m),
        secs(e),
        secs(m) / secs(e)
    );
    Ok(())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed in {}",
            args.join(" "),
            dir.display()
        ))
    }
}

fn write(path: PathBuf, content: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    if std::fs::read_to_string(&path).ok().as_deref() != Some(content) {
        std::fs::write(&path, content)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn write_workspace(root: &Path, dir: &Path, structs: usize) -> Result<(), String> {
    let runtime = root.join("auth-runtime");
    write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"with-macro\", \"with-embedded\"]\n",
    )?;
    // The main workspace's lock file keeps versions identical and the build offline.
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    write(dir.join("Cargo.lock"), &lock)?;
    for (package, feature) in [
        ("with-macro", ", features = [\"derive\"]"),
        ("with-embedded", ""),
    ] {
        write(
            dir.join(package).join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nauth-runtime = {{ path = {:?}{feature} }}\n",
                runtime.display().to_string()
            ),
        )?;
    }
    let mut with_macro =
        String::from("//! Generated by `cargo xtask bench-build`.\n#![allow(missing_docs)]\n");
    let mut with_embedded = with_macro.clone();
    let declared = self::structs(root)?;
    for i in 0..structs {
        let (provider, name, fields) = &declared[i % declared.len()];
        with_macro.push_str(&format!(
            "pub mod m{i} {{\n    #[auth_runtime::token_endpoint(spec = \"specs/descriptors/{provider}.json\")]\n    pub struct {name} {{\n{fields}    }}\n}}\n"
        ));
        let generated = root.join("generated").join(format!("{provider}.rs"));
        with_embedded.push_str(&format!(
            "pub mod m{i} {{\n    include!({:?});\n}}\n",
            generated.display().to_string()
        ));
    }
    write(dir.join("with-macro/src/lib.rs"), &with_macro)?;
    write(dir.join("with-embedded/src/lib.rs"), &with_embedded)
}
