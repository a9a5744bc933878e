//! End-to-end tests: real HTTP (reqwest) against a real `FakeProviders` server on 127.0.0.1.
//! One test binary with a module per provider keeps linking cheap.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod anyweb;
mod appauth;
mod common;
mod coupang;
mod ebaas;
mod faults;
mod server;
