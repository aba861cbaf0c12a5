//! RFC 7396 on untyped JSON: [`merge_patch`], [`merge_diff`] and [`MergeJson`] for
//! `serde_json::Value` and `serde_json::Map` fields.

use serde_json::{Map, Value};

use crate::ComposeConflict;
use crate::member_order::map_keeps_insertion_order;

/// The media type of a JSON merge patch (RFC 7396 §4), the `Content-Type` of a `PATCH` whose
/// body is a patch's JSON (`serde_json::to_vec(&patch)`): `application/merge-patch+json`.
///
/// Servers differ in what they take: Kubernetes answers 415 to a merge patch sent as
/// `application/json` and needs this type; GitHub's REST API and PingOne (whose client sends
/// `application/json`) take `application/json`. Send what the server documents.
///
/// ```
/// assert_eq!(sparse_patch::MERGE_PATCH_CONTENT_TYPE, "application/merge-patch+json");
/// ```
pub const MERGE_PATCH_CONTENT_TYPE: &str = "application/merge-patch+json";

/// Applies a JSON merge patch to `target`, as the pseudocode of RFC 7396 §2 does: an object patch
/// merges member by member, `null` members remove, and any other patch replaces the target.
///
/// Where serde_json keeps members in insertion order (its `preserve_order` feature), the text
/// keeps the target's order: members changed in place, removed ones leaving the others where
/// they were, and new ones at the end, where RFC 7396 §2's pseudocode adds them.
///
/// ```
/// use serde_json::json;
///
/// let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}});
/// sparse_patch::merge_patch(&mut target, json!({"a": "z", "c": {"f": null}}));
/// assert_eq!(target, json!({"a": "z", "c": {"d": "e"}}));
/// ```
pub fn merge_patch(target: &mut Value, patch: Value) {
    let Value::Object(members) = patch else {
        *target = patch;
        return;
    };
    let mut object = match core::mem::take(target) {
        Value::Object(object) => object,
        _ => Map::new(),
    };
    merge_members(&mut object, members);
    *target = Value::Object(object);
}

/// Applies the members of an object patch to an object (RFC 7396 §2).
///
/// It walks the patch with a heap stack, not recursion ([`walk_members`]), so a patch of any
/// depth is applied without overflowing the thread's stack (recursion overflowed 8 MB at
/// 50,000 levels, where serde_json still compares and drops the value).
///
/// A removed member leaves the others in their places, also where serde_json keeps members in
/// insertion order (its `preserve_order` feature, which any crate of a build may turn on, and
/// under which `Map::remove` is `swap_remove`: it moved the last member into the removed one's
/// place): the removals of each object are done together, in one pass that keeps the order.
fn merge_members(object: &mut Map<String, Value>, members: Map<String, Value>) {
    walk_members(object, members, |current, key, change| match change {
        Value::Null => Step::Remove(key),
        Value::Object(inner) => {
            // `entry` adds a new key where RFC 7396's recursion would: at the end.
            let below = match current.entry(key.clone()).or_insert(Value::Null) {
                Value::Object(below) => core::mem::take(below),
                _ => Map::new(),
            };
            Step::Below(Below { key, below, inner })
        }
        value => {
            current.insert(key, value);
            Step::Done
        }
    });
}

/// What [`walk_members`]'s step did with a member.
enum Step {
    /// Settled it.
    Done,
    /// Asks for the member `key` of the object being walked to be removed.
    Remove(String),
    /// Asks for the members of an object below to be walked into it.
    Below(Below),
}

/// Removes the members `keys` of `object` (a map that keeps insertion order), leaving the
/// others in their order: in one pass of `Map::retain`, when one of them is there, per object
/// and not per key, which would take time quadratic in the object's size. (A sorted map
/// removes each in place, as its walk meets it.)
fn remove_members(object: &mut Map<String, Value>, keys: Vec<String>) {
    let keys: std::collections::HashSet<String> = keys
        .into_iter()
        .filter(|key| object.contains_key(key))
        .collect();
    if !keys.is_empty() {
        object.retain(|key, _| !keys.contains(key));
    }
}

