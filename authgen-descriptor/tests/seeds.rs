//! The facts of every seed endpoint, read two ways: through `specs/` with the manifests (what
//! `cargo xtask regen` writes) and page by page without any manifest (what `cargo xtask describe`
//! prints). Each fact the issue lists is asserted, and each contradiction's warning.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use authgen_descriptor::model::{
    Descriptor, Encoding, Endpoint, ExpiryKind, Location, Method, Param, Role,
};
use authgen_descriptor::parse::{self, Diagnostic, ProviderBuild, Severity};

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// Builds the provider folder with its manifest.
fn with_manifest(provider: &str) -> ProviderBuild {
    parse::build_provider(&specs(), &specs().join(provider))
}

/// Describes pages without a manifest, combined as `describe` does.
fn without_manifest(pages: &[&str]) -> ProviderBuild {
    let paths: Vec<PathBuf> = pages
        .iter()
        .map(|p| PathBuf::from(format!("../specs/{p}")))
        .collect();
    let mut builds = parse::describe_pages(&paths);
    assert_eq!(builds.len(), 1, "pages should form one provider");
    builds.remove(0)
}

fn descriptor(build: &ProviderBuild) -> &Descriptor {
    let errors: Vec<&Diagnostic> = build.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "errors: {errors:?}");
    build.descriptor.as_ref().expect("a descriptor")
}

fn endpoint<'d>(d: &'d Descriptor, name: &str) -> &'d Endpoint {
    d.endpoint(name).unwrap_or_else(|| {
        panic!(
            "no endpoint {name} in {:?}",
            d.endpoints.iter().map(|e| &e.name).collect::<Vec<_>>()
        )
    })
}

fn param<'e>(e: &'e Endpoint, name: &str) -> &'e Param {
    e.params
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no param {name} in {}", e.name))
}

fn warnings(build: &ProviderBuild) -> Vec<String> {
    build
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(ToString::to_string)
        .collect()
}

fn base<'e>(e: &'e Endpoint, env: &str) -> Option<&'e str> {
    e.base_urls.get(env).map(String::as_str)
}

fn assert_param(e: &Endpoint, name: &str, location: Location, required: bool) {
    let p = param(e, name);
    assert_eq!(
        (p.location, p.required),
        (location, required),
        "{}.{name}",
        e.name
    );
}

