//! Fetching a worker token from the token endpoint, and checking its answer.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::super::super::Error;
use super::super::super::secret::Secret;
use super::super::super::transport::Transport;
use super::super::request::{redact_secret, token_request};
use super::super::response::{
    TokenResponse, is_error_document, is_form_encoded_token, not_an_object, quotable_start,
    token_error,
};
use super::super::{Kind, NOT_A_BEARER_TOKEN, is_bearer_token};
use super::{Cached, TokenProvider};

/// The longest a fetched token is cached, whatever its `expires_in` says: a day.
const MAX_TOKEN_LIFETIME_SECS: u64 = 24 * 60 * 60;

impl TokenProvider {
    /// Fetches a worker token from the token endpoint, recording each answer's status and
    /// attempts on the fetch's `span` ([`fetch_span`](Self::fetch_span)), or, when no answer
    /// came (a timeout, a failed connection), what the error says of them: once each (a
    /// refused request's were recorded twice, from its answer and again from its error).
    pub(super) async fn fetch(
        &self,
        transport: &Arc<Transport>,
        span: &tracing::Span,
    ) -> Result<Cached, Error> {
        let Kind::Worker {
            client_id,
            client_secret,
            method,
            ..
        } = &self.source.0
        else {
            return Err(Error::Config("a static token is not fetched".into()));
        };
        let url = self
            .token_url
            .as_deref()
            .ok_or_else(|| Error::Config("worker credentials need an auth base URL".into()))?;
        // RFC 6749 §5.1: `expires_in` counts from when the token was issued, which the client
        // cannot see; the request's first send is before it, however slow the answer or its
        // retries. Counted from the answer's arrival instead, a token endpoint that answers
        // late (or a token request retried for a while) left the client using a token PingOne
        // had already ended, which it refused with 401.
        let asked_at = Instant::now();
        // Boxed: a token request's future is as large as a whole call's, and this rarely
        // taken path would otherwise make every call's future (and each copy of it) that large.
        let mut sent = 0;
        let (answer, parsed) = loop {
            let answer = Box::pin(transport.send(
                None::<&TokenProvider>,
                &|_| token_request(transport, url, *method, client_id, client_secret),
                // What an answer echoes of the request's secret is taken out of what a retry
                // shows.
                Some(&|text| redact_secret(text, client_id, client_secret)),
                // A token request is never retried on 403 or 404; asking for a token twice is
                // harmless.
                Duration::ZERO,
                true,
                sent,
            ))
            .await
            .map_err(|error| {
                // No answer to record below: what the error says of the last attempt.
                let error = refusal_cut_short(error, url);
                crate::pingone::client::record_error(span, &error);
                error
            })?;
            span.record("status", answer.status);
            span.record("attempts", answer.attempts);
            if !(200..300).contains(&answer.status) {
                if let Some(id) = answer
                    .correlation_id_without(|raw| redact_secret(raw, client_id, client_secret))
                {
                    span.record("correlation_id", id.as_str());
                }
                let error = token_error(&answer, url, client_id, client_secret);
                return Err(if self.auth_base_in_api_path {
                    super::api_path::with_api_path_note(error)
                } else {
                    error
                });
            }
            let parsed = serde_json::from_slice::<TokenResponse>(&answer.body);
            // JSON cut short on the way (a proxy truncated it): the token it held is lost, and
            // asking again is harmless, as a GET's is (an empty body is not JSON cut short).
            if let Err(error) = &parsed
                && error.is_eof()
                && !answer.body.iter().all(u8::is_ascii_whitespace)
                && transport
                    .pause_after_cut_json(answer.attempts, answer.status)
                    .await
            {
                sent = answer.attempts;
                continue;
            }
            break (answer, parsed);
        };
        // An OAuth error answered with a 2xx (GitHub's token endpoint does, and gateways that
        // map every upstream answer to 200), or a PingOne error body so answered: its code and
        // description (or message), as for an error status, rather than a token response
        // missing its `access_token`.
        if parsed.is_err() && is_error_document(&answer.body) {
            return Err(token_error(&answer, url, client_id, client_secret));
        }
        let response: TokenResponse = parsed.map_err(|error| {
            // The reason quotes the value it refused (`invalid type: string "..."`), which may
            // be the secret echoed; for a body that is no JSON object, the whole body, which
            // may be the token: said by its kind instead ([`not_an_object`]).
            let error = if answer.is_wide_text() {
                "the body is UTF-16 or UTF-32 (a byte order mark or NUL bytes at its start, \
                 RFC 4627 §3), where a token response must be UTF-8 JSON (RFC 8259 §8.1)"
                    .to_owned()
            } else {
                not_an_object(&answer.body).unwrap_or_else(|| error.to_string())
            };
            let reason = match answer.encoding_text() {
                Some(encoding) => format!("{encoding}: not an OAuth token response: {error}"),
                None => format!("not an OAuth token response: {error}"),
            };
            let redact = |text: &str| redact_secret(text, client_id, client_secret);
            let reason = redact(&reason);
            // What arrived, as the API's errors say it: a page's kind, title, length and
            // `Content-Type`; of a body that may hold a token, its length and `Content-Type`.
            let (reason, body_start) = match quotable_start(&answer.body, client_id, client_secret)
            {
                Some(start) => (
                    format!("{reason}; the body is {}", answer.what_arrived(&redact)),
                    start,
                ),
                None => (
                    format!(
                        "{reason}; the body ({} bytes{}){} is not quoted, as it may hold a token",
                        answer.body.len(),
                        answer.content_type_note(&redact),
                        if is_form_encoded_token(&answer.body) {
                            ", form-encoded (access_token=...) rather than JSON although the \
                             request asked for application/json,"
                        } else {
                            ""
                        }
                    ),
                    String::new(),
                ),
            };
            Error::Decode {
                status: answer.status,
                reason,
                body_start,
                attempts: answer.attempts,
                retry_after: None,
            }
        })?;
        // Capped: a lifetime of `u64::MAX` seconds would overflow the `Instant` below (and
        // panic). A token that lives longer is fetched again after a day: one request.
        let lifetime = Duration::from_secs(
            response
                .expires_in
                .unwrap_or(3600)
                .min(MAX_TOKEN_LIFETIME_SECS),
        );
        let margin = self.refresh_before.min(lifetime / 2);
        // Checked as the bearer token given by hand is: an empty one, or one with a character
        // a header cannot carry, is the token endpoint's fault, not the caller's input.
        if !is_bearer_token(&response.access_token) {
            return Err(Error::Decode {
                status: answer.status,
                reason: format!(
                    "the token response's access_token is empty or {NOT_A_BEARER_TOKEN}"
                ),
                body_start: String::new(),
                attempts: answer.attempts,
                retry_after: None,
            });
        }
        // RFC 6749 §7.1: a token of a type the client does not understand is not used. Sent
        // as `Bearer`, a `DPoP` or `mac` token would be refused with 401 on every call.
        if let Some(token_type) = &response.token_type
            && !token_type.eq_ignore_ascii_case("bearer")
        {
            return Err(Error::Decode {
                status: answer.status,
                reason: format!(
                    "the token response's token_type is {:?}, not Bearer: the client sends only \
                     bearer tokens (RFC 6750)",
                    token_type.chars().take(64).collect::<String>()
                ),
                body_start: String::new(),
                attempts: answer.attempts,
                retry_after: None,
            });
        }
        let refresh_at = asked_at + lifetime - margin;
        Ok(Cached {
            token: Secret::new(response.access_token),
            // Numbered by the caller once the fetch has ended.
            fetch: 0,
            refresh_at,
            usable_until: refresh_at + margin / 2,
        })
    }
}

