//! One line of a desired-state feed: [`DesiredUser`], its [`MatchKey`], the [`LineError`]s of
//! a line that cannot be used, and [`parse_line`]. The parts, one file each: `key` (the line's
//! key, taken out of its attributes), `attributes` (the attributes it manages, checked and
//! read as a typed patch), `numbers` (the numbers serde_json would round), `invalid_json`
//! (what a line that is not JSON says), `names` (attribute names as an error shows them) and
//! `reader` (the job's reader of lines, which tells two lines for one user).

use core::fmt;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod attributes;
mod invalid_json;
mod key;
mod line_error_debug;
mod names;
mod numbers;
mod reader;

use super::seen_keys::CompactKey;
use crate::pingone::UserPatch;
use attributes::desired_user;
pub(super) use key::key_in_bytes;
pub use key::line_key;
use key::split_key;
use names::shown_names;
pub(crate) use reader::LineReader;

/// How a desired line names its user: by `id`, else by `username`, else by `email` (the
/// first of them that the line holds).
///
/// In a report it is written as a one-member object: `{"id": "..."}`, `{"username": "..."}`
/// or `{"email": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchKey {
    /// The user's ID, a UUID, kept in lower case.
    Id(String),
    /// The user's `username`, found with a `username eq` filter.
    Username(String),
    /// The user's `email`, found with an `email eq` filter.
    Email(String),
}

impl MatchKey {
    /// The attribute the key reads: `id`, `username` or `email`.
    #[must_use]
    pub fn attribute(&self) -> &'static str {
        match self {
            MatchKey::Id(_) => "id",
            MatchKey::Username(_) => "username",
            MatchKey::Email(_) => "email",
        }
    }

    /// The value the key looks for.
    #[must_use]
    pub fn value(&self) -> &str {
        match self {
            MatchKey::Id(value) | MatchKey::Username(value) | MatchKey::Email(value) => value,
        }
    }

    /// The key as compared for "two lines for one user", kept compactly (the job keeps one
    /// per line): an ID as its 16 bytes, usernames and emails in lower case, as PingOne's `eq`
    /// filter compares them in any case.
    pub(super) fn folded(&self) -> CompactKey {
        match self {
            MatchKey::Id(value) => CompactKey::id(value),
            MatchKey::Username(value) => CompactKey::Username(value.to_lowercase().into()),
            MatchKey::Email(value) => CompactKey::Email(value.to_lowercase().into()),
        }
    }
}

impl fmt::Display for MatchKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.attribute(), self.value())
    }
}

/// A line of the feed that can be planned: the user it names, and the attributes it manages
/// as a typed JSON merge patch (RFC 7396) of the user.
///
/// Made by [`parse_line`], which keeps [`patch`](DesiredUser::patch) and
/// [`attributes`](DesiredUser::attributes) in step; its fields are read, not built by hand
/// (`#[non_exhaustive]`), so that a field can be added.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DesiredUser {
    /// The line number in the feed, from 1.
    pub line: usize,
    /// How the line names its user.
    pub key: MatchKey,
    /// The managed attributes, as the line wrote them: every attribute the line mentions is
    /// set (or cleared, for `null`), every other one is absent and never touched. The key is
    /// not part of it: to rename a user, name it by `id`.
    pub patch: UserPatch,
    /// The managed attributes as JSON: the line's object without its key (`id`, or the
    /// `username` or `email` it is matched by), for reports and tests; in the line's order
    /// where serde_json keeps insertion order (its `preserve_order` feature).
    pub attributes: Map<String, Value>,
}

