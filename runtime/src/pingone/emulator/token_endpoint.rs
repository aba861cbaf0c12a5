//! The token endpoint, `POST /{environmentID}/as/token`, for a worker application's client
//! credentials (OAuth 2.0, RFC 6749 §4.4).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::faults::{self, Effect, Endpoint};
use super::parsing::{credentials, form_decode, path_segment, scheme};
use super::state::Shared;
use crate::pingone::ClientAuthMethod;

/// `POST /{environmentID}/as/token` with `grant_type=client_credentials`, the client
/// authenticated by HTTP Basic (`CLIENT_SECRET_BASIC`) or by form fields (`CLIENT_SECRET_POST`),
/// as a worker application gets a token (OAuth 2.0, RFC 6749 §4.4). Answers the emulator's
/// bearer token (or a new token of its own, with
/// [`EmulatorBuilder::token_lifetime`](super::EmulatorBuilder::token_lifetime)), or an OAuth
/// error body: 400 or 401 for the request (400 `invalid_request` for a body that is not
/// `application/x-www-form-urlencoded` by its `Content-Type`, one without `grant_type`, one
/// that repeats a parameter (RFC 6749 §3.2; a parameter without a value is as if omitted), one
/// with more than one `Authorization` header, a client that authenticated both ways,
/// RFC 6749 §2.3, or one with `grant_type`, `client_id` or `client_secret` in its URL's query
/// (RFC 6749 §2.3.1: credentials MUST NOT be in the request URI); `unsupported_grant_type` for another grant type), 404 for
/// an unknown
/// environment, 413 for a body past axum's limit; every answer with
/// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1, §5.2), and a 401 to a
/// client that authenticated with the `Authorization` header with `WWW-Authenticate` naming
/// the scheme that client used, as it wrote it (`Bearer realm="PingOne"` to
/// `Authorization: Bearer …`; `Basic` when the header holds no valid scheme, or one word that
/// is no registered scheme, which may be the secret itself and is never sent back) (RFC 6749
/// §5.2).
/// A client that sent its credentials in the form gets no `WWW-Authenticate`. A worker held to
/// one method ([`EmulatorBuilder::worker_auth_method`](super::EmulatorBuilder::worker_auth_method))
/// gets 401 `invalid_client`, "Unsupported authentication method", for the other one, as
/// PingOne answers an application authenticating otherwise than its `tokenEndpointAuthMethod`.
///
/// A fault queued with [`Emulator::inject_token_fault`](super::Emulator::inject_token_fault)
/// comes first: its answer instead of the endpoint's, or the endpoint's answer slowed, cut
/// short or cut off.
pub(super) async fn issue_token(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    shared
        .token_requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let effect = faults::effect(
        &shared.errors,
        shared.take_token_fault(),
        Endpoint::Token,
        shared.fault_retry_after,
    )
    .await;
    if let Effect::Answer(response) = effect {
        return response;
    }
    let response = token_answer(&shared, &uri, &headers, body);
    faults::shape(effect, response).await
}

