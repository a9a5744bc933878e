//! Scoring a descriptor against a page's expected facts (the corpus's `expected/<page>.json`,
//! schema in `corpus/README.md`). One point per fact, strictly: the endpoint found by its exact
//! path, its method, each base URL, the exact body encoding, each parameter (present, location,
//! required flag, type), the success rule with its JSON type (or its absence), the token path (and
//! header location), the expiry path and kind (or its absence), each error code. What the
//! descriptor says beyond the expected facts (parameters, endpoints) is reported as spurious.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::model::{Descriptor, Endpoint, ExpiryKind};

/// A page's expected facts.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedPage {
    /// The page's file name.
    pub doc: String,
    /// The provider, as a human names it.
    #[serde(default)]
    pub provider: String,
    /// The endpoints the page documents.
    pub endpoints: Vec<ExpectedEndpoint>,
}

/// One expected endpoint.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedEndpoint {
    /// A good Rust name for it (informational).
    #[serde(default)]
    pub name_hint: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, as the API has it.
    pub path: String,
    /// Base URLs by free label; compared as a set of URLs.
    #[serde(default)]
    pub base_urls: BTreeMap<String, String>,
    /// `query`, `json`, `form` or `multipart`.
    #[serde(default)]
    pub body_encoding: Option<String>,
    /// Request parameters.
    #[serde(default)]
    pub request: Vec<ExpectedParam>,
    /// The success rule, `None` when success is the HTTP status.
    #[serde(default)]
    pub success: Option<ExpectedSuccess>,
    /// Dotted path of the token (or a header name, with `token_location: header`).
    #[serde(default)]
    pub token_path: Option<String>,
    /// `header` when the token comes in a response header.
    #[serde(default)]
    pub token_location: Option<String>,
    /// Where the expiry sits, `None` when the response states no lifetime.
    #[serde(default)]
    pub expiry: Option<ExpectedExpiry>,
    /// Documented error codes.
    #[serde(default)]
    pub error_codes: Vec<ExpectedError>,
}

/// One expected parameter.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedParam {
    /// Wire name.
    pub name: String,
    /// `query`, `body`, `header` or `path`.
    #[serde(rename = "in")]
    pub location: String,
    /// Whether it is required.
    pub required: bool,
    /// `string`, `integer`, `boolean`, `object`, `array` (`number` also accepted).
    #[serde(rename = "type", default)]
    pub ty: Option<String>,
}

/// The expected success rule.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedSuccess {
    /// Dotted path of the tested field.
    pub field: String,
    /// The value meaning success, with its JSON type.
    pub equals: serde_json::Value,
}

/// The expected expiry.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedExpiry {
    /// Dotted path.
    pub path: String,
    /// `seconds` or `datetime`.
    pub kind: String,
    /// Other `{path, kind}` pairs giving the same instant.
    #[serde(default)]
    pub also_acceptable: Vec<ExpectedExpiry>,
}

/// One expected error code.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedError {
    /// The code as a string.
    pub code: String,
}

/// The score of one page.
#[derive(Debug, Clone, Default)]
pub struct PageScore {
    /// Facts found.
    pub got: usize,
    /// Facts expected.
    pub total: usize,
    /// What was missed, one line each.
    pub misses: Vec<String>,
    /// Parameters and endpoints the descriptor has and the page's expected facts do not.
    pub spurious: Vec<String>,
    /// Conflicts the descriptor recorded.
    pub conflicts: usize,
}

impl PageScore {
    /// `got / total` as a fraction (1 for a page with no facts).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.got as f64 / self.total as f64
        }
    }

    fn point(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.total += 1;
        if ok {
            self.got += 1;
        } else {
            self.misses.push(what());
        }
    }

    /// The misses and spurious items as indented lines.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for m in &self.misses {
            let _ = writeln!(out, "    miss: {m}");
        }
        for s in &self.spurious {
            let _ = writeln!(out, "    spurious: {s}");
        }
        out
    }
}

/// Scores the descriptors built from a page against its expected facts. No descriptor at all
/// scores every fact as missed.
pub fn score(expected: &ExpectedPage, descriptors: &[Descriptor]) -> PageScore {
    let mut score = PageScore::default();
    let endpoints: Vec<&Endpoint> = descriptors.iter().flat_map(|d| &d.endpoints).collect();
    score.conflicts = endpoints.iter().map(|e| e.conflicts.len()).sum();
    let mut matched: Vec<&str> = Vec::new();
    for want in &expected.endpoints {
        let found = find_endpoint(&endpoints, want);
        if let Some(e) = found {
            matched.push(&e.name);
        }
        score_endpoint(&mut score, want, found);
    }
    for e in &endpoints {
        if !matched.contains(&e.name.as_str()) {
            score
                .spurious
                .push(format!("endpoint {} {} ({})", e.method, e.path, e.name));
        }
    }
    score
}

/// The endpoint with the expected path (a trailing slash apart: whether it is exact is a fact of
/// its own), preferring the exact path and then the expected method.
fn find_endpoint<'e>(endpoints: &[&'e Endpoint], want: &ExpectedEndpoint) -> Option<&'e Endpoint> {
    let mut same_path: Vec<&Endpoint> = endpoints
        .iter()
        .copied()
        .filter(|e| e.path.trim_end_matches('/') == want.path.trim_end_matches('/'))
        .collect();
    same_path.sort_by_key(|e| e.path != want.path);
    same_path
        .iter()
        .find(|e| e.method.as_str().eq_ignore_ascii_case(&want.method))
        .or(same_path.first())
        .copied()
}

