//! [`Error`]: everything that can go wrong between the client and PingOne.

use std::fmt;
use std::time::Duration;

use super::error_body::{
    ApiError, ErrorDetail, Escaped, SHOWN_DESCRIPTION_CHARS, Shown, ShownUpTo,
};

/// How many characters of an undecodable body [`Error::Decode`] keeps.
#[cfg(feature = "client")]
pub const BODY_START_CHARS: usize = 512;

/// An error of the PingOne client.
///
/// Error text never holds the access token or the client secret: they are only ever sent in
/// headers and form bodies, which no variant keeps, and an answer that echoes them (in a
/// PingOne or OAuth error's fields, in the start of a body, or in a decoder's reason, as
/// they are or with JSON escapes) has them replaced by `***`. Nor does its `Debug` hold the
/// start of a 2xx JSON body (a user's profile: `unwrap()` and `tracing`'s `?error` print
/// `Debug`), which the text leaves out too; [`Error::Decode`]'s field keeps it.
#[cfg(feature = "client")]
#[non_exhaustive]
pub enum Error {
    /// PingOne answered with an error status and a `P1Error` body (after `attempts` attempts,
    /// for a retryable status). The text of a 404 adds that PingOne answers it alike for a
    /// user that does not exist, a wrong environment ID and a wrong API base URL.
    Api {
        /// The HTTP status, such as 400 or 404.
        status: u16,
        /// The decoded error body.
        error: Box<ApiError>,
        /// How many requests were sent.
        attempts: u32,
        /// The last answer's wait, for a retryable status (a 503 still unavailable when the
        /// retry policy ran out, or asking to wait longer than its `max_retry_after`, which
        /// is not retried): its `Retry-After`, else its body's
        /// `details[].innerError.retryAfter`, else its `quotaResetTime`; see
        /// [`Error::retry_after`].
        retry_after: Option<Duration>,
    },
    /// PingOne still answered 429 when the retry policy ran out, or answered 429 with a
    /// `Retry-After` longer than the policy's
    /// [`max_retry_after`](super::RetryPolicy::max_retry_after), which is not retried: come
    /// back once [`retry_after`](Error::retry_after) is over.
    RateLimited {
        /// The last `Retry-After`, if PingOne sent one.
        retry_after: Option<Duration>,
        /// The last error body, if it was JSON.
        error: Option<Box<ApiError>>,
        /// How many requests were sent.
        attempts: u32,
    },
    /// No answer within the request timeout, or no connection within the connect timeout, on
    /// the last attempt, or on any attempt of a SCIM message that is not idempotent (with an
    /// `add`, or a filter whose selection the message changes: see
    /// [`update_user_scim_patch`](super::Client::update_user_scim_patch)), which is not sent
    /// again where PingOne may have applied it.
    Timeout {
        /// The timeout that ran out: the per-attempt
        /// [`timeout`](super::ClientBuilder::timeout), or the
        /// [`connect_timeout`](super::ClientBuilder::connect_timeout) when connecting (TCP, a
        /// proxy's tunnel and the TLS handshake) took longer.
        timeout: Duration,
        /// How many requests were sent.
        attempts: u32,
    },
    /// The request could not be sent or its answer's head not read (connection refused,
    /// reset, TLS, a proxy that refused the tunnel; a body cut short after the head is
    /// [`Incomplete`](Error::Incomplete)), on the last attempt (or, for a SCIM message that is not
    /// idempotent, as for [`Timeout`](Error::Timeout), on any attempt once the request may have
    /// reached PingOne).
    ///
    /// A request that was sent may have been carried out, its answer lost on the way: this
    /// error does not say that the change was not made. A merge patch is idempotent (RFC 7396),
    /// so sending it again is safe (and what the retry policy does); otherwise read the user
    /// to learn what happened.
    ///
    /// When the server's TLS certificate was refused, the text says so and why first, after
    /// `transport failure after N attempt(s): ` (`the server's TLS certificate was not
    /// trusted: it was not issued by a trusted CA...`),
    /// and [`is_untrusted_certificate`](Error::is_untrusted_certificate) is true.
    Transport {
        /// The HTTP client's error, a `reqwest::Error` of reqwest 0.13 (to name the type, your
        /// `Cargo.toml` names `reqwest = "0.13"`; its methods, `is_connect()`, `url()`, need
        /// no such line). Its text holds the URL without its query (a listing's filter names a
        /// user by email or username, which a logged error would carry), never a header.
        /// Shared (an `Arc`):
        /// the calls that waited on one failed token fetch each get this same error. The
        /// variant's text writes it with its causes, so
        /// [`source`](std::error::Error::source) does not return it (see the
        /// `std::error::Error` impl): read it here.
        source: std::sync::Arc<reqwest::Error>,
        /// How many requests were sent.
        attempts: u32,
    },
    /// A body that could not be decoded: a 200 that is not the expected JSON, or an error
    /// status whose body is not a `P1Error` (a proxy's HTML page on 502, for instance), a 3xx
    /// of the API, whatever its body (the client follows no redirect), or the
    /// answer of a redirect that an HTTP client of your own followed
    /// ([`ClientBuilder::http_client`](super::ClientBuilder::http_client)), with the URL it led
    /// to in `body_start`. A body in a `Content-Encoding` such as `gzip`, which the client does
    /// not ask for and does not decode (a proxy compressed it), has its `reason` say so. Also
    /// a 2xx to a call about one user whose body is another user's document (an `id` that is
    /// not the one asked for), with both ids in `reason` and an empty `body_start`: that
    /// body is another person's profile, which the error of a call about this user (and the
    /// log that keeps it) does not carry; and a 2xx to such a call whose body has no `id`
    /// string (whose it is cannot be told).
    ///
    /// The text of a 4xx or 5xx starts ``the HTTP 502 answer's body is not PingOne's JSON
    /// error body`` (a 407's after a sentence on the proxy's credentials), then the
    /// `reason` in parentheses, ``after N attempt(s)`` and the start of the body. The
    /// `reason` says what arrived instead of PingOne's error body (RFC 9110 §15.5, §15.6):
    /// - a body read: its kind (``an HTML page`` for a `Content-Type` naming HTML or a body
    ///   starting with `<`, else ``a body``), the `<title>` of an HTML page (found in its
    ///   first 8,192 characters, at most 100 characters shown), its length in bytes and its
    ///   `Content-Type` (at most 100 characters), and where it came from: for a 5xx, something between the
    ///   client and PingOne (a proxy, gateway or load balancer) or the server itself, a
    ///   server's failure, not the request's; for a 4xx, something between them (a proxy,
    ///   gateway or firewall) or a server that is not PingOne's API (the API base URL);
    /// - an empty body, or one in UTF-16 or UTF-32: that, with its `Content-Type`;
    /// - a body over [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES), not read: that;
    ///
    /// and, for the first two, the `WWW-Authenticate` challenge of a 400, 401 or 403 and the
    /// answer's `Correlation-Id`, if it has them (the latter is what PingOne's support asks
    /// for, kept as [`ApiError::correlation_id`] keeps it; a call's span does not record it
    /// for this variant). For example: ``the HTTP 502 answer's body is not
    /// PingOne's JSON error body (an HTML page titled "502 Bad Gateway" of 134 bytes
    /// (Content-Type "text/html"): the answer of something between the client and PingOne
    /// (a proxy, gateway or load balancer) or of the server itself; a 5xx is the server's
    /// failure, not the request's (RFC 9110 §15.6)) after 3 attempt(s); it starts with
    /// "<html>..."``. A 2xx or 3xx reads ``could not decode the HTTP 200 body (...)``.
    Decode {
        /// The HTTP status of the answer.
        status: u16,
        /// Why decoding failed. For a 2xx whose JSON does not fit the model (a value that
        /// the model's enum lacks, a member that its `deny_unknown_fields` refuses), the path
        /// of the attribute comes first (``at `name.given`: invalid type: ...``), no string
        /// or number of the document is quoted (``invalid type: string (12 characters, not
        /// shown), expected struct Name``, ``integer (not shown)``: the document is a user's,
        /// which the text leaves out; the value is in `body_start`, or in the answer read as a
        /// `serde_json::Value`), and the
        /// text says that the request succeeded: PingOne did what was asked (an update was
        /// applied), and only its answer could not be read as the model (of a 202 Accepted,
        /// that the request was accepted for processing not yet completed, so what was asked
        /// is not known to be done: RFC 9110 §15.3.3). So does the reason
        /// of a 2xx whose JSON ends before it is complete (`the body's JSON ends before it is
        /// complete`: a proxy cut it, or the connection ended where the body's framing said it
        /// ended), which is not retried for a PATCH (it was applied), and is for a GET, under
        /// the retry policy.
        reason: String,
        /// The first [`BODY_START_CHARS`] characters of the body. The error's text quotes it,
        /// except for a 2xx whose body is a JSON object or array (or a JSON string whose text
        /// is one: JSON encoded twice): a user's document, or a page of them, whose personal
        /// data a log of the error would otherwise hold. `Debug` leaves it out as the text
        /// does, giving its length.
        body_start: String,
        /// How many requests were sent.
        attempts: u32,
        /// The `Retry-After` of the last answer, for a retryable status (a proxy's 503 page
        /// still answered when the retry policy ran out); see [`Error::retry_after`].
        retry_after: Option<Duration>,
    },
    /// An answer whose status and headers arrived but whose body did not arrive whole, on the
    /// last attempt (or on the only one, for a request that is not sent twice): the
    /// connection ended before the `Content-Length` was reached, or the chunked framing broke,
    /// or, for a status that is not retried (a 400, 401, 403 or 404), or a PATCH's 2xx on the
    /// attempt that is not followed by another, the body did not arrive within the attempt's
    /// timeout (the `source` then says so).
    /// A 2xx `status` means the server carried the request out (a PATCH was applied) and only
    /// its answer was lost: a request that is not idempotent (a SCIM `add`) must not be sent
    /// again. A 202 Accepted means less: the request was accepted for processing, which may
    /// not be done, nor ever be (RFC 9110 §15.3.3); it was received all the same. Retried as a transport failure is, for a 2xx or a status that is retried
    /// (408, 429, 5xx; 403 and 404 inside a consistency window); a 400, 401, 403 or 404 is
    /// the answer, and is not sent again.
    Incomplete {
        /// The HTTP status of the answer whose body was cut short.
        status: u16,
        /// The body's length as its `Content-Length` announced it, if it did.
        expected_bytes: Option<u64>,
        /// The HTTP client's error, a `reqwest::Error` of reqwest 0.13 as for
        /// [`Transport`](Error::Transport) (`end of file before message length reached`, a
        /// chunk size that is not one), which the variant's text writes with its causes (so
        /// [`source`](std::error::Error::source) does not return it: read it here). Its URL
        /// has no query, as [`Transport`](Error::Transport)'s has none.
        source: std::sync::Arc<reqwest::Error>,
        /// How many requests were sent.
        attempts: u32,
        /// The wait the answer asked for, for a retryable status (a 503 or 429 whose body was
        /// cut short, still answered when the retry policy ran out, or asking to wait longer
        /// than its `max_retry_after`, which is not retried): its `Retry-After`, as for
        /// [`Api`](Error::Api); see [`Error::retry_after`]. Without it, a caller (the sync
        /// job among them) could not tell when to come back, nor that the answer had asked
        /// for longer than the policy waits.
        retry_after: Option<Duration>,
    },
    /// The worker application's token request failed (OAuth 2.0 error response, RFC 6749 §5.2),
    /// after `attempts` attempts for a retryable status. An OAuth error response answered
    /// with a 2xx status (as some endpoints and gateways answer every error) is one too, with
    /// that status, as is a PingOne error body so answered (`unknown_error`, its code and
    /// message in the description). The text of a 404 says to check the worker's environment ID and the auth
    /// URL, for which the token endpoint answers it; that of an `invalid_client` whose
    /// description names the "authentication method" (PingOne's "Unsupported authentication
    /// method", for a worker application whose `tokenEndpointAuthMethod` is the other one)
    /// names [`TokenSource::auth_method`](super::TokenSource::auth_method), which sets it.
    /// The text shows the code up to 1,000 characters and the description up to 3,000 (a
    /// PingOne error body's code and message in it up to 1,000 each), escaped as
    /// [`Api`](Error::Api)'s, saying how much it left out; the fields keep the OAuth texts
    /// whole.
    Token {
        /// The HTTP status of the token endpoint.
        status: u16,
        /// The OAuth `error` code, such as `invalid_client`; `unknown_error` when the body
        /// is not an OAuth error response.
        code: String,
        /// The OAuth `error_description`, if any; for a body that is not an OAuth error
        /// response, what arrived: a PingOne error body's code and message, or the start of
        /// the body (such as a proxy's page), the client secret replaced by `***`, then the
        /// token URL that was asked, up to its query (`(the token URL asked: https://...)`):
        /// such an answer most often means that the URL is not a token endpoint.
        description: Option<String>,
        /// How many token requests were sent.
        attempts: u32,
        /// The `Retry-After` of the last answer (a 429 or 503 may carry one), if any: the
        /// token endpoint shares the environment's rate limit with the users API.
        retry_after: Option<Duration>,
        /// `Some(wait)` when no token request was sent for this call: this is the answer of an
        /// earlier request, remembered, and the next request is sent once `wait` (counted
        /// from when this error was made) is over. An answer is remembered while its
        /// `Retry-After` runs (capped at the policy's `max_retry_after`), and for
        /// [`REFUSAL_HOLD`](super::REFUSAL_HOLD) when no retry can fix it (a 401
        /// `invalid_client`, a 400 `unauthorized_client`: any status but 408, 429, 500, 502,
        /// 503 and 504). `None` for an answer that a request of this call (or the one fetch
        /// that it waited on with others) got.
        remembered_for: Option<Duration>,
    },
    /// An argument was refused before anything was sent, such as an identifier that is not a
    /// UUID, or a patch that does not serialize to JSON. (A patch that breaks PingOne's rules
    /// is [`Preflight`](Error::Preflight).)
    InvalidInput(String),
    /// The patch (or the SCIM operations) breaks PingOne's rules, as the client's pre-flight
    /// check found before sending it ([`ClientBuilder::preflight`](super::ClientBuilder::preflight),
    /// [`check_patch`](super::check_patch)): nothing was sent. PingOne would have answered
    /// 400 `INVALID_DATA` with these details; [`targets`](Error::targets) names the
    /// attributes, as it does for PingOne's own 400.
    Preflight {
        /// Every fault in one text, as the error's text writes it after `invalid input: `:
        /// `the patch breaks PingOne's rules (email must be an RFC 2822 address (found
        /// "ada@")); nothing was sent`. The text of a check made alone
        /// ([`check_patch`](super::check_patch), [`check_scim_patch`](super::check_scim_patch)),
        /// which sends nothing in any case, ends without `; nothing was sent`.
        message: String,
        /// One detail per fault, as PingOne's 400 writes them: its `code` (`INVALID_VALUE`,
        /// `SIZE_LIMIT_EXCEEDED`...), its `target` (the attribute's dotted path, `name.given`;
        /// none for the 16 KB profile limit) and its `message`, which quotes the value found
        /// (for SCIM, after the operation: `operation 2 (replace "createdAt"): ...`).
        details: Vec<ErrorDetail>,
    },
    /// The patch could not be written as SCIM operations
    /// ([`update_user_scim`](super::Client::update_user_scim), or your own
    /// [`to_scim_patch`](crate::Patch::to_scim_patch) through `?`, which `From` converts),
    /// before anything was sent: a keyed array whose elements share a key or lack one, or an
    /// attribute name that a SCIM path cannot carry. From `update_user_scim`, whose arrays are
    /// a user's as PingOne answered it, the key or element at fault is said by its kind, not
    /// quoted (`the element is not an object (a string, not shown)`).
    Dialect(crate::DialectError),
    /// A lookup that expects at most one user, such as
    /// [`find_user_by_username`](super::Client::find_user_by_username), found several.
    SeveralMatches {
        /// The filter sent, such as `username eq "dspanner"`.
        filter: String,
        /// The IDs of the first two users that match (the lookup asks for two, which tell one
        /// from several: more may match); a user answered without an `id` that is a UUID is
        /// left out.
        user_ids: Vec<String>,
    },
    /// The client's configuration was refused by [`ClientBuilder::build`](super::ClientBuilder::build).
    Config(String),
    /// A call (or a page of [`list_users`](super::Client::list_users), a line of the sync
    /// job) was polled outside a tokio runtime, such as from `futures::executor::block_on`,
    /// async-std or smol, where the client's HTTP stack (reqwest on tokio) cannot run; nothing
    /// was sent. Run it inside a tokio runtime (`#[tokio::main]`, `#[tokio::test]`,
    /// `Runtime::block_on`, or a thread that entered one with `Handle::enter`) whose IO and
    /// time drivers are enabled (`Builder::enable_all`).
    NoRuntime,
}

