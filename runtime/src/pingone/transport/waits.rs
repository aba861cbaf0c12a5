//! The waits of [`Transport::send`] between attempts: the pause after a 2xx body cut short,
//! the client's `Retry-After` hold (set by a 429's or 503's wait, waited out before each
//! attempt), and a `Retry-After` longer than the policy waits, which ends the retries.

use std::time::Duration;

use super::super::retry::{RetryEvent, random_unit};
use super::Transport;

impl Transport {
    /// After attempt `attempt` of a GET (or a token request) answered `status` (a 2xx) with
    /// a body whose JSON is cut short (a proxy that truncated it, a connection that ended
    /// where the body's framing said it ended): whether the policy allows another attempt,
    /// and if so, the backoff waited (reported as any retry's, to the observer and in a
    /// `tracing` event). A GET is safe to send again (RFC 9110 §9.2.1, §9.2.2), and so is a
    /// token request (a token more is issued); a PATCH is not sent again here: it succeeded,
    /// and only its answer was lost.
    #[cold]
    #[inline(never)]
    pub(crate) async fn pause_after_cut_json(&self, attempt: u32, status: u16) -> bool {
        if attempt >= self.retry.attempts() {
            return false;
        }
        let wait = self.retry.wait(attempt, None);
        tracing::info!(
            attempt,
            status,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            from_retry_after = false,
            "pingone: retrying: the answer's JSON was cut short"
        );
        self.retry.notify(&RetryEvent {
            attempt,
            status: Some(status),
            wait,
            from_retry_after: false,
            held_by_retry_after: false,
        });
        tokio::time::sleep(wait).await;
        true
    }

    /// Holds every request of the client to the users API for `wait`, which an answer of
    /// `status` (a 429 or 503) asked for, unless a hold ends later already. Only a wait that
    /// the policy waits out (up to its `max_retry_after`): an answer that asks for longer ends
    /// its own call at once, and holding the others for `max_retry_after` would only have
    /// them send later into the same refusal, where the per-call rule has each end at once
    /// (and a sync job stop at the first).
    pub(super) fn hold_for(&self, status: u16, wait: Duration) {
        if self.retry.waits_out(wait) {
            self.hold
                .extend(status, wait, self.retry.retry_after_spread(wait));
        }
    }

    /// Waits until the client's `Retry-After` hold is over, if one is in force, and then up
    /// to its spread (the policy's jitter of a `Retry-After`), so that the calls it held do
    /// not all go at once; again while another answer extends it. Each wait is reported as a
    /// retry's (`held_by_retry_after`), `attempts` being the attempts the call made before.
    /// Whether it waited.
    pub(super) async fn wait_out_hold(&self, attempts: u32) -> bool {
        let mut waited = false;
        while let Some(hold) = self.hold.in_force() {
            let remaining = hold
                .until
                .saturating_duration_since(tokio::time::Instant::now());
            let wait = remaining.saturating_add(hold.spread.mul_f64(random_unit()));
            tracing::info!(
                attempt = attempts,
                status = hold.status,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                from_retry_after = true,
                held_by_retry_after = true,
                "pingone: waiting for another call's Retry-After"
            );
            self.retry.notify(&RetryEvent {
                attempt: attempts,
                status: Some(hold.status),
                wait,
                from_retry_after: true,
                held_by_retry_after: true,
            });
            tokio::time::sleep(wait).await;
            waited = true;
        }
        waited
    }

