//! The text of an [`Error`] (`Display`), and why it is the error's only account of its cause
//! (no `source`).

use std::time::Duration;

use super::super::error_body::{Escaped, SHOWN_DESCRIPTION_CHARS, Shown, ShownUpTo};
use super::Error;
use super::body_quote::json_document;
use super::transport_cause::{
    error_chain, not_tls_text, proxy_credentials_text, proxy_refused_text,
    untrusted_certificate_text,
};
use crate::quoted::{EscapedTextCut, chars_within};

/// The text of each variant, with the control and invisible format characters of what it
/// quotes (a server's error fields, a filter of the caller's text, a dialect error's values,
/// a decoder's reason) escaped (`\u{1b}`, `\u{200b}`): the text reaches terminals and logs.
/// What a variant quotes (PingOne's error body, the token endpoint's code and description,
/// a pre-flight check's faults, a caller's input, a decoder's reason) is shown, escaped, up
/// to 6,000 bytes, then `… (N characters)` (and PingOne's error id, where the cut left it
/// out): each text in it is cut already, and together they made tens of kilobytes (an error
/// body's 50 details of 1,000 characters, a pre-flight refusal of an attribute name of a
/// megabyte), where the text stays within 8 KiB.
impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Error::Api {
                status,
                error,
                attempts,
                retry_after,
            } => {
                f.write_str(proxy_answer_text(*status))?;
                write!(
                    f,
                    "PingOne answered HTTP {status} {} after {attempts} attempt(s){}",
                    api_error_text(error),
                    retry_after_text(*retry_after)
                )?;
                if *status == 404 {
                    // PingOne's 404 body is the same for each: the text alone told a caller
                    // with a wrong environment ID that every one of its users was missing.
                    f.write_str(
                        " (PingOne answers 404 alike for a user that does not exist, a wrong \
                         environment ID and a wrong API base URL, such as one without /v1: \
                         check all three)",
                    )?;
                }
                Ok(())
            }
            Error::RateLimited {
                retry_after,
                error,
                attempts,
            } => write!(
                f,
                "PingOne rate limited the request (HTTP 429{}) after {attempts} attempt(s){}",
                // Its code and details: a `LIMIT_EXCEEDED` (requests per second) passes in a
                // moment, a `QUOTA_EXCEEDED` (a quota, with its `quotaResetTime`) may not.
                error
                    .as_deref()
                    .map_or_else(String::new, |error| format!(" {}", api_error_text(error))),
                retry_after_text(*retry_after)
            ),
            Error::Timeout { timeout, attempts } => write!(
                f,
                "the request timed out (timeout {}) after {attempts} attempt(s)",
                crate::duration_text::Timeout(*timeout)
            ),
            Error::Transport { source, attempts } => write!(
                f,
                "transport failure after {attempts} attempt(s): {}{}{}{}{}",
                untrusted_certificate_text(source),
                not_tls_text(source),
                proxy_credentials_text(source),
                proxy_refused_text(source),
                error_chain(&**source)
            ),
            Error::Decode {
                status,
                reason,
                body_start,
                attempts,
                retry_after,
            } => {
                f.write_str(proxy_answer_text(*status))?;
                // An error status whose body is not a PingOne error body (a proxy's or a load
                // balancer's page) is said to be so first, with what arrived in the reason:
                // "could not decode" read as a fault of the client's (review 129's new user).
                if *status >= 400 {
                    write!(
                        f,
                        "the HTTP {status} answer's body is not PingOne's JSON error body"
                    )?;
                } else {
                    write!(f, "could not decode the HTTP {status} body")?;
                }
                write!(
                    f,
                    " ({}) after {attempts} attempt(s){}",
                    bounded(&Escaped(reason).to_string()),
                    retry_after_text(*retry_after)
                )?;
                // Empty when the body is not quoted (its reason says why) or was empty. A 2xx
                // JSON object is a user's document or a page of them (names, emails, phone
                // numbers): the text, which callers log, leaves it out; the field keeps it.
                if body_start.is_empty() {
                    Ok(())
                } else if let Some(kind) = json_document(body_start)
                    && (200..300).contains(status)
                {
                    write!(
                        f,
                        "; the body, a JSON {kind} that may hold users' profiles, is not quoted here (see `body_start`)"
                    )
                } else {
                    write!(f, "; it starts with {body_start:?}")
                }
            }
            Error::Incomplete {
                status,
                expected_bytes,
                content_type,
                source,
                attempts,
                retry_after,
            } => write!(
                f,
                "the HTTP {status} answer's body was cut short{} after {attempts} attempt(s){}{}: {}",
                cut_body_text(*expected_bytes, content_type.as_deref()),
                match status {
                    202 => {
                        "; a 202 Accepted: the request was accepted for processing, which has \
                         not been completed and might or might not eventually be acted upon \
                         (RFC 9110 §15.3.3), and its answer was lost"
                    }
                    200..=299 => {
                        "; a 2xx: the server carried the request out, and only its answer was lost"
                    }
                    _ => "",
                },
                retry_after_text(*retry_after),
                error_chain(&**source)
            ),
            Error::Token {
                status,
                code,
                description,
                attempts,
                retry_after,
                remembered_for,
            } => write!(
                f,
                "{}the token request answered HTTP {status}: {} after {attempts} attempt(s){}{}{}{}",
                proxy_answer_text(*status),
                bounded(&format!(
                    "{}{}",
                    Shown(code),
                    description_text(description.as_deref())
                )),
                retry_after_text(*retry_after),
                remembered_text(*remembered_for),
                token_not_found_text(*status),
                other_auth_method_text(code, description.as_deref())
            ),
            Error::InvalidInput(text) => {
                write!(f, "invalid input: {}", bounded(&Escaped(text).to_string()))
            }
            Error::Preflight { message, .. } => {
                write!(
                    f,
                    "invalid input: {}",
                    bounded(&Escaped(message).to_string())
                )
            }
            Error::Dialect(error) => {
                // Its text quotes the caller's values (a key's value as JSON, which escapes
                // only the controls below U+0020).
                write!(
                    f,
                    "the patch cannot be written as SCIM operations: {}",
                    bounded(&Escaped(&error.to_string()).to_string())
                )
            }
            Error::SeveralMatches { filter, user_ids } => {
                write!(
                    f,
                    "several users match {}; expected at most one",
                    bounded(&Escaped(filter).to_string())
                )?;
                if !user_ids.is_empty() {
                    write!(f, " (users {}", user_ids.join(", "))?;
                    f.write_str(if user_ids.len() == 2 {
                        " and maybe more)"
                    } else {
                        ")"
                    })?;
                }
                Ok(())
            }
            Error::Config(text) => write!(
                f,
                "invalid configuration: {}",
                bounded(&Escaped(text).to_string())
            ),
            Error::NoRuntime => f.write_str(
                "no tokio runtime: the PingOne client sends with reqwest on tokio, and this \
                 call was made outside a tokio runtime (from futures::executor::block_on or \
                 another executor?); nothing was sent. Run it inside one (#[tokio::main], \
                 #[tokio::test], Runtime::block_on) with its IO and time drivers enabled \
                 (enable_all())",
            ),
        }
    }
}

