//! Pages the readers cannot make sense of get an error naming the page, the line and what was
//! expected; pages with an unknown table header get a warning and still produce what they can.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use authgen_descriptor::parse::{Diagnostic, describe_text};

fn errors(page: &str, extension: Option<&str>, text: &str) -> Vec<String> {
    let (found, _, diagnostics) = describe_text(page, extension, text);
    assert!(found.is_none(), "expected a failure for {page}");
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .collect()
}

#[test]
fn no_path() {
    let e = errors("p.md", Some("md"), "# 获取Token\n\n* 请求类型 : POST\n");
    assert_eq!(
        e,
        [
            "p.md:1: error: no path found: expected a `Path:`/`请求地址:` line, a table with a 请求地址/请求路径/URL column, or a full URL"
        ]
    );
}

#[test]
fn no_method() {
    let (found, _, diagnostics) =
        describe_text("p.md", Some("md"), "# T\n\n\n**Path：** /a/token\n");
    // The endpoint is still described (never an empty result), and the error says why.
    assert_eq!(found.map(|(e, _)| e.len()), Some(1));
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "p.md:4: error: no method found for `/a/token`: expected `METHOD URL`, a `Method:`/`请求方式:` label, a method column or a curl command near it; described as GET until the page or the manifest says otherwise",
            "p.md:4: warning: `/a/token` names a token operation but no token was found in its response: expected a field such as `access_token`/`token`/`ticket` in a response table or sample, or a token response header; add one to the manifest if the page does not say"
        ]
    );
}

#[test]
fn json_wrapper_that_is_not_json() {
    let e = errors(
        "p.json",
        Some("json"),
        "{\"__html\": \"<h2>x</h2>\",\n\"key\": }",
    );
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("p.json:2: error: the page's JSON wrapper is not valid JSON (column 8)"),
        "{e:?}"
    );
}

#[test]
fn unknown_table_header_is_named() {
    let page =
        "# T\n\n* 请求类型 : GET\n* 请求地址 : /t\n\n| 颜色 | 参数 |\n|---|---|\n| red | a |\n";
    let (found, _, diagnostics) = describe_text("p.md", Some("md"), page);
    assert_eq!(
        found.map(|(e, _)| e.len()),
        Some(1),
        "the endpoint is still read"
    );
    let w: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(w.len(), 1);
    assert!(
        w[0].starts_with("p.md:6: warning: table column(s) `颜色` are not known to any reader"),
        "{w:?}"
    );
}

#[test]
fn unclosed_admonition_in_mdx() {
    let e = errors("p.mdx", Some("mdx"), "# T\n\n:::caution\n请使用 json\n");
    assert_eq!(e, ["p.mdx:3: error: admonition `:::` is never closed"]);
}

#[test]
fn english_headers_and_markers() {
    let page = "## Get token\n\n**Method:** POST\n\n**Path:** /v1/token\n\n### Request parameters\n\n| Name | Type | Required | Description |\n|---|---|---|---|\n| client_id | string | yes | the id |\n| scope | string | no | scopes |\n\n### Response\n\n| Name | Type | Description |\n|---|---|---|\n| access_token | string | token |\n| expires_in | integer | seconds |\n";
    let (found, _, diagnostics) = describe_text("p.md", Some("md"), page);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let endpoints = found.map(|(e, _)| e).unwrap_or_default();
    let e = &endpoints[0];
    assert_eq!((e.name.as_str(), e.path.as_str()), ("token", "/v1/token"));
    let params: Vec<(&str, bool)> = e
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    assert_eq!(params, [("client_id", true), ("scope", false)]);
    assert_eq!(
        e.token.as_ref().map(|t| t.path.as_str()),
        Some("access_token")
    );
    assert_eq!(
        e.expiry.first().map(|x| x.path.as_str()),
        Some("expires_in")
    );
}

