//! [`Patch::from_scim_patch`]: a SCIM PatchOp message read as the typed patch.

use serde::Serialize;

use super::Patch;
use super::read_json::read_json;
use super::typed_change::typed_change;
use crate::ScimPatch;

/// [`Patch::from_scim_patch`]'s work: `message` applied to `base`'s JSON, the change read as
/// the typed patch `P`, and the names that the model does not read refused.
pub(super) fn from_scim_patch<P>(
    base: &P::Model,
    message: &ScimPatch,
) -> Result<P, crate::ScimPatchError>
where
    P: Patch + serde::de::DeserializeOwned,
    P::Model: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    // The numbers that the model's JSON text holds, which a filter compares.
    let base_json =
        crate::json_number::json_value(base).map_err(crate::ScimPatchError::Serialize)?;
    // A path that names a field by a serde alias, or in another case (RFC 7643 §2.1), is one
    // at the field's name.
    let respell = |probe: &mut serde_json::Value| {
        crate::scim::respell_as_model::<P::Model>(probe, P::WRITTEN_KEYS, &serde_json::Value::Null);
    };
    let renamed = super::alias_names::scim_by_names::<P>(&base_json, message, &respell)
        .map_err(crate::ScimPatchError::Patch)?;
    let message = renamed.as_ref().unwrap_or(message);
    let mut changed = base_json.clone();
    crate::apply_scim_patch(&mut changed, message)?;
    // The names that the message spelled in another case than the model (RFC 7643 §2.1),
    // which the applier keeps where the resource held none, spelled as the model reads
    // them: serde, which reads names exactly, dropped them.
    let unchecked =
        crate::scim::respell_as_model::<P::Model>(&mut changed, P::WRITTEN_KEYS, &base_json);
    // A member that names a field by a serde alias (`add` at `first_name`, or a value's
    // member merged beside the field's name) is the field.
    super::alias_names::members_by_names::<P>(&base_json, &mut changed)
        .map_err(crate::ScimPatchError::Patch)?;
    // Where serde reads the names itself (below a flattened field, inside an internally
    // tagged or untagged enum), a name that the model does not read may be its name in
    // another case: refused, rather than dropped.
    let probed = (!unchecked.is_empty()).then(|| changed.clone());
    let patch =
        typed_change(base, &base_json, changed, true).map_err(crate::ScimPatchError::Patch)?;
    if let Some(changed) = probed
        && let Some(path) = crate::scim::first_unread(
            &changed,
            &unchecked,
            |json| read_json::<P::Model>(json, true).ok(),
            |a, b| crate::Diff::diff_patch(a, b).is_empty(),
        )
    {
        return Err(crate::ScimPatchError::NameNotRead {
            path: path.to_string(),
        });
    }
    // A removal of an attribute that the resource does not hold changes nothing, and so
    // is not seen in the change: its name is checked as the merge patch's `null` is.
    if let Some((path, field, expected)) = crate::scim::first_unknown_removed::<P>(message) {
        // The path and the name are the message's, of any length: cut as a JSON Pointer
        // is (a name of a megabyte went whole into the text, twice).
        let field = crate::quoted::cut(&field, crate::quoted::POINTER_CHARS).to_string();
        let error = <serde_json::Error as serde::de::Error>::unknown_field(&field, expected);
        return Err(crate::ScimPatchError::Patch(
            <serde_json::Error as serde::de::Error>::custom(format_args!(
                "at `{}`: {error}",
                crate::quoted::cut(&path, crate::quoted::POINTER_CHARS)
            )),
        ));
    }
    Ok(patch)
}