/// The text of each variant, with the control and invisible format characters of what it
/// quotes (a server's error fields, a filter of the caller's text, a dialect error's values,
/// a decoder's reason) escaped (`\u{1b}`, `\u{200b}`): the text reaches terminals and logs.
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
                    "PingOne answered HTTP {status} {error} after {attempts} attempt(s){}",
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
                    .map_or_else(String::new, |error| format!(" {error}")),
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
                    Escaped(reason),
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
                source,
                attempts,
                retry_after,
            } => write!(
                f,
                "the HTTP {status} answer's body was cut short{} after {attempts} attempt(s){}{}: {}",
                expected_bytes.map_or_else(String::new, |length| format!(
                    " (its Content-Length announced {length} bytes)"
                )),
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
                "{}the token request answered HTTP {status}: {}{} after {attempts} attempt(s){}{}{}{}",
                proxy_answer_text(*status),
                Shown(code),
                description_text(description.as_deref()),
                retry_after_text(*retry_after),
                remembered_text(*remembered_for),
                token_not_found_text(*status),
                other_auth_method_text(code, description.as_deref())
            ),
            Error::InvalidInput(text) => write!(f, "invalid input: {}", Escaped(text)),
            Error::Preflight { message, .. } => write!(f, "invalid input: {}", Escaped(message)),
            Error::Dialect(error) => {
                // Its text quotes the caller's values (a key's value as JSON, which escapes
                // only the controls below U+0020).
                write!(
                    f,
                    "the patch cannot be written as SCIM operations: {}",
                    Escaped(&error.to_string())
                )
            }
            Error::SeveralMatches { filter, user_ids } => {
                write!(
                    f,
                    "several users match {}; expected at most one",
                    Escaped(filter)
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
            Error::Config(text) => write!(f, "invalid configuration: {}", Escaped(text)),
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

/// [`Error::Dialect`], so that `?` carries the error of
/// [`to_scim_patch`](crate::Patch::to_scim_patch) in code that writes its own SCIM message and
/// sends it with [`update_user_scim_patch`](super::Client::update_user_scim_patch): nothing was
/// sent.
///
/// ```
/// use sparse_patch::pingone::{Client, Error, TokenSource, User, emulator::Emulator};
/// use sparse_patch::{Patch, Patchable, ScimOperation};
///
/// /// The change from `base` to `target` as SCIM operations, with one of your own added.
/// async fn send(client: &Client, env: &str, base: &User, target: &User) -> Result<User, Error> {
///     let id = base.id.as_deref().unwrap_or_default();
///     let mut message = base.diff(target).to_scim_patch(base)?;
///     message.operations.push(ScimOperation::replace("title", "Dr".into()));
///     client.update_user_scim_patch(env, id, &message).await
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::start()?;
/// let client = Client::builder()
///     .api_base_url(emulator.api_base_url())
///     .token(TokenSource::bearer(emulator.token()))
///     .build()?;
/// let (env, base) = (emulator.environment_id(), client.get_user(emulator.environment_id(), emulator.user_id()).await?);
/// let mut target = base.clone();
/// target.nickname = Some("Dave".into());
/// let user = send(&client, env, &base, &target).await?;
/// assert_eq!((user.nickname.as_deref(), user.title.as_deref()), (Some("Dave"), Some("Dr")));
///
/// // A name that no SCIM path can carry: `Error::Dialect`, and nothing is sent.
/// target.custom.insert("not a name".into(), "x".into());
/// let error = send(&client, env, &base, &target).await.unwrap_err();
/// assert!(matches!(error, Error::Dialect(sparse_patch::DialectError::ScimName { .. })));
/// # Ok(())
/// # }
/// ```
impl From<crate::DialectError> for Error {
    fn from(error: crate::DialectError) -> Self {
        Error::Dialect(error)
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
/// one [`TokenSource::auth_method`](super::TokenSource::auth_method) sets, and the error
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

impl Error {
    /// The HTTP status of the answer that caused the error, if there was one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::Incomplete { status, .. }
            | Error::Token { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Transport { source, .. } => source.status().map(|status| status.as_u16()),
            _ => None,
        }
    }

    /// Whether trying again later might succeed: 408, 429, 500, 502, 503 and 504 (from the API
    /// or the token endpoint), an API answer whose PingOne error code is `UNEXPECTED_ERROR`
    /// whatever its status but 401 ([`RetryPolicy::is_retryable_code`](super::RetryPolicy::is_retryable_code)),
    /// timeouts, transport failures and bodies cut short
    /// ([`Error::Incomplete`]) of a 2xx or of those statuses. Never for 400, 401, 403 or
    /// 404 of another code, nor for invalid input, nor for a server certificate that was not trusted, nor for
    /// a redirect loop that an HTTP client of your own followed to its limit, nor for a proxy
    /// that asks for credentials (`407 Proxy Authentication Required` to the `CONNECT` of an
    /// `https` request), nor for a server that does not answer in TLS at an `https` URL.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => {
                certificate_error(&**source).is_none()
                    && !source.is_redirect()
                    && !proxy_asks_for_credentials(&**source)
                    && !not_tls(&**source)
            }
            Error::RateLimited { .. } | Error::Timeout { .. } => true,
            Error::Incomplete { status, .. } => super::RetryPolicy::retries_without_body(*status),
            Error::Api { status, error, .. } => {
                super::RetryPolicy::is_retryable_status(*status)
                    || error
                        .code
                        .as_deref()
                        .is_some_and(|code| super::RetryPolicy::is_retryable_code(*status, code))
            }
            Error::Decode { status, .. } | Error::Token { status, .. } => {
                super::RetryPolicy::is_retryable_status(*status)
            }
            _ => false,
        }
    }

    /// The error's kind, its variant's name in snake case (`api`, `rate_limited`, `timeout`,
    /// `transport`, `decode`, `incomplete`, `token`, `invalid_input`, `preflight`, `dialect`,
    /// `several_matches`, `config`, `no_runtime`): the `error` field of the `tracing` event
    /// of a failed call, which gives no text of the error (PingOne's message may quote a
    /// user's values).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Api { .. } => "api",
            Error::RateLimited { .. } => "rate_limited",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::Decode { .. } => "decode",
            Error::Incomplete { .. } => "incomplete",
            Error::Token { .. } => "token",
            Error::InvalidInput(_) => "invalid_input",
            Error::Preflight { .. } => "preflight",
            Error::Dialect(_) => "dialect",
            Error::SeveralMatches { .. } => "several_matches",
            Error::Config(_) => "config",
            Error::NoRuntime => "no_runtime",
        }
    }

    /// How many requests were sent before giving up, for errors that come from an answer (or
    /// its absence).
    #[must_use]
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api { attempts, .. }
            | Error::RateLimited { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::Incomplete { attempts, .. }
            | Error::Token { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// The decoded `P1Error` body, if there was one.
    #[must_use]
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::RateLimited { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The `Correlation-Id` of PingOne's error answer ([`ApiError::correlation_id`]), which
    /// PingOne's support asks for to find the request in its logs; `None` for an answer
    /// without one, and for an error that is no decoded `P1Error` (a gateway's HTML page, a
    /// timeout).
    #[must_use]
    pub fn correlation_id(&self) -> Option<&str> {
        self.api_error()?.correlation_id.as_deref()
    }

    /// The PingOne error code, such as `INVALID_DATA`.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        self.api_error()?.code.as_deref()
    }

    /// The attribute that a 400 or 403 (or the pre-flight check) was about: the error body's
    /// own `target` ([`ApiError::target`]), else the `target` of the first detail that has one.
    #[must_use]
    pub fn target(&self) -> Option<&str> {
        self.targets().next()
    }

    /// Every `target`, in order: of PingOne's answer ([`api_error`](Error::api_error)), its
    /// body's own `target` first ([`ApiError::target`], unless a detail names the same), then
    /// each detail's; or of the pre-flight check's refusal ([`Error::Preflight`]).
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        let (own, details) = match self {
            Error::Preflight { details, .. } => (None, Some(details)),
            _ => {
                let error = self.api_error();
                (
                    error.and_then(|error| error.target.as_deref()),
                    error.map(|error| &error.details),
                )
            }
        };
        let of_details = move || {
            details
                .into_iter()
                .flatten()
                .filter_map(|detail| detail.target.as_deref())
        };
        own.filter(|own| !of_details().any(|target| target == *own))
            .into_iter()
            .chain(of_details())
    }

    /// Whether the server's TLS certificate was refused: issued by a CA that neither the
    /// system's trust store nor [`add_root_certificate`](super::ClientBuilder::add_root_certificate)
    /// trusts, expired, not valid for the host name, revoked, or otherwise invalid.
    #[must_use]
    pub fn is_untrusted_certificate(&self) -> bool {
        match self {
            Error::Transport { source, .. } => certificate_error(&**source).is_some(),
            _ => false,
        }
    }

    /// The wait the last answer asked for, when its status is retryable (408, 429, 500, 502,
    /// 503, 504): of a rate-limited request ([`Error::RateLimited`]), of a 503 (or another
    /// retryable status) still answered when the retry policy ran out ([`Error::Api`], or
    /// [`Error::Decode`] for a proxy's page, or [`Error::Incomplete`] for a body cut short),
    /// or of a failed token request. Its
    /// `Retry-After` as the server wrote it (RFC 9110 §10.2.3; a date counted from the
    /// answer's `Date`, the server's clock, and zero for a date not after it), else, for an
    /// answer without that header, the `retryAfter` of its PingOne error body's
    /// `details[].innerError` (seconds, as a number or a string, or a date: an HTTP date or
    /// an RFC 3339 date-time), and without that the time until its `quotaResetTime` (a
    /// `QUOTA_EXCEEDED` quota's reset, a date). Not capped, so it may be as long as `u64::MAX` seconds. The
    /// client's own waits are capped ([`RetryPolicy`](super::RetryPolicy)), and a zero is no
    /// wait for them (the backoff applies); a caller that waits on this value should do the
    /// same, and add it to an `Instant` with `checked_add` (`+` panics on overflow).
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. }
            | Error::Token { retry_after, .. }
            | Error::Api { retry_after, .. }
            | Error::Decode { retry_after, .. }
            | Error::Incomplete { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// What the reason of an [`Error::Decode`] of a 2xx body whose JSON ends before it is complete
/// starts with ([`Error::is_cut_json`]), after the note of an undecoded `Content-Encoding`.
pub(crate) const CUT_JSON: &str = "the body's JSON ends before it is complete";

/// How the note of a body whose `Content-Encoding` was not decoded starts, before the
/// encoding's name (quoted as `Debug` quotes a string) and [`ENCODING_NOTE_END`].
pub(crate) const ENCODING_NOTE_START: &str = "the body is Content-Encoding ";

/// How that note ends, before the reason it prefixes.
pub(crate) const ENCODING_NOTE_END: &str = ", which was not decoded: the client asks for no \
     encoding itself (an HTTP client given to it, or reqwest's compression features turned on \
     by another crate, may ask for some, and decode only those), so a proxy or gateway on the \
     way most likely encoded it: ";

impl Error {
    /// Whether this is the [`Decode`](Error::Decode) of a 2xx body whose JSON ends before it
    /// is complete: the request succeeded, and its answer was cut short on the way (a GET is
    /// then sent again, under the retry policy). Told by where its reason starts, not by the
    /// text anywhere in it: a reason quotes the value that the decoder refused, and a server's
    /// value that quotes [`CUT_JSON`] (`"enabled": "the body's JSON ends..."`) had a whole
    /// answer taken for a cut one, and the GET sent again to the end of the policy.
    #[cold]
    pub(crate) fn is_cut_json(&self) -> bool {
        matches!(self, Error::Decode { status, reason, .. }
            if (200..300).contains(status) && without_encoding_note(reason).starts_with(CUT_JSON))
    }
}

/// `reason` without the note of an undecoded `Content-Encoding` that may start it: the
/// encoding's name is a header's value, quoted (`"`, `\` escaped), read to its closing quote.
fn without_encoding_note(reason: &str) -> &str {
    let Some(quoted) = reason
        .strip_prefix(ENCODING_NOTE_START)
        .and_then(|rest| rest.strip_prefix('"'))
    else {
        return reason;
    };
    let mut escaped = false;
    for (at, c) in quoted.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                return quoted[at + 1..]
                    .strip_prefix(ENCODING_NOTE_END)
                    .unwrap_or(reason);
            }
            _ => {}
        }
    }
    reason
}

