//! One line of a desired-state feed: [`DesiredUser`], its [`MatchKey`], and the
//! [`LineError`]s of a line that cannot be used.

use core::fmt;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod line_error_debug;
mod numbers;

use super::key_members::key_members;
use super::seen_keys::{CompactKey, SeenKeys};
use super::unique_names::UniqueKeys;
use crate::member_order::remove_member;
use crate::pingone::UserAttribute;
use crate::pingone::UserPatch;
use crate::pingone::ids::is_pingone_id;
use crate::pingone::listing::lookup_value_fault;
use crate::pingone::rules::{
    OBJECTS, READ_ONLY, SCHEMA, core_spelling, is_core_in_another_case, is_custom_attribute_name,
    member_rule,
};
use crate::quoted::{cut, shortened};

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
    /// with their dotted paths (`enabled`, `name.givn`). The text quotes and escapes a name
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

/// Reads the lines of a feed: which attributes may be managed, and which keys were seen (to
/// tell "two lines for one user").
#[derive(Debug)]
pub(crate) struct LineReader {
    custom_attributes: Option<BTreeSet<String>>,
}

impl LineReader {
    /// A reader of lines for an environment with these custom attributes (any, when `None`).
    pub(crate) fn new(custom_attributes: Option<BTreeSet<String>>) -> Self {
        LineReader { custom_attributes }
    }

    /// Reads line `line` and records its key in `seen`: a later valid line with the same key
    /// (in any case, for a username or email) is a [`LineError::Duplicate`] of the first line
    /// with that key (which the job then resolves to the line that claimed the user, with
    /// what that first line found). The line is validated first, so that an invalid line
    /// reports its own errors.
    ///
    /// Returns `Err((key, error))`, the key when the line had one.
    pub(crate) fn read(
        &self,
        seen: &mut SeenKeys,
        line: usize,
        text: &str,
    ) -> Result<DesiredUser, (Option<MatchKey>, LineError)> {
        let (key, attributes) = match split_key(text) {
            Ok(split) => split,
            // A line refused for a name given twice (or for its depth) still names its user,
            // when its key's name is given once: a later line for that user is a duplicate, as
            // after any other invalid line.
            Err(error) => {
                return Err(claimed_by_refused_line(
                    seen,
                    line,
                    key_despite_repeated_names(text),
                    error,
                ));
            }
        };
        // Recorded before the line is validated: an invalid first line is not applied, yet a
        // second line for its user is still a duplicate (the feed holds two lines for one user).
        let first_line = seen.first_line(key.folded(), line).map_err(|error| {
            (
                Some(key.clone()),
                LineError::KeysUnavailable(error.to_string()),
            )
        })?;
        // A number the line's JSON holds but serde_json rounds: the line names its user all
        // the same, as a line with a value of the wrong type does.
        unrounded_numbers(text).map_err(|error| (Some(key.clone()), error))?;
        let desired = desired_user(
            line,
            key.clone(),
            attributes,
            self.custom_attributes.as_ref(),
        )
        .map_err(|error| (Some(key.clone()), error))?;
        if first_line != line {
            return Err((Some(key), LineError::Duplicate { first_line }));
        }
        Ok(desired)
    }

    /// A line that could not be read (`error`), with the `key` its bytes name when the feed
    /// kept them ([`feed_lines`](super::feed_lines) does for a line that is not UTF-8): the
    /// key recorded in `seen` as [`read`](LineReader::read) records an invalid line's, and
    /// the line's error.
    pub(crate) fn unreadable(
        &self,
        seen: &mut SeenKeys,
        line: usize,
        key: Option<MatchKey>,
        error: &std::io::Error,
    ) -> (Option<MatchKey>, LineError) {
        claimed_by_refused_line(seen, line, key, LineError::Unreadable(error.to_string()))
    }
}

