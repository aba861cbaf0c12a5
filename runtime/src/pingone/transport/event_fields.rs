//! What a retry's `tracing` event says of the attempt it retries: the answer's
//! `Correlation-Id` without the request's secrets, and the failure of an attempt without a
//! status.

use super::super::secret::Secret;
use super::body::kept_correlation_id_without;

/// The `Correlation-Id` of an answer (`raw`) as a `tracing` event shows it: without the
/// request's `credentials` (a token request's client secret) and bearer `token`, which a proxy
/// that copies the request's headers there echoes.
pub(super) fn correlation_id_for_event(
    raw: Option<&str>,
    credentials: Option<&(dyn Fn(&str) -> String + Sync)>,
    token: Option<&Secret>,
) -> Option<String> {
    kept_correlation_id_without(raw?, token, |text| {
        credentials.map_or_else(|| text.to_owned(), |take| take(text))
    })
}

/// What failed an attempt that had no status to show, for its retry's `tracing` event: the
/// HTTP client's error with its causes (`client error (Connect): tcp connect error:
/// Connection refused`, `operation timed out`), without the URL, which may name a user in its
/// query and which the call's span gives as a template.
pub(super) fn attempt_failure(error: reqwest::Error) -> String {
    super::super::error::error_chain(&error.without_url())
}
