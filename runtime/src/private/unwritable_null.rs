//! `null` in a format that has none. A patch's `null` clears an attribute (RFC 7396 §2), and is
//! written as serde writes `None`. TOML has no null: its writer refuses `None`, and its tables
//! leave a member whose value it refused out of the document, as it does for an `Option`
//! field, so a cleared attribute would come back absent, which keeps the attribute instead of
//! clearing it (toml-rs/toml-rs#356, serde-rs/serde#2275). The patch's writer turns that
//! refusal into an error of its own, naming the attribute, which the table passes on. Not a
//! public API.

use serde::ser::Error as _;
use serde::{Serialize, Serializer};

/// The start of every error for a `null` that the format cannot write.
const CANNOT_WRITE_NULL: &str = "cannot write null";

/// What the error says of a patch field before the writer around it names the attribute.
const UNNAMED_ATTRIBUTE: &str = " (clear the attribute)";

/// What the error says of a map patch's entry before the writer around it names the map.
const UNNAMED_MAP_ENTRY: &str = " for an entry of a map";

/// Why the format's refusal of `None` is an error rather than a key left out.
const LEFT_OUT_KEEPS: &str = "the format has no null (TOML has none), and leaving the key out would keep what the patch removes";

/// What a `null` that the format refuses stands for.
#[derive(Clone, Copy)]
pub enum NullOf {
    /// A patch field, which the writer around it names.
    Attribute,
    /// An entry of a map patch, whose map the writer around it names.
    MapEntry,
    /// An entry of a flattened map patch: a key of the patch itself.
    FlatEntry,
    /// A [`Field::Null`](crate::Field::Null) written on its own, by a struct that is not a
    /// derived patch.
    Field,
}

/// `null` as serde writes `None`; a format that refuses it gets an error that says what the
/// `null` is for, in place of its own (which its tables would take as "leave the key out").
pub struct Null(pub NullOf);

impl Serialize for Null {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer
            .serialize_none()
            .map_err(|refusal| S::Error::custom(unwritable(self.0, &refusal)))
    }
}

/// The message for a `null` that the format refused with `refusal`.
#[cold]
fn unwritable(of: NullOf, refusal: &dyn core::fmt::Display) -> String {
    let what = match of {
        NullOf::Attribute => UNNAMED_ATTRIBUTE,
        NullOf::MapEntry => " for an entry of a map (remove the key)",
        NullOf::FlatEntry => " for an entry of a flattened map (remove the key)",
        NullOf::Field => " for a `Field::Null` (clear the attribute)",
    };
    format!("{CANNOT_WRITE_NULL}{what}: {LEFT_OUT_KEEPS} ({refusal})")
}

/// An error from writing the attribute `name` of a patch: one for a `null` that the format
/// cannot write, of the attribute itself or from inside its value (a nested patch's attribute,
/// a map patch's entry), names it by its path from `name` down (`home.city`, an entry of
/// `labels`); any other error is returned as it is. Called on the error path only.
#[cold]
pub fn name_unwritable_null<E: serde::ser::Error>(error: E, name: &str) -> E {
    let message = error.to_string();
    let Some(rest) = message.strip_prefix(CANNOT_WRITE_NULL) else {
        return error;
    };
    if rest.starts_with(UNNAMED_ATTRIBUTE) {
        return E::custom(format_args!("{CANNOT_WRITE_NULL} for `{name}`{rest}"));
    }
    if let Some(after) = rest.strip_prefix(UNNAMED_MAP_ENTRY) {
        return E::custom(format_args!(
            "{CANNOT_WRITE_NULL} for an entry of `{name}`{after}"
        ));
    }
    // ` for `city` (clear ...)` or ` for an entry of `labels` (remove ...)`: the path goes
    // after the backtick.
    let at = if rest.starts_with(" for `") {
        " for ".len()
    } else if rest.starts_with(" for an entry of `") {
        " for an entry of ".len()
    } else {
        return error;
    };
    let (before, path) = rest.split_at(at + 1);
    E::custom(format_args!("{CANNOT_WRITE_NULL}{before}{name}.{path}"))
}
