//! `#[patchable(nested)]` through a pointer: the `Option<Box<models::Category>>` and
//! `Box<models::Owner>` that openapi-generator writes for every referenced model, and the
//! `Rc`/`Arc` of a hand-written one. A pointer changes no JSON, so the boxed model is checked
//! against its un-boxed twin as the oracle: the same JSON in (the model, a patch) gives the same
//! JSON out (`apply`, `diff`, `to_patch`, `from_patch`, `then`, the JSON Patch and SCIM
//! outputs, the schema), and a refused patch leaves the model as it was. The JSON Patch output
//! is checked against `json_patch::merge` (RFC 7396) too.

use std::rc::Rc;
use std::sync::Arc;

use proptest::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use sparse_patch::{Diff, Field, FromPatch, Patch, Patchable};

#[path = "support/json_schema.rs"]
mod json_schema;
#[path = "support/model_json.rs"]
mod model_json;
use json_schema::schema_of;
#[path = "support/stored_form.rs"]
mod stored_form;
use stored_form::stored;

/// As openapi-generator (rust, serde) writes the models: every referenced model boxed.
pub mod models {
    use serde::{Deserialize, Serialize};

    #[derive(sparse_patch::Patchable, Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Category {
        #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
    }

    #[derive(sparse_patch::Patchable, Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Owner {
        // Required: a nested patch that builds an `Owner` from nothing must hold it.
        #[serde(rename = "name")]
        pub name: String,
        #[serde(rename = "category", skip_serializing_if = "Option::is_none")]
        #[patchable(nested)]
        pub category: Option<Box<models::Category>>,
    }

    #[derive(sparse_patch::Patchable, Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Pet {
        #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "category", skip_serializing_if = "Option::is_none")]
        #[patchable(nested)]
        pub category: Option<Box<models::Category>>,
        #[serde(rename = "name")]
        pub name: String,
        #[serde(rename = "owner")]
        #[patchable(nested)]
        pub owner: Box<models::Owner>,
        #[serde(rename = "sitter", skip_serializing_if = "Option::is_none")]
        #[patchable(nested)]
        pub sitter: Option<Box<models::Owner>>,
        #[serde(rename = "photoUrls")]
        pub photo_urls: Vec<String>,
    }

    use crate::models;
}

/// The twin of `models`, without the boxes: the oracle.
mod plain {
    use serde::{Deserialize, Serialize};

    use super::models::Category;

    #[derive(sparse_patch::Patchable, Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Owner {
        #[serde(rename = "name")]
        pub name: String,
        #[serde(rename = "category", skip_serializing_if = "Option::is_none")]
        #[patchable(nested)]
        pub category: Option<Category>,
    }

    #[derive(sparse_patch::Patchable, Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Pet {
        #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "category", skip_serializing_if = "Option::is_none")]
        #[patchable(nested)]
        pub category: Option<Category>,
        #[serde(rename = "name")]
        pub name: String,
        #[serde(rename = "owner")]
        #[patchable(nested)]
        pub owner: Owner,
        #[serde(rename = "sitter", skip_serializing_if = "Option::is_none")]
        #[patchable(nested)]
        pub sitter: Option<Owner>,
        #[serde(rename = "photoUrls")]
        pub photo_urls: Vec<String>,
    }
}

// `Rc` and `Arc` (patched through `make_mut`), a `Box` flattened, with the std paths.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Shared {
    #[patchable(nested)]
    rc: Rc<models::Owner>,
    #[patchable(nested)]
    arc: Option<std::sync::Arc<models::Category>>,
    #[serde(flatten)]
    #[patchable(nested)]
    flat: std::boxed::Box<models::Category>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
struct SharedTwin {
    #[patchable(nested)]
    rc: plain::Owner,
    #[patchable(nested)]
    arc: Option<models::Category>,
    #[serde(flatten)]
    #[patchable(nested)]
    flat: models::Category,
}

