//! The token cache: a fresh token is read without a lock; a refresh is one upstream request
//! however many tasks ask; a failed refresh keeps serving a still-valid token and backs off.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex, PoisonError, Weak};

use arc_swap::ArcSwapOption;
use jiff::{SignedDuration, Timestamp};
use secrecy::SecretString;
use tokio::sync::Mutex;

use crate::clock::{Clock, token_timers};
use crate::error::Error;
use crate::expiry::{RefreshPolicy, random_unit};
use crate::store::{BoxFuture, CacheKey, Lease, StoredToken, TokenStore};
use crate::token::{Lifecycle, Now, Token, TokenData};

/// What a fetch produced.
#[derive(Clone)]
pub struct Fetched {
    /// The token value.
    pub value: SecretString,
    /// When it expires, if the response said (or its JWT `exp` did).
    pub expires_at: Option<Timestamp>,
    /// Uses allowed, for use-limited tickets.
    pub uses: Option<u32>,
}

impl std::fmt::Debug for Fetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetched")
            .field("value", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .field("uses", &self.uses)
            .finish()
    }
}

/// Fetches a new token from upstream (implemented for every token endpoint).
pub trait TokenSource: Send + Sync + 'static {
    /// The cache key of the tokens it fetches.
    fn key(&self) -> &CacheKey;
    /// One upstream fetch (with the client's bounded retries).
    fn fetch(&self) -> BoxFuture<'_, Result<Fetched, Error>>;
    /// Whether its tokens may be shared through the store. Use-limited tickets are not: their
    /// uses are counted in one process, so each instance fetches its own, without a lease.
    fn shareable(&self) -> bool {
        true
    }
}

/// Cache behaviour: when tokens are refreshed, how failures back off, how long a fetch may
/// take. A session takes it for every token endpoint it serves:
///
/// ```
/// use auth_runtime::{CachePolicy, RefreshPolicy};
/// use jiff::SignedDuration;
///
/// let policy = CachePolicy {
///     // Refresh at half the lifetime, or ten minutes before expiry, whichever comes first.
///     refresh: RefreshPolicy {
///         lifetime_share: 0.5,
///         before_expiry: SignedDuration::from_mins(10),
///         ..RefreshPolicy::default()
///     },
///     fetch_deadline: std::time::Duration::from_secs(5),
///     ..CachePolicy::default()
/// };
/// // Then: `Session::builder(…).policy(policy)`.
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CachePolicy {
    /// When to refresh early.
    pub refresh: RefreshPolicy,
    /// Lifetime assumed when a response states no expiry at all (default 5 min).
    pub default_lifetime: SignedDuration,
    /// First backoff after a failed refresh, doubled per failure (default 1 s).
    pub backoff_base: SignedDuration,
    /// Longest backoff (default 60 s).
    pub backoff_cap: SignedDuration,
    /// Whether the provider invalidates earlier tokens whenever it issues a new one (WeChat's
    /// classic `access_token`). Then a due token is never served while its replacement is
    /// fetched (the fetch would invalidate it), refresh times carry no jitter so every instance
    /// of a fleet agrees on them, and a shared store's lease is required rather than an
    /// optimisation. Default `false`; a session turns it on for endpoints whose descriptor says
    /// so (the manifest's `token_invalidates_previous`).
    pub fetch_invalidates_previous: bool,
    /// How long a fleet-wide fetch lease lasts unless released: longer than a fetch with all its
    /// retries can take (default 60 s). When its holder dies, another instance takes over after it.
    pub lease_ttl: std::time::Duration,
    /// The longest wait for the token another instance is fetching (default 90 s). After it, the
    /// wait ends in [`Error::Timeout`] when fetches invalidate earlier tokens, else in a fetch of
    /// this instance's own.
    pub lease_wait: std::time::Duration,
    /// First pause between looks at the store while waiting, doubled up to 8× (default 50 ms).
    pub lease_poll: std::time::Duration,
    /// The longest one fetch may take, its retries included (default 20 s); past it the fetch
    /// ends in [`Error::Timeout`] (a server that never answers must not hold callers for minutes).
    pub fetch_deadline: std::time::Duration,
}

impl Default for CachePolicy {
    fn default() -> Self {
        Self {
            refresh: RefreshPolicy::default(),
            default_lifetime: SignedDuration::from_mins(5),
            backoff_base: SignedDuration::from_secs(1),
            backoff_cap: SignedDuration::from_secs(60),
            fetch_invalidates_previous: false,
            lease_ttl: std::time::Duration::from_secs(60),
            lease_wait: std::time::Duration::from_secs(90),
            lease_poll: std::time::Duration::from_millis(50),
            fetch_deadline: std::time::Duration::from_secs(20),
        }
    }
}

