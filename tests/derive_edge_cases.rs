//! Inputs from a review of the derive against bug reports of peer crates: each once failed to
//! compile or gave a wrong value, and must not again.
#![deny(warnings)]

use std::collections::{BTreeMap, HashMap};
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Diff, Field, Patchable};

/// `serde_json::Value` fields merge by RFC 7396, as the server does, instead of being replaced.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Document {
    data: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Value>,
}

#[test]
fn json_values_merge_like_the_server() {
    let mut document = Document {
        data: json!({"a": 1, "b": {"c": 2, "d": 3}}),
        extra: None,
    };
    let patch: DocumentPatch = serde_json::from_value(
        json!({"data": {"b": {"c": null}}, "extra": {"x": {"y": null, "z": 1}}}),
    )
    .unwrap();
    let mut expected = serde_json::to_value(&document).unwrap();
    json_patch::merge(&mut expected, &serde_json::to_value(&patch).unwrap());
    document.apply(patch).unwrap();
    assert_eq!(serde_json::to_value(&document).unwrap(), expected);
    assert_eq!(document.data, json!({"a": 1, "b": {"d": 3}}));
    assert_eq!(document.extra, Some(json!({"x": {"z": 1}})));

    let target = Document {
        data: json!({"a": 1}),
        extra: Some(json!({"x": {"z": 2}})),
    };
    let diff = document.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"data": {"b": null}, "extra": {"x": {"z": 2}}})
    );
    document.apply(diff).unwrap();
    assert_eq!(document, target);
}

/// Map values of a generic type.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Attributes<V> {
    custom: HashMap<String, V>,
    #[serde(flatten)]
    rest: BTreeMap<String, V>,
}

#[test]
fn generic_map_values() {
    let mut attributes = Attributes::<u8> {
        custom: HashMap::from([("a".to_owned(), 1)]),
        rest: BTreeMap::new(),
    };
    let patch: AttributesPatch<u8> =
        serde_json::from_str(r#"{"custom": {"a": null, "b": 2}, "c": 3}"#).unwrap();
    attributes.apply(patch).unwrap();
    assert_eq!(attributes.custom, HashMap::from([("b".to_owned(), 2)]));
    assert_eq!(attributes.rest, BTreeMap::from([("c".to_owned(), 3)]));
}

/// `Self` in a field type means the model, not the patch.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tree {
    name: String,
    children: Vec<Self>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Tree {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Tree".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let children = generator.subschema_for::<Vec<Tree>>();
        schemars::json_schema!({
            "type": "object",
            "properties": { "name": { "type": "string" }, "children": children },
            "required": ["name", "children"],
        })
    }
}

#[test]
fn self_in_field_types() {
    let leaf = Tree {
        name: "leaf".into(),
        children: vec![],
    };
    let mut tree = Tree {
        name: "root".into(),
        children: vec![],
    };
    tree.apply(TreePatch::new().children(vec![leaf.clone()]))
        .unwrap();
    assert_eq!(tree.children, [leaf]);
}

/// The model's own functions in serde's `*_with` attributes, called from the patch's helpers.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Shouting {
    #[serde(serialize_with = "Shouting::up", deserialize_with = "Shouting::down")]
    email: String,
}

impl Shouting {
    fn up<S: serde::Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_uppercase())
    }

    fn down<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        String::deserialize(deserializer).map(|value| value.to_lowercase())
    }
}

#[test]
fn model_functions_in_serde_attributes() {
    let patch = ShoutingPatch::new().email("a@b");
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"email":"A@B"}"#);
    let read: ShoutingPatch = serde_json::from_str(r#"{"email":"X@Y"}"#).unwrap();
    assert_eq!(read.email.as_deref(), Some("x@y"));
}

