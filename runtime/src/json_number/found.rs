//! What the walk stops with ([`Found`]): a number that the JSON cannot carry, with its path
//! ([`FoundNumber`], [`Segment`]) and why, or the value's own serialization error.

use core::fmt;

use serde::ser;

/// One step of a path, innermost first while the error unwinds.
#[derive(Debug)]
pub(super) enum Segment {
    Name(String),
    Index(usize),
}

/// Why the walk stopped: a number found, or the value's own serialization error.
///
/// The number is boxed: the walk recurses as deep as the value is nested, and every level's
/// frames hold a `Result<(), Found>`. Unboxed (72 bytes and more), they made the walk overflow
/// a thread's stack at about two thirds of the depth that `serde_json::to_value` and
/// `serde_json::to_string` reach (5,000 nested arrays in 8 MB, unoptimized), so that
/// `to_json_patch` and the client's pre-flight crashed on a patch that serde_json writes.
#[derive(Debug)]
pub(super) enum Found {
    Number(Box<FoundNumber>),
    Other,
}

/// A number found: its path (innermost first), what it is and why it cannot be written.
#[derive(Debug)]
pub(super) struct FoundNumber {
    pub(super) path: Vec<Segment>,
    pub(super) what: String,
    pub(super) reason: String,
}

impl Found {
    pub(super) fn within(self, segment: Segment) -> Self {
        match self {
            Found::Number(mut found) => {
                found.path.push(segment);
                Found::Number(found)
            }
            Found::Other => Found::Other,
        }
    }

    #[cold]
    pub(super) fn float(value: f64) -> Self {
        let what = if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "infinity"
        } else {
            "-infinity"
        };
        Found::Number(Box::new(FoundNumber {
            path: Vec::new(),
            what: what.to_owned(),
            reason: format!(
                "{what}, which JSON has no number for: serde_json writes it as `null`, and a `null` in a patch removes the attribute (RFC 7396)"
            ),
        }))
    }

    #[cold]
    pub(super) fn wide(value: &dyn fmt::Display) -> Self {
        Found::Number(Box::new(FoundNumber {
            path: Vec::new(),
            what: format!("the integer {value}"),
            reason: format!(
                "the integer {value}, wider than the 64-bit integers of the `serde_json::Value` that the RFC 6902 and SCIM outputs are built from"
            ),
        }))
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Number(found) => f.write_str(&found.reason),
            Found::Other => f.write_str("the value does not serialize"),
        }
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Found::Other
    }
}
