//! The key of a keyed array is the element's serialized attribute name (docs/apply_and_diff,
//! "Keyed arrays"): `key = "type"` for a field renamed `type` (or written `r#type`). A name
//! that no element holds, such as the field's Rust name beside its `rename`, compiles; `apply`
//! and the SCIM output then refuse the elements, naming the key, and change nothing.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{ApplyErrorKind, DialectError, Patch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Phone {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Phone {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Phone".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["type", "value"]})
    }
}

/// Keyed by the serialized name.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Serialized {
    #[patchable(key = "type")]
    phones: Vec<Phone>,
}

/// Keyed by the field's Rust name, which no element's JSON holds.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RustName {
    #[patchable(key = "kind")]
    phones: Vec<Phone>,
}

fn phone(kind: &str, value: &str) -> Phone {
    Phone {
        kind: kind.into(),
        value: value.into(),
    }
}

#[test]
fn the_serialized_name_keys_the_elements() {
    let base = Serialized {
        phones: vec![phone("work", "1"), phone("home", "2")],
    };
    let mut target = base.clone();
    target.phones[0].value = "3".into();
    let mut model = base.clone();
    model.apply(base.diff(&target)).unwrap();
    assert_eq!(model, target);
    let scim = base.diff(&target).to_scim_patch(&base).unwrap();
    assert_eq!(
        serde_json::to_value(&scim.operations).unwrap(),
        json!([{"op": "replace", "path": "phones[type eq \"work\"].value", "value": "3"}])
    );
}

#[test]
fn a_name_that_no_element_holds_compiles_and_is_refused_naming_the_key() {
    let base = RustName {
        phones: vec![phone("work", "1")],
    };
    let target = RustName {
        phones: vec![phone("work", "3")],
    };
    let mut model = base.clone();
    let error = model.apply(base.diff(&target)).unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ApplyErrorKind::ElementWithoutKey {
                key: "kind",
                index: 0,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("(the key is the element's serialized attribute name)"),
        "{error}"
    );
    assert_eq!(model, base);
    let error = base.diff(&target).to_scim_patch(&base).unwrap_err();
    assert!(
        matches!(
            &error,
            DialectError::ElementWithoutKey { key, in_patch: true, .. } if key == "kind"
        ),
        "{error:?}"
    );
}
