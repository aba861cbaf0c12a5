//! The JSON that the dialect outputs ([`Patch::to_json_patch`], [`Patch::to_scim_patch`])
//! start from: the patch's, and the base's members that it names.

use serde::Serialize;

#[cfg(doc)]
use super::Patch;
use crate::DialectError;

/// The patch's JSON, for the dialect outputs. A float that is not finite would be `null` in
/// it (serde_json's way), which the outputs read as "remove", and an integer wider than 64 bits
/// does not fit a `Value`: both are refused, named by their path. An `f32` holds the number
/// that the merge patch's text holds (`0.1`, not `0.10000000149011612`).
pub(super) fn patch_value<P: Serialize>(patch: &P) -> Result<serde_json::Value, DialectError> {
    if let Some(found) = crate::json_number::unrepresentable(patch, true) {
        return Err(DialectError::number(found, true));
    }
    Ok(crate::json_number::json_value(patch)?)
}

/// The members of `base`'s JSON that the patch's JSON names (also in another case when
/// `in_any_case`, for SCIM): all that the dialect outputs look up in the base. An integer of
/// the base wider than 64 bits is named by its path.
pub(super) fn base_members<M: Serialize>(
    base: &M,
    patch: &serde_json::Value,
    in_any_case: bool,
) -> Result<serde_json::Value, DialectError> {
    let members = match patch {
        serde_json::Value::Object(wanted) => {
            crate::member_picker::picked_members(base, wanted, in_any_case)
        }
        _ => crate::json_number::json_value(base),
    };
    members.map_err(
        |error| match crate::json_number::unrepresentable(base, true) {
            Some(found) => DialectError::number(found, false),
            None => DialectError::Serialize(error),
        },
    )
}