/// The token endpoint's answer to one request, without faults (see [`issue_token`]).
fn token_answer(
    shared: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let no_store = || {
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ]
    };
    let oauth_error = |status: StatusCode, error: &str, description: &str| {
        (
            status,
            no_store(),
            axum::Json(json!({ "error": error, "error_description": description })),
        )
            .into_response()
    };
    // 401 `invalid_client` with `description`, and, to a client that authenticated with the
    // `Authorization` header, a `WWW-Authenticate` challenge naming the scheme it used (RFC
    // 6749 §5.2; one that is not a scheme at all gets the scheme this endpoint takes).
    let invalid_client = |description: &str| {
        let mut answer = oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description);
        if let Some(authorization) = headers.get(header::AUTHORIZATION) {
            let used = authorization
                .to_str()
                .ok()
                .and_then(scheme)
                .unwrap_or("Basic");
            let challenge = header::HeaderValue::from_str(&format!("{used} realm=\"PingOne\""))
                .unwrap_or_else(|_| header::HeaderValue::from_static("Basic realm=\"PingOne\""));
            answer
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        answer
    };
    // `/{environmentID}/as/token`: an environment that is not UTF-8 once decoded is unknown,
    // not axum's plain-text rejection.
    let environment = path_segment(uri.path(), 1);
    let body = match body {
        Ok(body) => body,
        // Too large (axum's limit, 2 MiB) or cut short: an OAuth error, as every answer here.
        // With `Connection: close`: the rest of the body is not read.
        Err(rejection) => {
            return super::routes::close_unless_read(
                false,
                oauth_error(
                    rejection.status(),
                    "invalid_request",
                    &rejection.body_text(),
                ),
            );
        }
    };
    if !environment.eq_ignore_ascii_case(&shared.environment_id) {
        return oauth_error(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "Unknown environment.",
        );
    }
    // RFC 6749 §4.4.2 and Appendix B: the parameters come as
    // `application/x-www-form-urlencoded`. A body of the right text under another type, or
    // none (a client that writes the form by hand and forgets the header), is not read: a
    // client so written passed against the emulator and not against a server that reads the
    // type. *Unverified*: PingOne's own answer to it (400 `invalid_request` is RFC 6749 §5.2's
    // for a malformed request).
    // RFC 6749 §2.3.1: the client's credentials "MUST NOT be included in the request URI"
    // (a URL lands in access logs and proxies), and §3.2: the parameters come in the body.
    // Before, the query was ignored, so a client that put its secret in the URL beside the
    // form passed here. The answer does not quote the query.
    let in_url = uri.query().unwrap_or_default().split('&').find_map(|pair| {
        let name = form_decode(pair.split_once('=').map_or(pair, |(name, _)| name));
        ["grant_type", "client_id", "client_secret"]
            .into_iter()
            .find(|oauth| *oauth == name)
    });
    if let Some(name) = in_url {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!(
                "The parameter {name} is in the URL: the token request's parameters go in the \
                 application/x-www-form-urlencoded body (RFC 6749 §2.3.1, §3.2)."
            ),
        );
    }
    if !is_form(headers) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request body must be application/x-www-form-urlencoded (one Content-Type header).",
        );
    }
    let form = match read_form(&body) {
        Ok(form) => form,
        Err(repeated) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("The parameter {repeated} is included more than once (RFC 6749 §3.2)."),
            );
        }
    };
    // RFC 6749 §5.2: a missing parameter is `invalid_request` (a JSON body, say, whose
    // `grant_type` is not a form field); `unsupported_grant_type` is for a grant type given.
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is missing: the body must be application/x-www-form-urlencoded \
                 with grant_type=client_credentials.",
            );
        }
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only client_credentials is supported.",
            );
        }
    }
    // RFC 6749 §5.2: "includes multiple credentials"; the field is not a list (RFC 9110 §5.3).
    // Before, the first was read and the second ignored.
    if headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .nth(1)
        .is_some()
    {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request carries more than one Authorization header.",
        );
    }
    let basic_given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| credentials(value, "Basic"));
    let basic = basic_given
        .and_then(|encoded| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()
        })
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(id, secret)| (form_decode(id), form_decode(secret)))
        });
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method in a request;
    // §5.2 answers it `invalid_request`. Before, Basic won and a token was issued. A Basic
    // header that cannot be read (not base64, no `:`) is a method used all the same: taken for
    // none, the form's secret got a token and the broken header passed.
    if basic_given.is_some() && form.contains_key("client_secret") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The client authenticated more than once: use HTTP Basic or client_secret in the \
             form, not both.",
        );
    }
    // The method the client used, against the one the worker is held to
    // ([`EmulatorBuilder::worker_auth_method`](super::EmulatorBuilder::worker_auth_method)):
    // PingOne refuses the other one whatever the credentials.
    let used_method = if basic_given.is_some() {
        Some(ClientAuthMethod::Basic)
    } else if form.contains_key("client_secret") {
        Some(ClientAuthMethod::Post)
    } else {
        None
    };
    if let (Some(held), Some(used)) = (shared.worker_auth_method, used_method)
        && held != used
    {
        return invalid_client("Unsupported authentication method");
    }
    let credentials = basic.or_else(|| {
        Some((
            form.get("client_id")?.clone(),
            form.get("client_secret")?.clone(),
        ))
    });
    if credentials.as_ref() != Some(&shared.worker) {
        return invalid_client("Client authentication failed.");
    }
    let (access_token, expires_in) = shared.issued_tokens.issue(&shared.token);
    (
        no_store(),
        axum::Json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": expires_in,
        })),
    )
        .into_response()
}

/// The parameters of a token request's form, names and values form-decoded, RFC 6749 §3.2's
/// way: a parameter sent without a value (`client_secret=`, or a name without `=`) is as if
/// omitted (so it does not count as an inclusion beside one with a value), and one included
/// more than once with a value is refused, its name (at most 64 characters,
/// escaped as Rust writes a string) the error. Before, the last one won, so a client whose form
/// repeated `grant_type` or `client_secret` got a token here and `invalid_request` from a
/// server that follows §3.2 and §5.2 (Keycloak, Gravitee AM, WSO2 IS).
fn read_form(body: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut form = HashMap::new();
    for pair in String::from_utf8_lossy(body).split('&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        // Omitted, so no inclusion either: `client_secret=&client_secret=s` gives it once.
        if value.is_empty() {
            continue;
        }
        let name = form_decode(name);
        if form.contains_key(&name) {
            let shown: String = name.chars().take(64).collect();
            return Err(format!("{shown:?}"));
        }
        form.insert(name, form_decode(value));
    }
    Ok(form)
}

/// Whether the request's `Content-Type` is `application/x-www-form-urlencoded`, in any case,
/// with or without parameters (`; charset=UTF-8`), and the only one (a singleton field,
/// RFC 9110 §8.3: of two, the first was read).
fn is_form(headers: &HeaderMap) -> bool {
    if headers
        .get_all(header::CONTENT_TYPE)
        .iter()
        .nth(1)
        .is_some()
    {
        return false;
    }
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|content_type| {
            crate::patch_dialect::media_type_essence(content_type)
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}
