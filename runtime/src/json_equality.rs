//! Equality of JSON values as RFC 6902 §4.6 defines it for `test`: [`json_equal`].

use serde_json::{Number, Value};

use crate::number_identity::number_identity;

/// Whether `left` and `right` are equal JSON values by RFC 6902 §4.6: of the same type;
/// strings of the same code points; numbers of the same value (`1`, `1.0` and `1e0` are
/// equal, as are `0` and `-0`, which serde_json's `==` does not say of an integer and a
/// float); arrays of the same length whose elements are equal in order; objects with the
/// same member names whose values are equal, in any order; or both `true`, both `false`, or
/// both `null`.
///
/// It walks the values with a heap stack, not recursion, so values of any depth (built in
/// code: serde_json reads at most 128 levels of text) are compared without overflowing the
/// thread's stack.
pub(crate) fn json_equal(left: &Value, right: &Value) -> bool {
    let mut pending = vec![(left, right)];
    while let Some((left, right)) = pending.pop() {
        match (left, right) {
            (Value::Null, Value::Null) => {}
            (Value::Bool(left), Value::Bool(right)) if left == right => {}
            (Value::String(left), Value::String(right)) if left == right => {}
            (Value::Number(left), Value::Number(right)) if numbers_equal(left, right) => {}
            (Value::Array(left), Value::Array(right)) if left.len() == right.len() => {
                pending.extend(left.iter().zip(right));
            }
            (Value::Object(left), Value::Object(right)) if left.len() == right.len() => {
                for (name, value) in left {
                    let Some(other) = right.get(name) else {
                        return false;
                    };
                    pending.push((value, other));
                }
            }
            _ => return false,
        }
    }
    true
}

/// Whether two JSON numbers have the same value: integers compared exactly (an `i64` and a
/// `u64` too), the rest by [`number_identity`]: a float and an integer equal only where the
/// float is that integer exactly (`2^53 + 1` is no float's value), `0.0` and `-0.0` alike, and,
/// with serde_json's `arbitrary_precision`, the decimals as written (not rounded to `f64`s,
/// which made `100000000000000000000001` equal `100000000000000000000000`, and `1e400` equal
/// nothing, not itself: serde-rs/json#977).
fn numbers_equal(left: &Number, right: &Number) -> bool {
    match (integer(left), integer(right)) {
        (Some(left), Some(right)) => left == right,
        _ => number_identity(left) == number_identity(right),
    }
}

