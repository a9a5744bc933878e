//! Typed errors. Every variant names the provider and endpoint; none carries a secret (bodies
//! are shown only as short, redacted excerpts).

use std::time::Duration;

use crate::spec::ErrorSpec;

/// Where an error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// Provider name.
    pub provider: &'static str,
    /// Endpoint name.
    pub endpoint: &'static str,
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.provider, self.endpoint)
    }
}

/// What can go wrong calling a provider.
///
/// ```no_run
/// # async fn demo(session: &auth_runtime::Session) {
/// use auth_runtime::Error;
///
/// match session.token("get_access_token").await {
///     Ok(token) => println!("token {}", token.display_prefix()),
///     Err(e @ Error::Provider { .. }) => {
///         // A documented code carries its meaning; `is_retryable` says whether to try later.
///         println!("{e}: documented as {:?}", e.documented().map(|d| d.variant));
///     }
///     Err(e) if e.is_retryable() => println!("try again later: {e}"),
///     Err(e) => println!("giving up: {e}"),
/// }
/// # }
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The provider answered with its error envelope (HTTP 200 with an error code, typically).
    #[error("{at}: provider error {code}: {message}")]
    Provider {
        /// Where.
        at: At,
        /// The business code as text.
        code: String,
        /// The provider's message.
        message: String,
        /// The documented error, when the code is documented.
        documented: Option<&'static ErrorSpec>,
    },
    /// A non-success HTTP status.
    #[error("{at}: HTTP {status}{}{}", code.as_ref().map(|c| format!(" {c}")).unwrap_or_default(), retry_after.map(|d| format!(" (retry after {} s)", d.as_secs())).unwrap_or_default())]
    Status {
        /// Where.
        at: At,
        /// The status code.
        status: u16,
        /// `Retry-After`, when given.
        retry_after: Option<Duration>,
        /// The provider's code in the body: at the envelope's code path, or an OAuth `error`.
        code: Option<String>,
        /// The documented error, when the code is documented.
        documented: Option<&'static ErrorSpec>,
        /// A short, redacted excerpt of the body.
        excerpt: String,
    },
    /// The provider answered with a redirect. Token and protected requests never follow one: the
    /// request carries credentials, and a redirect could take them to another host.
    #[error(
        "{at}: HTTP {status} redirect to {target} not followed (requests carrying credentials never follow redirects)"
    )]
    Redirect {
        /// Where.
        at: At,
        /// The status code (301, 302, 303, 307, 308).
        status: u16,
        /// Where the provider pointed: scheme, host, port and path (the query is dropped, as it
        /// may echo credentials).
        target: String,
    },
    /// The body is malformed (not JSON, truncated, an HTML error page from a gateway): often
    /// transient, so retried.
    #[error("{at}: cannot decode the response ({reason}); body starts: {excerpt}")]
    Decode {
        /// Where.
        at: At,
        /// What was expected.
        reason: String,
        /// A short, redacted excerpt of the body.
        excerpt: String,
    },
    /// The body is well-formed but does not match the descriptor (no token at the documented
    /// path, an expiry of another kind, a field of another type): asking again gives the same
    /// answer, so it is not retried. Fix the descriptor (a manifest override) or report the page.
    #[error("{at}: the response does not match the descriptor: {reason}")]
    Mismatch {
        /// Where.
        at: At,
        /// What the descriptor expected and what came.
        reason: String,
    },
    /// The body is larger than the configured cap.
    #[error("{at}: response body larger than the {limit}-byte limit")]
    TooLarge {
        /// Where.
        at: At,
        /// The cap.
        limit: usize,
    },
    /// No answer in time.
    #[error("{at}: timed out")]
    Timeout {
        /// Where.
        at: At,
    },
    /// Connection-level failure.
    #[error("{at}: transport error: {message}")]
    Transport {
        /// Where.
        at: At,
        /// What failed (without the URL, which may carry secrets in its query).
        message: String,
        /// The underlying error (its URL removed), when reqwest gave one.
        #[source]
        source: Option<std::sync::Arc<reqwest::Error>>,
    },
    /// The TLS handshake failed (an untrusted or invalid certificate): retrying cannot help.
    #[error("{at}: TLS error: {message}")]
    Tls {
        /// Where.
        at: At,
        /// What failed (without the URL).
        message: String,
        /// The underlying error (its URL removed).
        #[source]
        source: Option<std::sync::Arc<reqwest::Error>>,
    },
    /// The client was asked to do something it will not do (plain HTTP to a remote host, a
    /// missing parameter, an unknown endpoint).
    #[error("{at}: configuration error: {message}")]
    Config {
        /// Where.
        at: At,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// Where the error happened.
    pub fn at(&self) -> At {
        match self {
            Error::Provider { at, .. }
            | Error::Status { at, .. }
            | Error::Redirect { at, .. }
            | Error::Decode { at, .. }
            | Error::Mismatch { at, .. }
            | Error::TooLarge { at, .. }
            | Error::Timeout { at }
            | Error::Transport { at, .. }
            | Error::Tls { at, .. }
            | Error::Config { at, .. } => *at,
        }
    }

    /// Whether trying again later may succeed: timeouts, transport errors, HTTP 408/429/5xx, and
    /// HTML or truncated bodies from a failing gateway. Provider business errors are not.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Status {
                status, documented, ..
            } => matches!(status, 408 | 429 | 500..=599) || documented.is_some_and(|d| d.retryable),
            Error::Decode { .. } => true,
            // A code the manifest marks transient (WeChat's `-1`, "system busy").
            Error::Provider {
                documented: Some(d),
                ..
            } => d.retryable,
            Error::Provider { .. }
            | Error::Mismatch { .. }
            | Error::Tls { .. }
            | Error::Redirect { .. }
            | Error::TooLarge { .. }
            | Error::Config { .. } => false,
        }
    }

    /// Whether the error says the token presented is invalid: HTTP 401 or a documented
    /// invalid-token code.
    pub fn is_invalid_token(&self) -> bool {
        match self {
            Error::Status { status: 401, .. } => true,
            Error::Provider { documented, .. } | Error::Status { documented, .. } => {
                documented.is_some_and(|d| d.invalid_token)
            }
            _ => false,
        }
    }

    /// The documented error, if the provider sent a documented code.
    pub fn documented(&self) -> Option<&'static ErrorSpec> {
        match self {
            Error::Provider { documented, .. } | Error::Status { documented, .. } => *documented,
            _ => None,
        }
    }

    /// `Retry-After`, if the provider gave one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A short excerpt of a body with anything token-like removed: runs of 16+ token characters
