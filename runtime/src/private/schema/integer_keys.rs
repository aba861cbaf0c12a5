//! The decimal numerals that `serde_json` reads into an integer map key, as a regular
//! expression: the key type's range (its `format`), narrowed by the bounds that its schema
//! states beside (`minimum`, `maximum`, their exclusive forms, and `"not": {"const": n}`, as
//! schemars writes `NonZeroU8` and `NonZeroI32`).

use serde_json::{Map, Number, Value};

use super::names_type;

/// The ranges of the numbers that serde reads into an integer key type whose schema is
/// `key`, and its `format`; `None` for a `format` that names no integer type.
fn key_ranges(key: &Map<String, Value>) -> Option<(&str, Vec<(Whole, Whole)>)> {
    let format = key.get("format")?.as_str()?;
    let (mut lowest, mut highest) = type_range(format)?;
    let bound = |word: &str, up: bool| {
        key.get(word)
            .and_then(Value::as_number)
            .and_then(|number| Whole::of(number, up))
    };
    if let Some(minimum) = bound("minimum", true) {
        lowest = lowest.max(minimum);
    }
    if let Some(maximum) = bound("maximum", false) {
        highest = highest.min(maximum);
    }
    // A number bound: draft 6 and later (the boolean of draft 4 and OpenAPI 3.0 is not one).
    match bound("exclusiveMinimum", false).map(Whole::next) {
        Some(Some(minimum)) => lowest = lowest.max(minimum),
        Some(None) => return Some((format, Vec::new())),
        None => {}
    }
    match bound("exclusiveMaximum", true).map(Whole::previous) {
        Some(Some(maximum)) => highest = highest.min(maximum),
        Some(None) => return Some((format, Vec::new())),
        None => {}
    }
    let excluded = key
        .get("not")
        .and_then(|not| not.get("const"))
        .and_then(Value::as_number)
        .filter(|number| number.is_i64() || number.is_u64())
        .and_then(|number| Whole::of(number, true));
    let mut ranges = Vec::new();
    match excluded {
        Some(point) if lowest <= point && point <= highest => {
            ranges.extend(point.previous().map(|before| (lowest, before)));
            ranges.extend(point.next().map(|after| (after, highest)));
        }
        _ => ranges.push((lowest, highest)),
    }
    ranges.retain(|(low, high)| low <= high);
    Some((format, ranges))
}

/// Whether serde reads the key `-0` into the key type whose schema is `key`: an `i128`
/// (`serde_json` reads its digits itself) whose range holds `0`, which `-0` then is.
pub(super) fn reads_minus_zero(key: &Value) -> bool {
    key.as_object()
        .filter(|key| names_type(key, "integer"))
        .and_then(key_ranges)
        .is_some_and(|(format, ranges)| {
            format == "int128"
                && ranges
                    .iter()
                    .any(|(low, high)| *low <= Whole::ZERO && Whole::ZERO <= *high)
        })
}

/// The pattern of the keys that serde reads into an integer key type whose schema is
/// `key` (its `format` gives the type's range); `None` for a `format` that names no
/// integer type. A range that holds no number gives a pattern that matches no key.
pub(super) fn integer_key_pattern(key: &Map<String, Value>) -> Option<String> {
    let (format, ranges) = key_ranges(key)?;
    // `-0` is a float to `serde_json`, which no integer key reads but an `i128` (whose
    // digits it reads itself).
    let zero = if format == "int128" { "-?0" } else { "0" };
    let mut alternatives = Vec::new();
    for (low, high) in ranges {
        if low.negative {
            let nearest = high.min(Whole::negative(1));
            alternatives.push(format!(
                "-(?:{})",
                numerals_between(nearest.magnitude, low.magnitude)
            ));
        }
        if !high.negative {
            let low = low.max(Whole::ZERO);
            if low == Whole::ZERO {
                alternatives.push(zero.to_owned());
            }
            let low = low.magnitude.max(1);
            if low <= high.magnitude {
                alternatives.push(numerals_between(low, high.magnitude));
            }
        }
    }
    if alternatives.is_empty() {
        return Some(NO_KEY.to_owned());
    }
    Some(format!("^(?:{})$", alternatives.join("|")))
}

/// A pattern that no string matches: the keys of an integer range that holds no number.
const NO_KEY: &str = "^[^\\s\\S]$";

/// The range of the integer type that schemars' `format` names.
fn type_range(format: &str) -> Option<(Whole, Whole)> {
    let signed = |bits: u32| {
        let half = 1_u128 << (bits - 1);
        (Whole::negative(half), Whole::positive(half - 1))
    };
    let unsigned = |maximum: u128| (Whole::ZERO, Whole::positive(maximum));
    Some(match format {
        "int8" => signed(8),
        "int16" => signed(16),
        "int32" => signed(32),
        "int64" => signed(64),
        "int128" => signed(128),
        "int" => signed(usize::BITS),
        "uint8" => unsigned(u128::from(u8::MAX)),
        "uint16" => unsigned(u128::from(u16::MAX)),
        "uint32" => unsigned(u128::from(u32::MAX)),
        "uint64" => unsigned(u128::from(u64::MAX)),
        "uint128" => unsigned(u128::MAX),
        "uint" => unsigned(usize::MAX as u128),
        _ => return None,
    })
}