/// A refused line's `key` (when it names one) recorded in `seen` as line `line`'s, so that a
/// later line for that user is a duplicate, and the line's `error`; the error of the keys'
/// store instead, when it fails.
fn claimed_by_refused_line(
    seen: &mut SeenKeys,
    line: usize,
    key: Option<MatchKey>,
    error: LineError,
) -> (Option<MatchKey>, LineError) {
    if let Some(key) = &key
        && let Err(error) = seen.first_line(key.folded(), line)
    {
        return (
            Some(key.clone()),
            LineError::KeysUnavailable(error.to_string()),
        );
    }
    (key, error)
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

/// How many names an error text shows; the rest are counted ("and 12 more"). The error itself
/// keeps them all.
const SHOWN_NAMES: usize = 20;

/// The longest name, in characters, that an error text shows whole; a longer one (a whole
/// CSV row read as one key) is shown by its first characters and its length, as
/// [`Quoted`](crate::quoted::Quoted) shows a long value.
const SHOWN_NAME_CHARS: usize = 100;

/// Names for an error text, joined with `, `: quoted and escaped where a name holds a control
/// or invisible format character (a newline, a terminal's escape sequence, a bidi override),
/// is empty or has white space at an end, so that a feed's name cannot forge lines or reach
/// a terminal as it is. At most
/// [`SHOWN_NAMES`] of them, each cut to [`SHOWN_NAME_CHARS`], so that a line of 40,000 unknown
/// names or of one 900 KB name does not make a report line of that size.
fn shown_names(names: &[String]) -> String {
    let mut shown = names
        .iter()
        .take(SHOWN_NAMES)
        .map(|name| {
            let cut = cut(name, SHOWN_NAME_CHARS);
            let (text, cut_note) = (cut.shown, cut.note());
            let shown = crate::dialect_error::Shown(text).bare();
            match core_spelling(name) {
                Some(core) => {
                    format!(
                        "{shown}{cut_note} (PingOne's name is {core}: names are case-sensitive)"
                    )
                }
                // Quoted and escaped whole: a byte order mark is invisible as it is.
                None if let Some(core) = unpadded(name).and_then(core_name) => format!(
                    "{text:?}{cut_note} (PingOne's name is {core}: this one has white space or \
                     an invisible character around a name, as a CSV header written with a \
                     space after each comma, or saved with a byte order mark, gives; trim the \
                     header)"
                ),
                None if name == MODEL_CUSTOM_MAP => format!(
                    "{shown} (the Rust model User's map of custom attributes, not a PingOne \
                     attribute: write each custom attribute at the top level of the line, \
                     {{\"costCenter\": \"1\"}}; declare a custom attribute named custom to \
                     send one)"
                ),
                None => format!("{shown}{cut_note}"),
            }
        })
        .collect::<Vec<_>>();
    if names.len() > SHOWN_NAMES {
        shown.push(format!("and {} more", names.len() - SHOWN_NAMES));
    }
    shown.join(", ")
}

/// `path` without the white space and the control or invisible characters (a byte order
/// mark) around each of its dotted names (` username`, `\u{feff}id`, `name. given`), when
/// they had some: the names a CSV header written `id, username` (a space after each comma) or
/// saved with a byte order mark gives a converted feed's every line.
fn unpadded(path: &str) -> Option<String> {
    let padding = |c: char| c.is_whitespace() || crate::pingone::rules::outside_text(c);
    let bare = path
        .split('.')
        .map(|name| name.trim_matches(padding))
        .collect::<Vec<_>>()
        .join(".");
    (bare != path && !bare.is_empty()).then_some(bare)
}

/// PingOne's spelling of the core attribute or member `path` names in any case (`username`
/// for `username` and `UserName`).
fn core_name(path: String) -> Option<&'static str> {
    SCHEMA
        .iter()
        .chain(READ_ONLY)
        .copied()
        .chain(crate::pingone::rules::RULES.iter().map(|rule| rule.path))
        .find(|core| core.eq_ignore_ascii_case(&path))
}

/// How a feed line names its user (`id`, `username` or `email`), or `None` when it names none
/// or is not a JSON object: the key a report records for the line ([`Outcome::key`]), as
/// [`Rerun::selects`] takes it.
///
/// [`Outcome::key`]: super::Outcome::key
/// [`Rerun::selects`]: super::Rerun::selects
#[must_use]
pub fn line_key(text: &str) -> Option<MatchKey> {
    match split_key(text) {
        Ok((key, _)) => Some(key),
        Err(_) => key_despite_repeated_names(text),
    }
}

/// The key of a line that [`UniqueKeys`] refused (a name given twice in one of its objects,
/// or nesting too deep) when the line gives its key's name (`id`, `username`, `email`) once
/// at its top: the user it names is not in doubt. `None` otherwise, and when a name of a key
/// is given twice (`{"username": "a", "username": "b"}`: which user the line meant is
/// unknown).
fn key_despite_repeated_names(text: &str) -> Option<MatchKey> {
    if UniqueKeys::check(text.strip_prefix('\u{feff}').unwrap_or(text)).is_ok() {
        return None;
    }
    key_in_bytes(text.as_bytes())
}

