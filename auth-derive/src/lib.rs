//! `#[token_endpoint(spec = "specs/descriptors/ebaas.json")]`: put it on a struct whose fields
//! are the credentials and get a typed client for every endpoint of the descriptor.
//!
//! ```ignore
//! use auth_runtime::SecretString;
//!
//! #[auth_runtime::token_endpoint(spec = "specs/descriptors/ebaas.json")]
//! pub struct Ebaas {
//!     pub client_id: String,
//!     pub client_secret: SecretString,
//!     pub token: SecretString,
//! }
//!
//! let client = Ebaas { client_id, client_secret, token }.test()?;   // or .with_base_url(url)
//! let ticket = client.get_service_ticket_cached().await?;          // access token fetched and cached for you
//! ```
//!
//! Options: `spec = "path"` (required; relative to the crate's `CARGO_MANIFEST_DIR`, or to one
//! of its parent folders such as the workspace root), `endpoints = ["a", "b"]` (generate only
//! these), `rename(endpoint = "method_name")`. The macro reads the checked-in descriptor, never
//! a page; the crate rebuilds when the descriptor changes.
#![forbid(unsafe_code)]

mod attr;
mod expand;
mod fallback;
mod valid;

/// Generates a typed client for the endpoints of a descriptor; see the crate docs.
#[proc_macro_attribute]
pub fn token_endpoint(
    attr: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand::expand(attr.into(), item.into()).into()
}
