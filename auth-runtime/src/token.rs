//! A cached token: its value (secret), when it expires, when to refresh it, and how many uses
//! are left for use-limited tickets. Cloning is an `Arc` clone.
//!
//! Where a token is in its life ([`Lifecycle`]: fresh, due, expired, used up) is decided in one
//! place, [`Lifecycle::decide`]; the cache, the stores and the expired-on-arrival check all ask
//! through it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

/// Uses left when the provider states no limit.
const UNLIMITED: u32 = u32::MAX;

/// The `Authorization` value for a token: the token alone when it already carries a scheme
/// (`Bearer eyJ…`), otherwise `<scheme> <token>`. Never `Bearer Bearer`.
pub(crate) fn authorization_value(token: &str, scheme: &str) -> String {
    let carries_scheme = token.split_once(' ').is_some_and(|(word, rest)| {
        !rest.is_empty()
            && [scheme, "bearer", "basic"]
                .iter()
                .any(|s| word.eq_ignore_ascii_case(s))
    });
    if carries_scheme {
        token.to_owned()
    } else {
        format!("{scheme} {token}")
    }
}

/// Token types (RFC 6749 §7.1, the IANA "OAuth Access Token Types" registry, RFC 8693's `N_A`)
/// that cannot be presented as a bearer token: each call needs a proof made with a key, or the
/// token is no access token at all. Compared without case, as the RFC asks.
const UNPRESENTABLE_TOKEN_TYPES: &[(&str, &str)] = &[
    ("DPoP", "each call needs a DPoP proof (RFC 9449)"),
    ("MAC", "each call needs a MAC signature"),
    ("PoP", "each call needs a proof of possession"),
    ("N_A", "it is not an access token (RFC 8693)"),
];

/// Checks the `token_type` a token response states beside the token. Protected calls present
/// every token the way its page documents (`Authorization: <scheme>`, a header or a query
/// parameter), which is right for `bearer` in any case and for providers' own words; a token
/// bound to a key would be refused at every call, so it is refused here, once, with the reason.
pub(crate) fn check_token_type(token_type: &str) -> Result<(), String> {
    match UNPRESENTABLE_TOKEN_TYPES
        .iter()
        .find(|(name, _)| token_type.trim().eq_ignore_ascii_case(name))
    {
        Some((name, why)) => Err(format!(
            "the provider issued a `{name}` token (its `token_type`); authgen presents tokens as \
             bearer tokens, and {why}"
        )),
        None => Ok(()),
    }
}

/// Where a token is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lifecycle {
    /// Valid, and its refresh time has not come: served as it is.
    Fresh,
    /// Still valid, but its refresh time has come: served while one refresh runs in the
    /// background (or, when a fetch invalidates earlier tokens, held back until the new one).
    Due,
    /// Past its expiry: never served.
    Expired,
    /// A use-limited ticket with no use left: never served.
    UsedUp,
}

impl Lifecycle {
    /// The one decision: used up beats expired (a used-up ticket is gone whatever the time),
    /// expired beats due, and a token that is neither is fresh.
    pub fn decide(used_up: bool, expired: bool, due: bool) -> Self {
        if used_up {
            Lifecycle::UsedUp
        } else if expired {
            Lifecycle::Expired
        } else if due {
            Lifecycle::Due
        } else {
            Lifecycle::Fresh
        }
    }

    /// The state at `now` of a token that is due at `refresh_at`, expires at `expires_at` and has
    /// `uses_left` uses (`None`: unlimited). A token is expired from its expiry instant on, and
    /// due from its refresh instant on.
    pub fn at(
        now: Timestamp,
        refresh_at: Timestamp,
        expires_at: Timestamp,
        uses_left: Option<u32>,
    ) -> Self {
        Self::decide(uses_left == Some(0), now >= expires_at, now >= refresh_at)
    }

    /// Whether a token in this state may be handed out (fresh or due).
    pub fn is_usable(self) -> bool {
        matches!(self, Lifecycle::Fresh | Lifecycle::Due)
    }
}

/// How the cache knows the time when it asks for a token's state.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Now {
    /// This instant, read from the cache's clock.
    At(Timestamp),
    /// The flags that the timer thread sets when the refresh and expiry instants pass
    /// (real-time clocks only), so a cached read needs no clock read.
    ByTimers,
}