fn check_ebaas(d: &Descriptor) {
    assert_eq!(d.endpoints.len(), 2);
    let at = endpoint(d, "get_access_token");
    assert_eq!(
        (at.method, at.path.as_str(), at.encoding),
        (Method::Get, "/oauth/getAccessToken", Encoding::Query)
    );
    assert_eq!(base(at, "dev"), Some("https://dev-etc.ebaas.com"));
    assert_eq!(base(at, "test"), Some("https://test-etc.ebaas.com"));
    assert_eq!(base(at, "prod"), None, "an empty host row stays absent");
    assert_param(at, "client_id", Location::Query, true);
    assert_param(at, "client_secret", Location::Query, true);
    assert!(param(at, "client_secret").secret && !param(at, "client_id").secret);
    let env = at.envelope.as_ref().expect("envelope");
    assert_eq!(env.success.to_string(), "code == \"000\"");
    assert_eq!(
        (env.message.as_deref(), env.data.as_deref()),
        (Some("msg"), Some("data"))
    );
    assert_eq!(
        at.token.as_ref().map(|t| t.path.as_str()),
        Some("data.access_token")
    );
    assert_eq!(at.expiry.len(), 1);
    assert_eq!(
        (at.expiry[0].path.as_str(), at.expiry[0].kind),
        ("data.expired", ExpiryKind::Datetime)
    );
    assert!(at.use_limit.is_none());
    let codes: Vec<(&str, &str, &str)> = at
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.message.as_str(), e.variant.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("403006", "client_id不正确", "InvalidClientId"),
            ("403007", "client_secret不正确", "InvalidClientSecret")
        ]
    );
    assert!(
        at.sources["method"]
            .page
            .ends_with("get-access-token.json#__html")
    );
    assert_eq!(
        (at.sources["method"].line, at.sources["path"].line),
        (29, 30)
    );

    let st = endpoint(d, "get_service_ticket");
    assert_eq!(
        (st.method, st.path.as_str(), st.encoding),
        (Method::Post, "/oauth/getServiceTicket", Encoding::Json)
    );
    assert_eq!(base(st, "dev"), Some("https://dev-etc.ebaas.com"));
    assert_eq!(base(st, "prod"), None);
    assert_param(st, "access_token", Location::Body, true);
    assert_param(st, "token", Location::Body, true);
    assert_eq!(
        param(st, "access_token").role.filled_from(),
        Some("get_access_token")
    );
    assert_eq!(
        param(st, "token").role,
        Role::Credential,
        "the login token comes from the caller"
    );
    assert_eq!(
        st.envelope
            .as_ref()
            .map(|e| e.success.to_string())
            .as_deref(),
        Some("code == \"000\"")
    );
    let token = st.token.as_ref().expect("token");
    assert_eq!(token.path, "data.service_ticket");
    assert_eq!(
        (st.expiry[0].path.as_str(), st.expiry[0].kind),
        ("data.expired", ExpiryKind::Datetime)
    );
    assert_eq!(
        st.use_limit.as_ref().map(|u| u.path.as_str()),
        Some("data.number_of_uses")
    );
    let codes: Vec<(&str, bool)> = st
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.invalid_token))
        .collect();
    assert_eq!(codes, [("400", false), ("400003", false), ("401003", true)]);
    assert_eq!(st.errors[2].message, "无效的access_token");
    // The contradiction: the table's access_token row is the sample's service_ticket.
    let data = st
        .response
        .iter()
        .find(|f| f.name == "data")
        .expect("data field");
    let ticket = data
        .fields
        .iter()
        .find(|f| f.name == "service_ticket")
        .expect("service_ticket");
    assert_eq!(ticket.aliases, ["access_token"]);
    let conflict = st
        .conflicts
        .iter()
        .find(|c| c.topic == "/response/data/service_ticket")
        .expect("conflict");
    assert_eq!(
        (conflict.chosen.as_str(), conflict.alternatives.as_slice()),
        ("service_ticket", &["access_token".to_owned()][..])
    );
    assert_eq!(conflict.source.line, 44);
}

fn check_appauth(d: &Descriptor) {
    assert_eq!(d.endpoints.len(), 2);
    let at = endpoint(d, "get_access_token");
    assert_eq!(
        (at.method, at.path.as_str(), at.encoding),
        (Method::Get, "/auth/getAccessToken", Encoding::Query)
    );
    assert!(at.base_urls.is_empty(), "the page names no host");
    assert_param(at, "Accept", Location::Header, false);
    assert_param(at, "Content-Type", Location::Header, false);
    assert_param(at, "appId", Location::Query, true);
    assert_param(at, "appSecret", Location::Query, true);
    assert!(param(at, "appSecret").secret);
    let env = at.envelope.as_ref().expect("envelope");
    assert_eq!(env.success.to_string(), "success == true");
    assert_eq!(
        (
            env.message.as_deref(),
            env.data.as_deref(),
            env.code.as_deref()
        ),
        (Some("message"), Some("result"), Some("code"))
    );
    assert_eq!(
        at.token.as_ref().map(|t| t.path.as_str()),
        Some("result.accessToken")
    );
    let expiry: Vec<(&str, ExpiryKind)> = at
        .expiry
        .iter()
        .map(|e| (e.path.as_str(), e.kind))
        .collect();
    assert_eq!(
        expiry,
        [
            ("result.expiresIn", ExpiryKind::Seconds),
            ("result.expireTime", ExpiryKind::Datetime)
        ]
    );
    // YApi nesting: result's children come from `padding-left: 20px` rows.
    let result = at
        .response
        .iter()
        .find(|f| f.name == "result")
        .expect("result");
    let children: Vec<&str> = result.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(children, ["accessToken", "expireTime", "expiresIn"]);
    assert_eq!(result.fields[1].format.as_deref(), Some("date-time"));
    assert!(at.errors.is_empty());

    let hello = endpoint(d, "hello");
    assert_eq!(
        (hello.method, hello.path.as_str()),
        (Method::Get, "/auth/hello")
    );
    assert_eq!(hello.title.as_deref(), Some("accessToken 有效性测试"));
    assert_param(hello, "accessToken", Location::Query, true);
    assert_eq!(
        param(hello, "accessToken").role.filled_from(),
        Some("get_access_token")
    );
    assert!(hello.token.is_none() && !hello.issues_token());
    assert_eq!(
        hello
            .envelope
            .as_ref()
            .map(|e| e.success.to_string())
            .as_deref(),
        Some("success == true")
    );
}