/// No [`source`](std::error::Error::source): each variant's text already says its cause
/// (the Rust error-handling working group's rule: an error either returns its cause from
/// `source()` or writes it in its `Display`, never both, or a report that walks the chain,
/// such as anyhow's `{:#}` and `{:?}` or eyre's, prints the cause twice). The text keeps it,
/// so that `println!("{error}")` and a log line say what went wrong:
/// [`Transport`](Error::Transport) and [`Incomplete`](Error::Incomplete) write reqwest's error
/// with its causes ("connection refused", "dns error", which reqwest's own text leaves out)
/// after the client's hints (a refused certificate, a proxy), and
/// [`Dialect`](Error::Dialect) writes the [`DialectError`](crate::DialectError)'s text,
/// escaped. The cause itself is in the variant: match `Error::Transport { source, .. }` for
/// the `reqwest::Error` (`is_connect()`, `url()`), `Error::Dialect(error)` for the dialect
/// error.
impl std::error::Error for Error {}

/// How many bytes of what a variant quotes, escaped, its text shows ([`bounded`]): with the
/// variant's own words, and the error id that [`api_error_text`] adds, within 8 KiB.
const QUOTED_BYTES: usize = 6_000;

/// How many characters of PingOne's error id [`api_error_text`] adds after a cut body.
const ID_CHARS: usize = 100;

/// `escaped`, a variant's quote already escaped, cut to the characters that fit in
/// [`QUOTED_BYTES`], without splitting an escape ([`EscapedTextCut`]).
fn bounded(escaped: &str) -> String {
    EscapedTextCut(escaped, chars_within(escaped, QUOTED_BYTES)).to_string()
}

/// PingOne's error body as an [`Error::Api`] or [`Error::RateLimited`] shows it: its text
/// ([`ApiError`](super::super::ApiError)'s `Display`) [`bounded`], and, where that cut its
/// end off, its error id after it (PingOne's key to its logs, which the body's text ends
/// with), cut to [`ID_CHARS`].
fn api_error_text(error: &super::super::ApiError) -> String {
    let whole = error.to_string();
    let shown = bounded(&whole);
    match &error.id {
        Some(id) if shown.len() < whole.len() => format!(
            "{shown} (PingOne error id {})",
            crate::quoted::EscapedCut(id, ID_CHARS)
        ),
        _ => shown,
    }
}