/// The fields a cached read touches come first (`repr(C)` keeps that order), beside the `Arc`
/// counts it updates, so the read costs one cache line.
#[derive(Debug)]
#[repr(C)]
pub(crate) struct TokenData {
    uses_left: AtomicU32,
    /// Set by the timer thread when `refresh_at` passes (real-time clocks only).
    pub(crate) due_flag: AtomicBool,
    /// Set by the timer thread when `expires_at` passes (real-time clocks only).
    pub(crate) expired_flag: AtomicBool,
    pub(crate) value: SecretString,
    pub(crate) issued_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    pub(crate) refresh_at: Timestamp,
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

    /// Where the token is in its life: from the clock, or from the timers' flags.
    pub(crate) fn lifecycle(&self, now: Now) -> Lifecycle {
        match now {
            Now::At(now) => Lifecycle::at(now, self.refresh_at, self.expires_at, self.uses_left()),
            Now::ByTimers => Lifecycle::decide(
                self.uses_left.load(Ordering::Acquire) == 0,
                self.expired_flag.load(Ordering::Acquire),
                self.due_flag.load(Ordering::Acquire),
            ),
        }
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

/// A token handed out by a [`crate::TokenCache`]. Its value is a secret: `Debug` shows only its
/// times, and [`Token::display_prefix`] is what logs may carry.
///
/// ```no_run
/// # async fn demo(session: &auth_runtime::Session) -> Result<(), auth_runtime::Error> {
/// let token = session.token("get_access_token").await?;
/// let header = token.authorization(); // `Bearer <token>`, never `Bearer Bearer …`
/// println!("{} refreshes at {}, expires at {}", token.display_prefix(), token.refresh_at(), token.expires_at());
/// # let _ = header;
/// # Ok(()) }
/// ```
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
        authorization_value(self.expose_secret(), "Bearer")
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

    /// Where this token is in its life at `now` (by its times and uses, whatever the cache's
    /// timers have flagged).
    pub fn lifecycle(&self, now: Timestamp) -> Lifecycle {
        self.0.lifecycle(Now::At(now))
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
    fn lifecycle_is_decided_in_one_order() {
        let t0 = Timestamp::UNIX_EPOCH;
        let at = |secs: i64| t0 + jiff::SignedDuration::from_secs(secs);
        // Refresh at 80 s, expiry at 100 s; each boundary belongs to the later state.
        let state = |now: i64, uses: Option<u32>| Lifecycle::at(at(now), at(80), at(100), uses);
        assert_eq!(state(0, None), Lifecycle::Fresh);
        assert_eq!(state(79, None), Lifecycle::Fresh);
        assert_eq!(state(80, None), Lifecycle::Due);
        assert_eq!(state(99, None), Lifecycle::Due);
        assert_eq!(state(100, None), Lifecycle::Expired);
        // Used up wins over every time-based state, expired over due.
        assert_eq!(state(0, Some(0)), Lifecycle::UsedUp);
        assert_eq!(state(100, Some(0)), Lifecycle::UsedUp);
        assert_eq!(state(50, Some(1)), Lifecycle::Fresh);
        assert_eq!(
            Lifecycle::decide(false, true, true),
            Lifecycle::Expired,
            "an expired token whose due flag is also set is expired"
        );
        assert!(Lifecycle::Fresh.is_usable() && Lifecycle::Due.is_usable());
        assert!(!Lifecycle::Expired.is_usable() && !Lifecycle::UsedUp.is_usable());
    }

    #[test]
    fn cached_tokens_answer_from_the_clock_or_from_the_timer_flags() {
        let t0 = Timestamp::UNIX_EPOCH;
        let secs = jiff::SignedDuration::from_secs;
        let data = TokenData::new(
            SecretString::from("v"),
            t0,
            t0 + secs(100),
            t0 + secs(80),
            Some(1),
        );
        assert_eq!(data.lifecycle(Now::At(t0)), Lifecycle::Fresh);
        assert_eq!(data.lifecycle(Now::At(t0 + secs(90))), Lifecycle::Due);
        // The flags say what the timers saw, whatever the instant.
        assert_eq!(data.lifecycle(Now::ByTimers), Lifecycle::Fresh);
        data.due_flag.store(true, Ordering::Release);
        assert_eq!(data.lifecycle(Now::ByTimers), Lifecycle::Due);
        data.expired_flag.store(true, Ordering::Release);
        assert_eq!(data.lifecycle(Now::ByTimers), Lifecycle::Expired);
        // Its one use taken, it is used up by either reading.
        assert!(data.try_use());
        assert_eq!(data.lifecycle(Now::At(t0)), Lifecycle::UsedUp);
        assert_eq!(data.lifecycle(Now::ByTimers), Lifecycle::UsedUp);
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
