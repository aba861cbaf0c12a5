//! The SCIM output (`Patch::to_scim_patch`) against a small, independent RFC 7644 §3.5.2
//! applier written here: the operations, applied to the base's JSON, give the document that
//! the merge patch gives (RFC 7396, `json_patch::merge`), attributes that SCIM calls
//! unassigned (RFC 7643 §2.5: `null`, `[]`) aside. Complex attributes at two depths, a keyed
//! array with keys that differ in case and need quoting, untyped JSON, custom attributes and
//! an extension schema's member (URN-qualified paths).

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sparse_patch::{Patch, Patchable, ScimOp, ScimPatch};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Name {
    #[serde(skip_serializing_if = "Option::is_none")]
    given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    #[serde(skip_serializing_if = "Option::is_none")]
    nickname: Option<String>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Name>,
    #[patchable(key = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    emails: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Value>,
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    #[serde(skip_serializing_if = "Option::is_none")]
    enterprise: Option<Value>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

// ----- the oracle: RFC 7644 §3.5.2 on a JSON document -----

struct Path {
    /// The member that holds the attribute: the extension's URN, or none (the resource).
    schema: Option<String>,
    attribute: String,
    filter: Option<(String, Value)>,
    sub: Option<String>,
}

fn parse(path: &str) -> Path {
    let (head, filter, tail) = match path.find('[') {
        Some(open) => {
            let close = path.rfind(']').unwrap();
            (
                &path[..open],
                Some(&path[open + 1..close]),
                &path[close + 1..],
            )
        }
        None => (path, None, ""),
    };
    let (schema, head) = match head.rfind(':') {
        Some(colon) => (Some(head[..colon].to_owned()), &head[colon + 1..]),
        None => (None, head),
    };
    let (attribute, mut sub) = match head.split_once('.') {
        Some((attribute, sub)) => (attribute.to_owned(), Some(sub.to_owned())),
        None => (head.to_owned(), None),
    };
    if let Some(rest) = tail.strip_prefix('.') {
        sub = Some(rest.to_owned());
    }
    let filter = filter.map(|filter| {
        let (key, literal) = filter.split_once(" eq ").unwrap();
        (key.to_owned(), serde_json::from_str(literal).unwrap())
    });
    Path {
        schema,
        attribute,
        filter,
        sub,
    }
}

/// A filter's `eq`: strings in any case (no attribute here is `caseExact`), numbers by value.
fn matches(element: &Value, (key, literal): &(String, Value)) -> bool {
    match (element.get(key), literal) {
        (Some(Value::String(a)), Value::String(b)) => a.to_lowercase() == b.to_lowercase(),
        (Some(Value::Number(a)), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Some(a), b) => a == b,
        (None, _) => false,
    }
}

/// `replace` of a complex value merges the sub-attributes it gives (RFC 7644 §3.5.2.3); other
/// values replace.
fn put(slot: &mut Value, value: Value) {
    match (slot, value) {
        (Value::Object(members), Value::Object(new)) => {
            for (name, value) in new {
                members.insert(name, value);
            }
        }
        (slot, value) => *slot = value,
    }
}

fn apply(document: &mut Map<String, Value>, message: &ScimPatch) {
    assert_eq!(
        message.schemas,
        ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]
    );
    for operation in &message.operations {
        let path = parse(
            operation
                .path
                .as_deref()
                .expect("every operation has a path"),
        );
        let holder = match &path.schema {
            Some(schema) => {
                let member = document.entry(schema.clone()).or_insert_with(|| json!({}));
                if !member.is_object() {
                    *member = json!({});
                }
                member.as_object_mut().unwrap()
            }
            None => &mut *document,
        };
        let value = operation.value.clone();
        match (operation.op, &path.filter, &path.sub) {
            (ScimOp::Remove, None, None) => {
                holder.remove(&path.attribute);
            }
            (ScimOp::Remove, None, Some(sub)) => {
                if let Some(Value::Object(members)) = holder.get_mut(&path.attribute) {
                    members.remove(sub);
                }
            }
            (ScimOp::Remove, Some(filter), sub) => {
                let Some(Value::Array(items)) = holder.get_mut(&path.attribute) else {
                    panic!("a filter on a missing array: {operation:?}");
                };
                let before = items.len();
                match sub {
                    None => items.retain(|element| !matches(element, filter)),
                    Some(sub) => items
                        .iter_mut()
                        .filter(|element| matches(element, filter))
                        .for_each(|element| {
                            element.as_object_mut().unwrap().remove(sub);
                        }),
                }
                assert!(
                    sub.is_some() || items.len() + 1 == before,
                    "a remove filter must select one element: {operation:?}"
                );
            }
            (ScimOp::Add, None, None) => {
                let slot = holder.entry(path.attribute.clone()).or_insert(json!([]));
                match (slot, value.unwrap()) {
                    (Value::Array(items), Value::Array(new)) => items.extend(new),
                    (slot, value) => put(slot, value),
                }
            }
            (ScimOp::Replace, None, None) => {
                put(
                    holder.entry(path.attribute.clone()).or_insert(Value::Null),
                    value.unwrap(),
                );
            }
            (ScimOp::Replace, None, Some(sub)) => {
                let slot = holder.entry(path.attribute.clone()).or_insert(json!({}));
                if !slot.is_object() {
                    *slot = json!({});
                }
                put(
                    slot.as_object_mut()
                        .unwrap()
                        .entry(sub.clone())
                        .or_insert(Value::Null),
                    value.unwrap(),
                );
            }
            (ScimOp::Replace, Some(filter), Some(sub)) => {
                let Some(Value::Array(items)) = holder.get_mut(&path.attribute) else {
                    panic!("a filter on a missing array: {operation:?}");
                };
                let selected: Vec<_> = items
                    .iter_mut()
                    .filter(|element| matches(element, filter))
                    .collect();
                assert_eq!(selected.len(), 1, "{operation:?}");
                for element in selected {
                    put(
                        element
                            .as_object_mut()
                            .unwrap()
                            .entry(sub.clone())
                            .or_insert(Value::Null),
                        value.clone().unwrap(),
                    );
                }
            }
            other => panic!("an operation this output never writes: {other:?}"),
        }
    }
}

