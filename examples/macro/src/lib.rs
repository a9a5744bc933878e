//! The seed providers' clients from `#[token_endpoint]`: each struct's fields are the
//! credentials; the macro checks them against the descriptor and generates the client.
#![forbid(unsafe_code)]

/// ebaas: getAccessToken and getServiceTicket.
pub mod ebaas {
    use auth_runtime::SecretString;

    /// ebaas credentials (the login token is the user's, for service tickets).
    #[auth_runtime::token_endpoint(spec = "specs/descriptors/ebaas.json")]
    pub struct Ebaas {
        /// Client id.
        pub client_id: String,
        /// Client secret.
        pub client_secret: SecretString,
        /// The user's login token.
        pub token: SecretString,
    }
}

/// appauth: getAccessToken and hello.
pub mod appauth {
    use auth_runtime::SecretString;

    /// appauth credentials.
    #[auth_runtime::token_endpoint(spec = "specs/descriptors/appauth.json")]
    pub struct Appauth {
        /// Application id.
        pub app_id: String,
        /// Application secret.
        pub app_secret: SecretString,
    }
}

/// anyweb: serviceToken.
pub mod anyweb {
    use auth_runtime::SecretString;

    /// anyweb credentials.
    #[auth_runtime::token_endpoint(spec = "specs/descriptors/anyweb.json")]
    pub struct Anyweb {
        /// Application id.
        pub appid: String,
        /// Application secret.
        pub secret: SecretString,
    }
}

/// coupang: token.
pub mod coupang {
    use auth_runtime::SecretString;

    /// coupang credentials.
    #[auth_runtime::token_endpoint(spec = "specs/descriptors/coupang.json")]
    pub struct Coupang {
        /// Application id.
        pub app_id: String,
        /// Application secret.
        pub app_secret: SecretString,
    }
}
