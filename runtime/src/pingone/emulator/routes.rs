//! The users endpoints: `GET` and `PATCH /v1/environments/{environmentID}/users/{userID}`,
//! and the list, `GET /v1/environments/{environmentID}/users` (its pages are `listing`'s): the
//! request log, faults, the rate limit and the token check.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Map, Value};

use super::errors::{INVALID_DATA_MESSAGE, json_response};
use super::faults::{self, Effect, Endpoint};
use super::parsing::{credentials, form_decode, path_segment};
use super::state::{LogEntry, Shared};
use super::{Fault, clock, listing, scim, validation};
use crate::SCIM_PATCH_CONTENT_TYPE;
use crate::pingone::{ErrorDetail, rules};

/// Any other path: 404 `NOT_FOUND`, once the token is checked as on the users endpoints
/// ([`refuse_token`]: a request without a valid token gets 401, so that it learns nothing of
/// which paths exist). The body, which no answer here depends on, is read all the same: see
/// [`close_unless_read`].
pub(super) async fn not_found(
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
fn not_found_answer(shared: &Shared) -> Response {
    shared.error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The requested resource was not found.",
        Vec::new(),
    )
}

/// `response`, with `Connection: close` (RFC 9112 §9.6) when the request's body was not read
/// whole (`read` false: past axum's 2 MB limit, or cut short).
///
/// Every handler reads the request's body, even where no answer depends on it (a `POST` to
/// the list, a `GET` with a body, an unknown path): hyper keeps a connection open only once
/// the body is read, and closed it after such an answer without saying so, so that a client
/// that reuses connections (Python's `http.client`, a pool) failed on its next request with
/// a broken pipe, and one still sending a larger body never read the answer at all. A body
/// that cannot be read whole still ends the connection, and the answer now says so, as
/// RFC 9112 §9.6 asks of a server that closes it.
pub(super) fn close_unless_read(read: bool, mut response: Response) -> Response {
    if !read {
        response.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
    }
    response
}

/// The methods a user answers (`HEAD` as `GET`, without the body).
const USER_METHODS: &str = "GET, HEAD, PATCH";
/// The methods the user list answers.
const LIST_METHODS: &str = "GET, HEAD";
/// The methods the token endpoint answers.
const TOKEN_METHODS: &str = "POST";

