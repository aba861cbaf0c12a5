//! A request whose body was not read whole: `Connection: close` on its answer, and the answer
//! to a user's request whose body could not be read.

use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::Response;

use super::super::state::Shared;
use crate::pingone::ErrorDetail;

/// `response`, with `Connection: close` (RFC 9112 §9.6) when the request's body was not read
/// whole (`read` false: past axum's 2 MiB limit, or cut short).
///
/// Every handler reads the request's body, even where no answer depends on it (a `POST` to
/// the list, a `GET` with a body, an unknown path): hyper keeps a connection open only once
/// the body is read, and closed it after such an answer without saying so, so that a client
/// that reuses connections (Python's `http.client`, a pool) failed on its next request with
/// a broken pipe, and one still sending a larger body never read the answer at all. A body
/// that cannot be read whole still ends the connection, and the answer now says so, as
/// RFC 9112 §9.6 asks of a server that closes it.
pub(in crate::pingone::emulator) fn close_unless_read(
    read: bool,
    mut response: Response,
) -> Response {
    if !read {
        response.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
    }
    response
}

/// A body that could not be read (longer than axum's body limit, 2 MiB, or cut short): its
/// status (413 for one too large) with a PingOne error body, `INVALID_REQUEST`, and for one
/// too large a `SIZE_LIMIT_EXCEEDED` detail; with `Connection: close`, since the rest of the
/// body is not read ([`close_unless_read`]).
pub(super) fn unreadable_body(shared: &Shared, rejection: &BytesRejection) -> Response {
    let status = rejection.status();
    let details = if status == StatusCode::PAYLOAD_TOO_LARGE {
        vec![ErrorDetail::new(
            "SIZE_LIMIT_EXCEEDED",
            None,
            "The request body is too large.",
        )]
    } else {
        Vec::new()
    };
    let response = shared.error(
        status,
        "INVALID_REQUEST",
        &format!(
            "The request could not be completed. The request body could not be read: {}",
            rejection.body_text()
        ),
        details,
    );
    close_unless_read(false, response)
}
