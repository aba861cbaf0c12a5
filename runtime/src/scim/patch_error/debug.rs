//! The `Debug` of [`ScimPatchError`] and [`ScimFault`]: as `#[derive(Debug)]` writes it, each
//! text of the message (a `path`, a member's name, an attribute, a URN, a reason) quoted and
//! cut to its first [`PATH_CHARS`] characters and its length, as the text quotes a `path`,
//! and serde_json's error with its message shortened ([`ReaderError`]). `unwrap`, `expect` and
//! `tracing`'s `?error` print it: a `path` of a megabyte, from a request body, went whole into
//! it. The fields keep everything.

use core::fmt;

use super::{PATH_CHARS, ScimFault, ScimPatchError};
use crate::quoted::{Quoted, ReaderError};

/// A text of the message in `Debug`: quoted and cut to [`PATH_CHARS`] characters.
fn text(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: PATH_CHARS,
    }
}

impl fmt::Debug for ScimPatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScimPatchError::NotAnObject { found } => {
                f.debug_struct("NotAnObject").field("found", found).finish()
            }
            ScimPatchError::Operation {
                index,
                op,
                path,
                fault,
            } => f
                .debug_struct("Operation")
                .field("index", index)
                .field("op", op)
                .field("path", &path.as_deref().map(text))
                .field("fault", fault)
                .finish(),
            ScimPatchError::Serialize(error) => f
                .debug_tuple("Serialize")
                .field(&ReaderError(error))
                .finish(),
            ScimPatchError::Patch(error) => {
                f.debug_tuple("Patch").field(&ReaderError(error)).finish()
            }
            ScimPatchError::NameNotRead { path } => f
                .debug_struct("NameNotRead")
                .field("path", &text(path))
                .finish(),
        }
    }
}

impl fmt::Debug for ScimFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScimFault::MissingValue => f.write_str("MissingValue"),
            ScimFault::RemoveWithoutPath => f.write_str("RemoveWithoutPath"),
            ScimFault::RemoveWithValue => f.write_str("RemoveWithValue"),
            ScimFault::EmptyRemovedValue => f.write_str("EmptyRemovedValue"),
            ScimFault::RemovedValueNotSimple { found } => f
                .debug_struct("RemovedValueNotSimple")
                .field("found", found)
                .finish(),
            ScimFault::RemovedValueOfSingleValue { attribute } => f
                .debug_struct("RemovedValueOfSingleValue")
                .field("attribute", &text(attribute))
                .finish(),
            ScimFault::PathlessValueNotAnObject { found } => f
                .debug_struct("PathlessValueNotAnObject")
                .field("found", found)
                .finish(),
            ScimFault::FilteredValueNotAnObject { found } => f
                .debug_struct("FilteredValueNotAnObject")
                .field("found", found)
                .finish(),
            ScimFault::MalformedPath { reason } => f
                .debug_struct("MalformedPath")
                .field("reason", &text(reason))
                .finish(),
            ScimFault::MalformedFilter { reason } => f
                .debug_struct("MalformedFilter")
                .field("reason", &text(reason))
                .finish(),
            ScimFault::NotAnAttributeName { name } => f
                .debug_struct("NotAnAttributeName")
                .field("name", &text(name))
                .finish(),
            ScimFault::OverlappingMembers { first, second } => f
                .debug_struct("OverlappingMembers")
                .field("first", &text(first))
                .field("second", &text(second))
                .finish(),
            ScimFault::NoMatch { attribute } => f
                .debug_struct("NoMatch")
                .field("attribute", &text(attribute))
                .finish(),
            ScimFault::NoElementToAdd {
                attribute,
                ambiguous,
            } => f
                .debug_struct("NoElementToAdd")
                .field("attribute", &text(attribute))
                .field("ambiguous", ambiguous)
                .finish(),
            ScimFault::NotMultiValued { attribute } => f
                .debug_struct("NotMultiValued")
                .field("attribute", &text(attribute))
                .finish(),
            ScimFault::SimpleValues { attribute, found } => f
                .debug_struct("SimpleValues")
                .field("attribute", &text(attribute))
                .field("found", found)
                .finish(),
            ScimFault::NotComplex { attribute, sub } => f
                .debug_struct("NotComplex")
                .field("attribute", &text(attribute))
                .field("sub", &text(sub))
                .finish(),
            ScimFault::MultiValuedSubAttribute { attribute, sub } => f
                .debug_struct("MultiValuedSubAttribute")
                .field("attribute", &text(attribute))
                .field("sub", &text(sub))
                .finish(),
            ScimFault::ExtensionNotAnObject { urn, found } => f
                .debug_struct("ExtensionNotAnObject")
                .field("urn", &text(urn))
                .field("found", found)
                .finish(),
        }
    }
}