/// The user's own serde bounds replace the derive's, on the struct and on a field.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "T: Serialize + serde::de::DeserializeOwned")]
struct Bounded<T> {
    maybe: Option<T>,
    value: T,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FieldBounded<T> {
    #[serde(bound = "T: Serialize + serde::de::DeserializeOwned")]
    maybe: Option<T>,
}

#[test]
fn user_serde_bounds() {
    let read: BoundedPatch<u8> = serde_json::from_str(r#"{"maybe": null, "value": 1}"#).unwrap();
    assert_eq!(read.maybe, Field::Null);
    let read: FieldBoundedPatch<u8> = serde_json::from_str(r#"{"maybe": 2}"#).unwrap();
    assert_eq!(read.maybe, Field::Value(2));
}

/// Lowercase items in scope named like the generated code's locals or like the fields.
#[allow(non_camel_case_types, dead_code)]
mod crowded {
    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    pub struct value;
    pub struct nested;
    pub struct patch;
    pub struct target;
    pub struct current;
    pub struct error;
    pub struct other;
    #[allow(non_upper_case_globals)]
    pub const email: &str = "constant";
    #[allow(non_upper_case_globals)]
    pub static label: &str = "static";
    pub struct bool;

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Inner {
        pub given: Option<String>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Crowded {
        pub email: String,
        pub label: Option<String>,
        #[patchable(nested)]
        pub inner: Option<Inner>,
    }
}

#[test]
fn locals_do_not_collide_with_items_in_scope() {
    let mut model = crowded::Crowded {
        email: "a".into(),
        label: None,
        inner: None,
    };
    let patch = crowded::CrowdedPatch::new()
        .email("b")
        .label("l")
        .inner(crowded::InnerPatch::new().given("g"));
    model.apply(patch).unwrap();
    assert_eq!(model.email, "b");
    assert!(model.diff(&model.clone()).is_empty());
}

/// A type parameter whose name is also a path segment elsewhere.
mod user {
    pub type Id = String;
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Owned<Id> {
    #[patchable(skip)]
    #[serde(skip)]
    id: Option<Id>,
    owner: user::Id,
}

#[test]
fn parameter_named_like_a_path_segment() {
    let patch = OwnedPatch::<u64>::new().owner("me");
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"owner":"me"}"#);
}

/// No warning leaks from generated code: names from non-snake-case fields, leading
/// underscores, deprecated models (this file denies warnings).
#[allow(non_snake_case)]
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Legacy {
    userName: String,
    nickName: Option<String>,
    _rev: Option<String>,
}

#[deprecated = "use Legacy"]
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Old {
    value: Option<u8>,
}

#[test]
fn no_warnings_from_generated_code() {
    let patch = LegacyPatch::new()
        .userName("u")
        .clear_nickName()
        .clear__rev();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"userName":"u","nickName":null,"_rev":null}"#
    );
}

/// `PhantomData` has no JSON of its own: it is left out of the patch.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Typed<T> {
    marker: PhantomData<T>,
    label: Option<String>,
}

#[test]
fn phantom_data_is_left_out() {
    let model = Typed::<u8> {
        marker: PhantomData,
        label: Some("x".into()),
    };
    let patch = model.to_patch();
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"label":"x"}"#);
    let read: TypedPatch<u8> = serde_json::from_str(r#"{"label":"x"}"#).unwrap();
    assert_eq!(read, patch);
}

/// Read-only attributes in a body are not collected by a flattened map, so they are never
/// sent back.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithExtras {
    #[patchable(skip)]
    id: String,
    #[patchable(skip)]
    #[serde(rename = "createdAt")]
    created_at: String,
    nickname: Option<String>,
    #[serde(flatten)]
    extras: BTreeMap<String, Value>,
}

#[test]
fn skipped_keys_stay_out_of_a_flattened_map() {
    let read: WithExtrasPatch = serde_json::from_str(
        r#"{"id": "1", "createdAt": "2023", "nickname": "n", "shoeSize": 44}"#,
    )
    .unwrap();
    assert_eq!(read.extras.keys().collect::<Vec<_>>(), ["shoeSize"]);
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        json!({"nickname": "n", "shoeSize": 44})
    );
}

/// The same with a flattened `serde_json::Map` (untyped JSON rather than a map of values): the
/// patch reads and drops the skipped keys too. Found by a mutation audit: no test had one.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithJsonExtras {
    #[patchable(skip)]
    id: String,
    nickname: Option<String>,
    #[serde(flatten)]
    extras: serde_json::Map<String, Value>,
}

#[test]
fn skipped_keys_stay_out_of_a_flattened_json_map() {
    let read: WithJsonExtrasPatch =
        serde_json::from_str(r#"{"id": "1", "nickname": "n", "shoeSize": 44}"#).unwrap();
    assert_eq!(read.extras.keys().collect::<Vec<_>>(), ["shoeSize"]);
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        json!({"nickname": "n", "shoeSize": 44})
    );
}