/// A refusal of the token endpoint whose body the connection cut short (`Error::Incomplete`
/// with a status that is no success: a gateway that closes as it refuses) as the refusal it
/// is, [`Error::Token`] with its status and `unknown_error` (the OAuth code did not arrive):
/// held as a whole refusal is, and stopping a sync job as one does. Passed on as
/// `Incomplete`, a wrong secret behind such a gateway sent one token request per call. Its
/// description names the length the answer announced and its `Content-Type`, as
/// `Incomplete`'s text does. Any other error as it is.
#[cold]
fn refusal_cut_short(error: Error, url: &str) -> Error {
    match error {
        Error::Incomplete {
            status,
            expected_bytes,
            content_type,
            attempts,
            retry_after,
            ..
        } if !(200..300).contains(&status) => Error::Token {
            status,
            code: "unknown_error".into(),
            description: Some(format!(
                "the connection closed inside the answer's body{}, before its code arrived \
                 (the token URL asked: {})",
                match (expected_bytes, content_type) {
                    (Some(bytes), Some(kind)) => {
                        format!(" ({bytes} bytes announced; Content-Type {kind:?})")
                    }
                    (Some(bytes), None) => format!(" ({bytes} bytes announced)"),
                    (None, Some(kind)) => format!(" (Content-Type {kind:?})"),
                    (None, None) => String::new(),
                },
                url.split(['?', '#']).next().unwrap_or(url)
            )),
            attempts,
            retry_after,
            remembered_for: None,
        },
        error => error,
    }
}
