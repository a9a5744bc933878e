//! `#[token_endpoint(spec = "specs/descriptors/ebaas.json")]`: put it on a struct whose fields
//! are the credentials and get a typed client for every endpoint of the descriptor.
//!
//! ```no_run
//! use auth_runtime::SecretString;
//!
//! #[auth_runtime::token_endpoint(spec = "specs/descriptors/ebaas.json")]
//! pub struct Ebaas {
//!     pub client_id: String,
//!     pub client_secret: SecretString,
//!     pub token: SecretString,
//! }
//!
//! # async fn demo() -> Result<(), auth_runtime::Error> {
//! let credentials = Ebaas {
//!     client_id: "demo-client".into(),
//!     client_secret: SecretString::from("demo-secret"),
//!     token: SecretString::from("the user's login token"),
//! };
//! let client = credentials.with_base_url("https://ebaas.example.com")?; // or .test(), .production()
//! let ticket = client.get_service_ticket_cached().await?; // the access token is fetched and cached for you
//! # let _ = ticket;
//! # Ok(()) }
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
