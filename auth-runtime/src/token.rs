//! A cached token: its value (secret), when it expires, when to refresh it, and how many uses
//! are left for use-limited tickets. Cloning is an `Arc` clone.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

/// Uses left when the provider states no limit.
const UNLIMITED: u32 = u32::MAX;

#[derive(Debug)]
pub(crate) struct TokenData {
    pub(crate) value: SecretString,
    pub(crate) issued_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    pub(crate) refresh_at: Timestamp,
    uses_left: AtomicU32,
    /// Set by a runtime timer when `refresh_at` passes (real-time clocks only).
    pub(crate) due_flag: AtomicBool,
    /// Set by a runtime timer when `expires_at` passes (real-time clocks only).
    pub(crate) expired_flag: AtomicBool,
}

impl TokenData {
    pub(crate) fn new(
        value: SecretString,
        issued_at: Timestamp,
        expires_at: Timestamp,
        refresh_at: Timestamp,
        uses: Option<u32>,
    ) -> Self {
        Self {
            value,
            issued_at,
            expires_at,
            refresh_at,
            uses_left: AtomicU32::new(uses.map_or(UNLIMITED, |u| u.min(UNLIMITED - 1))),
            due_flag: AtomicBool::new(false),
            expired_flag: AtomicBool::new(false),
        }
    }

    /// Not expired and not used up.
    pub(crate) fn usable(&self, now: Timestamp) -> bool {
        now < self.expires_at && self.uses_left.load(Ordering::Acquire) > 0
    }

    pub(crate) fn refresh_due(&self, now: Timestamp) -> bool {
        now >= self.refresh_at
    }

    /// Takes one use; false when none is left. Unlimited tokens are never used up.
    pub(crate) fn try_use(&self) -> bool {
        // The common case writes nothing, so concurrent readers do not contend on the counter.
        if self.uses_left.load(Ordering::Acquire) == UNLIMITED {
            return true;
        }
        self.uses_left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |u| match u {
                UNLIMITED => Some(UNLIMITED),
                0 => None,
                n => Some(n - 1),
            })
            .is_ok()
    }

    pub(crate) fn uses_left(&self) -> Option<u32> {
        match self.uses_left.load(Ordering::Acquire) {
            UNLIMITED => None,
            n => Some(n),
        }
    }
}

/// A token handed out by a [`crate::TokenCache`].
#[derive(Clone)]
pub struct Token(pub(crate) Arc<TokenData>);

impl Token {
    /// The raw value, exactly as the provider sent it. Named so that every place a secret leaves
    /// its wrapper is easy to find.
    pub fn expose_secret(&self) -> &str {
        self.0.value.expose_secret()
    }

    /// The `Authorization` header value: the token as given when it already carries a scheme
    /// (seed 004 sends `Bearer eyJ...`), otherwise `Bearer <token>`. Never `Bearer Bearer`.
    pub fn authorization(&self) -> String {
        let value = self.expose_secret();
        let has_scheme = value.split_once(' ').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("basic"))
        });
        if has_scheme {
            value.to_owned()
        } else {
            format!("Bearer {value}")
        }
    }

    /// When the provider said it expires.
    pub fn expires_at(&self) -> Timestamp {
        self.0.expires_at
    }

    /// When it was fetched.
    pub fn issued_at(&self) -> Timestamp {
        self.0.issued_at
    }

    /// When the cache will refresh it early.
    pub fn refresh_at(&self) -> Timestamp {
        self.0.refresh_at
    }

    /// Uses left after this one, for use-limited tickets.
    pub fn uses_left(&self) -> Option<u32> {
        self.0.uses_left()
    }

    /// Whether both handles are the very same fetched token.
    pub fn same_as(&self, other: &Token) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// A short, non-secret prefix for display (`eyJhbG…`): at most 6 characters of a token of
    /// 24 or more, nothing of a shorter one.
    pub fn display_prefix(&self) -> String {
        let value = self.expose_secret().trim_start_matches("Bearer ");
        if value.chars().count() >= 24 {
            format!("{}…", value.chars().take(6).collect::<String>())
        } else {
            "…".to_owned()
        }
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("value", &"[redacted]")
            .field("expires_at", &self.0.expires_at)
            .field("uses_left", &self.uses_left())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(value: &str, uses: Option<u32>) -> Token {
        let now = Timestamp::UNIX_EPOCH;
        Token(Arc::new(TokenData::new(
            SecretString::from(value),
            now,
            now,
            now,
            uses,
        )))
    }

    #[test]
    fn bearer_is_never_doubled() {
        assert_eq!(
            token("Bearer abc.def", None).authorization(),
            "Bearer abc.def"
        );
        assert_eq!(token("bearer abc", None).authorization(), "bearer abc");
        assert_eq!(token("abc.def", None).authorization(), "Bearer abc.def");
    }

    #[test]
    fn uses_are_counted_down() {
        let t = token("x", Some(2));
        assert!(t.0.try_use() && t.0.try_use());
        assert!(!t.0.try_use());
        assert_eq!(t.uses_left(), Some(0));
        let unlimited = token("y", None);
        assert!((0..1000).all(|_| unlimited.0.try_use()));
    }

    #[test]
    fn debug_hides_the_value() {
        let debug = format!("{:?}", token("super-secret-token-value", None));
        assert!(
            !debug.contains("super-secret") && debug.contains("[redacted]"),
            "{debug}"
        );
    }
}
