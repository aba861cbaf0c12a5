//! Reading an answer's body and headers: the body up to [`MAX_BODY_BYTES`], without a byte
//! order mark; its `Content-Encoding` and a redirect's `Location`.

use bytes::Bytes;
use reqwest::header::{CONTENT_ENCODING, HeaderMap, HeaderValue};

use super::super::secret::Secret;
use super::MAX_BODY_BYTES;

/// The body of `response`, or `None` when it is larger than [`MAX_BODY_BYTES`]: refused from
/// its `Content-Length` before it is read, or as soon as its chunks pass the limit. A body
/// that does not arrive whole (the connection ends before its `Content-Length`, a broken
/// chunked framing) is the HTTP client's error with the length the answer announced.
pub(super) async fn read_capped(
    mut response: reqwest::Response,
) -> Result<Option<Bytes>, (reqwest::Error, Option<u64>)> {
    match response.content_length() {
        Some(length) if length > MAX_BODY_BYTES as u64 => return Ok(None),
        // The length is the framing: hyper reads no more than it says.
        Some(length) => {
            return response
                .bytes()
                .await
                .map(Some)
                .map_err(|error| (error, Some(length)));
        }
        None => {}
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| (error, None))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}

/// `body` without a leading UTF-8 byte order mark (`EF BB BF`), which some servers and
/// gateways (.NET's, among others) write before JSON: RFC 8259 §8.1 forbids writing one but
/// lets a parser ignore it, and serde_json refuses it ("expected value at line 1 column 1").
pub(super) fn without_byte_order_mark(body: Bytes) -> Bytes {
    if body.starts_with(b"\xEF\xBB\xBF") {
        body.slice(3..)
    } else {
        body
    }
}

/// The answer's `Content-Encoding` when it names an encoding (`gzip`, `br`...), not `identity`
/// (RFC 9110 §8.4), at most 64 characters of it. The list's empty elements (`identity,`) are
/// ignored, as RFC 9110 §5.6.1 has a recipient do: they name no encoding. Several
/// `Content-Encoding` lines are one list (RFC 9110 §5.3), read whole: `identity` then `gzip`
/// is a gzip body.
pub(super) fn encoding_of(headers: &HeaderMap) -> Option<String> {
    let mut lines = headers.get_all(CONTENT_ENCODING).iter();
    let mut value = String::from_utf8_lossy(lines.next()?.as_bytes()).into_owned();
    for line in lines {
        value.push_str(", ");
        value.push_str(&String::from_utf8_lossy(line.as_bytes()));
    }
    let encodings = value.trim();
    (!encodings.is_empty()
        && !encodings
            .split(',')
            .map(str::trim)
            .filter(|coding| !coding.is_empty())
            .all(|coding| coding.eq_ignore_ascii_case("identity")))
    .then(|| encodings.chars().take(64).collect())
}

/// The `Location` of a redirect, to show in its error: up to its query (which may carry a
/// code or a token, as a sign-in redirect's does), without its user information, at most 200
/// characters.
#[cold]
pub(super) fn location_of(headers: &HeaderMap) -> Option<String> {
    let value =
        String::from_utf8_lossy(headers.get(reqwest::header::LOCATION)?.as_bytes()).into_owned();
    let shown = super::super::error::shown_url(&value);
    Some(shown.chars().take(200).collect())
}

/// The answer's `WWW-Authenticate` challenges (RFC 9110 §11.6.1), each line of the header
/// joined with `, ` as one list: where a resource server that refuses a bearer token says why
/// (RFC 6750 §3: `Bearer error="invalid_token", error_description="The access token
/// expired"`), often with an empty body (spring-projects/spring-security#5985), for the error
/// of an answer whose body is not a PingOne error body to say. Whole and lossily decoded;
/// cut and cleaned where an error keeps it ([`shown_challenge`]).
#[cold]
pub(super) fn challenge_of(headers: &HeaderMap) -> Option<String> {
    let mut lines = headers.get_all(reqwest::header::WWW_AUTHENTICATE).iter();
    let mut value = String::from_utf8_lossy(lines.next()?.as_bytes()).into_owned();
    for line in lines {
        value.push_str(", ");
        value.push_str(&String::from_utf8_lossy(line.as_bytes()));
    }
    Some(value)
}

/// The challenge that an error keeps of the header's text `raw`, the secrets that
/// `take_out` replaces taken out ([`without_secrets`]): [`shown_header`], at most 300
/// characters.
pub(super) fn shown_challenge(raw: &str, take_out: impl Fn(&str) -> String) -> Option<String> {
    shown_header(&without_secrets(raw, true, take_out), 300)
}

/// The visible ASCII characters of a header's text `raw` (and its spaces when `spaces`),
/// with the secrets that `take_out` replaces taken out, both from `raw` and from those
/// characters: a secret echoed with a character inside that is left out (a tab, U+200B, a
/// byte that is not UTF-8, read as U+FFFD) is not found in `raw`, and leaving that character
/// out joined it again, whole in the error's text or a span's field. Searched for in `raw`
/// too: a short secret is taken out only where it stands alone (see `Secret::redact`), which
/// leaving out the character beside it may undo.
fn without_secrets(raw: &str, spaces: bool, take_out: impl Fn(&str) -> String) -> String {
    let visible: String = take_out(raw)
        .chars()
        .filter(|character| character.is_ascii_graphic() || (spaces && *character == ' '))
        .collect();
    take_out(&visible)
}