/// A key that the model itself does not read (`#[serde(skip)]`, `skip_deserializing`) lands in
/// the model's flattened map: the patch's map must take it too, or `diff` would send an entry
/// that reads back as nothing. Found by a review: the patch used to drop such keys.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithCache {
    #[patchable(skip)]
    id: String,
    #[serde(skip)]
    cache: u32,
    #[patchable(skip)]
    #[serde(skip_deserializing)]
    computed: String,
    #[serde(flatten)]
    extras: BTreeMap<String, Value>,
}

#[test]
fn keys_the_model_does_not_read_stay_in_the_flattened_map() {
    let body = r#"{"id": "1", "cache": 5, "computed": "c", "shoeSize": 44}"#;
    let model: WithCache = serde_json::from_str(body).unwrap();
    assert_eq!(
        model.extras.keys().collect::<Vec<_>>(),
        ["cache", "computed", "shoeSize"]
    );
    let read: WithCachePatch = serde_json::from_str(body).unwrap();
    assert_eq!(
        read.extras.keys().collect::<Vec<_>>(),
        ["cache", "computed", "shoeSize"]
    );

    let mut target = model.clone();
    target.extras.insert("cache".into(), json!(6));
    let sent = serde_json::to_string(&model.diff(&target)).unwrap();
    assert_eq!(sent, r#"{"cache":6}"#);
    let mut applied = model.clone();
    applied
        .apply(serde_json::from_str::<WithCachePatch>(&sent).unwrap())
        .unwrap();
    assert_eq!(applied, target);
}

/// `#[patchable(derive(Eq, Hash))]` on a model whose patch reads and drops skipped keys (a
/// flattened map and a read-only attribute): the hidden field that drops a key has the standard
/// traits too. Found by review: it was serde's `IgnoredAny`, which has neither `Eq` nor `Hash`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq, Hash))]
struct Hashed {
    #[patchable(skip)]
    id: String,
    label: Option<String>,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

#[test]
fn extra_derives_with_dropped_keys() {
    use std::collections::HashSet;
    let read: HashedPatch = serde_json::from_str(r#"{"id": "1", "label": "a", "x": "y"}"#).unwrap();
    let again: HashedPatch = serde_json::from_str(r#"{"label": "a", "x": "y"}"#).unwrap();
    let set: HashSet<HashedPatch> = [read.clone()].into();
    assert!(set.contains(&read));
    assert_eq!(read.rest.keys().collect::<Vec<_>>(), ["x"]);
    // The key is read and dropped; a repeated one is still an error, as serde's derive says.
    assert!(serde_json::from_str::<HashedPatch>(r#"{"id": "1", "id": "2"}"#).is_err());
    assert_eq!(
        serde_json::to_string(&read).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}

/// `#[patchable(replace)]` and serde's `with` turn off map detection: the value is sent whole.
mod pairs {
    use std::collections::HashMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        map: &HashMap<(i32, i32), String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut pairs: Vec<_> = map.iter().collect();
        pairs.sort();
        pairs.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<HashMap<(i32, i32), String>, D::Error> {
        Vec::<((i32, i32), String)>::deserialize(deserializer)
            .map(|pairs| pairs.into_iter().collect())
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Grid {
    #[serde(with = "pairs")]
    cells: HashMap<(i32, i32), String>,
    #[patchable(replace)]
    tags: BTreeMap<String, String>,
}

#[test]
fn replace_and_with_send_maps_whole() {
    let patch = GridPatch::new()
        .cells(HashMap::from([((0, 1), "x".to_owned())]))
        .tags(BTreeMap::from([("a".to_owned(), "b".to_owned())]));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"cells": [[[0, 1], "x"]], "tags": {"a": "b"}})
    );
    let mut grid = Grid {
        cells: HashMap::new(),
        tags: BTreeMap::from([("old".to_owned(), "tag".to_owned())]),
    };
    grid.apply(patch).unwrap();
    assert_eq!(grid.tags.len(), 1);
    fn assert_diff<M: Diff>() {}
    assert_diff::<Grid>();
}

/// A map field named with a trailing underscore: its entry setter `labels__entry` is not snake
/// case, so the derive allows `non_snake_case` for it (this file denies warnings), while a
/// plain field such as `type_` needs no `allow` (tests/forbidden_lints.rs).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TrailingUnderscoreMap {
    labels_: BTreeMap<String, String>,
}

#[test]
fn a_map_field_with_a_trailing_underscore_has_entry_setters() {
    let mut model = TrailingUnderscoreMap {
        labels_: BTreeMap::new(),
    };
    model
        .apply(TrailingUnderscoreMapPatch::new().labels__entry("k", "v"))
        .unwrap();
    assert_eq!(model.labels_["k"], "v");
}

/// Fields named like the patch's hidden fields and helper methods: `__phantom` (the marker of
/// a patch whose parameter no patched field uses), `__sparse_patch_serialize_{field}` (the
/// helper around a field's `serialize_with`) and `__sparse_patch_ignored_{key}` (the field
/// that reads and drops a read-only key beside a flattened map, in a generic patch). Found by a
/// review: the patch declared each name twice, and rustc's errors sat at the `#[derive]`.
mod hidden_names {
    use super::*;

    fn as_text<S: serde::Serializer>(value: &u8, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Marked<T> {
        pub __phantom: Option<u8>,
        #[serde(serialize_with = "as_text")]
        pub when: u8,
        pub __sparse_patch_serialize_when: Option<u8>,
        #[serde(skip)]
        pub unused: Option<T>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Dropping<T> {
        #[patchable(skip)]
        pub id: String,
        pub __sparse_patch_ignored_id: Option<T>,
        #[serde(flatten)]
        pub rest: HashMap<String, Value>,
    }
}

#[test]
fn fields_named_like_the_patchs_hidden_names() {
    use hidden_names::{Dropping, DroppingPatch, Marked, MarkedPatch};
    let patch = MarkedPatch::<()>::new()
        .__phantom(1)
        .when(2)
        .__sparse_patch_serialize_when(3);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"__phantom": 1, "when": "2", "__sparse_patch_serialize_when": 3})
    );
    let mut marked = Marked::<()> {
        __phantom: None,
        when: 0,
        __sparse_patch_serialize_when: None,
        unused: None,
    };
    marked.apply(patch).unwrap();
    assert_eq!(
        (
            marked.__phantom,
            marked.when,
            marked.__sparse_patch_serialize_when
        ),
        (Some(1), 2, Some(3))
    );

    let read: DroppingPatch<u8> = serde_json::from_value(
        json!({"id": "read-only", "__sparse_patch_ignored_id": 4, "other": true}),
    )
    .unwrap();
    assert_eq!(read.__sparse_patch_ignored_id, Field::Value(4));
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        json!({"__sparse_patch_ignored_id": 4, "other": true})
    );
    let mut dropping = Dropping {
        id: "a".to_owned(),
        __sparse_patch_ignored_id: None,
        rest: HashMap::new(),
    };
    dropping.apply(read).unwrap();
    assert_eq!(dropping.__sparse_patch_ignored_id, Some(4));
    assert_eq!(dropping.rest["other"], json!(true));
}

/// A field left out by both `#[serde(skip)]` and `#[patchable(skip)]`, as users of peer derives
/// write it (optional_struct and struct-patch have a `skip` of their own beside serde's). The
/// two say the same; the derive reported "duplicate patchable attribute `skip`" when serde's
/// came first, for a `#[patchable(skip)]` written once, and nothing in the other order.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SkippedTwice {
    #[serde(skip)]
    #[patchable(skip)]
    cache: u32,
    #[patchable(skip)]
    #[serde(skip)]
    revision: u32,
    nickname: Option<String>,
}

#[test]
fn serde_skip_beside_patchable_skip() {
    let model = SkippedTwice {
        cache: 1,
        revision: 2,
        nickname: Some("x".into()),
    };
    let patch = model.to_patch();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"nickname":"x"}"#
    );
}

