//! [`left_out_by_diff`]: what a model's [`diff`](crate::Patchable::diff) leaves different,
//! such as a `#[patchable(skip)]` field.

use serde::Serialize;
use serde_json::Value;

use crate::{Diff, merge_diff, merge_patch};

/// The attributes (dotted paths of the models' JSON, `createdAt`, `name.given`) at which
/// `desired` differs from `current` and still differs once `current.diff(desired)` is applied
/// to `current`'s JSON as a merge patch (RFC 7396 §2): what the patch leaves out, without a
/// word from `diff`. Empty when the patch makes `current` what `desired` is.
///
/// `diff` compares the fields that a patch holds, and leaves out by design those marked
/// `#[patchable(skip)]` (an `id`, a `createdAt`: a server sets them, and PATCH cannot change
/// them); its laws hold on the others. A desired state read from a file into the model may
/// still set such a field, which a patch built from it drops: a reconciler that must not drop
/// a change without a word checks with this (an opt-in check: `diff` itself is unchanged),
/// and refuses the desired state, or warns, naming them. A field that serde skips is in
/// neither JSON, and is not named. `null` and an absent member count as the same (RFC 7396),
/// and values compare as [`merge_diff`] compares them.
///
/// ```
/// use sparse_patch::{Patchable, left_out_by_diff};
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// struct User {
///     #[patchable(skip)]
///     id: String,
///     #[patchable(skip)]
///     created_at: String,
///     title: Option<String>,
/// }
///
/// let current = User { id: "1".into(), created_at: "2020".into(), title: None };
/// // Read from a desired-state file that sets `createdAt` too.
/// let desired = User { id: "1".into(), created_at: "2026".into(), title: Some("Dr".into()) };
/// assert_eq!(serde_json::to_string(&current.diff(&desired))?, r#"{"title":"Dr"}"#);
/// assert_eq!(left_out_by_diff(&current, &desired)?, ["createdAt"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Errors
///
/// The error of `serde_json` when a model or the patch cannot be written as JSON (a map
/// whose keys are not strings, a `Serialize` impl of your own that fails).
pub fn left_out_by_diff<M>(current: &M, desired: &M) -> Result<Vec<String>, serde_json::Error>
where
    M: Diff + Serialize,
    M::Patch: Serialize,
{
    let mut patched = serde_json::to_value(current)?;
    merge_patch(&mut patched, serde_json::to_value(current.diff(desired))?);
    let remaining = merge_diff(&patched, &serde_json::to_value(desired)?);
    Ok(leaf_paths(&remaining, &patched))
}

/// The dotted paths of the leaves of the merge patch `remaining` (a value, `null`, or an
/// empty object) that `patched` does not already hold, in the order of its members: a `null`
/// where `patched` holds nothing or `null` is no difference (merge_diff writes one where the
/// desired JSON has a `null` member that the patched one lacks). `""` when `remaining` is not
/// an object (the whole document differs). Walked with a heap stack, not recursion: a model's
/// JSON may be of any depth.
fn leaf_paths(remaining: &Value, patched: &Value) -> Vec<String> {
    /// The members of `members` under `path`, each with what `patched` holds for it, in
    /// reverse (a stack takes them in order).
    fn children<'v>(
        path: Option<&str>,
        members: &'v serde_json::Map<String, Value>,
        patched: Option<&'v Value>,
    ) -> impl Iterator<Item = (String, &'v Value, Option<&'v Value>)> {
        let path = path.map(str::to_owned);
        members.iter().rev().map(move |(name, member)| {
            let at = match &path {
                Some(path) => format!("{path}.{name}"),
                None => name.clone(),
            };
            (at, member, patched.and_then(|patched| patched.get(name)))
        })
    }
    let Value::Object(members) = remaining else {
        return vec![String::new()];
    };
    let mut paths = Vec::new();
    let mut stack: Vec<(String, &Value, Option<&Value>)> =
        children(None, members, Some(patched)).collect();
    while let Some((path, value, patched)) = stack.pop() {
        match value {
            Value::Object(members) if !members.is_empty() => {
                stack.extend(children(Some(&path), members, patched));
            }
            Value::Null if patched.is_none_or(Value::is_null) => {}
            _ => paths.push(path),
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::leaf_paths;

    /// A `null` that remains is a difference only where the patched document holds a value
    /// (`null` and absent are one, RFC 7396); what remains when it is no object is the whole
    /// document, `""`. (Mutation testing: a `null` against a `null` named, and the whole
    /// document named by nothing, went unnoticed.)
    #[test]
    fn a_null_against_null_or_nothing_is_no_difference_and_a_value_is_the_whole() {
        let remaining = json!({"a": null, "b": {"c": null}, "d": null});
        let patched = json!({"a": null, "b": {}, "d": 1});
        assert_eq!(leaf_paths(&remaining, &patched), ["d"]);
        assert_eq!(leaf_paths(&json!(5), &json!({"a": 1})), [""]);
        assert_eq!(leaf_paths(&json!(null), &json!({})), [""]);
    }
}
