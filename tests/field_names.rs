//! Fields named like what the derive generates or calls: the patch's methods (`default`,
//! `clone`, `then`, `is_empty`, named away with `#[patchable(setter = "...")]`), a setter
//! beside another field's clear setter (`name` and `clear_name`), methods of the model
//! (`apply`, `diff`), blanket impls' methods (`into`, `from`), keywords (`r#type`, `r#ref`,
//! `r#match`, `self_`) and the generated code's own local names (`__value`, `__key`, `__map`).
//! None breaks the generated code, and the patch's documented methods still do what the
//! README says.
#![deny(warnings)]
#![allow(non_snake_case)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{Field, Patch, Patchable};

/// A PingOne population (`default: bool`), with every name that a setter could take from the
/// patch's traits, renamed.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq, Hash))]
struct Population {
    #[patchable(skip)]
    id: String,
    name: Option<String>,
    // Beside the clear setter of `name`.
    #[patchable(setter = "set_clear_name")]
    clear_name: Option<bool>,
    #[patchable(setter = "set_default")]
    default: bool,
    #[patchable(setter = "set_clone")]
    clone: Option<String>,
    #[patchable(setter = "set_then")]
    then: Option<String>,
    #[patchable(setter = "set_is_empty")]
    is_empty: Option<bool>,
    #[patchable(setter = "set_new")]
    new: Option<String>,
    #[patchable(setter = "set_eq")]
    eq: Option<String>,
    #[patchable(setter = "set_hash")]
    hash: Option<String>,
    #[patchable(setter = "r#type")]
    kind: Option<String>,
}

#[test]
fn a_renamed_setter_leaves_the_patchs_methods_as_documented() {
    let empty = PopulationPatch::default();
    assert!(empty.is_empty());
    assert_eq!(empty, PopulationPatch::new());
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");

    let patch = PopulationPatch::new()
        .set_default(true)
        .clear_name()
        .set_clear_name(false)
        .set_clone("c")
        .set_then("t")
        .set_is_empty(true)
        .set_new("n")
        .set_eq("e")
        .set_hash("h")
        .r#type("k")
        .clear_clone()
        .clear_then();
    // The patch fields and the JSON keys keep the model's names.
    assert_eq!(patch.default, Some(true));
    assert_eq!(patch.clear_name, Field::Value(false));
    assert_eq!(patch.kind, Field::Value("k".to_owned()));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({
            "name": null, "clear_name": false, "default": true, "clone": null, "then": null,
            "is_empty": true, "new": "n", "eq": "e", "hash": "h", "kind": "k"
        })
    );
    assert!(!patch.is_empty());
    assert!(Patch::is_empty(&PopulationPatch::new()));

    // `Clone`, `PartialEq`, `Hash` and `Patch::then` of the patch, in method-call syntax.
    let copy = patch.clone();
    assert!(copy.eq(&patch));
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(&copy, &mut hasher);
    let later = PopulationPatch::new().set_default(false).name("Staff");
    let both = patch.then(later).unwrap();
    assert_eq!(both.default, Some(false));
    assert_eq!(both.name, Field::Value("Staff".to_owned()));
    assert_eq!(both.clone, Field::Null);

    let mut population = Population {
        id: "p1".into(),
        name: Some("All".into()),
        clear_name: None,
        default: false,
        clone: Some("x".into()),
        then: None,
        is_empty: None,
        new: None,
        eq: None,
        hash: None,
        kind: None,
    };
    let target = Population {
        default: true,
        name: None,
        ..population.clone()
    };
    let diff = population.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"name": null, "default": true})
    );
    assert_eq!(
        serde_json::to_value(diff.to_json_patch(&population).unwrap()).unwrap(),
        json!([{"op": "add", "path": "/default", "value": true}, {"op": "remove", "path": "/name"}])
    );
    population.apply(diff).unwrap();
    assert_eq!(population, target);
}

/// Names that hide nothing the patch documents: the model's methods (`apply`, `diff`), blanket
/// impls' (`into`, `from`, `to_owned`), keywords, and the locals of the generated code.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Message {
    apply: Option<String>,
    diff: Option<String>,
    into: Option<String>,
    from: String,
    to_owned: Option<String>,
    r#type: Option<String>,
    r#ref: Option<String>,
    r#match: String,
    self_: Option<String>,
    __value: Option<String>,
    __key: Option<String>,
    __map: HashMap<String, String>,
    __entry: HashMap<String, String>,
    __result: Option<String>,
    __all: Option<String>,
}