#[test]
fn a_table_that_gives_no_fact_is_named() {
    let page = "# T\n\nPOST https://a.example.com/a/token\n\n## 响应\n\n```json\n{\"access_token\": \"x\"}\n```\n\n## 附录\n\n| 字段 | 类型 | 说明 |\n|---|---|---|\n| foo | string | 某个字段 |\n";
    let (found, _, diagnostics) = describe_text("p.md", Some("md"), page);
    assert_eq!(found.map(|(e, _)| e.len()), Some(1));
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("p.md:13: warning: a table of parameters or response fields")),
        "{messages:?}"
    );
}

#[test]
fn hostile_sizes_end_at_once_with_an_error_naming_the_limit() {
    let deep = format!(
        "<html><body>{}x{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let e = errors("deep.html", Some("html"), &deep);
    assert!(
        e.iter()
            .any(|m| m.starts_with("deep.html:1: error: block elements nest deeper than")),
        "{e:?}"
    );

    let attributes: String = (0..1_000_000).map(|i| format!(" a{i}=\"x\"")).collect();
    let wide = format!("<html><body><div{attributes}>x</div></body></html>");
    let e = errors("wide.html", Some("html"), &wide);
    assert!(e.iter().any(|m| m.contains("carries more than")), "{e:?}");

    let wrapped = serde_json::json!({ "__html": deep }).to_string();
    let e = errors("deep.json", Some("json"), &wrapped);
    assert!(
        e.iter()
            .any(|m| m.starts_with("deep.json#__html:1: error: block elements nest deeper")),
        "{e:?}"
    );

    let huge = "x".repeat(authgen_descriptor::parse::read::MAX_PAGE_BYTES + 1);
    let e = errors("huge.md", Some("md"), &huge);
    assert!(e.iter().any(|m| m.contains("MiB are not read")), "{e:?}");
}

#[test]
fn a_hundred_thousand_unbalanced_json_boxes_are_read_as_text() {
    // Each `{` box starts an attempt to join a JSON tree view that never closes; the attempts
    // share one budget, so this page reads in one pass instead of 100,000 × 2,000 steps.
    let boxes = "<div>{</div><div>\"a\": 1,</div>".repeat(100_000);
    let page = format!("<h1>T</h1><p>POST /oauth/token</p>{boxes}");
    let document =
        authgen_descriptor::parse::read::read_page("boxes.html", Some("html"), &page).unwrap();
    assert!(
        !document
            .blocks
            .iter()
            .any(|b| matches!(b, authgen_descriptor::parse::blocks::Block::Code { .. })),
        "no box run balances, so none becomes code"
    );
}

#[test]
fn cr_only_and_mixed_line_endings_read_like_lf() {
    let lf = "# T\n\n**Path：** /a/token\n\n**Method：** POST\n\n| 参数 | 类型 |\n|---|---|\n| app_id | string |\n| secret | string |\n";
    let read = |text: &str| {
        let (found, _, _) = describe_text("p.md", Some("md"), text);
        let endpoints = found.map(|(e, _)| e).unwrap_or_default();
        endpoints
            .iter()
            .map(|e| {
                (
                    e.path.clone(),
                    e.params
                        .iter()
                        .map(|p| (p.name.clone(), p.source.line))
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
    let expected = read(lf);
    assert_eq!(expected.len(), 1);
    assert_eq!(read(&lf.replace('\n', "\r")), expected);
    assert_eq!(read(&lf.replace('\n', "\r\n")), expected);
}

#[test]
fn names_that_make_one_rust_field_are_made_unique_with_a_warning() {
    let page = "# T\n\nPOST https://a.example.com/a/token\n\n## 请求参数\n\n| 参数 | 类型 |\n|---|---|\n| Content-Type | string |\n| content_type | string |\n| code | string |\n| code | string |\n";
    let builds = authgen_descriptor::parse::describe_pages(&[{
        let dir = std::env::temp_dir().join("authgen-unique-names");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("page.md");
        std::fs::write(&path, page).unwrap();
        path
    }]);
    let descriptor = builds[0].descriptor.as_ref().unwrap();
    let params = &descriptor.endpoints[0].params;
    let rust: Vec<&str> = params.iter().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(rust, ["content_type", "content_type_2", "code"]);
    let messages: Vec<String> = builds[0]
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("named `content_type_2`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("listed twice")),
        "{messages:?}"
    );
}
