//! [`Correlation`]: the `X-Ping-External-Transaction-ID` and `X-Ping-External-Session-ID`
//! headers that tie a call to the caller's own logs.

use core::fmt;

use reqwest::header::HeaderValue;

use super::Error;

/// The header that carries [`Correlation::transaction_id`].
#[cfg(feature = "client")]
pub const TRANSACTION_ID_HEADER: &str = "X-Ping-External-Transaction-ID";
/// The header that carries [`Correlation::session_id`].
#[cfg(feature = "client")]
pub const SESSION_ID_HEADER: &str = "X-Ping-External-Session-ID";
/// The most characters a correlation ID may have.
#[cfg(feature = "client")]
pub const MAX_CORRELATION_ID_CHARS: usize = 100;

/// Correlation IDs sent with every request of a client to the users API (not with a worker
/// token's request, which serves many calls)
/// ([`ClientBuilder::correlation`](super::ClientBuilder::correlation)) or of some calls
/// ([`Client::with_correlation`](super::Client::with_correlation), whose IDs win over the
/// client's, one by one).
///
/// An ID is 1 to [`MAX_CORRELATION_ID_CHARS`] of the ASCII characters that PingOne keeps:
/// letters, digits, `.`, `_`, `-`, `/`, `@`, `=`, `#` and `+`. PingOne converts any other
/// character to `_`, so an ID such as `run 7` or `row:42` reached its logs as `run_7` and
/// `row_42`, and a search of them for the ID the caller logged found nothing; such an ID is
/// refused instead. (PingOne also keeps letters, marks and digits beyond ASCII; they are
/// refused here too, as a header carries ASCII only: RFC 9110 §5.5.)
///
/// Source: PingOne Platform API, "Headers" (optional request headers
/// `X-Ping-External-Transaction-ID` and `X-Ping-External-Session-ID`, at most 100 characters),
/// and the description of both headers in PingOne's OpenAPI description as the Go SDK carries
/// it ("Any invalid characters will be converted to underscores. The following characters are
/// allowed: Unicode letters, combining marks, numeric characters, dots, underscores, dashes,
/// `/`, `@`, `=`, `#`, `+`": `management/docs/UsersApi.md` of `patrickcping/pingone-go-sdk-v2`).
///
/// ```
/// use sparse_patch::pingone::Correlation;
///
/// let ids = Correlation::new().transaction_id("hr-feed-2026-12-02")?.session_id("run-7")?;
/// assert_eq!(ids.get_transaction_id(), Some("hr-feed-2026-12-02"));
/// assert!(Correlation::new().transaction_id("line\nbreak").is_err());
/// assert!(Correlation::new().session_id(&"x".repeat(101)).is_err());
/// // PingOne would log it as `run_7`.
/// assert!(Correlation::new().session_id("run 7").is_err());
/// # Ok::<(), sparse_patch::pingone::Error>(())
/// ```
#[cfg(feature = "client")]
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Correlation {
    transaction_id: Option<HeaderValue>,
    session_id: Option<HeaderValue>,
}

impl fmt::Debug for Correlation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Correlation")
            .field("transaction_id", &self.get_transaction_id())
            .field("session_id", &self.get_session_id())
            .finish()
    }
}

impl Correlation {
    /// No correlation IDs.
    #[must_use]
    pub fn new() -> Self {
        Correlation::default()
    }

    /// Sets `X-Ping-External-Transaction-ID`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `id` is empty, longer than [`MAX_CORRELATION_ID_CHARS`],
    /// or holds a character other than an ASCII letter or digit, `.`, `_`, `-`, `/`, `@`,
    /// `=`, `#` and `+` (PingOne would log another as `_`), a space or a control character
    /// among them.
    pub fn transaction_id(mut self, id: &str) -> Result<Self, Error> {
        self.transaction_id = Some(check(TRANSACTION_ID_HEADER, id)?);
        Ok(self)
    }

    /// Sets `X-Ping-External-Session-ID`.
    ///
    /// # Errors
    ///
    /// As [`transaction_id`](Correlation::transaction_id).
    pub fn session_id(mut self, id: &str) -> Result<Self, Error> {
        self.session_id = Some(check(SESSION_ID_HEADER, id)?);
        Ok(self)
    }

    /// The transaction ID, if set.
    #[must_use]
    pub fn get_transaction_id(&self) -> Option<&str> {
        self.transaction_id.as_ref().and_then(|v| v.to_str().ok())
    }

    /// The session ID, if set.
    #[must_use]
    pub fn get_session_id(&self) -> Option<&str> {
        self.session_id.as_ref().and_then(|v| v.to_str().ok())
    }

    /// These IDs, each falling back to `base`'s where unset.
    pub(crate) fn over(&self, base: &Correlation) -> Correlation {
        Correlation {
            transaction_id: self
                .transaction_id
                .clone()
                .or_else(|| base.transaction_id.clone()),
            session_id: self.session_id.clone().or_else(|| base.session_id.clone()),
        }
    }

    /// Adds the headers that are set to `request`.
    pub(crate) fn apply(&self, mut request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if let Some(id) = &self.transaction_id {
            request = request.header(TRANSACTION_ID_HEADER, id.clone());
        }
        if let Some(id) = &self.session_id {
            request = request.header(SESSION_ID_HEADER, id.clone());
        }
        request
    }
}

fn check(header: &str, id: &str) -> Result<HeaderValue, Error> {
    let length = id.chars().count();
    let shown: String = id.chars().take(MAX_CORRELATION_ID_CHARS + 10).collect();
    let refuse = |why: &str| {
        Err(Error::InvalidInput(format!(
            "the {header} {shown:?} {why}; nothing was sent"
        )))
    };
    if length == 0 {
        return refuse("is empty");
    }
    if length > MAX_CORRELATION_ID_CHARS {
        return refuse(&format!(
            "has {length} characters, more than {MAX_CORRELATION_ID_CHARS}"
        ));
    }
    if id.chars().any(char::is_control) {
        return refuse("holds a control character");
    }
    if !id.bytes().all(|byte| (b' '..=b'~').contains(&byte)) {
        return refuse("holds a character outside printable ASCII");
    }
    if let Some(other) = id.chars().find(|&c| !is_kept(c)) {
        return refuse(&format!(
            "holds {other:?}, which PingOne would log as `_` (it keeps letters, digits and \
             `._-/@=#+`)"
        ));
    }
    HeaderValue::from_str(id).or_else(|_| refuse("cannot be a header value"))
}

/// Whether PingOne keeps `c` in a correlation ID (an ASCII character; see [`Correlation`]).
fn is_kept(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '@' | '=' | '#' | '+')
}
