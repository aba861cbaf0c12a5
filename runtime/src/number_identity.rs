//! What makes two JSON numbers one number: their values, whatever their text (`1`, `1.0` and
//! `1e0`; `0` and `-0`), as RFC 6902 §4.6 compares them for `test` and as a SCIM filter
//! (RFC 7644 §3.4.2.2) and a keyed array compare keys.
//!
//! A `serde_json::Number` is an `i64`, a `u64` or an `f64`, unless serde_json's
//! `arbitrary_precision` feature is on in the build (any crate of a build may turn it on): it
//! then holds the number's text as written, and `as_f64` rounds that text to the nearest `f64`
//! (`100000000000000000000001` and `100000000000000000000000` are one `f64`, and `1e400` is
//! none, so that it equalled nothing, not even itself). There, the value is the exact decimal
//! that the text writes, and it is compared as such.

use std::sync::OnceLock;

use serde_json::Number;

/// A text that two numbers share exactly when their values are equal: `0` for zero (`-0`
/// too), else an optional `-`, the significant digits without leading or trailing zeros, `e`
/// and the exponent of the last digit (`100` and `1e2` are `1e2`, `-0.25` is `-25e-2`).
/// Without `arbitrary_precision`, an `f64` is its exact value where it is a whole number
/// below 2^127 (`1152921504606846976.0`, 2^60, is not the integer `1152921504606847000` that
/// its shortest text writes) and its shortest text otherwise (no integer or other `f64` has
/// that value).
pub(crate) fn number_identity(number: &Number) -> String {
    if let Some(integer) = number.as_i64().map(i128::from) {
        return decimal_identity(&integer.to_string()).unwrap_or_default();
    }
    if let Some(integer) = number.as_u64().map(i128::from) {
        return decimal_identity(&integer.to_string()).unwrap_or_default();
    }
    let text = number.to_string();
    if numbers_keep_their_text() {
        // Text that is not a JSON number (serde_json reads none such) is its own identity.
        return decimal_identity(&text).unwrap_or(text);
    }
    match number.as_f64() {
        Some(float) => float_identity(float),
        None => text,
    }
}

/// Whether serde_json's `Number` keeps its text as written (its `arbitrary_precision`
/// feature), seen once: `0.10` is then written back as `0.10`, not `0.1`.
fn numbers_keep_their_text() -> bool {
    static KEEPS_TEXT: OnceLock<bool> = OnceLock::new();
    *KEEPS_TEXT.get_or_init(|| {
        "0.10"
            .parse::<Number>()
            .is_ok_and(|number| number.to_string() == "0.10")
    })
}

/// The identity of an `f64` (see [`number_identity`]).
fn float_identity(float: f64) -> String {
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0; // 2^127
    if float.fract() == 0.0 && float.abs() < LIMIT {
        #[allow(clippy::cast_possible_truncation)] // whole, and within ±2^127: exact
        let whole = float as i128;
        return decimal_identity(&whole.to_string()).unwrap_or_default();
    }
    // The shortest text that reads back as `float`; `None` for NaN and the infinities,
    // which a `Number` does not hold.
    let text = format!("{float:e}");
    decimal_identity(&text).unwrap_or(text)
}

/// The identity of a number's text (RFC 8259 §6: `-`, digits, an optional fraction and an
/// optional exponent), or `None` for text that is not such a number or whose exponent does
/// not fit in an `i128`.
fn decimal_identity(text: &str) -> Option<String> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (mantissa, ""),
    };
    let digits_only = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(whole) || (mantissa.contains('.') && !digits_only(fraction)) {
        return None;
    }
    let mut exponent: i128 = match exponent {
        None => 0,
        Some(exponent) => {
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if !digits_only(digits) {
                return None;
            }
            exponent
                .strip_prefix('+')
                .unwrap_or(exponent)
                .parse()
                .ok()?
        }
    };
    let all_digits = format!("{whole}{fraction}");
    let significant = all_digits.trim_start_matches('0');
    if significant.is_empty() {
        return Some(String::from("0"));
    }
    let trimmed = significant.trim_end_matches('0');
    let trailing_zeros = significant.len() - trimmed.len();
    exponent = exponent
        .checked_sub(i128::try_from(fraction.len()).ok()?)?
        .checked_add(i128::try_from(trailing_zeros).ok()?)?;
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{trimmed}e{exponent}"))
}

#[cfg(test)]
mod tests {
    use serde_json::Number;

    use super::{decimal_identity, number_identity, numbers_keep_their_text};

    fn identity(text: &str) -> String {
        number_identity(&text.parse::<Number>().unwrap())
    }

    #[test]
    fn decimal_text_is_reduced_to_its_value() {
        for (left, right) in [
            ("1", "1.0"),
            ("100", "1E2"),
            ("100", "1e+2"),
            ("0.5", "5e-1"),
            ("0.00005", "0.5e-4"),
            ("0", "-0.000e7"),
            ("-25e-2", "-0.25"),
            (
                "123456789012345678901234567890",
                "1.2345678901234567890123456789e29",
            ),
        ] {
            assert_eq!(
                decimal_identity(left),
                decimal_identity(right),
                "{left} = {right}"
            );
        }
        for (left, right) in [
            ("1", "-1"),
            ("1", "10"),
            ("0.1", "0.10000000000000000001"),
            ("100000000000000000000001", "100000000000000000000000"),
            ("1e400", "1e401"),
        ] {
            assert_ne!(
                decimal_identity(left),
                decimal_identity(right),
                "{left} != {right}"
            );
        }
        for not_a_number in [
            "",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "x",
            "1e99999999999999999999999999999999999999999",
        ] {
            assert_eq!(decimal_identity(not_a_number), None, "{not_a_number:?}");
        }
    }

    /// Numbers are one number exactly when their values are: the `f64`s that serde_json
    /// reads, or, with its `arbitrary_precision` (run with
    /// `--features serde_json/arbitrary_precision`), the decimals as written.
    #[test]
    fn numbers_are_one_number_by_value() {
        for (left, right) in [
            ("1", "1.0"),
            ("0", "-0"),
            ("0", "-0.0"),
            ("-5", "-5.0"),
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808.0"),
        ] {
            assert_eq!(identity(left), identity(right), "{left} = {right}");
        }
        for (left, right) in [
            ("1", "1.5"),
            ("-1", "18446744073709551615"),
            ("18446744073709551615", "1.8446744073709552e19"),
            // 2^60 as a float, and the integer that its shortest text writes.
            ("1152921504606846976.0", "1152921504606847000"),
        ] {
            assert_ne!(identity(left), identity(right), "{left} != {right}");
        }
        if numbers_keep_their_text() {
            assert_eq!(identity("1e400"), identity("10e399"));
            for (left, right) in [
                ("100000000000000000000001", "100000000000000000000002"),
                ("9007199254740993", "9007199254740992.0"),
                ("0.1", "0.10000000000000000001"),
                ("1e400", "1e401"),
            ] {
                assert_ne!(identity(left), identity(right), "{left} != {right}");
            }
            assert_eq!(identity("9007199254740993"), identity("9007199254740993.0"));
        } else {
            // serde_json reads each of these as the nearest `f64`: the same one.
            assert_eq!(
                identity("100000000000000000000001"),
                identity("100000000000000000000002")
            );
            assert_ne!(identity("9007199254740993"), identity("9007199254740993.0"));
        }
    }
}