/// Drops what SCIM calls unassigned (RFC 7643 §2.5): `null` and `[]` members, and objects
/// left empty by that.
fn unassigned_dropped(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, value)| (name.clone(), unassigned_dropped(value)))
                .filter(|(_, value)| {
                    !value.is_null()
                        && value.as_array().is_none_or(|items| !items.is_empty())
                        && value.as_object().is_none_or(|members| !members.is_empty())
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(unassigned_dropped).collect()),
        other => other.clone(),
    }
}

// ----- strategies -----

fn text() -> impl Strategy<Value = String> {
    "[ab]{0,2}"
}

/// SCIM attribute names (`ATTRNAME`, RFC 7643 §2.1): letters, and names with a digit, `-` and
/// `_` after the first letter.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[abc]",
        1 => proptest::sample::select(vec!["a-b", "b_1", "c2"]).prop_map(String::from),
    ]
}

/// Untyped JSON with SCIM names, objects up to three levels deep, `null` only inside arrays;
/// numbers that an equality gets wrong (`-0.0`, `2.0` beside `1`), `1e300` and `u64::MAX`.
fn document() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(json!(1)),
        proptest::sample::select(vec![json!(-0.0), json!(2.0), json!(1e300), json!(u64::MAX)]),
        Just(json!("x")),
        Just(json!([null, 1])),
        Just(json!({})),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        proptest::collection::btree_map(name(), inner, 0..3)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
    })
    .boxed()
}

fn merge_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        Just(json!(2)),
        Just(json!(1.0)),
        document()
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        proptest::collection::btree_map(name(), inner, 0..3)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
    })
    .boxed()
}

