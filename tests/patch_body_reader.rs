//! `PatchDialect` and `Patch::from_body`: one reader for a server that takes a `PATCH` body in
//! the three dialects, and the HTTP status of each refusal (RFC 5789 §2.2, RFC 7644 §3.12). A
//! new user's server wrote the `Content-Type` parsing, three error types, the status mapping
//! and `Accept-Patch` by hand (issue: "one reader").

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{
    ACCEPT_PATCH, JsonPatchError, JsonPatchOperation, Patch, PatchBodyError, PatchDialect,
    Patchable, PointerFault, ScimPatchError,
};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(deny_unknown_fields)]
struct Device {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    tags: Vec<String>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    network: Option<Network>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(deny_unknown_fields)]
struct Network {
    ip: String,
    vlan: Option<u16>,
}

fn stored() -> Device {
    Device {
        name: "sw1".into(),
        notes: None,
        tags: vec!["core".into()],
        network: None,
    }
}

fn scim(operations: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

/// The body read through the `Content-Type`, as a handler does.
fn read(content_type: &str, body: &[u8]) -> Result<DevicePatch, PatchBodyError> {
    let dialect = PatchDialect::from_content_type(content_type)?;
    DevicePatch::from_body(dialect, body, &stored())
}

fn refused(content_type: &str, body: Value) -> PatchBodyError {
    read(content_type, body.to_string().as_bytes()).unwrap_err()
}

/// The same change in the three dialects gives the same patch.
#[test]
fn the_three_dialects_give_one_patch() {
    let wanted = DevicePatch::new().name("sw2").notes("racked");
    let bodies = [
        (
            "application/merge-patch+json",
            json!({"name": "sw2", "notes": "racked"}),
        ),
        (
            "application/json-patch+json",
            json!([{"op": "replace", "path": "/name", "value": "sw2"},
                   {"op": "add", "path": "/notes", "value": "racked"}]),
        ),
        (
            "application/scim+json; charset=utf-8",
            scim(json!([{"op": "replace", "path": "name", "value": "sw2"},
                        {"op": "add", "path": "notes", "value": "racked"}])),
        ),
    ];
    for (content_type, body) in bodies {
        let patch = read(content_type, body.to_string().as_bytes()).unwrap();
        assert_eq!(patch, wanted, "{content_type}");
        let mut device = stored();
        device.apply(patch).unwrap();
        assert_eq!(device.name, "sw2");
    }
}

/// 415 with `Accept-Patch` for a media type that names no dialect, none, and
/// `application/json` (which does not say which one).
#[test]
fn unsupported_media_type_is_415_with_accept_patch() {
    for content_type in [
        "",
        "text/plain",
        "application/json",
        "application/xml; charset=utf-8",
    ] {
        let error = read(content_type, b"{}").unwrap_err();
        assert_eq!(error.status(), 415, "{content_type:?}");
        assert_eq!(error.accept_patch(), Some(ACCEPT_PATCH));
        assert!(
            matches!(&error, PatchBodyError::UnsupportedMediaType(found) if found.content_type() == content_type)
        );
        assert!(error.to_string().contains(ACCEPT_PATCH), "{error}");
        assert_eq!(error.scim_type(), None);
    }
    // A server that reads `application/json` as SCIM says so.
    let dialect =
        PatchDialect::from_content_type_with_json("application/json", PatchDialect::ScimPatchOp)
            .unwrap();
    let body = scim(json!([{"op": "add", "path": "tags", "value": ["edge"]}])).to_string();
    let patch = DevicePatch::from_body(dialect, body.as_bytes(), &stored()).unwrap();
    assert_eq!(
        patch,
        DevicePatch::new().tags(vec!["core".into(), "edge".into()])
    );
}

/// 400 for a body that is no document of its dialect, in each dialect; SCIM's scimType is
/// `invalidSyntax`. No other error says `accept_patch`.
#[test]
fn malformed_body_is_400() {
    let cases: [(&str, &[u8]); 10] = [
        ("application/merge-patch+json", b""),
        ("application/merge-patch+json", b"not json"),
        (
            "application/merge-patch+json",
            b"{\"name\": \"sw2\"} trailing",
        ),
        ("application/json-patch+json", b"{\"name\": \"sw2\"}"),
        (
            "application/json-patch+json",
            br#"[{"op": "frobnicate", "path": "/name"}]"#,
        ),
        (
            "application/json-patch+json",
            br#"[{"op": "remove", "path": "name"}]"#,
        ),
        ("application/json-patch+json", b"["),
        ("application/scim+json", br#"{"Operations": []}"#),
        (
            "application/scim+json",
            br#"[{"op": "remove", "path": "notes"}]"#,
        ),
        ("application/scim+json", b""),
    ];
    for (content_type, body) in cases {
        let error = read(content_type, body).unwrap_err();
        assert!(
            matches!(error, PatchBodyError::Malformed { .. }),
            "{content_type} {error:?}"
        );
        assert_eq!(error.status(), 400, "{content_type}: {error}");
        assert_eq!(error.accept_patch(), None);
        let scim_type = content_type
            .starts_with("application/scim")
            .then_some("invalidSyntax");
        assert_eq!(error.scim_type(), scim_type);
        assert!(error.to_string().starts_with("the body is not "), "{error}");
    }
    // A `move` into its own child breaks RFC 6902 §4.4 whatever the resource holds.
    let error = refused(
        "application/json-patch+json",
        json!([{"op": "move", "from": "/tags", "path": "/tags/0"}]),
    );
    assert!(
        matches!(
            &error,
            PatchBodyError::JsonPatch(JsonPatchError::Operation {
                fault: PointerFault::MoveIntoChild { .. },
                ..
            })
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), 400);
}

/// 422 for a well-formed body whose change the model cannot hold (RFC 5789 §2.2): `null` on
/// a required attribute, a wrong type, an unknown attribute, in merge patch and JSON Patch;
/// and a merge patch that `apply` would refuse on the stored model.
#[test]
fn unprocessable_change_is_422() {
    let cases = [
        (
            "application/merge-patch+json",
            json!({"name": null}),
            "`name`",
        ),
        (
            "application/merge-patch+json",
            json!({"nmae": "sw2"}),
            "`nmae`",
        ),
        (
            "application/merge-patch+json",
            json!({"tags": ["a", 5]}),
            "at `tags[1]`: invalid type: integer `5`, expected a string",
        ),
        (
            "application/merge-patch+json",
            json!([1]),
            "struct DevicePatch",
        ),
        (
            "application/json-patch+json",
            json!([{"op": "remove", "path": "/name"}]),
            "`name`",
        ),
        (
            "application/json-patch+json",
            json!([{"op": "replace", "path": "/name", "value": 5}]),
            "`name`",
        ),
        (
            "application/json-patch+json",
            json!([{"op": "add", "path": "/nmae", "value": "x"}]),
            "`nmae`",
        ),
        (
            "application/json-patch+json",
            json!([{"op": "remove", "path": ""}]),
            "whole document",
        ),
    ];
    for (content_type, body, named) in cases {
        let error = refused(content_type, body.clone());
        assert_eq!(error.status(), 422, "{body}: {error}");
        assert!(error.to_string().contains(named), "{body}: {error}");
        assert_eq!(error.scim_type(), None);
    }
    // A nested object built without its required `ip`: read, but `apply` would refuse it.
    let error = refused(
        "application/merge-patch+json",
        json!({"network": {"vlan": 5}}),
    );
    assert!(matches!(error, PatchBodyError::Apply(_)), "{error:?}");
    assert_eq!(error.status(), 422);
    assert!(error.to_string().contains("`network.ip`"), "{error}");
}

/// 409 for JSON Patch operations that the resource's present state refuses (RFC 5789 §2.2
/// "Conflicting state"): a path to nothing, a `test` that fails.
#[test]
fn conflicting_state_is_409() {
    for body in [
        json!([{"op": "replace", "path": "/notes", "value": "x"}]),
        json!([{"op": "remove", "path": "/tags/3"}]),
        json!([{"op": "replace", "path": "/name", "value": "sw2"},
               {"op": "test", "path": "/tags/0", "value": "edge"}]),
    ] {
        let error = refused("application/json-patch+json", body.clone());
        assert!(
            matches!(
                error,
                PatchBodyError::JsonPatch(JsonPatchError::Operation { .. })
            ),
            "{error:?}"
        );
        assert_eq!(error.status(), 409, "{body}: {error}");
    }
}

/// A SCIM body's refusals are 400 with their scimType (RFC 7644 §3.12), `null` on a required
/// attribute (`invalidValue`) too, where a merge patch's is 422.
#[test]
fn scim_refusals_are_400_with_scim_type() {
    let cases = [
        (json!([{"op": "remove", "path": "name"}]), "invalidValue"),
        (
            json!([{"op": "replace", "path": "name", "value": 5}]),
            "invalidValue",
        ),
        (json!([{"op": "remove"}]), "noTarget"),
        (
            json!([{"op": "replace", "path": "tags[value eq \"x\"]", "value": {}}]),
            "invalidFilter",
        ),
        (
            json!([{"op": "add", "path": "name..x", "value": 1}]),
            "invalidPath",
        ),
    ];
    for (operations, scim_type) in cases {
        let error = refused("application/scim+json", scim(operations.clone()));
        assert!(matches!(error, PatchBodyError::Scim(_)), "{error:?}");
        assert_eq!(
            (error.status(), error.scim_type()),
            (400, Some(scim_type)),
            "{operations}: {error}"
        );
    }
}

/// A SCIM body's refusal has RFC 7644 §3.12's error body, `status` a string and `scimType`
/// beside it, also for a body that is no PatchOp message; an error of the server's own has no
/// `scimType`; the other dialects' errors have no SCIM body.
#[test]
fn scim_refusals_have_the_scim_error_body() {
    let error = refused(
        "application/scim+json",
        scim(json!([{"op": "remove", "path": "name"}])),
    );
    let answer = error.scim_error().expect("a SCIM error body");
    assert_eq!(
        answer,
        json!({
            "schemas": [sparse_patch::SCIM_ERROR_SCHEMA],
            "status": "400",
            "scimType": "invalidValue",
            "detail": error.to_string(),
        })
    );
    assert_eq!(
        sparse_patch::SCIM_ERROR_SCHEMA,
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    let malformed = refused("application/scim+json", json!([]));
    let answer = malformed.scim_error().expect("a SCIM error body");
    assert_eq!(
        (&answer["status"], &answer["scimType"]),
        (&json!("400"), &json!("invalidSyntax"))
    );
    let failure = serde_json::from_str::<Value>("x").unwrap_err();
    let answer = PatchBodyError::from(ScimPatchError::Serialize(failure))
        .scim_error()
        .expect("a SCIM error body");
    assert_eq!(answer["status"], "500");
    assert!(answer.get("scimType").is_none(), "{answer}");
    for (content_type, body) in [
        ("application/merge-patch+json", json!({"name": null})),
        (
            "application/json-patch+json",
            json!([{"op": "remove", "path": "/name"}]),
        ),
        ("application/json-patch+json", json!({})),
        ("text/plain", json!({})),
    ] {
        assert_eq!(
            refused(content_type, body).scim_error(),
            None,
            "{content_type}"
        );
    }
}

/// 500 where the server's own model does not serialize: the server's fault, not the body's.
#[test]
fn a_model_that_does_not_serialize_is_500() {
    let failure = || serde_json::from_str::<Value>("x").unwrap_err();
    let json_patch = PatchBodyError::from(JsonPatchError::Serialize(failure()));
    assert_eq!(json_patch.status(), 500);
    let scim = PatchBodyError::from(ScimPatchError::Serialize(failure()));
    assert_eq!((scim.status(), scim.scim_type()), (500, None));
    // A model serialized to no JSON object (RFC 7643 §2: a SCIM resource is one): the
    // server's model, not the body (mutation audit 148: 400 for it changed no test).
    let not_an_object = PatchBodyError::from(ScimPatchError::NotAnObject { found: "an array" });
    assert_eq!(not_an_object.status(), 500);
    // Limits on what `copy` builds: well-formed, and refused whatever the resource holds.
    let limit = PatchBodyError::from(JsonPatchError::CopyLimit {
        index: 0,
        copied: 2,
        limit: 1,
    });
    assert_eq!(limit.status(), 422);
    let depth = PatchBodyError::from(JsonPatchError::DepthLimit {
        index: 0,
        depth: 3,
        limit: 2,
    });
    assert_eq!(depth.status(), 422);
}

/// The operations read by `from_body` are those that `from_json_patch` reads.
#[test]
fn from_body_reads_json_patch_as_from_json_patch_does() {
    let body = json!([{"op": "add", "path": "/tags/-", "value": "edge"}]);
    let operations: Vec<JsonPatchOperation> = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        read("application/json-patch+json", body.to_string().as_bytes()).unwrap(),
        DevicePatch::from_json_patch(&stored(), &operations).unwrap()
    );
}

/// A merge patch body that is no JSON is 400 even where serde refuses an attribute before it
/// reaches the fault (it stops at the first attribute the patch refuses): cut short after an
/// unknown or `null` required attribute, or followed by garbage after a value of the wrong
/// type. The text says what is wrong with the JSON. Before, each was 422 ("the merge patch is
/// not one that this resource takes"), naming the attribute, as though the body were JSON.
#[test]
fn a_merge_patch_that_is_no_json_is_400_whatever_serde_refuses_first() {
    let cases: [(&[u8], &str); 4] = [
        (br#"{"nmae": 1, "#, "EOF while parsing"),
        (br#"{"name": null, garbage"#, "key must be a string"),
        (br#"{"name": 5} trailing"#, "trailing characters"),
        (b"[1] trailing", "trailing characters"),
    ];
    for (body, said) in cases {
        let error = read("application/merge-patch+json", body).unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(error, PatchBodyError::Malformed { .. }),
            "{:?}: {error:?}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(error.status(), 400, "{text}");
        assert!(
            text.starts_with("the body is not a JSON merge patch (RFC 7396): ")
                && text.contains(said),
            "{text}"
        );
    }
    // JSON whose attribute the patch refuses is still 422, however the JSON goes on.
    let error = read(
        "application/merge-patch+json",
        br#"{"nmae": 1, "tags": [[[]]]}"#,
    )
    .unwrap_err();
    assert_eq!(error.status(), 422, "{error}");
}

/// A body's encoding (RFC 8259 §8.1): a UTF-8 byte order mark is ignored, as RFC 8259 lets
/// a reader (Windows tools write one); a body in UTF-16 or UTF-32 is 400 with a text that
/// says so, in each dialect. Before, the first was 400 and both said "expected value at
/// line 1 column 1", which told the client nothing of what it had sent.
#[test]
fn a_byte_order_mark_is_ignored_and_utf16_is_named() {
    let merge = br#"{"name": "sw2"}"#;
    let with_mark = [b"\xEF\xBB\xBF".as_slice(), merge].concat();
    assert_eq!(
        read("application/merge-patch+json", &with_mark).unwrap(),
        DevicePatch::new().name("sw2")
    );
    let json_patch = br#"[{"op": "replace", "path": "/name", "value": "sw2"}]"#;
    let scim_body = scim(json!([{"op": "replace", "path": "name", "value": "sw2"}])).to_string();
    for (content_type, body) in [
        ("application/merge-patch+json", merge.as_slice()),
        ("application/json-patch+json", json_patch.as_slice()),
        ("application/scim+json", scim_body.as_bytes()),
    ] {
        let with_mark = [b"\xEF\xBB\xBF".as_slice(), body].concat();
        assert!(read(content_type, &with_mark).is_ok(), "{content_type}");
        let little_endian: Vec<u8> = String::from_utf8(body.to_vec())
            .unwrap()
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let with_utf16_mark = [b"\xFF\xFE".as_slice(), &little_endian].concat();
        for utf16 in [little_endian, with_utf16_mark] {
            let error = read(content_type, &utf16).unwrap_err();
            assert!(
                matches!(error, PatchBodyError::Malformed { .. }),
                "{error:?}"
            );
            assert_eq!(error.status(), 400);
            assert!(
                error.to_string().contains("the body is UTF-16 or UTF-32"),
                "{error}"
            );
        }
    }
}

/// Any JSON value of a few members, each a value of any kind.
fn any_member_value() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[a-z0-9.]{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![Just("ip"), Just("vlan"), Just("x")].prop_map(str::to_owned),
                inner,
                0..3
            )
            .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest::proptest! {
    /// A merge patch read by `from_body` always applies to its base, and `from_body` refuses
    /// a patch that serde reads exactly where `apply` would refuse it (RFC 5789 §2.2: the
    /// 422 of a change the resource cannot take comes before, not after, the change).
    #[test]
    fn a_merge_patch_read_always_applies_and_refuses_what_apply_refuses(
        members in proptest::collection::btree_map(
            proptest::prop_oneof![
                proptest::strategy::Just("name"),
                proptest::strategy::Just("notes"),
                proptest::strategy::Just("tags"),
                proptest::strategy::Just("network"),
            ],
            any_member_value(),
            0..4,
        ),
        with_network in proptest::bool::ANY,
    ) {
        let mut base = stored();
        if with_network {
            base.network = Some(Network { ip: "10.0.0.1".into(), vlan: None });
        }
        let body = Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
        let read = DevicePatch::from_body(PatchDialect::MergePatch, body.to_string().as_bytes(), &base);
        let serde_read = serde_json::from_value::<DevicePatch>(body.clone());
        match (read, serde_read) {
            (Ok(patch), Ok(same)) => {
                proptest::prop_assert_eq!(&patch, &same);
                let mut applied = base.clone();
                proptest::prop_assert!(applied.apply(patch).is_ok(), "{}", body);
            }
            (Err(PatchBodyError::Apply(error)), Ok(same)) => {
                let mut applied = base.clone();
                let refused = applied.apply(same).unwrap_err();
                proptest::prop_assert_eq!(error.to_string(), refused.to_string());
            }
            (Err(error), Ok(_)) => proptest::prop_assert!(false, "{body}: {error}"),
            (Ok(_), Err(error)) => proptest::prop_assert!(false, "{body}: serde refused: {error}"),
            (Err(error), Err(_)) => {
                proptest::prop_assert_eq!(error.status(), 422, "{}: {}", body, error);
            }
        }
    }
}

/// A ticket whose `number` the server sets: read-only (`skip`), with and without
/// `deny_unknown_fields`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(deny_unknown_fields)]
struct StrictTicket {
    title: String,
    #[patchable(skip)]
    number: u64,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LaxTicket {
    title: String,
    #[patchable(skip)]
    number: u64,
}

/// docs/common_tasks, "Take all three PATCH dialects": "A read-only (`skip`) attribute that a
/// body sets is refused as an unknown field under `deny_unknown_fields`, and dropped without
/// it", in each dialect; and "A SCIM `remove` whose filter matches nothing succeeds and
/// changes nothing". Review 156: the claims had no test.
#[test]
fn a_read_only_attribute_set_is_refused_or_dropped_in_every_dialect() {
    let bodies = [
        (PatchDialect::MergePatch, json!({"number": 7})),
        (
            PatchDialect::JsonPatch,
            json!([{"op": "replace", "path": "/number", "value": 7}]),
        ),
        (
            PatchDialect::ScimPatchOp,
            scim(json!([{"op": "replace", "path": "number", "value": 7}])),
        ),
    ];
    for (dialect, body) in bodies {
        let body = body.to_string();
        let strict = StrictTicket {
            title: "Printer".into(),
            number: 1,
        };
        let error = StrictTicketPatch::from_body(dialect, body.as_bytes(), &strict).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `number`"),
            "{dialect}: {error}"
        );
        let lax = LaxTicket {
            title: "Printer".into(),
            number: 1,
        };
        let patch = LaxTicketPatch::from_body(dialect, body.as_bytes(), &lax).unwrap();
        assert!(patch.is_empty(), "{dialect}: {patch:?}");
    }
    let nothing = scim(json!([{"op": "remove", "path": "tags[value eq \"absent\"]"}]));
    let patch = read("application/scim+json", nothing.to_string().as_bytes()).unwrap();
    assert!(patch.is_empty(), "{patch:?}");
}

/// A JSON Pointer or a `Content-Type` from the request is quoted in the text up to 200
/// characters, with its length: a path of 100,000 tokens, or of a megabyte, made an error text
/// of megabytes, one line of a server's log. A short one is quoted whole, as before.
#[test]
fn a_long_pointer_or_content_type_is_quoted_cut() {
    let long = "a".repeat(1_000_000);
    let tokens = "/a".repeat(100_000);
    let shown = |error: PatchBodyError| {
        let text = error.to_string();
        assert!(text.chars().count() < 1_000, "{} characters", text.len());
        text
    };
    let text = shown(refused(
        "application/json-patch+json",
        json!([{"op": "remove", "path": tokens}]),
    ));
    let quoted = format!("{:?}… (200000 characters)", "/a".repeat(100));
    assert_eq!(
        text,
        format!(
            "operation 0 (`remove` at {quoted}) cannot be applied: nothing is at \"/a\" \
             (`remove`, `replace`, `test` and a `from` need their target, `add` its parent: \
             RFC 6902 §4); no operation is applied (RFC 6902 §5)"
        )
    );
    let text = shown(refused(
        "application/json-patch+json",
        json!([{"op": "move", "from": format!("/{long}"), "path": "/name"}]),
    ));
    assert!(
        text.starts_with("operation 0 (`move` from \"/aaa")
            && text.contains("… (1000001 characters) to \"/name\")"),
        "{text}"
    );
    let text = shown(refused(
        "application/json-patch+json",
        json!([{"op": "remove", "path": long}]),
    ));
    assert!(
        text.contains("… (1000000 characters) is not a JSON Pointer"),
        "{text}"
    );
    let text = shown(read(&format!("text/{long}"), b"{}").unwrap_err());
    assert!(
        text.contains("… (1000005 characters) is not a patch media type"),
        "{text}"
    );
    // Short ones whole, as before.
    assert_eq!(
        shown(read("text/x\n", b"{}").unwrap_err()),
        "the Content-Type \"text/x\\n\" is not a patch media type that this resource takes; it \
         takes application/merge-patch+json, application/json-patch+json, application/scim+json \
         (RFC 5789 §2.2)"
    );
}

/// serde's message about the body, in the text: a member's name that it quotes as it is
/// (``unknown field `…` ``) with its control characters, line breaks and bidirectional
/// overrides escaped, and a value that it quotes (a megabyte string) cut, keeping what was
/// expected: the text, one line of a log, neither drives the terminal nor holds a megabyte.
#[test]
fn serde_messages_about_the_body_are_escaped_and_cut() {
    let hostile = "x\n\u{1b}[2J\u{202e}y";
    let long = "a".repeat(1_000_000);
    let shown = |error: PatchBodyError| {
        let text = error.to_string();
        assert!(text.chars().count() < 2_000, "{} characters", text.len());
        assert!(
            !text.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{text:?}"
        );
        text
    };
    let text = shown(refused("application/merge-patch+json", json!({hostile: 1})));
    assert_eq!(
        text,
        "the merge patch is not one that this resource takes: at `\"x\\n\\u{1b}[2J\\u{202e}y\"`: \
         unknown field `x\\n\\u{1b}[2J\\u{202e}y`, expected one of `name`, `notes`, `tags`, \
         `network` at line 1 column 19"
    );
    shown(refused(
        "application/json-patch+json",
        json!([{"op": "add", "path": format!("/{hostile}"), "value": 1}]),
    ));
    shown(refused(
        "application/scim+json",
        scim(json!([{"op": "add", "path": "name", "value": [hostile]}])),
    ));
    let text = shown(refused(
        "application/merge-patch+json",
        json!({"tags": long}),
    ));
    assert!(
        text.contains(" characters), expected a sequence at line 1"),
        "{text}"
    );
    let text = shown(refused(
        "application/merge-patch+json",
        json!({format!("{long}\n"): 1}),
    ));
    assert!(
        text.contains(" characters), expected one of `name`"),
        "{text}"
    );
}

/// A SCIM operation's `path` is quoted in the text up to 200 characters, with its length: a
/// path of 100,000 attribute names made a text of 200,000 characters.
#[test]
fn a_long_scim_path_is_quoted_cut() {
    let path = "a.".repeat(100_000);
    let text = refused(
        "application/scim+json",
        scim(json!([{"op": "remove", "path": path}])),
    )
    .to_string();
    assert!(text.chars().count() < 1_000, "{} characters", text.len());
    assert!(
        text.starts_with(&format!(
            "operation 0 (`remove` at {:?}… (200000 characters)) cannot be applied",
            "a.".repeat(100)
        )),
        "{text}"
    );
}
