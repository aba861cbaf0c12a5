//! What became of each line: [`Outcome`], its [`Status`] and [`OutcomeError`]; and
//! [`printable`], which escapes a feed's text for a terminal. The counts of a run
//! ([`Summary`](super::Summary)) are `summary.rs`; writing a report of outcomes and reading it
//! back is `report.rs`.

use core::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::desired::{LineError, MatchKey};
use crate::pingone::Error;
use crate::pingone::error_body::Escaped;
use crate::quoted::Quoted;

/// What became of one line. A report holds one per line of the feed, as JSON Lines:
///
/// ```text
/// {"line":2,"key":{"username":"alan"},"userId":"…","patch":{"title":"Dr"},"status":"changed"}
/// {"line":5,"key":{"email":"x@example.com"},"status":"notFound","error":{"message":"no user has email \"x@example.com\""}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Outcome {
    /// The line number in the feed, from 1.
    pub line: usize,
    /// How the line names its user, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<MatchKey>,
    /// The user's ID, once found: also for a [`Status::Duplicate`] whose user an earlier line
    /// found (by this line's key or another).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The JSON merge patch sent (or, in a dry run, that would be sent); absent when nothing
    /// is to be sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<Value>,
    /// What happened.
    pub status: Status,
    /// Why, when the line failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<OutcomeError>,
    /// A digest of the feed line's text ([`line_digest`]: 16 hexadecimal digits), so that
    /// [`rerun_lines`](super::rerun_lines) runs a done line again when the line at its number was edited since,
    /// even with the same key. Absent for a line that could not be read, and in reports
    /// written before it existed, whose done lines are then told by their key alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_digest: Option<String>,
    /// For a [`Status::WouldChange`] line of a dry run with
    /// [`SyncJob::planned_changes`](super::SyncJob::planned_changes): what its patch changes,
    /// with the values the user holds now (`~ /title: "Engineer" -> "Lead"`), from the user the
    /// dry run read. Never written in a report (the report's format is the same with it), and
    /// absent from one read back. Boxed, so that an outcome without it (every outcome but a
    /// dry run's with the option) stays a pointer's size larger, not the changes' own.
    #[serde(skip)]
    pub changes: Option<Box<super::PlannedChanges>>,
}

/// The digest of a feed line's text that its [`Outcome::line_digest`] records: FNV-1a (64
/// bits, <http://www.isthe.com/chongo/tech/comp/fnv/>) of the line without the white space
/// around it (a line ending `\r\n` or an indented line reads as the same JSON) nor a byte
/// order mark before it (U+FEFF, which a feed saved as "UTF-8 with BOM" has before its first
/// line, and which the job reads as not part of the line), as 16
/// lower-case hexadecimal digits. Not a cryptographic hash: it tells an edited line from the
/// one a report recorded, not a line written to collide.
///
/// ```
/// use sparse_patch::pingone::sync::line_digest;
///
/// assert_eq!(line_digest(""), "cbf29ce484222325");
/// assert_eq!(line_digest(" {\"username\":\"ada\"}\r"), line_digest("{\"username\":\"ada\"}"));
/// assert_eq!(line_digest("\u{feff}{\"username\":\"ada\"}"), line_digest("{\"username\":\"ada\"}"));
/// assert_ne!(line_digest("{\"username\":\"ada\",\"title\":\"A\"}"), line_digest("{\"username\":\"ada\",\"title\":\"B\"}"));
/// ```
#[must_use]
pub fn line_digest(text: &str) -> String {
    // As `is_blank_line` and `parse_line` read it.
    format!("{:016x}", fnv1a(text.trim_start_matches('\u{feff}').trim()))
}

