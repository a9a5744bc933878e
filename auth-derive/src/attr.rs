//! The attribute's options, parsed with every problem collected (not just the first).

use proc_macro2::{Span, TokenStream};
use syn::LitStr;
use syn::parse::Parser;

/// Option keywords, in one place so messages and parsing agree.
const SPEC: &str = "spec";
const ENDPOINTS: &str = "endpoints";
const RENAME: &str = "rename";
const ALL: &str = "`spec`, `endpoints`, `rename`";

/// The parsed options; literals keep their spans for later errors.
pub struct Attr {
    pub spec: Option<LitStr>,
    pub endpoints: Option<Vec<LitStr>>,
    pub renames: Vec<(syn::Ident, LitStr)>,
}

/// Parses `spec = "...", endpoints = ["a"], rename(a = "b")`, collecting errors.
pub fn parse(tokens: TokenStream) -> (Attr, Option<syn::Error>) {
    let mut attr = Attr {
        spec: None,
        endpoints: None,
        renames: Vec::new(),
    };
    let mut errors: Option<syn::Error> = None;
    let push = |e: syn::Error, errors: &mut Option<syn::Error>| match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    };
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident(SPEC) {
            let value: LitStr = meta.value()?.parse()?;
            if attr.spec.is_some() {
                push(
                    syn::Error::new_spanned(&meta.path, "duplicate `spec` option"),
                    &mut errors,
                );
            } else {
                attr.spec = Some(value);
            }
            Ok(())
        } else if meta.path.is_ident(ENDPOINTS) {
            let array: syn::ExprArray = meta.value()?.parse()?;
            let list = array
                .elems
                .iter()
                .map(|e| match e {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Ok(s.clone()),
                    other => Err(syn::Error::new_spanned(
                        other,
                        "expected an endpoint name in quotes",
                    )),
                })
                .collect::<syn::Result<Vec<LitStr>>>()?;
            if attr.endpoints.is_some() {
                push(
                    syn::Error::new_spanned(&meta.path, "duplicate `endpoints` option"),
                    &mut errors,
                );
            } else {
                attr.endpoints = Some(list);
            }
            Ok(())
        } else if meta.path.is_ident(RENAME) {
            meta.parse_nested_meta(|inner| {
                let ident = inner
                    .path
                    .get_ident()
                    .cloned()
                    .ok_or_else(|| inner.error("expected an endpoint name"))?;
                let method: LitStr = inner.value()?.parse()?;
                attr.renames.push((ident, method));
                Ok(())
            })
        } else {
            let name = quote::ToTokens::to_token_stream(&meta.path).to_string();
            Err(meta.error(format!("unknown option `{name}`, expected one of {ALL}")))
        }
    });
    if let Err(e) = parser.parse2(tokens) {
        push(e, &mut errors);
    }
    if attr.spec.is_none() && errors.is_none() {
        push(
            syn::Error::new(
                Span::call_site(),
                "missing `spec = \"specs/descriptors/<provider>.json\"` in #[token_endpoint(...)]",
            ),
            &mut errors,
        );
    }
    (attr, errors)
}
