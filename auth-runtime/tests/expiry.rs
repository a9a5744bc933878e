//! Expiry as the seed providers state it, read against a fixed "now": seconds, a naive datetime
//! in Asia/Shanghai, a datetime with an offset, a JWT `exp` when nothing else is given, and the
//! shortest of several.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use auth_runtime::expiry::{expires_at, jwt_exp};
use auth_runtime::spec::{Encoding, EndpointSpec, ExpiryKind, ExpirySpec, Method};
use jiff::Timestamp;
use serde_json::json;
use support::token_endpoint;

const fn spec(expiry: &'static [ExpirySpec]) -> EndpointSpec {
    EndpointSpec {
        name: "e",
        token: None,
        expiry,
        ..token_endpoint(Method::Get, "/t", Encoding::Query, &[])
    }
}

static SECONDS: EndpointSpec = spec(&[ExpirySpec {
    path: "data.expiresIn",
    kind: ExpiryKind::Seconds,
    time_zone: None,
}]);
static SHANGHAI: EndpointSpec = spec(&[ExpirySpec {
    path: "data.expired",
    kind: ExpiryKind::Datetime,
    time_zone: Some("Asia/Shanghai"),
}]);
static BOTH: EndpointSpec = spec(&[
    ExpirySpec {
        path: "result.expiresIn",
        kind: ExpiryKind::Seconds,
        time_zone: None,
    },
    ExpirySpec {
        path: "result.expireTime",
        kind: ExpiryKind::Datetime,
        time_zone: Some("Asia/Shanghai"),
    },
]);

fn now() -> Timestamp {
    "2021-06-18T07:43:26Z".parse().unwrap()
}

/// `{"alg":"none"}.{"exp":<exp>}.sig`, base64url without padding.
fn jwt(exp: i64) -> String {
    use base64::Engine;
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.sig",
        enc(r#"{"alg":"none"}"#),
        enc(&format!(r#"{{"exp":{exp}}}"#))
    )
}

#[test]
fn seconds_from_now() {
    let at = expires_at(&SECONDS, &json!({"data": {"expiresIn": 7200}}), "t", now()).unwrap();
    assert_eq!(at, Some("2021-06-18T09:43:26Z".parse().unwrap()));
    let text = expires_at(&SECONDS, &json!({"data": {"expiresIn": "60"}}), "t", now()).unwrap();
    assert_eq!(text, Some("2021-06-18T07:44:26Z".parse().unwrap()));
}

#[test]
fn naive_datetime_is_beijing_time() {
    // Seed 001: "expired": "2021-06-18 16:43:26" is 08:43:26 UTC.
    let at = expires_at(
        &SHANGHAI,
        &json!({"data": {"expired": "2021-06-18 16:43:26"}}),
        "t",
        now(),
    )
    .unwrap();
    assert_eq!(at, Some("2021-06-18T08:43:26Z".parse().unwrap()));
}

#[test]
fn offset_datetime_ignores_the_zone() {
    let at = expires_at(
        &SHANGHAI,
        &json!({"data": {"expired": "2021-06-18T16:43:26+09:00"}}),
        "t",
        now(),
    )
    .unwrap();
    assert_eq!(at, Some("2021-06-18T07:43:26Z".parse().unwrap()));
}

#[test]
fn the_shortest_statement_wins() {
    // expiresIn says 2 h, expireTime says 30 min: trust 30 min.
    let body = json!({"result": {"expiresIn": 7200, "expireTime": "2021-06-18T16:13:26+08:00"}});
    assert_eq!(
        expires_at(&BOTH, &body, "t", now()).unwrap(),
        Some("2021-06-18T08:13:26Z".parse().unwrap())
    );
    let body = json!({"result": {"expiresIn": 600, "expireTime": "2021-06-18T16:13:26+08:00"}});
    assert_eq!(
        expires_at(&BOTH, &body, "t", now()).unwrap(),
        Some("2021-06-18T07:53:26Z".parse().unwrap())
    );
}

#[test]
fn jwt_exp_only_when_nothing_else_is_given() {
    let token = jwt(1_624_000_000);
    let from_jwt = expires_at(&SECONDS, &json!({"data": {}}), &token, now()).unwrap();
    assert_eq!(
        from_jwt,
        Some(Timestamp::from_second(1_624_000_000).unwrap())
    );
    // A stated expiry wins over the claim, even a later one.
    let stated = expires_at(&SECONDS, &json!({"data": {"expiresIn": 60}}), &token, now()).unwrap();
    assert_eq!(stated, Some("2021-06-18T07:44:26Z".parse().unwrap()));
    // Seed 004's tokens carry "Bearer ".
    assert_eq!(
        jwt_exp(&format!("Bearer {token}")),
        Some(Timestamp::from_second(1_624_000_000).unwrap())
    );
    assert_eq!(jwt_exp("not-a-jwt"), None);
}

#[test]
fn malformed_expiries_are_errors_naming_the_field() {
    let err = expires_at(
        &SHANGHAI,
        &json!({"data": {"expired": "tomorrow"}}),
        "t",
        now(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("expiry at `data.expired`: `tomorrow` is not a datetime"),
        "{err}"
    );
    let err = expires_at(&SECONDS, &json!({"data": {"expiresIn": -5}}), "t", now()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expiry at `data.expiresIn`: expected a number of seconds, found -5"
    );
}
