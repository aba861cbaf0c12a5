//! Every public error type of the crate's root: its text and `Debug` for hostile input
//! (`support/error_text.rs`: a megabyte of one character, of line ends and ANSI escapes, of
//! wide characters, of bidi overrides and zero-width spaces, and a short one), built through
//! the public API. `unwrap`, `expect`, a `main` that returns the error, `tracing`'s `?error`
//! and a log line print them: each stays within a few kilobytes, escapes every character that
//! would drive a terminal or break a line, and still says what is at fault. The errors' fields
//! keep everything. `pingone`'s errors: tests/pingone_error_text_bounds.rs.

#[path = "support/error_text.rs"]
mod error_text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{
    ApplyError, JsonPatchOperation, Patch, PatchBodyError, PatchDialect, Patchable, ScimPatch,
    apply_json_patch, apply_scim_patch, diff_keyed,
};

use error_text::{INPUT_CHARS, bounded, bounded_debug, inputs, refused};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(deny_unknown_fields)]
struct Device {
    name: String,
    tags: Vec<String>,
    extra: Option<Value>,
    labels: BTreeMap<String, String>,
    #[patchable(key = "value")]
    emails: Vec<Email>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Email {
    value: Value,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Email {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Email".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["value"]})
    }
}

fn stored() -> Device {
    Device {
        name: "sw1".into(),
        tags: Vec::new(),
        extra: None,
        labels: BTreeMap::new(),
        emails: Vec::new(),
    }
}

/// A `PATCH` body read as a handler reads it.
fn read(content_type: &str, body: &Value) -> Result<DevicePatch, PatchBodyError> {
    let dialect = PatchDialect::from_content_type(content_type)?;
    DevicePatch::from_body(dialect, body.to_string().as_bytes(), &stored())
}

fn scim(operations: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

/// A `Content-Type` of a megabyte: the text quoted 200 characters of it, and its `Debug`
/// (derived) all of it.
#[test]
fn a_refused_content_type_is_cut_in_debug_too() {
    for input in inputs() {
        let error = refused(PatchDialect::from_content_type(&format!("text/{input}")));
        let (text, debug) = bounded("UnsupportedMediaType", &error);
        assert!(text.contains("is not a patch media type"), "{text}");
        assert!(
            debug.starts_with("UnsupportedMediaType { content_type: \"text/"),
            "{debug}"
        );
        assert_eq!(error.content_type().len(), input.len() + 5);
        let (_, debug) = bounded(
            "PatchBodyError",
            &refused(read(&format!("text/{input}"), &json!({}))),
        );
        assert!(debug.contains("UnsupportedMediaType"), "{debug}");
    }
}

/// serde's message about a body that is no document of its dialect quotes an unknown `op`
/// whole and as it is (``unknown variant `x⏎…` ``), and the runtime's own quoted a PatchOp
/// message's `schemas` whole: a line end or an escape in them reached the log as it is, and a
/// megabyte of them went whole into the text and `Debug`. Escaped and shortened now, keeping
/// what was expected and the position.
#[test]
fn a_malformed_bodys_message_is_escaped_and_cut() {
    for input in inputs() {
        for (content_type, body) in [
            (
                "application/json-patch+json",
                json!([{"op": input, "path": "/name"}]),
            ),
            (
                "application/scim+json",
                scim(json!([{"op": input, "path": "name"}])),
            ),
        ] {
            let error = refused(read(content_type, &body));
            let (text, debug) = bounded("PatchBodyError::Malformed", &error);
            assert_eq!(error.status(), 400);
            assert!(text.contains("unknown variant"), "{text}");
            assert!(text.contains("expected one of"), "{text}");
            assert!(text.contains(" at line 1 column "), "{text}");
            assert!(debug.starts_with("Malformed { dialect: "), "{debug}");
            assert!(debug.contains(", line: 1, column: "), "{debug}");
        }
        let error = refused(read(
            "application/scim+json",
            &json!({"schemas": [input, input], "Operations": []}),
        ));
        let (text, _) = bounded("PatchBodyError::Malformed", &error);
        assert!(text.contains("do not list urn:ietf:params:scim:api:messages:2.0:PatchOp"));
    }
}

/// A JSON Pointer of a megabyte (a `path` or a `from` of the body): the text quoted 200
/// characters of it, and the derived `Debug` of `JsonPatchError` and `PointerFault` all of it,
/// twice (the operation's and the fault's).
#[test]
fn a_json_pointer_is_cut_in_debug_too() {
    for input in inputs() {
        for operation in [
            json!({"op": "remove", "path": format!("/{input}")}),
            json!({"op": "move", "from": format!("/{input}"), "path": "/x"}),
            json!({"op": "add", "path": format!("/name/{input}"), "value": 1}),
        ] {
            let operations: Vec<JsonPatchOperation> =
                serde_json::from_value(json!([operation])).unwrap();
            let error = refused(apply_json_patch(&mut json!({"name": "a"}), &operations));
            let (text, debug) = bounded("JsonPatchError", &error);
            assert!(text.starts_with("operation 0 (`"), "{text}");
            assert!(debug.starts_with("Operation { index: 0, op: "), "{debug}");
            let error = refused(read("application/json-patch+json", &json!([operation])));
            let (text, _) = bounded("PatchBodyError::JsonPatch", &error);
            assert!(text.contains("cannot be applied"), "{text}");
        }
    }
}

/// A SCIM `path`, an attribute, a member's name or a filter's value of a megabyte: the text
/// quoted and cut them, and the derived `Debug` of `ScimPatchError` and `ScimFault` held them
/// whole.
#[test]
fn a_scim_path_and_its_fault_are_cut_in_debug_too() {
    for input in inputs() {
        let filter = format!("emails[value eq {}]", json!(input));
        let cases = [
            (
                json!([{"op": "replace", "path": format!("{input}.sub"), "value": 1}]),
                json!({input.as_str(): "s"}),
            ),
            (
                json!([{"op": "replace", "path": filter, "value": {}}]),
                json!({"emails": ["s"]}),
            ),
            (
                json!([{"op": "add", "value": {format!("{input} x"): 1}}]),
                json!({}),
            ),
            (
                json!([{"op": "replace", "path": format!("{input}[value eq 1]"), "value": {}}]),
                json!({input.as_str(): [{}]}),
            ),
        ];
        for (operations, mut document) in cases {
            let patch: ScimPatch = serde_json::from_value(scim(operations.clone())).unwrap();
            let error = refused(apply_scim_patch(&mut document, &patch));
            let (text, debug) = bounded("ScimPatchError", &error);
            assert!(text.contains("cannot be applied"), "{text}");
            assert!(debug.starts_with("Operation { index: 0, op: "), "{debug}");
            if let Err(error) = read("application/scim+json", &scim(operations)) {
                bounded("PatchBodyError::Scim", &error);
            }
        }
    }
}

/// A `remove` of an attribute name of a megabyte that the patch does not know: the text of
/// `ScimPatchError::Patch` named it whole, twice (``at `aaa…`: unknown field `aaa…` ``).
#[test]
fn a_removed_name_the_patch_does_not_know_is_cut() {
    let name = "a".repeat(INPUT_CHARS);
    let error = refused(read(
        "application/scim+json",
        &scim(json!([{"op": "remove", "path": name}])),
    ));
    let (text, _) = bounded("ScimPatchError::Patch", &error);
    assert!(
        text.contains("… (1048576 characters)`: unknown field `aaa"),
        "{text}"
    );
    assert!(text.contains("expected one of `name`"), "{text}");
}

/// A map key or untyped JSON's member name of a megabyte (data, from a request) that no SCIM
/// path can carry, or two that differ only in case: the text and `Debug` of `DialectError`
/// (and of `ComposeConflict`, which shows a path alike) held it whole.
#[test]
fn a_dialect_error_or_compose_conflict_cuts_its_path() {
    for input in inputs() {
        let mut target = stored();
        target.labels.insert(format!("{input} x"), "x".into());
        let error = refused(stored().diff(&target).to_scim_patch(&stored()));
        let (text, debug) = bounded("DialectError::ScimName", &error);
        assert!(text.contains("cannot be written in a SCIM path"), "{text}");
        assert!(debug.starts_with("ScimName { path: \"labels."), "{debug}");
        let mut target = stored();
        target.extra = Some(json!({input.as_str(): 1, input.to_uppercase(): 2}));
        let error = refused(stored().diff(&target).to_scim_patch(&stored()));
        let (text, _) = bounded("DialectError::ScimNameCase", &error);
        assert!(
            text.contains("name one attribute in SCIM")
                || text.contains("cannot be written in a SCIM path"),
            "{text}"
        );

        let first: DevicePatch =
            serde_json::from_value(json!({"extra": {input.as_str(): null}})).unwrap();
        let next: DevicePatch =
            serde_json::from_value(json!({"extra": {input.as_str(): {"a": 1}}})).unwrap();
        let error = refused(first.then(next));
        let (text, debug) = bounded("ComposeError", &error);
        assert!(text.starts_with("cannot compose the patches"), "{text}");
        assert!(
            debug.starts_with("ComposeError { path: \"extra."),
            "{debug}"
        );
        bounded("ComposeConflict", error.conflict());
        assert_eq!(error.names().nth(1), Some(input.as_str()));
    }
}

/// The value of a key that two elements share, given to `ApplyError::duplicate_key` as it is:
/// its text wrote it raw and whole (a derived patch gives it escaped and cut; a model's own
/// code may not).
#[test]
fn an_apply_errors_value_is_escaped_and_cut() {
    for input in inputs() {
        let error = ApplyError::duplicate_key("emails", "value", input.clone());
        let (text, _) = bounded("ApplyError", &error);
        assert!(
            text.contains("two elements of `emails` have the key `value`"),
            "{text}"
        );
        bounded_debug("ApplyErrorKind", error.kind());
        assert_eq!(error.duplicate_key_value(), Some(input.as_str()));
        let error = ApplyError::element_without_key("emails", "value", 3, input.clone());
        bounded("ApplyError", &error);
        // Through a derived patch, as before.
        let patch: DevicePatch =
            serde_json::from_value(json!({"emails": [{"value": input}, {"value": input}]}))
                .unwrap();
        bounded("ApplyError", &refused(stored().apply(patch)));
    }
}

/// A keyed array named by the caller ([`diff_keyed`]'s `attribute` and `key`, of any length),
/// whose elements share a key of a megabyte or hold one that no filter compares: the text
/// wrote the names in backticks as they are, and the text and `Debug` the value whole.
#[test]
fn a_keyed_arrays_names_and_value_are_escaped_and_cut() {
    for input in inputs() {
        let shared = json!({input.as_str(): input});
        let error = refused(diff_keyed(&input, &input, &[], &[shared.clone(), shared]));
        let (text, debug) = bounded("DialectError::DuplicateKey", &error);
        assert!(
            text.contains("a keyed array's elements need distinct keys"),
            "{text}"
        );
        assert!(debug.starts_with("DuplicateKey { attribute: \""), "{debug}");
        let error = refused(diff_keyed(
            &input,
            &input,
            &[],
            &[json!({input.as_str(): [input]})],
        ));
        let (text, debug) = bounded("DialectError::ElementWithoutKey", &error);
        assert!(text.contains("that a filter can compare"), "{text}");
        assert!(
            debug.starts_with("ElementWithoutKey { attribute: \""),
            "{debug}"
        );
    }
}
