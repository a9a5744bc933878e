//! When a token expires and when to refresh it.
//!
//! A response may state the expiry several ways (seconds, an absolute datetime with or without an
//! offset); the shortest wins so a token is never trusted longer than the server said. A JWT's
//! `exp` claim is used only when nothing else is given.

use base64::Engine;
use jiff::{SignedDuration, Timestamp, civil, tz::TimeZone};
use serde_json::Value;

use crate::spec::{EndpointSpec, ExpiryKind, lookup};

/// Why no expiry could be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expiry at `{path}`: {reason}")]
pub struct ExpiryError {
    /// The dotted path.
    pub path: String,
    /// What was wrong.
    pub reason: String,
}

/// The expiry a response states, or `Ok(None)` when it states none.
pub fn expires_at(
    spec: &EndpointSpec,
    body: &Value,
    token: &str,
    now: Timestamp,
) -> Result<Option<Timestamp>, ExpiryError> {
    let mut shortest: Option<Timestamp> = None;
    for e in spec.expiry {
        let Some(value) = lookup(body, e.path).filter(|v| !v.is_null()) else {
            continue;
        };
        let err = |reason: String| ExpiryError {
            path: e.path.to_owned(),
            reason,
        };
        let at = match e.kind {
            ExpiryKind::Seconds => {
                let seconds = match value {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                }
                .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e10)
                .ok_or_else(|| err(format!("expected a number of seconds, found {value}")))?;
                now.checked_add(SignedDuration::from_secs_f64(seconds))
                    .map_err(|x| err(x.to_string()))?
            }
            ExpiryKind::Datetime => match value {
                Value::String(text) => match text.trim().parse::<i64>() {
                    Ok(epoch) => {
                        unix_time(epoch).ok_or_else(|| err(format!("`{text}` is no time")))?
                    }
                    Err(_) => parse_datetime(text, e.time_zone).map_err(err)?,
                },
                Value::Number(n) => n
                    .as_i64()
                    .and_then(unix_time)
                    .ok_or_else(|| err(format!("expected a Unix time, found {value}")))?,
                _ => return Err(err(format!("expected a datetime, found {value}"))),
            },
        };
        shortest = Some(shortest.map_or(at, |s| s.min(at)));
    }
    if shortest.is_none() {
        shortest = jwt_exp(token);
    }
    Ok(shortest)
}

/// An absolute time sent as a number: Unix seconds, or milliseconds when it is that large
/// (`1795773705` and `1795773705717` are the same instant).
pub fn unix_time(epoch: i64) -> Option<Timestamp> {
    if epoch > 100_000_000_000 {
        Timestamp::from_millisecond(epoch).ok()
    } else {
        Timestamp::from_second(epoch).ok()
    }
}

/// RFC 3339 with an offset, or a naive `YYYY-MM-DD HH:MM:SS` read in `zone` (UTC if none).
pub fn parse_datetime(text: &str, zone: Option<&str>) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let naive: civil::DateTime = text
        .parse()
        .map_err(|e| format!("`{text}` is not a datetime: {e}"))?;
    let tz = match zone {
        Some(name) => {
            TimeZone::get(name).map_err(|e| format!("unknown time zone `{name}`: {e}"))?
        }
        None => TimeZone::UTC,
    };
    naive
        .to_zoned(tz)
        .map(|z| z.timestamp())
        .map_err(|e| e.to_string())
}

/// The `exp` claim of a JWT (the value may carry a `Bearer ` prefix).
pub fn jwt_exp(token: &str) -> Option<Timestamp> {
    let token = token.rsplit(' ').next()?;
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    Timestamp::from_second(claims.get("exp")?.as_i64()?).ok()
}

/// When to refresh a token early.
///
/// ```
/// use auth_runtime::RefreshPolicy;
/// use jiff::{SignedDuration, Timestamp};
///
/// let issued: Timestamp = "2026-01-01T00:00:00Z".parse()?;
/// let expires = issued + SignedDuration::from_hours(2);
/// let policy = RefreshPolicy { jitter_share: 0.0, ..RefreshPolicy::default() };
/// // Five minutes before expiry comes after 80 % of two hours (96 min): the earlier one wins.
/// assert_eq!(policy.refresh_at(issued, expires, 0.0), issued + SignedDuration::from_mins(96));
/// # Ok::<(), jiff::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefreshPolicy {
    /// Refresh after this share of the lifetime (default 0.8).
    pub lifetime_share: f64,
    /// ...or this long before expiry, whichever comes first (default 5 min).
    pub before_expiry: SignedDuration,
    /// Never earlier than this share of the lifetime, so short tokens are not refetched on every
    /// use (default 0.5).
    pub floor_share: f64,
    /// Up to this share of the lifetime is taken off at random, so a fleet does not refresh in
    /// lockstep (default 0.05).
    pub jitter_share: f64,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            lifetime_share: 0.8,
            before_expiry: SignedDuration::from_mins(5),
            floor_share: 0.5,
            jitter_share: 0.05,
        }
    }
}

