//! Any bytes, read as any page format, through reading and extraction: must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

const EXTENSIONS: [Option<&str>; 14] = [
    Some("md"),
    Some("mdx"),
    Some("html"),
    Some("json"),
    Some("txt"),
    Some("adoc"),
    Some("rst"),
    Some("wiki"),
    Some("org"),
    Some("apib"),
    Some("yaml"),
    Some("raml"),
    Some("http"),
    None,
];

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let extension = EXTENSIONS[usize::from(*first) % EXTENSIONS.len()];
    let text = String::from_utf8_lossy(rest);
    let _ = authgen_descriptor::parse::describe_text("fuzz", extension, &text);
});