fn whole_ms(t: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(t.as_millisecond()).unwrap_or(t)
}

/// What the fleet decided about a refresh.
enum Coordinated {
    /// Another instance stored a newer token: use it.
    Adopt(Token),
    /// Fetch, holding this lease if the store gave one.
    Fetch(Option<String>),
}

/// The refresh state: nothing while the provider answers (the common case costs one pointer per
/// cache), the failures and the backoff window once it fails.
#[derive(Debug, Default)]
struct Backoff(Option<Box<Failing>>);

#[derive(Debug)]
struct Failing {
    failures: u32,
    next_attempt: Option<Timestamp>,
    /// The last failure, shared with every caller until `next_attempt` when no token is usable
    /// (negative caching: a failing provider is asked once per backoff window, not once per caller).
    last_error: Error,
}

impl Backoff {
    /// Whether `now` is inside the window after a failure.
    fn in_window(&self, now: Timestamp) -> bool {
        self.0
            .as_ref()
            .is_some_and(|f| f.next_attempt.is_some_and(|t| now < t))
    }

    /// The failure to answer with at `now`, inside its window.
    fn shared_error(&self, now: Timestamp) -> Option<&Error> {
        self.0
            .as_ref()
            .filter(|_| self.in_window(now))
            .map(|f| &f.last_error)
    }

    /// Records a failure at `now`: the window doubles per failure, from `policy.backoff_base` up
    /// to `policy.backoff_cap`.
    fn fail(&mut self, error: Error, now: Timestamp, policy: &CachePolicy) {
        let failures = self.0.as_ref().map_or(0, |f| f.failures).saturating_add(1);
        let exponent = failures.saturating_sub(1).min(16);
        let wait = policy
            .backoff_base
            .saturating_mul(1 << exponent)
            .min(policy.backoff_cap);
        self.0 = Some(Box::new(Failing {
            failures,
            next_attempt: now.checked_add(wait).ok(),
            last_error: error,
        }));
    }
}

/// One cache's state. The fields a cached read touches come first (`repr(C)` keeps that order),
/// so a read of a cache that is not in the CPU cache costs one line; the token source comes last,
/// inline (unsized), rather than in a box of its own.
#[repr(C)]
struct Inner<S: ?Sized = dyn TokenSource> {
    current: ArcSwapOption<TokenData>,
    /// Whether token states are flipped by timers (real-time clock) rather than read.
    timers: bool,
    /// `policy.fetch_invalidates_previous`, read on every cached read.
    invalidates: bool,
    /// Whether a background refresh is queued or running (one at a time).
    background: AtomicBool,
    clock: Arc<dyn Clock>,
    /// Shared by every cache built with an equal policy (see [`shared_policy`]).
    policy: Arc<CachePolicy>,
    store: Arc<dyn TokenStore>,
    fetches: AtomicU64,
    /// Held by the one task that refreshes; the others wait here, then re-check.
    refresh: Mutex<Backoff>,
    source: S,
}

/// The one `Arc` of each distinct policy in use: a process holds a handful of policies and up to
/// hundreds of thousands of caches, which then share 8 bytes instead of carrying 160 each.
fn shared_policy(policy: CachePolicy) -> Arc<CachePolicy> {
    static POLICIES: StdMutex<Vec<Weak<CachePolicy>>> = StdMutex::new(Vec::new());
    // A panic while holding this lock cannot leave the list invalid: keep using it.
    let mut policies = POLICIES.lock().unwrap_or_else(PoisonError::into_inner);
    policies.retain(|p| p.strong_count() > 0);
    if let Some(shared) = policies
        .iter()
        .filter_map(Weak::upgrade)
        .find(|p| **p == policy)
    {
        return shared;
    }
    let shared = Arc::new(policy);
    policies.push(Arc::downgrade(&shared));
    shared
}

/// A cache of one token (one [`CacheKey`]). Clones share the cache. A session keeps one per
/// token endpoint; [`Session::token`](crate::Session::token) reads it, and so can you:
///
/// ```no_run
/// # async fn demo(session: &auth_runtime::Session) -> Result<(), auth_runtime::Error> {
/// let cache = session.cache("get_access_token").expect("a token endpoint");
/// let token = cache.get().await?; // cached, or fetched once for every concurrent caller
/// // The provider said this token is revoked: drop it, unless another caller already did.
/// if cache.invalidate_if(&token).await {
///     let fresh = cache.get().await?;
///     assert!(!fresh.same_as(&token));
/// }
/// println!("{} fetches so far", cache.fetches());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TokenCache(Arc<Inner>);

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("key", self.0.source.key())
            .field("fetches", &self.fetches())
            .finish()
    }
}

