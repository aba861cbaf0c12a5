//! [`TokenProvider::token`]: the access token to send now, the calls that wait for one fetch,
//! and the copy of its error that each of them gets.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};

use futures_util::future::Either;
use tokio::time::Instant;

use super::super::super::Error;
use super::super::super::secret::Secret;
use super::super::super::transport::Transport;
use super::super::Kind;
use super::TokenProvider;

impl TokenProvider {
    /// The access token to send now. For a worker, concurrent callers wait for one fetch
    /// instead of each making their own ([`Fetching`](super::fetching::Fetching), on a task of its own), and take its
    /// token even when it is already due (`expires_in: 0`); when that fetch fails, the
    /// callers that waited on it get its error rather than each making a fetch of its own in
    /// turn (ten waiters on a token endpoint that times out would
    /// otherwise wait out ten retry budgets, one after another). A call that comes later
    /// fetches again, unless the failure's answer said when to come back (`Retry-After`, on a
    /// 429 or a 503, capped at the policy's `max_retry_after`) or no retry can fix it
    /// ([`REFUSAL_HOLD`](super::super::REFUSAL_HOLD)): until then, a later call gets the same error (its `Retry-After` as
    /// the server wrote it, and `remembered_for` the time left) without a request.
    ///
    /// A token due for its refresh but still usable (see [`Cached::usable_until`](super::Cached::usable_until)) is not
    /// waited on: while one call refreshes it, the others send it; and when the refresh
    /// fails, it stays cached and is sent, and the refresh is tried again halfway to the end
    /// of its use. So a slow or failing token endpoint before expiry delays one call, and
    /// fails none.
    ///
    /// A call dropped while it waits leaves the fetch to the others; once no call waits for
    /// it, the next call makes its own, and takes the token of the fetch left if it comes
    /// first ([`Provider::abandoned`](super::Provider::abandoned)). A call does not wait for
    /// a fetch that runs on another runtime's `current_thread` task, which moves only while
    /// that runtime is inside `block_on` ([`Fetching::serves`](super::fetching::Fetching::serves)): it makes its own.
    pub(crate) async fn token(&self, transport: &Arc<Transport>) -> Result<Secret, Error> {
        if !self.source.is_worker() {
            let Kind::Static(token) = &self.source.0 else {
                unreachable!()
            };
            return Ok(token.clone());
        }
        // Read before the state: a fetch numbered higher ended after this call asked, and its
        // token or error is this call's answer.
        let seen = self.fetches.load(Ordering::Acquire);
        // The task of the fetch this call started, if it did.
        let mut started = None;
        let runtime = tokio::runtime::Handle::current();
        // The fetch waited for last, kept until the next one is in hand: dropped between the
        // two, it would be given up when this call was its last waiter.
        let mut _waited = None;
        loop {
            let fetching = {
                let mut state = self.state();
                self.drop_refused(&mut state);
                let now = Instant::now();
                if let Some(cached) = state.cached.as_ref()
                    && (now < cached.refresh_at || cached.fetch > seen)
                {
                    return Ok(cached.token.clone());
                }
                if let Some((number, failure)) = &state.failure {
                    let mut error = shared_copy(failure);
                    // The fetch this call waited on: its own answer.
                    if *number > seen {
                        return Err(error);
                    }
                    // An earlier answer, held: said to be remembered, and until when.
                    if let Some(until) = state.held_until
                        && now < until
                    {
                        if let Error::Token { remembered_for, .. } = &mut error {
                            *remembered_for = Some(until - now);
                        }
                        return Err(error);
                    }
                }
                state
                    .in_flight
                    .retain(|in_flight| in_flight.strong_count() > 0);
                // A refresh under way: a token still usable is sent now.
                if !state.in_flight.is_empty()
                    && let Some(cached) = state.cached.as_ref()
                    && now < cached.usable_until
                {
                    return Ok(cached.token.clone());
                }
                let serving = state
                    .in_flight
                    .iter()
                    .filter_map(Weak::upgrade)
                    .find(|fetching| fetching.serves(&runtime));
                match serving {
                    Some(fetching) => fetching,
                    // None, or only those of `current_thread` runtimes that are not this
                    // call's: a fetch of its own, which this runtime's later calls share.
                    None => {
                        let (fetching, task) = self.start_fetch(transport);
                        state.in_flight.push(Arc::downgrade(&fetching));
                        started = Some(task);
                        fetching
                    }
                }
            };
            let mut done = fetching.done.clone();
            // A fetch given up by its callers may end first: its token serves this call too.
            // Its failure does not end the wait, which goes on for this call's own fetch.
            let mut abandoned_ended: Vec<_> = self
                .abandoned()
                .iter()
                .filter(|other| !other.is_over() && !Arc::ptr_eq(other, &fetching))
                .map(|other| {
                    let mut other_done = other.done.clone();
                    Box::pin(async move {
                        let _ended = other_done.wait_for(|done| *done).await;
                    })
                })
                .collect();
            let mut own = std::pin::pin!(async { done.wait_for(|done| *done).await.is_ok() });
            let ended_with_a_result = loop {
                if abandoned_ended.is_empty() {
                    break own.await;
                }
                let any_abandoned_ended =
                    futures_util::future::select_all(core::mem::take(&mut abandoned_ended));
                match futures_util::future::select(own.as_mut(), any_abandoned_ended).await {
                    Either::Left((ended, _)) => break ended,
                    Either::Right((((), _, others), _)) => {
                        if let Some(cached) = self.state().cached.as_ref()
                            && cached.fetch > seen
                        {
                            return Ok(cached.token.clone());
                        }
                        abandoned_ended = others;
                    }
                }
            };
            if !ended_with_a_result {
                // Ended without a result: its panic (tokio's own, on a runtime without its IO
                // or time driver) is the panic of the call that started it, as when the fetch
                // ran in that call; the others (maybe on another runtime) fetch again, as
                // they do when its runtime shut down.
                if let Some(task) = started.take()
                    && let Err(error) = task.await
                    && error.is_panic()
                {
                    std::panic::resume_unwind(error.into_panic());
                }
                self.state()
                    .in_flight
                    .retain(|in_flight| !core::ptr::eq(in_flight.as_ptr(), &*fetching));
            }
            _waited = Some(fetching);
        }
    }
}