/// Why a line of the feed cannot be planned. Each one is reported with its line number, and
/// the job goes on with the next line.
///
/// Its `Debug` (which `unwrap` and `tracing`'s `?error` print) quotes each text cut to its
/// first 1,000 characters and its length, and each list of names cut alike as a whole: a
/// line of one name of a megabyte went whole into it. The fields keep everything.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// The line could not be read (not UTF-8, or an I/O error, which ends the feed: see
    /// [`SyncJob::run`](super::SyncJob::run)).
    #[error("cannot read the line: {0}")]
    Unreadable(String),
    /// The line is not JSON: the reader's message, with the column in the line. The text
    /// found there is not quoted: a line broken inside a value may break inside a
    /// `password` that the feed should not hold, and the report keeps the message.
    #[error("not JSON: {0}")]
    InvalidJson(String),
    /// The line is JSON but not an object.
    #[error("not a JSON object: a desired user is an object of attributes")]
    NotAnObject,
    /// The line has no `id`, `username` or `email` to find its user by. A `username` or
    /// `email` written as a number or a boolean (`"username": 100234`, as a CSV converter
    /// that guesses types writes one) is a [`LineError::WrongType`] of that key instead.
    #[error("no key to match on: the line needs an id, a username or an email (a string)")]
    NoKey,
    /// The line's key (`id`, `username` or `email`, named here) is an empty string (or only
    /// white space): a line with no key to match on.
    #[error("the {0} is empty: a line with no key to match on")]
    EmptyKey(&'static str),
    /// The line's `username` or `email` is one that no user's can be, with why: it holds a
    /// control or invisible format character (a byte order mark, a `\r`, a zero-width
    /// space), or, for an email, white space at an end. Looked up, it would find no user
    /// (the client's `find_user_by_*` refuses it before sending).
    #[error("{0}")]
    UnusableKey(String),
    /// `id` is not a UUID (or not a string), with its JSON: its first 64 characters and its
    /// length where it is longer (`"aaaa…… (300 characters)`); an object or an array only
    /// by its kind (`(an object)`), as it may hold anything.
    #[error("the id {0} is not a PingOne ID (a UUID)")]
    InvalidId(String),
    /// Attributes that are read-only, not in the schema, or not a declared custom attribute,
    /// with their dotted paths (`enabled`, `name.givn`); and `identityProvider`, whose `id`
    /// PingOne's reference has mutable but which [`UserPatch`] cannot send: the text says so
    /// after its name, as it names what changes a read-only attribute where something does
    /// (`enabled (it has its own call: PUT .../enabled)`, `account (lock and unlock have
    /// their own calls)`). The text quotes and escapes a name
    /// that holds a control or invisible format character, is empty or has white space at an
    /// end (`"name.x\r"`), so that no feed text reaches a terminal as it is, and gives PingOne's
    /// spelling of a core attribute written in another case (`userName (PingOne's name is
    /// username: names are case-sensitive)`). A line whose only key is in another case
    /// (`UserName`, `ID`, `Email`, as a CSV header may write it), or with white space or an
    /// invisible character around it (` username`, `\u{feff}id`, as a CSV header written with a
    /// space after each comma or saved with a byte order mark gives), gets this error for it
    /// rather than [`LineError::NoKey`]; a name that is a core attribute's but for such
    /// characters around it is shown quoted and escaped, with PingOne's spelling. The names
    /// come in the order of the line's members: by name, or, with serde_json's
    /// `preserve_order` on in the build, as the line writes them.
    #[error("unknown or read-only attribute(s): {}", shown_names(.0))]
    UnknownAttributes(Vec<String>),
    /// `null` on a required attribute (`username`, `email`, `photo.href`), which cannot be
    /// cleared; in the order of the line's members, as for `UnknownAttributes`.
    #[error("null on required attribute(s): {}", .0.join(", "))]
    NullOnRequired(Vec<String>),
    /// A value that breaks PingOne's rules (lengths, patterns), a nested object that
    /// cannot be built (a `photo` without `href`), or a number that a 64-bit float cannot
    /// hold as written (an integer outside the 64-bit range, a decimal with more digits than
    /// 17 or smaller than the smallest float), which JSON readers round. The text says it on its own (`the patch
    /// breaks PingOne's rules (nickname must be between 1 and 256 characters long (found ""))`), without
    /// an "invalid value" of its own: a report's status already says `invalid`.
    #[error("{0}")]
    InvalidValue(String),
    /// A value of the wrong type or shape (`"title": 5`, `"name": "Ada"`), with the dotted
    /// path of the attribute that holds it: `title: invalid type: integer `5`, expected a
    /// string`.
    #[error("{path}: {message}")]
    WrongType {
        /// The attribute's dotted path (`title`, `name.given`).
        path: String,
        /// What the reader expected, as serde says it.
        message: String,
    },
    /// Another line names the same user; this line is not applied. Only a line that is
    /// otherwise valid is reported as a duplicate: an invalid one gets its own error.
    #[error("line {first_line} already names this user; this line is not applied")]
    Duplicate {
        /// The line that claimed the user: the first line that found it (by any key), which
        /// is applied when it is valid, never another duplicate. When the job knows no user
        /// for the line (the first line with the same key is invalid, was not run, or its
        /// lookup failed), the first line with the same key.
        first_line: usize,
    },
    /// The job cannot tell whether an earlier line names this user: the temporary file that
    /// holds the keys seen past [`SyncJob::keys_in_memory`](super::SyncJob::keys_in_memory)
    /// failed (its disk is full, say), with the I/O error's text; once it has failed, for
    /// every later line whose key it does not hold (an earlier line's key it left out may be
    /// the same). The line is not applied; its outcome is
    /// [`Status::Failed`](super::Status::Failed), so that a rerun takes it.
    #[error(
        "cannot check this line against the earlier ones (the job's key file failed: {0}); this line is not applied"
    )]
    KeysUnavailable(String),
}

