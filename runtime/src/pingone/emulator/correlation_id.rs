//! The `Correlation-Id` header of every answer of the users API.
//!
//! Source: PingOne Platform APIs, "API responses"
//! (<https://developer.pingidentity.com/pingone-api/foundations/conventions/pingone-api-responses.html>):
//! "The following HTTP Headers are returned by every operation: … `Correlation-Id`". Its value
//! is not described there; the emulator gives each answer its own UUID-shaped one, as the
//! `correlationId` of PingOne's audit records is (the same documentation's "External
//! transaction and session IDs"), so that a client that logs it beside an error finds one to
//! log. *Unverified*: whether PingOne's authentication host (the token endpoint) sends it;
//! the emulator's token endpoint does not.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::Response;

/// The header's name, as PingOne's page writes it (header names compare in any case).
const CORRELATION_ID: &str = "correlation-id";

/// Issues the correlation IDs of one emulator, each once.
#[derive(Default)]
pub(super) struct CorrelationIds {
    issued: AtomicU64,
}

impl CorrelationIds {
    /// A fresh ID, shaped as a UUID; its `c1111111` start tells it from an error's log key
    /// (`e1111111…`) and from a user's ID.
    fn next(&self) -> HeaderValue {
        let number = self.issued.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&format!("c1111111-0000-4000-8000-{number:012x}"))
            .unwrap_or_else(|_| HeaderValue::from_static("c1111111-0000-4000-8000-000000000000"))
    }
}

/// Adds a fresh `Correlation-Id` to `response` (a middleware for
/// `axum::middleware::map_response_with_state`), over any that a handler set.
pub(super) async fn add_correlation_id(
    State(ids): State<Arc<CorrelationIds>>,
    mut response: Response,
) -> Response {
    response.headers_mut().insert(CORRELATION_ID, ids.next());
    response
}
