//! Fault switches: make the next N requests of a path (or of every path) misbehave.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Body of the 200 answer armed by [`Faults::malformed_json`]: JSON cut off mid-object.
pub const MALFORMED_JSON_BODY: &str = r#"{"code": "000", "data": {"#;

/// Body of the 503 answer armed by [`Faults::fail_5xx`].
pub const SERVICE_UNAVAILABLE_BODY: &str =
    r#"{"status":503,"error":"Service Unavailable","message":"fake provider: injected fault"}"#;

/// Body of the 429 answer armed by [`Faults::rate_limit`].
pub const RATE_LIMITED_BODY: &str =
    r#"{"status":429,"error":"Too Many Requests","message":"fake provider: injected fault"}"#;

/// Body of the 502 `text/html` answer armed by [`Faults::html_error`], as nginx prints it when
/// the upstream is down.
pub const HTML_ERROR_BODY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Exact length in bytes of the (valid) JSON body armed by [`Faults::oversized`]: 2 MiB.
pub const OVERSIZED_LEN: usize = 2 * 1024 * 1024;

/// Fault switches of a running [`FakeProviders`](crate::FakeProviders).
///
/// Each call arms a rule for the next `n` requests whose path equals `path` (`None`: any path);
/// `n == 0` arms nothing. Rules are independent: a [`slow`](Faults::slow) delay combines with at
/// most one answer-replacing fault, and when several answer-replacing rules match a request the
/// one armed first is used (and only it is spent). Requests are counted before faults apply.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
}

#[derive(Debug)]
struct Rule {
    path: Option<String>,
    remaining: u32,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Slow(Duration),
    Fail5xx,
    MalformedJson,
    HtmlError,
    Oversized,
    RateLimit(u64),
}

/// What the switches decided for one request.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) delay: Option<Duration>,
    answer: Option<Kind>,
}

impl Plan {
    /// The replacement answer, if a fault replaces the handler's.
    pub(crate) fn answer(&self) -> Option<Response> {
        self.answer.map(Kind::response)
    }
}

impl Faults {
    fn rules(&self) -> MutexGuard<'_, Vec<Rule>> {
        // A poisoned list is still a valid list of rules.
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn arm(&self, path: Option<&str>, n: u32, kind: Kind) {
        if n == 0 {
            return;
        }
        self.rules().push(Rule {
            path: path.map(str::to_owned),
            remaining: n,
            kind,
        });
    }

    /// Next `n` requests: HTTP 503 with [`SERVICE_UNAVAILABLE_BODY`] (`application/json`).
    pub fn fail_5xx(&self, path: Option<&str>, n: u32) {
        self.arm(path, n, Kind::Fail5xx);
    }

    /// Next `n` requests: wait `delay`, then answer normally (or with another armed fault).
    pub fn slow(&self, path: Option<&str>, n: u32, delay: Duration) {
        self.arm(path, n, Kind::Slow(delay));
    }

    /// Next `n` requests: HTTP 200 `application/json` with the truncated [`MALFORMED_JSON_BODY`].
    pub fn malformed_json(&self, path: Option<&str>, n: u32) {
        self.arm(path, n, Kind::MalformedJson);
    }

    /// Next `n` requests: HTTP 502 `text/html` with nginx's [`HTML_ERROR_BODY`].
    pub fn html_error(&self, path: Option<&str>, n: u32) {
        self.arm(path, n, Kind::HtmlError);
    }

    /// Next `n` requests: HTTP 200 with a valid JSON body of exactly [`OVERSIZED_LEN`] bytes.
    pub fn oversized(&self, path: Option<&str>, n: u32) {
        self.arm(path, n, Kind::Oversized);
    }

    /// Next `n` requests: HTTP 429 with `Retry-After: <retry_after_secs>` and [`RATE_LIMITED_BODY`].
    pub fn rate_limit(&self, path: Option<&str>, n: u32, retry_after_secs: u64) {
        self.arm(path, n, Kind::RateLimit(retry_after_secs));
    }

