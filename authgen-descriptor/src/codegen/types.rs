//! Request, response and error-code types.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::{Options, docs, field_type};
use crate::model::{Endpoint, Field, Param, ValueType};

/// `Ebaas` + `get_access_token` → `EbaasGetAccessTokenResponse`.
pub fn response_name(prefix: &str, e: &Endpoint) -> Ident {
    format_ident!("{}{}Response", prefix, e.name.to_upper_camel_case())
}

/// `Ebaas` + `hello` → `EbaasHelloRequest`.
pub fn request_name(prefix: &str, e: &Endpoint) -> Ident {
    format_ident!("{}{}Request", prefix, e.name.to_upper_camel_case())
}

/// Parameters the caller passes per call: supplied by the user (not constants, tokens or
/// computed headers) and not held by the credential struct.
pub fn request_params<'e>(e: &'e Endpoint, options: &Options) -> Vec<&'e Param> {
    e.params
        .iter()
        .filter(|p| p.role.user_supplied())
        .filter(|p| !options.credentials.iter().any(|c| c.field == p.rust_name))
        .collect()
}

/// The request struct (when the call takes per-call parameters) and the response structs.
pub fn endpoint_types(prefix: &str, e: &Endpoint, options: &Options) -> TokenStream {
    let request = {
        let params = request_params(e, options);
        (!params.is_empty()).then(|| {
            let name = request_name(prefix, e);
            let fields = params.iter().map(|p| {
                let field = Ident::new(&p.rust_name, Span::call_site());
                let ty = field_type(p).tokens();
                let mut lines = vec![format!(
                    "{}, sent in the {}{}.",
                    docs::code(&p.name),
                    p.location.as_str(),
                    if p.required { "" } else { " when `Some`" }
                )];
                lines.extend(p.description.as_deref().map(docs::sanitize));
                let doc = docs::doc_attrs(&lines);
                quote!(#doc pub #field: #ty)
            });
            let doc = docs::doc_attrs(&[format!("Per-call parameters of {}.", method_path(e))]);
            quote! { #doc #[allow(dead_code)] pub struct #name { #(#fields,)* } }
        })
    };
    let token_path = e.token.as_ref().map(|t| t.path.as_str());
    let mut structs = Vec::new();
    let name = response_name(prefix, e);
    let doc = vec![format!("The response of {}.", method_path(e))];
    object_struct(&name, &doc, &e.response, "", token_path, &mut structs);
    quote! { #request #(#structs)* }
}

/// `METHOD /path` as a doc code span.
fn method_path(e: &Endpoint) -> String {
    docs::code(&format!("{} {}", e.method, e.path))
}

fn object_struct(
    name: &Ident,
    doc: &[String],
    fields: &[Field],
    path: &str,
    token: Option<&str>,
    out: &mut Vec<TokenStream>,
) {
    let doc = docs::doc_attrs(doc);
    let members: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let field_path = if path.is_empty() {
                f.name.clone()
            } else {
                format!("{path}.{}", f.name)
            };
            let field = Ident::new(&f.rust_name, Span::call_site());
            let ty = if Some(field_path.as_str()) == token {
                quote!(::auth_runtime::SecretString)
            } else if !f.fields.is_empty() {
                let child = format_ident!("{}{}", name, f.rust_name.to_upper_camel_case());
                let child_doc = vec![format!("The {} object.", docs::code(&field_path))];
                object_struct(&child, &child_doc, &f.fields, &field_path, token, out);
                quote!(#child)
            } else {
                scalar_type(f.ty)
            };
            let wire = &f.name;
            let rename = (f.rust_name != f.name).then(|| quote!(rename = #wire,));
            let aliases = f.aliases.iter().map(|a| quote!(alias = #a,));
            let mut lines = Vec::new();
            lines.extend(f.description.as_deref().map(docs::sanitize));
            lines.push(format!(
                "Wire name {}; documented at {}.",
                docs::code(&f.name),
                docs::code(&f.source.to_string())
            ));
            let doc = docs::doc_attrs(&lines);
            quote! {
                #doc
                #[serde(default, #rename #(#aliases)*)]
                pub #field: ::core::option::Option<#ty>
            }
        })
        .collect();
    out.push(quote! {
        #doc
        #[derive(Debug, ::auth_runtime::serde::Deserialize)]
        #[serde(crate = "::auth_runtime::serde")]
        #[allow(dead_code)]
        pub struct #name { #(#members,)* }
    });
}

fn scalar_type(ty: ValueType) -> TokenStream {
    match ty {
        ValueType::String => quote!(::std::string::String),
        ValueType::Integer => quote!(i64),
        ValueType::Number => quote!(f64),
        ValueType::Boolean => quote!(bool),
        ValueType::Array => quote!(::std::vec::Vec<::auth_runtime::serde_json::Value>),
        ValueType::Object | ValueType::Unknown => quote!(::auth_runtime::serde_json::Value),
    }
}

/// `Ebaas` + `get_access_token` → `EbaasGetAccessTokenError`.
pub fn error_name(prefix: &str, e: &Endpoint) -> Ident {
    format_ident!("{}{}Error", prefix, e.name.to_upper_camel_case())
}

/// The error-code enum of one endpoint: the codes it documents, plus `Other` for the rest. A
/// code means what this endpoint says (`40001` may be a wrong secret on the token endpoint and
/// an invalid token on another), so `of()` only answers for errors of this endpoint, and its
/// variants are the endpoint spec's own.
pub fn error_enum(prefix: &str, e: &Endpoint) -> TokenStream {
    let name = error_name(prefix, e);
    let mut codes: Vec<(String, String, String)> = Vec::new();
    for x in &e.errors {
        if codes.iter().any(|(c, ..)| *c == x.code) {
            continue;
        }
        let mut variant = x.variant.clone();
        // `Other` is the enum's own catch-all; `Self` cannot name a variant.
        if codes.iter().any(|(_, v, _)| *v == variant)
            || ["Other", "Self"].contains(&variant.as_str())
        {
            variant = format!(
                "{variant}{}",
                x.code
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            );
        }
        codes.push((x.code.clone(), variant, x.message.clone()));
    }
    let variants: Vec<Ident> = codes
        .iter()
        .map(|(_, v, _)| Ident::new(v, Span::call_site()))
        .collect();
    let docs_v = codes
        .iter()
        .map(|(c, _, m)| docs::doc_attrs(&[format!("{}: {}", docs::code(c), docs::sanitize(m))]));
    let code_strs: Vec<&String> = codes.iter().map(|(c, ..)| c).collect();
    let messages: Vec<&String> = codes.iter().map(|(_, _, m)| m).collect();
    // With no documented code, single-arm matches would trip clippy in the user's crate.
    let (from_code, code_of, message_of) = if codes.is_empty() {
        (
            quote!(Self::Other(code.to_owned())),
            quote!(let Self::Other(code) = self; code),
            quote!(let Self::Other(_) = self; ::core::option::Option::None),
        )
    } else {
        (
            quote!(match code { #( #code_strs => Self::#variants, )* other => Self::Other(other.to_owned()), }),
            quote!(match self { #( Self::#variants => #code_strs, )* Self::Other(code) => code, }),
            quote!(match self { #( Self::#variants => ::core::option::Option::Some(#messages), )* Self::Other(_) => ::core::option::Option::None, }),
        )
    };
    let endpoint = &e.name;
    let doc = docs::doc_attrs(&[format!(
        "The error codes {} documents; `Other` keeps any code it does not list.",
        method_path(e)
    )]);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[allow(dead_code)]
        pub enum #name {
            #( #docs_v #variants, )*
            /// A code the documentation does not list.
            Other(::std::string::String),
        }

        #[allow(dead_code)]
        impl #name {
            /// The variant for a code as the provider sends it.
            pub fn from_code(code: &str) -> Self {
                #from_code
            }

            /// The code as the provider sends it.
            pub fn code(&self) -> &str {
                #code_of
            }

            /// The documented message, if the code is documented.
            pub fn message(&self) -> ::core::option::Option<&'static str> {
                #message_of
            }

            /// The code of an error of this endpoint (a business error, or an HTTP error with a
            /// code in its body); `None` for other errors and for errors of other endpoints.
            pub fn of(error: &::auth_runtime::Error) -> ::core::option::Option<Self> {
                if error.at().endpoint != #endpoint {
                    return ::core::option::Option::None;
                }
                match error {
                    ::auth_runtime::Error::Provider { code, .. } => ::core::option::Option::Some(Self::from_code(code)),
                    ::auth_runtime::Error::Status { code: ::core::option::Option::Some(code), .. } => ::core::option::Option::Some(Self::from_code(code)),
                    _ => ::core::option::Option::None,
                }
            }
        }
    }
}