impl TokenCache {
    /// A cache fetching through `source`.
    pub fn new(
        source: impl TokenSource,
        clock: Arc<dyn Clock>,
        store: Arc<dyn TokenStore>,
        policy: CachePolicy,
    ) -> Self {
        let timers = clock.is_real_time()
            && tokio::runtime::Handle::try_current().is_ok()
            && token_timers::available();
        let inner: Arc<Inner> = Arc::new(Inner {
            current: ArcSwapOption::empty(),
            timers,
            invalidates: policy.fetch_invalidates_previous,
            background: AtomicBool::new(false),
            clock,
            policy: shared_policy(policy),
            store,
            fetches: AtomicU64::new(0),
            refresh: Mutex::new(Backoff::default()),
            source,
        });
        Self(inner)
    }

    /// The key.
    pub fn key(&self) -> &CacheKey {
        self.0.source.key()
    }

    /// How many upstream fetches this cache has started.
    pub fn fetches(&self) -> u64 {
        self.0.fetches.load(Ordering::Relaxed)
    }

    /// A usable token: the cached one when fresh (no lock taken), else after one shared refresh.
    /// When the refresh time has come but the token is still valid, it is served at once and a
    /// single background refresh starts.
    pub async fn get(&self) -> Result<Token, Error> {
        {
            let current = self.0.current.load();
            if let Some(data) = current.as_ref() {
                let invalidates = self.0.invalidates;
                // Timers may fire a little late under load; when a late flip could hand out a
                // token another instance has already replaced, read the clock instead.
                let now = if self.0.timers && !invalidates {
                    Now::ByTimers
                } else {
                    Now::At(self.0.clock.now())
                };
                let serve = match data.lifecycle(now) {
                    Lifecycle::Fresh => true,
                    // When a fetch invalidates the token in hand, a due token must not be served
                    // while its replacement is on the way: such callers wait for the new one.
                    Lifecycle::Due if !invalidates => {
                        self.refresh_in_background();
                        true
                    }
                    Lifecycle::Due | Lifecycle::Expired | Lifecycle::UsedUp => false,
                };
                if serve && data.try_use() {
                    return Ok(Token(Arc::clone(data)));
                }
            }
        }
        self.refresh_and_get(false).await
    }

    /// Fetches a new token now, whatever the cached one's state (the forced refresh).
    pub async fn refresh(&self) -> Result<Token, Error> {
        self.refresh_and_get(true).await
    }

    /// Drops the cached token only if it is `failed` (compare before invalidate), so a token that
    /// another task already replaced is not thrown away. Returns whether it was dropped.
    pub async fn invalidate_if(&self, failed: &Token) -> bool {
        let current = self.0.current.load_full();
        let same = current.as_ref().is_some_and(|c| Arc::ptr_eq(c, &failed.0));
        if same {
            let previous = self.0.current.compare_and_swap(&current, None);
            let swapped = match (&*previous, &current) {
                (Some(p), Some(c)) => Arc::ptr_eq(p, c),
                _ => false,
            };
            self.0
                .store
                .invalidate_if(self.key(), failed.expose_secret())
                .await;
            tracing::info!(key = %self.key(), "token invalidated after the provider rejected it");
            return swapped;
        }
        false
    }

