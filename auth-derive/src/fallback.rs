//! What to emit when the descriptor cannot be used: the struct as written, its client type, and
//! a stub for every method the descriptor would have given (as far as a broken file still says),
//! so one mistake gives one error, not one more at every use of the client (thiserror's
//! fallback idea).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// An endpoint method the broken descriptor still names.
#[derive(Debug, Clone)]
pub struct Stub {
    /// The endpoint name (the method's).
    pub name: String,
    /// Whether it issues a token (then `<name>_cached` exists too).
    pub token: bool,
}

/// The endpoints a descriptor that failed to load still names: from its JSON when it parses
/// (a version or validation error), else from the lines `regen` writes for endpoint names (a
/// syntax error such as a trailing comma). Names that are not identifiers are skipped.
pub fn stubs(text: &str) -> Vec<Stub> {
    let valid = |name: &str| authgen_descriptor::model::is_endpoint_name(name);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        return value
            .get("endpoints")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let name = e.get("name")?.as_str()?;
                valid(name).then(|| Stub {
                    name: name.to_owned(),
                    token: e.get("token").is_some_and(|t| !t.is_null()),
                })
            })
            .collect();
    }
    // Pretty JSON as regen writes it: an endpoint's own keys sit six spaces in.
    let mut out: Vec<Stub> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("      \"name\": \"")
            && let Some(name) = rest.strip_suffix("\",")
            && valid(name)
        {
            out.push(Stub {
                name: name.to_owned(),
                token: false,
            });
        } else if line.starts_with("      \"token\": {")
            && let Some(last) = out.last_mut()
        {
            last.token = true;
        }
    }
    out
}

pub fn expand(item: &syn::ItemStruct, errors: syn::Error, stubs: &[Stub]) -> TokenStream {
    let name = &item.ident;
    let client = format_ident!("{}Client", name);
    let errors = errors.into_compile_error();
    let methods = stubs.iter().map(|stub| {
        let method = format_ident!("{}", stub.name);
        let cached = stub.token.then(|| {
            let cached = format_ident!("{}_cached", stub.name);
            quote! {
                /// Placeholder: the `#[token_endpoint]` attribute has an error.
                pub async fn #cached(&self) -> ::std::result::Result<::auth_runtime::Token, ::auth_runtime::Error> {
                    ::core::unimplemented!("the #[token_endpoint] attribute has an error")
                }
            }
        });
        quote! {
            /// Placeholder: the `#[token_endpoint]` attribute has an error.
            pub async fn #method(&self) -> ::std::result::Result<::auth_runtime::serde_json::Value, ::auth_runtime::Error> {
                ::core::unimplemented!("the #[token_endpoint] attribute has an error")
            }
            #cached
        }
    });
    quote! {
        #item
        #errors
        /// Placeholder: the `#[token_endpoint]` attribute above has an error.
        pub struct #client;

        impl #name {
            /// Placeholder: the `#[token_endpoint]` attribute has an error.
            pub fn with_base_url(self, _base_url: &str) -> ::std::result::Result<#client, ::auth_runtime::Error> {
                ::core::unimplemented!("the #[token_endpoint] attribute has an error")
            }
        }

        impl #client {
            #(#methods)*
        }
    }
}
