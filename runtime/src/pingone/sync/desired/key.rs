//! A line's key: the `id`, `username` or `email` that names its user ([`MatchKey`]), taken
//! out of the attributes it manages ([`split_key`]), or read from a line that is refused
//! ([`line_key`], [`key_in_bytes`]).

use serde_json::{Map, Value};

use super::super::key_members::key_members;
use super::super::unique_names::UniqueKeys;
use super::invalid_json::invalid_json;
use super::names::unpadded;
use super::{LineError, MatchKey, QUOTED_CHARS};
use crate::member_order::remove_member;
use crate::pingone::UserAttribute;
use crate::pingone::ids::is_pingone_id;
use crate::pingone::listing::lookup_value_fault;
use crate::quoted::cut;

/// How a feed line names its user (`id`, `username` or `email`), or `None` when it names none
/// or is not a JSON object: the key a report records for the line ([`Outcome::key`]), as
/// [`Rerun::selects`] takes it.
///
/// [`Outcome::key`]: super::super::Outcome::key
/// [`Rerun::selects`]: super::super::Rerun::selects
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
pub(super) fn key_despite_repeated_names(text: &str) -> Option<MatchKey> {
    if UniqueKeys::check(text.strip_prefix('\u{feff}').unwrap_or(text)).is_ok() {
        return None;
    }
    key_in_bytes(text.as_bytes())
}

/// The key of a line read from its top-level members alone ([`key_members`]), for a line
/// the job refuses before reading it whole: nested too deep, or not UTF-8 in another
/// member. Its one byte order mark is skipped, as the job reads a line without it. `None`
/// when the line gives no valid key, or a key's name twice.
pub(in crate::pingone::sync) fn key_in_bytes(bytes: &[u8]) -> Option<MatchKey> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    key_of(key_members(bytes)?).ok().map(|(key, _)| key)
}

/// The line's key and its other attributes.
pub(super) fn split_key(text: &str) -> Result<(MatchKey, Map<String, Value>), LineError> {
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