/// serde's `bound` for one direction only, on the struct or on a field: serde infers the other
/// direction's bounds, and so must the patch. The derive took any `bound` as stating both, and
/// the patch's `Serialize` lacked `T: Serialize` (E0277 at the derive) under a
/// `bound(deserialize = ...)`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de> + Default"))]
struct ReadBound<T: Clone> {
    value: T,
    label: Option<T>,
}

/// The same, with the field's `bound(serialize = ...)`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WriteBound<T: Clone> {
    #[serde(bound(serialize = "T: Serialize"))]
    value: T,
}

#[test]
fn one_direction_of_serde_bound() {
    let patch = ReadBoundPatch::<u32>::new().value(1u32).clear_label();
    let text = serde_json::to_string(&patch).unwrap();
    assert_eq!(text, r#"{"value":1,"label":null}"#);
    assert_eq!(
        serde_json::from_str::<ReadBoundPatch<u32>>(&text).unwrap(),
        patch
    );
    let patch = WriteBoundPatch::<String>::new().value("x");
    let text = serde_json::to_string(&patch).unwrap();
    assert_eq!(text, r#"{"value":"x"}"#);
    assert_eq!(
        serde_json::from_str::<WriteBoundPatch<String>>(&text).unwrap(),
        patch
    );
}

/// A borrowed field whose reading bound the field states itself (`bound(deserialize = ...)`,
/// as serde's docs show for a borrowed field): the derive adds none of its own there, since a
/// second `bound` on the field is serde's "duplicate serde attribute `bound`".
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BorrowedReadBound<'a> {
    #[serde(borrow, bound(deserialize = "'de: 'a"))]
    name: &'a str,
    nick: Option<&'a str>,
}

#[test]
fn a_field_that_states_its_reading_bound_gets_no_other() {
    let text = r#"{"name":"dave","nick":null}"#;
    let patch: BorrowedReadBoundPatch<'_> = serde_json::from_str(text).unwrap();
    assert_eq!(
        patch,
        BorrowedReadBoundPatch::new().name("dave").clear_nick()
    );
    assert_eq!(serde_json::to_string(&patch).unwrap(), text);
}

/// A recursive model (a linked list, a tree with a parent) whose recursive field is sent whole:
/// `nested` on it is refused at the type (UI `nested_recursive`), and without `nested` the
/// derive compiles and the field is a value like any other.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ListNode {
    label: String,
    // (The model has no `JsonSchema` of its own here: with feature `schemars`, the patch's
    // schema says "any JSON" of the field.)
    #[schemars(with = "Value")]
    next: Box<Option<ListNode>>,
}