fn check_anyweb(d: &Descriptor, encoding: Encoding) {
    let st = endpoint(d, "service_token");
    assert_eq!(
        (st.method, st.path.as_str(), st.encoding),
        (Method::Post, "/service/serviceToken", encoding)
    );
    assert_eq!(base(st, "prod"), Some("https://api.anyweb.cc"));
    assert_param(st, "appid", Location::Body, true);
    assert_param(st, "secret", Location::Body, true);
    assert!(param(st, "secret").secret);
    assert_eq!(
        st.envelope
            .as_ref()
            .map(|e| e.success.to_string())
            .as_deref(),
        Some("code == 1000")
    );
    assert_eq!(
        st.token.as_ref().map(|t| t.path.as_str()),
        Some("data.serviceToken")
    );
    assert_eq!(
        (st.expiry[0].path.as_str(), st.expiry[0].kind),
        ("data.expiresIn", ExpiryKind::Seconds)
    );
    let conflict = st
        .conflicts
        .iter()
        .find(|c| c.topic == "/encoding")
        .expect("encoding conflict");
    assert_eq!(
        conflict.chosen, "json",
        "the page's statement is what the parser picks"
    );
    assert_eq!(conflict.alternatives, ["multipart", "form"]);
    // Tab titles label the samples.
    let labels: Vec<Option<&str>> = st.examples.iter().map(|e| e.label.as_deref()).collect();
    assert_eq!(
        labels,
        [Some("Node"), Some("Python"), Some("Java"), Some("返回值")]
    );
}

fn check_coupang(d: &Descriptor) {
    let t = endpoint(d, "get_token");
    assert_eq!(
        (t.method, t.path.as_str(), t.encoding),
        (Method::Post, "/oauth/token/get", Encoding::Json)
    );
    assert_eq!(base(t, "test"), Some("https://coupang.blsct.com"));
    assert_param(t, "app_id", Location::Body, true);
    assert_param(t, "app_secret", Location::Body, true);
    assert_eq!(param(t, "app_secret").alternatives, ["app_key"]);
    assert!(param(t, "app_secret").secret);
    assert_eq!(
        t.envelope
            .as_ref()
            .map(|e| e.success.to_string())
            .as_deref(),
        Some("statusCode == 200")
    );
    assert_eq!(
        t.envelope.as_ref().and_then(|e| e.message.as_deref()),
        Some("errMsg")
    );
    let token = t.token.as_ref().expect("token");
    assert_eq!(
        (token.path.as_str(), token.scheme_included.as_deref()),
        ("accessToken", Some("Bearer"))
    );
    assert_eq!(
        (t.expiry[0].path.as_str(), t.expiry[0].kind),
        ("expiresIn", ExpiryKind::Seconds)
    );
    let names: Vec<(&str, &[String])> = t
        .response
        .iter()
        .map(|f| (f.name.as_str(), f.aliases.as_slice()))
        .collect();
    assert_eq!(names.len(), 5);
    assert_eq!(names[1], ("accessToken", &["access_token".to_owned()][..]));
    let codes: Vec<(&str, &str)> = t
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.variant.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("400", "BadRequest"),
            ("500", "ServerError"),
            ("401", "Unauthorized"),
            ("403", "Forbidden")
        ]
    );
    assert!(
        t.conflicts
            .iter()
            .any(|c| c.topic == "/params/app_secret/name" && c.alternatives == ["app_key"])
    );
    assert!(
        t.conflicts
            .iter()
            .any(|c| c.topic == "/response" && c.alternatives.contains(&"access_token".to_owned()))
    );
    let protected: Vec<(&str, bool)> = d
        .resources
        .iter()
        .map(|r| (r.url.as_str(), r.requires_token))
        .collect();
    assert_eq!(
        protected,
        [
            ("http://testapi.coupang.blsct.com/product", false),
            ("http://testapi.coupang.blsct.com/product/get?id=1", true)
        ]
    );
}

