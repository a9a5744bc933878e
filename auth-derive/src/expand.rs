//! The expansion: options → descriptor → checks → generated items (or the fallback).

use std::path::PathBuf;

use authgen_descriptor::Descriptor;
use authgen_descriptor::codegen::{self, Options};
use proc_macro2::TokenStream;
use quote::quote;

use crate::{attr, fallback, valid};

pub fn expand(attr_tokens: TokenStream, item_tokens: TokenStream) -> TokenStream {
    let item: syn::ItemStruct = match syn::parse2(item_tokens) {
        Ok(item) => item,
        Err(e) => {
            let e = syn::Error::new(
                e.span(),
                "#[token_endpoint] goes on a struct: `pub struct Ebaas { client_id: String, ... }`",
            );
            return e.into_compile_error();
        }
    };
    let (options, mut errors) = attr::parse(attr_tokens);
    let Some(spec) = &options.spec else {
        return fallback::expand(
            &item,
            errors.unwrap_or_else(|| syn::Error::new_spanned(&item.ident, "missing `spec`")),
            &[],
        );
    };
    let (descriptor, path) = match load(spec) {
        Ok(found) => found,
        Err((e, stubs)) => {
            let all = match errors {
                Some(mut all) => {
                    all.combine(e);
                    all
                }
                None => e,
            };
            return fallback::expand(&item, all, &stubs);
        }
    };
    for endpoint in options.endpoints.iter().flatten() {
        check_endpoint(&descriptor, endpoint, &mut errors);
    }
    // A refused rename is left out, so the expansion still compiles around the one error.
    let mut renames = Vec::new();
    for (endpoint, method) in &options.renames {
        let lit = syn::LitStr::new(&endpoint.to_string(), endpoint.span());
        check_endpoint(&descriptor, &lit, &mut errors);
        if check_method_name(&descriptor, &options.renames, method, &mut errors) {
            renames.push((endpoint.to_string(), method.value()));
        }
    }
    let credentials = valid::credentials(&item, &descriptor, &mut errors);
    let generate = Options {
        struct_name: item.ident.to_string(),
        credentials,
        endpoints: options
            .endpoints
            .as_ref()
            .map(|l| l.iter().map(syn::LitStr::value).collect()),
        renames,
    };
    let items = codegen::provider_items(&descriptor, &generate);
    let errors = errors.map(syn::Error::into_compile_error);
    let path = path.to_string_lossy().into_owned();
    quote! {
        #item
        #items
        #errors
        // Rebuild when the descriptor changes.
        const _: &[u8] = ::core::include_bytes!(#path);
    }
}

fn check_endpoint(
    descriptor: &Descriptor,
    endpoint: &syn::LitStr,
    errors: &mut Option<syn::Error>,
) {
    let name = endpoint.value();
    if descriptor.endpoint(&name).is_none() {
        let names: Vec<&str> = descriptor
            .endpoints
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        let e = syn::Error::new(
            endpoint.span(),
            format!(
                "unknown endpoint `{name}` in `{}` (its endpoints: {})",
                descriptor.provider,
                names.join(", ")
            ),
        );
        match errors {
            Some(all) => all.combine(e),
            None => *errors = Some(e),
        }
    }
}

/// Reads the descriptor: relative to `CARGO_MANIFEST_DIR`, else to the enclosing workspace's
/// root (so a workspace member can name `specs/...` at the root), else to `AUTHGEN_SPEC_DIR` (for crates built outside the source tree, such as trybuild's under a
/// shared `CARGO_TARGET_DIR`; this workspace sets it in `.cargo/config.toml`). On failure the
/// error says every path tried and the nearest existing descriptor, and hands back what it
/// could still learn of the endpoints, for the fallback's stubs.
fn load(spec: &syn::LitStr) -> Result<(Descriptor, PathBuf), (syn::Error, Vec<fallback::Stub>)> {
    let relative = spec.value();
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let extra = std::env::var_os("AUTHGEN_SPEC_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty());
    let mut folders: Vec<&std::path::Path> = vec![&base];
    let workspace = workspace_root(&base);
    folders.extend(workspace.as_deref().filter(|w| *w != base));
    folders.extend(extra.as_deref());
    let mut tried: Vec<PathBuf> = Vec::new();
    for path in folders.iter().map(|dir| dir.join(&relative)) {
        if !tried.contains(&path) {
            tried.push(path);
        }
    }
    let Some(path) = tried.iter().find(|p| p.is_file()).cloned() else {
        let hint = nearest_descriptor(&relative, &tried)
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        let looked: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
        return Err((
            syn::Error::new(
                spec.span(),
                format!(
                    "cannot find descriptor `{relative}`{hint}: descriptors are written by `cargo authgen regen`, and `spec` is relative to the crate, the workspace root or AUTHGEN_SPEC_DIR; looked at {}",
                    looked.join(", ")
                ),
            ),
            Vec::new(),
        ));
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        (
            syn::Error::new(
                spec.span(),
                format!("cannot read descriptor `{relative}`: {e}"),
            ),
            Vec::new(),
        )
    })?;
    let descriptor = Descriptor::from_json(&text).map_err(|e| {
        (
            syn::Error::new(
                spec.span(),
                format!(
                    "`{relative}`: {e}: fix the page or its manifest and run `cargo authgen regen`"
                ),
            ),
            fallback::stubs(&text),
        )
    })?;
    Ok((descriptor, path))
}

/// The nearest folder above the crate whose `Cargo.toml` declares a `[workspace]`.
fn workspace_root(crate_dir: &std::path::Path) -> Option<PathBuf> {
    crate_dir
        .ancestors()
        .skip(1)
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(PathBuf::from)
}

/// The existing descriptor nearest to a misspelt one, as the user would write it.
fn nearest_descriptor(relative: &str, tried: &[PathBuf]) -> Option<String> {
    let wanted = std::path::Path::new(relative);
    let folder = wanted.parent()?;
    let name = wanted.file_name()?.to_str()?;
    let mut existing: Vec<String> = tried
        .iter()
        .filter_map(|p| std::fs::read_dir(p.parent()?).ok())
        .flat_map(|entries| entries.flatten())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".json"))
        .collect();
    existing.sort();
    existing.dedup();
    let names: Vec<&str> = existing.iter().map(String::as_str).collect();
    let near = valid::nearest(name, &names)?;
    Some(folder.join(near).display().to_string())
}

