//! Reading documentation pages into descriptors (feature `parse`).
//!
//! ```text
//! page text ──read──► blocks ──extract──► endpoints ──provider──► Descriptor (+ manifest, overrides)
//! ```

pub mod blocks;
pub(crate) mod case;
pub mod diagnostics;
pub mod extract;
pub mod manifest;
pub mod provider;
pub mod read;
mod roles;
pub mod vocab;

pub use diagnostics::{Diagnostic, Severity};
pub use provider::{
    Layout, Output, Plan, ProviderBuild, build_provider, describe_pages, describe_text,
    discover_in, discover_providers, plan,
};