    fn refresh_in_background(&self) {
        // Someone is refreshing already (in the foreground or the background).
        if self.0.refresh.try_lock().is_err() || self.0.background.swap(true, Ordering::AcqRel) {
            return;
        }
        // Clears the flag however the task ends, even dropped unrun with its runtime.
        let slot = BackgroundSlot(self.clone());
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let cache = &slot.0;
                let mut backoff = cache.0.refresh.lock().await;
                // Re-checks under the lock: a refresh that finished meanwhile makes this a no-op.
                if let Err(e) = cache.refresh_locked(&mut backoff, false).await {
                    tracing::warn!(key = %cache.key(), error = %e, "background refresh failed");
                }
            });
        }
    }

    async fn refresh_and_get(&self, force: bool) -> Result<Token, Error> {
        let mut backoff = self.0.refresh.lock().await;
        self.refresh_locked(&mut backoff, force).await
    }

    async fn refresh_locked(&self, backoff: &mut Backoff, force: bool) -> Result<Token, Error> {
        let now = self.0.clock.now();
        let old = self.0.current.load_full();
        if !force && let Some(data) = old.as_ref() {
            // A due token is kept while a failed refresh backs off (stale while failing).
            let in_backoff = backoff.in_window(now);
            let serve = match data.lifecycle(Now::At(now)) {
                Lifecycle::Fresh => true,
                Lifecycle::Due => in_backoff,
                Lifecycle::Expired | Lifecycle::UsedUp => false,
            };
            if serve && data.try_use() {
                return Ok(Token(Arc::clone(data)));
            }
        }
        // Without a usable token, a recent failure answers for the provider until the backoff
        // ends: callers that waited on the failed fetch, and those that come after it.
        if !force && let Some(error) = backoff.shared_error(now) {
            return Err(error.clone());
        }
        if !self.0.source.shareable() {
            return self.fetch_and_install(backoff, old, force).await;
        }
        if !force && let Some(stored) = self.0.store.load(self.key(), now).await {
            let data = self.install(stored.value, stored.issued_at, stored.expires_at, None);
            if data.lifecycle(Now::At(now)) == Lifecycle::Fresh && data.try_use() {
                return Ok(Token(data));
            }
        }
        let replacing = old.as_ref().map(|d| d.issued_at);
        let lease = match self.coordinate(replacing, force).await? {
            Coordinated::Adopt(token) => return Ok(token),
            Coordinated::Fetch(lease) => lease,
        };
        let result = self.fetch_and_install(backoff, old, force).await;
        if let Some(id) = lease {
            self.0.store.release_lease(self.key(), &id).await;
        }
        result
    }

    /// Takes the fleet-wide lease to fetch, or waits for the token its holder stores. A lease
    /// that lapses (its holder died or hangs) is taken over by the next instance that asks.
    async fn coordinate(
        &self,
        replacing: Option<Timestamp>,
        force: bool,
    ) -> Result<Coordinated, Error> {
        let policy = *self.0.policy;
        let waiting_since = std::time::Instant::now();
        let mut pause = policy.lease_poll;
        loop {
            match self
                .0
                .store
                .acquire_lease(self.key(), policy.lease_ttl)
                .await
            {
                Lease::NotShared => return Ok(Coordinated::Fetch(None)),
                Lease::Acquired(id) => {
                    // The previous holder may have stored its token between our look and now.
                    if let Some(token) = self.adopt_stored(replacing, force).await {
                        self.0.store.release_lease(self.key(), &id).await;
                        return Ok(Coordinated::Adopt(token));
                    }
                    return Ok(Coordinated::Fetch(Some(id)));
                }
                Lease::Busy => {
                    if waiting_since.elapsed() >= policy.lease_wait {
                        if policy.fetch_invalidates_previous {
                            tracing::warn!(key = %self.key(), "gave up waiting for another instance's fetch");
                            return Err(Error::Timeout {
                                at: crate::error::At {
                                    provider: self.key().provider,
                                    endpoint: self.key().endpoint,
                                },
                            });
                        }
                        tracing::warn!(key = %self.key(), "another instance's fetch takes too long; fetching here");
                        return Ok(Coordinated::Fetch(None));
                    }
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(policy.lease_poll * 8);
                    if let Some(token) = self.adopt_stored(replacing, force).await {
                        return Ok(Coordinated::Adopt(token));
                    }
                }
            }
        }
    }

    /// The stored token, installed, if it is newer than the one being replaced and fresh.
    async fn adopt_stored(&self, replacing: Option<Timestamp>, force: bool) -> Option<Token> {
        let now = self.0.clock.now();
        let stored = self.0.store.load(self.key(), now).await?;
        if replacing.is_some_and(|r| stored.issued_at <= r) {
            return None;
        }
        let data = self.install(stored.value, stored.issued_at, stored.expires_at, None);
        // A forced refresh takes a newer stored token even when it is already due for this cache.
        let take = match data.lifecycle(Now::At(now)) {
            Lifecycle::Fresh => true,
            Lifecycle::Due => force,
            Lifecycle::Expired | Lifecycle::UsedUp => false,
        };
        (take && data.try_use()).then(|| Token(data))
    }

    async fn fetch_and_install(
        &self,
        backoff: &mut Backoff,
        old: Option<Arc<TokenData>>,
        force: bool,
    ) -> Result<Token, Error> {
        // A token's age counts from the start of its fetch: of two fetches, the one started
        // later is the newer, however long each took (a slow fetch never replaces a newer token).
        // Whole milliseconds, as stores keep them, so every instance computes the same refresh time.
        let now = whole_ms(self.0.clock.now());
        let started = std::time::Instant::now();
        self.0.fetches.fetch_add(1, Ordering::Relaxed);
        let span = tracing::info_span!("authgen.fetch", key = %self.key(), cache = "miss", outcome = tracing::field::Empty, latency_ms = tracing::field::Empty);
        let at = crate::error::At {
            provider: self.key().provider,
            endpoint: self.key().endpoint,
        };
        let deadline = self.0.policy.fetch_deadline;
        let result = match tokio::time::timeout(
            deadline,
            tracing::Instrument::instrument(self.0.source.fetch(), span.clone()),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout { at }),
        };
        // A token that is expired on arrival (`expires_in: 0`, a past datetime) is a failed fetch:
        // handing it out would send every caller back to the provider at once. "On arrival" is
        // the clock read after the fetch, against the expiry as it will be kept (whole ms): the
        // source resolves `expires_in: 0` against its own, later reading of the clock, so a
        // comparison with the start of the fetch would let such a token through.
        let arrived = self.0.clock.now();
        let expired_on_arrival = |expires: Timestamp| {
            let kept = whole_ms(expires);
            Lifecycle::at(arrived, kept, kept, None) == Lifecycle::Expired
        };
        let result = result.and_then(|fetched| match fetched.expires_at {
            Some(expires) if expired_on_arrival(expires) => Err(Error::Decode {
                at,
                reason: "the provider issued a token that had already expired".into(),
                excerpt: String::new(),
            }),
            _ => Ok(fetched),
        });
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match result {
            Ok(fetched) => {
                span.record("outcome", "ok");
                *backoff = Backoff::default();
                let expires = whole_ms(fetched.expires_at.unwrap_or_else(|| {
                    now.checked_add(self.0.policy.default_lifetime)
                        .unwrap_or(now)
                }));
                if fetched.uses.is_none() && self.0.source.shareable() {
                    let token = StoredToken {
                        value: fetched.value.clone(),
                        issued_at: now,
                        expires_at: expires,
                    };
                    if !self.0.store.save(self.key(), token).await
                        && let Some(newer) = self.adopt_stored(Some(now), false).await
                    {
                        tracing::info!(key = %self.key(), "a newer token was stored meanwhile; using it");
                        return Ok(newer);
                    }
                }
                let data = self.install(fetched.value, now, expires, fetched.uses);
                if data.try_use() {
                    Ok(Token(data))
                } else {
                    Err(Error::Decode {
                        at: crate::error::At {
                            provider: self.key().provider,
                            endpoint: self.key().endpoint,
                        },
                        reason: "the provider issued a ticket with zero uses".into(),
                        excerpt: String::new(),
                    })
                }
            }
            Err(e) => {
                span.record("outcome", crate::client::error_kind(&e));
                backoff.fail(e.clone(), now, &self.0.policy);
                // The token in hand is judged at arrival: it may have expired during the fetch.
                match old
                    .as_ref()
                    .filter(|d| d.lifecycle(Now::At(arrived)).is_usable())
                {
                    Some(data) if !force && data.try_use() => {
                        tracing::warn!(key = %self.key(), error = %e, "refresh failed; serving the still-valid token");
                        Ok(Token(Arc::clone(data)))
                    }
                    _ => Err(e),
                }
            }
        }
    }

    fn install(
        &self,
        value: SecretString,
        issued: Timestamp,
        expires: Timestamp,
        uses: Option<u32>,
    ) -> Arc<TokenData> {
        // No jitter when every instance must agree on the refresh time.
        let random = if self.0.invalidates {
            0.0
        } else {
            random_unit()
        };
        let refresh_at = self.0.policy.refresh.refresh_at(issued, expires, random);
        let data = Arc::new(TokenData::new(value, issued, expires, refresh_at, uses));
        if self.0.timers {
            self.arm_timers(&data);
        }
        self.0.current.store(Some(Arc::clone(&data)));
        data
    }

    /// Has the token's due and expired flags flipped when their times come, so cached reads need
    /// no clock. The timer thread holds only a weak reference: a replaced token's entry does
    /// nothing.
    fn arm_timers(&self, data: &Arc<TokenData>) {
        let now = self.0.clock.now();
        let until =
            |t: Timestamp| std::time::Duration::try_from(t.duration_since(now)).unwrap_or_default();
        token_timers::arm(data, until(data.refresh_at), until(data.expires_at));
    }

    /// The cached token's value, if any (for tests and diagnostics; never logged).
    pub fn peek(&self) -> Option<Token> {
        self.0.current.load_full().map(Token)
    }
}

/// A queued background refresh of one cache; dropping it (the refresh ended, or its task was
/// dropped unrun) lets the next one start.
struct BackgroundSlot(TokenCache);

impl Drop for BackgroundSlot {
    fn drop(&mut self) {
        self.0.0.background.store(false, Ordering::Release);
    }
}