    /// Disarms every switch.
    pub fn clear(&self) {
        self.rules().clear();
    }

    /// Requests still to be affected by armed switches (summed over rules), for assertions.
    pub fn armed(&self) -> u64 {
        self.rules().iter().map(|r| u64::from(r.remaining)).sum()
    }

    /// Spends the rules that apply to one request to `path`.
    /// Spends the faults armed for `path`: waits out a delay, and returns the answer that
    /// replaces the real one, if any. Every fake server applies its faults through this.
    pub(crate) async fn apply(&self, path: &str) -> Option<axum::response::Response> {
        let plan = self.take(path);
        if let Some(delay) = plan.delay {
            tokio::time::sleep(delay).await;
        }
        plan.answer()
    }

    pub(crate) fn take(&self, path: &str) -> Plan {
        let mut plan = Plan::default();
        let mut rules = self.rules();
        for rule in rules.iter_mut() {
            if rule.remaining == 0 || rule.path.as_deref().is_some_and(|p| p != path) {
                continue;
            }
            match rule.kind {
                Kind::Slow(delay) if plan.delay.is_none() => plan.delay = Some(delay),
                Kind::Slow(_) => continue,
                kind if plan.answer.is_none() => plan.answer = Some(kind),
                _ => continue,
            }
            rule.remaining -= 1;
        }
        rules.retain(|r| r.remaining > 0);
        plan
    }
}

impl Kind {
    fn response(self) -> Response {
        const JSON: &str = "application/json";
        match self {
            // Never built: `take` turns delays into `Plan::delay`.
            Kind::Slow(_) => StatusCode::OK.into_response(),
            Kind::Fail5xx => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, JSON)],
                SERVICE_UNAVAILABLE_BODY,
            )
                .into_response(),
            Kind::MalformedJson => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, JSON)],
                MALFORMED_JSON_BODY,
            )
                .into_response(),
            Kind::HtmlError => (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                HTML_ERROR_BODY,
            )
                .into_response(),
            Kind::Oversized => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, JSON)],
                oversized_body(),
            )
                .into_response(),
            Kind::RateLimit(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (header::CONTENT_TYPE, JSON.to_owned()),
                    (header::RETRY_AFTER, secs.to_string()),
                ],
                RATE_LIMITED_BODY,
            )
                .into_response(),
        }
    }
}

/// A well-formed envelope padded to exactly [`OVERSIZED_LEN`] bytes, so only a size limit (not a
/// parse error) can stop a client from swallowing it.
fn oversized_body() -> String {
    const HEAD: &str = r#"{"code":"000","msg":"oversized","data":""#;
    const TAIL: &str = r#""}"#;
    let mut body = String::with_capacity(OVERSIZED_LEN);
    body.push_str(HEAD);
    body.extend(std::iter::repeat_n(
        'x',
        OVERSIZED_LEN - HEAD.len() - TAIL.len(),
    ));
    body.push_str(TAIL);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_body_is_exact_and_valid_json() {
        let body = oversized_body();
        assert_eq!(body.len(), OVERSIZED_LEN);
        assert!(serde_json::from_str::<serde_json::Value>(&body).is_ok());
    }

    #[test]
    fn rules_are_spent_per_matching_path() {
        let f = Faults::default();
        f.fail_5xx(Some("/a"), 1);
        f.slow(None, 2, Duration::from_millis(5));
        f.rate_limit(None, 1, 3);
        f.html_error(Some("/a"), 0);

        let p = f.take("/b");
        assert_eq!(p.delay, Some(Duration::from_millis(5)));
        assert_eq!(p.answer, Some(Kind::RateLimit(3)));

        let p = f.take("/a");
        assert_eq!(p.delay, Some(Duration::from_millis(5)));
        assert_eq!(p.answer, Some(Kind::Fail5xx));

        let p = f.take("/a");
        assert_eq!((p.delay, p.answer), (None, None));
        assert_eq!(f.armed(), 0);
    }
}
