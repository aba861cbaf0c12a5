//! The typed patch of a change that a dialect's operations made to a model's JSON, checked as
//! a merge patch is ([`Patch::from_json_patch`], [`Patch::from_scim_patch`]).

use serde::Serialize;

use super::read_json::read_json;
use super::serde_defaults::{
    model_json_not_read_back, removed_but_filled_by_serde_default, with_hidden_nones,
    without_serde_defaults,
};
use super::{Patch, Patchable};

/// The typed patch of a change that a dialect's operations made to `base`'s JSON (`base_json`
/// before, `changed` after), for [`Patch::from_json_patch`] and [`Patch::from_scim_patch`]
/// (`boolean_strings`: a `bool` of the patch and the model also read from `"True"` or
/// `"False"`, as [`read_json`] reads it).
///
/// The change is checked as a merge patch is (a required attribute removed, a wrong type, an
/// unknown key under `deny_unknown_fields`), with serde's error for the attribute: the merge
/// patch of the top level, each changed attribute's whole new value (one that went into an
/// attribute held whole would hold `null`s where it removed a member), each removed one
/// `null`, except one that the model's serde default fills, which reads as that default, as
/// a nested one does ([`top_level_change`]). The patch itself is
/// the typed diff to the changed model, not the merge patch read as the patch: that merge
/// patch goes into every object, where the patch holds some attributes whole (a struct that
/// is not `nested`, a `replace` map), and `apply` set such an attribute to the part of it
/// that the operations changed (`add /labels/b` on a `replace` map left `labels` as
/// `{"b": ..}`, the other keys lost).
pub(super) fn typed_change<P>(
    base: &P::Model,
    base_json: &serde_json::Value,
    changed: serde_json::Value,
    boolean_strings: bool,
) -> Result<P, serde_json::Error>
where
    P: Patch + serde::de::DeserializeOwned,
    P::Model: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    let nothing_left = std::collections::HashSet::new();
    if let Err(error) = read_json::<P>(
        top_level_change(base_json, &changed, &nothing_left),
        boolean_strings,
    ) {
        // A removed required attribute that the model's serde default fills (a field's
        // `default`, the struct's) is no clear but that default, which the model reads where
        // the member is gone (RFC 6902 §4.2; RFC 7644 §3.5.2.2, a multi-valued one's values
        // all removed), as a nested one is: checked as left as it was, its value taken from the
        // changed model below (review 141: rust-scim's `#[serde(default)] emails` refused).
        if !error
            .to_string()
            .contains(crate::private::CANNOT_BE_CLEARED)
        {
            return Err(error);
        }
        let filled =
            removed_but_filled_by_serde_default::<P::Model>(base_json, &changed, boolean_strings);
        if filled.is_empty() {
            return Err(error);
        }
        let _: P = read_json(
            top_level_change(base_json, &changed, &filled),
            boolean_strings,
        )?;
    }
    // Read from a copy: on an error, `changed` tells which nested required attribute went.
    let target: P::Model = match read_json(changed.clone(), boolean_strings) {
        Ok(target) => target,
        Err(error) => {
            return Err(required_removed_below::<P>(base_json, &changed)
                .or_else(|| {
                    required_missing_where_built::<P>(base, base_json, &changed, boolean_strings)
                })
                .or_else(|| model_json_not_read_back::<P::Model>(base_json, boolean_strings))
                .unwrap_or(error));
        }
    };
    let target = without_serde_defaults(
        base_json,
        &changed,
        target,
        P::KEYED_ARRAYS,
        boolean_strings,
    );
    // The diff from `base` as its own JSON reads it, read the same way, not from `base`: what
    // the JSON does not show (a field that the model never writes, `skip_serializing`; a
    // `None` left out whose serde default is `Some`) `target` can only read as `base_json`
    // reads it, and a diff from `base` itself set it where no operation named it (`[]` wiped
    // a `#[serde(default, skip_serializing)]` password hash, set a `None` budget to its
    // default; review 126). One that the operations set is in `changed`, and so in the diff.
    let as_written = read_json::<P::Model>(base_json.clone(), boolean_strings)
        .ok()
        .map(|read| with_hidden_nones(base_json, read, P::KEYED_ARRAYS, boolean_strings));
    let patch = crate::Diff::diff_patch(as_written.as_ref().unwrap_or(base), &target);
    // The operations may leave what `apply` refuses (an `add` appending a second element with
    // a keyed array's held key, or one without the key): refused here, so that the promise
    // `base.apply(patch)` holds for every patch returned.
    base.check_patch(&patch)
        .map_err(<serde_json::Error as serde::de::Error>::custom)?;
    if holds_null_member(&changed) {
        // The patch again (a patch need not be `Clone`), applied to what it is the diff from.
        let again = crate::Diff::diff_patch(as_written.as_ref().unwrap_or(base), &target);
        let from = match as_written {
            Some(as_written) => as_written,
            None => read_json(base_json.clone(), boolean_strings)?,
        };
        refuse_null_kept_in_untyped_json(from, again, &target)?;
    }
    Ok(patch)
}