#[test]
fn a_recursive_model_sends_its_recursive_field_whole() {
    let mut first = ListNode {
        label: "a".to_owned(),
        next: Box::new(None),
    };
    let second = ListNode {
        label: "b".to_owned(),
        next: Box::new(None),
    };
    let wanted = ListNode {
        label: "a".to_owned(),
        next: Box::new(Some(second)),
    };
    let patch = first.diff(&wanted);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({ "next": { "label": "b", "next": null } })
    );
    first.apply(patch.clone()).unwrap();
    assert_eq!(first, wanted);
    let back: ListNodePatch =
        serde_json::from_value(serde_json::to_value(&patch).unwrap()).unwrap();
    assert_eq!(back, patch);
}

/// A nullable map cleared and then given an entry (`.clear_labels().labels_entry(k, v)`): the
/// entry setter drops the `null`, and the patch merges the entry into the map that the target
/// holds, as a server does, keeping its other entries; `Patch::then` refuses the same pair
/// given as two patches. The setters' docs say so (they said only that the patch's other
/// entries were kept).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tagged {
    labels: Option<BTreeMap<String, String>>,
}

#[test]
fn an_entry_after_a_cleared_map_merges_into_the_targets_map() {
    let patch = TaggedPatch::new()
        .clear_labels()
        .labels_entry("env", "prod");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"labels": {"env": "prod"}})
    );
    let mut tagged = Tagged {
        labels: Some(BTreeMap::from([("team".to_owned(), "a".to_owned())])),
    };
    let mut merged = serde_json::to_value(&tagged).unwrap();
    json_patch::merge(&mut merged, &serde_json::to_value(&patch).unwrap());
    tagged.apply(patch).unwrap();
    assert_eq!(serde_json::to_value(&tagged).unwrap(), merged);
    assert_eq!(tagged.labels.as_ref().map(BTreeMap::len), Some(2));
    let refused = sparse_patch::Patch::then(
        TaggedPatch::new().clear_labels(),
        TaggedPatch::new().labels_entry("env", "prod"),
    );
    assert!(refused.is_err());
}