fn score_endpoint(score: &mut PageScore, want: &ExpectedEndpoint, found: Option<&Endpoint>) {
    let at = format!("{} {}", want.method, want.path);
    score.point(found.is_some(), || format!("{at}: endpoint not found"));
    let e = found;
    score.point(e.is_some_and(|e| e.path == want.path), || {
        format!(
            "{at}: exact path (saw {})",
            e.map_or("-", |e| e.path.as_str())
        )
    });
    score.point(
        e.is_some_and(|e| e.method.as_str().eq_ignore_ascii_case(&want.method)),
        || {
            format!(
                "{at}: method (saw {})",
                e.map_or("-", |e| e.method.as_str())
            )
        },
    );
    for url in want.base_urls.values() {
        let ok = e.is_some_and(|e| e.base_urls.values().any(|u| same_url(u, url)));
        score.point(ok, || {
            format!(
                "{at}: base URL {url} (saw {})",
                e.map_or(String::new(), |e| e
                    .base_urls
                    .values()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "))
            )
        });
    }
    if let Some(encoding) = &want.body_encoding {
        score.point(e.is_some_and(|e| e.encoding.as_str() == encoding), || {
            format!(
                "{at}: encoding {encoding} (saw {})",
                e.map_or("-", |e| e.encoding.as_str())
            )
        });
    }
    for p in &want.request {
        let got = e.and_then(|e| {
            e.params.iter().find(|q| {
                if p.location == "header" {
                    q.name.eq_ignore_ascii_case(&p.name)
                } else {
                    q.name == p.name
                }
            })
        });
        score.point(got.is_some(), || format!("{at}: parameter {}", p.name));
        score.point(
            got.is_some_and(|q| q.location.as_str() == p.location),
            || {
                format!(
                    "{at}: parameter {} in {} (saw {})",
                    p.name,
                    p.location,
                    got.map_or("-", |q| q.location.as_str())
                )
            },
        );
        score.point(got.is_some_and(|q| q.required == p.required), || {
            format!(
                "{at}: parameter {} required={} (saw {})",
                p.name,
                p.required,
                got.map_or("-".to_owned(), |q| q.required.to_string())
            )
        });
        if let Some(ty) = &p.ty {
            score.point(got.is_some_and(|q| q.ty.as_str() == ty), || {
                format!(
                    "{at}: parameter {} type {ty} (saw {})",
                    p.name,
                    got.map_or("-", |q| q.ty.as_str())
                )
            });
        }
    }
    if let Some(e) = e {
        for q in &e.params {
            if !want
                .request
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&q.name))
            {
                score.spurious.push(format!(
                    "{at}: parameter {} ({})",
                    q.name,
                    q.location.as_str()
                ));
            }
        }
    }
    let envelope = e.and_then(|e| e.envelope.as_ref());
    match &want.success {
        Some(s) => score.point(
            envelope.is_some_and(|v| v.success.field == s.field && v.success.equals == s.equals),
            || {
                format!(
                    "{at}: success {} == {} (saw {})",
                    s.field,
                    s.equals,
                    envelope.map_or("none".to_owned(), |v| v.success.to_string())
                )
            },
        ),
        None => score.point(e.is_some() && envelope.is_none(), || {
            format!(
                "{at}: no success field (HTTP status) (saw {})",
                envelope.map_or("none".to_owned(), |v| v.success.to_string())
            )
        }),
    }
    if let Some(path) = &want.token_path {
        let token = e.and_then(|e| e.token.as_ref());
        let header = want.token_location.as_deref() == Some("header");
        score.point(
            token.is_some_and(|t| {
                if header {
                    t.header && t.path.eq_ignore_ascii_case(path)
                } else {
                    !t.header && t.path == *path
                }
            }),
            || {
                format!(
                    "{at}: token {}{path} (saw {})",
                    if header { "header " } else { "" },
                    token.map_or("none".to_owned(), |t| format!(
                        "{}{}",
                        if t.header { "header " } else { "" },
                        t.path
                    ))
                )
            },
        );
    }
    let expiry = e.map_or(&[][..], |e| e.expiry.as_slice());
    match &want.expiry {
        Some(x) => {
            let options: Vec<&ExpectedExpiry> =
                std::iter::once(x).chain(&x.also_acceptable).collect();
            let path_ok = expiry
                .iter()
                .any(|got| options.iter().any(|o| o.path == got.path));
            let kind_ok = expiry.iter().any(|got| {
                options
                    .iter()
                    .any(|o| o.path == got.path && kind_name(got.kind) == o.kind)
            });
            let saw = || {
                expiry
                    .iter()
                    .map(|g| format!("{} {}", g.path, kind_name(g.kind)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            score.point(path_ok, || {
                format!("{at}: expiry {} (saw {})", x.path, saw())
            });
            score.point(kind_ok, || {
                format!("{at}: expiry kind {} (saw {})", x.kind, saw())
            });
        }
        None => {
            if want.token_path.is_some() {
                score.point(e.is_some() && expiry.is_empty(), || {
                    format!("{at}: no expiry expected (saw {})", expiry.len())
                });
            }
        }
    }
    for code in &want.error_codes {
        score.point(
            e.is_some_and(|e| e.errors.iter().any(|x| x.code == code.code)),
            || format!("{at}: error code {}", code.code),
        );
    }
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

fn kind_name(k: ExpiryKind) -> &'static str {
    match k {
        ExpiryKind::Seconds => "seconds",
        ExpiryKind::Datetime => "datetime",
    }
}
