//! Numbers and text at their edges, through the whole pipeline: floats that serde_json's text
//! must give back bit for bit (a model read back, the sync job against the emulator), floats
//! that JSON has no number for (NaN, infinities) and integers wider than `serde_json::Value`
//! holds, in the merge patch, the RFC 6902 and SCIM outputs and the client.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::pingone::emulator::{Emulator, reference_user};
use sparse_patch::pingone::sync::{LineError, Status, SyncJob, parse_line, plan_patch};
use sparse_patch::pingone::{Client, Error};
use sparse_patch::{DialectError, Field, Patch, Patchable};

#[path = "support/number_features.rs"]
mod number_features;
use number_features::numbers_keep_their_text;

/// Floats whose shortest text serde_json reads back as a neighbouring float unless it parses
/// with correct rounding (its `float_roundtrip` feature): one in ten of those below 1000.
const HARD_FLOATS: [f64; 4] = [
    92.421_325_128_135_95,
    212.918_907_267_134_59,
    479.607_564_269_825_96,
    1.071_566_039_146_582_6e-75,
];

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reading {
    sensor: String,
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<Value>,
}

fn reading(value: f64) -> Reading {
    Reading {
        sensor: "t1".into(),
        value,
        previous: Some(value),
        raw: Some(json!({"value": value})),
    }
}

/// A model written as JSON and read back is the same model: a client that reads what it
/// wrote sees no change, and `diff` sends nothing.
#[test]
fn floats_survive_their_json_text_bit_for_bit() {
    for value in HARD_FLOATS {
        let model = reading(value);
        let text = serde_json::to_string(&model).unwrap();
        let back: Reading = serde_json::from_str(&text).unwrap();
        assert_eq!(back.value.to_bits(), value.to_bits(), "{text}");
        assert_eq!(back, model, "{text}");
        assert!(back.diff(&model).is_empty(), "{text}");
        // The patch too: what a server reads is what was meant.
        let patch = reading(0.0).diff(&model);
        let read: ReadingPatch =
            serde_json::from_str(&serde_json::to_string(&patch).unwrap()).unwrap();
        assert_eq!(read, patch);
    }
}

