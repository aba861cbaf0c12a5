//! `apply_scim_patch` applies a message's operations as if each were a message of its own:
//! the same document, or the same refusal. The applier keeps indexes of the names that the
//! resource, its complex attributes and its extensions' objects hold (to find a name in any
//! case without a scan per operation, RFC 7643 §2.1), updated after each operation; a message
//! of one operation builds them afresh, so an index left stale by an operation shows here as
//! a difference. Names are one letter in two cases, so that where a resource holds two
//! spellings of a name, a path names one of them as it is held (which of three spellings a
//! fourth finds depends on the order in which they came).

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sparse_patch::{ScimOp, ScimOperation, ScimPatch, ScimPatchError, apply_scim_patch};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["a", "A", "b", "B"])
}

fn value() -> BoxedStrategy<Value> {
    let simple = prop_oneof![
        Just(Value::Null),
        (0..3i32).prop_map(Value::from),
        Just(json!("s")),
    ];
    let object = prop::collection::btree_map(name(), simple.clone(), 0..3)
        .prop_map(|members| {
            Value::Object(
                members
                    .into_iter()
                    .map(|(name, value)| (name.to_owned(), value))
                    .collect(),
            )
        })
        .boxed();
    prop_oneof![
        3 => simple,
        2 => object.clone(),
        1 => prop::collection::vec(object, 0..3).prop_map(Value::Array),
    ]
    .boxed()
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(name(), value(), 0..4).prop_map(|members| {
        members
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect()
    })
}

/// A path: an attribute of the resource or of the extension, the extension itself, a
/// sub-attribute, or (in either) a filter.
fn path() -> impl Strategy<Value = Option<String>> {
    let urn = prop::sample::select(vec![
        ENTERPRISE,
        "URN:ietf:params:scim:schemas:extension:enterprise:2.0:user",
    ]);
    prop_oneof![
        1 => Just(None),
        2 => name().prop_map(|name| Some(name.to_owned())),
        3 => (urn.clone(), name()).prop_map(|(urn, name)| Some(format!("{urn}:{name}"))),
        1 => urn.clone().prop_map(|urn| Some(urn.to_owned())),
        1 => (name(), name()).prop_map(|(name, sub)| Some(format!("{name}.{sub}"))),
        1 => (urn.clone(), name(), name()).prop_map(|(urn, name, sub)| Some(format!("{urn}:{name}.{sub}"))),
        1 => (urn, name(), name()).prop_map(|(urn, name, sub)| Some(format!("{urn}:{name}[{sub} eq 1]"))),
    ]
}

/// An operation at a path, or a path-less `add` or `replace` whose members are named by
/// paths (`urn:…:User:a`, `urn:…:User:a.b`), as Microsoft Entra ID writes them.
fn operation() -> impl Strategy<Value = ScimOperation> {
    let op = prop::sample::select(vec![ScimOp::Add, ScimOp::Replace, ScimOp::Remove]);
    let at_path = (op, path(), value()).prop_map(|(op, path, value)| ScimOperation {
        op,
        path,
        value: (op != ScimOp::Remove || value.is_array()).then_some(value),
    });
    let op = prop::sample::select(vec![ScimOp::Add, ScimOp::Replace]);
    let members =
        prop::collection::btree_map(path().prop_filter_map("a name", |path| path), value(), 1..3);
    let pathless = (op, members).prop_map(|(op, members)| ScimOperation {
        op,
        path: None,
        value: Some(Value::Object(members.into_iter().collect())),
    });
    prop_oneof![3 => at_path, 1 => pathless]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn a_message_applies_as_its_operations_one_by_one(
        resource in object(),
        extension in prop::option::of(object()),
        operations in prop::collection::vec(operation(), 1..8),
    ) {
        let mut resource = resource;
        if let Some(extension) = extension {
            resource.insert(ENTERPRISE.to_owned(), Value::Object(extension));
        }
        let base = Value::Object(resource);
        let mut at_once = base.clone();
        let whole = apply_scim_patch(&mut at_once, &ScimPatch::new(operations.clone()));
        let mut one_by_one = base.clone();
        let mut refused = None;
        for (index, operation) in operations.iter().enumerate() {
            if let Err(error) = apply_scim_patch(&mut one_by_one, &ScimPatch::new(vec![operation.clone()])) {
                refused = Some((index, error.scim_type()));
                break;
            }
        }
        match (whole, refused) {
            (Ok(()), None) => prop_assert_eq!(at_once, one_by_one),
            (Err(error), Some((index, scim_type))) => {
                prop_assert_eq!(&at_once, &base);
                prop_assert_eq!(error.scim_type(), scim_type);
                prop_assert!(
                    matches!(error, ScimPatchError::Operation { index: at, .. } if at == index),
                    "{error}"
                );
            }
            (whole, refused) => prop_assert!(false, "at once: {whole:?}; one by one: {refused:?}"),
        }
    }
}
