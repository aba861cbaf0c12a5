//! The token endpoint's answer: an OAuth token response (RFC 6749 §5.1) or error (§5.2), or
//! what else arrived.

use serde::Deserialize;

use super::super::Error;
use super::super::error_body::{cut_server_text, may_be_error_document};
use super::super::secret::Secret;
use super::request::redact_secret;

/// An OAuth 2.0 token response (RFC 6749 §5.1).
#[derive(Deserialize)]
pub(super) struct TokenResponse {
    pub(super) access_token: String,
    /// `Bearer` in any case (RFC 6749 §5.1); a server that leaves it out is trusted to mean it.
    #[serde(default)]
    pub(super) token_type: Option<String>,
    /// Seconds, as a JSON number (RFC 6749 §5.1) or a string of ASCII digits (`"3600"`, as
    /// Azure AD's v1 endpoint and gateways that re-serialize JSON write it; Go's
    /// `golang.org/x/oauth2` reads both). A number may be written as a float with no fraction
    /// (`3600.0`, `3.6e3`, as servers whose JSON numbers are all doubles write it); a whole
    /// number past 64 bits, as a number or as digits, is read as `u64::MAX` (the client
    /// caches a token a day at most). Anything else (negative, fractional, not finite, other
    /// text) is refused.
    #[serde(default, deserialize_with = "seconds")]
    pub(super) expires_in: Option<u64>,
}

/// What [`seconds`] reads, as its errors say it.
const EXPECTED_SECONDS: &str = "a whole number of seconds (a number, such as 3600 or 3600.0, \
     or a string of digits)";

/// `expires_in`: a whole number of seconds, written as a JSON number (an integer, or a float
/// whose fraction is zero) or as a string of ASCII digits; `null` is none. The error of any
/// other value names `expires_in` and quotes the value (at most 64 characters of it; an object
/// or an array, which may hold a token, only named).
///
/// Read through a `serde_json::Value`, whose numbers tell integers from floats whatever
/// serde_json's features (`arbitrary_precision`, which any crate of a build may turn on,
/// included).
fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    use serde_json::Value;

    /// 2^64: a float at or past it is no `u64`.
    const PAST_U64: f64 = 18_446_744_073_709_551_616.0;

    let value = Option::<Value>::deserialize(deserializer)?;
    let seconds = match &value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(number)) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|float| float.is_finite() && *float >= 0.0 && float.fract() == 0.0)
                // Whole: the cast is exact below 2^64. Past it (`100000000000000000000`, an
                // integer that serde_json reads as a float, `1e20`), a lifetime past the cap
                // in any case, as the same digits in a string are: they were refused, and
                // the token with them.
                .map(|float| {
                    if float < PAST_U64 {
                        float as u64
                    } else {
                        u64::MAX
                    }
                })
        }),
        // Digits past `u64` are a lifetime past the cap in any case.
        Some(Value::String(text))
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(text.parse().unwrap_or(u64::MAX))
        }
        Some(_) => None,
    };
    seconds.map(Some).ok_or_else(|| {
        // An object or an array is named, not quoted: it may hold a token.
        let shown = match value {
            Some(Value::Object(_)) => "(an object)".to_owned(),
            Some(Value::Array(_)) => "(an array)".to_owned(),
            value => value.map(|value| value.to_string()).unwrap_or_default(),
        };
        serde::de::Error::custom(format_args!(
            "invalid expires_in {}: expected {EXPECTED_SECONDS}",
            shown.chars().take(64).collect::<String>()
        ))
    })
}

/// An OAuth 2.0 error response (RFC 6749 §5.2).
#[derive(Deserialize)]
struct TokenErrorResponse {
    error: String,
    /// Text when it is a string; any other value (a list of lines, an object of languages, a
    /// number), which RFC 6749 §5.2 does not allow, reads as none rather than lose the
    /// `error` code with it.
    #[serde(default, deserialize_with = "text_or_none")]
    error_description: Option<String>,
}

/// A string as itself, anything else as `None`.
fn text_or_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Some(text),
        _ => None,
    })
}

