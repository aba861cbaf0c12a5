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

use core::cmp::Ordering;
use core::fmt;
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

/// A number's value as an exact decimal: its digits and the exponent of the last one.
#[derive(PartialEq, Eq)]
struct Decimal {
    negative: bool,
    /// The significant digits, without leading or trailing zeros; empty for zero.
    digits: String,
    /// The power of ten of the last digit.
    exponent: i128,
}

impl Decimal {
    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // The places of the first digits, `len + exponent`, compared as the sign of
        // `(exponent - other.exponent) + (len - other.len)`, which stays exact near the ends
        // of `i128` (text only): a difference of exponents past `i128` outweighs any
        // difference of lengths, and saturating keeps the sign of a sum past it. Comparing
        // the exponents alone there put `1e<i128::MAX>` above `11e<i128::MAX - 1>` (review 53).
        let lengths = i128::try_from(self.digits.len()).unwrap_or(i128::MAX)
            - i128::try_from(other.digits.len()).unwrap_or(i128::MAX);
        let by_place = match self.exponent.checked_sub(other.exponent) {
            Some(exponents) => exponents.saturating_add(lengths).cmp(&0),
            None => self.exponent.cmp(&other.exponent),
        };
        // Same place of the first digit: the digits compare as written, a longer run of
        // digits (its last one not zero) being the larger where one begins the other.
        by_place.then_with(|| self.digits.as_str().cmp(other.digits.as_str()))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        let sign = if self.negative { "-" } else { "" };
        write!(f, "{sign}{}e{}", self.digits, self.exponent)
    }
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

/// The value of a number's text (RFC 8259 §6: `-`, digits, an optional fraction and an
/// optional exponent), or `None` for text that is not such a number or whose exponent does
/// not fit in an `i128`.
fn parse_decimal(text: &str) -> Option<Decimal> {
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
    let exponent: i128 = match exponent {
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
        return Some(Decimal {
            negative: false,
            digits: String::new(),
            exponent: 0,
        });
    }
    let digits = significant.trim_end_matches('0');
    let trailing_zeros = significant.len() - digits.len();
    let exponent = exponent
        .checked_sub(i128::try_from(fraction.len()).ok()?)?
        .checked_add(i128::try_from(trailing_zeros).ok()?)?;
    Some(Decimal {
        negative,
        digits: digits.to_owned(),
        exponent,
    })
}

#[cfg(test)]
mod tests {
    use core::cmp::Ordering;

    use serde_json::Number;

    use super::{
        compare_numbers, number_identity, numbers_keep_their_text, parse_decimal, same_json_number,
    };

    fn decimal_identity(text: &str) -> Option<String> {
        parse_decimal(text).map(|decimal| decimal.to_string())
    }

    fn identity(text: &str) -> String {
        number_identity(&text.parse::<Number>().unwrap())
    }