/// The number as an integer, where serde_json holds it as one (`i64` or `u64`).
fn integer(number: &Number) -> Option<i128> {
    number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::json_equal;

    fn read(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    /// RFC 6902 §4.6: strings are equal when their code points are byte by byte equal (no
    /// case folding: SCIM's caseless comparison is SCIM's, not JSON Patch's), and literals
    /// (`true`, `false`, `null`) only when they are the same literal. (Mutation testing: a
    /// `test` that took "Ada" for "ada", or `true` for `false`, went unnoticed.)
    #[test]
    fn strings_and_literals_are_equal_only_as_written() {
        for (left, right) in [
            (r#""ada""#, r#""Ada""#),
            (r#""ADA""#, r#""ada""#),
            (r#""straße""#, r#""STRASSE""#),
            ("true", "false"),
            ("[true]", "[false]"),
            (r#"{"active": false}"#, r#"{"active": true}"#),
            ("false", "null"),
        ] {
            assert!(!json_equal(&read(left), &read(right)), "{left} != {right}");
            assert!(!json_equal(&read(right), &read(left)), "{right} != {left}");
        }
        for same in [r#""Ada""#, "true", "false", "null", r#"{"a": [true, "x"]}"#] {
            assert!(json_equal(&read(same), &read(same)), "{same}");
        }
    }

    #[test]
    fn numbers_are_equal_by_value_whatever_their_text() {
        for (left, right) in [
            ("1", "1.0"),
            ("1", "1e0"),
            ("100", "1E2"),
            ("0", "-0"),
            ("0", "-0.0"),
            ("-5", "-5.0"),
            ("0.5", "5e-1"),
            ("18446744073709551615", "18446744073709551615"),
            ("[1, {\"a\": 2}]", "[1.0, {\"a\": 2e0}]"),
        ] {
            assert!(json_equal(&read(left), &read(right)), "{left} = {right}");
            assert!(json_equal(&read(right), &read(left)), "{right} = {left}");
        }
        for (left, right) in [
            ("1", "1.5"),
            ("1", "\"1\""),
            ("10", "\"10\""),
            ("-1", "18446744073709551615"),
            ("18446744073709551615", "1.8446744073709552e19"),
            ("0", "false"),
            // Python's `True == 1` made python-json-patch's `test` pass on it (its PR #187).
            ("1", "true"),
            ("0", "null"),
        ] {
            assert!(!json_equal(&read(left), &read(right)), "{left} != {right}");
            assert!(!json_equal(&read(right), &read(left)), "{right} != {left}");
        }
    }

    /// With serde_json's `arbitrary_precision` (run with
    /// `--features serde_json/arbitrary_precision`), a number is the decimal its text writes:
    /// `as_f64` rounded two integers wider than 64 bits to one `f64` (equal), and `1e400`,
    /// past `f64`, to none (equal to nothing, not itself). serde-rs/json#977,
    /// moonbitlang/core#2650. Without it, serde_json reads each as the nearest `f64`.
    #[test]
    fn numbers_are_compared_at_the_precision_serde_json_holds_them() {
        let keeps_text = serde_json::from_str::<Value>("1e400").is_ok();
        let wide = (
            read("100000000000000000000001"),
            read("100000000000000000000002"),
        );
        assert_eq!(json_equal(&wide.0, &wide.1), !keeps_text);
        assert!(json_equal(&wide.0, &wide.0.clone()));
        // 2^53 + 1 is no float's value: the float read from its text is 2^53 (the decimal
        // written, with `arbitrary_precision`).
        let (beyond_2_53, float) = (read("9007199254740993"), read("9007199254740993.0"));
        assert_eq!(json_equal(&beyond_2_53, &float), keeps_text);
        if keeps_text {
            for (left, right) in [
                ("1e400", "1e400"),
                ("1e400", "10E+399"),
                ("-0.5e-400", "-5e-401"),
            ] {
                assert!(json_equal(&read(left), &read(right)), "{left} = {right}");
            }
            for (left, right) in [("1e400", "1e401"), ("0.1", "0.10000000000000000001")] {
                assert!(!json_equal(&read(left), &read(right)), "{left} != {right}");
            }
        }
    }

    #[test]
    fn objects_are_equal_in_any_order_and_arrays_only_in_theirs() {
        assert!(json_equal(
            &read(r#"{"a": 1, "b": [1, {"c": null, "d": true}]}"#),
            &read(r#"{"b": [1, {"d": true, "c": null}], "a": 1}"#)
        ));
        for (left, right) in [
            ("[1, 2]", "[2, 1]"),
            ("[1]", "[1, 1]"),
            ("[]", "{}"),
            (r#"{"a": 1}"#, r#"{"a": 1, "b": 1}"#),
            (r#"{"a": null}"#, "{}"),
            (r#"{"a": 1, "b": 2}"#, r#"{"a": 1, "c": 2}"#),
            (r#""é""#, r#""e\u0301""#),
        ] {
            assert!(!json_equal(&read(left), &read(right)), "{left} != {right}");
            assert!(!json_equal(&read(right), &read(left)), "{right} != {left}");
        }
    }

    #[test]
    fn values_deeper_than_the_stack_allows_recursion_are_compared() {
        const DEPTH: usize = 100_000;
        fn nested(depth: usize, leaf: Value) -> Value {
            let mut value = leaf;
            // Built by hand: `json!` serializes an expression it is given, by recursion.
            for _ in 0..depth {
                let members = [("a".to_owned(), Value::Array(vec![value]))];
                value = Value::Object(members.into_iter().collect());
            }
            value
        }
        let (left, right, other) = (
            nested(DEPTH, json!(1)),
            nested(DEPTH, json!(1.0)),
            nested(DEPTH, json!(2)),
        );
        assert!(json_equal(&left, &right));
        assert!(!json_equal(&left, &other));
        for value in [left, right, other] {
            dismantle(value);
        }
    }

    /// Drops a deep value without recursion (serde_json's drop recurses).
    fn dismantle(value: Value) {
        let mut pending = vec![value];
        while let Some(value) = pending.pop() {
            match value {
                Value::Array(elements) => pending.extend(elements),
                Value::Object(members) => pending.extend(members.into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }
}
