//! Token, ticket and request-id values.
//!
//! Nothing here is cryptographic: the fakes decide validity by looking tokens up in their issued
//! table, so values only need to be unique, JWT-shaped and carry a readable `exp`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use crate::Provider;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, unpredictable-enough 64-bit value: `RandomState` is seeded per process by std and its
/// SipHash mixes in a counter and the clock, so successive calls never repeat in practice.
pub(crate) fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    h.write_u128(nanos);
    h.finish()
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&random_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A unique id: a process-wide counter (uniqueness) followed by random bits (unguessability).
pub(crate) fn unique_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{n:08x}{:016x}", random_u64())
}

/// A UUID-v4-shaped request id, like the `request_id` ebaas returns.
pub(crate) fn request_id() -> String {
    let a = random_u64();
    let b = random_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// A JWT-shaped token (`header.payload.signature`, base64url) whose payload carries `iss`, `sub`,
/// `iat`, `exp` and a unique `jti`.
pub(crate) fn jwt(provider: Provider, client: &str, iat: i64, exp: i64) -> String {
    let header = serde_json::json!({"alg": "HS256", "typ": "JWT"});
    let payload = serde_json::json!({
        "iss": format!("fake-{}", provider.name()),
        "sub": client,
        "iat": iat,
        "exp": exp,
        "jti": unique_id(),
    });
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        URL_SAFE_NO_PAD.encode(random_bytes(32))
    )
}

/// An ebaas service ticket: `ST-` and standard padded base64, like the page's sample
/// (`ST-AkUr...+hdrT043EXw==`), so clients meet `+`, `/` and `=` in a header value.
pub(crate) fn service_ticket() -> String {
    format!("ST-{}", STANDARD.encode(random_bytes(64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped() {
        let a = jwt(Provider::Coupang, "c", 1, 2);
        let b = jwt(Provider::Coupang, "c", 1, 2);
        assert_ne!(a, b);
        assert_eq!(a.split('.').count(), 3);
        let rid = request_id();
        let groups: Vec<usize> = rid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(service_ticket().starts_with("ST-"));
        assert_ne!(service_ticket(), service_ticket());
    }
}