/// FNV-1a, 64 bits, of `text`'s bytes.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Outcome {
    /// An outcome without a user ID, patch or error.
    #[must_use]
    pub fn new(line: usize, key: Option<MatchKey>, status: Status) -> Self {
        Outcome {
            line,
            key,
            user_id: None,
            patch: None,
            status,
            error: None,
            line_digest: None,
            changes: None,
        }
    }

    /// The outcome of a line that could not be used: [`Status::Duplicate`] for a
    /// [`LineError::Duplicate`], [`Status::Failed`] for [`LineError::KeysUnavailable`] (the
    /// job's fault, not the line's: a rerun takes it), [`Status::Invalid`] otherwise.
    #[must_use]
    pub fn invalid(line: usize, key: Option<MatchKey>, error: &LineError) -> Self {
        let status = match error {
            LineError::Duplicate { .. } => Status::Duplicate,
            LineError::KeysUnavailable(_) => Status::Failed,
            _ => Status::Invalid,
        };
        Outcome {
            error: Some(OutcomeError::from_line_error(error)),
            ..Outcome::new(line, key, status)
        }
    }
}

/// What happened to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Status {
    /// The patch was sent, PingOne accepted it, and the user it answered holds every attribute
    /// the patch set or cleared.
    Changed,
    /// The user already had the desired attributes: nothing was sent.
    Unchanged,
    /// Dry run: this patch would be sent.
    WouldChange,
    /// No user matches the key. A line that repeats the key of an earlier line that found no
    /// user is not looked up again: its error's `firstLine` names that line.
    NotFound,
    /// Several users match the key (a username or email shared by several users); as for
    /// [`NotFound`](Status::NotFound), a line repeating the key names the line that looked it
    /// up.
    Ambiguous,
    /// The line cannot be used: see [`LineError`].
    Invalid,
    /// Another line names the same user: its error's `firstLine` is the line that claimed
    /// the user, and [`Outcome::user_id`] the user's ID when the job knows it.
    Duplicate,
    /// A call to PingOne failed (after the client's retries), or PingOne accepted the patch
    /// but its answer shows attributes it did not apply (an attribute it does not know, which
    /// it ignores), or attributes the line manages that another writer changed between the
    /// lookup and the PATCH, which the patch (planned without them) did not set back: the
    /// error names them. Also a line that the job could not check against the keys of the
    /// lines before it ([`LineError::KeysUnavailable`]: see
    /// [`SyncJob::keys_in_memory`](super::SyncJob::keys_in_memory)), for which nothing was
    /// sent.
    Failed,
    /// The job stopped before this line was sent: an earlier line's call got an answer that
    /// every later call would get too (the token endpoint refused the credentials, PingOne
    /// refused the token with 401, or the environment's users collection answered 404 or 403:
    /// a wrong API base URL or environment ID, or a caller that may not read users; an
    /// environment ID that is no UUID; an API that cannot be reached; the same 403 to
    /// [`stop_after_refusals`](super::SyncJob::stop_after_refusals) PATCHes in a row; an
    /// answer asked to wait longer than the client's retry policy waits out; or PingOne's
    /// answer to a PATCH lost a member of an object that the patch merged into and the line
    /// did not name). The error gives that refusal, with
    /// its `httpStatus` and `code`, and `stoppedBy` ([`OutcomeError::stopped_by`]) the line
    /// that got it; nothing was sent for this line after the job stopped (a rerun takes it).
    /// See [`SyncJob`](super::SyncJob), "A refusal stops the job".
    NotAttempted,
}

impl Status {
    /// Every status, in the order a summary lists them: a slice, so that a status added
    /// later does not change its type.
    pub const ALL: &'static [Status] = &[
        Status::Changed,
        Status::Unchanged,
        Status::WouldChange,
        Status::NotFound,
        Status::Ambiguous,
        Status::Invalid,
        Status::Duplicate,
        Status::Failed,
        Status::NotAttempted,
    ];

    /// Whether the line left its user short of the desired state: everything but
    /// [`Changed`](Status::Changed), [`Unchanged`](Status::Unchanged) and
    /// [`WouldChange`](Status::WouldChange). A run with any of them should exit non-zero, and
    /// `--only-failed` runs them again.
    #[must_use]
    pub fn is_failure(self) -> bool {
        !matches!(
            self,
            Status::Changed | Status::Unchanged | Status::WouldChange
        )
    }

    /// The status as written in a report and a plan: `changed`, `notFound`...
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
            Status::WouldChange => "wouldChange",
            Status::NotFound => "notFound",
            Status::Ambiguous => "ambiguous",
            Status::Invalid => "invalid",
            Status::Duplicate => "duplicate",
            Status::Failed => "failed",
            Status::NotAttempted => "notAttempted",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Why a line failed: a message, and what PingOne said when it answered.
