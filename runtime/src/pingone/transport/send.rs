//! [`Transport::send`]: a request sent, and sent again while its answer is retried.

use std::sync::Arc;
use std::time::Duration;

use super::super::error::{
    BODY_START_CHARS, certificate_error, not_tls, proxy_asks_for_credentials,
};
use super::super::retry::RetryEvent;
use super::super::secret::Secret;
use super::super::{Error, RetryPolicy};
use super::body::{
    challenge_of, content_type_of, correlation_id_of, encoding_of, kept_correlation_id,
    location_of, read_capped, unread_content_type, without_byte_order_mark,
};
use super::error_code::retried_for_its_code;
use super::event_fields::{attempt_failure, correlation_id_for_event};
use super::rate_limit::wait_for_turn;
use super::reached::Reached;
use super::retry_after::{body_retry_after, retry_after_and_date};
use super::urls::{keep_scheme_host_and_path, without_fragment, without_query};
use super::{AccessTokens, Answer, MAX_BODY_BYTES, Transport, landed};

impl Transport {
    /// Sends the request that `build` makes, again while the answer is retryable and the
    /// policy allows (403 and 404 too within `consistency_window` of the first attempt), and
    /// returns the last answer. A server certificate that is not trusted is not retried, nor
    /// an answer whose `Retry-After` is longer than the policy's `max_retry_after`.
    ///
    /// A request that is not `repeatable` (sent twice, it would act twice) is sent again only
    /// when the server cannot have acted on it: the connection failed, or the answer was 429
    /// (rate limited before anything was done) or 408 (the request not received whole in
    /// time, RFC 9110 §15.5.9), or 403 or 404 inside the consistency window (refused: nothing
    /// was applied).
    ///
    /// With `tokens`, each attempt asks it for the token of the moment, which `build` sends:
    /// a call whose retries outlast its token (a `Retry-After`, backoffs and timeouts add up
    /// to minutes) sends a fresh one rather than the token it started with. The answer's
    /// `secret` is the token of its attempt. A worker token refused with 401 is dropped and
    /// the request sent again with a fresh one, once per call, outside the policy's attempts.
    ///
    /// `sent` is how many attempts the call made before: 0 for a call's first send; a GET (or
    /// a token request) whose 2xx body was cut short is sent again after
    /// [`pause_after_cut_json`](Transport::pause_after_cut_json), its attempts counted on.
    ///
    /// With `tokens` (a request to the users API, not the token endpoint's), each attempt
    /// waits first until the client's `Retry-After` hold is over
    /// ([`wait_out_hold`](Transport::wait_out_hold)), and a 429 or 503 that asks to wait
    /// extends it ([`hold_for`](Transport::hold_for)): see [`RetryPolicy`], "One
    /// `Retry-After` for the whole client".
    ///
    /// `credentials` takes out of an answer's text the credentials that the request carries
    /// beside a bearer token (a token request's client secret, in every form it is sent),
    /// before a retry's `tracing` event shows the answer's `Correlation-Id`: a proxy that
    /// copies the request's headers there echoes them.
    pub(crate) async fn send<T: AccessTokens>(
        self: &Arc<Self>,
        tokens: Option<&T>,
        build: &(dyn Fn(Option<&Secret>) -> reqwest::RequestBuilder + Sync),
        credentials: Option<&(dyn Fn(&str) -> String + Sync)>,
        consistency_window: Duration,
        repeatable: bool,
        sent: u32,
    ) -> Result<Answer, Error> {
        // The clock is read only when a consistency window can retry 403 and 404: without
        // one, how long the call took never decides a retry.
        let started = (!consistency_window.is_zero()).then(tokio::time::Instant::now);
        // How long since the first attempt, for a 403 or 404 inside a consistency window; not
        // read by `RetryPolicy::retries` for other statuses, or without a window.
        let window_elapsed = |status: u16| match started {
            Some(started) if matches!(status, 403 | 404) => started.elapsed(),
            _ => Duration::MAX,
        };
        // Before anything else (the token, the limiter): outside a tokio runtime nothing can
        // be sent.
        let (http, idle) = self.http_here()?;
        if idle {
            // The runtime polls its connections first: one that the server closed while the
            // runtime was not running (between two `block_on`s) reads its close and leaves
            // the pool, rather than take this request and fail it unsent (`CallClock`).
            tokio::task::yield_now().await;
        }
        let mut attempt = sent;
        // Whether a worker token was refused with 401 and the request sent again with a
        // fresh one: once per call, so that a token PingOne refuses however fresh does not
        // loop.
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            // The request sent again with a fresh token is not one of the policy's retries.
            let last = attempt
                >= self
                    .retry
                    .attempts()
                    .saturating_add(u32::from(reauthenticated));
            // The token first (a fetch under way is waited for before the turn, so that the
            // calls waiting on it do not all go out at once when it comes), then the turn, then
            // the token again if it became due meanwhile: behind a low rate and many calls the
            // wait for a turn can outlast the refresh margin.
            let mut token = match tokens {
                None => None,
                Some(tokens) => Some(self.token_to_send(tokens).await?.0),
            };
            // The client's `Retry-After` hold, then the turn, then the token again if it became
            // due meanwhile; again if another call's answer set or extended the hold while this
            // one waited for its turn or for that token (a fetch takes a round trip, or a
            // token request's own retries: the hold was checked before it only, and the
            // request went into a hold set meanwhile).
            let mut turn_retaken = false;
            loop {
                let mut waited = false;
                if tokens.is_some() {
                    waited |= self.wait_out_hold(attempt - 1).await;
                }
                if let Some(limiter) = &self.limiter {
                    // A token request first: the calls that wait need the token it brings.
                    wait_for_turn(limiter, tokens.is_none()).await;
                    waited = true;
                }
                if waited && let Some(tokens) = tokens {
                    let (fresh, had_to_wait) = self.token_to_send(tokens).await?;
                    token = Some(fresh);
                    // The turn went by while the token was fetched (a round trip, or the
                    // token request's own retries): another, so that the calls whose token
                    // came due in the limiter's queue do not all go at once when it comes.
                    // Once: a token due at once (`expires_in: 0`, or a life shorter than a
                    // turn's wait) is due again after any turn, and is sent as fetched.
                    if had_to_wait && self.limiter.is_some() && !turn_retaken {
                        turn_retaken = true;
                        continue;
                    }
                }
                // Without a wait, nothing was waited for since the hold was over.
                if tokens.is_none() || !waited || self.hold.in_force().is_none() {
                    break;
                }
            }
            // Whether this attempt sends a change (a PATCH): one retried after an attempt
            // that may have landed is noted for `landed::watching`.
            let mut sends_a_change = false;
            let result = async {
                // Built on the client's first HTTP client, sent on this runtime's.
                let (_, request) = build(token.as_ref()).build_split();
                let request = request?;
                sends_a_change = request.method() == reqwest::Method::PATCH;
                if sends_a_change {
                    landed::note_sent();
                }
                // Only a client the user brought (`per_request`) can follow a redirect: the
                // one built here follows none, and its requests skip the URL's copy. Compared
                // without the fragment, which HTTP never sends: reqwest's answer URL is read
                // back from the request line's URI, which has none.
                let sent_to = self.per_request.is_some().then(|| request.url().clone());
                // A change (a PATCH) whose 2xx status arrived was made, whatever becomes of
                // its body.
                let changes = sends_a_change;
                let response = http.execute(request).await?;
                let status = response.status().as_u16();
                if sent_to.is_some_and(|sent_to| {
                    without_fragment(response.url()) != without_fragment(&sent_to)
                }) {
                    // Not read: the answer is not the one to the request.
                    return Ok((status, None, Reached::Elsewhere(response.url().clone())));
                }
                // Only `Retry-After` (and, without it, `Date`) is ever read: no copy of the whole
                // header map. Without a `Retry-After`, the body's `innerError.retryAfter` is
                // read once it has arrived (`server_now`: the answer's clock to count it from).
                let (mut retry_after, server_now) = if RetryPolicy::is_retryable_status(status) {
                    retry_after_and_date(response.headers())
                } else {
                    (None, None)
                };
                let encoding = encoding_of(response.headers());
                let location = if (300..400).contains(&status) {
                    location_of(response.headers())
                } else {
                    None
                };
                // Read for an answer that is no success only: its error keeps it.
                let correlation_id = if (200..300).contains(&status) {
                    None
                } else {
                    correlation_id_of(response.headers())
                };
                // Held as it came (a reference count, no copy) until the body has arrived, and
                // copied only where an error may say it ([`content_type_of`]), or named by the
                // error of a body that does not arrive whole.
                let raw_type = response
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .cloned();
                let challenge = if matches!(status, 400 | 401 | 403) {
                    challenge_of(response.headers())
                } else {
                    None
                };
                let body = match read_capped(response).await {
                    Ok(Some(body)) => {
                        let body = without_byte_order_mark(body);
                        if let Some(now) = server_now {
                            retry_after = body_retry_after(&body, now);
                        }
                        let content_type =
                            content_type_of(raw_type.as_ref(), status, &body, tokens.is_none());
                        Reached::Body {
                            body,
                            encoding,
                            location,
                            correlation_id,
                            challenge,
                            content_type,
                        }
                    }
                    Ok(None) => Reached::TooLarge(raw_type),
                    // The per-attempt timeout, run out while the body trickled: a timeout,
                    // whatever stage the request was at, for an answer that is retried (a
                    // 2xx, whose body the next attempt may bring, 408, 429, 5xx). Another
                    // status is the answer, body or not, as for a body cut short: a 401 whose
                    // body stalled was retried as a timeout, its refused token sent again.
                    // So is a PATCH's 2xx that is not sent again (the last attempt, or a SCIM
                    // message that is not repeatable): its status says that the change was
                    // made, which a `Timeout` does not (it may or may not have been), and the
                    // caller of a SCIM `add` would send it again, to append twice.
                    Err((error, _))
                        if error.is_timeout()
                            && RetryPolicy::retries_without_body(status)
                            && !(changes
                                && (200..300).contains(&status)
                                && (last || !repeatable)) =>
                    {
                        return Err(error);
                    }
                    Err((error, expected_bytes)) => Reached::Cut(error, expected_bytes, raw_type),
                };
                Ok::<_, reqwest::Error>((status, retry_after, body))
            }
            .await;
            // A 429 or 503 that asks to wait holds every request of the client to the users
            // API, whether or not this call retries it.
            if tokens.is_some()
                && let Ok((status @ (429 | 503), Some(wait), _)) = &result
            {
                self.hold_for(*status, *wait);
            }
            // A connect timeout is an `Error::Timeout` as the per-attempt timeout is: what
            // tells `landed::watching` that this attempt sent nothing.
            if sends_a_change
                && let Err(error) = &result
                && error.is_connect()
            {
                landed::note_not_connected();
            }
            if let Ok((401, _, reached @ (Reached::Body { .. } | Reached::Cut(..)))) = &result {
                // A worker token refused before its time (revoked, or its key rotated): dropped,
                // and the request sent again at once with a fresh one, whatever the retry
                // policy, whether the 401's body came whole or cut short (a gateway that
                // closes the connection on a refusal). Safe for any request: a 401 applied
                // nothing.
                if !reauthenticated
                    && let (Some(tokens), Some(used)) = (tokens, token.as_ref())
                    && tokens.is_worker()
                    && tokens.may_replace()
                {
                    reauthenticated = true;
                    tokens.invalidate(used);
                    // The fields of a retry's event: the status, and the 401's
                    // `Correlation-Id`, which PingOne's support needs to tell why it refused
                    // the token (without the token, which a proxy may echo there).
                    let correlation_id = match reached {
                        Reached::Body {
                            correlation_id: Some(raw),
                            ..
                        } => kept_correlation_id(raw, token.as_ref()),
                        _ => None,
                    };
                    tracing::info!(
                        attempt,
                        status = 401_u16,
                        correlation_id = correlation_id.as_deref(),
                        "pingone: the worker token was refused (401); sending again with a fresh \
                         one"
                    );
                    // A request sent again, as a retry is, for the policy's observer (a run's
                    // count of retries by cause): without a wait, outside the attempts.
                    self.retry.notify(&RetryEvent {
                        attempt,
                        status: Some(401),
                        wait: Duration::ZERO,
                        from_retry_after: false,
                        held_by_retry_after: false,
                    });
                    continue;
                }
                // The fresh token refused too: kept, and not replaced for a while (each call
                // made two token requests and two API requests, a sync job of 10,000 lines
                // against the wrong region 20,000 token requests).
                if reauthenticated && let Some(tokens) = tokens {
                    tokens.refused_fresh();
                }
            }
            // What the retry's event says of the attempt it retries: its status, the wait its
            // answer asked for, the failure of an attempt without a status (a timeout, a
            // connection refused or reset, a body cut short), and PingOne's correlation ID.
            let (status, retry_after, failure, correlation_id) = match result {
                Ok((status, _, Reached::Elsewhere(mut url))) => {
                    // Only an HTTP client of the user's own follows redirects (the one built
                    // here follows none). The answer is another URL's: a 301, 302 or 303
                    // followed as a GET would pass a read for the PATCH's success. Not
                    // retried: the same request would be redirected again.
                    keep_scheme_host_and_path(&mut url);
                    return Err(Error::Decode {
                        status,
                        reason: "the HTTP client followed a redirect, and this is the answer \
                                of the URL it led to (the URL in body_start, without its query, \
                                fragment and userinfo), not of the \
                                request: PingOne's API answers none, and a redirect is not \
                                followed (build the reqwest::Client given to \
                                ClientBuilder::http_client with \
                                redirect(reqwest::redirect::Policy::none()))"
                            .into(),
                        body_start: url.as_str().chars().take(BODY_START_CHARS).collect(),
                        attempts: attempt,
                        retry_after: None,
                    });
                }
                // A 429 or a retryable 5xx is retried whatever its body, as its status says
                // (a gateway's error page may be huge): the body is not read. Any other
                // status is not: the same request would get the same answer.
                Ok((status, retry_after, Reached::TooLarge(_)))
                    if !last
                        && RetryPolicy::is_retryable_status(status)
                        && (repeatable || matches!(status, 408 | 429))
                        && !self.stops_at(retry_after, attempt, status, || None) =>
                {
                    if sends_a_change && landed::status_may_have_landed(status) {
                        landed::note_attempt();
                    }
                    (Some(status), retry_after, None, None)
                }
                // The status arrived, the body did not (the connection ended inside it): a
                // transport failure, retried as one is (a request that is not repeatable is
                // not: the status says the server received it), and said with its status. But
                // only for a status that is retried, or a 2xx (whose body the next attempt may
                // bring): a 400, 401, 403 or 404 is the answer, whatever became of its body,
                // and the next attempt would get it again (a 401's bearer token was sent again
                // on each attempt, which the policy never does).
                Ok((status, retry_after, Reached::Cut(error, expected_bytes, raw_type))) => {
                    let retried_status = RetryPolicy::retries_without_body(status)
                        || RetryPolicy::retries(status, window_elapsed(status), consistency_window);
                    if last
                        || !repeatable
                        || !retried_status
                        || self.stops_at(retry_after, attempt, status, || None)
                    {
                        return Err(Error::Incomplete {
                            status,
                            expected_bytes,
                            content_type: unread_content_type(
                                raw_type.as_ref(),
                                token.as_ref(),
                                credentials,
                            ),
                            source: std::sync::Arc::new(without_query(error)),
                            attempts: attempt,
                            retry_after,
                        });
                    }
                    if sends_a_change && landed::status_may_have_landed(status) {
                        landed::note_attempt();
                    }
                    let failure = format!(
                        "the HTTP {status} answer's body was cut short: {}",
                        attempt_failure(error)
                    );
                    (None, retry_after, Some(failure), None)
                }
                Ok((status, retry_after, Reached::TooLarge(raw_type))) => {
                    let content_type =
                        unread_content_type(raw_type.as_ref(), token.as_ref(), credentials);
                    return Err(Error::Decode {
                        status,
                        reason: format!(
                            "the answer's body is larger than {MAX_BODY_BYTES} bytes \
                             (MAX_BODY_BYTES), more than any PingOne answer; it was not read{}",
                            content_type.map_or_else(String::new, |content_type| format!(
                                "; Content-Type {content_type:?}"
                            ))
                        ),
                        body_start: String::new(),
                        attempts: attempt,
                        retry_after,
                    });
                }
                Ok((
                    status,
                    retry_after,
                    Reached::Body {
                        body,
                        encoding,
                        location,
                        correlation_id,
                        challenge,
                        content_type,
                    },
                )) => {
                    let elapsed = window_elapsed(status);
                    // A 429, 403 or 404 refused the request: nothing was applied (a PATCH is
                    // atomic), so even a request that is not repeatable may go again (429
                    // always, 403 and 404 inside a consistency window). So did a 408: the
                    // server did not receive the whole request in time, and the client may
                    // repeat it (RFC 9110 §15.5.9); a server closing an idle kept-alive
                    // connection sends one (HAProxy), which a request written meanwhile reads.
                    let maybe_done = !repeatable && !matches!(status, 408 | 429 | 403 | 404);
                    // Last, a `Retry-After` longer than the policy waits: the answer is the
                    // call's (read only for an answer that would be retried). A status that
                    // is not retried still is for PingOne's `UNEXPECTED_ERROR` code, as Ping's
                    // Go SDK retries it (`RetryPolicy::is_retryable_code`), but only for a
                    // repeatable request: a failure of the server's own may have applied part
                    // of it, as a 500 may (a SCIM `add` sent twice on a 403 or 404 of that
                    // code appended twice).
                    if last
                        || maybe_done
                        || !(RetryPolicy::retries(status, elapsed, consistency_window)
                            || (repeatable && retried_for_its_code(status, &body)))
                        || self.stops_at(retry_after, attempt, status, || {
                            correlation_id_for_event(
                                correlation_id.as_deref(),
                                credentials,
                                token.as_ref(),
                            )
                        })
                    {
                        return Ok(Answer {
                            status,
                            retry_after,
                            body,
                            encoding,
                            location,
                            correlation_id,
                            challenge,
                            content_type,
                            attempts: attempt,
                            secret: token,
                        });
                    }
                    if sends_a_change && landed::status_may_have_landed(status) {
                        landed::note_attempt();
                    }
                    let correlation_id = correlation_id_for_event(
                        correlation_id.as_deref(),
                        credentials,
                        token.as_ref(),
                    );
                    (Some(status), retry_after, None, correlation_id)
                }
                Err(error) if error.is_builder() => {
                    return Err(Error::InvalidInput(format!(
                        "cannot build the request: {error}"
                    )));
                }
                // A certificate that was not trusted will not be on the next attempt either,
                // nor will a proxy's demand for credentials (407 to the CONNECT, which the next
                // attempt makes with the same), nor a server that speaks no TLS at an https
                // URL, nor a redirect loop that an HTTP client of the user's own followed to
                // its limit (each attempt followed it again, ten requests a time), and a
                // request that may have reached the server is not repeated unless it is
                // repeatable.
                Err(error)
                    if last
                        || certificate_error(&error).is_some()
                        || proxy_asks_for_credentials(&error)
                        || not_tls(&error)
                        || error.is_redirect()
                        || (!repeatable && !error.is_connect()) =>
                {
                    return Err(if error.is_timeout() {
                        // reqwest's connect timeout fails the connection; the per-attempt
                        // timeout fails the request, whatever stage it is at.
                        let timeout = match self.connect_timeout {
                            Some(connect) if error.is_connect() => connect,
                            _ => self.timeout,
                        };
                        Error::Timeout {
                            timeout,
                            attempts: attempt,
                        }
                    } else {
                        Error::Transport {
                            source: std::sync::Arc::new(without_query(error)),
                            attempts: attempt,
                        }
                    });
                }
                Err(error) => {
                    // Sent, unless no connection was made: its answer lost, not its request.
                    if sends_a_change && !error.is_connect() {
                        landed::note_attempt();
                    }
                    (None, None, Some(attempt_failure(error)), None)
                }
            };
            // A `Retry-After` of zero (or a date not after the answer's) is no wait: the
            // backoff applies (`RetryPolicy::wait`).
            let from_retry_after = retry_after.is_some_and(|wait| !wait.is_zero());
            let wait = self
                .retry
                .wait(attempt - u32::from(reauthenticated), retry_after);
            tracing::info!(
                attempt,
                status,
                error = failure.as_deref(),
                correlation_id = correlation_id.as_deref(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                from_retry_after,
                "pingone: retrying"
            );
            self.retry.notify(&RetryEvent {
                attempt,
                status,
                wait,
                from_retry_after,
                held_by_retry_after: false,
            });
            tokio::time::sleep(wait).await;
        }
    }
}