/// `value` written as JSON and read back as `T`.
fn convert<T: DeserializeOwned>(value: &impl Serialize) -> T {
    serde_json::from_value(serde_json::to_value(value).unwrap()).unwrap()
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

fn text() -> impl Strategy<Value = String> {
    "[ab]{0,2}"
}

/// Ids: small, and the ends of `i64`.
fn id() -> impl Strategy<Value = i64> {
    prop_oneof![4 => 0i64..3, 1 => proptest::sample::select(vec![i64::MIN, i64::MAX])]
}

fn category() -> impl Strategy<Value = models::Category> {
    (proptest::option::of(id()), proptest::option::of(text()))
        .prop_map(|(id, name)| models::Category { id, name })
}

fn owner() -> impl Strategy<Value = plain::Owner> {
    (text(), proptest::option::of(category()))
        .prop_map(|(name, category)| plain::Owner { name, category })
}

fn pet() -> impl Strategy<Value = plain::Pet> {
    (
        proptest::option::of(id()),
        proptest::option::of(category()),
        text(),
        owner(),
        proptest::option::of(owner()),
        proptest::collection::vec(text(), 0..2),
    )
        .prop_map(
            |(id, category, name, owner, sitter, photo_urls)| plain::Pet {
                id,
                category,
                name,
                owner,
                sitter,
                photo_urls,
            },
        )
}

fn shared() -> impl Strategy<Value = SharedTwin> {
    (owner(), proptest::option::of(category()), category()).prop_map(|(rc, arc, flat)| SharedTwin {
        rc,
        arc,
        flat,
    })
}

const KEYS: &[&str] = &[
    "id",
    "name",
    "category",
    "owner",
    "sitter",
    "photoUrls",
    "rc",
    "arc",
];

/// Merge patches over the models' keys, most of them not fitting (refused by both readers).
fn patch_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        (0i64..3).prop_map(Value::from),
        // Numbers that an `i64` id refuses (`-0.0`, `2.0`, past `i64::MAX`) or just holds.
        proptest::sample::select(vec![
            json!(i64::MIN),
            json!(i64::MAX),
            json!(i64::MAX as u64 + 1),
            json!(-0.0),
            json!(2.0),
        ]),
        text().prop_map(Value::from),
        proptest::collection::vec(text(), 0..2).prop_map(|texts| json!(texts)),
        Just(json!({})),
    ];
    let object = |inner| {
        proptest::collection::btree_map(proptest::sample::select(KEYS), inner, 0..4).prop_map(
            |members| {
                Value::Object(
                    members
                        .into_iter()
                        .map(|(key, value)| (key.to_owned(), value))
                        .collect(),
                )
            },
        )
    };
    let random = object(leaf.prop_recursive(3, 12, 4, object).boxed());
    prop_oneof![3 => random, 1 => fitting_patch_json()]
}

/// The members of the models' JSON that a merge patch may remove (their `Option`s).
const REMOVABLE: &[&str] = &["id", "category", "sitter", "arc"];

/// Merge patches that fit a model: some members of another model's JSON (either model's),
/// the removable ones `null` at times. The random ones alone set the typed attributes so
/// seldom (of 1,000 patches read, 3 set `name`, 4 `id`, 2 `photoUrls`, one cleared `sitter`)
/// that a wrong `apply` of them went unseen.
fn fitting_patch_json() -> impl Strategy<Value = Value> {
    let model = prop_oneof![
        pet().prop_map(|pet| serde_json::to_value(pet).unwrap()),
        shared().prop_map(|shared| serde_json::to_value(shared).unwrap()),
    ];
    (model, any::<u64>())
        .prop_map(|(model, choices)| model_json::some_members(model, choices, 1, REMOVABLE))
}

