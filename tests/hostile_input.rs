//! Input the crate does not control, from hostile generators: filter text, `Retry-After`
//! values, SCIM PatchOp and RFC 6902 messages, PingOne error bodies, feed lines and sync
//! reports, derived patches read from JSON text, and untyped JSON with the keys that paths
//! escape or compare in any case. Every reader returns a value or an error, never panics;
//! what it reads back, it writes back the same; and the merge patch functions keep RFC 7396's
//! laws on such JSON. (Depth beyond serde_json's 128 levels of text, in values built in code,
//! is tested where each function's other tests are: `tests/apply_and_diff.rs`,
//! `tests/compose.rs`, `tests/json_patch_output.rs`.)

mod support;

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use serde_json::{Map, Value};
use sparse_patch::pingone::sync::{failed_lines, line_key, parse_line, rerun_lines};
use sparse_patch::pingone::{ApiError, UserFilter, parse_retry_after};
use sparse_patch::{
    JsonPatchOperation, KeyedArray, MergeJson, ScimPatch, json_patch_from_merge, merge_diff,
    merge_patch, scim_patch_from_merge,
};
use support::UserPatch;

/// Pieces of text that the readers give a meaning, and characters that break naive ones:
/// quotes and escapes, brackets, JSON Pointer and percent escapes, NUL and control characters,
/// a byte-order mark, a character whose lower case is ASCII (`\u{212a}`, Kelvin: `k`), and
/// numbers too large for any integer type.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "\"",
            "\\",
            "\\\"",
            "\\u0000",
            "\\ud800",
            ",",
            ":",
            " ",
            "and",
            "or",
            "AND",
            "not",
            "eq",
            "sw",
            "username",
            "email",
            "name.given",
            "emails",
            "value",
            "type",
            "op",
            "path",
            "Operations",
            "schemas",
            "add",
            "remove",
            "replace",
            "~0",
            "~1",
            "/",
            "~",
            "%",
            "%2",
            "%zz",
            "%C3%A9",
            "+",
            "\u{0}",
            "\t",
            "\n",
            "\r",
            "\u{feff}",
            "\u{212a}",
            "é",
            "🙂",
            "null",
            "true",
            "-0",
            "1e999",
            "99999999999999999999999",
            "-99999999999999999999999",
            "0.0000000001e-400",
            "18446744073709551616",
            "GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "urn:x:y",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9]{1,4}",
        any::<char>().prop_map(String::from),
    ]
}

/// Text of up to `len` pieces.
fn text(len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..len).prop_map(|pieces| pieces.concat())
}

/// Object keys that JSON Pointers escape, SCIM compares in any case, or no SCIM path can
/// carry.
fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "A",
        "b",
        "~",
        "/",
        "~1",
        "a/b",
        "",
        " ",
        "%",
        "\u{0}",
        "\u{212a}",
        "k",
        "K",
        "é",
        "É",
        "$ref",
        "urn:x:y",
        "urn:x:y:a",
        "emails",
        "type",
    ])
    .prop_map(str::to_owned)
}

/// Untyped JSON with hostile keys, `null`s, empty values and large numbers.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        text(3).prop_map(Value::from),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(Map::new())),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// An object of [`value`]s.
fn object() -> impl Strategy<Value = Value> {
    prop::collection::vec((key(), value()), 0..5)
        .prop_map(|members| Value::Object(members.into_iter().collect()))
}

/// A keyed array's elements (`emails`, keyed by `type`): keys that are equal by value but
/// written apart (`1`, `1.0`), that differ only in case, that a filter must quote, repeated,
/// missing or of a type that cannot be a key; and hostile members.
fn emails() -> impl Strategy<Value = Value> {
    let type_key = prop_oneof![
        prop::sample::select(vec![
            serde_json::json!("work"),
            serde_json::json!("Work"),
            serde_json::json!("a\"] or [b"),
            serde_json::json!("\u{212a}"),
            serde_json::json!(""),
            serde_json::json!(1),
            serde_json::json!(1.0),
            serde_json::json!(-0.0),
            serde_json::json!(1e300),
            serde_json::json!(true),
            Value::Null,
            serde_json::json!([]),
        ]),
        text(2).prop_map(Value::from),
    ];
    let element = (proptest::option::of(type_key), value(), key(), value()).prop_map(
        |(type_key, value, other, other_value)| {
            let mut element = Map::new();
            if let Some(type_key) = type_key {
                element.insert("type".into(), type_key);
            }
            element.insert("value".into(), value);
            element.insert(other, other_value);
            Value::Object(element)
        },
    );
    prop::collection::vec(element, 0..4).prop_map(Value::Array)
}