impl RefreshPolicy {
    /// The refresh time for a token issued at `issued` expiring at `expires`; `random` in [0, 1)
    /// picks the jitter.
    pub fn refresh_at(&self, issued: Timestamp, expires: Timestamp, random: f64) -> Timestamp {
        let lifetime = expires.duration_since(issued);
        if lifetime <= SignedDuration::ZERO {
            return issued;
        }
        let share = |s: f64| issued.checked_add(lifetime.mul_f64(s)).unwrap_or(expires);
        let by_share = share(self.lifetime_share);
        let by_margin = expires.checked_sub(self.before_expiry).unwrap_or(issued);
        let floor = share(self.floor_share);
        let planned = by_share.min(by_margin).max(floor);
        let jitter = lifetime.mul_f64(self.jitter_share * random.clamp(0.0, 1.0));
        planned
            .checked_sub(jitter)
            .unwrap_or(planned)
            .max(floor.checked_sub(jitter).unwrap_or(floor))
    }
}

/// A random number in [0, 1) without a dependency: std's per-process random hash keys.
pub(crate) fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// 64 random bits (std's randomly keyed SipHash over the time), for jitter and lease ids;
/// not for cryptography.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(Timestamp::now().as_nanosecond() as u64);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn unix_times_in_seconds_or_milliseconds() {
        assert_eq!(
            unix_time(1_795_773_705),
            Timestamp::from_second(1_795_773_705).ok()
        );
        assert_eq!(
            unix_time(1_795_773_705_717),
            Timestamp::from_millisecond(1_795_773_705_717).ok()
        );
    }

    #[test]
    fn naive_datetimes_are_read_in_the_provider_zone() {
        let at = parse_datetime("2021-06-18 16:43:26", Some("Asia/Shanghai"));
        assert_eq!(at, Ok(ts("2021-06-18T08:43:26Z")));
        assert_eq!(
            parse_datetime("2021-06-18T16:43:26+08:00", Some("UTC")),
            Ok(ts("2021-06-18T08:43:26Z"))
        );
        assert!(parse_datetime("yesterday", None).is_err());
    }

    #[test]
    fn refresh_policy_defaults() {
        let p = RefreshPolicy::default();
        let issued = ts("2026-01-01T00:00:00Z");
        // 2 h token: 80 % (96 min) is earlier than 5 min before expiry (115 min).
        let two_hours = issued
            .checked_add(SignedDuration::from_hours(2))
            .unwrap_or(issued);
        assert_eq!(
            p.refresh_at(issued, two_hours, 0.0),
            ts("2026-01-01T01:36:00Z")
        );
        // 20 min token: 5 min before expiry (15 min) is earlier than 80 % (16 min).
        let twenty = issued
            .checked_add(SignedDuration::from_mins(20))
            .unwrap_or(issued);
        assert_eq!(
            p.refresh_at(issued, twenty, 0.0),
            ts("2026-01-01T00:15:00Z")
        );
        // 60 s ticket: never before half its life.
        let minute = issued
            .checked_add(SignedDuration::from_secs(60))
            .unwrap_or(issued);
        assert_eq!(
            p.refresh_at(issued, minute, 0.0),
            ts("2026-01-01T00:00:30Z")
        );
        // Jitter takes off at most 5 % of the lifetime.
        let jittered = p.refresh_at(issued, two_hours, 0.999_999);
        assert!(
            jittered < ts("2026-01-01T01:36:00Z") && jittered >= ts("2026-01-01T01:30:00Z"),
            "{jittered}"
        );
    }

    #[test]
    fn random_unit_is_in_range_and_varies() {
        let samples: Vec<f64> = (0..32).map(|_| random_unit()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(samples.windows(2).any(|w| w[0] != w[1]));
    }
}