/// (JWTs, tickets, secrets) and any of the given secret values.
pub fn redacted_excerpt(body: &[u8], secrets: &[&str]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let text = escape_controls(&redact_secrets(&text, secrets));
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 16 {
            out.push_str("[redacted]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '/' | '=') {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    let mut excerpt: String = out
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(160)
        .collect();
    if out.chars().count() > 160 {
        excerpt.push('…');
    }
    excerpt
}

/// Provider text with every credential value replaced by `[redacted]`, in each form a provider
/// may echo it: raw, URL-encoded (`%2B` and `+` for space alike), and JSON-escaped.
pub(crate) fn redact_secrets(text: &str, secrets: &[&str]) -> String {
    let mut text = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        let percent: String = secret
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json.trim_matches('"').to_owned();
        for form in [
            secret.to_string(),
            percent.to_lowercase(),
            percent,
            form,
            json,
        ] {
            if !form.is_empty() && text.contains(&form) {
                text = text.replace(&form, "[redacted]");
            }
        }
    }
    text
}

/// Provider text safe for one log line: control characters (line breaks, ANSI escapes) written
/// as escapes, so a message cannot start a line of its own or repaint a terminal.
pub(crate) fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_secrets_are_redacted_in_every_form_and_controls_escaped() {
        let secret = "p@ss word/+é";
        let echo = format!(
            "raw {secret} url {} form {} json {}",
            "p%40ss%20word%2F%2B%C3%A9",
            "p%40ss+word%2F%2B%C3%A9",
            serde_json::to_string(secret).unwrap_or_default()
        );
        let out = redact_secrets(&echo, &[secret]);
        assert!(
            !out.contains("ss word") && !out.contains("%40ss") && !out.contains("p@ss"),
            "{out}"
        );
        assert_eq!(out.matches("[redacted]").count(), 4, "{out}");
        assert_eq!(escape_controls("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
    }

    #[test]
    fn excerpts_hide_tokens_and_secrets() {
        let body = br#"{"code":"000","data":{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ9.0Wcx","pw":"hunter22"}}"#;
        let e = redacted_excerpt(body, &["hunter22"]);
        assert_eq!(
            e,
            r#"{"code":"000","data":{"access_token":"[redacted]","pw":"[redacted]"}}"#
        );
    }

    #[test]
    fn retryable_classification() {
        let at = At {
            provider: "p",
            endpoint: "e",
        };
        let status = |s| Error::Status {
            at,
            status: s,
            retry_after: None,
            code: None,
            documented: None,
            excerpt: String::new(),
        };
        assert!(status(503).is_retryable());
        assert!(status(429).is_retryable());
        assert!(!status(400).is_retryable());
        assert!(status(401).is_invalid_token());
        let provider = Error::Provider {
            at,
            code: "1".into(),
            message: "m".into(),
            documented: None,
        };
        assert!(!provider.is_retryable());
        assert_eq!(provider.to_string(), "p.e: provider error 1: m");
        // A malformed body may be a gateway's hiccup; a well-formed body that does not match
        // the descriptor will not change by asking again.
        let malformed = Error::Decode {
            at,
            reason: "expected JSON".into(),
            excerpt: "<html>".into(),
        };
        let mismatch = Error::Mismatch {
            at,
            reason: "no token string at `data.token`".into(),
        };
        assert!(malformed.is_retryable());
        assert!(!mismatch.is_retryable());
    }

    #[tokio::test]
    async fn transport_errors_keep_their_cause_without_the_url() {
        // Nothing listens on port 9 of loopback (discard): the connection is refused.
        let client = reqwest::Client::new();
        let e = client
            .get("http://127.0.0.1:9/token?client_secret=s3cr3t")
            .send()
            .await
            .unwrap_err();
        let at = At {
            provider: "p",
            endpoint: "e",
        };
        let error = crate::client::transport_error(at, e);
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert!(source.is_some(), "{error:?}");
        assert!(!format!("{error} {source:?} {error:?}").contains("s3cr3t"));
    }
}
