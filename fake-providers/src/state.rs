//! Shared server state: configuration, the issued-token table, request counters.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use crate::faults::Faults;
use crate::{Config, Provider, time, token};

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct AppState {
    config: Mutex<Config>,
    table: Mutex<Table>,
    counts: Mutex<BTreeMap<String, u64>>,
    invalid: [AtomicU64; 4],
    pub(crate) faults: Faults,
}

/// A token just handed out.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) value: String,
    pub(crate) expires_at: SystemTime,
    /// How long it stays valid from the moment of this answer: the full lifetime when new, what
    /// is left of it when handed out again (measured against the same clock reading as the
    /// issue, so a fresh 7200 s token says 7200, not 7199).
    pub(crate) valid_for: Duration,
}

/// A service ticket just handed out.
#[derive(Debug, Clone)]
pub(crate) struct IssuedTicket {
    pub(crate) value: String,
    pub(crate) expires_at: SystemTime,
    pub(crate) uses: u32,
}

#[derive(Debug, Default)]
struct Table {
    tokens: HashMap<String, TokenEntry>,
    /// Newest token per (provider, client): needed for `invalidate_previous` and for appauth,
    /// which hands the current token out again while it lasts.
    newest: HashMap<(Provider, String), String>,
    tickets: HashMap<String, TicketEntry>,
    /// Every token issued, oldest first (bounded), for tests that check what was valid when.
    history: Vec<IssuedRecord>,
}

/// The most issue records kept; older ones are dropped first.
const HISTORY_CAP: usize = 100_000;

/// One token the fake issued: when, and when a newer one superseded it (with
/// `invalidate_previous` on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedRecord {
    /// The provider.
    pub provider: Provider,
    /// The client it was issued to.
    pub client: String,
    /// The token.
    pub value: String,
    /// When it was issued.
    pub issued_at: SystemTime,
    /// When a newer token made it invalid, if one did.
    pub superseded_at: Option<SystemTime>,
}

#[derive(Debug)]
struct TokenEntry {
    provider: Provider,
    client: String,
    expires_at: SystemTime,
    revoked: bool,
}

#[derive(Debug)]
struct TicketEntry {
    expires_at: SystemTime,
    uses_left: u32,
    revoked: bool,
}

/// A poisoned lock only means another handler panicked mid-update; the maps stay usable and a
/// fake server should keep answering rather than cascade the panic.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `now + lifetime`, where an absurd lifetime (`Duration::MAX` as "never expires") means a
/// century instead of a panic on overflow.
fn after(now: SystemTime, lifetime: Duration) -> SystemTime {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 86_400);
    now.checked_add(lifetime)
        .or_else(|| now.checked_add(CENTURY))
        .unwrap_or(now)
}

impl Table {
    fn is_valid(&self, provider: Provider, value: &str, now: SystemTime, config: &Config) -> bool {
        let Some(entry) = self.tokens.get(value) else {
            return false;
        };
        if entry.provider != provider || entry.revoked || now >= entry.expires_at {
            return false;
        }
        if config.provider(provider).invalidate_previous {
            let key = (provider, entry.client.clone());
            return self.newest.get(&key).is_some_and(|newest| newest == value);
        }
        true
    }

    /// Forgets expired entries so a long-running `serve` does not grow without bound; a forgotten
    /// token is still rejected, as unknown instead of expired.
    fn purge(&mut self, now: SystemTime) {
        self.tokens.retain(|_, e| e.expires_at > now);
        self.tickets
            .retain(|_, e| e.expires_at > now && e.uses_left > 0);
        let tokens = &self.tokens;
        self.newest.retain(|_, v| tokens.contains_key(v));
    }
}

impl AppState {
    pub(crate) fn new(config: Config) -> Self {
        AppState {
            config: Mutex::new(config),
            table: Mutex::default(),
            counts: Mutex::default(),
            invalid: Default::default(),
            faults: Faults::default(),
        }
    }

    pub(crate) fn config(&self) -> Config {
        lock(&self.config).clone()
    }

    pub(crate) fn set_lifetime(&self, provider: Provider, lifetime: Duration) {
        lock(&self.config).provider_mut(provider).token_lifetime = lifetime;
    }

    /// Issues a new token for `client`.
    pub(crate) fn issue(&self, provider: Provider, client: &str) -> Issued {
        let config = self.config();
        let mut table = lock(&self.table);
        Self::issue_locked(&mut table, &config, provider, client, SystemTime::now())
    }

    /// Returns the client's current token while it is valid, else issues a new one; with
    /// `invalidate_previous` on, always issues.
    pub(crate) fn current_or_issue(&self, provider: Provider, client: &str) -> Issued {
        let config = self.config();
        let now = SystemTime::now();
        let mut table = lock(&self.table);
        if !config.provider(provider).invalidate_previous {
            let key = (provider, client.to_owned());
            if let Some(value) = table.newest.get(&key)
                && table.is_valid(provider, value, now, &config)
                && let Some(entry) = table.tokens.get(value)
            {
                return Issued {
                    value: value.clone(),
                    expires_at: entry.expires_at,
                    valid_for: entry.expires_at.duration_since(now).unwrap_or_default(),
                };
            }
        }
        Self::issue_locked(&mut table, &config, provider, client, now)
    }

