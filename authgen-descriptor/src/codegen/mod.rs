//! Descriptor → Rust (feature `codegen`). One function serves both the `#[token_endpoint]` macro
//! and the embeddable files `cargo xtask regen` writes, so the two cannot drift apart.
//!
//! For a provider whose credential struct is `Ebaas` the output is:
//! - `impl Ebaas`: a constructor per environment (`dev()`, `test()`, ...), `with_base_url()`
//!   and `session_builder()`; each turns the credentials into an `EbaasClient`;
//! - `EbaasClient`: the endpoint specs as associated consts and one async method per endpoint
//!   (`get_access_token()`), plus `<endpoint>_cached()` for token endpoints (through the cache);
//! - request structs (only for parameters that are neither credentials nor filled from a token),
//!   response structs (nested objects as their own structs, serde renames and aliases, tokens as
//!   `SecretString`), and one error-code enum per endpoint (`EbaasGetAccessTokenError`: the
//!   codes that endpoint documents ↔ variants ↔ messages; unknown codes kept).

mod docs;
mod fields;
mod spec;
mod types;

pub use fields::{BaseType, FieldType, field_type};

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Descriptor, Endpoint, Role};

/// A credential field of the user's struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The field name (snake_case).
    pub field: String,
    /// The parameter's wire name.
    pub wire: String,
    /// The field's type ([`field_type`]).
    pub ty: FieldType,
    /// Whether generated code sends the field. The macro clears it for a field declared with
    /// the wrong type: the field stays a credential (the methods keep their signatures, so the
    /// one error is not followed by one per use) but is not read (which would be a second error).
    pub sent: bool,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The credential struct's name (`Ebaas`); the client is `<name>Client`.
    pub struct_name: String,
    /// The struct's fields; empty for a unit struct (credentials then come per call).
    pub credentials: Vec<Credential>,
    /// Endpoints to generate (all when `None`).
    pub endpoints: Option<Vec<String>>,
    /// Method renames: endpoint name → method name.
    pub renames: Vec<(String, String)>,
}

impl Options {
    /// The options the embeddable file uses: struct named after the provider, fields from the
    /// descriptor ([`default_credentials`]), every endpoint, no renames.
    pub fn for_descriptor(descriptor: &Descriptor) -> Self {
        Self {
            struct_name: descriptor.provider.to_upper_camel_case(),
            credentials: default_credentials(descriptor),
            endpoints: None,
            renames: Vec::new(),
        }
    }
}

/// The credentials a client is built with: the parameters whose role is
/// [`Role::Credential`] and the HTTP Basic credentials of every endpoint, in endpoint order.
pub fn default_credentials(descriptor: &Descriptor) -> Vec<Credential> {
    user_values(descriptor, |role| *role == Role::Credential)
}

/// Every value a struct field may stand for: credentials, per-call parameters and HTTP Basic
/// credentials (never constants, tokens or computed headers), deduplicated by field name.
pub fn credential_candidates(descriptor: &Descriptor) -> Vec<Credential> {
    user_values(descriptor, Role::user_supplied)
}

fn user_values(descriptor: &Descriptor, keep: impl Fn(&Role) -> bool) -> Vec<Credential> {
    let mut out: Vec<Credential> = Vec::new();
    let mut push = |field: &str, wire: &str, ty: FieldType| {
        if !out.iter().any(|c| c.field == field) {
            out.push(Credential {
                field: field.to_owned(),
                wire: wire.to_owned(),
                ty,
                sent: true,
            });
        }
    };
    for endpoint in &descriptor.endpoints {
        if let Some(basic) = &endpoint.basic_auth {
            push(
                &rust_name(&basic.user),
                &basic.user,
                fields::basic_type(false),
            );
            push(
                &rust_name(&basic.password),
                &basic.password,
                fields::basic_type(true),
            );
        }
        for p in endpoint.params.iter().filter(|p| keep(&p.role)) {
            push(&p.rust_name, &p.name, field_type(p));
        }
    }
    out
}

/// The field name of an HTTP Basic credential (`client_id`, `clientSecret` → `client_secret`).
fn rust_name(wire: &str) -> String {
    use heck::ToSnakeCase;
    let name = wire.to_snake_case();
    if crate::model::is_field_name(&name) {
        name
    } else {
        "credential".to_owned()
    }
}

