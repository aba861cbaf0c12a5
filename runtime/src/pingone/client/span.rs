//! What a call's `tracing` span records: the answer decoded in it, PingOne's error IDs, and
//! the event that ends a failed call.

use serde::de::DeserializeOwned;

use super::super::Error;
use super::super::error_body::event_text;
use super::super::transport::Answer;

/// Decodes the answer of a call in its span, and records PingOne's error id on the span
/// when the answer is an error. Decoded after the request's future, not inside it: the decoded
/// value is not moved out through that future and the span's wrapper (a copy of the whole
/// model each).
#[inline]
pub(super) fn decode_in<M: DeserializeOwned>(
    span: &tracing::Span,
    answer: Answer,
) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode());
    record_error_id(span, &result);
    result
}

/// Records on a call's span PingOne's error id and correlation ID of a failed decoding, when
/// the answer was an error body.
#[inline]
fn record_error_id<M>(span: &tracing::Span, result: &Result<M, Error>) {
    if let Err(error) = result {
        record_error_ids(span, error);
    }
}

/// Records on a call's span what PingOne's error body and answer name it by: its `error_id`
/// (the body's `id`) and its `correlation_id` (the `Correlation-Id` header), which PingOne's
/// support asks for.
fn record_error_ids(span: &tracing::Span, error: &Error) {
    if let Some(body) = error.api_error() {
        if let Some(id) = body.id.as_deref() {
            span.record("error_id", event_text(id));
        }
        if let Some(id) = body.correlation_id.as_deref() {
            span.record("correlation_id", id);
        }
    }
}

/// [`decode_in`] for the answer to a request about the user `user_id`: a 2xx whose body is
/// another user's document (its `id` is not `user_id`), or has no `id` string, is [`Error::Decode`]
/// ([`Answer::decode_user`]).
#[inline]
pub(super) fn decode_user_in<M: DeserializeOwned>(
    span: &tracing::Span,
    answer: Answer,
    user_id: &str,
) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode_user(user_id));
    record_error_id(span, &result);
    result
}

/// [`decode_user_in`] for the answer to a request that changes the user `user_id` (a merge or
/// SCIM PATCH): a 202 Accepted is [`Error::Decode`] too, the change not known to be made
/// (RFC 9110 §15.3.3; [`Answer::decode_changed_user`]).
#[inline]
pub(super) fn decode_changed_user_in<M: DeserializeOwned>(
    span: &tracing::Span,
    answer: Answer,
    user_id: &str,
) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode_changed_user(user_id));
    record_error_id(span, &result);
    result
}

/// `result`, the end of the call whose `span` it is, after its failure's event
/// ([`trace_failed_call`]) when it is an error.
#[inline]
pub(super) fn ended_in<T>(span: &tracing::Span, result: Result<T, Error>) -> Result<T, Error> {
    if let Err(error) = &result {
        trace_failed_call(span, error);
    }
    result
}

/// The event that ends a call that failed, `pingone: the call failed`, in its `span`: the
/// outcome was on the span alone (shown only with its close), so a log of events showed the
/// retries of a call and never whether it failed in the end. With the span's field names:
/// `status` (the HTTP status, if an answer came), `attempts`, `error_id` and `correlation_id`
/// (PingOne's names for the answer, which its support asks for), the error `code` (PingOne's,
/// or the token endpoint's OAuth `error`), and `error`, the error's kind
/// ([`Error::kind`]: `api`, `timeout`, `token`...). Not its text: PingOne's message may quote
/// the user's values (`"ada@" is not an email`), and a transport error's holds the URL.
///
/// WARN for a failure of the server or of the way to it (a 5xx, a 429 or 408 still answered
/// when the retries ran out, a timeout, a connection that failed, an answer that was not
/// PingOne's), and for a 401 (the worker's tokens are refused even fresh: wrong credentials,
/// region or environment, which every later call meets too) or a token request that failed.
/// INFO for any other 4xx refusal (400, 403, 404, 409...): PingOne's definite answer to this
/// one request (a value it refuses, a user that is not there), which the caller gets as the
/// error and handles; at WARN, every lookup of a user that is gone, or a sync job's every
/// refused line (which has its own WARN event), would read as a fault of the service.
pub(super) fn trace_failed_call(span: &tracing::Span, error: &Error) {
    // The server's texts, escaped and cut ([`event_text`]).
    let code = match error {
        Error::Token { code, .. } => Some(code.as_str()),
        _ => error.code(),
    }
    .map(event_text);
    let error_id = error
        .api_error()
        .and_then(|body| body.id.as_deref())
        .map(event_text);
    // One list of fields for both levels: `tracing`'s level is part of each callsite.
    macro_rules! failed {
        ($level:ident) => {
            tracing::$level!(
                status = error.status(),
                attempts = error.attempts(),
                error = error.kind(),
                code,
                error_id,
                correlation_id = error.correlation_id(),
                "pingone: the call failed"
            )
        };
    }
    let refusal = matches!(error, Error::Api { status, .. } if (400..500).contains(status)
        && *status != 401)
        && !error.is_retryable();
    span.in_scope(|| {
        if refusal {
            failed!(info);
        } else {
            failed!(warn);
        }
    });
}

/// Records on a call's span (or a token fetch's) what an error that ended it says: the
/// status, the attempts and PingOne's error id and correlation ID, as far as known.
pub(crate) fn record_error(span: &tracing::Span, error: &Error) {
    if let Some(status) = error.status() {
        span.record("status", status);
    }
    if let Some(attempts) = error.attempts() {
        span.record("attempts", attempts);
    }
    record_error_ids(span, error);
}
