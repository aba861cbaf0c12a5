//! [`Patch::from_body`]: a `PATCH` request's body, in the dialect its `Content-Type` named,
//! read as the typed patch.

use serde::Serialize;

use super::{Patch, Patchable};
use crate::{JsonPatchOperation, PatchBodyError, PatchDialect, ScimPatch};

/// [`Patch::from_body`]'s work: `body` read in `dialect` as the typed patch `P` for `base`.
pub(super) fn from_body<P>(
    dialect: PatchDialect,
    body: &[u8],
    base: &P::Model,
) -> Result<P, PatchBodyError>
where
    P: Patch + serde::de::DeserializeOwned,
    P::Model: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    let malformed = |error| PatchBodyError::Malformed { dialect, error };
    // A UTF-8 byte order mark is ignored, as RFC 8259 §8.1 lets a reader (Windows tools
    // write one); text in UTF-16 or UTF-32 is refused with a text that says so, where
    // serde_json said "expected value at line 1 column 1" of both.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if crate::text_encoding::is_utf16_or_utf32(body) {
        return Err(malformed(<serde_json::Error as serde::de::Error>::custom(
            "the body is UTF-16 or UTF-32 (a byte order mark or NUL bytes at its start), \
             and JSON exchanged between systems is UTF-8 (RFC 8259 §8.1)",
        )));
    }
    match dialect {
        PatchDialect::MergePatch => {
            let patch: P = serde_json::from_slice(body).map_err(|error| {
                // serde stops at the first attribute that the patch refuses, before the
                // rest of the body is read: a body cut short or followed by garbage after
                // it (`{"nmae": 1, `, `{"name": 5} trailing`) is no JSON, and so 400, not
                // a merge patch that the resource does not take (422, RFC 5789 §2.2).
                if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                    malformed(syntax)
                } else if error.is_data() {
                    let again = &mut serde_json::Deserializer::from_slice(body);
                    PatchBodyError::MergePatch(crate::error_path::named::<P, _>(again, error))
                } else {
                    malformed(error)
                }
            })?;
            base.check_patch(&patch).map_err(PatchBodyError::Apply)?;
            Ok(patch)
        }
        PatchDialect::JsonPatch => {
            let operations: Vec<JsonPatchOperation> =
                serde_json::from_slice(body).map_err(malformed)?;
            Ok(P::from_json_patch(base, &operations)?)
        }
        PatchDialect::ScimPatchOp => {
            let message: ScimPatch = serde_json::from_slice(body).map_err(malformed)?;
            Ok(P::from_scim_patch(base, &message)?)
        }
    }
}
