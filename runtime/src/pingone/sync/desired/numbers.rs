//! The numbers of a feed line that serde_json would read as other numbers: [`rounded_number`].

use super::LineError;

/// The first number of `text` (a feed line) that serde_json reads as another number than the
/// line writes, so that the line's value would be sent rounded: refused with its column
/// (counted in characters, from 1).
///
/// - An integer outside the 64-bit range (of `i64` and of `u64`), which serde_json reads as
///   the nearest float (`123456789012345678901234567890` as `1.2345678901234568e29`).
/// - A number written with a fraction or an exponent whose value is not the float's that
///   serde_json reads: more significant digits than a 64-bit float holds
///   (`3.14159265358979323846` as `3.141592653589793`, `12345678901234567890.5` as
///   `1.2345678901234567e19`), or a number nearer to zero than the smallest float (`1e-400` as
///   `0`). A float written as serde_json, JavaScript and Python write it (its shortest form:
///   `0.1`, `1.2345678901234568e29`), with at most 17 significant digits (C's `%.17g`:
///   `0.10000000000000001`; Java's `4.9E-324`) or exactly (`0.5`, `1e3`, `1.50`) names the
///   float that is sent, and is taken as written.
///
/// Digits in a string are text, and taken as written. A number that is not JSON (`1.`) or
/// out of the float's range (`1e400`) is left to serde_json, whose error says so.
pub(super) fn rounded_number(text: &str) -> Option<LineError> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                at += 1;
                while at < bytes.len() {
                    match bytes[at] {
                        b'\\' => at += 2,
                        b'"' => {
                            at += 1;
                            break;
                        }
                        _ => at += 1,
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = at;
                while at < bytes.len()
                    && matches!(bytes[at], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    at += 1;
                }
                let literal = &text[start..at];
                let column = || text[..start].chars().count() + 1;
                if !literal.contains(['.', 'e', 'E']) {
                    if literal.parse::<i64>().is_err() && literal.parse::<u64>().is_err() {
                        let float = literal.parse::<f64>().unwrap_or(f64::NAN);
                        return Some(LineError::InvalidValue(format!(
                            "the integer {literal} at column {} is outside the 64-bit range: JSON readers hold it as the nearest float ({float:e}), so it would be sent rounded; write it as a string (or as that float)",
                            column()
                        )));
                    }
                } else if let Ok(float) = literal.parse::<f64>()
                    && float.is_finite()
                    && !names_the_float(literal, float)
                {
                    return Some(LineError::InvalidValue(format!(
                        "the number {literal} at column {} has more digits than a 64-bit float holds (or is nearer to zero than the smallest one): JSON readers hold it as the nearest float ({float:e}), so it would be sent rounded; write it as a string (or as that float)",
                        column()
                    )));
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// Whether `literal`, a number read as `float`, names the float rather than a decimal that
/// the float rounds: it is worth exactly `float`, or it is one of the texts that writers give
/// a float. For a normal float, that is any text of at most 17 significant digits, which is
/// enough to name one float: the shortest form (serde_json's, JavaScript's, Python's `repr`),
/// C's `%.17g` and `%.16g`, and Java's `Double.toString` before JDK 19, which wrote some floats
/// with a digit more than the shortest, not always rounded (`1.9400994884341944E25` for
/// `1.9400994884341945e25`). For a subnormal float (below 2.2e-308, with fewer significant
/// bits), the float rounded to at most 17 digits: Java's `4.9E-324` for the smallest, whose
/// shortest form is `5e-324`, but not `3e-324`, which reads as that float too.
fn names_the_float(literal: &str, float: f64) -> bool {
    let written = Decimal::of(literal);
    if written == exact(float) {
        return true;
    }
    if written.digits.len() > 17 {
        return false;
    }
    float.is_normal() || (0..17).any(|places| written == Decimal::of(&format!("{float:.places$e}")))
}

/// The exact value of `float` (every finite float is a decimal of at most 767 significant
/// digits), as [`Decimal`].
fn exact(float: f64) -> Decimal {
    // 1074 digits after the point reach the smallest float's last digit.
    Decimal::of(&format!("{float:.1074e}"))
}

/// A number's value as its significant digits (without zeros at either end) and the power of
/// ten at their start: `-0.0120` is `-`, `12`, `-1` (0.12 × 10⁻¹). Zero has no digits and no
/// sign.
#[derive(Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: String,
    point: i64,
}

impl Decimal {
    /// The value of `number`, a JSON number or Rust's `{:e}` of a float.
    fn of(number: &str) -> Decimal {
        let (negative, number) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number),
        };
        let (mantissa, exponent) = match number.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => {
                let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
                // An exponent past i64 is far past any float: kept far, not wrapped.
                let far = if exponent.starts_with('-') {
                    -(i64::MAX / 4)
                } else {
                    i64::MAX / 4
                };
                (mantissa, exponent.parse::<i64>().unwrap_or(far))
            }
            None => (number, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = format!("{whole}{fraction}");
        let significant = all.trim_start_matches('0');
        let leading_zeros = i64::try_from(all.len() - significant.len()).unwrap_or(i64::MAX);
        let digits = significant.trim_end_matches('0');
        if digits.is_empty() {
            return Decimal {
                negative: false,
                digits: String::new(),
                point: 0,
            };
        }
        let whole_len = i64::try_from(whole.len()).unwrap_or(i64::MAX);
        Decimal {
            negative,
            digits: digits.to_owned(),
            point: whole_len
                .saturating_add(exponent)
                .saturating_sub(leading_zeros),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Decimal, names_the_float, rounded_number};

    #[test]
    fn decimals_are_read_by_value() {
        assert_eq!(Decimal::of("-0.0120"), Decimal::of("-1.2e-2"));
        assert_eq!(Decimal::of("0"), Decimal::of("-0.000e5"));
        assert_eq!(Decimal::of("1500"), Decimal::of("1.5E+3"));
        assert_ne!(Decimal::of("1500"), Decimal::of("-1500"));
        assert_ne!(Decimal::of("1e-99999999999999999999999"), Decimal::of("0"));
    }

    #[test]
    fn the_texts_writers_give_a_float_name_it() {
        for (literal, float) in [
            ("0.1", 0.1),
            ("0.10000000000000001", 0.1),
            ("1.2345678901234568e29", 1.234_567_890_123_456_8e29),
            ("0.5000", 0.5),
            ("5e-324", 5e-324),
            (
                "0.1000000000000000055511151231257827021181583404541015625",
                0.1,
            ),
            // Java's `Double.toString` (review 55): the smallest float, a digit more than the
            // shortest and not rounded, and `%.16g`.
            ("4.9E-324", 5e-324),
            ("1.9400994884341944E25", 1.940_099_488_434_194_5e25),
            ("9.999999999999999E22", 1e23),
            ("2.2250738585072014e-308", f64::MIN_POSITIVE),
        ] {
            assert!(names_the_float(literal, float), "{literal}");
        }
        for (literal, float) in [
            ("3.14159265358979323846", std::f64::consts::PI),
            ("0.1000000000000000001", 0.1),
            ("1e-400", 0.0),
            // A subnormal float that a one-digit text rounds by a third.
            ("3e-324", 5e-324),
            ("3.1415926535897932384", std::f64::consts::PI),
        ] {
            assert!(!names_the_float(literal, float), "{literal}");
        }
    }

    #[test]
    fn only_numbers_outside_strings_are_looked_at() {
        assert!(rounded_number(r#"{"a": "3.14159265358979323846"}"#).is_none());
        assert!(rounded_number(r#"{"a\"3.14159265358979323846": 1}"#).is_none());
        assert!(rounded_number(r#"{"a": [1, 1e-400]}"#).is_some());
    }
}