/// A URL as an error shows it: up to its query and without its fragment or user information
/// (a query may carry a code or a token, as a sign-in redirect's does), or, when `text` is
/// not an absolute URL (a relative `Location`), `text` up to its query, with the userinfo of
/// a link relative to the scheme (`//user:password@host/...`) as `***@`
/// ([`shown_link`](super::query_credentials::shown_link), RFC 3986 §3.2.1); text that is no
/// URL, absolute or relative, with everything up to its last `@` as `***`
/// ([`shown_unparsed_link`](super::query_credentials::shown_unparsed_link)).
pub(crate) fn shown_url(text: &str) -> String {
    let text = text.trim();
    match reqwest::Url::parse(text) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        // A relative reference (a `Location` of `/path`) is shown as a link is; text that is
        // not one either (`https://user:pa/ss@host`: where its userinfo ends cannot be told)
        // with less of it ([`shown_unparsed_link`](super::query_credentials::shown_unparsed_link)).
        Err(_) if is_relative_reference(text) => {
            super::query_credentials::shown_link(text).into_owned()
        }
        Err(_) => super::query_credentials::shown_unparsed_link(text),
    }
}

/// Whether `text` reads as a URL relative to an `https` one (RFC 3986 §4.2, resolved as the
/// WHATWG URL parser resolves it).
fn is_relative_reference(text: &str) -> bool {
    reqwest::Url::parse("https://base.invalid/")
        .and_then(|base| base.join(text))
        .is_ok()
}

