//! [`PlannedChanges`]: what a line's patch changes in its user, with the values the user
//! holds now, for a dry run's plan to show (`~ /title: "Engineer" -> "Lead"`).

use core::fmt;

use serde_json::{Map, Value};

use crate::json_patch_apply::tokens;
use crate::{DialectError, JsonPatchOperation, JsonPatchPlan, json_patch_from_merge};

/// What a JSON merge patch (RFC 7396) changes in a user, with the values the user holds now:
/// the RFC 6902 operations that do the patch's work on the user
/// ([`json_patch_from_merge`]), and the user reduced to the values those operations
/// read (the member at each operation's path, inside the objects around it), so that a plan
/// holding many lines does not hold whole profiles. Its [`Display`](fmt::Display) is the
/// [`JsonPatchPlan`] of the operations on those values, one line per operation:
/// `~ /title: "Engineer" -> "Lead"`, `- /nickname: "Bo"`, `+ /name/middle: "J"`.
///
/// A dry run of [`SyncJob::planned_changes`](super::SyncJob::planned_changes) gives each
/// [`WouldChange`](super::Status::WouldChange) outcome its changes
/// ([`Outcome::changes`](super::Outcome::changes)), from the user the dry run read: no other
/// request. They show the users' attribute values, personal data: print them where the
/// users' data may be seen.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::pingone::sync::PlannedChanges;
///
/// let user = json!({"username": "bo", "name": {"given": "Bob", "family": "Lee"}, "title": "Engineer", "nickname": "Bo"});
/// let patch = json!({"name": {"given": "Robert"}, "title": "Lead", "nickname": null});
/// let changes = PlannedChanges::new(&user, &patch)?;
/// assert_eq!(
///     changes.to_string(),
///     "~ /name/given: \"Bob\" -> \"Robert\"\n- /nickname: \"Bo\"\n~ /title: \"Engineer\" -> \"Lead\""
/// );
/// // Only what the operations read is kept.
/// assert_eq!(changes.current_values(), &json!({"name": {"given": "Bob"}, "title": "Engineer", "nickname": "Bo"}));
/// # Ok::<(), sparse_patch::DialectError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedChanges {
    operations: Vec<JsonPatchOperation>,
    current_values: Value,
}

impl PlannedChanges {
    /// The changes that `patch`, a JSON merge patch, makes to `user`, a user as JSON (as
    /// [`serde_json::to_value`] writes a [`User`](crate::pingone::User)).
    ///
    /// # Errors
    ///
    /// [`DialectError::NotAnObject`] when `user` or `patch` is not a JSON object (as
    /// [`json_patch_from_merge`]).
    pub fn new(user: &Value, patch: &Value) -> Result<Self, DialectError> {
        let operations = json_patch_from_merge(user, patch)?;
        let current_values = values_read(user, &operations);
        Ok(PlannedChanges {
            operations,
            current_values,
        })
    }

    /// The RFC 6902 operations that do the patch's work on the user.
    #[must_use]
    pub fn operations(&self) -> &[JsonPatchOperation] {
        &self.operations
    }

    /// The user's current values that the operations read: the user reduced to the member
    /// at each operation's path, inside the objects around it.
    #[must_use]
    pub fn current_values(&self) -> &Value {
        &self.current_values
    }

    /// The plan of the operations on the current values ([`JsonPatchPlan`]).
    #[must_use]
    pub fn plan(&self) -> JsonPatchPlan<'_> {
        JsonPatchPlan::new(&self.current_values, &self.operations)
    }
}

/// The [`JsonPatchPlan`] of the changes: one line per operation, separated by `\n`.
impl fmt::Display for PlannedChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.plan().fmt(f)
    }
}

/// `document` reduced to what `operations` read: the value at each path (and `from`) they
/// name, inside the objects around it (kept, empty, where the value is absent); an array on
/// the way is kept whole. The operations
/// apply to it as to `document`, and read the same values.
fn values_read(document: &Value, operations: &[JsonPatchOperation]) -> Value {
    let mut reduced = Value::Object(Map::new());
    for operation in operations {
        let (path, from) = match operation {
            JsonPatchOperation::Add { path, .. }
            | JsonPatchOperation::Remove { path }
            | JsonPatchOperation::Replace { path, .. }
            | JsonPatchOperation::Test { path, .. } => (path, None),
            JsonPatchOperation::Move { from, path } | JsonPatchOperation::Copy { from, path } => {
                (path, Some(from))
            }
        };
        for path in std::iter::once(path).chain(from) {
            copy_at(document, &mut reduced, path);
        }
    }
    reduced
}

/// Copies into `target` the value of `source` at `path` (a JSON Pointer, RFC 6901), with the
/// objects around it; nothing when `source` holds nothing there.
fn copy_at(mut source: &Value, mut target: &mut Value, path: &str) {
    let Ok(tokens) = tokens(path) else {
        return;
    };
    for token in tokens {
        // An array or a value on the way: copied whole.
        let Value::Object(members) = source else {
            break;
        };
        // An object on the way is an object in the copy, even where the member is absent:
        // an `add` of a member to an object the user holds reads the object.
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        let Some(member) = members.get(&token) else {
            return;
        };
        let Some(into) = target.as_object_mut() else {
            return;
        };
        target = into.entry(token).or_insert(Value::Null);
        source = member;
    }
    target.clone_from(source);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::PlannedChanges;

    /// The reduced values give the plan that the whole user gives: an object the user holds
    /// (merged into), one it lacks (added whole), a member cleared, a value set as it is.
    #[test]
    fn the_reduced_values_plan_as_the_whole_user_does() {
        let user = json!({
            "username": "bo", "title": "Engineer", "nickname": "Bo", "department": "R&D",
            "name": {"given": "Bob", "family": "Lee"}, "address": {}, "tags": ["a"]
        });
        let patch = json!({
            "name": {"given": "Robert", "family": "Lee"}, "title": "Lead", "nickname": null,
            "address": {"locality": "Oslo"}, "tags": ["b"], "photo": {"href": "https://p"}
        });
        let changes = PlannedChanges::new(&user, &patch).unwrap();
        assert_eq!(
            changes.to_string(),
            crate::JsonPatchPlan::new(&user, changes.operations()).to_string()
        );
        assert!(
            changes
                .to_string()
                .contains(r#"~ /title: "Engineer" -> "Lead""#)
        );
        assert!(!changes.current_values().to_string().contains("R&D"));
    }

    /// A member added to an object the user holds, where the patch reads nothing else of it
    /// (`name.middle` set on a user with `name.given` only): the object is kept (empty), so
    /// the operation applies to the reduced values as to the user.
    #[test]
    fn a_member_added_to_an_object_the_user_holds_applies() {
        let user = json!({"username": "bo", "name": {"given": "Bob"}, "address": {"street": "1 Road"}, "photo": {}});
        let patch = json!({"name": {"middle": "J"}, "address": {"locality": "Oslo", "region": null}, "photo": {"href": "https://p"}});
        let changes = PlannedChanges::new(&user, &patch).unwrap();
        assert_eq!(
            changes.to_string(),
            crate::JsonPatchPlan::new(&user, changes.operations()).to_string()
        );
        assert!(!changes.to_string().contains("does not apply"), "{changes}");
        assert!(!changes.current_values().to_string().contains("Road"));
    }
}