/// The laws on a model and its twin, for one model pair, a second pair and a patch's JSON.
fn check_against_twin<M, T>(
    model: &M,
    other: &M,
    twin: &T,
    other_twin: &T,
    json: &Value,
) -> Result<(), TestCaseError>
where
    M: Patchable + Diff + FromPatch + Clone + PartialEq + std::fmt::Debug + Serialize,
    M::Patch: Serialize + DeserializeOwned + Clone + PartialEq + std::fmt::Debug,
    T: Patchable + Diff + FromPatch + Clone + Serialize,
    T::Patch: Serialize + DeserializeOwned + Clone,
{
    prop_assert_eq!(to_json(model), to_json(twin));
    // Reading a patch: the same JSON is read, or refused, by both.
    let patch = serde_json::from_value::<M::Patch>(json.clone()).ok();
    let twin_patch = serde_json::from_value::<T::Patch>(json.clone()).ok();
    prop_assert_eq!(patch.is_some(), twin_patch.is_some(), "{}", json);
    if let (Some(patch), Some(twin_patch)) = (patch, twin_patch) {
        let written = to_json(&patch);
        prop_assert_eq!(&written, &to_json(&twin_patch));
        prop_assert_eq!(
            serde_json::from_value::<M::Patch>(written.clone()).ok(),
            Some(patch.clone())
        );
        // `apply`: the same model, or the same error and the model unchanged.
        let mut applied = model.clone();
        let mut twin_applied = twin.clone();
        match (
            applied.apply(patch.clone()),
            twin_applied.apply(twin_patch.clone()),
        ) {
            (Ok(()), Ok(())) => {
                prop_assert_eq!(to_json(&applied), to_json(&twin_applied));
                // And what RFC 7396 gives on the model's JSON (`json_patch::merge`), the
                // `null`s of `None`s that the model writes aside.
                let mut merged = to_json(model);
                json_patch::merge(&mut merged, &written);
                prop_assert_eq!(stored(&to_json(&applied)), stored(&merged), "{}", written);
            }
            (Err(error), Err(twin_error)) => {
                prop_assert_eq!(error.to_string(), twin_error.to_string());
                prop_assert_eq!(&applied, model, "{}", error);
            }
            (result, twin_result) => prop_assert!(
                false,
                "{} applied: {:?}, on the twin {:?}",
                written,
                result,
                twin_result
            ),
        }
        // `from_patch`: the same model built, or the same error.
        let built = M::from_patch(patch.clone()).map(|model| to_json(&model));
        let twin_built = T::from_patch(twin_patch.clone()).map(|model| to_json(&model));
        prop_assert_eq!(
            built.map_err(|error| error.to_string()),
            twin_built.map_err(|error| error.to_string())
        );
        // The dialects, on the model as base: the JSON Patch does the merge patch's work
        // (RFC 6902 applied by the `json-patch` crate), and both outputs are the twin's.
        // As on a server that stores no `null` (`"arc": null` in the model's JSON).
        let document = stored(&to_json(model));
        if let Ok(operations) = patch.to_json_patch(model) {
            let operations: json_patch::Patch =
                serde_json::from_value(to_json(&operations)).unwrap();
            let mut patched = document.clone();
            json_patch::patch(&mut patched, &operations).unwrap();
            let mut merged = document;
            json_patch::merge(&mut merged, &written);
            prop_assert_eq!(stored(&patched), stored(&merged), "{}", written);
        }
        prop_assert_eq!(
            patch.to_json_patch(model).map(|ops| to_json(&ops)).ok(),
            twin_patch.to_json_patch(twin).map(|ops| to_json(&ops)).ok()
        );
        prop_assert_eq!(
            patch.to_scim_patch(model).map(|ops| to_json(&ops)).ok(),
            twin_patch.to_scim_patch(twin).map(|ops| to_json(&ops)).ok()
        );
        // `then` with the diff to the other model.
        let next = model.diff(other);
        let twin_next = twin.diff(other_twin);
        prop_assert_eq!(
            patch.clone().then(next).map(|both| to_json(&both)).ok(),
            twin_patch.then(twin_next).map(|both| to_json(&both)).ok()
        );
    }
    // `diff` and `to_patch`: the same JSON, and the diff gives the target.
    let diff = model.diff(other);
    prop_assert_eq!(to_json(&diff), to_json(&twin.diff(other_twin)));
    let mut applied = model.clone();
    applied.apply(diff).unwrap();
    prop_assert_eq!(&applied, other);
    prop_assert!(model.diff(model).is_empty());
    prop_assert_eq!(to_json(&model.to_patch()), to_json(&twin.to_patch()));
    prop_assert_eq!(&M::from_patch(model.to_patch()).unwrap(), model);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn a_boxed_model_patches_as_its_twin(
        twin in pet(),
        other_twin in pet(),
        json in patch_json(),
    ) {
        let model: models::Pet = convert(&twin);
        let other: models::Pet = convert(&other_twin);
        check_against_twin(&model, &other, &twin, &other_twin, &json)?;
    }

    #[test]
    fn a_shared_model_patches_as_its_twin(
        twin in shared(),
        other_twin in shared(),
        json in patch_json(),
    ) {
        let model: Shared = convert(&twin);
        let other: Shared = convert(&other_twin);
        check_against_twin(&model, &other, &twin, &other_twin, &json)?;
    }
}

