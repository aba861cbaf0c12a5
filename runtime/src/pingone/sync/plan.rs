//! [`plan_patch`]: the smallest patch that gives a user the attributes a desired line
//! manages, and leaves the others alone.

use std::collections::BTreeMap;

use serde_json::Value;

use super::desired::{DesiredUser, LineError};
use crate::Patchable;
use crate::keyed_array::key_identity;
use crate::pingone::{User, UserPatch, preflight};

/// The patch that turns `current` into what `desired` asks for: the line's merge patch
/// applied to a copy of the user ([`Patchable::apply`], RFC 7396 §2), then the
/// [`diff`](Patchable::diff) from the user to that copy. It holds only the managed attributes
/// whose value differs: an attribute the line does not mention is never in it, one already
/// right is left out, and an empty patch means "no change". Numbers in custom attributes
/// compare by value, as the job's check of PingOne's answer does: `1.0` or `1e0` in the line
/// where the user holds `1` (and `0` where it holds `-0.0`) is no change, so a line converges
/// whatever spelling of a number the server writes back.
///
/// The patch is checked against PingOne's rules (the client's pre-flight table: lengths,
/// patterns, the 16 KiB limit), and so is the size of the user it makes (its attributes that a
/// PATCH can change: a patch within 16 KiB may still make a profile past it), so that a value
/// PingOne would refuse is reported with its line before anything is sent, by a dry run too.
///
/// ```
/// use sparse_patch::pingone::User;
/// use sparse_patch::pingone::sync::{parse_line, plan_patch};
///
/// let user: User = serde_json::from_value(serde_json::json!({
///     "id": "a38890a6-295a-4d58-9f6e-b72b05fba379", "username": "ada", "email": "ada@example.com",
///     "name": {"given": "Ada", "family": "Byron"}, "title": "Countess", "costCenter": "7"
/// }))?;
/// let line = r#"{"username": "ada", "name": {"family": "Lovelace"}, "title": "Countess", "costCenter": null}"#;
/// let patch = plan_patch(&user, &parse_line(1, line, None)?)?;
/// assert_eq!(serde_json::to_string(&patch)?, r#"{"name":{"family":"Lovelace"},"costCenter":null}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`LineError::InvalidValue`] when the line's patch cannot be applied to this user (a
/// `photo` without `href` for a user who has no photo), the planned patch breaks PingOne's
/// rules, or the user it makes is larger than PingOne keeps
/// ([`MAX_PROFILE_BYTES`](crate::pingone::MAX_PROFILE_BYTES)).
pub fn plan_patch(current: &User, desired: &DesiredUser) -> Result<UserPatch, LineError> {
    let mut wanted = current.clone();
    wanted
        .apply(desired.patch.clone())
        .map_err(|error| LineError::InvalidValue(error.to_string()))?;
    same_numbers_as(&mut wanted, current);
    let patch = current.diff(&wanted);
    if !crate::Patch::is_empty(&patch) {
        // The client's own pre-flight: it serializes the patch and checks it on the way. Its
        // words only: what the client would then do (send nothing) is not the plan's to say,
        // and a dry run never sends anyway.
        preflight::check_rules(&patch)
            .map_err(|error| LineError::InvalidValue(error.to_string()))?
            .map_err(|broken| LineError::InvalidValue(broken.text + &empty_values(desired)))?;
        // The patch alone may be within PingOne's size of a profile while the user it makes
        // is not: a dry run planned it, and the run got PingOne's 400.
        let profile = profile_bytes(&wanted);
        if crate::pingone::rules::check_size(profile).is_some() {
            return Err(LineError::InvalidValue(format!(
                "the user as the line leaves it breaks PingOne's rules (its attributes that a \
                 PATCH can change are {profile} bytes of JSON, more than {} bytes for a whole \
                 profile, though the patch alone is within it; PingOne would refuse it with \
                 SIZE_LIMIT_EXCEEDED): make room by clearing attributes in the line (null), \
                 or shorten its values",
                crate::pingone::MAX_PROFILE_BYTES,
            )));
        }
    }
    Ok(patch)
}