    /// Whether an answer that asked to wait `retry_after` ends the call's retries: a wait
    /// longer than the policy's `max_retry_after`
    /// ([`RetryPolicy::waits_out`](super::super::RetryPolicy::waits_out)). It was capped at
    /// `max_backoff`: the next attempt went before the server said to, into another 429, and
    /// the attempts ran out within the window the server had named. Its event
    /// names the answer as a retry's does: `attempt`, `status` and the `correlation_id` that
    /// `correlation_id` gives (read only then).
    #[cold]
    pub(super) fn stops_at(
        &self,
        retry_after: Option<Duration>,
        attempt: u32,
        status: u16,
        correlation_id: impl FnOnce() -> Option<String>,
    ) -> bool {
        let stops = self.retry.stops_at(retry_after);
        if stops {
            tracing::info!(
                attempt,
                status,
                correlation_id = correlation_id().as_deref(),
                retry_after_ms = retry_after.map_or(0, |wait| {
                    u64::try_from(wait.as_millis()).unwrap_or(u64::MAX)
                }),
                max_retry_after_ms = u64::try_from(self.retry.max_retry_after_value().as_millis())
                    .unwrap_or(u64::MAX),
                "pingone: not retrying: the answer asks to wait longer than the retry \
                 policy's max_retry_after"
            );
        }
        stops
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use std::sync::Arc;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::super::super::secret::Secret;
    use super::super::super::{Error, RetryPolicy};
    use super::super::AccessTokens;
    use super::*;

    /// Tokens that are never ready without asking, so that each attempt's token is fetched
    /// after a wait; the second fetch (the one after the wait for the hold) stands for a slow
    /// token request during which another call's 429 holds the client for `hold`.
    struct HoldDuringFetch {
        fetches: AtomicU32,
        hold: Duration,
    }

    impl AccessTokens for HoldDuringFetch {
        fn ready(&self) -> Option<Secret> {
            None
        }

        async fn token(&self, transport: &Arc<Transport>) -> Result<Secret, Error> {
            if self.fetches.fetch_add(1, Ordering::SeqCst) == 1 {
                transport.hold.extend(429, self.hold, Duration::ZERO);
            }
            Ok(Secret::new("token".to_owned()))
        }

        fn is_worker(&self) -> bool {
            true
        }

        fn invalidate(&self, _used: &Secret) {}

        fn may_replace(&self) -> bool {
            false
        }

        fn refused_fresh(&self) {}
    }

    /// A hold that another call's 429 sets while this call fetches the token it sends after
    /// waiting out an earlier hold is waited out too: the request arrives after it. Before,
    /// the hold was checked before that fetch only, and the request went at once, into the
    /// hold. Counted by the instant the server reads the request, after the instant the hold
    /// was set plus its length: no sleep of the test's decides the outcome.
    #[tokio::test]
    async fn a_hold_set_while_the_token_is_fetched_after_a_wait_is_waited_out() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = [0_u8; 4096];
            let mut read = 0;
            while !buffer[..read].windows(4).any(|end| end == b"\r\n\r\n") {
                read += stream.read(&mut buffer[read..]).await.unwrap();
            }
            let arrived = tokio::time::Instant::now();
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
                .await
                .unwrap();
            arrived
        });
        crate::pingone::install_default_crypto_provider();
        let transport = Arc::new(Transport::new(
            reqwest::Client::new(),
            RetryPolicy::never(),
            Duration::from_secs(30),
            None,
            None,
            None,
            None,
        ));
        let hold = Duration::from_millis(800);
        let tokens = HoldDuringFetch {
            fetches: AtomicU32::new(0),
            hold,
        };
        // An earlier call's hold, which this call waits out before fetching its token again.
        transport
            .hold
            .extend(429, Duration::from_millis(50), Duration::ZERO);
        let started = tokio::time::Instant::now();
        let build = |_: Option<&Secret>| transport.request(reqwest::Method::GET, url.as_str());
        let answer = transport
            .send(Some(&tokens), &build, None, Duration::ZERO, true, 0)
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
        let arrived = server.await.unwrap();
        assert!(tokens.fetches.load(Ordering::SeqCst) >= 2);
        // The second fetch set the hold after `started` + 50 ms.
        assert!(
            arrived >= started + Duration::from_millis(50) + hold,
            "the request arrived {:?} after the call started, inside the hold set during its \
             token fetch",
            arrived - started
        );
    }
}