/// What the text of a body cut short says of it: ` (its Content-Length announced 1134 bytes;
/// Content-Type "text/html")`, either part without the other; empty without both.
fn cut_body_text(expected_bytes: Option<u64>, content_type: Option<&str>) -> String {
    match (expected_bytes, content_type) {
        (Some(length), Some(kind)) => {
            format!(" (its Content-Length announced {length} bytes; Content-Type {kind:?})")
        }
        (Some(length), None) => format!(" (its Content-Length announced {length} bytes)"),
        (None, Some(kind)) => format!(" (Content-Type {kind:?})"),
        (None, None) => String::new(),
    }
}

fn retry_after_text(retry_after: Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |wait| {
        format!(
            "; the answer asked to wait {}",
            crate::duration_text::Wait(wait)
        )
    })
}

/// Says that a token error is an earlier answer, remembered, and when the next request is
/// sent: whole seconds rounded up, so that a wait under a second does not read "0s".
fn remembered_text(remembered_for: Option<Duration>) -> String {
    remembered_for.map_or_else(String::new, |wait| {
        format!(
            " (an earlier answer, remembered: no token request was sent for this call; the \
             next one is sent in {})",
            crate::duration_text::Wait(wait)
        )
    })
}

/// What a 404 of the token endpoint means: its URL, `{authBase}/{envID}/as/token`, names
/// no token endpoint, as for an environment ID that the auth host does not know (the
/// emulator's `Unknown environment.`) or an auth base URL or `token_url` that is not
/// PingOne's; the text said only "HTTP 404: invalid_request", not what to check.
fn token_not_found_text(status: u16) -> &'static str {
    if status == 404 {
        " (the token endpoint answers 404 for an environment ID it does not know and for a \
         wrong auth URL: check the worker's environment ID, given to \
         `TokenSource::client_credentials`, and the auth base URL, region or `token_url`)"
    } else {
        ""
    }
}

/// The setting that fixes an `invalid_client` refusal of the way the client authenticated
/// (PingOne's "Unsupported authentication method"): a worker application takes the one
/// method its `tokenEndpointAuthMethod` names, and refuses the other. The Go SDK gets its
/// token through `golang.org/x/oauth2`'s `AuthStyleAutoDetect`, which tries the other method
/// after it (`pingone/client.go` of `patrickcping/pingone-go-sdk-v2`); this client sends the
/// one [`TokenSource::auth_method`](super::super::TokenSource::auth_method) sets, and the error
/// said nothing of that setting. Empty for any other answer (a wrong secret, "Client
/// authentication failed.", is not said to be a wrong method).
fn other_auth_method_text(code: &str, description: Option<&str>) -> &'static str {
    const METHOD: &[u8] = b"authentication method";
    let names_the_method = description.is_some_and(|text| {
        text.as_bytes()
            .windows(METHOD.len())
            .any(|window| window.eq_ignore_ascii_case(METHOD))
    });
    if code == "invalid_client" && names_the_method {
        " (the worker application takes another token endpoint authentication method, its \
         tokenEndpointAuthMethod, than the one sent: `TokenSource::auth_method` sets it, \
         `ClientAuthMethod::Basic` (the default) for CLIENT_SECRET_BASIC, \
         `ClientAuthMethod::Post` for CLIENT_SECRET_POST)"
    } else {
        ""
    }
}

/// The token endpoint's description as the error's text shows it: escaped and cut
/// ([`ShownUpTo`]), so that a page in an OAuth `error_description` does not make a text of
/// megabytes.
fn description_text(description: Option<&str>) -> String {
    description.map_or_else(String::new, |text| {
        format!(" ({})", ShownUpTo(text, SHOWN_DESCRIPTION_CHARS))
    })
}

/// What the text of an answer with `status` says first when it is a proxy's own: a 407
/// (RFC 9110 §15.5.8), which only a proxy answers, here to a plain `http` request that it
/// forwards (to an `https` one's `CONNECT` it is a transport error,
/// [`proxy_credentials_text`]). The text said only "could not decode the HTTP 407 body (not
/// a PingOne error body)", as if PingOne had answered (0x676e67/wreq-python#419: a 407 on
/// `http` requests only).
fn proxy_answer_text(status: u16) -> &'static str {
    if status == 407 {
        "the proxy asked for credentials (HTTP 407 Proxy Authentication Required, the answer \
         of a proxy between the client and the server), which it did not get or refused: give \
         them in the proxy's URL, http://user:password@host:port (ClientBuilder::proxy, or \
         HTTP_PROXY); not retried; "
    } else {
        ""
    }
}