/// What a body starts as, if a JSON object or array (after white space): a user's document,
/// a page of them, a list of them, which the text of [`Error::Decode`] does not quote for a
/// 2xx.
///
/// A JSON string whose text is such a document (`"{\"id\": ...}"`: JSON encoded twice, as a
/// gateway or function that encodes its answer one time too many sends it) is one too: its
/// text is the same profile.
///
/// Told after white space, NULs, byte order marks and replacement characters: a document in
/// UTF-16 or UTF-32 ([`is_utf16_or_utf32`]), whose start read as UTF-8 is a byte order mark
/// turned into replacement characters and a NUL beside each ASCII character, is one too.
pub(crate) fn json_document(body_start: &str) -> Option<&'static str> {
    let skipped =
        |character: char| character.is_whitespace() || is_wide_encoding_residue(character);
    let text = body_start.trim_start_matches(skipped);
    match text.chars().next() {
        Some('{') => Some("object"),
        Some('[') => Some("array"),
        Some('"')
            if text[1..]
                .trim_start_matches(skipped)
                .starts_with(['{', '[']) =>
        {
            Some("string that holds JSON")
        }
        _ => None,
    }
}

pub(crate) use crate::text_encoding::is_utf16_or_utf32;

/// Whether `character` is what UTF-16 or UTF-32 text read as UTF-8 holds beside its ASCII
/// characters: a NUL, a byte order mark, or a replacement character (of a byte order mark
/// or a code unit that is not UTF-8).
pub(crate) fn is_wide_encoding_residue(character: char) -> bool {
    matches!(character, '\0' | '\u{FEFF}' | '\u{FFFD}')
}