/// Reads one line of a feed on its own (no check for duplicates): its key, and the attributes
/// it manages as a typed [`UserPatch`].
///
/// - `custom_attributes`: the environment's custom attributes, when known; otherwise any name
///   that can be a custom attribute (a letter, then letters, digits and hyphens, at most 256)
///   is accepted, as PingOne's schema allows, but a core attribute's name in another case
///   (`userName`, `Title`): PingOne's names are case-sensitive, and it would ignore it.
///
/// ```
/// use sparse_patch::pingone::sync::{parse_line, LineError, MatchKey};
///
/// let desired = parse_line(3, r#"{"username": "ada", "name": {"given": "Ada"}, "nickname": null}"#, None)?;
/// assert_eq!(desired.key, MatchKey::Username("ada".into()));
/// // The key is not managed: only the other attributes are in the patch.
/// assert_eq!(serde_json::to_string(&desired.patch)?, r#"{"name":{"given":"Ada"},"nickname":null}"#);
///
/// assert_eq!(parse_line(4, r#"{"email": null, "id": "nope"}"#, None), Err(LineError::InvalidId("\"nope\"".into())));
/// assert_eq!(parse_line(5, r#"{"title": "Dr"}"#, None), Err(LineError::NoKey));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// The [`LineError`] of a line that is not JSON ([`LineError::InvalidJson`], which says the
/// column; also for a name given twice in one object or nesting deeper than
/// [`MAX_LINE_DEPTH`](super::MAX_LINE_DEPTH)) or not an object ([`LineError::NotAnObject`]), has no key
/// ([`LineError::NoKey`]) or an empty one ([`LineError::EmptyKey`]), an `id` that is not a
/// UUID ([`LineError::InvalidId`]), names unknown or read-only attributes
/// ([`LineError::UnknownAttributes`]), sets `null` on a required one
/// ([`LineError::NullOnRequired`]; every fault of one kind in one error), or holds a value of
/// the wrong type ([`LineError::WrongType`], with the attribute's dotted path, or
/// [`LineError::InvalidValue`] when the reader names no attribute). PingOne's rules for
/// values (lengths, patterns) are [`plan_patch`](super::plan_patch)'s to check.
pub fn parse_line(
    line: usize,
    text: &str,
    custom_attributes: Option<&BTreeSet<String>>,
) -> Result<DesiredUser, LineError> {
    let (key, attributes) = split_key(text)?;
    unrounded_numbers(text)?;
    desired_user(line, key, attributes, custom_attributes)
}

/// Refuses a line (valid JSON) that holds a number serde_json reads as another
/// ([`numbers::rounded_number`]), which would be sent rounded.
fn unrounded_numbers(text: &str) -> Result<(), LineError> {
    match numbers::rounded_number(text.strip_prefix('\u{feff}').unwrap_or(text)) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// How many characters of a line's value its error quotes: the JSON of an `id` that is not
/// one, the value in a reader's message. A line may be a megabyte long
/// ([`MAX_LINE_BYTES`](super::MAX_LINE_BYTES)), and its error is kept in the report.
const QUOTED_CHARS: usize = 64;

#[cfg(test)]
mod tests;
