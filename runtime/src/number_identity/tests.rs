//! Unit tests of `number_identity`: numbers' identities, order and equality by value.

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
    let compare =
        |left: &str, right: &str| compare_numbers(&left.parse().unwrap(), &right.parse().unwrap());
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