/// `body` lossily decoded, as an error quotes it; a body in UTF-16 or UTF-32
/// ([`is_utf16_or_utf32`]) without its NULs, byte order marks and replacement characters,
/// so that its ASCII text reads as it would in UTF-8, and a token or secret in it is found
/// to be taken out (with a NUL beside each of its characters, a search for it found none,
/// while a reader of the quote saw it).
pub(crate) fn quotable_text(body: &[u8]) -> std::borrow::Cow<'_, str> {
    let text = String::from_utf8_lossy(body);
    if !is_utf16_or_utf32(body) {
        return text;
    }
    std::borrow::Cow::Owned(
        text.chars()
            .filter(|&character| !is_wide_encoding_residue(character))
            .collect(),
    )
}

/// `Debug` as `#[derive(Debug)]` writes it, except [`Error::Decode`]'s `body_start` for a 2xx
/// JSON object or array (a user's document, or a page of them), which the text leaves out too:
/// its length is shown instead.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                error,
                attempts,
                retry_after,
            } => f
                .debug_struct("Api")
                .field("status", status)
                .field("error", error)
                .field("attempts", attempts)
                .field("retry_after", retry_after)
                .finish(),
            Error::RateLimited {
                retry_after,
                error,
                attempts,
            } => f
                .debug_struct("RateLimited")
                .field("retry_after", retry_after)
                .field("error", error)
                .field("attempts", attempts)
                .finish(),
            Error::Timeout { timeout, attempts } => f
                .debug_struct("Timeout")
                .field("timeout", timeout)
                .field("attempts", attempts)
                .finish(),
            Error::Transport { source, attempts } => f
                .debug_struct("Transport")
                .field("source", source)
                .field("attempts", attempts)
                .finish(),
            Error::Decode {
                status,
                reason,
                body_start,
                attempts,
                retry_after,
            } => {
                let hidden;
                let shown: &dyn fmt::Debug = match json_document(body_start) {
                    Some(kind) if (200..300).contains(status) => {
                        hidden = NotShown(kind, body_start.chars().count());
                        &hidden
                    }
                    _ => body_start,
                };
                f.debug_struct("Decode")
                    .field("status", status)
                    .field("reason", reason)
                    .field("body_start", shown)
                    .field("attempts", attempts)
                    .field("retry_after", retry_after)
                    .finish()
            }
            Error::Incomplete {
                status,
                expected_bytes,
                source,
                attempts,
                retry_after,
            } => f
                .debug_struct("Incomplete")
                .field("status", status)
                .field("expected_bytes", expected_bytes)
                .field("source", source)
                .field("attempts", attempts)
                .field("retry_after", retry_after)
                .finish(),
            Error::Token {
                status,
                code,
                description,
                attempts,
                retry_after,
                remembered_for,
            } => f
                .debug_struct("Token")
                .field("status", status)
                .field("code", code)
                .field("description", description)
                .field("attempts", attempts)
                .field("retry_after", retry_after)
                .field("remembered_for", remembered_for)
                .finish(),
            Error::InvalidInput(text) => f.debug_tuple("InvalidInput").field(text).finish(),
            Error::Preflight { message, details } => f
                .debug_struct("Preflight")
                .field("message", message)
                .field("details", details)
                .finish(),
            Error::Dialect(error) => f.debug_tuple("Dialect").field(error).finish(),
            Error::SeveralMatches { filter, user_ids } => f
                .debug_struct("SeveralMatches")
                .field("filter", filter)
                .field("user_ids", user_ids)
                .finish(),
            Error::Config(text) => f.debug_tuple("Config").field(text).finish(),
            Error::NoRuntime => f.write_str("NoRuntime"),
        }
    }
}