/// The answer's `Content-Type` (RFC 9110 §8.3) that [`Answer`](super::Answer) keeps, lossily
/// decoded, whole (an error keeps it only once the token is taken out of it and it is cut:
/// [`shown_content_type`]), for its error to say what arrived: that of an answer that is no
/// success, whose body is not a PingOne error body (`text/html`: a proxy's or a load
/// balancer's page); of a 2xx to a token request (`token_request`), whose error says it of
/// any body that is no token response; and of a 2xx whose body is no JSON object or array (a
/// proxy's or captive portal's page, nothing), whose error says what arrived as a 4xx's or
/// 5xx's does. `None` for the JSON of any other 2xx, every call's answer, which then makes no
/// copy of it. `raw` is the header as it came, held until the body has arrived.
pub(super) fn content_type_of(
    raw: Option<&HeaderValue>,
    status: u16,
    body: &[u8],
    token_request: bool,
) -> Option<String> {
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace());
    let kept =
        !(200..300).contains(&status) || token_request || !matches!(first, Some(b'{' | b'['));
    raw.filter(|_| kept).map(header_text)
}

/// The `Content-Type` that the error of an answer whose body was not read whole keeps (one
/// cut short, [`Error::Incomplete`](super::super::Error::Incomplete), or larger than
/// [`MAX_BODY_BYTES`]), whatever its status: [`shown_content_type`] of the header's text
/// `raw`, without the request's `token` and the `credentials` that it carries beside it (a
/// token request's client secret, in every form it is sent), which a proxy that echoes the
/// request's headers may write there.
#[cold]
pub(super) fn unread_content_type(
    raw: Option<&HeaderValue>,
    token: Option<&Secret>,
    credentials: Option<&(dyn Fn(&str) -> String + Sync)>,
) -> Option<String> {
    shown_content_type(&header_text(raw?), |text| {
        let text = token.map_or_else(|| text.to_owned(), |token| token.redact(text));
        match credentials {
            Some(take_out) => take_out(&text),
            None => text,
        }
    })
}

/// A header's value as text, lossily decoded (a byte that is not UTF-8 read as U+FFFD).
fn header_text(value: &HeaderValue) -> String {
    String::from_utf8_lossy(value.as_bytes()).into_owned()
}

/// The `Content-Type` that an error keeps of the header's text `raw`, the secrets that
/// `take_out` replaces taken out ([`without_secrets`]): [`shown_header`], at most 100
/// characters.
pub(super) fn shown_content_type(raw: &str, take_out: impl Fn(&str) -> String) -> Option<String> {
    shown_header(&without_secrets(raw, true, take_out), 100)
}

/// What an error keeps of a header's text: its visible ASCII characters and spaces (a control
/// or an invisible character, which would reorder a log line, left out), at most `max` of
/// them, without the spaces around them; `None` when nothing is left.
fn shown_header(text: &str, max: usize) -> Option<String> {
    let shown: String = text
        .chars()
        .filter(|character| character.is_ascii_graphic() || *character == ' ')
        .take(max)
        .collect();
    let shown = shown.trim();
    (!shown.is_empty()).then(|| shown.to_owned())
}

/// The answer's `Correlation-Id`, which PingOne returns from every operation (PingOne
/// Platform APIs, "API responses":
/// <https://developer.pingidentity.com/pingone-api/foundations/conventions/pingone-api-responses.html>)
/// and which PingOne's support asks for to find a request in its logs: the first such header,
/// lossily decoded, whole (an error keeps it only once the token is taken out of it and it is
/// cut: [`shown_correlation_id`]).
#[cold]
pub(super) fn correlation_id_of(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("correlation-id")?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// The correlation ID that an error or a retry's `tracing` event keeps of the header's text
/// `raw`: the request's token taken out first (a proxy that echoes the request's headers may
/// echo it here), so that no part of it is left by the cut, then [`shown_correlation_id`].
pub(super) fn kept_correlation_id(raw: &str, token: Option<&Secret>) -> Option<String> {
    kept_correlation_id_without(raw, token, str::to_owned)
}

/// [`kept_correlation_id`], with the secrets that `take_out` replaces (a token request's
/// client secret) taken out too ([`without_secrets`]).
pub(super) fn kept_correlation_id_without(
    raw: &str,
    token: Option<&Secret>,
    take_out: impl Fn(&str) -> String,
) -> Option<String> {
    let without = without_secrets(raw, false, |text| match token {
        Some(secret) => secret.redact(&take_out(text)),
        None => take_out(text),
    });
    shown_correlation_id(&without)
}

/// The correlation ID that an error keeps, from the header's text with the request's token
/// already taken out: its visible ASCII characters (PingOne's are UUIDs; a space, a control
/// or an invisible character, such as U+202E, which would reorder a log line, is left out),
/// at most 200 of them; `None` when none is left (an empty header).
fn shown_correlation_id(text: &str) -> Option<String> {
    let shown: String = text
        .chars()
        .filter(char::is_ascii_graphic)
        .take(200)
        .collect();
    (!shown.is_empty()).then_some(shown)
}