/// The key of a line read from its top-level members alone ([`key_members`]), for a line
/// the job refuses before reading it whole: nested too deep, or not UTF-8 in another
/// member. Its one byte order mark is skipped, as the job reads a line without it. `None`
/// when the line gives no valid key, or a key's name twice.
pub(super) fn key_in_bytes(bytes: &[u8]) -> Option<MatchKey> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    key_of(key_members(bytes)?).ok().map(|(key, _)| key)
}

/// Refuses a line (valid JSON) that holds a number serde_json reads as another
/// ([`numbers::rounded_number`]), which would be sent rounded.
fn unrounded_numbers(text: &str) -> Result<(), LineError> {
    match numbers::rounded_number(text.strip_prefix('\u{feff}').unwrap_or(text)) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// The line's key and its other attributes.
fn split_key(text: &str) -> Result<(MatchKey, Map<String, Value>), LineError> {
    // A feed saved as "UTF-8 with BOM" starts with U+FEFF, which is not JSON: not part of
    // the line.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A name given twice in one object: serde_json keeps the last value and drops the other
    // silently. Which one the feed meant is unknown (and the key would decide which user is
    // changed): the line is refused.
    UniqueKeys::check(text).map_err(invalid_json(text))?;
    let value: Value = serde_json::from_str(text).map_err(invalid_json(text))?;
    let Value::Object(attributes) = value else {
        return Err(LineError::NotAnObject);
    };
    key_of(attributes)
}

/// A line's key, taken out of its `attributes`, and the attributes it manages.
fn key_of(mut attributes: Map<String, Value>) -> Result<(MatchKey, Map<String, Value>), LineError> {
    // The key is not a managed attribute: a line found by `username` "ADA" must not change
    // the case of the username "ada" it found (PingOne compares them in any case).
    let key = match remove_member(&mut attributes, "id") {
        Some(Value::String(id)) if id.trim().is_empty() => return Err(LineError::EmptyKey("id")),
        Some(Value::String(id)) if is_pingone_id(&id) => MatchKey::Id(id.to_ascii_lowercase()),
        Some(other) => return Err(LineError::InvalidId(shown_id(&other))),
        None => match take_string(&mut attributes, "username") {
            Some(username) if username.trim().is_empty() => {
                return Err(LineError::EmptyKey("username"));
            }
            Some(username) => {
                if let Some(fault) = lookup_value_fault(UserAttribute::Username, &username) {
                    return Err(LineError::UnusableKey(fault));
                }
                MatchKey::Username(username)
            }
            None => match take_string(&mut attributes, "email") {
                Some(email) if email.trim().is_empty() => {
                    return Err(LineError::EmptyKey("email"));
                }
                Some(email) => {
                    if let Some(fault) = lookup_value_fault(UserAttribute::Email, &email) {
                        return Err(LineError::UnusableKey(fault));
                    }
                    MatchKey::Email(email)
                }
                None => {
                    // `UserName`, `ID`, `Email`: a key in another case, as a CSV header or
                    // a SCIM-minded export writes it, which said only "no key to match
                    // on" though the line has one. So did ` username` and `\u{feff}id`,
                    // a key with white space or an invisible character around it, as a
                    // CSV header written `id, username` or saved with a byte order mark
                    // gives every line of a converted feed. Named, with PingOne's spelling.
                    let miscased: Vec<String> = attributes
                        .keys()
                        .filter(|name| {
                            let bare = unpadded(name);
                            let bare = bare.as_deref().unwrap_or(name);
                            ["id", "username", "email"]
                                .iter()
                                .any(|key| name.as_str() != *key && bare.eq_ignore_ascii_case(key))
                        })
                        .cloned()
                        .collect();
                    if !miscased.is_empty() {
                        return Err(LineError::UnknownAttributes(miscased));
                    }
                    // `"username": 100234`: a key written as a number (or a boolean),
                    // as a CSV converter that guesses types writes an employee number,
                    // dropping its leading zeros (`00123` as 123). It said "no key to
                    // match on", as if the line had none; looked up as the number's
                    // text it could find another user.
                    if let Some((name, value)) = ["username", "email"].iter().find_map(|key| {
                        attributes
                            .get(*key)
                            .filter(|value| value.is_number() || value.is_boolean())
                            .map(|value| (*key, value))
                    }) {
                        return Err(LineError::WrongType {
                            path: name.to_owned(),
                            message: format!(
                                "invalid type: {} `{}`, expected a string: the key to match \
                                     on is text; a CSV converter that guesses types writes \
                                     digits as a number and drops their leading zeros (00123 \
                                     as 123): write it as a string",
                                if value.is_boolean() {
                                    "boolean"
                                } else {
                                    "number"
                                },
                                cut(&value.to_string(), QUOTED_CHARS),
                            ),
                        });
                    }
                    return Err(LineError::NoKey);
                }
            },
        },
    };
    Ok((key, attributes))
}

/// The string member `name` of `attributes`, taken out of them, leaving the other members in
/// their order (serde_json's `preserve_order` keeps a line's order, which `Map::remove` would
/// change); `None`, and the member left in its place, when it is absent or not a string.
fn take_string(attributes: &mut Map<String, Value>, name: &str) -> Option<String> {
    if !attributes.get(name).is_some_and(Value::is_string) {
        return None;
    }
    match remove_member(attributes, name) {
        Some(Value::String(value)) => Some(value),
        _ => None,
    }
}

/// A line that is not JSON: serde's message with the column in the line. Its "line 1" is the
/// line inside the one feed line, which would mislead in a report about another line number.
///
/// A line `text` that holds a carriage return (JSON writes one inside a string as `\r`, so a
/// raw one is a line end) comes from a feed whose lines end with `\r` alone, as classic Mac OS
/// and some exports write them: the whole feed is then one line, whose error ("trailing
/// characters at column 36") said nothing of why; the message says it. So does one for NUL
/// bytes, which a feed saved as UTF-16 without a byte order mark has before or after every
/// character (one with the mark is refused whole by [`feed_lines`](super::feed_lines)). And
/// an object that the line ends inside, as a feed cut short ends, says that the feed may be
/// missing its later users.
fn invalid_json(text: &str) -> impl Fn(serde_json::Error) -> LineError + '_ {
    move |error| {
        let message = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        let mut message = match message.strip_suffix(&position) {
            Some(bare) => format!("{bare} at column {}", error.column()),
            None => message,
        };
        if text.contains('\r') {
            message.push_str(
                " (the line holds a carriage return, \\r, without a line feed: lines that end \
                 with \\r alone, as classic Mac OS wrote them, read as one line; end each line \
                 with \\n)",
            );
        }
        if text.contains('\0') {
            message.push_str(
                " (the line holds NUL bytes: a feed saved as UTF-16 without a byte order mark \
                 reads so; save it as UTF-8)",
            );
        }
        if let Some(shape) = not_json_lines(text) {
            message.push_str(" (");
            message.push_str(shape);
            message.push(')');
        } else if error.is_eof() && text.trim_start_matches('\u{feff}').trim().starts_with('{') {
            // "EOF while parsing a string at column 37" alone: a feed cut short (a transfer
            // that stopped, a disk that filled up) has this as its last line, and is missing
            // every user after it; a raw line break in a value splits its line so.
            message.push_str(
                " (the line ends inside its JSON object: at the feed's last line, the file was \
                 most likely cut short, and the users after it are missing from it; elsewhere, \
                 a value holding a raw line break, which JSON writes as \\n, splits its line in \
                 two)",
            );
        }
        LineError::InvalidJson(message)
    }
}

