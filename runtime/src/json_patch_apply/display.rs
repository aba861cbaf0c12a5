//! The text of [`JsonPatchError`] and [`PointerFault`]: each JSON Pointer quoted as
//! [`pointer`](fn@pointer) quotes it.

use core::fmt;

use crate::json_patch_copy_budget::COPY_LIMIT_FLOOR;
use crate::json_patch_depth_limit::DEPTH_LIMIT_FLOOR;
use crate::quoted::{ReaderError, pointer};

use super::debug;
use super::{JsonPatchError, PointerFault};

impl fmt::Display for JsonPatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonPatchError::Operation {
                index,
                op,
                path,
                from,
                fault,
            } => {
                match from {
                    Some(from) => write!(
                        f,
                        "operation {index} (`{op}` from {} to {})",
                        pointer(from),
                        pointer(path)
                    )?,
                    None => write!(f, "operation {index} (`{op}` at {})", pointer(path))?,
                }
                write!(
                    f,
                    " cannot be applied: {fault}; no operation is applied (RFC 6902 §5)"
                )
            }
            JsonPatchError::CopyLimit {
                index,
                copied,
                limit,
            } => write!(
                f,
                "operation {index} (`copy`) would bring the size copied by the document's `copy` operations to {copied}, past the limit of {limit} (the size of the document and of the operations' values, at least {COPY_LIMIT_FLOOR}); no operation is applied (RFC 6902 §5)"
            ),
            JsonPatchError::DepthLimit {
                index,
                depth,
                limit,
            } => write!(
                f,
                "operation {index} would nest the document {depth} levels deep, past the limit of {limit} (the depth of the document and of the operations' values, at least {DEPTH_LIMIT_FLOOR}); no operation is applied (RFC 6902 §5)"
            ),
            JsonPatchError::Serialize(error) => write!(
                f,
                "the base model does not serialize to JSON: {}",
                ReaderError(error)
            ),
            JsonPatchError::Patch(error) => write!(
                f,
                "the operations make a change that the patch cannot hold: {}",
                ReaderError(error)
            ),
        }
    }
}

impl fmt::Display for PointerFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointerFault::NotAPointer { reason } => write!(
                f,
                "the path is not a JSON Pointer (RFC 6901 §3): {}",
                crate::quoted::EscapedCut(reason, debug::REASON_CHARS)
            ),
            PointerFault::Missing { at } => write!(
                f,
                "nothing is at {} (`remove`, `replace`, `test` and a `from` need their target, `add` its parent: RFC 6902 §4)",
                pointer(at)
            ),
            PointerFault::IntoAValue { at, found } => {
                write!(
                    f,
                    "{} reaches into {found}, which has no members",
                    pointer(at)
                )
            }
            PointerFault::NotAnIndex { at } => write!(
                f,
                "the last token of {} is not an array index (digits without leading zeros, RFC 6901 §4; `-` appends, with `add` only)",
                pointer(at)
            ),
            PointerFault::PastTheEnd { at, len } => write!(
                f,
                "{} is past the end of an array of {len} element(s) (RFC 6902 §4.1)",
                pointer(at)
            ),
            PointerFault::WholeDocument => write!(f, "`remove` of the whole document"),
            PointerFault::NotEqual { at } => write!(
                f,
                "the value at {} is not equal to the tested value (RFC 6902 §4.6)",
                pointer(at)
            ),
            PointerFault::MoveIntoChild { from } => write!(
                f,
                "{} cannot be moved into one of its own children (RFC 6902 §4.4)",
                pointer(from)
            ),
        }
    }
}