/// A regular expression (alternatives, unanchored) for the decimal numerals from `low` to
/// `high` (`1 <= low`), without leading zeros: the lengths whose every numeral is in the
/// range as one alternative, and at the ends the numerals between that length's ends,
/// digit by digit.
fn numerals_between(low: u128, high: u128) -> String {
    let (low, high) = (low.to_string(), high.to_string());
    let mut alternatives = Vec::new();
    // The lengths, from the shortest, whose every numeral is in the range.
    let mut whole_lengths: Option<(usize, usize)> = None;
    for length in low.len()..=high.len() {
        let smallest = format!("1{}", "0".repeat(length - 1));
        let largest = "9".repeat(length);
        let from = if length == low.len() { &low } else { &smallest };
        let to = if length == high.len() {
            &high
        } else {
            &largest
        };
        if *from == smallest && *to == largest {
            let shortest = whole_lengths.map_or(length, |(shortest, _)| shortest);
            whole_lengths = Some((shortest, length));
        } else {
            same_length(from, to, "", &mut alternatives);
        }
    }
    if let Some((shortest, longest)) = whole_lengths {
        let more = match (shortest - 1, longest - 1) {
            (0, 0) => String::new(),
            (fewest, most) if fewest == most => format!("[0-9]{{{most}}}"),
            (fewest, most) => format!("[0-9]{{{fewest},{most}}}"),
        };
        alternatives.insert(0, format!("[1-9]{more}"));
    }
    alternatives.join("|")
}

/// Pushes the alternatives for the digit strings from `from` to `to` (of one length,
/// `from <= to`), each after `prefix`.
fn same_length(from: &str, to: &str, prefix: &str, alternatives: &mut Vec<String>) {
    let (Some(&first), Some(&last)) = (from.as_bytes().first(), to.as_bytes().first()) else {
        alternatives.push(prefix.to_owned());
        return;
    };
    let (from_rest, to_rest) = (&from[1..], &to[1..]);
    if first == last {
        let prefix = format!("{prefix}{}", char::from(first));
        return same_length(from_rest, to_rest, &prefix, alternatives);
    }
    let rest = from_rest.len();
    // `first` followed by any digits from `from_rest` up, unless that is every one of them.
    let from_whole = from_rest.bytes().all(|digit| digit == b'0');
    let to_whole = to_rest.bytes().all(|digit| digit == b'9');
    let middle_low = if from_whole { first } else { first + 1 };
    let middle_high = if to_whole { last } else { last - 1 };
    if !from_whole {
        let prefix = format!("{prefix}{}", char::from(first));
        same_length(from_rest, &"9".repeat(rest), &prefix, alternatives);
    }
    if middle_low <= middle_high {
        let digits = if rest == 0 {
            String::new()
        } else {
            format!("[0-9]{{{rest}}}")
        };
        alternatives.push(format!(
            "{prefix}[{}-{}]{digits}",
            char::from(middle_low),
            char::from(middle_high)
        ));
    }
    if !to_whole {
        let prefix = format!("{prefix}{}", char::from(last));
        same_length(&"0".repeat(rest), to_rest, &prefix, alternatives);
    }
}

/// A whole number as its sign and magnitude (`-magnitude` when `negative`; zero is never
/// negative): every value of the 128-bit integer types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Whole {
    negative: bool,
    magnitude: u128,
}

impl Whole {
    const ZERO: Whole = Whole::positive(0);

    const fn positive(magnitude: u128) -> Whole {
        Whole {
            negative: false,
            magnitude,
        }
    }

    const fn negative(magnitude: u128) -> Whole {
        Whole {
            negative: magnitude != 0,
            magnitude,
        }
    }

    /// The number after this one (`None` past `u128::MAX`).
    fn next(self) -> Option<Whole> {
        if self.negative {
            Some(Whole::negative(self.magnitude - 1))
        } else {
            self.magnitude.checked_add(1).map(Whole::positive)
        }
    }

    /// The number before this one (`None` before `-u128::MAX`).
    fn previous(self) -> Option<Whole> {
        if self.negative || self.magnitude == 0 {
            self.magnitude.checked_add(1).map(Whole::negative)
        } else {
            Some(Whole::positive(self.magnitude - 1))
        }
    }

    /// A schema's number as a whole number: itself, or its neighbour above (`up`) or
    /// below when it has a fractional part; `None` when it is not finite. A float past
    /// the 128-bit range is taken as its end, which no key of an integer type passes.
    fn of(number: &Number, up: bool) -> Option<Whole> {
        if let Some(value) = number.as_u64() {
            return Some(Whole::positive(u128::from(value)));
        }
        if let Some(value) = number.as_i64() {
            return Some(Whole::negative(u128::from(value.unsigned_abs())));
        }
        let value = number.as_f64().filter(|value| value.is_finite())?;
        let value = if up { value.ceil() } else { value.floor() };
        // `as` saturates at the ends of `u128`.
        Some(if value < 0.0 {
            Whole::negative((-value) as u128)
        } else {
            Whole::positive(value as u128)
        })
    }
}

impl PartialOrd for Whole {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Whole {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.magnitude.cmp(&other.magnitude),
            (true, true) => other.magnitude.cmp(&self.magnitude),
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
        }
    }
}
