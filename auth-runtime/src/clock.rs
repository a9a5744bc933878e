//! Time, behind a trait so tests can move it.

use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug + 'static {
    /// Now.
    fn now(&self) -> Timestamp;

    /// Whether this clock is real time, so the cache may arm runtime timers for a token's refresh
    /// and expiry instead of reading the clock on every cached read (a clock read costs more than
    /// the rest of the read). Test clocks return `false` and are read every time.
    fn is_real_time(&self) -> bool {
        false
    }
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn is_real_time(&self) -> bool {
        true
    }
}

/// A clock that only moves when told to: tests of refresh and expiry without sleeping.
///
/// ```
/// use std::sync::Arc;
/// use auth_runtime::{Clock, ManualClock};
/// use jiff::SignedDuration;
///
/// let clock = Arc::new(ManualClock::new("2026-01-01T00:00:00Z".parse()?));
/// clock.advance(SignedDuration::from_hours(2));
/// assert_eq!(clock.now().to_string(), "2026-01-01T02:00:00Z");
/// // Then: `Session::builder(…).clock(clock.clone())`.
/// # Ok::<(), jiff::Error>(())
/// ```
#[derive(Debug)]
pub struct ManualClock {
    nanos: AtomicI64,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: Timestamp) -> Self {
        Self {
            nanos: AtomicI64::new(start.as_nanosecond() as i64),
        }
    }

    /// A clock stopped at the current system time.
    pub fn starting_now() -> Self {
        Self::new(Timestamp::now())
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        self.nanos.fetch_add(by.as_nanos() as i64, Ordering::SeqCst);
    }

    /// Sets the clock.
    pub fn set(&self, to: Timestamp) {
        self.nanos
            .store(to.as_nanosecond() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_nanosecond(i128::from(self.nanos.load(Ordering::SeqCst)))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// Flips cached tokens' due and expired flags when their instants pass, for every cache of the
/// process, from one thread. A runtime task per token (what this replaces) cost about 380 bytes
/// per cached token; an entry here costs 24, and the thread sleeps until the earliest instant
/// (it never ticks).
pub(crate) mod token_timers {
    use std::collections::BinaryHeap;
    use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
    use std::time::{Duration, Instant};

    use crate::token::TokenData;

    /// One pending flip: at `at` (milliseconds since [`base`], rounded up so a flag never flips
    /// early), set the due flag and queue the expiry `expires_after` milliseconds later; or, when
    /// `expires_after` is `None`, set the expired flag. The token is held weakly: a replaced
    /// token's entry does nothing.
    struct Entry {
        at: u64,
        expires_after: Option<u32>,
        token: Weak<TokenData>,
    }

    // Ordered by instant, earliest first (a max-heap of reversed instants).
    impl PartialEq for Entry {
        fn eq(&self, other: &Self) -> bool {
            self.at == other.at
        }
    }
    impl Eq for Entry {}
    impl PartialOrd for Entry {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Entry {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            other.at.cmp(&self.at)
        }
    }

    static QUEUE: Mutex<BinaryHeap<Entry>> = Mutex::new(BinaryHeap::new());
    static WAKE: Condvar = Condvar::new();
    /// Whether the thread runs; `false` when it could not be started (the caches then read the
    /// clock instead).
    static STARTED: OnceLock<bool> = OnceLock::new();

    fn base() -> Instant {
        static BASE: OnceLock<Instant> = OnceLock::new();
        *BASE.get_or_init(Instant::now)
    }

    /// Milliseconds from [`base`] to `now + after`, rounded up.
    fn deadline(now: Instant, after: Duration) -> u64 {
        let nanos = (now.saturating_duration_since(base()) + after).as_nanos();
        u64::try_from(nanos.div_ceil(1_000_000)).unwrap_or(u64::MAX)
    }

    fn lock() -> MutexGuard<'static, BinaryHeap<Entry>> {
        // Flipping flags cannot leave the queue half-updated: a poisoned lock is still good.
        QUEUE.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether flags will be flipped (the thread is running or could be started).
    pub(crate) fn available() -> bool {
        *STARTED.get_or_init(|| {
            base();
            std::thread::Builder::new()
                .name("authgen-token-timers".into())
                .stack_size(64 * 1024)
                .spawn(run)
                .is_ok()
        })
    }

    /// Flips `token`'s due flag after `due_in` and its expired flag after `expires_in`.
    pub(crate) fn arm(token: &Arc<TokenData>, due_in: Duration, expires_in: Duration) {
        let now = Instant::now();
        let at = deadline(now, due_in);
        let expires_after = deadline(now, expires_in).saturating_sub(at);
        let entry = Entry {
            at,
            expires_after: Some(u32::try_from(expires_after).unwrap_or(u32::MAX)),
            token: Arc::downgrade(token),
        };
        let mut queue = lock();
        let earliest = queue.peek().is_none_or(|top| at < top.at);
        queue.push(entry);
        drop(queue);
        if earliest {
            WAKE.notify_one();
        }
    }

    fn run() {
        let mut queue = lock();
        loop {
            let now = deadline(Instant::now(), Duration::ZERO);
            while queue.peek().is_some_and(|top| top.at <= now) {
                let Some(entry) = queue.pop() else { break };
                let Some(token) = entry.token.upgrade() else {
                    continue;
                };
                match entry.expires_after {
                    Some(after) => {
                        token
                            .due_flag
                            .store(true, std::sync::atomic::Ordering::Release);
                        queue.push(Entry {
                            at: entry.at.saturating_add(u64::from(after)),
                            expires_after: None,
                            token: entry.token,
                        });
                    }
                    None => token
                        .expired_flag
                        .store(true, std::sync::atomic::Ordering::Release),
                }
            }
            let wait = queue.peek().map(|top| top.at.saturating_sub(now));
            queue = match wait {
                Some(ms) => {
                    WAKE.wait_timeout(queue, Duration::from_millis(ms))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => WAKE.wait(queue).unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    #[cfg(test)]
    mod tests {
        #![allow(clippy::unwrap_used)]

        use std::sync::atomic::Ordering;

        use jiff::Timestamp;
        use secrecy::SecretString;

        use super::*;

        fn token() -> Arc<TokenData> {
            let t = Timestamp::UNIX_EPOCH;
            Arc::new(TokenData::new(SecretString::from("v"), t, t, t, None))
        }

        /// Waits (bounded, generously) until `done` holds; whether it ever held.
        fn eventually(done: impl Fn() -> bool) -> bool {
            let until = Instant::now() + Duration::from_secs(10);
            while Instant::now() < until {
                if done() {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            done()
        }

        #[test]
        fn flags_flip_in_order_and_only_when_their_time_comes() {
            assert!(available());
            let soon = token();
            let later = token();
            arm(&soon, Duration::ZERO, Duration::from_millis(20));
            arm(&later, Duration::from_secs(3600), Duration::from_secs(7200));
            assert!(eventually(|| soon.due_flag.load(Ordering::Acquire)));
            assert!(eventually(|| soon.expired_flag.load(Ordering::Acquire)));
            // An hour away: neither flag has flipped.
            assert!(!later.due_flag.load(Ordering::Acquire));
            assert!(!later.expired_flag.load(Ordering::Acquire));
        }

        #[test]
        fn a_dropped_token_is_skipped_and_later_entries_still_fire() {
            assert!(available());
            let dropped = token();
            arm(&dropped, Duration::ZERO, Duration::ZERO);
            drop(dropped);
            let kept = token();
            arm(&kept, Duration::from_millis(5), Duration::from_millis(10));
            assert!(eventually(|| kept.expired_flag.load(Ordering::Acquire)));
        }

        #[test]
        fn deadlines_round_up_to_the_next_millisecond() {
            let now = base() + Duration::from_millis(10);
            assert_eq!(deadline(now, Duration::ZERO), 10);
            assert_eq!(deadline(now, Duration::from_nanos(1)), 11);
            assert_eq!(deadline(now, Duration::from_micros(1_500)), 12);
        }
    }
}
