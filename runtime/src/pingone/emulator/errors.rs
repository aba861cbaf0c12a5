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

    /// The users endpoints' refusal of a request's token: 401 `ACCESS_FAILED` with an
    /// `INVALID_TOKEN` detail (the reference's "401 | ACCESS_FAILED | INVALID_TOKEN"), and the
    /// `WWW-Authenticate` challenge that RFC 9110 §15.5.2 requires of every 401 and RFC 6750
    /// §3 of a resource server: `Bearer realm="PingOne"`, plus `error="invalid_token"` when
    /// the request carried a bearer token (`presented`, RFC 6750 §3.1). *Unverified*:
    /// PingOne's own challenge is not in its public pages; its error body is.
    ///
    /// One function for the emulator's own refusal and an injected 401
    /// ([`Fault::Status(401)`](super::Fault::Status)), which plays the refusal of a token that
    /// has ended: before, the injected one had neither the challenge nor the detail, so a
    /// script that reads either to tell an ended token from another 401 saw two answers.
    pub(super) fn invalid_token(&self, presented: bool) -> Response {
        let mut refused = self.answer(
            StatusCode::UNAUTHORIZED,
            "ACCESS_FAILED",
            "The request could not be completed. You do not have access to this resource.",
            vec![ErrorDetail::new(
                "INVALID_TOKEN",
                None,
                "The access token is missing, expired or invalid.",
            )],
        );
        let challenge = if presented {
            INVALID_TOKEN_CHALLENGE
        } else {
            r#"Bearer realm="PingOne""#
        };
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static(challenge),
        );
        refused
    }
}

/// The `WWW-Authenticate` challenge of a 401 to a request that carried a bearer token the
/// users endpoints do not accept (RFC 6750 §3.1).
pub(super) const INVALID_TOKEN_CHALLENGE: &str = r#"Bearer realm="PingOne", error="invalid_token""#;

/// `status` with `body` as `application/json`.
pub(super) fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => (status, [(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