    /// `same_json_number` answers in a build with `arbitrary_precision` as serde_json's `==`
    /// does without it: floats by value (`-0.0` is `0.0`), integers by value, an integer
    /// never a float. With it, `==` said that `-0.0` and `0.0` differ (review 70).
    #[test]
    fn json_equality_of_numbers_is_the_default_builds() {
        for (left, right, same) in [
            ("0.0", "-0.0", true),
            ("-0", "0.0", true),
            ("-0", "0", false),
            ("1", "1.0", false),
            ("1e2", "100.0", true),
            ("0.5", "0.50", true),
            ("-1.5e3", "-1500.0", true),
            ("7", "7", true),
            ("7", "8", false),
            ("18446744073709551615", "18446744073709551615", true),
            ("-9223372036854775808", "-9223372036854775808", true),
        ] {
            let number = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
            let (serde_json::Value::Number(l), serde_json::Value::Number(r)) =
                (number(left), number(right))
            else {
                panic!("{left} {right}");
            };
            assert_eq!(same_json_number(&l, &r), same, "{left} {right}");
            assert_eq!(same_json_number(&r, &l), same, "{left} {right}");
            if !numbers_keep_their_text() {
                assert_eq!(l == r, same, "{left} {right}");
            }
        }
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

    /// Numbers order by value: integers above 2^53 that share an `f64` too, and a float
    /// against an integer by the float's exact value.
    #[test]
    fn numbers_order_by_value() {
        let compare = |left: &str, right: &str| {
            compare_numbers(&left.parse().unwrap(), &right.parse().unwrap())
        };
        for (smaller, larger) in [
            ("9007199254740992", "9007199254740993"),
            ("18446744073709551614", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775807"),
            ("-1", "0"),
            // Zero against a positive number, either side (mutation testing: zero's place
            // compared the wrong way went unnoticed).
            ("0", "1"),
            ("-0.0", "0.5"),
            ("-0.5", "-0.25"),
            ("0.12", "0.123"),
            ("0.123", "0.13"),
            ("99", "100"),
            ("1.5", "2"),
            ("2", "2.5"),
            ("-2.5", "-2"),
            ("1152921504606846976.0", "1152921504606847000"),
            ("18446744073709551615", "1.8446744073709552e19"),
            ("1e-300", "1e300"),
            ("-1e300", "-1e-300"),
        ] {
            assert_eq!(
                compare(smaller, larger),
                Some(Ordering::Less),
                "{smaller} < {larger}"
            );
            assert_eq!(
                compare(larger, smaller),
                Some(Ordering::Greater),
                "{larger} > {smaller}"
            );
        }
        for (left, right) in [("0", "-0.0"), ("1", "1.0"), ("100", "1e2"), ("-5", "-5.0")] {
            assert_eq!(
                compare(left, right),
                Some(Ordering::Equal),
                "{left} = {right}"
            );
        }
    }

    /// Zero's text, signed or not, is one value, neither below nor above itself: `-0` is
    /// what serde_json's `arbitrary_precision` hands over as written (mutation testing: a
    /// zero that kept its `-` went unnoticed in a build without it).
    #[test]
    fn zero_is_one_value_whatever_its_sign() {
        let read = |text: &str| parse_decimal(text).unwrap_or_else(|| panic!("{text}"));
        for zero in ["-0", "-0.0", "-0e5", "0.000"] {
            assert!(read(zero) == read("0"), "{zero}");
            assert_eq!(read(zero).cmp(&read("0")), Ordering::Equal, "{zero}");
            assert_eq!(read("-1").cmp(&read(zero)), Ordering::Less, "{zero}");
        }
    }

    /// Exponents near the ends of `i128`, which only the text of a number holds (serde_json's
    /// `arbitrary_precision`): the places of the first digits compare exactly. The exponents
    /// alone were compared there, which put `1e<i128::MAX>` above `11e<i128::MAX - 1>`, the
    /// larger (review 53).
    #[test]
    fn decimals_with_exponents_near_the_ends_of_i128_order_by_value() {
        let (max, min) = (i128::MAX, i128::MIN);
        let order = |left: String, right: String| {
            let read = |text: &str| parse_decimal(text).unwrap_or_else(|| panic!("{text}"));
            read(&left).cmp(&read(&right))
        };
        for (left, right, expected) in [
            (
                format!("1e{max}"),
                format!("11e{}", max - 1),
                Ordering::Less,
            ),
            (
                format!("11e{}", max - 1),
                format!("1e{max}"),
                Ordering::Greater,
            ),
            (
                format!("10e{}", max - 1),
                format!("1e{max}"),
                Ordering::Equal,
            ),
            (format!("1e{min}"), format!("1e{max}"), Ordering::Less),
            (
                format!("1e{}", min + 1),
                format!("99e{min}"),
                Ordering::Less,
            ),
            (format!("9e{min}"), format!("1e{}", min + 1), Ordering::Less),
        ] {
            assert_eq!(
                order(left.clone(), right.clone()),
                expected,
                "{left} against {right}"
            );
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