/// An object below the one being walked, whose members `inner` are to be walked into it
/// before it is put back under `key`.
struct Below {
    key: String,
    below: Map<String, Value>,
    inner: Map<String, Value>,
}

/// Walks `members` into `object` with a heap stack, not recursion: `step` takes each member
/// (the object it goes into, its key and its value) and either settles it, asks for the member
/// to be removed, or returns the object below to walk the member's own members into. An object
/// below is taken out of its parent while it is walked (its key keeps its place), and put back
/// after. Where serde_json's map keeps insertion order, the members to remove from an object
/// are removed together when its walk ends ([`remove_members`]).
fn walk_members(
    object: &mut Map<String, Value>,
    members: Map<String, Value>,
    mut step: impl FnMut(&mut Map<String, Value>, String, Value) -> Step,
) {
    /// An object whose walk waits for one of its members' (`key`) to finish.
    struct Waiting {
        key: String,
        object: Map<String, Value>,
        members: serde_json::map::IntoIter,
        removed: Vec<String>,
    }
    let mut stack: Vec<Waiting> = Vec::new();
    let mut current = core::mem::take(object);
    let mut members = members.into_iter();
    let mut removed = Vec::new();
    loop {
        match members.next() {
            Some((key, value)) => match step(&mut current, key, value) {
                Step::Done => {}
                // A sorted map removes in place; one that keeps insertion order waits for
                // the object's walk to end.
                Step::Remove(key) if map_keeps_insertion_order() => removed.push(key),
                Step::Remove(key) => {
                    current.remove(&key);
                }
                Step::Below(Below { key, below, inner }) => stack.push(Waiting {
                    key,
                    object: core::mem::replace(&mut current, below),
                    members: core::mem::replace(&mut members, inner.into_iter()),
                    removed: core::mem::take(&mut removed),
                }),
            },
            None => {
                remove_members(&mut current, core::mem::take(&mut removed));
                match stack.pop() {
                    Some(waiting) => {
                        let done = core::mem::replace(&mut current, waiting.object);
                        members = waiting.members;
                        removed = waiting.removed;
                        current.insert(waiting.key, Value::Object(done));
                    }
                    None => break,
                }
            }
        }
    }
    *object = current;
}

/// The smallest JSON merge patch from `current` to `target`: `merge_patch(current, diff)` gives
/// `target`, except where `target` holds a `null` inside an object, which RFC 7396 §1 cannot
/// express (a patch's `null` removes the member).
///
/// ```
/// use serde_json::json;
///
/// let current = json!({"a": 1, "b": {"c": 2, "d": 3}});
/// let target = json!({"a": 1, "b": {"c": 4}});
/// assert_eq!(sparse_patch::merge_diff(&current, &target), json!({"b": {"c": 4, "d": null}}));
/// ```
#[must_use]
pub fn merge_diff(current: &Value, target: &Value) -> Value {
    match (current, target) {
        (Value::Object(current), Value::Object(target)) => {
            Value::Object(diff_members(current, target))
        }
        _ => target.clone(),
    }
}

