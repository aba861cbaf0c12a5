//! The job's reader of a feed's lines ([`LineReader`]): each line read as [`parse_line`]
//! reads it, and its key recorded, so that a later line for the same user is a
//! [`LineError::Duplicate`].
//!
//! [`parse_line`]: super::parse_line

use std::collections::BTreeSet;

use super::super::seen_keys::SeenKeys;
use super::attributes::desired_user;
use super::key::{key_despite_repeated_names, split_key};
use super::{DesiredUser, LineError, MatchKey, unrounded_numbers};

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
    /// kept them ([`feed_lines`](super::super::feed_lines) does for a line that is not UTF-8): the
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
