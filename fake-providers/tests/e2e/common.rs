//! Helpers: server start-up, a proxy-free client, and decoders written independently of the crate
//! (so a wrong date or base64 routine in the crate cannot agree with itself).

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use fake_providers::{Config, FakeProviders};
use reqwest::{Response, StatusCode};
use serde_json::Value;

pub async fn start() -> FakeProviders {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> FakeProviders {
    FakeProviders::start(config).await.unwrap()
}

/// One client for every test: building one costs tens of milliseconds (TLS roots) in debug
/// builds. Each `#[tokio::test]` has its own runtime and a pooled connection would be bound to
/// the runtime that opened it, so pooling is off: every request opens a fresh connection.
pub fn client() -> reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap()
        })
        .clone()
}

pub async fn json(resp: Response) -> (StatusCode, Value) {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, value)
}

pub fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// Asserts `actual` is within `slack` seconds of `expected`.
pub fn assert_near(actual: i64, expected: i64, slack: i64) {
    assert!(
        (actual - expected).abs() <= slack,
        "{actual} is not within {slack} s of {expected}"
    );
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(s: &str) -> i64 {
    assert!(s.bytes().all(|b| b.is_ascii_digit()), "not digits: {s:?}");
    s.parse().unwrap()
}

/// Unix seconds of `YYYY-MM-DD HH:MM:SS` read as Asia/Shanghai (UTC+8) local time.
pub fn parse_shanghai_naive(s: &str) -> i64 {
    assert_eq!(s.len(), 19, "{s:?}");
    let b = s.as_bytes();
    assert_eq!(
        (b[4], b[7], b[10], b[13], b[16]),
        (b'-', b'-', b' ', b':', b':'),
        "{s:?}"
    );
    let days = days_from_civil(num(&s[0..4]), num(&s[5..7]), num(&s[8..10]));
    let secs = num(&s[11..13]) * 3600 + num(&s[14..16]) * 60 + num(&s[17..19]);
    days * 86_400 + secs - 8 * 3600
}

/// Unix seconds of an RFC 3339 time that must carry the `+08:00` offset.
pub fn parse_rfc3339_shanghai(s: &str) -> i64 {
    let local = s.strip_suffix("+08:00").unwrap_or_else(|| panic!("{s:?}"));
    assert_eq!(local.as_bytes()[10], b'T', "{s:?}");
    parse_shanghai_naive(&local.replacen('T', " ", 1))
}

fn base64url_decode(s: &str) -> Vec<u8> {
    let sextet = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {c}"),
        }
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        assert!(chunk.len() >= 2, "bad base64url length: {s}");
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= sextet(c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// The payload of a `header.payload.signature` token, checking the shape on the way.
pub fn jwt_claims(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not JWT-shaped: {token}");
    let header: Value = serde_json::from_slice(&base64url_decode(parts[0])).unwrap();
    assert_eq!(header["typ"], "JWT");
    assert!(!parts[2].is_empty());
    serde_json::from_slice(&base64url_decode(parts[1])).unwrap()
}

/// `exp` of a JWT, checked against `iat` and `jti`.
pub fn jwt_exp(token: &str) -> i64 {
    let claims = jwt_claims(token);
    assert!(claims["jti"].as_str().is_some_and(|j| !j.is_empty()));
    let iat = claims["iat"].as_i64().unwrap();
    assert_near(iat, now(), 3);
    claims["exp"].as_i64().unwrap()
}

pub fn assert_uuid_like(s: &str) {
    let groups: Vec<usize> = s.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{s}");
    assert!(s.chars().all(|c| c == '-' || c.is_ascii_hexdigit()), "{s}");
}

#[test]
fn decoders_agree_with_known_values() {
    assert_eq!(parse_shanghai_naive("1970-01-01 08:00:00"), 0);
    // The ebaas page's sample token: iat 1623998605 (2021-06-18 14:43:25 in Shanghai).
    assert_eq!(parse_shanghai_naive("2021-06-18 14:43:25"), 1_623_998_605);
    assert_eq!(
        parse_rfc3339_shanghai("2024-01-01T00:00:00+08:00"),
        1_704_038_400
    );
    let claims = jwt_claims(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE2MjQ3MTM1OTAsInVzZXJfbmFtZSI6IjE3NjIxOTIzMzQ2IiwiYXV0aG9yaXRpZXMiOlsiUk9MRV9BRE1JTiJdLCJqdGkiOiJkMGIyOTA3ZC1iOWZhLTRiODktOWQ1NS1mMWIzMmMyZjYwYmQiLCJjbGllbnRfaWQiOiJhY2NvdW50Iiwic2NvcGUiOlsiYWxsIl19.tqDkrI6s9mPwdZA-2WxO7Q6SUGhYGMKX1WhIRLm5VUA",
    );
    assert_eq!(claims["exp"], 1_624_713_590);
}