/// A copy of a failed fetch's error for the calls that waited on it (an error that a fetch
/// does not give, such as an answer of the users API, in words). A transport failure shares
/// reqwest's error, which is not `Clone`, through its `Arc`: waiters that each fetched in
/// turn would each spend the whole retry budget on a token endpoint that is down.
fn shared_copy(error: &Error) -> Error {
    match error {
        Error::Token {
            status,
            code,
            description,
            attempts,
            retry_after,
            remembered_for,
        } => Error::Token {
            status: *status,
            code: code.clone(),
            description: description.clone(),
            attempts: *attempts,
            retry_after: *retry_after,
            remembered_for: *remembered_for,
        },
        Error::Decode {
            status,
            reason,
            body_start,
            attempts,
            retry_after,
        } => Error::Decode {
            status: *status,
            reason: reason.clone(),
            body_start: body_start.clone(),
            attempts: *attempts,
            retry_after: *retry_after,
        },
        Error::Timeout { timeout, attempts } => Error::Timeout {
            timeout: *timeout,
            attempts: *attempts,
        },
        Error::Transport { source, attempts } => Error::Transport {
            source: std::sync::Arc::clone(source),
            attempts: *attempts,
        },
        Error::Incomplete {
            status,
            expected_bytes,
            content_type,
            source,
            attempts,
            retry_after,
        } => Error::Incomplete {
            status: *status,
            expected_bytes: *expected_bytes,
            content_type: content_type.clone(),
            source: std::sync::Arc::clone(source),
            attempts: *attempts,
            retry_after: *retry_after,
        },
        Error::Config(text) => Error::Config(text.clone()),
        Error::InvalidInput(text) => Error::InvalidInput(text.clone()),
        // Not given by a fetch: said in words.
        other => Error::Config(format!("the token fetch failed: {other}")),
    }
}
