//! The users endpoints' check of the request's bearer token.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::super::parsing::{credentials, form_decode};
use super::super::state::Shared;

/// 401 `ACCESS_FAILED` unless the request carries the emulator's bearer token, or a token that
/// its token endpoint issued and that is still accepted (see
/// [`EmulatorBuilder::token_lifetime`](super::super::EmulatorBuilder::token_lifetime)), with its
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
pub(super) fn refuse_token(
    shared: &Shared,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Option<Response> {
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
