//! Sending a call's request: the token, the retries, the call's `tracing` span and the
//! request of each attempt.

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::super::Error;
use super::super::secret::Secret;
use super::super::transport::Answer;
use super::span::{decode_in, ended_in, record_error, trace_failed_call};
use super::{Arrived, Client, Route, Target};

impl Client {
    /// Sends one request with the token, retries as the policy says (a GET also after a 2xx
    /// whose JSON was cut short: [`Client::again_after_cut`]), and decodes the answer,
    /// in a `tracing` span `pingone.request` with the method, the path template, the
    /// environment, and (once known) the status, the number of attempts and PingOne's error
    /// id. Neither the token, a secret nor a body is ever recorded. The value comes with the
    /// status and attempts of the answer it was read from ([`Arrived`]), for the errors that a
    /// caller finds in it afterwards.
    pub(in crate::pingone) async fn call<M: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        route: Route<'_>,
        url: &str,
        body: Option<(Bytes, &'static str)>,
    ) -> Result<(M, Arrived), Error> {
        let idempotent = method == reqwest::Method::GET;
        let mut sent = 0;
        let span = Self::request_span(&method, route);
        loop {
            let answer = self
                .call_answer(
                    &span,
                    method.clone(),
                    Target::Text(url),
                    body.clone(),
                    true,
                    sent,
                )
                .await?;
            let arrived = Arrived {
                status: answer.status,
                attempts: answer.attempts,
            };
            match decode_in(&span, answer) {
                Err(error) if idempotent && error.is_cut_json() => {
                    sent = ended_in(
                        &span,
                        self.again_after_cut(error).instrument(span.clone()).await,
                    )?;
                }
                result => return ended_in(&span, result).map(|value| (value, arrived)),
            }
        }
    }

    /// After a GET's 2xx answer whose JSON was cut short (`error`, [`Error::is_cut_json`]):
    /// how many attempts were sent, once the backoff before the next is over; `error` when the
    /// retry policy allows no more. A GET changes nothing and is sent again (RFC 9110 §9.2.2);
    /// a PATCH is not (it was applied), and its error says that the request succeeded.
    #[cold]
    #[inline(never)]
    pub(super) async fn again_after_cut(&self, error: Error) -> Result<u32, Error> {
        let (Some(attempts), Some(status)) = (error.attempts(), error.status()) else {
            return Err(error);
        };
        if self
            .inner
            .transport
            .pause_after_cut_json(attempts, status)
            .await
        {
            Ok(attempts)
        } else {
            Err(error)
        }
    }

    /// The `tracing` span of one call, `pingone.request` (level INFO): the method, the path
    /// template, the environment, and fields recorded once known (`status`, `attempts`, and
    /// for an error answer PingOne's `error_id` and `correlation_id`). One span for the whole call, a GET sent again after a 2xx whose JSON was
    /// cut short included ([`Client::again_after_cut`]), so that each of its retries' events
    /// happens in it.
    pub(super) fn request_span(method: &reqwest::Method, route: Route<'_>) -> tracing::Span {
        tracing::info_span!(
            "pingone.request",
            method = %method,
            path = route.template,
            environment = route.environment,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            error_id = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
        )
    }

    /// [`call`](Client::call) up to the answer, not yet decoded, in the call's `span`
    /// ([`Client::request_span`]): a caller decodes it with [`decode_in`] in its own body, so
    /// that the decoded model (a `User` is over 1 KB) is not moved out through one more
    /// future. A `body` comes with its `Content-Type`; `sent` is how many attempts the call
    /// made before ([`Transport::send`](super::super::transport::Transport::send)).
    pub(super) async fn call_answer(
        &self,
        span: &tracing::Span,
        method: reqwest::Method,
        url: Target<'_>,
        body: Option<(Bytes, &'static str)>,
        repeatable: bool,
        sent: u32,
    ) -> Result<Answer, Error> {
        let answer = self
            .send(method, url, body, repeatable, sent)
            .instrument(span.clone())
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => {
                record_error(span, &error);
                trace_failed_call(span, &error);
                return Err(error);
            }
        };
        span.record("status", answer.status);
        span.record("attempts", answer.attempts);
        Ok(answer)
    }

    /// [`call`](Client::call) without the span and the decoding: the final answer. A request
    /// that is not `repeatable` is retried only where the server cannot have acted on it
    /// ([`Transport::send`](super::super::transport::Transport::send)).
    async fn send(
        &self,
        method: reqwest::Method,
        url: Target<'_>,
        body: Option<(Bytes, &'static str)>,
        repeatable: bool,
        sent: u32,
    ) -> Result<Answer, Error> {
        let transport = &self.inner.transport;
        let window = self
            .consistency_window
            .unwrap_or_else(|| transport.retry().get_consistency_window());
        // Each attempt takes the token of the moment (a call's retries may outlast one).
        let answer = transport
            .send(
                Some(&self.inner.tokens),
                &|token| self.request(method.clone(), url, token, body.as_ref()),
                // The bearer token is the request's only credential.
                None,
                window,
                repeatable,
                sent,
            )
            .await?;
        // A 401 that reaches here was answered to a fresh worker token (the transport replaced
        // the refused one) or during the hold after one (`AccessTokens::refused_fresh`), or to
        // a static token: the token is kept, so that the next call does not fetch another
        // that the API refuses the same.
        Ok(answer)
    }

    /// One attempt's request: `method` to `url` with the token (marked sensitive:
    /// [`with_bearer`]), `Accept`, the correlation IDs, and the body with its `Content-Type`.
    /// Inlined into each attempt, as the closure it was: the builder is not copied out.
    #[inline]
    pub(super) fn request<'u>(
        &self,
        method: reqwest::Method,
        url: impl Into<Target<'u>>,
        token: Option<&Secret>,
        body: Option<&(Bytes, &'static str)>,
    ) -> reqwest::RequestBuilder {
        let mut request = match url.into() {
            Target::Text(url) => self.inner.transport.request(method, url),
            Target::Parsed(url) => self.inner.transport.request(method, url.clone()),
        };
        if let Some(token) = token {
            request = with_bearer(request, token);
        }
        // Header values from the static text, not copied into an allocation and checked
        // again for each request (as a `&str` value is).
        request = request.header(ACCEPT, HeaderValue::from_static("application/json"));
        request = self.correlation.apply(request);
        if let Some((body, content_type)) = body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
                .body(self.inner.transport.body(body.clone()));
        }
        request
    }
}

/// `request` with `Authorization: Bearer {token}`, marked sensitive (reqwest's `bearer_auth`):
/// a sensitive header value shows as `Sensitive` in the `Debug` of the request, its headers
/// and the value (a request or header map that a caller, a middleware or a panic logs), and
/// HTTP/2's HPACK never puts it in its compression table. Written by hand with `header` and a
/// value not marked sensitive, the token showed in full in the `Debug` of every request.
///
/// The header value is the token's own ([`Secret::bearer`]), built once and shared by each
/// request; a token that cannot be a header value goes through `bearer_auth`, whose builder
/// error the request reports.
#[inline]
fn with_bearer(request: reqwest::RequestBuilder, token: &Secret) -> reqwest::RequestBuilder {
    match token.bearer() {
        Some(value) => request.header(AUTHORIZATION, value.clone()),
        None => request.bearer_auth(token.expose()),
    }
}
