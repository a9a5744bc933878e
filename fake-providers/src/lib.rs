//! Fake providers (work in progress).
