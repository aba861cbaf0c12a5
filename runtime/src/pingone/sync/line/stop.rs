//! The stop at an answer that every later call would get ([`stops_the_job`], the same 403
//! to several PATCHes in a row): the lines that have not sent their PATCH end
//! `notAttempted`, naming the line that stopped the job.

use super::super::desired::MatchKey;
use super::super::outcome::{Outcome, OutcomeError, Status};
use super::shared::{RefusedInARow, Shared, Stop};
use crate::pingone::Error;

/// Whether `error` stops the job: a refusal of its credentials that no retry can fix and that
/// every later call would get. The token endpoint's refusal (any status but 408, 429, 500,
/// 502, 503 and 504: a wrong secret or an unknown client, 401 `invalid_client`; a client not
/// allowed the grant, 400 `unauthorized_client`; see [`REFUSAL_HOLD`](crate::pingone::REFUSAL_HOLD)),
/// and a 401 of the API itself, which the client gets only after sending the call again with a
/// fresh worker token (or with a fixed bearer token, which no retry renews): the token is not
/// one PingOne accepts. Not a 403: PingOne answers it for an attribute the caller may not
/// update, or for a user outside the population its role is scoped to, so it says nothing of
/// the next line; but a 403 or 404 of the users collection itself, which names no user, does
/// stop it ([`Lookup::Collection`]). And a proxy's 407 to a plain `http` request: it asks
/// for credentials that every later call would lack too.
///
/// [`Lookup::Collection`]: super::lookup::Lookup::Collection
pub(super) fn stops_the_job(error: &Error) -> bool {
    match error {
        Error::Token { .. } => !error.is_retryable(),
        // With PingOne's error body or without (a gateway's page, an empty body, or a body
        // that the connection cut short: the status is the answer).
        Error::Api { status: 401, .. }
        | Error::Decode { status: 401, .. }
        | Error::Incomplete { status: 401, .. } => true,
        // A proxy that asks for credentials, answering a plain `http` request (its refusal of
        // an `https` request's tunnel is a transport error: `stop_on`).
        Error::Api { status: 407, .. }
        | Error::Decode { status: 407, .. }
        | Error::Incomplete { status: 407, .. } => true,
        _ => false,
    }
}

impl Stop {
    /// The outcome of `line`, not attempted as the job stopped: the refusal's message, status
    /// and code, and the line that got it.
    pub(super) fn not_attempted(&self, line: usize, key: Option<MatchKey>) -> Outcome {
        Outcome {
            error: Some(OutcomeError {
                message: format!(
                    "not attempted: the job stopped at line {}, whose call got an answer that \
                     every later call would get too (a refusal that no retry fixes, a wait \
                     longer than the client waits out, or an answer that lost what its line \
                     did not name): {}",
                    self.line, self.error.message
                ),
                http_status: self.error.http_status,
                code: self.error.code.clone(),
                stopped_by: Some(self.line),
                ..OutcomeError::default()
            }),
            ..Outcome::new(line, key, Status::NotAttempted)
        }
    }
}

