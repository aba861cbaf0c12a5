//! [`AccessTokens`]: where each attempt of [`Transport::send`] takes its access token, and
//! the token of the moment that it sends.

use std::sync::Arc;

use super::super::Error;
use super::super::secret::Secret;
use super::Transport;

/// Where [`Transport::send`] takes each attempt's access token: the client's token provider
/// (`token/`), which sends its own token requests through this transport. A trait, so that
/// the transport needs nothing of the token module that uses it.
pub(crate) trait AccessTokens: Sync {
    /// The token to send now when it is at hand without waiting (the static token, or a cached
    /// worker token not yet due for its refresh); `None` means: ask
    /// [`token`](AccessTokens::token).
    fn ready(&self) -> Option<Secret>;

    /// The token to send now, fetched through `transport` if need be.
    fn token(
        &self,
        transport: &Arc<Transport>,
    ) -> impl Future<Output = Result<Secret, Error>> + Send;

    /// Whether the tokens are a worker's (fetched, so that a refused one can be replaced).
    fn is_worker(&self) -> bool;

    /// Drops `used`, a token refused with 401, so that the next attempt fetches a fresh one.
    fn invalidate(&self, used: &Secret);

    /// Whether a token refused with 401 may be replaced by a fresh one: not while a fresh one
    /// was refused too lately ([`refused_fresh`](AccessTokens::refused_fresh)).
    fn may_replace(&self) -> bool;

    /// Records that the fresh token fetched to replace a refused one was refused with 401 too:
    /// the API refuses the worker's tokens however new (another region's or environment's
    /// API, a worker without access), and another fetch would get another refused token.
    fn refused_fresh(&self);
}

impl Transport {
    /// The token to send now, and whether getting it took a wait: the cached one while it is
    /// not due (without waiting or allocating), else [`AccessTokens::token`] (one that came
    /// due, fetched, or a fetch under way, waited for). After a wait for the hold or the
    /// limiter's turn, a call whose token had to be waited for takes another turn.
    pub(super) async fn token_to_send<T: AccessTokens>(
        self: &Arc<Self>,
        tokens: &T,
    ) -> Result<(Secret, bool), Error> {
        if let Some(token) = tokens.ready() {
            return Ok((token, false));
        }
        // Boxed: the token's future (a fetch through `send`) inside `send`'s would make it of
        // infinite size. Only when the cached token is not ready to send: no allocation on
        // the common path.
        let mut fetch = Box::pin(tokens.token(self));
        let mut had_to_wait = false;
        let token = std::future::poll_fn(|context| {
            let poll = fetch.as_mut().poll(context);
            had_to_wait |= poll.is_pending();
            poll
        })
        .await?;
        Ok((token, had_to_wait))
    }
}
