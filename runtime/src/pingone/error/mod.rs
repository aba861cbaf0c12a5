//! [`Error`]: everything that can go wrong between the client and PingOne.
//!
//! The enum and its conversions are here; its text ([`display`]), its `Debug` ([`debug`]),
//! its accessors ([`accessors`]) and the helpers that the client's reading of answers shares
//! with them each have a file.

mod accessors;
mod body_quote;
mod cut_json;
mod debug;
mod display;
mod shown_url;
mod transport_cause;

use std::time::Duration;

use super::error_body::{ApiError, ErrorDetail};

pub(crate) use body_quote::{
    body_start, is_utf16_or_utf32, is_wide_encoding_residue, json_document, quotable_text,
};
pub(crate) use cut_json::{CUT_JSON, ENCODING_NOTE_END, ENCODING_NOTE_START};
pub(crate) use shown_url::shown_url;
pub(crate) use transport_cause::{
    certificate_error, error_chain, not_tls, proxy_asks_for_credentials,
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
    /// string (whose it is cannot be told). Also a token endpoint's 2xx that is no OAuth token
    /// response (RFC 6749 §5.1), whose `reason` starts ``not an OAuth token response:`` and
    /// ends with what arrived, as below (``; the body is an HTML page titled "Sign in" of 120
    /// bytes (Content-Type "text/html")``), or, for a body that may hold a token (JSON, a
    /// bare token), with its length and `Content-Type`, the body not quoted.
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
    /// - a body over [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES), not read: that, with its
    ///   `Content-Type` if it has one (``; Content-Type "text/html"``), as for a 2xx's and
    ///   the token endpoint's such body;
    ///
    /// and, for the first two, the `WWW-Authenticate` challenge of a 400, 401 or 403 and the
    /// answer's `Correlation-Id`, if it has them (the latter is what PingOne's support asks
    /// for, kept as [`ApiError::correlation_id`] keeps it; a call's span does not record it
    /// for this variant). For example: ``the HTTP 502 answer's body is not
    /// PingOne's JSON error body (an HTML page titled "502 Bad Gateway" of 134 bytes
    /// (Content-Type "text/html"): the answer of something between the client and PingOne
    /// (a proxy, gateway or load balancer) or of the server itself; a 5xx is the server's
    /// failure, not the request's (RFC 9110 §15.6)) after 3 attempt(s); it starts with
    /// "<html>..."``. A 2xx or 3xx reads ``could not decode the HTTP 200 body (...)``; the
    /// `reason` of a 2xx whose body is no JSON (a proxy's or captive portal's page answered
    /// with 200) names it as above, ``the body is not JSON but an HTML page titled "Sign in"
    /// of 120 bytes (Content-Type "text/html")``, and that of an empty 2xx body ends with its
    /// `Content-Type` (``; Content-Type "text/html"``), if it has one.
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
    ///
    /// The text names the answer's `Content-Type` (`the HTTP 503 answer's body was cut short
    /// (its Content-Length announced 1134 bytes; Content-Type "text/html")`): what was on its
    /// way, a proxy's page or the JSON asked for. It is a field of its own, `content_type`, as
    /// the variant has no text field to carry it (the token endpoint's refusal cut short,
    /// [`Token`](Error::Token), and a body too large, [`Decode`](Error::Decode), say it in the
    /// text they had): a pattern that names every field without `..` had to change, one with
    /// `..` did not. This variant alone is `#[non_exhaustive]`, so that a field added later
    /// breaks no pattern: match it with `..` (`Error::Incomplete { status, .. }`).
    #[non_exhaustive]
    Incomplete {
        /// The HTTP status of the answer whose body was cut short.
        status: u16,
        /// The body's length as its `Content-Length` announced it, if it did.
        expected_bytes: Option<u64>,
        /// The answer's `Content-Type`, if it had one, as the text shows it: its visible ASCII
        /// characters and spaces, at most 100, without the request's token or client secret
        /// (a proxy that echoes the request's headers may echo them there).
        content_type: Option<String>,
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
    /// message in the description). The text of a 404 says to check the worker's environment
    /// ID and the auth URL, for which the token endpoint answers it; a refused request whose
    /// auth base URL's path ends in the API's `/v1` says that the auth base URL should not
    /// end in it (see [`ClientBuilder::auth_base_url`](super::ClientBuilder::auth_base_url));
    /// that of an `invalid_client` whose
    /// description names the "authentication method" (PingOne's "Unsupported authentication
    /// method", for a worker application whose `tokenEndpointAuthMethod` is the other one)
    /// names [`TokenSource::auth_method`](super::TokenSource::auth_method), which sets it.
    /// The text shows the code up to 1,000 characters and the description up to 3,000 (a
    /// PingOne error body's code and message in it up to 1,000 each), escaped as
    /// [`Api`](Error::Api)'s, the two together up to 6,000 bytes, saying how much it left
    /// out; the fields keep the OAuth texts whole.
    Token {
        /// The HTTP status of the token endpoint.
        status: u16,
        /// The OAuth `error` code, such as `invalid_client`; `unknown_error` when the body
        /// is not an OAuth error response.
        code: String,
        /// The OAuth `error_description`, if any; for a body that is not an OAuth error
        /// response, what arrived: a PingOne error body's code and message, or what
        /// [`Decode`](Error::Decode)'s reason says of a body that is no PingOne error body
        /// (its kind, the `<title>` of an HTML page, its length and its `Content-Type`, or
        /// that it is empty, with its `Content-Type`) and the start of the body (such as a
        /// proxy's page: ``not an OAuth error response but an HTML page titled "503 Service
        /// Unavailable" of 134 bytes (Content-Type "text/html"); the body starts with
        /// "<html>..."``), or, for a refusal whose body the connection cut short, that, with
        /// the length announced and the `Content-Type` (``the connection closed inside the
        /// answer's body (1134 bytes announced; Content-Type "text/html"), before its code
        /// arrived``), the client secret replaced by `***`, then the token URL that was
        /// asked, up to its query (`(the token URL asked: https://...)`): such an answer most
        /// often means that the URL is not a token endpoint.
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
        /// none for the 16 KiB profile limit) and its `message`, which quotes the value found
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