///
/// Its text and `Debug` show the message up to its first 600 characters and each of PingOne's
/// texts (the code, the error id, the correlation id) up to 100, escaped, saying how much they
/// left out; the fields keep everything.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutcomeError {
    /// What went wrong, in English.
    pub message: String,
    /// The HTTP status of PingOne's answer, if one came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// PingOne's error code, such as `INVALID_DATA`; for a refusal of the token endpoint, its
    /// OAuth `error`, such as `invalid_client`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// PingOne's error `id`, the key to its logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    /// The `Correlation-Id` of PingOne's error answer, which PingOne's support asks for to
    /// find the request ([`Error::correlation_id`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// For a [`Status::Duplicate`]: the line that claimed the user (the first line that found
    /// it, by any key; never another duplicate), or, when the job knows no user for this
    /// line's key, the first line with that key. For a [`Status::NotFound`] or
    /// [`Status::Ambiguous`] line that repeats an earlier line's key: that line, whose lookup
    /// it shares (it is not looked up again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_line: Option<usize>,
    /// For a [`Status::NotAttempted`] line: the line whose refusal stopped the job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<usize>,
    /// For a [`Status::Failed`] line whose PATCH was sent: whether PingOne may have applied
    /// it all the same (`mayHaveBeenApplied` in a report, written only when true), because an
    /// attempt's answer never came (a timeout, a connection dropped after the request went
    /// out), came cut short or unreadable, or said that the server failed (any 5xx but 503,
    /// which says that the server did not take the request, RFC 9110 §15.6.4), on the last
    /// attempt or on one retried before it (a timed-out attempt retried into a 409 fails with
    /// the 409); its `message` then ends saying so. Its user is then
    /// either as the line found it or with the line's patch applied (another writer's change
    /// aside; a merge patch, applied once or twice, is the same, RFC 7396): read it to know,
    /// or run the failed lines again. Also `true` where PingOne answered 2xx, the patch
    /// applied, and its answer shows what failed (an attribute it ignored, members of an
    /// object that it lost, another writer's change), as the message says. `false` when every
    /// attempt was refused before anything was applied (a 4xx, 429, 503), when nothing was
    /// sent, and for any other status.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub may_have_been_applied: bool,
}

impl OutcomeError {
    /// Only a message.
    #[must_use]
    pub fn message(message: impl Into<String>) -> Self {
        OutcomeError {
            message: message.into(),
            ..OutcomeError::default()
        }
    }

    /// The error of a line that could not be used.
    #[must_use]
    pub fn from_line_error(error: &LineError) -> Self {
        OutcomeError {
            message: error.to_string(),
            first_line: match error {
                LineError::Duplicate { first_line } => Some(*first_line),
                _ => None,
            },
            ..OutcomeError::default()
        }
    }

    /// The error of a failed call: its text, status, PingOne's code and error id.
    #[must_use]
    pub fn from_client_error(error: &Error) -> Self {
        OutcomeError {
            message: error.to_string(),
            http_status: error.status(),
            // The token endpoint's OAuth `error` (`invalid_client`), or PingOne's code.
            code: match error {
                Error::Token { code, .. } => Some(code.clone()),
                _ => error.code().map(str::to_owned),
            },
            error_id: error.api_error().and_then(|body| body.id.clone()),
            correlation_id: error.correlation_id().map(str::to_owned),
            first_line: None,
            stopped_by: None,
            may_have_been_applied: false,
        }
    }
}