#[test]
fn ebaas_from_specs() {
    let build = with_manifest("ebaas");
    let d = descriptor(&build);
    check_ebaas(d);
    assert_eq!(d.provider, "ebaas");
    assert_eq!(
        endpoint(d, "get_access_token").expiry[0]
            .time_zone
            .as_deref(),
        Some("Asia/Shanghai")
    );
    let conflict = &endpoint(d, "get_service_ticket").conflicts[0];
    assert!(
        conflict
            .settled_by
            .as_deref()
            .is_some_and(|s| s.starts_with("ebaas/manifest.toml:10: "))
    );
    assert_eq!(
        warnings(&build),
        Vec::<String>::new(),
        "the manifest settles every warning"
    );
}

#[test]
fn ebaas_described_without_manifest() {
    let build = without_manifest(&["ebaas/get-service-ticket.md", "ebaas/get-access-token.json"]);
    let d = descriptor(&build);
    check_ebaas(d);
    assert_eq!(d.provider, "ebaas", "guessed from the host");
    let w = warnings(&build);
    assert!(
        w.iter().any(|w| w.starts_with("../specs/ebaas/get-service-ticket.md:44: warning: `get_service_ticket`: response field: the table (line 38) lists `access_token`")),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("datetime expiry with no time zone")),
        "{w:#?}"
    );
}

#[test]
fn appauth_from_specs_and_without_manifest() {
    check_appauth(descriptor(&with_manifest("appauth")));
    let build = without_manifest(&["appauth/access-token.md"]);
    check_appauth(descriptor(&build));
}

#[test]
fn anyweb_override_settles_the_encoding() {
    let build = with_manifest("anyweb");
    let d = descriptor(&build);
    check_anyweb(d, Encoding::Form);
    assert_eq!(warnings(&build), Vec::<String>::new());
    let build = without_manifest(&["anyweb/service-token.mdx"]);
    check_anyweb(descriptor(&build), Encoding::Json);
    let w = warnings(&build);
    assert!(
        w.iter().any(|w| w.starts_with("../specs/anyweb/service-token.mdx:58: warning: `service_token`: body encoding: chose json because the page says so (line 13)")),
        "{w:#?}"
    );
}

#[test]
fn coupang_sample_names_win_and_are_reported() {
    let build = with_manifest("coupang");
    check_coupang(descriptor(&build));
    assert_eq!(warnings(&build), Vec::<String>::new());
    let build = without_manifest(&["coupang/token.md"]);
    check_coupang(descriptor(&build));
    let w = warnings(&build);
    assert!(w.iter().any(|w| w.contains(":43: warning: `get_token`: request parameter: the table (line 17) names `app_key` but the request sample (line 43) sends `app_secret`")), "{w:#?}");
    assert!(
        w.iter().any(|w| w.contains(
            ":52: warning: `get_token`: response field names: the table spells them `app_id`"
        )),
        "{w:#?}"
    );
}

#[test]
fn snapshots_of_every_seed_descriptor() {
    for (name, pages) in [
        (
            "ebaas",
            &["ebaas/get-service-ticket.md", "ebaas/get-access-token.json"][..],
        ),
        ("appauth", &["appauth/access-token.md"][..]),
        ("anyweb", &["anyweb/service-token.mdx"][..]),
        ("coupang", &["coupang/token.md"][..]),
    ] {
        let build = without_manifest(pages);
        let report: Vec<String> = build.diagnostics.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(
            format!("described_{name}"),
            format!("{}\n{}", report.join("\n"), descriptor(&build).to_json())
        );
    }
}

