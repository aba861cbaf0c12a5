//! A PATCH's body applied to the stored user, as its `Content-Type` reads it (a merge patch
//! or SCIM operations), under PingOne's rules; or the answer that refuses it.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value};

use super::super::errors::INVALID_DATA_MESSAGE;
use super::super::state::Shared;
use super::super::{clock, scim, validation};
use crate::SCIM_PATCH_CONTENT_TYPE;
use crate::pingone::{ErrorDetail, rules};

/// `current` with `body` applied as `dialect` reads it, as it would be stored (with its new
/// `updatedAt`), or the refusal to answer.
pub(super) fn patched_user(
    shared: &Shared,
    user_id: &str,
    current: &Map<String, Value>,
    dialect: Dialect,
    body: Map<String, Value>,
) -> Result<Map<String, Value>, Box<Response>> {
    let patch = match dialect {
        Dialect::MergePatch => {
            if let Some(refused) = refuse_forbidden(shared, validation::touched_paths(&body)) {
                return Err(Box::new(refused));
            }
            body
        }
        Dialect::Scim => scim_merge_patch(shared, current, body)?,
    };
    let accepted = validation::writable(patch, current, shared.custom_attributes.as_ref());
    let mut details = rules::check_patch(&accepted, Some(current));
    let holder = shared
        .lock()
        .username_taken(user_id, &accepted)
        .map(|holder| holder.to_string());
    if let Some(holder) = holder {
        details.push(ErrorDetail::new(
            "UNIQUENESS_VIOLATION",
            Some("username"),
            format!("username must be unique: another user ({holder}) holds it."),
        ));
    }
    if !details.is_empty() {
        return Err(Box::new(invalid_data(shared, details)));
    }
    let mut user = Value::Object(current.clone());
    crate::merge_patch(&mut user, Value::Object(accepted));
    let Value::Object(mut user) = user else {
        unreachable!("merging an object patch into an object gives an object")
    };
    // Measured as stored, with its new `updatedAt`: measured before it, a user of 16,384
    // bytes whose `updatedAt` was shorter was stored past the limit, and then refused every
    // PATCH, `{}` included.
    let previous = user.get("updatedAt").and_then(Value::as_str).unwrap_or("");
    let updated_at = clock::next_updated_at(previous);
    user.insert("updatedAt".into(), Value::String(updated_at));
    let size = serde_json::to_vec(&user).map_or(0, |json| json.len());
    if let Some(detail) = rules::check_size(size) {
        return Err(Box::new(invalid_data(shared, vec![detail])));
    }
    Ok(user)
}

/// The two bodies a PATCH of a user takes, told apart by `Content-Type`.
#[derive(Clone, Copy)]
pub(super) enum Dialect {
    /// `application/json`: a JSON merge patch (RFC 7396).
    MergePatch,
    /// [`SCIM_PATCH_CONTENT_TYPE`]: SCIM operations (RFC 7644 §3.5.2).
    Scim,
}

/// The dialect of a PATCH's `Content-Type` (its media type in any case, parameters ignored),
/// or `None` for another type or none.
pub(super) fn dialect(headers: &HeaderMap) -> Option<Dialect> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let media_type = crate::patch_dialect::media_type_essence(content_type);
    if media_type.eq_ignore_ascii_case("application/json") {
        Some(Dialect::MergePatch)
    } else if media_type.eq_ignore_ascii_case(SCIM_PATCH_CONTENT_TYPE) {
        Some(Dialect::Scim)
    } else {
        None
    }
}

/// 403 `ACCESS_FAILED` when a `touched` path is one the token may not update.
fn refuse_forbidden(shared: &Shared, touched: Vec<String>) -> Option<Response> {
    let forbidden = validation::forbidden(touched, &shared.forbidden);
    (!forbidden.is_empty()).then(|| {
        shared.error(
            StatusCode::FORBIDDEN,
            "ACCESS_FAILED",
            "The request could not be completed. You do not have access to this resource.",
            forbidden,
        )
    })
}

/// 400 `INVALID_DATA` with `details`, under PingOne's one top-level message for it
/// ([`INVALID_DATA_MESSAGE`]). Before, the message was `Validation Error : ` and the details'
/// messages joined, a text PingOne does not send.
fn invalid_data(shared: &Shared, details: Vec<ErrorDetail>) -> Response {
    shared.error(
        StatusCode::BAD_REQUEST,
        "INVALID_DATA",
        INVALID_DATA_MESSAGE,
        details,
    )
}

/// The JSON merge patch from `current` to the user that the SCIM PatchOp message `body`
/// makes of it, applied to a copy (all or nothing); or the answer that refuses the message:
/// 400 `INVALID_DATA` for a body that is not a PatchOp message or an operation that fails,
/// 403 for an attribute the token may not update.
fn scim_merge_patch(
    shared: &Shared,
    current: &Map<String, Value>,
    body: Map<String, Value>,
) -> Result<Map<String, Value>, Box<Response>> {
    let refuse = |invalid: scim::Invalid| Box::new(invalid_data(shared, vec![invalid.detail()]));
    let operations = scim::read_message(body).map_err(refuse)?;
    if let Some(refused) = refuse_forbidden(shared, scim::touched_paths(&operations)) {
        return Err(Box::new(refused));
    }
    let current = Value::Object(current.clone());
    let mut user = current.clone();
    if let Value::Object(user) = &mut user {
        scim::apply(user, &operations).map_err(refuse)?;
    }
    match crate::merge_diff(&current, &user) {
        Value::Object(patch) => Ok(patch),
        _ => unreachable!("the diff of two objects is an object"),
    }
}
