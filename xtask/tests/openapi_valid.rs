//! `cargo xtask openapi` writes OpenAPI 3.1, JSON and YAML, that an independent validator accepts (the Python
//! `openapi-spec-validator`, which `.ci/run` installs), for every checked-in descriptor.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::Command;

#[test]
fn every_descriptor_exports_to_openapi_the_validator_accepts() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let have = Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        assert!(
            std::env::var_os("AUTHGEN_REQUIRE_OPENAPI_VALIDATOR").is_none(),
            "openapi-spec-validator is required here: pip install openapi-spec-validator"
        );
        eprintln!("SKIPPED: python3 -m pip install openapi-spec-validator to run this test");
        return;
    }
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi");
    let _ = std::fs::remove_dir_all(&out_dir);
    for format in [None, Some("--yaml")] {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["openapi", "--out", out_dir.to_str().unwrap()])
            .args(format)
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let descriptors = std::fs::read_dir(root.join("specs/descriptors"))
        .unwrap()
        .count();
    let documents: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        documents.len(),
        2 * descriptors,
        "one JSON and one YAML document each"
    );
    for document in documents {
        let check = Command::new("python3")
            .args([
                "-c",
                "import sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.readers import read_from_filename\nspec, _ = read_from_filename(sys.argv[1])\nvalidate(spec)\nassert spec['openapi'].startswith('3.1')",
            ])
            .arg(&document)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{} is not valid OpenAPI 3.1:\n{}",
            document.display(),
            String::from_utf8_lossy(&check.stderr)
        );
    }
}
