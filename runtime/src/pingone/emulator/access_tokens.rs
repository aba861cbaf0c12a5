//! The access tokens that the token endpoint issued, each with the end of its life, when the
//! emulator is built with [`EmulatorBuilder::token_lifetime`](super::EmulatorBuilder::token_lifetime),
//! and their revocation ([`Emulator::revoke_issued_tokens`](super::Emulator::revoke_issued_tokens)).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::TOKEN_LIFETIME_SECONDS;

/// The tokens issued to workers, and until when each is accepted.
pub(super) struct IssuedTokens {
    /// How long an issued token is accepted. `None`: the endpoint issues the emulator's own
    /// token, whose life never ends, and nothing is kept here.
    lifetime: Option<Duration>,
    /// Each token issued and not revoked, with the end of its life; the ended ones are dropped
    /// when the next is issued, so that this holds no more than the tokens of one lifetime.
    live: Mutex<HashMap<String, Instant>>,
    /// How many tokens were issued: each token's number, which makes it unique.
    issued: Mutex<u64>,
}

impl IssuedTokens {
    pub(super) fn new(lifetime: Option<Duration>) -> Self {
        IssuedTokens {
            lifetime,
            live: Mutex::new(HashMap::new()),
            issued: Mutex::new(0),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The token to answer a worker with, and its `expires_in` in whole seconds (rounded down,
    /// so that a client never sends it past its end): the emulator's own token and
    /// [`TOKEN_LIFETIME_SECONDS`] without a lifetime; else a new token,
    /// `{own_token}.{number}` (the number before the own token's `=` padding, if any),
    /// accepted for the lifetime from now.
    pub(super) fn issue(&self, own_token: &str) -> (String, u64) {
        let Some(lifetime) = self.lifetime else {
            return (own_token.to_owned(), TOKEN_LIFETIME_SECONDS);
        };
        let number = {
            let mut issued = self
                .issued
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *issued += 1;
            *issued
        };
        // The number goes before any `=` padding, which an RFC 6750 bearer token has only at
        // its end: `{own}.{number}` of a padded `dGVzdA==` was refused by the client.
        let body = own_token.trim_end_matches('=');
        let token = format!("{body}.{number}{}", &own_token[body.len()..]);
        let now = Instant::now();
        let mut live = self.live();
        live.retain(|_, end| now < *end);
        // A lifetime past what the clock can count (`Duration::MAX`, `--token-lifetime
        // 18446744073709551615`: "never ends") ends in a century, not at once: taken as `now`,
        // such a token was refused with 401 by the request right after its issue.
        live.insert(token.clone(), crate::pingone::later::after(now, lifetime));
        (token, lifetime.as_secs())
    }

    /// Whether `token` was issued here, is not revoked, and its life has not ended.
    pub(super) fn accepts(&self, token: &str) -> bool {
        self.lifetime.is_some()
            && self
                .live()
                .get(token)
                .is_some_and(|end| Instant::now() < *end)
    }

    /// Ends the life of every token issued so far; returns how many were still accepted.
    pub(super) fn revoke_all(&self) -> usize {
        let now = Instant::now();
        let mut live = self.live();
        let accepted = live.values().filter(|end| now < **end).count();
        live.clear();
        accepted
    }
}
