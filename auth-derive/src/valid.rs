//! Checks the struct's fields against the parameters the descriptor knows: names (with the
//! nearest-name suggestion), types (the generator's own [`field_type`] rule: secrets are
//! `SecretString`, optional values `Option<T>`), and required credentials. Constants and values
//! filled from tokens are not fields at all: naming one says so.

use authgen_descriptor::Descriptor;
use authgen_descriptor::codegen::{
    Credential, FieldType, credential_candidates, default_credentials,
};
use authgen_descriptor::model::Role;

/// The credentials the struct declares, and every problem with them.
pub fn credentials(
    item: &syn::ItemStruct,
    descriptor: &Descriptor,
    errors: &mut Option<syn::Error>,
) -> Vec<Credential> {
    let mut push = |e: syn::Error| match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    };
    let fields = match &item.fields {
        syn::Fields::Named(named) => named.named.iter().collect::<Vec<_>>(),
        syn::Fields::Unit => return Vec::new(),
        syn::Fields::Unnamed(f) => {
            push(syn::Error::new_spanned(
                f,
                "#[token_endpoint] needs named credential fields (or a unit struct), not a tuple struct",
            ));
            return Vec::new();
        }
    };
    let candidates = credential_candidates(descriptor);
    let mut out = Vec::new();
    // Names already suggested for a misspelt field: one mistake, one error, so they are not
    // reported missing as well.
    let mut suggested: Vec<&str> = Vec::new();
    for field in &fields {
        let Some(ident) = &field.ident else { continue };
        let name = ident.to_string();
        let Some(candidate) = candidates.iter().find(|c| c.field == name) else {
            if let Some(why) = not_user_supplied(descriptor, &name) {
                push(syn::Error::new_spanned(ident, why));
                continue;
            }
            let names: Vec<&str> = candidates.iter().map(|c| c.field.as_str()).collect();
            let near = nearest(&name, &names);
            suggested.extend(near);
            let hint = near.map_or_else(
                || format!(" (its parameters: {})", names.join(", ")),
                |n| format!(" (did you mean `{n}`?)"),
            );
            push(syn::Error::new_spanned(
                ident,
                format!(
                    "`{name}` is not a parameter of `{}`{hint}",
                    descriptor.provider
                ),
            ));
            continue;
        };
        if !declared_as(&field.ty, candidate.ty) {
            push(syn::Error::new_spanned(
                &field.ty,
                format!("`{name}` {}", candidate.ty.advice()),
            ));
            // Still a credential, so the methods keep their signatures; never read.
            out.push(Credential {
                sent: false,
                ..candidate.clone()
            });
            continue;
        }
        out.push(candidate.clone());
    }
    for required in default_credentials(descriptor) {
        if !out.iter().any(|c| c.field == required.field)
            && !suggested.contains(&required.field.as_str())
            && !fields
                .iter()
                .any(|f| f.ident.as_ref().is_some_and(|i| *i == required.field))
        {
            push(syn::Error::new_spanned(
                &item.ident,
                format!(
                    "missing credential field `{}` (sent as `{}`), required by the token endpoints of `{}`",
                    required.field, required.wire, descriptor.provider
                ),
            ));
        }
    }
    out
}

/// Why a field named like a parameter the user never supplies cannot be declared.
fn not_user_supplied(descriptor: &authgen_descriptor::Descriptor, name: &str) -> Option<String> {
    let param = descriptor
        .endpoints
        .iter()
        .flat_map(|e| &e.params)
        .find(|p| p.rust_name == name)?;
    Some(match &param.role {
        Role::Constant(value) => format!(
            "`{name}` is a constant (`{}` = {value}) that the client sends itself: remove the field (change it with a manifest override of `/params/{}/role`)",
            param.name, param.name
        ),
        Role::FilledFrom(endpoint) => {
            format!("`{name}` is filled from the cached token of `{endpoint}`: remove the field")
        }
        Role::ClientAuth => format!(
            "`{name}` is built from the HTTP Basic credentials: remove the field and declare those instead"
        ),
        Role::Credential | Role::PerCall => return None,
    })
}

/// Whether a declared type is `expected`: its last path segment, inside `Option<…>` when the
/// value is optional.
fn declared_as(ty: &syn::Type, expected: FieldType) -> bool {
    let (base, optional) = match last_segment(ty) {
        Some(segment) if segment.ident == "Option" => match &segment.arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.first() {
                Some(syn::GenericArgument::Type(inner)) => (last_segment(inner), true),
                _ => (None, true),
            },
            _ => (None, true),
        },
        other => (other, false),
    };
    optional == expected.optional && base.is_some_and(|s| s.ident == expected.base.name())
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

/// The candidate closest to `name` by edit distance, if close enough to be a typo.
pub fn nearest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(name, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(name.len()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            nearest("clientid", &["client_id", "client_secret"]),
            Some("client_id")
        );
        assert_eq!(
            nearest("client_secrte", &["client_id", "client_secret"]),
            Some("client_secret")
        );
        assert_eq!(nearest("colour", &["client_id", "token"]), None);
    }
}
