//! Recording a fetch's result in the cache: the token it brought, or its error, and until when
//! that error is every later call's answer.

use std::sync::Weak;
use std::sync::atomic::Ordering;

use tokio::time::Instant;

use super::super::super::Error;
use super::super::super::transport::Transport;
use super::super::REFUSAL_HOLD;
use super::fetching::Fetching;
use super::{Cached, State, TokenProvider, Usable, hold_end};

impl TokenProvider {
    /// Records the result of the fetch that ended (`fetching`): the token it brought, or its
    /// error. The other fetches under way (those of other runtimes, see [`Fetching::serves`])
    /// stay the ones that later calls wait for.
    pub(super) fn record(
        &self,
        result: Result<Cached, Error>,
        transport: &Transport,
        fetching: &Weak<Fetching>,
    ) {
        let mut state = self.state();
        state
            .in_flight
            .retain(|in_flight| !in_flight.ptr_eq(fetching) && in_flight.strong_count() > 0);
        // Counted under the lock: a call that reads the count after this sees the fetch done.
        let number = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        match result {
            Ok(mut cached) => {
                cached.fetch = number;
                // A token asked for later (a fetch that ended first, this one abandoned by its
                // callers) stays: it lives longer, and was issued after any revocation that
                // this one's was not.
                self.drop_refused(&mut state);
                if let Some(held) = state.cached.as_mut()
                    && held.refresh_at > cached.refresh_at
                {
                    held.fetch = number;
                    return;
                }
                self.set_usable(Some(Usable {
                    token: cached.token.clone(),
                    refresh_at: cached.refresh_at,
                }));
                let in_flight = core::mem::take(&mut state.in_flight);
                *state = State {
                    cached: Some(cached),
                    failure: None,
                    held_until: None,
                    in_flight,
                };
            }
            Err(error) => {
                // Refused while the fetch was under way: not kept below.
                self.drop_refused(&mut state);
                let now = Instant::now();
                let state = &mut *state;
                // A token not due that another fetch brought meanwhile (this one abandoned by
                // its callers): the failure changes nothing.
                if state
                    .cached
                    .as_ref()
                    .is_some_and(|cached| now < cached.refresh_at)
                {
                    return;
                }
                if let Some(cached) = state.cached.as_mut()
                    && now < cached.usable_until
                {
                    // The token in hand still serves: tried again halfway to the end of its
                    // use, rather than by every call from now on.
                    tracing::warn!(
                        %error,
                        "pingone: the token refresh failed; the cached token is still used"
                    );
                    cached.refresh_at = now + (cached.usable_until - now) / 2;
                    state.failure = None;
                    state.held_until = None;
                    if let Some(usable) = self.quick().usable.as_mut() {
                        usable.refresh_at = cached.refresh_at;
                    }
                    return;
                }
                state.cached = None;
                self.set_usable(None);
                state.held_until = held_until(&error, now, transport);
                state.failure = Some((number, error));
            }
        }
    }
}

/// Until when a failed fetch's `error` is every later call's answer, if at all: the
/// `Retry-After` of the token endpoint's answer (capped as the client's own waits are, at the
/// policy's `max_retry_after`); and [`REFUSAL_HOLD`] for an answer that no retry can fix
/// (the later of the two when both apply), a 2xx that is no token response included (a
/// proxy's page, a `token_type` other than `Bearer`: [`Error::Decode`]), which a request sent
/// at once gets again. An error without an answer (a timeout, the network) is not held: the
/// next call tries again.
fn held_until(error: &Error, now: Instant, transport: &Transport) -> Option<Instant> {
    let retry_after = match error {
        Error::Token { retry_after, .. } => retry_after,
        Error::Decode { status, .. } if (200..300).contains(status) => {
            return Some(hold_end(now, REFUSAL_HOLD));
        }
        _ => return None,
    };
    let asked = retry_after
        .filter(|wait| !wait.is_zero())
        .map(|wait| wait.min(transport.retry().max_retry_after_value()));
    let refused = (!error.is_retryable()).then_some(REFUSAL_HOLD);
    asked.max(refused).map(|wait| hold_end(now, wait))
}