/// What a line that is not JSON looks like, when it is a part of another format than JSON
/// Lines: an element of a JSON array (a line ending with a comma, or a bracket alone), a JSON
/// document written over several lines (a brace alone, a `"name": value,` member), or a CSV
/// row. Each of them was only "not JSON: trailing characters at column 43" or "expected value
/// at column 1", and the last element of an array, which has no comma, is a valid line that
/// is applied while the others fail.
fn not_json_lines(text: &str) -> Option<&'static str> {
    const SEVERAL_LINES: &str = "a feed is JSON Lines, one whole JSON object per line, without \
        commas between lines or [ ] around them; this looks like a JSON array or a JSON \
        document written over several lines: write one object per line, as `jq -c '.[]'` does";
    let line = text.trim_start_matches('\u{feff}').trim();
    let element = line
        .strip_suffix(',')
        .is_some_and(|element| serde_json::from_str::<serde::de::IgnoredAny>(element).is_ok());
    if element
        || matches!(line, "[" | "]" | "{" | "}" | "]," | "},")
        || (line.starts_with('"') && line.contains("\":"))
    {
        return Some(SEVERAL_LINES);
    }
    if !line.starts_with(['{', '[', '"']) && line.contains([',', ';', '\t']) {
        return Some(
            "a feed is JSON Lines, one JSON object per line; this looks like a CSV row: \
             convert it, one object per row with the header's names",
        );
    }
    None
}

