//! The user list, `GET /v1/environments/{environmentID}/users` (its pages are `listing`'s).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

use super::super::listing;
use super::super::parsing::path_segment;
use super::super::state::Shared;
use super::fault_path::through_faults;
use super::not_served::{method_not_allowed, not_found_answer};
use super::token_check::refuse_token;
use super::unread_body::close_unless_read;

/// The methods the user list answers.
const LIST_METHODS: &str = "GET, HEAD";

/// `GET /v1/environments/{environmentID}/users?filter=...&limit=...&cursor=...`: records the
/// request, applies the next queued fault, and answers a page of users; another method than
/// `GET` and `HEAD` gets [`list_method_not_allowed`]'s answer. A body, which a `GET` does not
/// need, is read and ignored ([`close_unless_read`]).
///
/// Routed for every method, its 405 answered here: a method router's fallback gets axum's
/// own `Allow` header on whatever it answers, the 401 of a request without a token too.
pub(in crate::pingone::emulator) async fn user_list(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let read = body.is_ok();
    if !matches!(method, Method::GET | Method::HEAD) {
        return close_unless_read(read, list_method_not_allowed(&shared, &uri, &headers));
    }
    // `/v1/environments/{environmentID}/users`, read as [`users`] reads its path.
    let environment = path_segment(uri.path(), 3);
    // As it came: `GET`, or `HEAD`, which axum routes here too.
    let entry = shared.record(&method, &uri, &headers, &[]);
    let response = through_faults(&shared, &method, &headers, entry, || {
        if let Some(refused) = refuse_token(&shared, &headers, uri.query()) {
            refused
        } else if !environment.eq_ignore_ascii_case(&shared.environment_id) {
            not_found_answer(&shared)
        } else {
            listing::page(
                &shared,
                &shared.links_base(&headers),
                uri.query().unwrap_or_default(),
            )
        }
    })
    .await;
    close_unless_read(read, response)
}

/// Another method on the user list: 405 with `Allow` and a PingOne error body (axum's own
/// 405 has no body, which a client reading PingOne errors cannot parse), once the token is
/// checked ([`refuse_token`]), as a user's 405 is; not recorded, and no fault taken.
fn list_method_not_allowed(shared: &Shared, uri: &Uri, headers: &HeaderMap) -> Response {
    refuse_token(shared, headers, uri.query())
        .unwrap_or_else(|| method_not_allowed(shared, LIST_METHODS))
}