/// The members of the smallest merge patch between two objects.
///
/// It walks the objects with a heap stack, not recursion, so values of any depth are compared
/// without overflowing the thread's stack (recursion overflowed 8 MB at 10,000 levels, where
/// serde_json still clones, compares, writes and drops the values), and each member is
/// visited once: two objects are not compared whole before their members are (which took
/// time quadratic in the depth), since their patch is empty exactly when they are equal.
fn diff_members(current: &Map<String, Value>, target: &Map<String, Value>) -> Map<String, Value> {
    /// Two objects being compared, and the patch of the members compared so far.
    struct Pending<'a> {
        /// The key of the objects in their parents (`None` at the top).
        key: Option<&'a String>,
        current: &'a Map<String, Value>,
        members: serde_json::map::Iter<'a>,
        patch: Map<String, Value>,
    }
    fn pending<'a>(
        key: Option<&'a String>,
        current: &'a Map<String, Value>,
        target: &'a Map<String, Value>,
    ) -> Pending<'a> {
        // Removed members first, then changed and new ones, in the target's order.
        let patch = current
            .keys()
            .filter(|key| !target.contains_key(*key))
            .map(|key| (key.clone(), Value::Null))
            .collect();
        Pending {
            key,
            current,
            members: target.iter(),
            patch,
        }
    }
    let mut stack = vec![pending(None, current, target)];
    loop {
        let Some(top) = stack.last_mut() else {
            return Map::new();
        };
        match top.members.next() {
            Some((key, value)) => match (top.current.get(key), value) {
                (Some(Value::Object(old)), Value::Object(new)) => {
                    stack.push(pending(Some(key), old, new));
                }
                (Some(old), value) if old == value => {}
                (_, value) => {
                    top.patch.insert(key.clone(), value.clone());
                }
            },
            None => {
                let Some(done) = stack.pop() else {
                    return Map::new();
                };
                match (stack.last_mut(), done.key) {
                    (Some(parent), Some(key)) => {
                        if !done.patch.is_empty() {
                            parent.patch.insert(key.clone(), Value::Object(done.patch));
                        }
                    }
                    _ => return done.patch,
                }
            }
        }
    }
}

/// A field of untyped JSON that a patch merges by RFC 7396, rather than replaces: the patch value
/// is itself a merge patch. `#[derive(Patchable)]` uses it for `serde_json::Value` and
/// `serde_json::Map<String, Value>` fields.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not untyped JSON (`serde_json::Value` or `serde_json::Map`)",
    label = "the derive took this for `serde_json::Value` by its name",
    note = "mark the field `#[patchable(replace)]` to send its value whole"
)]
pub trait MergeJson: Sized + PartialEq + Clone {
    /// Applies `patch` to `self` (RFC 7396 §2).
    fn merge(&mut self, patch: Self);

    /// Builds the value from a patch applied to nothing: `null` members are dropped.
    #[must_use]
    fn from_patch(patch: Self) -> Self;

    /// The smallest merge patch from `self` to `target`.
    #[must_use]
    fn diff(&self, target: &Self) -> Self;

    /// Returns `true` when `patch` changes nothing: an empty object.
    fn is_empty_patch(patch: &Self) -> bool;

    /// Returns `true` when `patch` is an object, which merges into the target rather than
    /// replacing it (RFC 7396 §2).
    fn merges(patch: &Self) -> bool;

    /// Checks that [`then_patch`](MergeJson::then_patch) can compose `next` after `first`.
    ///
    /// # Errors
    ///
    /// [`ComposeConflict`] naming the first member (as a path below this value) where `first`
    /// is `null` or not an object and `next` merges an object into it.
    fn check_then_patch(first: &Self, next: &Self) -> Result<(), ComposeConflict>;

    /// Composes `next` into `first`: one merge patch that does the work of the two applied in
    /// turn, once [`check_then_patch`](MergeJson::check_then_patch) has passed.
    fn then_patch(first: &mut Self, next: Self);
}

/// Checks that two merge patches compose: wherever `next` holds an object, `first` holds an
/// object too (or nothing).
fn check_then_value(first: &Value, next: &Value) -> Result<(), ComposeConflict> {
    match (first, next) {
        (_, Value::Object(_)) if !first.is_object() => Err(ComposeConflict::here()),
        (Value::Object(first), Value::Object(next)) => check_then_members(first, next),
        _ => Ok(()),
    }
}