fn emails() -> impl Strategy<Value = Vec<Value>> {
    let keys = vec![
        json!("work"),
        json!("home"),
        json!("Work"),
        json!("a\"]b"),
        json!(1),
        // Case variants beyond ASCII: lower case joins them (the Kelvin sign lowers to `k`).
        json!("été"),
        json!("ÉTÉ"),
        json!("\u{212a}"),
        json!("k"),
    ];
    proptest::sample::subsequence(keys, 0..=4)
        .prop_shuffle()
        .prop_flat_map(|keys| {
            let n = keys.len();
            (
                Just(keys),
                proptest::collection::vec(
                    (
                        proptest::option::of(text()),
                        proptest::option::of(document()),
                    ),
                    n,
                ),
            )
        })
        .prop_map(|(keys, values)| {
            keys.into_iter()
                .zip(values)
                .map(|(key, (value, meta))| {
                    let mut element = json!({"type": key});
                    if let Some(value) = value {
                        element["value"] = json!(value);
                    }
                    if let Some(meta) = meta {
                        element["meta"] = meta;
                    }
                    element
                })
                .collect()
        })
}

fn object_of(value: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    proptest::collection::btree_map(name(), value, 0..3)
        .prop_map(|map| Value::Object(map.into_iter().collect()))
        .boxed()
}

fn user() -> impl Strategy<Value = User> {
    (
        proptest::option::of(text()),
        proptest::option::of(
            (
                proptest::option::of(text()),
                proptest::option::of(document()),
            )
                .prop_map(|(given, meta)| Name { given, meta }),
        ),
        proptest::option::of(emails()),
        proptest::option::of(document()),
        proptest::option::of(object_of(document())),
        proptest::collection::btree_map("[xy]", document(), 0..2),
    )
        .prop_map(|(nickname, name, emails, extra, enterprise, custom)| User {
            nickname,
            name,
            emails,
            extra,
            enterprise,
            custom,
        })
}

fn maybe(value: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![Just(None), Just(Some(Value::Null)), value.prop_map(Some)].boxed()
}

fn non_null(value: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    value.prop_filter("a value", |v| !v.is_null()).boxed()
}

fn user_patch() -> impl Strategy<Value = UserPatch> {
    let name = (
        maybe(text().prop_map(Value::from).boxed()),
        maybe(non_null(merge_value())),
    )
        .prop_map(|(given, meta)| {
            let mut patch = Map::new();
            given.map(|v| patch.insert("given".into(), v));
            meta.map(|v| patch.insert("meta".into(), v));
            Value::Object(patch)
        })
        .boxed();
    (
        maybe(text().prop_map(Value::from).boxed()),
        maybe(name),
        maybe(emails().prop_map(Value::Array).boxed()),
        maybe(non_null(merge_value())),
        maybe(object_of(merge_value())),
        proptest::collection::btree_map("[xy]", merge_value(), 0..2),
    )
        .prop_map(|(nickname, name, emails, extra, enterprise, custom)| {
            let mut patch: Map<String, Value> = custom.into_iter().collect();
            nickname.map(|v| patch.insert("nickname".into(), v));
            name.map(|v| patch.insert("name".into(), v));
            emails.map(|v| patch.insert("emails".into(), v));
            extra.map(|v| patch.insert("extra".into(), v));
            enterprise.map(|v| patch.insert(ENTERPRISE.into(), v));
            serde_json::from_value(Value::Object(patch)).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn scim_operations_do_the_work_of_the_merge_patch(base in user(), patch in user_patch()) {
        let base_json = serde_json::to_value(&base).unwrap();
        let mut merged = base_json.clone();
        json_patch::merge(&mut merged, &serde_json::to_value(&patch).unwrap());
        let message = patch.to_scim_patch(&base).unwrap();
        let mut applied = base_json.as_object().unwrap().clone();
        apply(&mut applied, &message);
        prop_assert_eq!(
            unassigned_dropped(&Value::Object(applied)),
            unassigned_dropped(&merged),
            "{}", serde_json::to_string(&message).unwrap()
        );
    }
}