/// Models that the derive's rules must let through: each is the exception that a rule states
/// (a mutation audit of the derive found no test that held the rule to it), compiled here and
/// patched once.
mod rule_exceptions {
    use std::collections::BTreeMap;
    use std::rc::Rc;

    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value, json};
    use sparse_patch::Patchable;

    /// Not `Patchable`: its keys are the model's to read.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct Audit {
        pub created: Option<String>,
    }

    /// A skipped flattened struct that the model does not read (`#[serde(skip)]`) and a skipped
    /// flattened map beside a flattened map: neither hides keys from the map, so neither is
    /// refused (`skipped_flatten_beside_map`). The flattened map's field name is another
    /// field's key: a flattened field writes no key of its own (`written_keys_unique`).
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Extras {
        #[serde(skip, flatten)]
        pub audit: Audit,
        #[patchable(skip)]
        #[serde(flatten)]
        pub seen: BTreeMap<String, Value>,
        #[serde(rename = "extras")]
        pub label: Option<String>,
        #[serde(flatten)]
        pub extras: BTreeMap<String, Value>,
    }

    #[test]
    fn skipped_flattened_fields_beside_a_flattened_map() {
        let body = json!({"extras": "l", "created": "2023", "shoeSize": 44});
        let model: Extras = serde_json::from_value(body.clone()).unwrap();
        let patch: ExtrasPatch = serde_json::from_value(body).unwrap();
        assert!(patch.extras.keys().eq(model.extras.keys()));
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"extras": "l", "created": "2023", "shoeSize": 44})
        );
        assert_eq!(
            model.extras.keys().collect::<Vec<_>>(),
            ["created", "shoeSize"]
        );
    }

    /// Writes an `Rc<Option<String>>` as a string, `""` for `None`: never `null`.
    mod shared_text {
        use std::rc::Rc;

        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            value: &Rc<Option<String>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(value.as_deref().unwrap_or(""))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Rc<Option<String>>, D::Error> {
            let text = String::deserialize(deserializer)?;
            Ok(Rc::new((!text.is_empty()).then_some(text)))
        }
    }

    /// Writes a boxed map as a list of pairs: an array, not an object.
    #[allow(
        clippy::box_collection,
        reason = "a map behind a `Box` is the case under test"
    )]
    mod pairs {
        use std::collections::BTreeMap;

        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            value: &BTreeMap<String, String>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(value.iter())
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Box<BTreeMap<String, String>>, D::Error> {
            let pairs = Vec::<(String, String)>::deserialize(deserializer)?;
            Ok(Box::new(pairs.into_iter().collect()))
        }
    }

    /// A serde function of the user's decides the JSON: a required `Rc<Option<T>>` that it
    /// never writes `null` is let through (`required_never_null`), and so is a map behind a
    /// `Box` that it writes as an array (`pointer_hides_no_object`). A type parameter called
    /// `Value` behind a `Box` is no untyped JSON.
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Written<Value> {
        #[serde(with = "shared_text")]
        pub note: Rc<Option<String>>,
        #[serde(
            serialize_with = "pairs::serialize",
            deserialize_with = "pairs::deserialize"
        )]
        #[allow(
            clippy::box_collection,
            reason = "a map behind a `Box` is the case under test"
        )]
        pub labels: Box<BTreeMap<String, String>>,
        pub boxed: Box<Value>,
    }

    #[test]
    fn serde_functions_and_a_parameter_named_value_behind_pointers() {
        let model = Written::<u32> {
            note: Rc::new(None),
            labels: Box::new(BTreeMap::from([("a".to_owned(), "1".to_owned())])),
            boxed: Box::new(1),
        };
        let target = Written::<u32> {
            note: Rc::new(Some("n".to_owned())),
            labels: Box::new(BTreeMap::new()),
            boxed: Box::new(2),
        };
        let sent = serde_json::to_value(model.diff(&target)).unwrap();
        assert_eq!(sent, json!({"note": "n", "labels": [], "boxed": 2}));
        let mut applied = model;
        applied
            .apply(serde_json::from_value::<WrittenPatch<u32>>(sent).unwrap())
            .unwrap();
        assert_eq!(applied, target);
    }

    /// A type parameter named like a standard type is the parameter: the patch's impls keep
    /// their bounds on it, which `String` itself would not need.
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Labelled<String> {
        pub label: String,
        pub note: Option<String>,
    }

    #[test]
    fn a_parameter_named_like_a_standard_type() {
        let model = Labelled::<u8> {
            label: 1,
            note: None,
        };
        let target = Labelled::<u8> {
            label: 2,
            note: Some(3),
        };
        let patch = model.diff(&target);
        assert_eq!(patch.clone(), patch);
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"label": 2, "note": 3})
        );
    }

    /// A map type of the user's called `Map` (here std's `BTreeMap` renamed) is not serde_json's
    /// unless it maps `String`s to `Value`s: sent whole.
    mod own_map {
        use std::collections::BTreeMap as Map;

        use serde::{Deserialize, Serialize};
        use sparse_patch::Patchable;

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Scores {
            pub by_name: Map<String, u32>,
        }
    }

    #[test]
    fn a_map_of_the_users_called_map_is_sent_whole() {
        let model = own_map::Scores {
            by_name: [("a".to_owned(), 1), ("b".to_owned(), 2)].into(),
        };
        let mut target = model.clone();
        target.by_name.insert("b".to_owned(), 3);
        assert_eq!(
            serde_json::to_value(model.diff(&target)).unwrap(),
            json!({"by_name": {"a": 1, "b": 3}})
        );
    }

    /// A struct of the user's called `Value` is patched as a nested struct where `nested` says
    /// so: a bare `Value` may be one (`nested_needs_struct`).
    mod own_value {
        use serde::{Deserialize, Serialize};
        use sparse_patch::Patchable;

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Value {
            pub low: Option<u32>,
            pub high: Option<u32>,
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Range {
            #[patchable(nested)]
            pub value: Value,
        }
    }

    #[test]
    fn a_struct_called_value_is_nested() {
        let patch = own_value::RangePatch::new().value(own_value::ValuePatch::new().low(1));
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"value": {"low": 1}})
        );
    }

    /// Untyped JSON spelled with its long paths: `serde_json::value::Value` merges by RFC 7396
    /// and `Map<std::string::String, Value>` is serde_json's map, flattened as one.
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct LongPaths {
        pub data: serde_json::value::Value,
        #[serde(flatten)]
        pub rest: Map<std::string::String, Value>,
    }

    #[test]
    fn untyped_json_spelled_with_long_paths() {
        let model: LongPaths =
            serde_json::from_value(json!({"data": {"a": 1, "b": 2}, "k": 1})).unwrap();
        let target: LongPaths =
            serde_json::from_value(json!({"data": {"a": 1, "b": 3}, "k": 2})).unwrap();
        assert_eq!(
            serde_json::to_value(model.diff(&target)).unwrap(),
            json!({"data": {"b": 3}, "k": 2})
        );
    }
}