#[test]
fn names_of_the_models_methods_keywords_and_generated_locals_compile_and_work() {
    let mut message = Message {
        apply: None,
        diff: None,
        into: None,
        from: "a@example.com".into(),
        to_owned: None,
        r#type: None,
        r#ref: None,
        r#match: "m".into(),
        self_: None,
        __value: None,
        __key: None,
        __map: HashMap::new(),
        __entry: HashMap::new(),
        __result: None,
        __all: None,
    };
    let patch = MessagePatch::new()
        .apply("a")
        .diff("d")
        .into("i")
        .from("b@example.com")
        .to_owned("o")
        .r#type("t")
        .clear_ref()
        .r#match("n")
        .self_("s")
        .__value("v")
        .__key("k")
        .__map_entry("x", "1")
        .clear___entry_entry("y")
        .__result("r")
        .__all("l");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({
            "apply": "a", "diff": "d", "into": "i", "from": "b@example.com", "to_owned": "o",
            "type": "t", "ref": null, "match": "n", "self_": "s", "__value": "v", "__key": "k",
            "__map": {"x": "1"}, "__entry": {"y": null}, "__result": "r", "__all": "l"
        })
    );
    let read: MessagePatch = serde_json::from_value(serde_json::to_value(&patch).unwrap()).unwrap();
    assert_eq!(read, patch);
    let target = {
        let mut target = message.clone();
        target.apply = Some("a".into());
        target.__map.insert("x".into(), "1".into());
        target
    };
    // The model's `apply` and `diff` are its trait methods, beside fields of those names.
    let diff = message.diff(&target);
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!({"apply": "a", "__map": {"x": "1"}})
    );
    message.apply(diff).unwrap();
    assert_eq!(message, target);
    assert_eq!(message.apply.as_deref(), Some("a"));
}

/// A setter named like a hidden helper of the patch's serde code (`{prefix}_serialize_{field}`,
/// which a map field has where the patch has serde's derives, as a `#[cfg]` field gives it): the
/// helpers take another prefix, as they do for a field so named.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Labelled {
    labels: HashMap<String, String>,
    #[cfg(test)]
    #[patchable(setter = "__sparse_patch_serialize_labels")]
    title: Option<String>,
}

#[test]
fn a_setter_named_like_a_hidden_helper_compiles() {
    let patch = LabelledPatch::new()
        .__sparse_patch_serialize_labels("t")
        .labels_entry("a", "b");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"labels": {"a": "b"}, "title": "t"})
    );
}

/// A patch named with a keyword (`name = "r#match"`) whose serde code is serde's derives (a
/// generic model with a map): serde's reader of it goes on a hidden twin that names the patch
/// through serde's `remote`, where the name must stay raw to parse.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(name = "r#match")]
#[allow(non_camel_case_types)]
struct Game<T> {
    score: Option<T>,
    labels: HashMap<String, T>,
}

#[test]
fn a_patch_named_with_a_keyword_on_serdes_derives() {
    type GamePatch = r#match<u8>;
    let read: GamePatch = serde_json::from_value(json!({"score": 1, "labels": {"a": 2}})).unwrap();
    assert_eq!(read.score, Field::Value(1));
    assert!(serde_json::from_value::<GamePatch>(json!([1])).is_err());
}

/// `hash`, `cmp`, `max` and `lt` name setters where `#[patchable(derive(...))]` asks for no
/// `Hash`, `Ord` or `PartialOrd`: the patch then has no such method to hide
/// (tests/ui/setter_hides_an_order_method.rs shows the error under `derive(Ord)`).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Race {
    hash: Option<String>,
    cmp: Option<u8>,
    max: Option<u8>,
    lt: Option<u8>,
}

#[test]
fn names_of_the_orders_and_hash_methods_are_setters_without_those_derives() {
    let patch = RacePatch::new().hash("h").cmp(1).max(2).lt(3);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"hash": "h", "cmp": 1, "max": 2, "lt": 3})
    );
}

/// Each method of the trait `Patch` is a name that the derive refuses for a setter, which would
/// hide it (tests/ui/setter_hides_a_trait_method.rs shows the error): the derive keeps its own
/// list, which lacked `from_scim_patch` and `from_body`, so that a field `from_body` compiled
/// and `EmailPatch::from_body(dialect, body, &base)` called its setter. The scan reads the
/// trait's `fn` names from its source and looks for each in the derive's list.
#[test]
fn every_method_of_the_patch_trait_is_refused_as_a_setter_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).expect(path);
    let runtime = read("runtime/src/patchable/patch.rs");
    let start = runtime.find("pub trait Patch:").expect("the trait `Patch`");
    let end = start + runtime[start..].find("\n}\n").expect("the trait's end");
    let methods: Vec<&str> = runtime[start..end]
        .split("\n    fn ")
        .skip(1)
        .filter_map(|rest| rest.split(['(', '<']).next())
        .collect();
    assert!(
        methods.contains(&"then") && methods.contains(&"from_body"),
        "{methods:?}"
    );
    let derive = read("macros/src/valid/setters.rs");
    let missing: Vec<&&str> = methods
        .iter()
        .filter(|name| {
            !derive.contains(&format!("\"Patch::{name}\""))
                && !derive.contains(&format!("\"{name}\""))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "a setter may still hide these methods of `Patch`: {missing:?}"
    );
}
