//! The emulator's error answers: PingOne error bodies ([`ApiError`]) with fresh log keys.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::pingone::{ApiError, ErrorDetail};

/// PingOne's top-level `message` of a 400 `INVALID_DATA`, whatever its details hold: the
/// example of "Error codes"
/// (<https://developer.pingidentity.com/pingone-api/platform/reference/error-codes.html>), and
/// the text PingOne's real answers carry. What was wrong is in the details, each with its own
/// `message` and `target`.
pub(super) const INVALID_DATA_MESSAGE: &str =
    "The request could not be completed. One or more validation errors were in the request.";

/// Writes PingOne error answers, each with its own log key (`id`).
#[derive(Default)]
pub(super) struct ErrorWriter {
    issued: AtomicU64,
}

impl ErrorWriter {
    /// A PingOne error answer: `status`, and a body with a fresh log key, `code`, `message`
    /// and `details`.
    pub(super) fn answer(
        &self,
        status: StatusCode,
        code: &str,
        message: &str,
        details: Vec<ErrorDetail>,
    ) -> Response {
        let number = self.issued.fetch_add(1, Ordering::Relaxed) + 1;
        // A log key, as PingOne's are UUIDs; its `e1111111` start tells it from a user's ID.
        let id = format!("e1111111-0000-4000-8000-{number:012x}");
        let body = ApiError::new(id, code, message).with_details(details);
        json_response(status, &body)
    }
}

/// `status` with `body` as `application/json`.
pub(super) fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => (status, [(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
