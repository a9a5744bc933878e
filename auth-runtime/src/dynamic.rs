//! Endpoint specs for a descriptor loaded at run time, for tools that try a page before any
//! code is generated (`cargo xtask try`). Generated code writes the same specs as constants; a
//! test holds the two equal for every checked-in descriptor.
//!
//! The specs are `'static` like generated ones, so their strings are leaked: once per
//! descriptor loaded, which suits a command-line tool, not a loop.

use authgen_descriptor::model::{self, Descriptor};

use crate::spec::{
    BasicAuthSpec, EndpointSpec, EnvelopeSpec, ErrorSpec, ExpirySpec, Literal, ParamSpec,
    Presentation, Role, TokenSpec,
};

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

fn leak_slice<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

/// A JSON value as a [`Literal`] (the rule generated code follows).
pub fn literal(value: &serde_json::Value) -> Literal {
    match value {
        serde_json::Value::Bool(b) => Literal::Bool(*b),
        serde_json::Value::String(s) => Literal::Str(leak(s)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Literal::Int(i),
            None => Literal::Number(leak(&n.to_string())),
        },
        other => Literal::Json(leak(&other.to_string())),
    }
}

/// The runtime spec of every endpoint of `descriptor`, in its order.
///
/// ```no_run
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use auth_runtime::{Client, Session};
///
/// let text = std::fs::read_to_string("specs/descriptors/wechat.json")?;
/// let descriptor = authgen_descriptor::Descriptor::from_json(&text)?;
/// let specs = auth_runtime::dynamic::specs(&descriptor);
/// let session = Session::builder(Client::with_defaults()?, specs, "prod", "https://api.weixin.qq.com").build()?;
/// # let _ = session;
/// # Ok(()) }
/// ```
pub fn specs(descriptor: &Descriptor) -> &'static [&'static EndpointSpec] {
    let provider = leak(&descriptor.provider);
    let specs: Vec<&'static EndpointSpec> = descriptor
        .endpoints
        .iter()
        .map(|e| &*Box::leak(Box::new(endpoint(descriptor, provider, e))))
        .collect();
    leak_slice(specs)
}

fn endpoint(descriptor: &Descriptor, provider: &'static str, e: &model::Endpoint) -> EndpointSpec {
    let params = e
        .params
        .iter()
        .map(|p| ParamSpec {
            name: leak(&p.name),
            location: p.location,
            required: p.required,
            secret: p.secret,
            ty: p.ty,
            role: match &p.role {
                model::Role::Credential => Role::Credential,
                model::Role::PerCall => Role::PerCall,
                model::Role::FilledFrom(source) => Role::FilledFrom(leak(source)),
                model::Role::Constant(value) => Role::Constant(literal(value)),
                model::Role::ClientAuth => Role::ClientAuth,
            },
        })
        .collect();
    EndpointSpec {
        provider,
        name: leak(&e.name),
        method: e.method,
        path: leak(&e.path),
        encoding: e.encoding,
        params: leak_slice(params),
        basic_auth: e.basic_auth.as_ref().map(|b| BasicAuthSpec {
            user: leak(&b.user),
            password: leak(&b.password),
        }),
        envelope: e.envelope.as_ref().map(|env| EnvelopeSpec {
            success_field: leak(&env.success.field),
            success: literal(&env.success.equals),
            absent_ok: env.success.absent_ok,
            code: env.code.as_deref().map(leak),
            message: env.message.as_deref().map(leak),
            data: env.data.as_deref().map(leak),
        }),
        token: e.token.as_ref().map(|t| TokenSpec {
            path: leak(&t.path),
            header: t.header,
            presentation: match &t.presentation {
                model::Presentation::Authorization { scheme } => Presentation::Authorization {
                    scheme: leak(scheme),
                },
                model::Presentation::Header { name } => Presentation::Header { name: leak(name) },
                model::Presentation::Query { name } => Presentation::Query { name: leak(name) },
            },
            scheme_included: t.scheme_included.as_deref().map(leak),
            invalidates_previous: descriptor.token_invalidates_previous,
        }),
        expiry: leak_slice(
            e.expiry
                .iter()
                .map(|x| ExpirySpec {
                    path: leak(&x.path),
                    kind: x.kind,
                    time_zone: x.time_zone.as_deref().map(leak),
                })
                .collect(),
        ),
        use_limit: e.use_limit.as_ref().map(|u| leak(&u.path)),
        errors: leak_slice(
            e.errors
                .iter()
                .map(|x| ErrorSpec {
                    code: leak(&x.code),
                    message: leak(&x.message),
                    variant: leak(&x.variant),
                    invalid_token: x.invalid_token,
                    retryable: x.retryable,
                })
                .collect(),
        ),
    }
}