#[test]
fn checked_in_descriptors_are_up_to_date() {
    let plan = parse::plan(&parse::Layout::under(&specs())).expect("specs readable");
    // Discovered, not counted: adding a provider folder keeps this test green.
    let providers = parse::provider::discover_providers(&specs()).expect("specs readable");
    assert!(!providers.is_empty());
    assert_eq!(
        plan.files.len(),
        2 * providers.len(),
        "a descriptor and an embeddable source per provider"
    );
    assert_eq!(
        plan.problems(&parse::Layout::under(&specs())),
        Vec::<String>::new(),
        "run `cargo xtask regen`"
    );
}

#[test]
fn editing_a_page_makes_check_name_the_stale_descriptor() {
    let tmp = std::env::temp_dir().join(format!("authgen-check-{}", std::process::id()));
    let specs_copy = tmp.join("specs");
    copy_dir(&specs(), &specs_copy);
    copy_dir(&specs().join("../generated"), &tmp.join("generated"));
    let page = specs_copy.join("ebaas/get-service-ticket.md");
    let text = std::fs::read_to_string(&page)
        .expect("page")
        .replace("/oauth/getServiceTicket", "/oauth/getServiceTicketV2")
        .replace("get_service_ticket", "get_service_ticket_v2");
    std::fs::write(&page, text).expect("write");
    std::fs::remove_file(specs_copy.join("descriptors/coupang.json")).expect("remove");
    let manifest = specs_copy.join("ebaas/manifest.toml");
    let edited = std::fs::read_to_string(&manifest)
        .expect("manifest")
        .replace("\"get_service_ticket\"", "\"get_service_ticket_v2\"");
    std::fs::write(&manifest, edited).expect("write");
    let plan = parse::plan(&parse::Layout::under(&specs_copy)).expect("plan");
    let problems = plan.problems(&parse::Layout::under(&specs_copy));
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(
        problems,
        [
            "missing: specs/descriptors/coupang.json (built from coupang/token.md)",
            "stale: specs/descriptors/ebaas.json (built from ebaas/get-access-token.json, ebaas/get-service-ticket.md)",
            "stale: generated/ebaas.rs (built from specs/descriptors/ebaas.json)",
        ]
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every response field's source line names it: a sample's `"key"` (so the line is the key's,
/// not the fence's or its neighbour's), or a table row with the name or one of its aliases.
#[test]
fn response_field_sources_point_at_the_line_naming_them() {
    fn check(fields: &[authgen_descriptor::model::Field], checked: &mut usize) {
        for field in fields {
            check(&field.fields, checked);
            let Some(file) = field.source.page.strip_suffix("#__html").map_or_else(
                || Some(field.source.page.as_str()),
                |_| None, // lines count inside the JSON string's HTML, not the file
            ) else {
                continue;
            };
            let text = std::fs::read_to_string(specs().join(file)).unwrap();
            let line = text
                .lines()
                .nth(field.source.line as usize - 1)
                .unwrap_or_default();
            let names: Vec<&str> = std::iter::once(field.name.as_str())
                .chain(field.aliases.iter().map(String::as_str))
                .collect();
            let named = if line.trim_start().starts_with('"') {
                names.iter().any(|n| line.contains(&format!("\"{n}\"")))
            } else {
                names.iter().any(|n| line.contains(n))
            };
            assert!(
                named,
                "{} line {} does not name `{}`: {line:?}",
                file, field.source.line, field.name
            );
            *checked += 1;
        }
    }
    let mut checked = 0;
    for provider in ["ebaas", "appauth", "anyweb", "coupang"] {
        for e in &descriptor(&with_manifest(provider)).endpoints {
            check(&e.response, &mut checked);
        }
    }
    assert!(checked >= 20, "only {checked} fields checked");
}
