//! Client settings with the defaults a production client wants.

use std::time::Duration;

/// How the shared HTTP client behaves. Start from the defaults and change what you need:
///
/// ```
/// use std::time::Duration;
/// use auth_runtime::{Client, ClientConfig};
///
/// let config = ClientConfig {
///     request_timeout: Duration::from_secs(10),
///     fetch_retries: 1,
///     ..ClientConfig::default()
/// };
/// let client = Client::new(config)?;
/// assert_eq!(client.config().fetch_retries, 1);
/// # Ok::<(), auth_runtime::client::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// TCP/TLS connect timeout (default 5 s).
    pub connect_timeout: Duration,
    /// Whole-request timeout (default 30 s).
    pub request_timeout: Duration,
    /// Largest response body accepted (default 1 MiB).
    pub body_limit: usize,
    /// `User-Agent` header.
    pub user_agent: String,
    /// Allow plain `http://` to hosts other than loopback (default: refused).
    pub allow_insecure_http: bool,
    /// How many times a token fetch is retried after a retryable error (default 2).
    pub fetch_retries: u32,
    /// First retry delay, doubled each time (default 200 ms).
    pub retry_base_delay: Duration,
    /// The longest `Retry-After` honoured before giving up (default 10 s).
    pub max_retry_after: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            body_limit: 1024 * 1024,
            user_agent: concat!("authgen/", env!("CARGO_PKG_VERSION")).to_owned(),
            allow_insecure_http: false,
            fetch_retries: 2,
            retry_base_delay: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(10),
        }
    }
}