/// A renamed method must be a name generated code can take: an identifier, no keyword, no name
/// the client already defines, and no other endpoint's method.
fn check_method_name(
    descriptor: &authgen_descriptor::Descriptor,
    renames: &[(syn::Ident, syn::LitStr)],
    method: &syn::LitStr,
    errors: &mut Option<syn::Error>,
) -> bool {
    let name = method.value();
    let problem = if !authgen_descriptor::model::is_endpoint_name(&name) {
        Some(format!(
            "`{name}` cannot name a method: use a snake_case identifier that is not a Rust keyword nor one of {}",
            authgen_descriptor::model::RESERVED_ENDPOINT_NAMES.join(", ")
        ))
    } else {
        // Every endpoint's method name after the renames: this one is taken when another
        // endpoint's method, or a token endpoint's `_cached` method, already has it.
        let renamed_here = renames
            .iter()
            .find(|(_, m)| std::ptr::eq(m, method))
            .map(|(endpoint, _)| endpoint.to_string());
        let taken = descriptor.endpoints.iter().any(|e| {
            let current = renames
                .iter()
                .find(|(endpoint, _)| *endpoint == e.name)
                .map_or(e.name.clone(), |(_, m)| m.value());
            let other = renamed_here.as_deref() != Some(e.name.as_str());
            (other && current == name) || (e.issues_token() && format!("{current}_cached") == name)
        });
        taken.then(|| format!("`{name}` is already the name of another method of this client"))
    };
    let Some(message) = problem else {
        return true;
    };
    let e = syn::Error::new(method.span(), message);
    match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// The macro on the embedded file's credential struct produces exactly the embedded file.
    #[test]
    fn macro_expansion_equals_the_embedded_source_for_every_seed() {
        for provider in ["ebaas", "appauth", "anyweb", "coupang"] {
            let text = std::fs::read_to_string(
                workspace().join(format!("specs/descriptors/{provider}.json")),
            )
            .expect("descriptor");
            let descriptor = Descriptor::from_json(&text).expect("valid");
            let options = Options::for_descriptor(&descriptor);
            let strukt = codegen::credential_struct(&descriptor, &options);
            let spec_path = format!("specs/descriptors/{provider}.json");
            let expanded = expand(quote!(spec = #spec_path), strukt);
            let mut expanded_file: syn::File = syn::parse2(expanded).expect("expansion parses");
            // Drop the rebuild trigger, which names an absolute path.
            expanded_file.items.pop();
            let embedded =
                std::fs::read_to_string(workspace().join(format!("generated/{provider}.rs")))
                    .expect("generated file");
            // The file is the generator's tokens rendered by prettyplease under a comment header:
            // render the macro's tokens the same way and the two must match to the byte.
            let body: String = embedded
                .lines()
                .skip_while(|l| (l.starts_with("//") && !l.starts_with("///")) || l.is_empty())
                .map(|l| format!("{l}\n"))
                .collect();
            assert_eq!(
                prettyplease::unparse(&expanded_file),
                body,
                "{provider}: macro and embedded source differ; run `cargo xtask regen`"
            );
        }
    }
}