/// An [`object`] that may hold an `emails` keyed array.
fn with_emails() -> impl Strategy<Value = Value> {
    (object(), proptest::option::of(emails())).prop_map(|(mut object, emails)| {
        if let (Some(emails), Value::Object(members)) = (emails, &mut object) {
            members.insert("emails".into(), emails);
        }
        object
    })
}

/// `value` without the `null` members of its objects, at any depth: what a merge patch can
/// produce (RFC 7396 §2 stores no `null` member).
fn without_nulls(value: &Value) -> Value {
    <Value as MergeJson>::from_patch(value.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn filter_text_reads_or_is_refused_and_reads_back(text in text(24)) {
        if let Ok(filter) = text.parse::<UserFilter>() {
            let written = filter.to_string();
            prop_assert_eq!(written.parse::<UserFilter>().ok(), Some(filter), "{:?}", written);
        }
    }

    #[test]
    fn retry_after_never_panics(text in text(6), now in 0u64..=u64::from(u32::MAX) * 4) {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now);
        let _ = parse_retry_after(&text, now);
        let _ = parse_retry_after(&text, SystemTime::UNIX_EPOCH);
    }

    #[test]
    fn messages_and_error_bodies_read_or_are_refused(text in text(24), value in value()) {
        for source in [text.clone(), value.to_string()] {
            if let Ok(message) = serde_json::from_str::<ScimPatch>(&source) {
                let written = serde_json::to_string(&message).unwrap();
                prop_assert_eq!(serde_json::from_str::<ScimPatch>(&written).unwrap(), message);
            }
            if let Ok(operations) = serde_json::from_str::<Vec<JsonPatchOperation>>(&source) {
                let written = serde_json::to_string(&operations).unwrap();
                prop_assert_eq!(
                    serde_json::from_str::<Vec<JsonPatchOperation>>(&written).unwrap(),
                    operations
                );
            }
            let _ = serde_json::from_str::<ApiError>(&source);
            if let Ok(patch) = serde_json::from_str::<UserPatch>(&source) {
                let written = serde_json::to_string(&patch).unwrap();
                prop_assert_eq!(serde_json::from_str::<UserPatch>(&written).unwrap(), patch);
            }
        }
        let _ = serde_json::from_value::<ScimPatch>(value.clone());
        let _ = serde_json::from_value::<UserPatch>(value);
    }

    #[test]
    fn feed_lines_and_reports_read_or_are_refused(text in text(24), value in object()) {
        let line = value.to_string();
        for source in [&text, &line] {
            let _ = parse_line(1, source, None);
            let _ = line_key(source);
            let _ = rerun_lines(source.as_bytes());
            let _ = failed_lines(source.as_bytes());
        }
        // A report of outcome-shaped lines with hostile members.
        let report = format!(r#"{{"line":1,"status":"failed","key":{line}}}"#);
        let _ = rerun_lines(report.as_bytes());
    }

    #[test]
    fn merge_patch_laws_hold_on_hostile_json(
        base in with_emails(),
        target in with_emails(),
        first in with_emails(),
        next in object(),
    ) {
        // `diff` then `merge` gives the target, but for the `null` members no patch can set.
        let diff = merge_diff(&base, &target);
        let mut merged = base.clone();
        merge_patch(&mut merged, diff);
        prop_assert_eq!(without_nulls(&merged), without_nulls(&target));

        // `then`, where it composes, does the work of the two patches in turn.
        let mut in_turn = base.clone();
        merge_patch(&mut in_turn, first.clone());
        merge_patch(&mut in_turn, next.clone());
        if Value::check_then_patch(&first, &next).is_ok() {
            let mut both = first.clone();
            Value::then_patch(&mut both, next.clone());
            let mut once = base.clone();
            merge_patch(&mut once, both);
            prop_assert_eq!(once, in_turn);
        }

        // The dialect outputs give an answer or an error, never a panic.
        let _ = json_patch_from_merge(&base, &first);
        let _ = scim_patch_from_merge(&base, &first, &[]);
        let keyed = [KeyedArray::Array { attribute: "emails", key: "type" }];
        let _ = scim_patch_from_merge(&base, &first, &keyed);
        let _ = scim_patch_from_merge(&base, &target, &keyed);
    }
}