/// 405 `INVALID_REQUEST`, as a PingOne error body, with the `Allow` header that RFC 9110
/// §15.5.6 requires of a 405: `allow` lists the methods the resource serves.
fn method_not_allowed(shared: &Shared, allow: &'static str) -> Response {
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

/// Another method on the user list: 405 with `Allow` and a PingOne error body (axum's own
/// 405 has no body, which a client reading PingOne errors cannot parse), once the token is
/// checked ([`refuse_token`]), as a user's 405 is; not recorded, and no fault taken.
fn list_method_not_allowed(shared: &Shared, uri: &Uri, headers: &HeaderMap) -> Response {
    refuse_token(shared, headers, uri.query())
        .unwrap_or_else(|| method_not_allowed(shared, LIST_METHODS))
}

/// Another method on the token endpoint: 405 with `Allow` and a PingOne error body; the
/// body is read as [`close_unless_read`] says.
pub(super) async fn token_method_not_allowed(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    close_unless_read(body.is_ok(), method_not_allowed(&shared, TOKEN_METHODS))
}

/// `/v1/environments/{environmentID}/users/{userID}`: records the request, applies the next
/// queued fault, and serves it.
pub(super) async fn users(
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

/// The answer to a request with `method` and `headers` to a users endpoint, recorded as
/// `entry`: the rate limit's 429 when it is over the limit; else the answer of the next
/// queued fault ([`Shared::take_fault`]) where the fault answers in the endpoint's place;
/// else `serve`'s, shaped as the fault says ([`faults::shape`]: a body cut short), after its
/// wait ([`Fault::Slow`]). The status the client reads and the fault taken are written in
/// `entry` before the answer leaves ([`logged`]).
async fn through_faults(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    entry: LogEntry,
    serve: impl FnOnce() -> Response,
) -> Response {
    if let Some(limited) = faults::over_rate_limit(shared.rate_limit.as_ref(), &shared.errors) {
        return logged(shared, entry, None, limited);
    }
    let fault = shared.take_fault(method, headers, &entry);
    let effect = faults::effect(
        &shared.errors,
        fault.clone(),
        Endpoint::Users,
        shared.fault_retry_after,
    )
    .await
    .on(method);
    if let Effect::Answer(response) = effect {
        return logged(shared, entry, fault, response);
    }
    let response = serve();
    shared.log_answer(entry, effect.status_read(&response), fault);
    faults::shape(effect, response).await
}

/// `response`, once its status and `fault` (the fault the request took, if any) are written
/// in the request's log `entry` ([`RecordedRequest::status`](super::RecordedRequest::status)).
/// Written before the answer leaves, so that a test that reads
/// [`Emulator::requests`](super::Emulator::requests) once its call returned finds it.
fn logged(shared: &Shared, entry: LogEntry, fault: Option<Fault>, response: Response) -> Response {
    shared.log_answer(entry, Some(response.status()), fault);
    response
}

/// A body that could not be read (longer than axum's body limit, 2 MB, or cut short): its
/// status (413 for one too large) with a PingOne error body, `INVALID_REQUEST`, and for one
/// too large a `SIZE_LIMIT_EXCEEDED` detail; with `Connection: close`, since the rest of the
/// body is not read ([`close_unless_read`]).
fn unreadable_body(shared: &Shared, rejection: &BytesRejection) -> Response {
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

/// `GET /v1/environments/{environmentID}/users?filter=...&limit=...&cursor=...`: records the
/// request, applies the next queued fault, and answers a page of users; another method than
/// `GET` and `HEAD` gets [`list_method_not_allowed`]'s answer. A body, which a `GET` does not
/// need, is read and ignored ([`close_unless_read`]).
///
/// Routed for every method, its 405 answered here: a method router's fallback gets axum's
/// own `Allow` header on whatever it answers, the 401 of a request without a token too.
pub(super) async fn user_list(
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

/// 401 `ACCESS_FAILED` unless the request carries the emulator's bearer token, or a token that
/// its token endpoint issued and that is still accepted (see
/// [`EmulatorBuilder::token_lifetime`](super::EmulatorBuilder::token_lifetime)), with its
/// `WWW-Authenticate` challenge (`ErrorWriter::invalid_token`).
///
/// A request with more than one `Authorization` header is 400 `INVALID_REQUEST` with
/// `error="invalid_request"`, whatever they hold: the field is not a list (RFC 9110 §5.3), and
/// RFC 6750 §3.1 answers a request that carries its token more than once 400. Before, the
/// first was read, so a client that sent two passed here and not behind a server that refuses
/// them. *Unverified*: PingOne's own answer to it.
///
/// So is a request with `access_token` in its URL's query, beside the header or alone
/// (RFC 6750 §2.3's method, which it advises against: a URL lands in logs and proxies; §2: a
/// client MUST NOT use more than one method): before, the query was ignored, so a client that
/// put its token in URLs passed here. The answer does not quote the query. *Unverified*:
/// whether PingOne reads the query at all.
fn refuse_token(shared: &Shared, headers: &HeaderMap, query: Option<&str>) -> Option<Response> {
    let in_url = query.unwrap_or_default().split('&').any(|pair| {
        form_decode(pair.split_once('=').map_or(pair, |(name, _)| name)) == "access_token"
    });
    let twice = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .nth(1)
        .is_some();
    if twice || in_url {
        let message = if in_url {
            "The request could not be completed. The access token goes in the Authorization \
             header (Bearer), not in the URL."
        } else {
            "The request could not be completed. It carries more than one Authorization header."
        };
        let mut refused = shared.error(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            message,
            Vec::new(),
        );
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static(r#"Bearer realm="PingOne", error="invalid_request""#),
        );
        return Some(refused);
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| credentials(v, "Bearer"))
        .filter(|token| !token.is_empty());
    if presented.is_some_and(|token| token == shared.token || shared.issued_tokens.accepts(token)) {
        return None;
    }
    Some(shared.errors.invalid_token(presented.is_some()))
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

/// `current` with `body` applied as `dialect` reads it, as it would be stored (with its new
/// `updatedAt`), or the refusal to answer.
fn patched_user(
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
enum Dialect {
    /// `application/json`: a JSON merge patch (RFC 7396).
    MergePatch,
    /// [`SCIM_PATCH_CONTENT_TYPE`]: SCIM operations (RFC 7644 §3.5.2).
    Scim,
}

/// The dialect of a PATCH's `Content-Type` (its media type in any case, parameters ignored),
/// or `None` for another type or none.
fn dialect(headers: &HeaderMap) -> Option<Dialect> {
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