/// The credential struct the embeddable file declares.
pub fn credential_struct(descriptor: &Descriptor, options: &Options) -> TokenStream {
    let name = Ident::new(&options.struct_name, Span::call_site());
    let doc = docs::doc_attrs(&[format!(
        "Credentials for {}: turn them into a client with an environment constructor or `with_base_url`.",
        docs::code(&descriptor.provider)
    )]);
    let fields = options.credentials.iter().map(|c| {
        let field = Ident::new(&c.field, Span::call_site());
        let ty = c.ty.tokens();
        let doc = docs::doc_attrs(&[format!("Sent as {}.", docs::code(&c.wire))]);
        quote! { #doc pub #field: #ty }
    });
    if options.credentials.is_empty() {
        quote! { #doc #[allow(dead_code)] pub struct #name; }
    } else {
        quote! { #doc #[allow(dead_code)] pub struct #name { #(#fields,)* } }
    }
}

/// Everything generated for a provider except the credential struct itself.
pub fn provider_items(descriptor: &Descriptor, options: &Options) -> TokenStream {
    let endpoints: Vec<&Endpoint> = descriptor
        .endpoints
        .iter()
        .filter(|e| {
            options
                .endpoints
                .as_ref()
                .is_none_or(|only| only.contains(&e.name))
        })
        .collect();
    let name = Ident::new(&options.struct_name, Span::call_site());
    let client = format_ident!("{}Client", options.struct_name);

    let consts = endpoints
        .iter()
        .map(|e| spec::endpoint_const(descriptor, e));
    let const_names: Vec<Ident> = endpoints.iter().map(|e| spec::const_name(e)).collect();
    let methods = endpoints
        .iter()
        .map(|e| client_method(descriptor, e, options));
    let types = endpoints
        .iter()
        .map(|e| types::endpoint_types(&options.struct_name, e, options));
    let errors = endpoints
        .iter()
        .map(|e| types::error_enum(&options.struct_name, e));
    let constructors = constructors(descriptor, &endpoints, options);
    let provider = &descriptor.provider;
    let client_doc = docs::doc_attrs(&[format!(
        "Client for {}: one method per endpoint; token endpoints also have a cached `<endpoint>_cached()`.",
        docs::code(provider)
    )]);
    let into_params = credential_params(options);

    // In a binary crate every generated item the program does not call would be `dead_code`:
    // the generated API is a library's, whatever crate holds it.
    quote! {
        #[allow(dead_code)]
        impl #name {
            #constructors

            /// A session builder with this client's endpoints and these credentials, for custom
            /// HTTP settings, clocks and stores; finish with `build()` and `from_session`.
            pub fn session_builder(self, client: ::auth_runtime::Client, environment: &str, base_url: &str) -> ::auth_runtime::SessionBuilder {
                ::auth_runtime::Session::builder(client, #client::ENDPOINTS, environment, base_url).credentials(#into_params)
            }

            /// A client on `base_url` with the default HTTP settings.
            pub fn with_base_url(self, base_url: &str) -> ::std::result::Result<#client, ::auth_runtime::Error> {
                let client = ::auth_runtime::Client::default_for(#provider)?;
                self.session_builder(client, "custom", base_url).build().map(#client::from_session)
            }
        }

        #client_doc
        #[derive(Clone, Debug)]
        #[allow(dead_code)]
        pub struct #client {
            session: ::auth_runtime::Session,
        }

        #[allow(dead_code)]
        impl #client {
            #(#consts)*

            /// Every endpoint of this client.
            pub const ENDPOINTS: &'static [&'static ::auth_runtime::spec::EndpointSpec] = &[#(&Self::#const_names),*];

            /// A client over an existing session (built with `session_builder`).
            pub fn from_session(session: ::auth_runtime::Session) -> Self {
                Self { session }
            }

            /// The session: token caches, protected calls (`send_authorized`).
            pub fn session(&self) -> &::auth_runtime::Session {
                &self.session
            }

            #(#methods)*
        }

        #(#types)*
        #(#errors)*
    }
}

fn credential_params(options: &Options) -> TokenStream {
    if options.credentials.is_empty() {
        return quote!(::auth_runtime::Params::new());
    }
    let sets = options.credentials.iter().filter(|c| c.sent).map(|c| {
        let field = Ident::new(&c.field, Span::call_site());
        fields::set_value(c.ty, &c.wire, quote!(self.#field))
    });
    quote!({
        let mut params = ::auth_runtime::Params::new();
        #(#sets)*
        params
    })
}

fn constructors(
    descriptor: &Descriptor,
    endpoints: &[&Endpoint],
    options: &Options,
) -> TokenStream {
    let client = format_ident!("{}Client", options.struct_name);
    let provider = &descriptor.provider;
    let mut envs: Vec<(&String, &String)> = Vec::new();
    for e in endpoints {
        for (env, url) in &e.base_urls {
            if !envs.iter().any(|(n, _)| *n == env) {
                envs.push((env, url));
            }
        }
    }
    envs.sort();
    // Labels that are not identifiers stay reachable through `with_base_url`.
    let items = envs
        .iter()
        .filter(|(env, _)| {
            crate::model::is_field_name(env)
                && !["session_builder", "with_base_url"].contains(&env.as_str())
        })
        .map(|(env, url)| {
            let method = format_ident!("{}", env.as_str());
            let doc = docs::doc_attrs(&[format!(
                "A client on the {} environment ({}) with the default HTTP settings.",
                docs::code(env),
                docs::code(url)
            )]);
            quote! {
                #doc
                pub fn #method(self) -> ::std::result::Result<#client, ::auth_runtime::Error> {
                    let client = ::auth_runtime::Client::default_for(#provider)?;
                    self.session_builder(client, #env, #url).build().map(#client::from_session)
                }
            }
        });
    quote! { #(#items)* }
}

fn client_method(descriptor: &Descriptor, e: &Endpoint, options: &Options) -> TokenStream {
    let method_name = options
        .renames
        .iter()
        .find(|(endpoint, _)| *endpoint == e.name)
        .map_or(e.name.as_str(), |(_, m)| m.as_str());
    let method = format_ident!("{}", method_name);
    let const_name = spec::const_name(e);
    let response = types::response_name(&options.struct_name, e);
    let request_params = types::request_params(e, options);
    let mut docs_lines = vec![format!(
        "{}: {}.",
        e.title.as_deref().map_or(e.name.clone(), docs::sanitize),
        docs::code(&format!("{} {}", e.method, e.path))
    )];
    if let Some(d) = &e.description {
        docs_lines.push(docs::sanitize(d));
    }
    if let Some(s) = e.sources.get("path") {
        docs_lines.push(format!("Documented at {}.", docs::code(&s.to_string())));
    }
    let doc = docs::doc_attrs(&docs_lines);
    let (arg, sets) = if request_params.is_empty() {
        (quote!(), quote!())
    } else {
        let request = types::request_name(&options.struct_name, e);
        let sets = request_params.iter().map(|p| {
            let field = Ident::new(&p.rust_name, Span::call_site());
            fields::set_value(field_type(p), &p.name, quote!(request.#field))
        });
        (quote!(request: #request), quote!(#(#sets)*))
    };
    let mutability = if request_params.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let call = quote! {
        #doc
        pub async fn #method(&self, #arg) -> ::std::result::Result<#response, ::auth_runtime::Error> {
            let #mutability params = ::auth_runtime::Params::new();
            #sets
            let body = self.session.call(&Self::#const_name, &params).await?;
            ::auth_runtime::__private::decode(&Self::#const_name, body)
        }
    };
    let cached = (e.issues_token() && request_params.is_empty()).then(|| {
        let cached = format_ident!("{}_cached", method_name);
        let endpoint_name = &e.name;
        let provider = &descriptor.provider;
        let doc = docs::doc_attrs(&[format!(
            "The {} token from the cache: fetched once however many tasks ask, refreshed early, invalidated and refetched when rejected.",
            docs::code(&format!("{provider}.{endpoint_name}"))
        )]);
        quote! {
            #doc
            pub async fn #cached(&self) -> ::std::result::Result<::auth_runtime::Token, ::auth_runtime::Error> {
                self.session.token(#endpoint_name).await
            }
        }
    });
    quote! { #call #cached }
}

/// The embeddable file: header, credential struct and items, formatted with prettyplease.
pub fn embedded_file(descriptor: &Descriptor, descriptor_path: &str) -> Result<String, String> {
    let options = Options::for_descriptor(descriptor);
    let tokens = embedded_tokens(descriptor, &options);
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!(
        "// @generated by `cargo xtask regen` from {descriptor_path}. Do not edit by hand:\n// change the page's manifest (specs/<provider>/manifest.toml) and run `cargo xtask regen`.\n// Depends only on `auth-runtime` and `serde`.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

/// The token stream of the embeddable file (what the macro produces for the default struct).
pub fn embedded_tokens(descriptor: &Descriptor, options: &Options) -> TokenStream {
    let item = credential_struct(descriptor, options);
    let items = provider_items(descriptor, options);
    quote! { #item #items }
}
