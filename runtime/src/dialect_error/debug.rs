//! The `Debug` of [`DialectError`]: as `#[derive(Debug)]` writes it, each name and path quoted
//! and cut to its first [`PATH_CHARS`] characters and its length, each value and reason to
//! [`VALUE_CHARS`], and serde_json's error with its message shortened ([`ReaderError`]).
//! `unwrap`, `expect` and `tracing`'s `?error` print it: a map key of a megabyte went whole into
//! it. The fields keep everything.

use core::fmt;

use super::{DialectError, PATH_CHARS, VALUE_CHARS};
use crate::quoted::{Quoted, ReaderError};

/// A name or a path in `Debug`: quoted and cut to [`PATH_CHARS`] characters.
fn name(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: PATH_CHARS,
    }
}

/// A value or a reason in `Debug`: quoted and cut to [`VALUE_CHARS`] characters.
fn value(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: VALUE_CHARS,
    }
}

impl fmt::Debug for DialectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialectError::Serialize(error) => f
                .debug_tuple("Serialize")
                .field(&ReaderError(error))
                .finish(),
            DialectError::NotAnObject { what } => {
                f.debug_struct("NotAnObject").field("what", what).finish()
            }
            DialectError::DuplicateKey {
                attribute,
                key,
                value: shared,
                in_patch,
            } => f
                .debug_struct("DuplicateKey")
                .field("attribute", &name(attribute))
                .field("key", &name(key))
                .field("value", &value(shared))
                .field("in_patch", in_patch)
                .finish(),
            DialectError::ElementWithoutKey {
                attribute,
                key,
                index,
                found,
                in_patch,
            } => f
                .debug_struct("ElementWithoutKey")
                .field("attribute", &name(attribute))
                .field("key", &name(key))
                .field("index", index)
                .field("found", &value(found))
                .field("in_patch", in_patch)
                .finish(),
            DialectError::ScimName { path } => f
                .debug_struct("ScimName")
                .field("path", &name(path))
                .finish(),
            DialectError::ScimNameCase { path, other } => f
                .debug_struct("ScimNameCase")
                .field("path", &name(path))
                .field("other", &name(other))
                .finish(),
            DialectError::Number {
                path,
                reason,
                in_patch,
            } => f
                .debug_struct("Number")
                .field("path", &name(path))
                .field("reason", &value(reason))
                .field("in_patch", in_patch)
                .finish(),
        }
    }
}