/// How many characters of an [`OutcomeError`]'s message its text and `Debug` show: a message
/// of a feed's or a report's text (a report read back, a message of the caller's) may be
/// megabytes long, and each of its characters escaped takes up to 10 bytes (`\u{10fffd}`).
const SHOWN_MESSAGE_CHARS: usize = 600;

/// How many characters of each of PingOne's texts that an [`OutcomeError`] keeps (its code, its
/// error id, its correlation id: a UUID, or a code such as `INVALID_DATA`) its text and `Debug`
/// show.
const SHOWN_ID_CHARS: usize = 100;

/// The message, then PingOne's error id when the part of the message shown does not already
/// give it (the text of an [`Error::Api`] does): `PingOne answered HTTP 503 ... (PingOne error
/// id 6f1c...)`, the id once; control characters escaped (`\u{1b}`), the message cut to its
/// first 600 characters and the id to 100, each saying how many characters it had
/// (`aaaa… (1048576 characters)`): a message of a megabyte went whole into the text.
impl fmt::Display for OutcomeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Escaped: a message read back from a report, or an id, may hold control characters.
        let cut = crate::quoted::cut(&self.message, SHOWN_MESSAGE_CHARS);
        let message = Escaped(cut.shown).to_string();
        write!(f, "{message}{}", cut.note())?;
        match &self.error_id {
            Some(id) => {
                // Cut as the message is: an id of megabytes, which an `Error::Api`'s text
                // gives cut, was found nowhere in it and written again whole. The part of it
                // shown is looked for, without its note: the message cuts it elsewhere.
                let cut = crate::quoted::cut(id, SHOWN_ID_CHARS);
                let shown = Escaped(cut.shown).to_string();
                if message.contains(shown.as_str()) {
                    return Ok(());
                }
                write!(f, " (PingOne error id {shown}{})", cut.note())
            }
            None => Ok(()),
        }
    }
}

/// `Debug` as `#[derive(Debug)]` writes it, each text quoted as `Debug` quotes a string and cut
/// as the text cuts it (`"aaaa"… (1048576 characters)`).
impl fmt::Debug for OutcomeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn id(text: &Option<String>) -> Option<Quoted<'_>> {
            text.as_deref().map(|text| Quoted {
                text,
                max: SHOWN_ID_CHARS,
            })
        }
        f.debug_struct("OutcomeError")
            .field(
                "message",
                &Quoted {
                    text: &self.message,
                    max: SHOWN_MESSAGE_CHARS,
                },
            )
            .field("http_status", &self.http_status)
            .field("code", &id(&self.code))
            .field("error_id", &id(&self.error_id))
            .field("correlation_id", &id(&self.correlation_id))
            .field("first_line", &self.first_line)
            .field("stopped_by", &self.stopped_by)
            .field("may_have_been_applied", &self.may_have_been_applied)
            .finish()
    }
}

/// An outcome's error is an error like any other: it can be returned with `?` into a
/// `Box<dyn std::error::Error + Send + Sync>` (its text is [`Display`](fmt::Display)'s).
impl std::error::Error for OutcomeError {}

/// `text` as a terminal may show it: its control characters (C0, DEL, C1: U+009B is a CSI
/// that terminals obey), line and paragraph separators, and invisible format (bidi overrides,
/// zero-width spaces, tags) and private-use characters escaped as Rust's `Debug` writes them
/// (`\t`, `\u{9b}`, `\u{202e}`), the rest as it is: the escaping of this module's and the
/// client's error texts, for a tool that prints an [`Outcome`]'s key or patch (JSON escapes
/// only the characters below U+0020).
///
/// ```
/// use sparse_patch::pingone::sync::printable;
///
/// assert_eq!(printable("Dave\u{9b}2J\u{202e}"), r"Dave\u{9b}2J\u{202e}");
/// assert_eq!(printable("Ada\tLovelace"), r"Ada\tLovelace");
/// assert_eq!(printable("Ada Lovelace"), "Ada Lovelace");
/// ```
#[must_use]
pub fn printable(text: &str) -> String {
    Escaped(text).to_string()
}
