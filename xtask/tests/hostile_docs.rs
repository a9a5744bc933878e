//! Pages are written by third parties: nothing in them may become code on the developer's machine,
//! and nothing in them may break the build.
//! - Every text a descriptor carries (titles, descriptions, wire names, paths, hosts, error codes
//!   and messages, source page names) is replaced by text holding code fences, indented blocks,
//!   doc attributes and comment terminators;
//! - a page whose names are adversarial (`_`, `a-b`, `123abc`, emoji, keywords, names that
//!   collide once made Rust, an endpoint at `/session`, error messages that make the variants
//!   `Other` and `Self`) is described like any page.
//!
//! The generated code of both is built as one crate with `cargo test --doc`: it must compile,
//! pass, and run no doctest at all.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::Command;

use authgen_descriptor::Descriptor;
use serde_json::Value;

/// Would run, and fail the doc tests, if any of it became a doctest.
const PAYLOAD: &str = "x\n```\nfn main() { panic!(\"DOCTEST RAN\") }\n```\n    panic!(\"INDENTED RAN\");\n~~~rust\npanic!(\"TILDE RAN\")\n~~~\n*/ #[doc = \"```\"] ` ``` `";

/// Keys whose values are free text or names taken from the page (not enum-like vocabulary).
const TEXT_KEYS: &[&str] = &[
    "title",
    "description",
    "path",
    "message",
    "code",
    "page",
    "example",
];

fn poison(value: &mut Value, key: Option<&str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "base_urls" {
                    if let Value::Object(urls) = v {
                        for url in urls.values_mut() {
                            *url = Value::String(format!("https://h.example/{PAYLOAD}"));
                        }
                    }
                } else {
                    poison(v, Some(k));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| poison(v, key)),
        Value::String(s) if key.is_some_and(|k| TEXT_KEYS.contains(&k)) => {
            *s = format!("{s} {PAYLOAD}");
        }
        _ => {}
    }
}

/// Wire names of parameters and response fields are page text too; Rust names stay identifiers.
fn poison_wire_names(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("rust_name")
                && let Some(Value::String(name)) = map.get_mut("name")
            {
                *name = format!("{name}{PAYLOAD}");
            }
            map.values_mut().for_each(poison_wire_names);
        }
        Value::Array(items) => items.iter_mut().for_each(poison_wire_names),
        _ => {}
    }
}

/// Names a page may hold that Rust cannot take as they are.
const ADVERSARIAL_PAGE: &str = "# Get token\n\n`POST https://api.adv.example.com/session`\n\n| 参数 | 类型 | 必填 | 说明 |\n|---|---|---|---|\n| _ | string | 是 | underscore |\n| a-b | string | 是 | dash |\n| 123abc | integer | 是 | digits first |\n| 😀 | boolean | 否 | emoji |\n| type | string | 是 | keyword |\n| Type | string | 是 | keyword in capitals |\n| 名称 | string | 是 | Chinese |\n| 名字 | string | 是 | Chinese too |\n| self | string | 否 | keyword self |\n| Self | string | 否 | keyword Self |\n\n返回：\n\n```json\n{\"access_token\": \"abc\", \"expires_in\": 7200, \"type\": \"x\", \"Type\": \"y\", \"_\": 1, \"123\": 2, \"self\": {\"crate\": 1}}\n```\n\n| 错误码 | 说明 |\n|---|---|\n| 40001 | other |\n| 40002 | Other |\n| 40003 | self |\n| 40004 | Self |\n\n# Cached\n\n`GET https://api.adv.example.com/session_cached?access_token=ACCESS_TOKEN`\n\n| 参数 | 类型 | 必填 | 说明 |\n|---|---|---|---|\n| access_token | string | 是 | token |\n";

fn adversarial_descriptor() -> Descriptor {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("adversarial-page");
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("adversarial.md");
    std::fs::write(&page, ADVERSARIAL_PAGE).unwrap();
    let builds = authgen_descriptor::parse::describe_pages(&[page]);
    let descriptor = builds
        .into_iter()
        .find_map(|b| b.descriptor)
        .expect("the adversarial page is described, with warnings");
    descriptor
        .validate()
        .expect("assembly made every name valid");
    descriptor
}

#[test]
fn hostile_page_text_never_becomes_a_doctest_nor_breaks_the_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut generated = String::new();
    for provider in ["appauth", "ebaas"] {
        let text = std::fs::read_to_string(root.join(format!("specs/descriptors/{provider}.json")))
            .unwrap();
        let mut json: Value = serde_json::from_str(&text).unwrap();
        poison(&mut json, None);
        poison_wire_names(&mut json);
        let descriptor: Descriptor = serde_json::from_value(json).unwrap();
        let file = authgen_descriptor::codegen::embedded_file(&descriptor, "hostile.json")
            .expect("hostile text still generates code that parses");
        assert!(file.contains("DOCTEST RAN"), "the payload reached the docs");
        generated.push_str(&format!("pub mod {provider} {{\n{file}\n}}\n"));
    }

    let adversarial = adversarial_descriptor();
    let names: Vec<&str> = adversarial
        .endpoints
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert!(!names.contains(&"session"), "{names:?}");
    let file = authgen_descriptor::codegen::embedded_file(&adversarial, "adversarial.json")
        .expect("adversarial names generate code that parses");
    generated.push_str(&format!("pub mod adversarial {{\n{file}\n}}\n"));

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-docs");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let runtime = root.join("auth-runtime").canonicalize().unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"hostile-docs\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nauth-runtime = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // `//!` inner docs cannot follow items; the generated file's header comment is plain `//`.
    std::fs::write(
        dir.join("src/lib.rs"),
        format!("#![allow(dead_code, missing_docs)]\n{generated}"),
    )
    .unwrap();

    let out = Command::new(env!("CARGO"))
        .args(["test", "--doc", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        // Generated code compiles without a warning, adversarial names included.
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo test --doc");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cargo test --doc failed:\n{stdout}\n{stderr}"
    );
    for marker in ["DOCTEST RAN", "INDENTED RAN", "TILDE RAN"] {
        assert!(!stdout.contains(marker), "{marker}:\n{stdout}");
    }
    assert!(
        stdout.contains("running 0 tests"),
        "no doctest may be collected:\n{stdout}\n{stderr}"
    );
}
