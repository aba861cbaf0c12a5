//! A number's value as an exact decimal ([`Decimal`]): its digits and the exponent of its
//! last one, read from a number's text (RFC 8259 §6), compared and written as its identity.

use core::cmp::Ordering;
use core::fmt;

/// A number's value as an exact decimal: its digits and the exponent of the last one.
#[derive(PartialEq, Eq)]
pub(super) struct Decimal {
    negative: bool,
    /// The significant digits, without leading or trailing zeros; empty for zero.
    pub(super) digits: String,
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

/// The value of a number's text (RFC 8259 §6: `-`, digits, an optional fraction and an
/// optional exponent), or `None` for text that is not such a number or whose exponent does
/// not fit in an `i128`.
pub(super) fn parse_decimal(text: &str) -> Option<Decimal> {
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
