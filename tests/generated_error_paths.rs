//! The generated code checks, applies, builds and writes every field through one runtime call
//! that gathers the fields' results (issue 8: no `match` or `?` per field). These tests pin
//! what that must not change: the first error in field order wins, nothing is applied or built
//! when a check fails, and writing a patch stops at the first field that fails to serialize.

use std::cell::Cell;

use serde::{Serialize, Serializer};
use sparse_patch::{FromPatch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Inner {
    required: String,
    optional: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Outer {
    title: String,
    #[patchable(nested)]
    first: Option<Inner>,
    #[patchable(nested)]
    second: Option<Inner>,
    note: Option<String>,
}

fn outer() -> Outer {
    Outer {
        title: "before".into(),
        first: None,
        second: None,
        note: Some("kept".into()),
    }
}

#[test]
fn the_first_failing_field_names_the_error_and_nothing_is_applied() {
    let mut model = outer();
    // Both nested patches land on `None` without their required attribute: two errors, and
    // the plain fields around them would apply.
    let patch = OuterPatch::new()
        .title("after")
        .first(InnerPatch::new().optional("x"))
        .second(InnerPatch::new().optional("y"))
        .clear_note();
    let error = model.apply(patch).unwrap_err();
    assert_eq!(error.path(), "first.required");
    assert_eq!(model, outer(), "a failed apply leaves the model as it was");
}

#[test]
fn building_from_a_patch_reports_the_first_missing_attribute_in_field_order() {
    let error = Outer::from_patch(OuterPatch::new().second(InnerPatch::new())).unwrap_err();
    assert_eq!(error.path(), "title");
    let error = Outer::from_patch(
        OuterPatch::new()
            .title("t")
            .first(InnerPatch::new())
            .second(InnerPatch::new()),
    )
    .unwrap_err();
    assert_eq!(error.path(), "first.required");
    let built = Outer::from_patch(OuterPatch::new().title("t").clear_note()).unwrap();
    assert_eq!(
        built,
        Outer {
            title: "t".into(),
            first: None,
            second: None,
            note: None
        }
    );
}

thread_local! {
    static WRITES_AFTER_FAILURE: Cell<usize> = const { Cell::new(0) };
}

/// A value that refuses to be serialized.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct Refused;

impl Serialize for Refused {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("refused on purpose"))
    }
}

/// A value that counts how often it is serialized. It is written `true`: a required
/// attribute's value written `null` is refused (it would remove the attribute), and this
/// counter was `()`, whose `null` the patch now refuses to send.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct Counted;

impl Serialize for Counted {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WRITES_AFTER_FAILURE.with(|count| count.set(count.get() + 1));
        serializer.serialize_bool(true)
    }
}

// The feature `schemars` (on in the tests) asks every field type for its schema: these
// write nothing useful.
impl schemars::JsonSchema for Refused {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Refused".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!(false)
    }
}

impl schemars::JsonSchema for Counted {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Counted".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "boolean" })
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Writes {
    refused: Refused,
    counted: Counted,
}

#[test]
fn writing_a_patch_stops_at_the_first_field_that_fails() {
    let patch = WritesPatch::new().refused(Refused).counted(Counted);
    let error = serde_json::to_string(&patch).unwrap_err();
    assert!(error.to_string().contains("refused on purpose"), "{error}");
    assert_eq!(WRITES_AFTER_FAILURE.with(Cell::get), 0);
    // The counted field is written when nothing fails before it.
    let json = serde_json::to_string(&WritesPatch::new().counted(Counted)).unwrap();
    assert_eq!(json, r#"{"counted":true}"#);
    assert_eq!(WRITES_AFTER_FAILURE.with(Cell::get), 1);
}