/// [`check_then_value`] for two object patches, member by member.
///
/// It walks the patches with a heap stack, not recursion, so patches of any depth (built in
/// code: serde_json reads at most 128 levels of text) are checked without overflowing the
/// thread's stack (recursion overflowed it at 100,000 levels in a test thread, where
/// `merge_patch` and `merge_diff` work). The conflict's path is built once, at the end, not
/// member by member as it travels out, which would take time quadratic in its depth.
fn check_then_members(
    first: &Map<String, Value>,
    next: &Map<String, Value>,
) -> Result<(), ComposeConflict> {
    /// Two objects being checked: the key of both in their parents (`None` at the top), the
    /// first patch's object and the members of the next patch's still to check.
    struct Pending<'a> {
        key: Option<&'a String>,
        first: &'a Map<String, Value>,
        next: serde_json::map::Iter<'a>,
    }
    let mut stack = vec![Pending {
        key: None,
        first,
        next: next.iter(),
    }];
    while let Some(top) = stack.last_mut() {
        let Some((key, next)) = top.next.next() else {
            stack.pop();
            continue;
        };
        match (top.first.get(key), next) {
            (Some(Value::Object(first)), Value::Object(next)) => stack.push(Pending {
                key: Some(key),
                first,
                next: next.iter(),
            }),
            (Some(_), Value::Object(_)) => {
                let path = stack
                    .iter()
                    .filter_map(|pending| pending.key)
                    .chain([key])
                    .map(|key| std::borrow::Cow::Owned(key.clone()))
                    .collect();
                return Err(ComposeConflict::at(path));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Composes two merge patches: `next` replaces `first` unless both are objects, which compose
/// member by member (a member that `next` holds wins, recursively for objects in both).
fn then_value(first: &mut Value, next: Value) {
    match (first, next) {
        (Value::Object(first), Value::Object(next)) => then_members(first, next),
        (first, next) => *first = next,
    }
}

/// [`then_value`] for two object patches.
///
/// It walks `next` with a heap stack, not recursion ([`walk_members`]), as
/// [`merge_members`] does, so patches of any depth compose without overflowing the thread's
/// stack (recursion overflowed it at 100,000 levels in a test thread).
fn then_members(first: &mut Map<String, Value>, next: Map<String, Value>) {
    walk_members(first, next, |current, key, change| match change {
        Value::Object(inner) => match current.get_mut(&key) {
            Some(Value::Object(below)) => Step::Below(Below {
                below: core::mem::take(below),
                key,
                inner,
            }),
            // `insert` replaces a member in its place, or adds a new one at the end.
            _ => {
                current.insert(key, Value::Object(inner));
                Step::Done
            }
        },
        value => {
            current.insert(key, value);
            Step::Done
        }
    });
}

impl MergeJson for Value {
    fn merge(&mut self, patch: Self) {
        merge_patch(self, patch);
    }

    fn from_patch(patch: Self) -> Self {
        let mut value = Value::Null;
        merge_patch(&mut value, patch);
        value
    }

    fn diff(&self, target: &Self) -> Self {
        merge_diff(self, target)
    }

    fn is_empty_patch(patch: &Self) -> bool {
        patch.as_object().is_some_and(Map::is_empty)
    }

    fn merges(patch: &Self) -> bool {
        patch.is_object()
    }

    fn check_then_patch(first: &Self, next: &Self) -> Result<(), ComposeConflict> {
        check_then_value(first, next)
    }

    fn then_patch(first: &mut Self, next: Self) {
        then_value(first, next);
    }
}

impl MergeJson for Map<String, Value> {
    fn merge(&mut self, patch: Self) {
        merge_members(self, patch);
    }

    fn from_patch(patch: Self) -> Self {
        let mut object = Map::new();
        merge_members(&mut object, patch);
        object
    }

    fn diff(&self, target: &Self) -> Self {
        diff_members(self, target)
    }

    fn is_empty_patch(patch: &Self) -> bool {
        patch.is_empty()
    }

    fn merges(_: &Self) -> bool {
        true
    }

    fn check_then_patch(first: &Self, next: &Self) -> Result<(), ComposeConflict> {
        check_then_members(first, next)
    }

    fn then_patch(first: &mut Self, next: Self) {
        then_members(first, next);
    }
}
