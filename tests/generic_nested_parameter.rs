//! Issue 8, fault "bounds for type parameters must be inferred for every field kind":
//! `#[patchable(nested)]` on a bare type parameter, as `Option<T>` (an absent nested value is
//! built from the patch, which needs `T: FromPatch`), as a required `T`, and flattened
//! (`#[serde(flatten)] #[patchable(nested)] flat: T`). The models derive with no bounds written
//! by the user, and read, write, apply and diff with a concrete `Patchable` type for `T`.
//!
//! `Maybe<T>` does not compile before the fix (the derive infers `T: Patchable` but not
//! `T: FromPatch`); this is a file of its own so that the rest of the suite still builds.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{Field, Patchable};

/// The concrete nested model used for `T`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pet {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    nick_name: Option<String>,
}

fn pet(name: &str) -> Pet {
    Pet {
        name: name.into(),
        nick_name: None,
    }
}

/// A nullable nested value of a type parameter.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Maybe<T> {
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    maybe: Option<T>,
}

#[test]
fn nested_option_of_parameter_builds_absent_value() {
    let mut model = Maybe::<Pet> { maybe: None };
    let patch: MaybePatch<Pet> = serde_json::from_str(r#"{"maybe": {"name": "Rex"}}"#).unwrap();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"maybe": {"name": "Rex"}})
    );
    model.apply(patch).unwrap();
    assert_eq!(model.maybe, Some(pet("Rex")));

    // a nested patch that lacks a required attribute cannot build the value
    let mut empty = Maybe::<Pet> { maybe: None };
    let patch: MaybePatch<Pet> = serde_json::from_str(r#"{"maybe": {"nickName": "R"}}"#).unwrap();
    let error = empty.apply(patch).unwrap_err();
    assert!(error.to_string().contains("maybe.name"), "{error}");
    assert_eq!(empty.maybe, None);

    // merged into a present value
    let patch: MaybePatch<Pet> = serde_json::from_str(r#"{"maybe": {"nickName": "R"}}"#).unwrap();
    model.apply(patch).unwrap();
    assert_eq!(
        model.maybe.as_ref().unwrap().nick_name.as_deref(),
        Some("R")
    );

    // cleared
    let patch: MaybePatch<Pet> = serde_json::from_str(r#"{"maybe": null}"#).unwrap();
    assert!(patch.maybe.is_null());
    let mut cleared = model.clone();
    cleared.apply(patch).unwrap();
    assert_eq!(cleared.maybe, None);

    // diff, both ways
    let diff = cleared.diff(&model);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"maybe": {"name": "Rex", "nickName": "R"}})
    );
    cleared.apply(diff).unwrap();
    assert_eq!(cleared, model);
    let diff = model.diff(&Maybe { maybe: None });
    assert_eq!(diff.maybe, Field::Null);
}

/// A required nested value of a type parameter.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Holder<T> {
    #[patchable(nested)]
    inner: T,
}

#[test]
fn nested_required_parameter() {
    let mut model = Holder { inner: pet("Rex") };
    let patch: HolderPatch<Pet> = serde_json::from_str(r#"{"inner": {"nickName": "R"}}"#).unwrap();
    model.apply(patch).unwrap();
    assert_eq!(model.inner.nick_name.as_deref(), Some("R"));
    assert!(serde_json::from_str::<HolderPatch<Pet>>(r#"{"inner": null}"#).is_err());
    let target = Holder { inner: pet("Max") };
    let diff = model.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"inner": {"name": "Max", "nickName": null}})
    );
    model.apply(diff).unwrap();
    assert_eq!(model, target);
}

/// A flattened nested value of a type parameter: its keys are the parent's.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Flat<T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    flat: T,
}

#[test]
fn flattened_nested_parameter() {
    let mut model = Flat {
        id: None,
        flat: pet("Rex"),
    };
    let patch: FlatPatch<Pet> = serde_json::from_str(r#"{"id": 1, "nickName": "R"}"#).unwrap();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"id": 1, "nickName": "R"})
    );
    model.apply(patch).unwrap();
    assert_eq!(model.id, Some(1));
    assert_eq!(model.flat.nick_name.as_deref(), Some("R"));
    assert!(serde_json::from_str::<FlatPatch<Pet>>(r#"{"name": null}"#).is_err());
    let target = Flat {
        id: Some(1),
        flat: pet("Max"),
    };
    let diff = model.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"name": "Max", "nickName": null})
    );
    model.apply(diff).unwrap();
    assert_eq!(model, target);
}
