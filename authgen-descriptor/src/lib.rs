//! Endpoint descriptors for token-issuing APIs.
//!
//! - [`model`]: the descriptor types (always available; this is all the macro needs).
//! - [`parse`] (feature `parse`): documentation pages → descriptors.
//! - [`codegen`] (feature `codegen`): descriptors → Rust.
//!
//! See the repository README for the descriptor format and the data flow.
#![forbid(unsafe_code)]

pub mod model;
pub mod openapi;
#[cfg(feature = "parse")]
pub mod parse;
#[cfg(feature = "parse")]
pub mod score;

pub use model::{Descriptor, Endpoint, LoadError, SCHEMA_VERSION};
#[cfg(feature = "codegen")]
pub mod codegen;
