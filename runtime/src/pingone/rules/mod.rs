//! PingOne's rules for the values of a user, as one table ([`RULES`]) that the client checks
//! a patch against before sending it (pre-flight, in `preflight/`) and the emulator checks
//! every PATCH against ([`check_patch`]).
//!
//! Source: the `User` schema of the PingOne OpenAPI description and the "Update User (PATCH)"
//! page (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>); the
//! 16 KiB profile limit from "Custom attributes".
//!
//! The rule's types are here; `table.rs` holds the table, `lookup.rs` the lookups of a rule by
//! attribute, `names.rs` the attributes' names, `ignored.rs` the attributes that PingOne
//! ignores in a PATCH; `check.rs` checks a value, or a whole patch, against its rule;
//! `formats/` holds the formats that a pattern cannot say.

mod check;
mod formats;
mod ignored;
mod lookup;
mod names;
mod table;

#[cfg(any(feature = "client", test))]
pub(crate) use crate::quoted::outside_text;
#[cfg(any(feature = "emulator", test))]
pub(crate) use check::check_patch;
pub(crate) use check::check_size;
#[cfg(feature = "client")]
pub(crate) use check::{Seen, check, detail};
#[cfg(feature = "client")]
pub(crate) use formats::LONGEST_EMAIL_BYTES;
#[cfg(feature = "client")]
pub(crate) use ignored::{
    SKIP_NOTE, UNNAMABLE_ADVICE, ignored_attribute, read_only, read_only_advice, read_only_detail,
};
#[cfg(any(feature = "client", test))]
pub(crate) use lookup::object;
pub(crate) use lookup::{OBJECTS, member_rule, rule};
#[cfg(feature = "client")]
pub(crate) use names::core_spelling;
pub(crate) use names::{READ_ONLY, SCHEMA, is_core_in_another_case, is_custom_attribute_name};
#[cfg(any(feature = "client", test))]
pub(crate) use table::RULES;

/// The largest user profile PingOne keeps, in bytes of JSON (16 KiB).
pub const MAX_PROFILE_BYTES: usize = 16 * 1024;

/// What a value must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// A string of `min` to `max` characters (Unicode scalar values).
    Length { min: usize, max: usize },
    /// A string that `test` accepts; `pattern` is the schema's regex of it, which the detail
    /// of a refused value carries as `innerError.allowedPattern`.
    Pattern {
        pattern: &'static str,
        test: fn(&str) -> bool,
    },
    /// A string of a format that has no regex in the schema (an email address, a phone
    /// number, an `http` or `https` URL with a host: [`is_http_url`](formats::is_http_url)):
    /// the detail of a refused value says what it must be in its message and has no
    /// `allowedPattern`, which is "a regex pattern" in the `P1Error` schema.
    Format(Format),
    /// A string of `min` to `max` characters that the schema's `pattern` admits: no control,
    /// format (zero-width, bidi) or private-use character, line or paragraph separator (none
    /// is among the pattern's classes: [`outside_text`]; the other classes are not checked),
    /// `\n` and `\r` allowed where `lines`, and no printable ASCII character whose bit is
    /// set in `ascii_refused` (bit `n` for the byte `n`: the pattern's own set, exact for
    /// ASCII: a symbol in a street address, a comma in a family name; a mask rather than a
    /// function, as it is tested for every byte of the value); and, once those pass, that
    /// `format` accepts it, when it is given.
    Text {
        min: usize,
        max: usize,
        pattern: &'static str,
        lines: bool,
        ascii_refused: u128,
        format: Option<Format>,
    },
}

/// A format that a [`Check::Text`] value must have beyond its characters: `what` says
/// what it must be, `test` tells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Format {
    what: &'static str,
    test: fn(&str) -> bool,
}

/// One rule: the attribute's dotted path, whether `null` is refused (a required attribute),
/// and what a value must be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub(crate) path: &'static str,
    pub(crate) required: bool,
    pub(crate) check: Check,
}

#[cfg(test)]
mod tests;