/// The merge patch of the top level between `base_json` and `changed` that [`typed_change`]
/// checks by reading it as the patch: each changed attribute's whole new value, each removed
/// one `null`, except those of `left` (removed ones that the model's serde default fills),
/// which hold `base_json`'s value, as if left as they were (still read by the patch, so that
/// one it does not hold is refused under `deny_unknown_fields` as before).
fn top_level_change(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    left: &std::collections::HashSet<String>,
) -> serde_json::Value {
    match (base_json, changed) {
        (serde_json::Value::Object(old), serde_json::Value::Object(new)) => {
            let removed =
                old.iter()
                    .filter(|(key, _)| !new.contains_key(*key))
                    .map(|(key, value)| {
                        let checked = if left.contains(key) {
                            value.clone()
                        } else {
                            serde_json::Value::Null
                        };
                        (key.clone(), checked)
                    });
            let set = new
                .iter()
                .filter(|(key, value)| old.get(*key) != Some(*value))
                .map(|(key, value)| (key.clone(), value.clone()));
            serde_json::Value::Object(removed.chain(set).collect())
        }
        _ => changed.clone(),
    }
}

/// Refuses a change that keeps a `null` member inside untyped JSON (a `serde_json::Value`
/// attribute, a flattened map of custom attributes: `add /locked null`), which the operations
/// keep (RFC 6902 §4.1) and no merge patch can carry, since it reads every `null` as "remove"
/// (RFC 7396 §2): the patch would remove the member, not give what the operations give. Checked
/// by applying `patch` to `from` (the base as its JSON reads it, which the patch is the diff
/// from) and comparing with `target`; the error names the attributes that differ.
fn refuse_null_kept_in_untyped_json<M>(
    from: M,
    patch: M::Patch,
    target: &M,
) -> Result<(), serde_json::Error>
where
    M: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    let mut reached = from;
    reached
        .apply(patch)
        .map_err(<serde_json::Error as serde::de::Error>::custom)?;
    if crate::Diff::diff_patch(&reached, target).is_empty() {
        return Ok(());
    }
    let (reached, target) = (
        serde_json::to_value(&reached)?,
        serde_json::to_value(target)?,
    );
    let empty = serde_json::Map::new();
    let (reached, target) = (
        reached.as_object().unwrap_or(&empty),
        target.as_object().unwrap_or(&empty),
    );
    let mut differing: Vec<&String> = reached
        .keys()
        .chain(target.keys())
        .filter(|key| reached.get(*key) != target.get(*key))
        .collect();
    differing.sort();
    differing.dedup();
    let names: Vec<String> = differing.iter().map(|key| format!("`{key}`")).collect();
    Err(<serde_json::Error as serde::de::Error>::custom(
        format_args!(
            "the operations set a `null` member inside untyped JSON ({}), which a merge patch \
         reads as \"remove\" (RFC 7396 §2): no patch gives that change",
            names.join(", ")
        ),
    ))
}

/// The error that `apply` gives for the merge patch of the same change, where the operations
/// built a nested model without one of its required attributes (`add /network {"vlan": 5}` on
/// a model without `network`): ``cannot apply the patch: required attribute `network.ip` is
/// missing``, naming the attribute by its path, where the model's reading said ``at
/// `network`: missing field `ip` ``, so that the three dialects refuse the change in the same
/// words. The deep merge patch between the two, read as the patch, is checked against `base`
/// ([`Patchable::check_patch`]); only a missing required attribute is taken from it, as
/// [`required_removed_below`] takes only its own error.
fn required_missing_where_built<P: Patch + serde::de::DeserializeOwned>(
    base: &P::Model,
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    boolean_strings: bool,
) -> Option<serde_json::Error> {
    let patch: P = read_json(crate::merge_diff(base_json, changed), boolean_strings).ok()?;
    let error = base.check_patch(&patch).err()?;
    matches!(error.kind(), crate::ApplyErrorKind::MissingRequired)
        .then(|| <serde_json::Error as serde::de::Error>::custom(error))
}

/// Whether some object in `value`, at any depth, holds a member whose value is `null`: only
/// then may a change be one that no merge patch carries.
fn holds_null_member(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(members) => members
            .values()
            .any(|member| member.is_null() || holds_null_member(member)),
        serde_json::Value::Array(elements) => elements.iter().any(holds_null_member),
        _ => false,
    }
}

/// The patch's error for a required attribute of a nested model that the operations removed
/// (`remove /name/given`), which names it by its path (``invalid value: null for
/// `name.given`, a required attribute that cannot be cleared``), where the model's reading
/// said only ``missing field `given` ``: the deep merge patch between the two read as the
/// patch. Only that error is taken from it: an attribute held whole (a struct that is not
/// `nested`) is no merge patch, and the deep patch's other errors there would mislead.
fn required_removed_below<P: Patch + serde::de::DeserializeOwned>(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
) -> Option<serde_json::Error> {
    let error = serde_json::from_value::<P>(crate::merge_diff(base_json, changed)).err()?;
    error
        .to_string()
        .contains(crate::private::CANNOT_BE_CLEARED)
        .then_some(error)
}