/// How many characters of a line's value its error quotes: the JSON of an `id` that is not
/// one, the value in a reader's message. A line may be a megabyte long
/// ([`MAX_LINE_BYTES`](super::MAX_LINE_BYTES)), and its error is kept in the report.
const QUOTED_CHARS: usize = 64;

/// An `id` that is not one, as [`LineError::InvalidId`] quotes it: its JSON, cut to
/// [`QUOTED_CHARS`] characters; an object or an array by its kind only, as it may hold
/// anything (a `{"password": ...}` pasted in the wrong place), which a report keeps.
fn shown_id(id: &Value) -> String {
    match id {
        Value::Object(_) => String::from("(an object)"),
        Value::Array(_) => String::from("(an array)"),
        // JSON escapes control characters but not a bidi override or a zero-width space:
        // escaped as the other texts of the line's errors are.
        _ => {
            let json = id.to_string();
            let cut = cut(&json, QUOTED_CHARS);
            format!("{}{}", crate::quoted::Escaped(cut.shown), cut.note())
        }
    }
}

fn desired_user(
    line: usize,
    key: MatchKey,
    attributes: Map<String, Value>,
    custom_attributes: Option<&BTreeSet<String>>,
) -> Result<DesiredUser, LineError> {
    check_attributes(&attributes, custom_attributes)?;
    // Read from a reference: the attributes are kept as they are, with no copy.
    let attributes = Value::Object(attributes);
    // Read plainly; only a line that fails is read again, tracking the path of the attribute
    // at fault (which costs on every value).
    let patch = match UserPatch::deserialize(&attributes) {
        Ok(patch) => patch,
        Err(plain) => {
            let Err(error) = serde_path_to_error::deserialize::<_, UserPatch>(&attributes) else {
                return Err(LineError::InvalidValue(plain.to_string()));
            };
            let path = error.path().to_string();
            let message = shortened(&error.into_inner().to_string(), QUOTED_CHARS);
            return Err(match path.as_str() {
                // No attribute to name (the line as a whole).
                "" | "." | "?" => LineError::InvalidValue(message),
                _ => LineError::WrongType { path, message },
            });
        }
    };
    let Value::Object(attributes) = attributes else {
        // Made an object above; no panic path.
        return Err(LineError::NotAnObject);
    };
    Ok(DesiredUser {
        line,
        key,
        patch,
        attributes,
    })
}

/// The name of [`User::custom`](crate::pingone::User::custom), the Rust model's map of custom
/// attributes: a line that holds it means the map, whose members PingOne wants at the top
/// level, unless the environment declares a custom attribute of that name.
const MODEL_CUSTOM_MAP: &str = "custom";

/// Every attribute is writable and known, and no required one is `null`.
fn check_attributes(
    attributes: &Map<String, Value>,
    custom_attributes: Option<&BTreeSet<String>>,
) -> Result<(), LineError> {
    let mut unknown = Vec::new();
    let mut nulls = Vec::new();
    for (name, value) in attributes {
        if READ_ONLY.contains(&name.as_str()) {
            unknown.push(name.clone());
        } else if OBJECTS.contains(&name.as_str()) {
            // `name`, `address`, `photo`: an object of known members, or null. Other shapes
            // are refused by the typed patch.
            if let Value::Object(members) = value {
                for (member, member_value) in members {
                    match member_rule(name, member) {
                        None => unknown.push(format!("{name}.{member}")),
                        Some(rule) if rule.required && member_value.is_null() => {
                            nulls.push(rule.path.to_owned());
                        }
                        Some(_) => {}
                    }
                }
            }
        } else if SCHEMA.contains(&name.as_str()) {
            let required = crate::pingone::rules::rule(name).is_some_and(|rule| rule.required);
            if required && value.is_null() {
                nulls.push(name.clone());
            }
        } else if !is_custom_attribute_name(name)
            || match custom_attributes {
                Some(declared) => !declared.contains(name),
                // `userName`, `Title`: PingOne would ignore it (see `is_core_in_another_case`).
                // `custom`: the name of `User`'s map, which a line means as that map
                // (`{"custom": {"costCenter": "1"}}`) and would store as one attribute.
                None => is_core_in_another_case(name) || name == MODEL_CUSTOM_MAP,
            }
        {
            unknown.push(name.clone());
        }
    }
    if !unknown.is_empty() {
        return Err(LineError::UnknownAttributes(unknown));
    }
    if !nulls.is_empty() {
        return Err(LineError::NullOnRequired(nulls));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
