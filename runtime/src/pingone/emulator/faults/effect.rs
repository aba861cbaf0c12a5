//! What a fault does to one request ([`Effect`], [`effect`]): the answer it gives instead, or
//! the served answer shaped ([`shape`]: a body cut short, a connection dropped).

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::super::errors::{ErrorWriter, INVALID_TOKEN_CHALLENGE};
use super::Fault;
use super::rate_limit::rate_limited;

/// What a fault does to one request.
pub(in crate::pingone::emulator) enum Effect {
    /// Serve the request as usual.
    Serve,
    /// Serve it, then cut the 200 body in half (`Content-Length` too).
    Truncate,
    /// Serve it, then announce the whole 200 body and drop the connection halfway.
    Cut,
    /// Answer this instead of serving the request.
    Answer(Response),
}

impl Effect {
    /// The effect on the answer to a request with `method`: [`Effect::Truncate`] and
    /// [`Effect::Cut`] shape a body, and a HEAD's answer has none (RFC 9110 §9.3.2), so they
    /// leave it as it is, as they leave an answer that is not 200. Applied to a HEAD, hyper
    /// wrote its head all the same: the client read a 200 that the log said no status
    /// reached, and a truncated HEAD announced half the `Content-Length` of the GET's.
    pub(in crate::pingone::emulator) fn on(self, method: &Method) -> Effect {
        if *method == Method::HEAD && matches!(self, Effect::Truncate | Effect::Cut) {
            Effect::Serve
        } else {
            self
        }
    }

    /// The status that the client reads of `served` (the emulator's own answer) once
    /// [`shape`] has shaped it: `served`'s, but none for [`Effect::Cut`] of a 200, whose
    /// connection is dropped before hyper writes its status line (see [`Fault::ConnectionCut`]).
    pub(in crate::pingone::emulator) fn status_read(
        &self,
        served: &Response,
    ) -> Option<StatusCode> {
        let status = served.status();
        (!(matches!(self, Effect::Cut) && status == StatusCode::OK)).then_some(status)
    }
}

/// The endpoint a fault is taken on, which shapes an injected 401.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::pingone::emulator) enum Endpoint {
    /// A users endpoint (a resource server, RFC 6750): an injected 401 is its refusal of a
    /// token ([`ErrorWriter::invalid_token`]).
    Users,
    /// The token endpoint.
    Token,
}

/// Applies the fault of one request to `endpoint`, if any: waits for [`Fault::Slow`], or says
/// what to answer. A 429 of [`Fault::Status`] or [`Fault::ApiError`] carries a `Retry-After`
/// of `retry_after` seconds ([`EmulatorBuilder::fault_retry_after`](super::super::EmulatorBuilder::fault_retry_after)).
pub(in crate::pingone::emulator) async fn effect(
    errors: &ErrorWriter,
    fault: Option<Fault>,
    endpoint: Endpoint,
    retry_after: u64,
) -> Effect {
    match fault {
        None => Effect::Serve,
        Some(Fault::Slow(wait)) => {
            tokio::time::sleep(wait).await;
            Effect::Serve
        }
        Some(Fault::TruncatedBody) => Effect::Truncate,
        Some(Fault::ConnectionCut) => Effect::Cut,
        Some(Fault::RateLimited { retry_after }) => {
            Effect::Answer(rate_limited(errors, &retry_after))
        }
        Some(Fault::ServiceUnavailable { retry_after }) => {
            let mut response = errors.answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "The service is temporarily unavailable.",
                Vec::new(),
            );
            if let Some(value) = retry_after.and_then(|v| v.parse().ok()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Effect::Answer(response)
        }
        Some(Fault::BadGateway) => Effect::Answer(
            (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n",
            )
                .into_response(),
        ),
        Some(Fault::Status(429)) => Effect::Answer(rate_limited(errors, &retry_after.to_string())),
        Some(Fault::Status(status)) => Effect::Answer(api_error(errors, status, None, endpoint)),
        Some(Fault::ApiError { status, code }) => {
            let mut response = api_error(errors, status, Some(&code), endpoint);
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after));
            }
            Effect::Answer(response)
        }
    }
}

/// `status` (500 for a number that is not an HTTP status, or a 1xx status, which is no final
/// answer: RFC 9110 §15.2) with a PingOne error body whose `code` is `code`, or the status's
/// own code, `UNEXPECTED_ERROR` for a status without one; a status that carries no content
/// ([`without_content`]) without it.
///
/// On a users endpoint a 401 carries the `WWW-Authenticate` challenge that RFC 9110 §15.5.2
/// requires of every 401, and [`Fault::Status(401)`](Fault::Status) is the endpoint's own
/// refusal of a token that has ended, `INVALID_TOKEN` detail included
/// ([`ErrorWriter::invalid_token`]). Before, both came without the challenge, and the status
/// without the detail.
fn api_error(
    errors: &ErrorWriter,
    status: u16,
    code: Option<&str>,
    endpoint: Endpoint,
) -> Response {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(|status| !status.is_informational())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(response) = without_content(status) {
        return response;
    }
    let challenged = endpoint == Endpoint::Users && status == StatusCode::UNAUTHORIZED;
    if challenged && code.is_none() {
        return errors.invalid_token(true);
    }
    let code = code.unwrap_or(match status.as_u16() {
        400 => "INVALID_REQUEST",
        401 | 403 => "ACCESS_FAILED",
        404 => "NOT_FOUND",
        408 => "REQUEST_TIMEOUT",
        415 => "INVALID_REQUEST",
        429 => "REQUEST_LIMITED",
        _ => "UNEXPECTED_ERROR",
    });
    let mut response = errors.answer(status, code, "Injected fault.", Vec::new());
    if challenged {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static(INVALID_TOKEN_CHALLENGE),
        );
    }
    response
}

/// The answer of `status` when it carries no content, and so no error body: 204 and 304,
/// which end at their header section and must not announce the error body's length (RFC 9110
/// §6.4.1, §8.6: a 204 has no `Content-Length`, a 304's would be its representation's), and
/// 205, which must not have content and says so with `Content-Length: 0` (§15.3.6). hyper
/// sent the `Content-Length` of the body it left out of a 204 or a 304, and a 205's body.
fn without_content(status: StatusCode) -> Option<Response> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    match status {
        StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED => {}
        StatusCode::RESET_CONTENT => {
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, header::HeaderValue::from(0_u16));
        }
        _ => return None,
    }
    Some(response)
}

/// Shapes a served answer as [`Effect::Truncate`] or [`Effect::Cut`] ask; other answers, and
/// answers that are not 200, pass unchanged.
pub(in crate::pingone::emulator) async fn shape(effect: Effect, response: Response) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    match effect {
        Effect::Truncate => {
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let half = bytes.slice(..bytes.len() / 2);
            let mut response = Response::from_parts(parts, Body::from(half));
            response.headers_mut().remove(header::CONTENT_LENGTH);
            response
        }
        Effect::Cut => {
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.headers.insert(
                header::CONTENT_LENGTH,
                header::HeaderValue::from(bytes.len()),
            );
            let half = bytes.slice(..bytes.len() / 2);
            // The stream fails after the first half: hyper then drops the connection.
            let chunks = futures_util::stream::iter([
                Ok(half),
                Err(std::io::Error::other("the emulator cut the connection")),
            ]);
            Response::from_parts(parts, Body::from_stream(chunks))
        }
        Effect::Serve | Effect::Answer(_) => response,
    }
}
