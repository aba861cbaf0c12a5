//! The answers to what no endpoint serves: another path (404 `NOT_FOUND`) and another method
//! (405 with `Allow`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;

use super::super::state::Shared;
use super::token_check::refuse_token;
use super::unread_body::close_unless_read;

/// The methods the token endpoint answers.
const TOKEN_METHODS: &str = "POST";

/// Any other path: 404 `NOT_FOUND`, once the token is checked as on the users endpoints
/// ([`refuse_token`]: a request without a valid token gets 401, so that it learns nothing of
/// which paths exist). The body, which no answer here depends on, is read all the same: see
/// [`close_unless_read`].
pub(in crate::pingone::emulator) async fn not_found(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let response =
        refuse_token(&shared, &headers, uri.query()).unwrap_or_else(|| not_found_answer(&shared));
    close_unless_read(body.is_ok(), response)
}

/// 404 `NOT_FOUND`, as a PingOne error body: an unknown path, environment or user.
pub(super) fn not_found_answer(shared: &Shared) -> Response {
    shared.error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The requested resource was not found.",
        Vec::new(),
    )
}

/// 405 `INVALID_REQUEST`, as a PingOne error body, with the `Allow` header that RFC 9110
/// §15.5.6 requires of a 405: `allow` lists the methods the resource serves.
pub(super) fn method_not_allowed(shared: &Shared, allow: &'static str) -> Response {
    let mut response = shared.error(
        StatusCode::METHOD_NOT_ALLOWED,
        "INVALID_REQUEST",
        &format!("The request could not be completed. The emulator serves {allow} here only."),
        Vec::new(),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static(allow));
    response
}

/// Another method on the token endpoint: 405 with `Allow` and a PingOne error body; the
/// body is read as [`close_unless_read`] says.
pub(in crate::pingone::emulator) async fn token_method_not_allowed(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    close_unless_read(body.is_ok(), method_not_allowed(&shared, TOKEN_METHODS))
}
