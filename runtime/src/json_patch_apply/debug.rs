//! The `Debug` of [`JsonPatchError`] and [`PointerFault`]: as `#[derive(Debug)]` writes it,
//! each JSON Pointer quoted as the text quotes it ([`pointer`]: its first 200 characters and
//! its length), a reason cut alike, and serde_json's error with its message shortened
//! ([`ReaderError`]). `unwrap`, `expect` and `tracing`'s `?error` print it: a `path` of a
//! megabyte, from a request body, went whole into it (twice, as the operation's and the
//! fault's). The fields keep everything.

use core::fmt;

use super::{JsonPatchError, PointerFault};
use crate::quoted::{Quoted, ReaderError, pointer};

impl fmt::Debug for JsonPatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonPatchError::Operation {
                index,
                op,
                path,
                from,
                fault,
            } => f
                .debug_struct("Operation")
                .field("index", index)
                .field("op", op)
                .field("path", &pointer(path))
                .field("from", &from.as_deref().map(pointer))
                .field("fault", fault)
                .finish(),
            JsonPatchError::CopyLimit {
                index,
                copied,
                limit,
            } => f
                .debug_struct("CopyLimit")
                .field("index", index)
                .field("copied", copied)
                .field("limit", limit)
                .finish(),
            JsonPatchError::DepthLimit {
                index,
                depth,
                limit,
            } => f
                .debug_struct("DepthLimit")
                .field("index", index)
                .field("depth", depth)
                .field("limit", limit)
                .finish(),
            JsonPatchError::Serialize(error) => f
                .debug_tuple("Serialize")
                .field(&ReaderError(error))
                .finish(),
            JsonPatchError::Patch(error) => {
                f.debug_tuple("Patch").field(&ReaderError(error)).finish()
            }
        }
    }
}

impl fmt::Debug for PointerFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointerFault::NotAPointer { reason } => f
                .debug_struct("NotAPointer")
                .field("reason", &reason_text(reason))
                .finish(),
            PointerFault::Missing { at } => {
                f.debug_struct("Missing").field("at", &pointer(at)).finish()
            }
            PointerFault::IntoAValue { at, found } => f
                .debug_struct("IntoAValue")
                .field("at", &pointer(at))
                .field("found", found)
                .finish(),
            PointerFault::NotAnIndex { at } => f
                .debug_struct("NotAnIndex")
                .field("at", &pointer(at))
                .finish(),
            PointerFault::PastTheEnd { at, len } => f
                .debug_struct("PastTheEnd")
                .field("at", &pointer(at))
                .field("len", len)
                .finish(),
            PointerFault::WholeDocument => f.write_str("WholeDocument"),
            PointerFault::NotEqual { at } => f
                .debug_struct("NotEqual")
                .field("at", &pointer(at))
                .finish(),
            PointerFault::MoveIntoChild { from } => f
                .debug_struct("MoveIntoChild")
                .field("from", &pointer(from))
                .finish(),
        }
    }
}

/// How many characters of [`PointerFault::NotAPointer`]'s reason its text and `Debug` show:
/// the reason that [`apply_json_patch`](crate::apply_json_patch) writes quotes the pointer
/// cut to 200 characters already; one built in code may be of any length.
pub(super) const REASON_CHARS: usize = 1_000;

/// The reason of [`PointerFault::NotAPointer`] in `Debug`, quoted and cut to [`REASON_CHARS`].
fn reason_text(reason: &str) -> Quoted<'_> {
    Quoted {
        text: reason,
        max: REASON_CHARS,
    }
}
