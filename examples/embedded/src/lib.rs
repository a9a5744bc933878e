//! The seed providers' clients as plain Rust, included from `generated/` (written by
//! `cargo xtask regen`). This crate depends on `auth-runtime` only: no proc macro, no parser.
#![forbid(unsafe_code)]

/// ebaas: getAccessToken and getServiceTicket.
pub mod ebaas {
    include!("../../../generated/ebaas.rs");
}

/// appauth: getAccessToken and hello.
pub mod appauth {
    include!("../../../generated/appauth.rs");
}

/// anyweb: serviceToken.
pub mod anyweb {
    include!("../../../generated/anyweb.rs");
}

/// coupang: token.
pub mod coupang {
    include!("../../../generated/coupang.rs");
}

/// WeChat `stable_token` (constant `grant_type`, optional boolean, token in the query).
pub mod wechat {
    include!("../../../generated/wechat.rs");
}

/// Spotify client credentials (HTTP Basic, `Authorization: Bearer`).
pub mod spotify {
    include!("../../../generated/spotify.rs");
}
