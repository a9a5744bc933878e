//! `EndpointSpec` constants: the runtime's plain-data view of each endpoint.

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs;
use crate::model::{
    Descriptor, Encoding, Endpoint, ExpiryKind, Location, Method, Presentation, Role, ValueType,
};

/// `get_access_token` → `GET_ACCESS_TOKEN`.
pub fn const_name(e: &Endpoint) -> Ident {
    Ident::new(&e.name.to_shouty_snake_case(), Span::call_site())
}

/// A JSON value as a `spec::Literal` (scalars typed; arrays, objects and null as JSON text).
fn literal(value: &serde_json::Value) -> TokenStream {
    let s = quote!(::auth_runtime::spec);
    match value {
        serde_json::Value::Bool(b) => quote!(#s::Literal::Bool(#b)),
        serde_json::Value::String(text) => quote!(#s::Literal::Str(#text)),
        // An integer that fits; any other number (`1.5`, `u64::MAX`) as written.
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(n) => quote!(#s::Literal::Int(#n)),
            None => {
                let text = n.to_string();
                quote!(#s::Literal::Number(#text))
            }
        },
        other => {
            let text = other.to_string();
            quote!(#s::Literal::Json(#text))
        }
    }
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The associated const for one endpoint.
pub fn endpoint_const(descriptor: &Descriptor, e: &Endpoint) -> TokenStream {
    let name = const_name(e);
    let s = quote!(::auth_runtime::spec);
    let provider = &descriptor.provider;
    let endpoint = &e.name;
    let path = &e.path;
    let method = match e.method {
        Method::Get => quote!(#s::Method::Get),
        Method::Post => quote!(#s::Method::Post),
        Method::Put => quote!(#s::Method::Put),
        Method::Patch => quote!(#s::Method::Patch),
        Method::Delete => quote!(#s::Method::Delete),
    };
    let encoding = match e.encoding {
        Encoding::Query => quote!(#s::Encoding::Query),
        Encoding::Json => quote!(#s::Encoding::Json),
        Encoding::Form => quote!(#s::Encoding::Form),
        Encoding::Multipart => quote!(#s::Encoding::Multipart),
    };
    let params = e.params.iter().map(|p| {
        let wire = &p.name;
        let location = match p.location {
            Location::Query => quote!(#s::Location::Query),
            Location::Header => quote!(#s::Location::Header),
            Location::Body => quote!(#s::Location::Body),
            Location::Path => quote!(#s::Location::Path),
        };
        let required = p.required;
        let secret = p.secret;
        let ty = match p.ty {
            ValueType::String => quote!(#s::ValueType::String),
            ValueType::Integer => quote!(#s::ValueType::Integer),
            ValueType::Number => quote!(#s::ValueType::Number),
            ValueType::Boolean => quote!(#s::ValueType::Boolean),
            ValueType::Object => quote!(#s::ValueType::Object),
            ValueType::Array => quote!(#s::ValueType::Array),
            ValueType::Unknown => quote!(#s::ValueType::Unknown),
        };
        let role = match &p.role {
            Role::Credential => quote!(#s::Role::Credential),
            Role::PerCall => quote!(#s::Role::PerCall),
            Role::FilledFrom(endpoint) => quote!(#s::Role::FilledFrom(#endpoint)),
            Role::Constant(value) => {
                let value = literal(value);
                quote!(#s::Role::Constant(#value))
            }
            Role::ClientAuth => quote!(#s::Role::ClientAuth),
        };
        quote!(#s::ParamSpec { name: #wire, location: #location, required: #required, secret: #secret, ty: #ty, role: #role })
    });
    let basic_auth = match &e.basic_auth {
        None => quote!(::core::option::Option::None),
        Some(b) => {
            let (user, password) = (&b.user, &b.password);
            quote!(::core::option::Option::Some(#s::BasicAuthSpec { user: #user, password: #password }))
        }
    };
    let envelope = match &e.envelope {
        None => quote!(::core::option::Option::None),
        Some(env) => {
            let field = &env.success.field;
            let success = literal(&env.success.equals);
            let absent_ok = env.success.absent_ok;
            let code = opt_str(env.code.as_deref());
            let message = opt_str(env.message.as_deref());
            let data = opt_str(env.data.as_deref());
            quote!(::core::option::Option::Some(#s::EnvelopeSpec {
                success_field: #field, success: #success, absent_ok: #absent_ok, code: #code, message: #message, data: #data,
            }))
        }
    };
    let token = match &e.token {
        None => quote!(::core::option::Option::None),
        Some(t) => {
            let path = &t.path;
            let header = t.header;
            let presentation = match &t.presentation {
                Presentation::Authorization { scheme } => {
                    quote!(#s::Presentation::Authorization { scheme: #scheme })
                }
                Presentation::Header { name } => quote!(#s::Presentation::Header { name: #name }),
                Presentation::Query { name } => quote!(#s::Presentation::Query { name: #name }),
            };
            let scheme = opt_str(t.scheme_included.as_deref());
            let invalidates = descriptor.token_invalidates_previous;
            quote!(::core::option::Option::Some(#s::TokenSpec {
                path: #path,
                header: #header,
                presentation: #presentation,
                scheme_included: #scheme,
                invalidates_previous: #invalidates,
            }))
        }
    };
    let expiry = e.expiry.iter().map(|x| {
        let path = &x.path;
        let kind = match x.kind {
            ExpiryKind::Seconds => quote!(#s::ExpiryKind::Seconds),
            ExpiryKind::Datetime => quote!(#s::ExpiryKind::Datetime),
        };
        let tz = opt_str(x.time_zone.as_deref());
        quote!(#s::ExpirySpec { path: #path, kind: #kind, time_zone: #tz })
    });
    let use_limit = opt_str(e.use_limit.as_ref().map(|u| u.path.as_str()));
    let errors = e.errors.iter().map(|x| {
        let (code, message, variant, invalid) = (&x.code, &x.message, &x.variant, x.invalid_token);
        let retryable = x.retryable;
        quote!(#s::ErrorSpec { code: #code, message: #message, variant: #variant, invalid_token: #invalid, retryable: #retryable })
    });
    let doc = docs::doc_attrs(&[format!(
        "{}: the {} endpoint as the runtime executes it.",
        docs::code(&format!("{} {}", e.method, e.path)),
        docs::code(endpoint)
    )]);
    quote! {
        #doc
        pub const #name: #s::EndpointSpec = #s::EndpointSpec {
            provider: #provider,
            name: #endpoint,
            method: #method,
            path: #path,
            encoding: #encoding,
            params: &[#(#params),*],
            basic_auth: #basic_auth,
            envelope: #envelope,
            token: #token,
            expiry: &[#(#expiry),*],
            use_limit: #use_limit,
            errors: &[#(#errors),*],
        };
    }
}