/// What `Debug` shows for the start of a 2xx JSON body: its kind and length in characters.
struct NotShown(&'static str, usize);

impl fmt::Debug for NotShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<a JSON {}, {} characters, not shown>", self.0, self.1)
    }
}

/// The first [`BODY_START_CHARS`] characters of a body, lossily decoded.
pub(crate) fn body_start(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(BODY_START_CHARS)
        .collect()
}

/// The rustls certificate error among `error`'s causes, if any. rustls's error sits inside an
/// `io::Error` (inside another, through reqwest's connector), whose `source` skips what it
/// wraps: an `io::Error` is followed through `get_ref`.
pub(crate) fn certificate_error<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::CertificateError> {
    match rustls_error(error)? {
        rustls::Error::InvalidCertificate(certificate) => Some(certificate),
        _ => None,
    }
}

/// The rustls error among `error`'s causes, if any (see [`certificate_error`]).
fn rustls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(error) = error.downcast_ref::<rustls::Error>() {
            return Some(error);
        }
        cause = match error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// Whether `error`, or an error it was caused by, is rustls finding that the server's first
/// answer is no TLS record (`InvalidContentType`): a server that speaks plain HTTP at the
/// port of an `https://` URL (the emulator, a local proxy or gateway), whose `HTTP/1.1 400`
/// to the TLS handshake rustls reports as "received corrupt message of type
/// InvalidContentType". The next attempt reaches the same server: not retried.
pub(crate) fn not_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        rustls_error(error),
        Some(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType
        ))
    )
}

