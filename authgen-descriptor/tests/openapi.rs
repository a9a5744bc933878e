//! Descriptor → OpenAPI 3.1 → descriptor keeps every fact: for every checked-in descriptor and
//! every corpus page's descriptor, the document read back equals the descriptor it was written
//! from (through its JSON text, as a file would carry it). Bad documents give an error with a
//! JSON pointer, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use authgen_descriptor::Descriptor;
use authgen_descriptor::openapi::{export, import};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn round_trip(descriptor: &Descriptor, what: &str) {
    let document = export(descriptor);
    let text = serde_json::to_string_pretty(&document).unwrap();
    let back =
        import(&serde_json::from_str(&text).unwrap()).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(back.to_json(), descriptor.to_json(), "{what}");
    // The same through YAML.
    let yaml = authgen_descriptor::openapi::to_yaml(&document);
    let back = authgen_descriptor::openapi::import_yaml(&yaml)
        .unwrap_or_else(|e| panic!("{what} (YAML): {e}"));
    assert_eq!(back.to_json(), descriptor.to_json(), "{what} (YAML)");
}

#[test]
fn every_checked_in_descriptor_survives_the_round_trip() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("specs/descriptors")).unwrap() {
        let path = entry.unwrap().path();
        let descriptor = Descriptor::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        round_trip(&descriptor, &path.display().to_string());
        seen += 1;
    }
    assert!(seen >= 6, "{seen} descriptors");
}

#[test]
fn every_corpus_descriptor_survives_the_round_trip() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("corpus/pages")).unwrap() {
        let path = entry.unwrap().path();
        for build in authgen_descriptor::parse::describe_pages(std::slice::from_ref(&path)) {
            if let Some(descriptor) = build.descriptor {
                round_trip(&descriptor, &path.display().to_string());
                seen += 1;
            }
        }
    }
    assert!(seen >= 45, "{seen} descriptors");
}

#[test]
fn documents_authgen_did_not_write_are_refused_with_a_pointer() {
    let foreign = serde_json::json!({"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}});
    let err = import(&foreign).unwrap_err();
    assert_eq!(err.pointer, "/x-authgen");

    let text = std::fs::read_to_string(root().join("specs/descriptors/wechat.json")).unwrap();
    let mut doc = export(&Descriptor::from_json(&text).unwrap());
    doc["paths"]["/cgi-bin/stable_token"]["post"]["x-authgen-endpoint"]["encoding"] =
        serde_json::json!("carrier-pigeon");
    let err = import(&doc).unwrap_err();
    assert_eq!(
        err.pointer,
        "/paths/~1cgi-bin~1stable_token/post/x-authgen-endpoint/encoding"
    );
}
