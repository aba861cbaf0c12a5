//! A user's endpoint, `/v1/environments/{environmentID}/users/{userID}`: `GET` and `HEAD`
//! read the user, `PATCH` changes it; another method gets 405.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::Value;

use super::super::errors::json_response;
use super::super::parsing::path_segment;
use super::super::state::Shared;
use super::fault_path::{logged, through_faults};
use super::not_served::{method_not_allowed, not_found_answer};
use super::token_check::refuse_token;
use super::unread_body::unreadable_body;
use super::user_patch::{dialect, patched_user};
use crate::SCIM_PATCH_CONTENT_TYPE;

/// The methods a user answers (`HEAD` as `GET`, without the body).
const USER_METHODS: &str = "GET, HEAD, PATCH";

/// `/v1/environments/{environmentID}/users/{userID}`: records the request, applies the next
/// queued fault ([`through_faults`]), and serves it.
pub(in crate::pingone::emulator) async fn users(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    // `/v1/environments/{environmentID}/users/{userID}`: read so that any bytes are an
    // identifier (which then names nothing), never axum's plain-text rejection.
    let (environment, user_id) = (path_segment(uri.path(), 3), path_segment(uri.path(), 5));
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            // Recorded without its body, which was not read; answered as PingOne errors are
            // (axum's own answer is plain text that a client reading PingOne errors cannot
            // parse).
            let entry = shared.record(&method, &uri, &headers, &[]);
            return logged(&shared, entry, None, unreadable_body(&shared, &rejection));
        }
    };
    let entry = shared.record(&method, &uri, &headers, &body);
    through_faults(&shared, &method, &headers, entry, || {
        serve(
            &shared,
            &method,
            (&environment, &user_id),
            &headers,
            uri.query(),
            &body,
        )
    })
    .await
}

/// The users endpoint without faults.
fn serve(
    shared: &Shared,
    method: &Method,
    (environment, user_id): (&str, &str),
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Response {
    if let Some(refused) = refuse_token(shared, headers, query) {
        return refused;
    }
    if !environment.eq_ignore_ascii_case(&shared.environment_id) {
        return not_found_answer(shared);
    }
    let user_id = &user_id.to_ascii_lowercase();
    if *method == Method::GET || *method == Method::HEAD {
        let user = shared.lock().users.get(user_id).cloned();
        return match user {
            Some(user) => json_response(
                StatusCode::OK,
                &shared.render(&shared.links_base(headers), user_id, &user),
            ),
            None => not_found_answer(shared),
        };
    }
    if *method != Method::PATCH {
        return method_not_allowed(shared, USER_METHODS);
    }
    let current = shared.lock().users.get(user_id).cloned();
    let Some(current) = current else {
        return not_found_answer(shared);
    };
    // A singleton field (RFC 9110 §8.3) that chooses the body's meaning: two are refused,
    // not read as the first says (a server that read the other would apply the body otherwise).
    if headers
        .get_all(header::CONTENT_TYPE)
        .iter()
        .nth(1)
        .is_some()
    {
        return shared.error(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "The request could not be completed. It carries more than one Content-Type header.",
            Vec::new(),
        );
    }
    let Some(dialect) = dialect(headers) else {
        return shared.error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "INVALID_REQUEST",
            &format!(
                "The request could not be completed. Content-Type must be application/json \
                 or {SCIM_PATCH_CONTENT_TYPE}."
            ),
            Vec::new(),
        );
    };
    let body = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(body)) => body,
        other => {
            let why = match other {
                _ if body.iter().all(u8::is_ascii_whitespace) => "it is empty".to_owned(),
                Err(error) => format!("it is not valid JSON ({error})"),
                Ok(Value::Array(_)) => "it is an array".to_owned(),
                Ok(Value::Null) => "it is null".to_owned(),
                Ok(Value::String(_)) => "it is a string".to_owned(),
                Ok(Value::Number(_)) => "it is a number".to_owned(),
                Ok(_) => "it is a boolean".to_owned(),
            };
            return shared.error(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                &format!(
                    "The request could not be completed. The request body must be a JSON \
                     object, but {why}."
                ),
                Vec::new(),
            );
        }
    };
    // The user is read, patched and stored as one step, as PingOne applies a PATCH: when
    // another request changed or removed it meanwhile (`remove_user`, `insert_user`, a PATCH
    // beside this one), the patch is applied again to what is stored now, or answered 404.
    // Read and stored under two locks, a PATCH in flight brought a removed user back.
    let mut current = current;
    loop {
        let user = match patched_user(shared, user_id, &current, dialect, body.clone()) {
            Ok(user) => user,
            Err(refused) => return *refused,
        };
        let rendered = shared.render(&shared.links_base(headers), user_id, &user);
        let mut state = shared.lock();
        match state.users.get(user_id) {
            None => {
                drop(state);
                return not_found_answer(shared);
            }
            Some(stored) if *stored != current => {
                current = stored.clone();
            }
            Some(_) => {
                state.put_user(user_id.to_owned(), user);
                return json_response(StatusCode::OK, &rendered);
            }
        }
    }
}