/// What a transport error's text says first of a server that did not answer in TLS.
fn not_tls_text(error: &reqwest::Error) -> &'static str {
    if not_tls(error) {
        "the server did not answer in TLS (its answer to the handshake is no TLS record: a \
         server that speaks plain HTTP, such as the emulator, at an https:// URL? Its URL \
         would then be http://); not retried; "
    } else {
        ""
    }
}

/// The text of hyper-util's error for a `CONNECT` that the proxy answered with 407 (its
/// `TunnelError::ProxyAuthRequired`, which reqwest does not expose as a type of its own).
const PROXY_AUTH_REQUIRED: &str = "proxy authorization required";

/// Whether `error`, or an error it was caused by, is a proxy's `407 Proxy Authentication
/// Required` to the `CONNECT` that opens an `https` request's tunnel: the proxy wants
/// credentials that the request did not carry, or refused those it carried. Sent again, the
/// `CONNECT` carries the same, and is refused the same (and a proxy that checks them against
/// a directory may count each refusal towards locking the account): not retried.
pub(crate) fn proxy_asks_for_credentials(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.to_string().ends_with(PROXY_AUTH_REQUIRED) {
            return true;
        }
        cause = error.source();
    }
    false
}

/// What a transport error's text says first of a proxy that asks for credentials.
fn proxy_credentials_text(error: &reqwest::Error) -> &'static str {
    if proxy_asks_for_credentials(error) {
        "the proxy asked for credentials (HTTP 407 Proxy Authentication Required to the \
         CONNECT of the request), which it did not get or refused: give them in the proxy's \
         URL, http://user:password@host:port (ClientBuilder::proxy, or HTTPS_PROXY); not \
         retried; "
    } else {
        ""
    }
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