/// Whether `body` is an error document rather than a token response: a JSON object with no
/// `access_token`, no larger than
/// [`MAX_ERROR_DOCUMENT_BYTES`](super::super::error_body::MAX_ERROR_DOCUMENT_BYTES), that is
/// an OAuth error response (RFC 6749 §5.2: an `error` string) or a PingOne error body (a
/// `code` and a `message` string, as PingOne's `P1Error` writes them). Answered with a 2xx,
/// either is [`token_error`]'s to say, with its code and its description or message: read as
/// a token response, it was one that lacks `access_token`, its body withheld as one that may
/// hold a token.
pub(super) fn is_error_document(body: &[u8]) -> bool {
    may_be_error_document(body)
        && serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body).is_ok_and(
            |body| {
                let is_text = |name: &str| body.get(name).is_some_and(serde_json::Value::is_string);
                (is_text("error") || (is_text("code") && is_text("message")))
                    && !body.contains_key("access_token")
            },
        )
}

/// What a token answer's body is when it is JSON but no object, which an OAuth token response
/// is (RFC 6749 §5.1), said by its kind and never quoted: the decoder's reason quoted the
/// whole of a JSON string (`invalid type: string "{\"access_token\":\"eyJ...\"}"`), so that
/// a token response encoded twice (a JSON string whose text is the JSON object, as a gateway
/// or function that encodes the answer one time too many sends it: aws/aws-lambda-go#373), or
/// a bare token sent as a JSON string, put the access token into the error's text, which says
/// that the body is not quoted as it may hold a token. `None` for a JSON object, and for a
/// body that is not JSON (the decoder's reason quotes nothing of it).
pub(super) fn not_an_object(body: &[u8]) -> Option<String> {
    // Told by its first character once it is known to be JSON, which is checked without
    // building it: read into `serde_json::Value`s, a body of 16 MiB of small values took some
    // 450 MB. Only a string is read, as its text.
    let first = *body.iter().find(|byte| !byte.is_ascii_whitespace())?;
    if first == b'"' {
        let text: String = serde_json::from_slice(body).ok()?;
        return Some(if text.trim_start().starts_with('{') {
            format!(
                "the body is a JSON string of {} characters whose text is a JSON object: the \
                 token response encoded twice (by a gateway or proxy on the way?)",
                text.chars().count()
            )
        } else {
            format!(
                "the body is a JSON string of {} characters, not a JSON object",
                text.chars().count()
            )
        });
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(body).ok()?;
    Some(
        match first {
            b'{' => return None,
            b'[' => "the body is a JSON array, not a JSON object",
            b't' | b'f' => "the body is a JSON boolean, not a JSON object",
            b'n' => "the body is JSON null, not a JSON object",
            _ => "the body is a JSON number, not a JSON object",
        }
        .to_owned(),
    )
}

/// Whether `body` is a form-encoded token response (`access_token=...&token_type=bearer`, as
/// GitHub's token endpoint answers a request that does not ask for JSON): one of its
/// `&`-separated pairs is named `access_token`.
pub(super) fn is_form_encoded_token(body: &[u8]) -> bool {
    body.split(|&byte| byte == b'&')
        .any(|pair| pair.trim_ascii().starts_with(b"access_token="))
}

/// The start of a 2xx token answer that is not a token response, to show in its error, the
/// client secret taken out: a page (a proxy's or a captive portal's HTML, an empty body),
/// whose start says what answered. `None` for a body that may hold a token, which is never
/// shown: one that looks like JSON (`{` or `[` first, or `"`: a JSON string, which may be a
/// bare token or a token response encoded twice), that names an `access_token` (a
/// form-encoded token response, in any case), or that may be a bare token
/// ([`is_bare_token`]); nor a body in UTF-16 or UTF-32
/// ([`is_utf16_or_utf32`](super::super::error::is_utf16_or_utf32)), where the secret is not
/// found to be taken out.
pub(super) fn quotable_start(
    body: &[u8],
    client_id: &str,
    client_secret: &Secret,
) -> Option<String> {
    // Text in UTF-16 or UTF-32 (a gateway's page, `charset=UTF-16`) holds a NUL beside each
    // ASCII character, so that a search for the secret in it finds none, while a reader of
    // the quote sees it: never quoted.
    if super::super::error::is_utf16_or_utf32(body) {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    // Read without its NULs, byte order marks and replacement characters: a token response
    // in UTF-16 or UTF-32 (`charset=UTF-16`), read as UTF-8, has a NUL beside each ASCII
    // character, which hid its `{` and its `access_token` from these checks, and its token
    // was quoted.
    let folded: String = text
        .chars()
        .filter(|&character| !super::super::error::is_wide_encoding_residue(character))
        .collect();
    let trimmed = folded.trim_start();
    if trimmed.starts_with(['{', '[', '"'])
        || trimmed.to_ascii_lowercase().contains("access_token")
        || is_bare_token(trimmed)
    {
        return None;
    }
    let text = redact_secret(&text, client_id, client_secret);
    Some(super::super::error::body_start(text.as_bytes()))
}

/// Whether `text` (trimmed at its start) may be a bare access token: one word of RFC 6750
/// §2.1 bearer-token characters ([`is_bearer_token`](super::is_bearer_token)), after a
/// `Bearer ` scheme if any, of [`BARE_TOKEN_MIN_CHARS`] or more, as `application/jwt` and
/// token services that answer `text/plain` send a token. Quoted as a page's start, such a
/// body put the access token, whole, into the error's text and `Debug`. A shorter word
/// (`Forbidden`), or text of several words, is a page.
fn is_bare_token(text: &str) -> bool {
    let word = text.trim_end();
    let word = match word.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("bearer ") => word[7..].trim_start(),
        _ => word,
    };
    word.len() >= BARE_TOKEN_MIN_CHARS && super::is_bearer_token(word)
}

/// The length from which one word of bearer-token characters is taken for a token
/// ([`is_bare_token`]): an opaque token of RFC 6749's example, `2YotnFZFEjr1zCsicMWpAA`, has
/// 22; status words (`Unauthorized`) are shorter.
const BARE_TOKEN_MIN_CHARS: usize = 16;

/// The [`Error::Token`] of a token endpoint's error answer: its OAuth error (RFC 6749 §5.2),
/// or, for a body that is not one, what arrived in `description`: a PingOne error body's code
/// and message (an unknown environment answers one), or what the API's errors say of a body
/// that is no PingOne error body ([`Answer::what_arrived`](super::super::transport::Answer::what_arrived):
/// its kind, title, length and `Content-Type`) and its start (a proxy's page), with the token
/// URL that was asked (`url`, up to its query); in each, the client
/// secret, in every form the request carried it, replaced by `***` (an OAuth error that
/// echoes the request holds it as much as a proxy's page).
///
/// A 3xx, whatever its body, is a redirect (RFC 9110 §15.4), which the client does not
/// follow (a 307 or 308 would send the credentials again, wherever it points): not the token
/// endpoint's answer, so its body is not read as an OAuth error. `description` names where it
/// points, its `Location` ([`Answer::location`](super::super::transport::Answer::location):
/// up to the query, without userinfo), which is what fixes the auth base URL.
pub(super) fn token_error(
    answer: &super::super::transport::Answer,
    url: &str,
    client_id: &str,
    client_secret: &Secret,
) -> Error {
    let (status, attempts, retry_after, body) = (
        answer.status,
        answer.attempts,
        answer.retry_after,
        &answer.body[..],
    );
    if (300..400).contains(&status) {
        return unknown_token_error(answer, url, redirect_note(answer, client_id, client_secret));
    }
    // Neither read nor quoted: in UTF-16 or UTF-32, a secret the body echoes has a NUL beside
    // each of its characters, which hides it from `redact_secret` but not from a reader. A
    // body with a `Content-Encoding` (gzip's header holds NULs too) is said to be encoded
    // below, and not quoted either.
    let redact = |text: &str| redact_secret(text, client_id, client_secret);
    if answer.is_wide_text() {
        return unknown_token_error(
            answer,
            url,
            format!(
                "not an OAuth error response that can be read: the body is UTF-16 or UTF-32 \
                 (a byte order mark or NUL bytes at its start, RFC 4627 §3), where the token \
                 endpoint's JSON must be UTF-8 (RFC 8259 §8.1); not quoted, as it may echo \
                 the client secret{}",
                answer.content_type_note(&redact)
            ),
        );
    }
    // A body larger than any error document is said as what arrived, not read as one.
    let readable = may_be_error_document(body);
    if readable && let Ok(error) = serde_json::from_slice::<TokenErrorResponse>(body) {
        // Its fields once decoded: an answer that echoes the request may hold the secret.
        return Error::Token {
            status,
            code: redact_secret(&error.error, client_id, client_secret),
            description: error
                .error_description
                .map(|text| redact_secret(&text, client_id, client_secret)),
            attempts,
            retry_after,
            remembered_for: None,
        };
    }
    let raw = String::from_utf8_lossy(body);
    // Redacted before it is cut (a secret cut in two would not be found), and a PingOne
    // error's fields once decoded (JSON escapes such as `\/` or `\u0073` would hide it).
    let text = redact_secret(&raw, client_id, client_secret);
    let api_error = readable
        .then(|| serde_json::from_str::<super::super::ApiError>(&raw).ok())
        .flatten();
    let description = match api_error {
        Some(error) if error.code.is_some() || error.message.is_some() => format!(
            "not an OAuth error response but a PingOne error: {} {}",
            error.code.as_deref().map_or_else(
                || "(no code)".to_owned(),
                |code| cut_server_text(&redact_secret(code, client_id, client_secret)).into_owned()
            ),
            // Cut here, so that the token URL asked, which follows, is still shown.
            error.message.as_deref().map_or_else(
                || "(no message)".to_owned(),
                |message| cut_server_text(&redact_secret(message, client_id, client_secret))
                    .into_owned()
            )
        ),
        _ if answer.encoding.is_some() => format!(
            "not an OAuth error response that can be read: {}{}",
            answer.encoding_text().unwrap_or_default(),
            answer.content_type_note(&redact)
        ),
        _ if text.trim().is_empty() => format!(
            "not an OAuth error response: the body is empty{}{}",
            answer.content_type_note(&redact),
            answer.challenge_note(&redact)
        ),
        // What arrived, as the API's errors say it (its kind, title, length and
        // `Content-Type`), then its start.
        _ => format!(
            "not an OAuth error response but {}; the body starts with {:?}{}",
            answer.what_arrived(&redact),
            super::super::error::body_start(text.as_bytes()),
            answer.challenge_note(&redact)
        ),
    };
    unknown_token_error(answer, url, description)
}

/// What the error of a token request answered with a redirect says: where it points (its
/// `Location`, the client secret taken out), and that it is not followed.
fn redirect_note(
    answer: &super::super::transport::Answer,
    client_id: &str,
    client_secret: &Secret,
) -> String {
    let to = match &answer.location {
        Some(location) => format!(
            " to {:?}",
            redact_secret(location, client_id, client_secret)
        ),
        None => " without a Location".to_owned(),
    };
    format!(
        "not an OAuth error response but a redirect{to}, which the client does not follow \
         (RFC 9110 §15.4): set the auth base URL to where it points if that is the token \
         endpoint"
    )
}

/// The [`Error::Token`] of an answer that is not the token endpoint's (`unknown_error`):
/// `description` says what arrived. Most often the token URL is not one (a wrong auth base
/// URL or environment, a proxy's page, a redirect), so the error says which URL was asked.
fn unknown_token_error(
    answer: &super::super::transport::Answer,
    url: &str,
    description: String,
) -> Error {
    let description = format!(
        "{description} (the token URL asked: {})",
        super::super::error::shown_url(url)
    );
    Error::Token {
        status: answer.status,
        code: "unknown_error".to_owned(),
        description: Some(description),
        attempts: answer.attempts,
        retry_after: answer.retry_after,
        remembered_for: None,
    }
}