/// Standard types written with a prelude's path, as `#![no_implicit_prelude]` modules and code
/// generators write them (`std::prelude::v1::Option`, `core::prelude::rust_2021::Option`):
/// the same `Option`, `Box` and `Vec` as the short names. Found by review 151: the derive read
/// such an `Option` as a type of the user's, made the field required (no `clear_` setter, a
/// patch `null` refused), and `diff` to `None` gave a patch that failed to serialize, saying
/// to make the field `Option<T>`.
#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
struct PreludePaths {
    note: std::prelude::v1::Option<String>,
    count: ::core::prelude::rust_2021::Option<u8>,
    title: std::prelude::rust_2024::Box<std::prelude::v1::Option<String>>,
    #[patchable(nested)]
    inner: std::prelude::rust_2018::Option<Legacy>,
}

#[test]
fn standard_types_written_with_a_prelude_path() {
    let patch = PreludePathsPatch::new()
        .clear_note()
        .clear_count()
        .clear_title()
        .clear_inner();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"note": null, "count": null, "title": null, "inner": null})
    );
    let mut model = PreludePaths {
        note: Some("n".to_owned()),
        count: Some(1),
        title: Box::new(Some("t".to_owned())),
        inner: None,
    };
    let diff = model.diff(&PreludePaths::default());
    let text = serde_json::to_string(&diff).unwrap();
    assert_eq!(text, r#"{"note":null,"count":null,"title":null}"#);
    model.apply(serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(model, PreludePaths::default());
}