/// The text of hyper-util's error for a `CONNECT` that the proxy answered with a status other
/// than 200 and 407, or with no HTTP answer (its `TunnelError::TunnelUnsuccessful`, which
/// keeps no status).
const TUNNEL_UNSUCCESSFUL: &str = "tunnel error: unsuccessful";

/// What a transport error's text says first of a proxy that refused the `CONNECT` of an
/// `https` request otherwise than with 407: reqwest's own text, "tunnel error: unsuccessful",
/// did not say that the proxy, not the server, had refused, nor what to look at.
fn proxy_refused_text(error: &reqwest::Error) -> &'static str {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if error.to_string().ends_with(TUNNEL_UNSUCCESSFUL) {
            return "the proxy refused to open a tunnel to the server (its answer to the \
                    CONNECT of the request was neither 200 nor 407; the HTTP client does not \
                    say which: most often 403 when the proxy's rules do not allow the host, or \
                    502, 503 or 504 when it could not reach it, which is why it is retried); ";
        }
        cause = error.source();
    }
    ""
}

/// `the server's TLS certificate was not trusted: {why}; ` for a refused certificate, else
/// nothing.
fn untrusted_certificate_text(error: &reqwest::Error) -> String {
    use rustls::CertificateError as Refusal;
    let Some(refusal) = certificate_error(error) else {
        return String::new();
    };
    let why = match refusal {
        Refusal::UnknownIssuer => {
            "it was not issued by a CA that the system's trust store or add_root_certificate \
             holds"
        }
        Refusal::NotValidForName | Refusal::NotValidForNameContext { .. } => {
            "it is not valid for the host name"
        }
        Refusal::Expired | Refusal::ExpiredContext { .. } => "it has expired",
        Refusal::NotValidYet | Refusal::NotValidYetContext { .. } => "it is not valid yet",
        Refusal::Revoked => "it was revoked",
        _ => "it is invalid",
    };
    format!("the server's TLS certificate was not trusted: {why}; ")
}

/// An error and its causes, joined with `: `, since reqwest's own text leaves out the cause
/// ("connection refused", "dns error").
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        let more = error.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = error.source();
    }
    text
}