/// The patch's fields are the ones the struct itself gets: a `Box` changes no patch type.
#[test]
fn the_patch_fields_are_the_structs_own() {
    let patch = models::PetPatch {
        category: Field::Value(models::CategoryPatch::new().name("dogs")),
        owner: Some(models::OwnerPatch::new().name("ann")),
        ..models::PetPatch::new()
    };
    let twin: plain::PetPatch = convert(&patch);
    assert_eq!(
        to_json(&twin),
        json!({"category": {"name": "dogs"}, "owner": {"name": "ann"}})
    );
}

/// The boxed value is patched where it is: no new allocation for a value that merges.
#[test]
fn apply_patches_the_boxed_value_in_place() {
    let mut pet = models::Pet {
        category: Some(Box::new(models::Category::default())),
        ..models::Pet::default()
    };
    let owner: *const models::Owner = &*pet.owner;
    let category: *const models::Category = pet.category.as_deref().unwrap();
    pet.apply(
        serde_json::from_value(json!({"owner": {"name": "ann"}, "category": {"id": 2}})).unwrap(),
    )
    .unwrap();
    assert_eq!(
        (pet.owner.name.as_str(), pet.category.as_ref().unwrap().id),
        ("ann", Some(2))
    );
    assert!(std::ptr::eq(owner, &*pet.owner));
    assert!(std::ptr::eq(category, pet.category.as_deref().unwrap()));
}

/// A value shared through an `Rc` or `Arc` is cloned before the patch changes it
/// (`make_mut`): another holder keeps its value.
#[test]
fn a_shared_value_is_copied_on_write() {
    let owner = Rc::new(models::Owner {
        name: "ann".into(),
        category: None,
    });
    let category = Arc::new(models::Category::default());
    let mut model = Shared {
        rc: Rc::clone(&owner),
        arc: Some(Arc::clone(&category)),
        flat: Box::default(),
    };
    model
        .apply(serde_json::from_value(json!({"rc": {"name": "bob"}, "arc": {"id": 1}})).unwrap())
        .unwrap();
    assert_eq!(
        (model.rc.name.as_str(), owner.name.as_str()),
        ("bob", "ann")
    );
    assert_eq!(
        (model.arc.as_ref().unwrap().id, category.id),
        (Some(1), None)
    );
    // Held once, the value is patched in place.
    let held: *const models::Owner = &*model.rc;
    model
        .apply(serde_json::from_value(json!({"rc": {"name": "cy"}})).unwrap())
        .unwrap();
    assert!(std::ptr::eq(held, &*model.rc));
}

/// A nested build that lacks a required attribute is refused with its path, through the box,
/// and leaves the model as it was.
#[test]
fn a_refused_build_names_the_path_and_changes_nothing() {
    let pet = models::Pet::default();
    let mut applied = pet.clone();
    let patch: models::PetPatch =
        serde_json::from_value(json!({"name": "rex", "sitter": {"category": {"id": 1}}})).unwrap();
    let error = applied.apply(patch).unwrap_err();
    assert_eq!(error.path(), "sitter.name");
    assert_eq!(applied, pet);
}

