//! Telling an [`Error::Decode`] of a 2xx body whose JSON was cut short on the way, by where
//! its reason starts.

use super::Error;

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