    fn issue_locked(
        table: &mut Table,
        config: &Config,
        provider: Provider,
        client: &str,
        now: SystemTime,
    ) -> Issued {
        table.purge(now);
        let lifetime = config.provider(provider).token_lifetime;
        let expires_at = after(now, lifetime);
        let value = token::jwt(
            provider,
            client,
            time::unix_secs(now),
            time::unix_secs(expires_at),
        );
        table.tokens.insert(
            value.clone(),
            TokenEntry {
                provider,
                client: client.to_owned(),
                expires_at,
                revoked: false,
            },
        );
        let previous = table
            .newest
            .insert((provider, client.to_owned()), value.clone());
        if config.provider(provider).invalidate_previous
            && let Some(previous) = previous
            && let Some(record) = table.history.iter_mut().rev().find(|r| r.value == previous)
        {
            record.superseded_at = Some(now);
        }
        if table.history.len() >= HISTORY_CAP {
            table.history.remove(0);
        }
        table.history.push(IssuedRecord {
            provider,
            client: client.to_owned(),
            value: value.clone(),
            issued_at: now,
            superseded_at: None,
        });
        Issued {
            value,
            expires_at,
            valid_for: lifetime,
        }
    }

    /// Checks a token presented to a protected call; a non-empty invalid one is counted.
    pub(crate) fn present(&self, provider: Provider, value: &str) -> bool {
        if value.is_empty() {
            return false;
        }
        let config = self.config();
        let valid = lock(&self.table).is_valid(provider, value, SystemTime::now(), &config);
        if !valid {
            self.note_invalid(provider);
        }
        valid
    }

    /// Counts a presentation that failed before a token could even be looked up (wrong scheme).
    pub(crate) fn note_invalid(&self, provider: Provider) {
        self.invalid[provider.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn invalid_presentations(&self, provider: Option<Provider>) -> u64 {
        match provider {
            Some(p) => self.invalid[p.index()].load(Ordering::Relaxed),
            None => self.invalid.iter().map(|c| c.load(Ordering::Relaxed)).sum(),
        }
    }

    pub(crate) fn issue_ticket(&self) -> IssuedTicket {
        let config = self.config();
        let now = SystemTime::now();
        let expires_at = after(now, config.ebaas_ticket_lifetime);
        let value = token::service_ticket();
        let mut table = lock(&self.table);
        table.purge(now);
        table.tickets.insert(
            value.clone(),
            TicketEntry {
                expires_at,
                uses_left: config.ebaas_ticket_uses,
                revoked: false,
            },
        );
        IssuedTicket {
            value,
            expires_at,
            uses: config.ebaas_ticket_uses,
        }
    }

    /// Spends one use of a ticket; `false` (and counted) when it is unknown, expired, revoked or
    /// used up.
    pub(crate) fn use_ticket(&self, value: &str) -> bool {
        if value.is_empty() {
            return false;
        }
        let now = SystemTime::now();
        let ok = match lock(&self.table).tickets.get_mut(value) {
            Some(t) if !t.revoked && now < t.expires_at && t.uses_left > 0 => {
                t.uses_left -= 1;
                true
            }
            _ => false,
        };
        if !ok {
            self.note_invalid(Provider::Ebaas);
        }
        ok
    }

    pub(crate) fn history(&self, provider: Provider) -> Vec<IssuedRecord> {
        lock(&self.table)
            .history
            .iter()
            .filter(|r| r.provider == provider)
            .cloned()
            .collect()
    }

    pub(crate) fn revoke_all(&self, provider: Provider) {
        let mut table = lock(&self.table);
        for entry in table.tokens.values_mut() {
            if entry.provider == provider {
                entry.revoked = true;
            }
        }
        if provider == Provider::Ebaas {
            for ticket in table.tickets.values_mut() {
                ticket.revoked = true;
            }
        }
    }

    pub(crate) fn count_request(&self, path: &str) {
        *lock(&self.counts).entry(path.to_owned()).or_default() += 1;
    }

    pub(crate) fn count(&self, path: &str) -> u64 {
        lock(&self.counts).get(path).copied().unwrap_or(0)
    }

    pub(crate) fn counts(&self) -> BTreeMap<String, u64> {
        lock(&self.counts).clone()
    }

    pub(crate) fn reset_counts(&self) {
        lock(&self.counts).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_lifetime_does_not_overflow() {
        let state = AppState::new(Config::default().with_lifetime(Provider::Anyweb, Duration::MAX));
        let issued = state.issue(Provider::Anyweb, "c");
        assert!(issued.expires_at > SystemTime::now() + Duration::from_secs(365 * 86_400));
        assert!(state.present(Provider::Anyweb, &issued.value));
    }

    #[test]
    fn tokens_are_checked_against_their_provider() {
        let state = AppState::new(Config::default());
        let issued = state.issue(Provider::Coupang, "c");
        assert!(!state.present(Provider::Appauth, &issued.value));
        assert_eq!(state.invalid_presentations(Some(Provider::Appauth)), 1);
        assert!(state.present(Provider::Coupang, &issued.value));
    }
}