/// How many bytes of JSON the attributes of `user` that a PATCH can change take, the
/// read-only ones (`id`, `_links`, `createdAt`...) and `_embedded` left out: at most the size PingOne counts
/// for the profile, so that a user refused here is refused there. The whole user is counted
/// first, as it is written, without a copy: only one past the limit is measured again
/// without its read-only attributes.
fn profile_bytes(user: &User) -> usize {
    /// Counts the bytes written.
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    fn count(value: &impl serde::Serialize) -> usize {
        let mut count = Count(0);
        serde_json::to_writer(&mut count, value).map_or(0, |()| count.0)
    }
    let whole = count(user);
    if crate::pingone::rules::check_size(whole).is_none() {
        return whole;
    }
    let Ok(Value::Object(mut members)) = serde_json::to_value(user) else {
        return 0;
    };
    // `_embedded` too: HAL's embedded resources (a population read with `expand`), which
    // `User::custom` keeps but which are no part of the profile PingOne stores.
    members.retain(|name, _| {
        name != "_embedded" && !crate::pingone::rules::READ_ONLY.contains(&name.as_str())
    });
    count(&members)
}

/// What to write instead of the line's empty strings on core attributes (`"title": ""`, as
/// a spreadsheet's empty cell converts), which PingOne refuses: `null` clears an attribute,
/// and one left out of the line is left alone; a required one cannot be cleared. Empty when
/// the line has none.
fn empty_values(desired: &DesiredUser) -> String {
    let mut nullable = Vec::new();
    let mut required = Vec::new();
    let mut note = |rule: Option<&crate::pingone::rules::Rule>, value: &Value| {
        if value.as_str() == Some("")
            && let Some(rule) = rule
        {
            if rule.required {
                required.push(rule.path);
            } else {
                nullable.push(rule.path);
            }
        }
    };
    for (name, value) in &desired.attributes {
        match value {
            Value::Object(members) => {
                for (member, value) in members {
                    note(crate::pingone::rules::member_rule(name, member), value);
                }
            }
            value => note(crate::pingone::rules::rule(name), value),
        }
    }
    let mut hints = Vec::new();
    if !nullable.is_empty() {
        hints.push(format!(
            "to clear {}, write null; to leave it alone, leave it out of the line",
            nullable.join(", ")
        ));
    }
    if !required.is_empty() {
        // `photo.href` is required inside `photo`, but `"photo": null` removes the photo
        // (PingOne's users reference): an empty cell for a photo means no photo.
        let photo = if required.contains(&"photo.href") {
            " (to remove the photo, write \"photo\": null)"
        } else {
            ""
        };
        hints.push(format!(
            "{} cannot be cleared: leave it out of the line{photo}",
            required.join(", ")
        ));
    }
    if hints.is_empty() {
        return String::new();
    }
    format!(
        " (an empty string is no value PingOne takes, as an empty cell of a spreadsheet \
         converted to JSON gives: {})",
        hints.join("; ")
    )
}

/// Gives the numbers of `wanted`'s untyped JSON (custom attributes, and the unknown attributes
/// of `name`, `address` and `photo`) that equal by value the number at the same place in
/// `current` (`1.0` and `1`) `current`'s own spelling, so that `diff` does not send them.
fn same_numbers_as(wanted: &mut User, current: &User) {
    same_members_as(&mut wanted.custom, &current.custom);
    if let (Some(wanted), Some(current)) = (&mut wanted.name, &current.name) {
        same_members_as(&mut wanted.other, &current.other);
    }
    if let (Some(wanted), Some(current)) = (&mut wanted.address, &current.address) {
        same_members_as(&mut wanted.other, &current.other);
    }
    if let (Some(wanted), Some(current)) = (&mut wanted.photo, &current.photo) {
        same_members_as(&mut wanted.other, &current.other);
    }
}

fn same_members_as<'a>(
    wanted: impl IntoIterator<Item = (&'a String, &'a mut Value)>,
    current: &impl MemberLookup,
) {
    for (name, value) in wanted {
        if let Some(old) = current.member(name) {
            same_value_as(value, old);
        }
    }
}

/// The members of a map of untyped JSON, by name.
trait MemberLookup {
    fn member(&self, name: &str) -> Option<&Value>;
}

impl MemberLookup for BTreeMap<String, Value> {
    fn member(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl MemberLookup for serde_json::Map<String, Value> {
    fn member(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// [`same_numbers_as`] for one value: a number takes `current`'s when they are equal by value
/// ([`key_identity`]); objects member by member, arrays of the same length element by element.
fn same_value_as(wanted: &mut Value, current: &Value) {
    match (wanted, current) {
        (wanted @ Value::Number(_), Value::Number(_))
            if key_identity(wanted) == key_identity(current) =>
        {
            *wanted = current.clone();
        }
        (Value::Object(wanted), Value::Object(current)) => same_members_as(wanted, current),
        (Value::Array(wanted), Value::Array(current)) if wanted.len() == current.len() => {
            for (wanted, current) in wanted.iter_mut().zip(current) {
                same_value_as(wanted, current);
            }
        }
        _ => {}
    }
}