fn client(emulator: &Emulator) -> Client {
    emulator_bearer_builder(emulator)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn sync_once(job: &SyncJob, line: &str) -> sparse_patch::pingone::sync::Outcome {
    let lines = vec![Ok::<_, std::io::Error>(line.to_owned())];
    let outcomes: Vec<_> = job.run(lines).collect().await;
    outcomes.into_iter().next().unwrap()
}

/// A feed line with a float converges: the first run changes the user and PingOne's answer
/// holds the value, the second finds nothing to change.
#[tokio::test]
async fn a_float_in_a_feed_converges() {
    for value in HARD_FLOATS {
        let emulator = Emulator::start().unwrap();
        let client = client(&emulator);
        let job = SyncJob::new(&client, emulator.environment_id());
        let line = format!(
            r#"{{"username": "dspanner", "score": {value:?}, "nested": {{"x": [{value:?}]}}}}"#
        );
        let first = sync_once(&job, &line).await;
        assert_eq!(first.status, Status::Changed, "{line}: {first:?}");
        let second = sync_once(&job, &line).await;
        assert_eq!(second.status, Status::Unchanged, "{line}: {second:?}");
        let stored = emulator.user(emulator.user_id()).unwrap();
        assert_eq!(stored["score"].as_f64().unwrap().to_bits(), value.to_bits());
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Gauge {
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio: Option<f32>,
    limits: BTreeMap<String, f64>,
    history: Vec<f64>,
    #[serde(default)]
    wide: u128,
    #[serde(default)]
    signed: i128,
}

fn gauge() -> Gauge {
    Gauge {
        value: 1.5,
        ratio: Some(0.5),
        limits: BTreeMap::from([("high".into(), 10.0)]),
        history: vec![1.0],
        wide: 0,
        signed: 0,
    }
}

/// serde_json writes a float that is not finite as `null`, and that is what the patch's own
/// JSON says (a documented limit): `null` clears, even a required attribute.
#[test]
fn a_float_that_is_not_finite_is_null_in_the_merge_patch() {
    let mut target = gauge();
    target.value = f64::NAN;
    let patch = gauge().diff(&target);
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"value":null}"#);
    // NaN is not equal to itself: `diff` always sends it.
    assert!(!target.diff(&target).is_empty());
}

/// The RFC 6902 and SCIM outputs do not turn a NaN or an infinity into a `remove`: they
/// refuse it, naming the attribute.
#[test]
fn the_dialect_outputs_refuse_a_float_that_is_not_finite() {
    /// A change to the model, the path of the number it makes, what the number is.
    type Case = (fn(&mut Gauge), &'static str, &'static str);
    let cases: [Case; 5] = [
        (|g| g.value = f64::NAN, "value", "NaN, "),
        (|g| g.ratio = Some(f32::INFINITY), "ratio", "infinity, "),
        (
            |g| {
                g.limits.insert("low/~".into(), f64::NEG_INFINITY);
            },
            "limits.low/~",
            "-infinity, ",
        ),
        (|g| g.history.push(f64::NAN), "history[1]", "NaN, "),
        (
            |g| {
                g.value = 2.0;
                g.history = vec![3.0, f64::INFINITY];
            },
            "history[1]",
            "infinity, ",
        ),
    ];
    for (change, path, what) in cases {
        let base = gauge();
        let mut target = base.clone();
        change(&mut target);
        let patch = base.diff(&target);
        for error in [
            patch.to_json_patch(&base).unwrap_err(),
            patch.to_scim_patch(&base).unwrap_err(),
        ] {
            match &error {
                DialectError::Number {
                    path: at,
                    reason,
                    in_patch: true,
                } => {
                    assert_eq!(at, path);
                    assert!(reason.starts_with(what), "{reason}");
                }
                other => panic!("{other:?}"),
            }
            let text = error.to_string();
            assert!(
                text.starts_with(&format!("the patch's `{path}` is {what}")),
                "{text}"
            );
            assert!(text.contains("removes the attribute"), "{text}");
        }
    }
}

/// An integer wider than 64 bits is written by the merge patch, and named (not serde_json's
/// bare "number out of range") by the outputs built from a `serde_json::Value`.
#[test]
fn the_dialect_outputs_name_an_integer_wider_than_64_bits() {
    let base = gauge();
    let mut target = base.clone();
    target.wide = u128::MAX;
    target.signed = i128::MIN;
    let patch = base.diff(&target);
    let text = serde_json::to_string(&patch).unwrap();
    assert_eq!(
        text,
        r#"{"wide":340282366920938463463374607431768211455,"signed":-170141183460469231731687303715884105728}"#
    );
    assert_eq!(serde_json::from_str::<GaugePatch>(&text).unwrap(), patch);
    if numbers_keep_their_text() {
        // README, "Known limits": a `Value` holds them there, and the two outputs write them.
        let operations = patch.to_json_patch(&base).unwrap();
        assert_eq!(
            serde_json::to_string(&operations).unwrap(),
            r#"[{"op":"add","path":"/signed","value":-170141183460469231731687303715884105728},{"op":"add","path":"/wide","value":340282366920938463463374607431768211455}]"#
        );
        return;
    }
    let error = patch.to_json_patch(&base).unwrap_err();
    assert!(
        matches!(&error, DialectError::Number { path, in_patch: true, .. } if path == "wide"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("340282366920938463463374607431768211455")
    );
    // In the base, too: named as the model's.
    let patch = target.diff(&gauge());
    let error = patch.to_scim_patch(&target).unwrap_err();
    assert!(
        matches!(&error, DialectError::Number { path, in_patch: false, .. } if path == "wide"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("the model's `wide` is the integer"),
        "{error}"
    );
    // 64-bit integers at their ends pass.
    let mut target = gauge();
    target.wide = u128::from(u64::MAX);
    target.signed = i128::from(i64::MIN);
    let operations = gauge().diff(&target).to_json_patch(&gauge()).unwrap();
    assert_eq!(
        serde_json::to_value(&operations).unwrap(),
        json!([
            {"op": "add", "path": "/signed", "value": i64::MIN},
            {"op": "add", "path": "/wide", "value": u64::MAX}
        ])
    );
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ScoredUser {
    username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(flatten)]
    rest: BTreeMap<String, Value>,
}

/// The client does not send a patch whose NaN serde_json would write as `null` (clearing the
/// attribute on the server), with or without its pre-flight checks.
#[tokio::test]
async fn the_client_sends_no_float_that_is_not_finite() {
    let mut user = reference_user();
    user["score"] = json!(7.5);
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    for preflight in [true, false] {
        let client = emulator_bearer_builder(&emulator)
            .preflight(preflight)
            .build()
            .unwrap();
        let base: ScoredUser = client.get_user_as(env, id).await.unwrap();
        for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut target = base.clone();
            target.score = Some(value);
            let patch = base.diff(&target);
            let error = client.update_user(env, id, &patch).await.unwrap_err();
            assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
            let text = error.to_string();
            assert!(text.contains("`score` is "), "{text}");
            assert!(text.contains("nothing was sent"), "{text}");
            let error = client
                .update_user_scim(env, id, &base, &patch)
                .await
                .unwrap_err();
            assert!(
                matches!(&error, Error::Dialect(DialectError::Number { path, .. }) if path == "score"),
                "{error:?}"
            );
        }
    }
    assert!(emulator.requests().iter().all(|r| r.method != "PATCH"));
    assert_eq!(emulator.user(id).unwrap()["score"], json!(7.5));
}

/// The sync job compares numbers by value, as its check of PingOne's answer does: a feed that
/// writes `1.0` (or `1e0`) where the user holds `1` changes nothing, so a line converges even
/// where the server writes back another spelling of the number it stored.
#[tokio::test]
async fn the_sync_job_compares_numbers_by_value() {
    let mut user = reference_user();
    user["score"] = json!(1);
    user["levels"] = json!({"a": [1, 2.5], "b": -0.0});
    let current: sparse_patch::pingone::User = serde_json::from_value(user.clone()).unwrap();
    for (line, expected) in [
        (
            r#"{"username": "dspanner", "score": 1.0, "levels": {"a": [1e0, 2.50], "b": 0}}"#,
            "{}",
        ),
        (
            r#"{"username": "dspanner", "score": 1.5, "levels": {"a": [1.0, 2.5, 3]}}"#,
            r#"{"levels":{"a":[1.0,2.5,3]},"score":1.5}"#,
        ),
        (
            r#"{"username": "dspanner", "score": "1"}"#,
            r#"{"score":"1"}"#,
        ),
    ] {
        let desired = parse_line(1, line, None).unwrap();
        let patch = plan_patch(&current, &desired).unwrap();
        assert_eq!(serde_json::to_string(&patch).unwrap(), expected, "{line}");
    }

    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let client = client(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let line = r#"{"username": "dspanner", "score": 1.0, "levels": {"a": [1e0, 2.50]}}"#;
    let outcome = sync_once(&job, line).await;
    assert_eq!(outcome.status, Status::Unchanged, "{outcome:?}");
    assert!(emulator.requests().iter().all(|r| r.method != "PATCH"));
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Channel {
    frequency: f64,
    name: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Radio {
    #[patchable(key = "frequency")]
    channels: Vec<Channel>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Channel {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Channel".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object"})
    }
}

/// A keyed array whose key is a NaN: `apply` refuses it as an element without a key, and says
/// that the key is NaN, not the `null` that serde_json made of it.
#[test]
fn a_nan_key_is_named_as_nan() {
    let mut radio = Radio {
        channels: vec![Channel {
            frequency: 88.1,
            name: "a".into(),
        }],
    };
    let patch = RadioPatch::new().channels(vec![Channel {
        frequency: f64::NAN,
        name: "b".into(),
    }]);
    let error = radio.apply(patch).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot apply the patch: element 0 of `channels` has no key `frequency` that a filter can compare (a string, number or boolean): the key is NaN, which JSON has no number for (serde_json writes it as `null`)"
    );
    assert_eq!(radio.channels[0].frequency, 88.1);
}

/// serde_json reads an integer outside the 64-bit range as the nearest float: a feed line that
/// holds one would have it sent rounded (`1.2345678901234568e+29`), so the line is invalid and
/// says why. The 64-bit ends, a float literal and digits in a string are taken as written.
#[test]
fn a_feed_integer_wider_than_64_bits_is_refused_not_rounded() {
    let user: sparse_patch::pingone::User = serde_json::from_value(reference_user()).unwrap();
    for wide in [
        "123456789012345678901234567890",
        "18446744073709551616",
        "-9223372036854775809",
    ] {
        let line = format!(r#"{{"username": "dspanner", "badge": {{"serial": [1, {wide}]}}}}"#);
        let error = parse_line(3, &line, None).unwrap_err();
        assert!(matches!(error, LineError::InvalidValue(_)), "{error:?}");
        let text = error.to_string();
        assert!(
            text.starts_with(&format!(
                "the integer {wide} at column {} is outside the 64-bit range",
                line.find(wide).unwrap() + 1
            )),
            "{text}"
        );
    }
    let line = r#"{"username": "dspanner", "max": 18446744073709551615, "min": -9223372036854775808, "float": 1.2345678901234568e29, "text": "123456789012345678901234567890", "quoted": "a\"1234567890123456789012\\"}"#;
    let patch = plan_patch(&user, &parse_line(1, line, None).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"float":1.2345678901234568e+29,"max":18446744073709551615,"min":-9223372036854775808,"quoted":"a\"1234567890123456789012\\","text":"123456789012345678901234567890"}"#
    );
}

/// Key values that a SCIM filter must quote and escape (quotes, backslashes, control
/// characters, brackets, filter words, the empty string, combining and non-BMP characters,
/// U+2028): each element is changed and removed through the emulator's SCIM path, which reaches
/// the target, and the RFC 6902 output escapes the same texts as keys (RFC 6901).
#[tokio::test]
async fn odd_texts_in_filters_and_pointers() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Member {
        username: String,
        #[patchable(key = "type")]
        badges: Vec<Value>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    let texts = [
        "a\"b",
        "back\\slash",
        "ctl\u{1}\n",
        "\u{1F600}",
        "]",
        "x eq \"y\") or (type pr",
        " and ",
        "",
        "e\u{301}",
        "\u{e9}",
        "\u{2028}",
        "a/b~0~1",
        "a.b",
    ];
    let mut user = reference_user();
    user["badges"] = texts
        .iter()
        .enumerate()
        .map(|(level, text)| json!({"type": text, "level": level}))
        .collect();
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let client = client(&emulator);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    for (index, text) in texts.iter().enumerate() {
        let base: Member = client.get_user_as(env, id).await.unwrap();
        assert_eq!(base.badges[index]["type"], *text);
        let mut target = base.clone();
        target.badges[index]["level"] = json!(100 + index);
        let updated = client
            .update_user_scim(env, id, &base, &base.diff(&target))
            .await
            .unwrap();
        assert_eq!(updated.badges, target.badges, "{text:?}");
    }
    let base: Member = client.get_user_as(env, id).await.unwrap();
    let mut target = base.clone();
    target
        .badges
        .retain(|badge| badge["type"] != "" && badge["type"] != "a\"b");
    let patch = base.diff(&target);
    let scim = patch.to_scim_patch(&base).unwrap();
    assert_eq!(scim.operations.len(), 2, "{scim:?}");
    let updated = client
        .update_user_scim(env, id, &base, &patch)
        .await
        .unwrap();
    assert_eq!(updated.badges, target.badges);

    // The same texts as attribute names, in RFC 6902 paths.
    let mut target = base.clone();
    for text in texts {
        target.rest.insert(text.to_owned(), json!(text));
    }
    target.badges = base.badges.clone();
    let operations = base.diff(&target).to_json_patch(&base).unwrap();
    let document: json_patch::Patch =
        serde_json::from_value(serde_json::to_value(&operations).unwrap()).unwrap();
    let mut patched = serde_json::to_value(&base).unwrap();
    json_patch::patch(&mut patched, &document).unwrap();
    assert_eq!(patched, serde_json::to_value(&target).unwrap());
    assert!(
        operations
            .iter()
            .any(|op| matches!(op, sparse_patch::JsonPatchOperation::Add { path, .. } if path == "/a~1b~00~01"))
    );
}

/// Keys compare in any case, character by character: no Unicode normalization, so a username
/// in NFD (`e` and U+0301) does not name the user whose username is in NFC (`é`), and two
/// such lines are not duplicates.
#[tokio::test]
async fn sync_keys_are_not_normalized() {
    let mut user = reference_user();
    user["username"] = json!("ren\u{e9}");
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let client = client(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let lines = vec![
        Ok::<_, std::io::Error>(r#"{"username": "RENE\u0301", "title": "A"}"#.to_owned()),
        Ok(r#"{"username": "REN\u00c9", "title": "B"}"#.to_owned()),
    ];
    let mut outcomes: Vec<_> = job.run(lines).collect().await;
    outcomes.sort_by_key(|outcome| outcome.line);
    let statuses: Vec<_> = outcomes.iter().map(|outcome| outcome.status).collect();
    assert_eq!(statuses, [Status::NotFound, Status::Changed]);
    assert_eq!(emulator.user(emulator.user_id()).unwrap()["title"], "B");
}

/// A name that a SCIM path cannot carry is shown escaped and quoted where backticks would hide
/// it: the empty name, control characters, white space at an end.
#[test]
fn scim_name_errors_show_names_that_backticks_would_hide() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Doc {
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }
    let base = Doc {
        rest: BTreeMap::new(),
    };
    let tail = " cannot be written in a SCIM path: an attribute name is a letter";
    for (name, shown) in [
        ("", r#""" (an empty attribute name)"#),
        ("ctl\u{1}\n", r#""ctl\u{1}\n""#),
        (" x", r#"" x""#),
        ("a b", "`a b`"),
    ] {
        let patch = DocPatch {
            rest: BTreeMap::from([(name.to_owned(), Field::Value(json!(1)))]),
        };
        let error = patch.to_scim_patch(&base).unwrap_err().to_string();
        assert!(error.starts_with(&format!("{shown}{tail}")), "{error}");
    }
    // Below an attribute the base holds, a sub-attribute's path.
    let base = Doc {
        rest: BTreeMap::from([("name".to_owned(), json!({"given": "A"}))]),
    };
    let patch = DocPatch {
        rest: BTreeMap::from([("name".to_owned(), Field::Value(json!({"": 1})))]),
    };
    let error = patch.to_scim_patch(&base).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(r#""name." (an empty attribute name){tail}"#)),
        "{error}"
    );
}

/// How `diff` compares numbers (README, "Known limits"): untyped JSON as serde_json's `Value`
/// does (`1` and `1.0` differ, `-0.0` and `0.0` do not), typed floats with `==`, and integers
/// above 2^53 exactly, as they are written.
#[test]
fn diff_compares_numbers_as_serde_json_and_rust_do() {
    let base = reading(0.0);
    let mut target = base.clone();
    target.value = -0.0;
    target.raw = Some(json!({"value": -0.0}));
    if numbers_keep_their_text() {
        // README, "Known limits": a `Value`'s numbers compare as written there; the typed
        // float still compares with `==`.
        assert_eq!(
            serde_json::to_string(&base.diff(&target)).unwrap(),
            r#"{"raw":{"value":-0.0}}"#
        );
    } else {
        assert!(base.diff(&target).is_empty());
    }

    let mut base = reading(1.0);
    base.raw = Some(json!({"value": 1, "big": 9_007_199_254_740_993_u64}));
    let mut target = base.clone();
    target.raw = Some(json!({"value": 1.0, "big": 9_007_199_254_740_992_u64}));
    assert_eq!(
        serde_json::to_string(&base.diff(&target)).unwrap(),
        r#"{"raw":{"big":9007199254740992,"value":1.0}}"#
    );
}

/// Number keys in SCIM filters: a float that is not a short decimal, a negative zero, a large
/// and a tiny exponent, integers at the 64-bit ends. Each element is changed through the
/// emulator's SCIM path, which finds it by the number the filter writes.
#[tokio::test]
async fn number_keys_in_filters() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Member {
        username: String,
        #[patchable(key = "slot")]
        slots: Vec<Value>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    let keys = [
        json!(0.1 + 0.2),
        json!(-0.0),
        json!(1e300),
        json!(5e-324),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(HARD_FLOATS[0]),
        json!(true),
    ];
    let mut user = reference_user();
    user["slots"] = keys
        .iter()
        .map(|key| json!({"slot": key, "level": 0}))
        .collect();
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let client = client(&emulator);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    for (index, key) in keys.iter().enumerate() {
        let base: Member = client.get_user_as(env, id).await.unwrap();
        assert_eq!(&base.slots[index]["slot"], key);
        let mut target = base.clone();
        target.slots[index]["level"] = json!(index + 1);
        let patch = base.diff(&target);
        assert_eq!(patch.to_scim_patch(&base).unwrap().operations.len(), 1);
        let updated = client
            .update_user_scim(env, id, &base, &patch)
            .await
            .unwrap();
        assert_eq!(updated.slots, target.slots, "{key}");
    }
}

/// A feed's attribute name with control characters (a terminal's escape sequence, a newline
/// that would forge an outcome line in the tool's output) is quoted and escaped in the error,
/// not written as it is; plain names stay plain.
#[test]
fn unknown_names_with_control_characters_are_escaped() {
    let cases = [
        (
            r#"{"username": "u", "\u001b[2Jevil\nline 7    username \"admin\"": 1}"#,
            r#"unknown or read-only attribute(s): "\u{1b}[2Jevil\nline 7    username \"admin\"""#,
        ),
        (
            r#"{"username": "u", "name": {"x\r": 1, "givn": 2}}"#,
            r#"unknown or read-only attribute(s): name.givn, "name.x\r""#,
        ),
        (
            r#"{"username": "u", "enabled": true, "costCentre ": 1}"#,
            r#"unknown or read-only attribute(s): "costCentre ", enabled (it has its own call: PUT /environments/{environmentID}/users/{userID}/enabled)"#,
        ),
    ];
    for (line, expected) in cases {
        let error = parse_line(1, line, None).unwrap_err().to_string();
        assert_eq!(error, expected);
        assert!(!error.chars().any(char::is_control), "{error:?}");
    }
}