/// The patch's schema is its twin's: a `Box` changes no JSON.
#[test]
fn the_schema_is_the_twins() {
    for serialize in [false, true] {
        let renamed = |value: Value| {
            serde_json::from_str::<Value>(&value.to_string().replace(
                "nested_through_box::plain::",
                "nested_through_box::models::",
            ))
            .unwrap()
        };
        let boxed = schema_of::<models::PetPatch>(serialize);
        let twin = schema_of::<plain::PetPatch>(serialize);
        assert_eq!(renamed(boxed), renamed(twin));
        let boxed = schema_of::<SharedPatch>(serialize);
        let mut twin = schema_of::<SharedTwinPatch>(serialize);
        twin["title"] = boxed["title"].clone();
        assert_eq!(renamed(boxed), renamed(twin));
    }
}

/// A generic model: `T` behind a `Box` and an `Arc` (whose `make_mut` the impls bound by
/// `T: Clone`).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Wrapper<T> {
    #[patchable(nested)]
    boxed: Option<Box<T>>,
    #[patchable(nested)]
    shared: Arc<T>,
}

#[test]
fn a_generic_model_patches_through_its_pointers() {
    let category = |id| models::Category {
        id: Some(id),
        name: None,
    };
    let a = Wrapper {
        boxed: None,
        shared: Arc::new(category(1)),
    };
    let b = Wrapper {
        boxed: Some(Box::new(category(2))),
        shared: Arc::new(category(3)),
    };
    let diff = a.diff(&b);
    assert_eq!(
        to_json(&diff),
        json!({"boxed": {"id": 2}, "shared": {"id": 3}})
    );
    let mut applied = a.clone();
    applied.apply(diff).unwrap();
    assert_eq!(applied, b);
    assert_eq!(Wrapper::from_patch(b.to_patch()).unwrap(), b);
    let back: WrapperPatch<models::Category> =
        serde_json::from_value(json!({"boxed": null})).unwrap();
    applied.apply(back).unwrap();
    assert_eq!(applied.boxed, None);
}

/// A flattened struct behind an `Rc`, beside an attribute of the model's own.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
struct SharedFlat {
    title: Option<String>,
    #[patchable(nested)]
    owner: Rc<models::Owner>,
    #[serde(flatten)]
    #[patchable(nested)]
    flat: Arc<models::Category>,
}

/// A patch that leaves a shared value alone does not copy it: every patch of the model merges
/// into a flattened struct (whose attributes it may not name), and `{}` into a required one;
/// `make_mut` cloned the value of each whose `Rc` or `Arc` another holder shared, so that
/// `{"title": "x"}` copied the flattened `Arc`'s value and ended its sharing.
#[test]
fn a_patch_that_leaves_a_shared_value_alone_does_not_copy_it() {
    let owner = Rc::new(models::Owner {
        name: "ann".into(),
        category: None,
    });
    let category = Arc::new(models::Category::default());
    let mut model = SharedFlat {
        title: None,
        owner: Rc::clone(&owner),
        flat: Arc::clone(&category),
    };
    for patch in [json!({"title": "x"}), json!({"owner": {}}), json!({})] {
        model
            .apply(serde_json::from_value(patch.clone()).unwrap())
            .unwrap();
        assert!(Rc::ptr_eq(&model.owner, &owner), "{patch}");
        assert!(Arc::ptr_eq(&model.flat, &category), "{patch}");
    }
    // A patch that changes it still copies it first.
    model
        .apply(serde_json::from_value(json!({"id": 4, "owner": {"name": "bob"}})).unwrap())
        .unwrap();
    assert_eq!((model.flat.id, category.id), (Some(4), None));
    assert_eq!(
        (model.owner.name.as_str(), owner.name.as_str()),
        ("bob", "ann")
    );
}
