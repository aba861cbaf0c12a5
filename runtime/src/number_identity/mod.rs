//! What makes two JSON numbers one number, and which is the larger: their values, whatever
//! their text (`1`, `1.0` and `1e0`; `0` and `-0`), as RFC 6902 §4.6 compares them for `test`
//! and as a SCIM filter (RFC 7644 §3.4.2.2) and a keyed array compare and order keys.
//!
//! A `serde_json::Number` is an `i64`, a `u64` or an `f64`, unless serde_json's
//! `arbitrary_precision` feature is on in the build (any crate of a build may turn it on): it
//! then holds the number's text as written, and `as_f64` rounds that text to the nearest `f64`
//! (`100000000000000000000001` and `100000000000000000000000` are one `f64`, and `1e400` is
//! none, so that it equalled nothing, not even itself). There, the value is the exact decimal
//! that the text writes, and it is compared as such.
//!
//! Its parts: `decimal` the exact decimal that a number's text writes, read, compared and
//! written; `tests` the unit tests.

use core::cmp::Ordering;
use std::sync::OnceLock;

use serde_json::Number;

mod decimal;
#[cfg(test)]
mod tests;

use decimal::{Decimal, parse_decimal};

/// A text that two numbers share exactly when their values are equal: `0` for zero (`-0`
/// too), else an optional `-`, the significant digits without leading or trailing zeros, `e`
/// and the exponent of the last digit (`100` and `1e2` are `1e2`, `-0.25` is `-25e-2`).
/// Without `arbitrary_precision`, an `f64` is its exact value where it is a whole number
/// below 2^127 (`1152921504606846976.0`, 2^60, is not the integer `1152921504606847000` that
/// its shortest text writes) and its shortest text otherwise (no integer or other `f64` has
/// that value).
pub(crate) fn number_identity(number: &Number) -> String {
    match decimal(number) {
        Some(decimal) => decimal.to_string(),
        None => number.to_string(),
    }
}

/// How two numbers' values compare (`None` where the text of one is not read: an exponent
/// wider than an `i128`, with `arbitrary_precision`). Integers compare exactly, above 2^53
/// too (`9007199254740993 > 9007199254740992`, which are one `f64`), and a float with an
/// integer as its value does (see [`number_identity`]): so a SCIM filter's `gt`, `ge`, `lt`
/// and `le` (RFC 7644 §3.4.2.2) order numbers by value, not by their nearest `f64`s.
pub(crate) fn compare_numbers(left: &Number, right: &Number) -> Option<Ordering> {
    Some(decimal(left)?.cmp(&decimal(right)?))
}

/// The value of a number (see [`number_identity`]); `None` where its text is not read.
fn decimal(number: &Number) -> Option<Decimal> {
    if let Some(integer) = number.as_i64().map(i128::from) {
        return parse_decimal(&integer.to_string());
    }
    if let Some(integer) = number.as_u64().map(i128::from) {
        return parse_decimal(&integer.to_string());
    }
    if numbers_keep_their_text() {
        return parse_decimal(&number.to_string());
    }
    float_decimal(number.as_f64()?)
}

/// Whether two numbers are one number as serde_json's `==` tells in a build without its
/// `arbitrary_precision`, where an integer (64-bit, written without a fraction or an
/// exponent) equals an integer of its value and a float a float of its value (`0.0` and
/// `-0.0`, `1e2` and `100.0`), and an integer never equals a float (`1` and `1.0`). With
/// `arbitrary_precision`, where `==` compares the numbers' texts (`-0.0` is not `0.0` there,
/// and the emulator's `add` appended `-0.0` beside `0.0`; review 70), the same answer from the
/// exact values that the texts write ([`number_identity`]), the integers told from the floats
/// as serde_json reads them by default (`-0` a float); texts whose value is not read (an
/// exponent wider than an `i128`) are one number where they are one text.
pub(crate) fn same_json_number(left: &Number, right: &Number) -> bool {
    if !numbers_keep_their_text() {
        return left == right;
    }
    if reads_as_integer(left) != reads_as_integer(right) {
        return false;
    }
    match (decimal(left), decimal(right)) {
        (Some(left), Some(right)) => left == right,
        _ => left == right,
    }
}

/// Whether serde_json without `arbitrary_precision` reads the text of `number` as an integer:
/// no fraction or exponent, within `i64` or `u64`, and not `-0` (read as the float `-0.0`).
fn reads_as_integer(number: &Number) -> bool {
    let text = number.to_string();
    !text.contains(['.', 'e', 'E'])
        && text != "-0"
        && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok())
}

/// The one member's name of the map that serde_json's `arbitrary_precision` (on in a build
/// where any crate turns it on) hands a number over as, where it is not a 64-bit integer:
/// `{"$serde_json::private::Number": "1.5"}` to a visitor's `visit_map`.
pub(crate) const ARBITRARY_PRECISION_NUMBER: &str = "$serde_json::private::Number";

/// Whether serde_json's `Number` keeps its text as written (its `arbitrary_precision`
/// feature), seen once: `0.10` is then written back as `0.10`, not `0.1`.
pub(crate) fn numbers_keep_their_text() -> bool {
    static KEEPS_TEXT: OnceLock<bool> = OnceLock::new();
    *KEEPS_TEXT.get_or_init(|| {
        "0.10"
            .parse::<Number>()
            .is_ok_and(|number| number.to_string() == "0.10")
    })
}

/// The value of an `f64`: exact where it is whole and below 2^127, else its shortest text,
/// which no integer and no other `f64` has as its value and which orders as the `f64`s do.
fn float_decimal(float: f64) -> Option<Decimal> {
    if let Some(whole) = whole_value(float) {
        return parse_decimal(&whole.to_string());
    }
    // `None` for NaN and the infinities, which a `Number` does not hold.
    parse_decimal(&format!("{float:e}"))
}

/// The value of an `f64` that is a whole number below 2^127 in magnitude, exactly; `None` for
/// any other (a fraction, a larger one, NaN and the infinities).
pub(crate) fn whole_value(float: f64) -> Option<i128> {
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0; // 2^127
    if float.fract() == 0.0 && float.abs() < LIMIT {
        #[allow(clippy::cast_possible_truncation)] // whole, and within ±2^127: exact
        return Some(float as i128);
    }
    None
}

/// Whether the text of a JSON number (RFC 8259 §6) writes zero exactly (`0`, `-0`, `0.0e5`),
/// not a value that an `f64` rounds to zero (`1e-400`, `-1e-400`); `false` for text that is
/// no number, or whose exponent does not fit in an `i128`.
#[cfg(feature = "client")]
pub(crate) fn writes_zero(text: &str) -> bool {
    parse_decimal(text).is_some_and(|decimal| decimal.digits.is_empty())
}