/// `line 4`, `lines 1, 2 and 5`; past 10 lines, the first 5, the last one and how many in all.
fn lines_text(lines: &[usize]) -> String {
    let join = |lines: &[usize]| {
        lines
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match lines {
        [] => String::new(),
        [line] => format!("line {line}"),
        [first @ .., last] if lines.len() <= 10 => format!("lines {} and {last}", join(first)),
        [.., last] => format!(
            "lines {}, ... {last}, {} in all",
            join(&lines[..5]),
            lines.len()
        ),
    }
}

impl Shared {
    /// The refusal that stopped the job, if one did.
    pub(super) fn stopped(&self) -> Option<Stop> {
        self.stop.borrow().clone()
    }

    /// Stops the job if `error`, which `line` got, is one that every call would get: a
    /// refusal of the credentials ([`stops_the_job`]), a token endpoint that answers 2xx with
    /// no token response (RFC 6749 §5.1), the client's refusal of an environment
    /// ID that is no UUID, an API that cannot be reached, or an answer that asks to wait
    /// longer than the client's retry policy waits out
    /// ([`RetryPolicy::waits_out`](crate::pingone::RetryPolicy::waits_out)); the first such
    /// line is the one named.
    pub(super) fn stop_on(&self, line: usize, error: &Error) {
        // An environment ID that is no UUID fails every call alike, before it is sent
        // (`Error::InvalidInput`, naming it).
        let environment_refused = matches!(error, Error::InvalidInput(_))
            && !crate::pingone::is_pingone_id(&self.environment_id);
        // A failure to reach the API that every call would get: one that no retry fixes (a
        // refused TLS certificate, a plain-HTTP server at an `https` URL, a proxy asking for
        // credentials), or no connection at all (no such host, connection refused) while no
        // lookup has yet been answered (a mistyped host, a VPN that is down: each line would
        // spend its retries on it). Once one was, a failed connection is taken for a
        // passing fault, that line's alone.
        let unreachable = match error {
            Error::Transport { source, .. } => {
                !error.is_retryable() || (source.is_connect() && self.collection.get().is_none())
            }
            _ => false,
        };
        // PingOne's limit (per environment) or quota, or a service down for a while, said
        // when to come back, later than the client waits: every later line would send its
        // request into the same refusal, one after another at full speed, and fail.
        let told_to_wait =
            error.is_retryable() && self.client.retry_policy().stops_at(error.retry_after());
        // A token endpoint that answers 2xx with no token response (a proxy's sign-in page at
        // the token URL, a `token_type` other than `Bearer`): `Error::Decode`, as a 2xx of the
        // users API that does not decode is, which is that line's alone; told apart by the
        // client's token cache, which gives that answer to every call that needs a token, as
        // it gives an OAuth refusal: the error must be the one it holds, not a users answer
        // that a call sent with an earlier token got while another call's fetch failed.
        let no_token = self.client.token_endpoint_gave_no_token(error);
        if stops_the_job(error) || environment_refused || unreachable || told_to_wait || no_token {
            self.stop_with(line, OutcomeError::from_client_error(error));
        }
    }

    /// Counts `line`'s PATCH, answered `refused` (`None`: accepted), among the PATCHes that
    /// PingOne refused with the same 403 in a row, and stops the job once they are
    /// [`Shared::stop_after_refusals`]: then returns the stop's error, which says so, for the
    /// line's own outcome.
    ///
    /// PingOne answers a PATCH 403 for an attribute the worker may not update or a user
    /// outside the populations its role is scoped to, which is that line's alone; but a worker
    /// without a role that updates users (one that only reads them) gets it for every PATCH,
    /// and every line of the feed would send its PATCH into the same refusal. A PATCH accepted,
    /// or refused with another 403, starts the count again; other failures (a 400, a 5xx that
    /// outlasted the retries) neither count nor start it again.
    pub(super) fn count_refusal(
        &self,
        line: usize,
        refused: Option<&Error>,
    ) -> Option<OutcomeError> {
        if self.stop_after_refusals == 0 {
            return None;
        }
        let answer = match refused {
            Some(Error::Api {
                status: 403, error, ..
            }) => Some((error.code.clone(), error.message.clone())),
            // A gateway's page, the same for every PATCH it refuses, or a body the connection
            // cut short.
            Some(Error::Decode { status: 403, .. } | Error::Incomplete { status: 403, .. }) => {
                Some((None, None))
            }
            Some(_) => return None,
            None => None,
        };
        let streak = {
            let mut refused_in_a_row = self
                .refused
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let Some(answer) = answer else {
                *refused_in_a_row = RefusedInARow::default();
                return None;
            };
            if refused_in_a_row.answer.as_ref() != Some(&answer) {
                refused_in_a_row.answer = Some(answer);
                refused_in_a_row.lines.clear();
            }
            refused_in_a_row.lines.push(line);
            if refused_in_a_row.lines.len() < self.stop_after_refusals {
                return None;
            }
            std::mem::take(&mut refused_in_a_row.lines)
        };
        let refused = OutcomeError::from_client_error(refused?);
        let error = OutcomeError {
            message: format!(
                "{} PATCHes in a row ({}) were refused with the same answer, HTTP 403, and \
                 PingOne accepted none between them: the worker application most likely may \
                 not update users (give it a role that updates users, such as Identity Data \
                 Admin, on this environment or on the users' populations), or may not update \
                 an attribute that these lines set (leave it out of the feed); if only these \
                 lines' users are out of its reach, run the rest with the stop after refusals \
                 off (SyncJob::stop_after_refusals(0), sync_users --stop-after-refusals 0): {}",
                streak.len(),
                lines_text(&streak),
                refused.message
            ),
            ..refused
        };
        // Not when the job stopped already (at another line's refusal): this line did not
        // stop it.
        self.stop_with(line, error.clone()).then_some(error)
    }

    /// Stops the job at `line`, whose call got `error`, unless it stopped already; returns
    /// whether this stopped it.
    pub(super) fn stop_with(&self, line: usize, error: OutcomeError) -> bool {
        self.stop.send_if_modified(|stop| {
            if stop.is_some() {
                return false;
            }
            tracing::warn!(error = %error.message, line, "the job stops: every later call would get this answer");
            *stop = Some(Stop { line, error });
            true
        })
    }

    /// `found`, unless the job stops first: then the stop.
    pub(super) async fn unless_stopped<T>(
        &self,
        found: impl Future<Output = T>,
    ) -> Result<T, Stop> {
        let mut stop = self.stop.subscribe();
        let stopped = async move {
            let stop = match stop.wait_for(Option::is_some).await {
                Ok(stop) => stop.clone(),
                // The sender lives as long as `self`.
                Err(_) => None,
            };
            match stop {
                Some(stop) => stop,
                None => std::future::pending().await,
            }
        };
        match futures_util::future::select(std::pin::pin!(found), std::pin::pin!(stopped)).await {
            futures_util::future::Either::Left((found, _)) => Ok(found),
            futures_util::future::Either::Right((stop, _)) => Err(stop),
        }
    }
}
