//! The derive and the laws on inputs taken from peer crates' bug reports (serde_derive,
//! struct-patch, optional_struct, json-patch, serde_with, schemars): serde attributes, names,
//! numbers, defaults, schema keys, composition and the dialects.
#![deny(warnings)]
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Field, FromPatch, Patch, Patchable};

fn merged<M: Serialize, P: Serialize>(base: &M, patch: &P) -> Value {
    let mut doc = serde_json::to_value(base).unwrap();
    json_patch::merge(&mut doc, &serde_json::to_value(patch).unwrap());
    doc
}

fn via_json_patch<M: Patchable + Serialize>(base: &M, patch: &M::Patch) -> Value
where
    M::Patch: Serialize,
{
    let ops = patch.to_json_patch(base).unwrap();
    let ops: json_patch::Patch =
        serde_json::from_value(serde_json::to_value(&ops).unwrap()).unwrap();
    let mut doc = serde_json::to_value(base).unwrap();
    json_patch::patch(&mut doc, &ops).unwrap();
    doc
}

// --- deprecated field (serde-rs/serde#1285-style) ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithDeprecated {
    #[deprecated = "use name"]
    old_name: Option<String>,
    name: String,
}

// --- deprecated models, and a field of a deprecated type: the generated code names them, and
// allows `deprecated` only for such models (tests/forbidden_lints.rs forbids it) ---
#[deprecated = "use WithDeprecated"]
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(deprecated)] // its field's type
struct DeprecatedModel {
    name: Option<String>,
    #[patchable(nested)]
    inner: Option<DeprecatedInner>,
}

#[deprecated = "inline it"]
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DeprecatedInner {
    value: u8,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(deprecated)] // serde's derives and the std ones need it on the struct
struct WithDeprecatedType {
    #[patchable(nested)]
    inner: Option<DeprecatedInner>,
}

#[test]
#[allow(deprecated)]
fn deprecated_models_derive_under_deny_warnings() {
    let mut model = DeprecatedModel {
        name: None,
        inner: None,
    };
    model
        .apply(
            DeprecatedModelPatch::new()
                .name("n")
                .inner(DeprecatedInnerPatch::new().value(1)),
        )
        .unwrap();
    assert_eq!(model.inner, Some(DeprecatedInner { value: 1 }));
    let other = WithDeprecatedType { inner: None };
    assert!(other.diff(&other).is_empty());
}

// --- raw identifiers and rename_all variants ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
struct Raw {
    r#type: Option<String>,
    r#match: String,
    user_name_2: Option<u8>,
    _leading: Option<u8>,
}

#[test]
fn raw_identifiers_and_screaming_kebab_case_round_trip() {
    let patch = RawPatch::new()
        .clear_type()
        .r#match("m")
        .user_name_2(3)
        .clear__leading();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"TYPE": null, "MATCH": "m", "USER-NAME-2": 3, "-LEADING": null})
    );
    let back: RawPatch = serde_json::from_value(serde_json::to_value(&patch).unwrap()).unwrap();
    assert_eq!(back, patch);
}

// --- pointer escapes ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Escapes {
    #[serde(rename = "a/b~c")]
    slash: Option<String>,
    #[serde(rename = "")]
    empty: Option<u8>,
    #[serde(rename = "ü ñ")]
    uni: Option<u8>,
    #[patchable(nested)]
    #[serde(rename = "~1")]
    inner: Option<Inner>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner {
    #[serde(rename = "x/y")]
    x: Option<String>,
    v: Value,
}

#[test]
fn pointer_escapes() {
    let base = Escapes {
        slash: Some("s".into()),
        empty: None,
        uni: Some(1),
        inner: Some(Inner {
            x: None,
            v: json!({"p/q": 1, "~": {"a": 1}}),
        }),
        extra: BTreeMap::from([
            ("k/~".to_owned(), json!(1)),
            ("z".to_owned(), json!({"a": [1]})),
        ]),
    };
    let target = Escapes {
        slash: None,
        empty: Some(0),
        uni: None,
        inner: Some(Inner {
            x: Some("x".into()),
            v: json!({"p/q": 2, "~": {"b": 1}}),
        }),
        extra: BTreeMap::from([
            ("new/~0".to_owned(), json!(null)),
            ("z".to_owned(), json!({"a": [2], "b": null})),
        ]),
    };
    let patch = base.diff(&target);
    let m = merged(&base, &patch);
    assert_eq!(via_json_patch(&base, &patch), m);
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    // `null`s inside `Value`s are removed by the merge (documented exception).
    let mut expected = target.clone();
    expected.extra.remove("new/~0");
    expected.extra.insert("z".into(), json!({"a": [2]}));
    assert_eq!(applied, expected);
}

// --- numbers ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Numbers {
    a: i64,
    b: u64,
    c: f64,
    d: Option<i128>,
    e: Value,
}

#[test]
fn integer_and_float_extremes_round_trip_and_diff() {
    let base = Numbers {
        a: i64::MIN,
        b: u64::MAX,
        c: 0.0,
        d: Some(i128::MAX),
        e: json!(u64::MAX),
    };
    let target = Numbers {
        a: i64::MAX,
        b: i64::MAX as u64 + 1,
        c: -0.0,
        d: Some(i128::MIN),
        e: json!(-0.0),
    };
    let patch = base.diff(&target);
    let text = serde_json::to_string(&patch).unwrap();
    let back: NumbersPatch = serde_json::from_str(&text).unwrap();
    assert_eq!(back, patch);
    let mut applied = base.clone();
    applied.apply(back).unwrap();
    assert_eq!(applied.d, target.d);
    assert_eq!(applied.e, json!(-0.0));
}

// --- Cow, Rc, Box, lifetimes, const generics with defaults, where clauses ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Holders<'a, T: Clone = String, const N: usize = 2>
where
    T: std::fmt::Debug,
{
    #[serde(borrow)]
    cow: Cow<'a, str>,
    rc: Box<u8>,
    boxed: Box<Option<T>>,
    opt_box: Option<Box<T>>,
    arr: [u8; 2],
}

#[test]
fn cow_box_and_array_fields_diff_apply_and_round_trip() {
    let base: Holders<'_> = Holders {
        cow: Cow::Borrowed("a"),
        rc: Box::new(1),
        boxed: Box::new(None),
        opt_box: Some(Box::new("b".into())),
        arr: [1, 2],
    };
    let mut target = base.clone();
    target.cow = Cow::Owned("b".into());
    target.opt_box = None;
    target.arr = [3, 4];
    let patch = base.diff(&target);
    let text = serde_json::to_string(&patch).unwrap();
    let back: HoldersPatch<'_> = serde_json::from_str(&text).unwrap();
    let mut applied = base.clone();
    applied.apply(back).unwrap();
    assert_eq!(applied, target);
}

// --- composition at depth inside Value ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Bag {
    v: Value,
    m: HashMap<String, Value>,
    o: Option<Value>,
}

fn compose_law(base: &Bag, p: BagPatch, q: BagPatch) {
    let mut seq = base.clone();
    seq.apply(p.clone()).unwrap();
    seq.apply(q.clone()).unwrap();
    match p.clone().then(q.clone()) {
        Ok(both) => {
            let mut once = base.clone();
            once.apply(both.clone()).unwrap();
            assert_eq!(
                once,
                seq,
                "composed {}",
                serde_json::to_string(&both).unwrap()
            );
            // untyped law
            let mut a = serde_json::to_value(base).unwrap();
            json_patch::merge(&mut a, &serde_json::to_value(&p).unwrap());
            json_patch::merge(&mut a, &serde_json::to_value(&q).unwrap());
            assert_eq!(merged(base, &both), a);
        }
        Err(e) => eprintln!("refused at {}", e.path()),
    }
}

#[test]
fn compose_value_scalar_then_object() {
    let base = Bag {
        v: json!({"a": {"b": 2, "c": 3}}),
        m: HashMap::from([("k".into(), json!({"y": 2}))]),
        o: Some(json!({"a": {"c": 1}})),
    };
    let p: BagPatch = serde_json::from_value(json!({"v": {"a": 1}})).unwrap();
    let q: BagPatch = serde_json::from_value(json!({"v": {"a": {"b": null}}})).unwrap();
    compose_law(&base, p, q);
    let p: BagPatch = serde_json::from_value(json!({"v": {"a": null}})).unwrap();
    let q: BagPatch = serde_json::from_value(json!({"v": {"a": {"x": 1}}})).unwrap();
    compose_law(&base, p, q);
    let p: BagPatch = serde_json::from_value(json!({"m": {"k": 5}})).unwrap();
    let q: BagPatch = serde_json::from_value(json!({"m": {"k": {"x": 1}}})).unwrap();
    compose_law(&base, p, q);
    let p: BagPatch = serde_json::from_value(json!({"m": {"k": null}})).unwrap();
    let q: BagPatch = serde_json::from_value(json!({"m": {"k": {"x": 1}}})).unwrap();
    compose_law(&base, p, q);
    let p: BagPatch = serde_json::from_value(json!({"o": null})).unwrap();
    let q: BagPatch = serde_json::from_value(json!({"o": {"x": 1}})).unwrap();
    compose_law(&base, p, q);
    let p: BagPatch = serde_json::from_value(json!({"o": {"a": [1]}})).unwrap();
    let q: BagPatch = serde_json::from_value(json!({"o": {"a": {"z": 1}}})).unwrap();
    compose_law(&base, p, q);
    let p: BagPatch = serde_json::from_value(json!({"v": {"a": {"b": null}}})).unwrap();
    let q: BagPatch = serde_json::from_value(json!({"v": {"a": {"b": {"c": null}}}})).unwrap();
    compose_law(&base, p, q);
}

#[test]
fn json_patch_on_values() {
    let base = Bag {
        v: json!({"a": 0, "b": [1]}),
        m: HashMap::from([("k".into(), json!(0))]),
        o: None,
    };
    for patch in [
        json!({"v": {"a": {"x": 1}}}),
        json!({"v": {"a": null, "c": {"d": null}}}),
        json!({"m": {"k": {"x": null, "y": 1}}}),
        json!({"m": {"k": null, "j": {}}}),
        json!({"o": {"a": {"b": null}}}),
        json!({"v": {}}),
        json!({"v": 3}),
        json!({"v": {"b": {"c": 1}}}),
    ] {
        let p: BagPatch = serde_json::from_value(patch.clone()).unwrap();
        let m = merged(&base, &p);
        assert_eq!(via_json_patch(&base, &p), m, "{patch}");
        let mut applied = base.clone();
        applied.apply(p).unwrap();
        assert_eq!(serde_json::to_value(&applied).unwrap(), m, "{patch}");
    }
}

// --- skip_serializing / skip_deserializing / default / alias ---
#[derive(Patchable, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Skips {
    #[serde(skip_serializing)]
    write_only: Option<String>,
    #[serde(skip_deserializing)]
    read_only: Option<String>,
    #[serde(alias = "old", alias = "older")]
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

#[test]
fn skip_serializing_and_skip_deserializing_fields_read_and_write_as_serde_does() {
    let p: SkipsPatch = serde_json::from_value(json!({"older": "n", "write_only": null})).unwrap();
    assert_eq!(p.name.as_deref(), Some("n"));
    let base = Skips {
        write_only: Some("w".into()),
        read_only: Some("r".into()),
        name: "a".into(),
        tags: vec!["t".into()],
    };
    let target = Skips {
        write_only: None,
        read_only: None,
        name: "b".into(),
        tags: vec![],
    };
    let patch = base.diff(&target);
    let m = merged(&base, &patch);
    assert_eq!(via_json_patch(&base, &patch), m);
}

// --- cfg_attr on a field ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CfgAttr {
    #[cfg_attr(all(), serde(rename = "renamed"))]
    a: Option<u8>,
    #[cfg_attr(all(), patchable(skip))]
    b: u8,
    #[cfg(any())]
    gone: u8,
}

#[test]
fn cfg_attr_renames_and_skips_apply_to_the_patch() {
    assert_eq!(
        serde_json::to_value(CfgAttrPatch::new().a(1)).unwrap(),
        json!({"renamed": 1})
    );
}

// --- flatten nested struct with the same field names in two models in one module ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Meta {
    created: Option<String>,
    version: u32,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Doc1 {
    version: u32,
    #[serde(flatten)]
    #[patchable(nested)]
    meta: Meta2,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Meta2 {
    created: Option<String>,
    updated: Option<String>,
}

#[test]
fn flatten_law() {
    let base = Doc1 {
        version: 1,
        meta: Meta2 {
            created: Some("c".into()),
            updated: None,
        },
    };
    let target = Doc1 {
        version: 2,
        meta: Meta2 {
            created: None,
            updated: Some("u".into()),
        },
    };
    let patch = base.diff(&target);
    let m = merged(&base, &patch);
    assert_eq!(via_json_patch(&base, &patch), m);
    let built = Doc1::from_patch(target.diff(&target)).err();
    let _ = built;
    let mut a = base.clone();
    a.apply(patch).unwrap();
    assert_eq!(a, target);
}

// --- the derive's own reader against serde's ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reader {
    #[patchable(skip)]
    id: String,
    user_name: String,
    #[serde(alias = "nick")]
    nick_name: Option<String>,
    data: Value,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict {
    #[patchable(skip)]
    id: String,
    name: Option<String>,
}

#[test]
fn the_derives_reader_takes_escaped_keys_and_refuses_a_key_with_its_alias() {
    // escaped keys (not borrowable)
    let p: ReaderPatch =
        serde_json::from_str(r#"{"user\u004eame": "a", "nick\u004eame": null}"#).unwrap();
    assert_eq!(p.user_name.as_deref(), Some("a"));
    assert_eq!(p.nick_name, Field::Null);
    let p: ReaderPatch =
        serde_json::from_reader(&br#"{"userName": "a", "nick": "n"}"#[..]).unwrap();
    assert_eq!(p.nick_name, Field::Value("n".into()));
    // alias and name both: serde says duplicate field
    let model = serde_json::from_str::<Reader>(
        r#"{"id":"1","userName":"a","nickName":"x","nick":"y","data":1}"#,
    );
    let patch = serde_json::from_str::<ReaderPatch>(r#"{"nickName":"x","nick":"y"}"#);
    assert_eq!(model.is_err(), patch.is_err(), "{model:?} vs {patch:?}");
    // required Value null: refused by name
    let e = serde_json::from_str::<ReaderPatch>(r#"{"data": null}"#).unwrap_err();
    assert!(e.to_string().contains("data"), "{e}");
}

// --- apply failure leaves the model unchanged ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Outer {
    a: Option<String>,
    #[patchable(nested)]
    inner: Option<Req>,
    m: BTreeMap<String, u8>,
    #[patchable(key = "id")]
    items: Vec<Value>,
    z: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Req {
    must: String,
    #[patchable(nested)]
    deep: Option<Req2>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Req2 {
    must2: String,
}

#[test]
fn apply_failure_is_atomic() {
    let base = Outer {
        a: Some("a".into()),
        inner: None,
        m: BTreeMap::from([("k".into(), 1)]),
        items: vec![json!({"id": 1})],
        z: None,
    };
    for patch in [
        json!({"a": "b", "m": {"k": null, "j": 2}, "inner": {"deep": {"must2": "x"}}, "z": "z"}),
        json!({"a": "b", "m": {"k": null}, "items": [{"id": 1}, {"id": 1.0}], "z": "z"}),
        json!({"a": "b", "items": [{"id": 1}, {"x": 1}], "z": "z"}),
        json!({"a": null, "inner": {"must": "m", "deep": {}}, "z": "z"}),
    ] {
        let p: OuterPatch = serde_json::from_value(patch.clone()).unwrap();
        let mut model = base.clone();
        let r = model.apply(p.clone());
        assert!(r.is_err(), "{patch}");
        assert_eq!(model, base, "{patch}");
        assert!(Outer::from_patch(p).is_err());
    }
}

// --- keyed arrays in the dialects, keys needing escapes ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Keyed {
    #[patchable(key = "ty/pe")]
    #[serde(rename = "e~mails")]
    emails: Vec<Value>,
}

#[test]
fn keyed_dialects() {
    let base = Keyed {
        emails: vec![
            json!({"ty/pe": "w\"o\\rk", "v": 1}),
            json!({"ty/pe": "home", "v": 2}),
            json!({"ty/pe": 3, "v": {"a": 1}}),
        ],
    };
    let target = Keyed {
        emails: vec![
            json!({"ty/pe": "w\"o\\rk", "v": 5}),
            json!({"ty/pe": 3.0, "v": {"a": 2}}),
            json!({"ty/pe": "new", "v": null}),
        ],
    };
    let patch = base.diff(&target);
    let m = merged(&base, &patch);
    assert_eq!(via_json_patch(&base, &patch), m);
    let scim = patch.to_scim_patch(&base);
    eprintln!(
        "{}",
        serde_json::to_string(&scim.as_ref().map_err(|e| e.to_string())).unwrap()
    );
}

// --- compose with nested and maps ---
#[test]
fn compose_nested() {
    let base = Outer {
        a: None,
        inner: Some(Req {
            must: "m".into(),
            deep: Some(Req2 { must2: "d".into() }),
        }),
        m: BTreeMap::new(),
        items: vec![],
        z: None,
    };
    let cases = [
        (
            json!({"inner": {"deep": {"must2": "x"}}}),
            json!({"inner": null}),
        ),
        (
            json!({"inner": {"deep": null}}),
            json!({"inner": {"deep": {"must2": "y"}}}),
        ),
        (json!({"m": {"a": 1}}), json!({"m": {"a": null}})),
        (json!({"m": {"a": null}}), json!({"m": {"a": 2}})),
        (json!({"items": [{"id": 1}]}), json!({"items": []})),
        (json!({"inner": null}), json!({"inner": {"must": "n"}})),
    ];
    for (p, q) in cases {
        let p: OuterPatch = serde_json::from_value(p).unwrap();
        let q: OuterPatch = serde_json::from_value(q).unwrap();
        let mut seq = base.clone();
        let r1 = seq.apply(p.clone()).and_then(|()| seq.apply(q.clone()));
        match p.clone().then(q.clone()) {
            Ok(both) => {
                let mut once = base.clone();
                let r2 = once.apply(both.clone());
                assert_eq!(r1.is_ok(), r2.is_ok());
                if r1.is_ok() {
                    assert_eq!(once, seq, "{}", serde_json::to_string(&both).unwrap());
                }
                let back: OuterPatch =
                    serde_json::from_value(serde_json::to_value(&both).unwrap()).unwrap();
                assert_eq!(back, both);
            }
            Err(e) => eprintln!("refused {}", e.path()),
        }
    }
}

pub mod private_types {
    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Secret(String);

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub(crate) struct Internal(u8);

    macro_rules! schema {
        ($t:ty) => {
            impl schemars::JsonSchema for $t {
                fn schema_name() -> std::borrow::Cow<'static, str> {
                    stringify!($t).into()
                }
                fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    schemars::json_schema!({"type": "string"})
                }
            }
        };
    }
    schema!(Secret);
    schema!(Internal);

    /// A public model with fields of private types.
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Account {
        secret: Secret,
        note: Option<Secret>,
        pub(crate) internal: Option<Internal>,
        pub name: String,
    }
}

mod generic_nested {
    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Inner<'a> {
        #[serde(borrow)]
        pub label: std::borrow::Cow<'a, str>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Outer<'a, T>
    where
        T: Clone,
    {
        #[serde(borrow)]
        #[patchable(nested)]
        pub inner: Option<Inner<'a>>,
        pub t: Option<T>,
    }
}

macro_rules! model {
    ($name:ident, $field:ident : $t:ty) => {
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        struct $name {
            $field: $t,
            fixed: Option<u8>,
        }
    };
}
model!(FromMacro, value: Option<String>);

#[test]
fn a_model_made_by_macro_rules_gets_its_setters() {
    let p = FromMacroPatch::new().clear_value().clear_fixed();
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"value": null, "fixed": null})
    );
}

// --- schema ---
#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

fn validates(schema: Value, instance: &Value) -> bool {
    Validator::new(schema).accepts(instance)
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmptyKey {
    #[serde(rename = "")]
    empty: Option<u8>,
    other: Option<u8>,
}

#[test]
fn schema_empty_key() {
    let patch = EmptyKeyPatch::new().empty(1);
    let json = serde_json::to_value(&patch).unwrap();
    assert_eq!(json, json!({"": 1}));
    assert_eq!(
        serde_json::from_value::<EmptyKeyPatch>(json.clone()).unwrap(),
        patch
    );
    for serialize in [true, false] {
        let schema = schema_of::<EmptyKeyPatch>(serialize);
        assert!(
            validates(schema.clone(), &json),
            "serialize={serialize}: {schema}"
        );
    }
}

#[test]
fn schema_keys() {
    let schema = schema_of::<RawPatch>(true);
    let mut keys: Vec<_> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(keys, ["-LEADING", "MATCH", "TYPE", "USER-NAME-2"]);
    let schema = schema_of::<Doc1Patch>(false);
    let json = serde_json::to_value(Doc1Patch::new().version(3u32)).unwrap();
    assert!(validates(schema, &json));
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SkipEmpty {
    #[serde(rename = "", skip_serializing)]
    write_only: Option<u8>,
    #[serde(rename(serialize = "", deserialize = "d"), skip_serializing)]
    other: Option<u8>,
}

#[test]
fn schema_skips() {
    let keys = |schema: Value| {
        let mut keys: Vec<String> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(schema_of::<SkipsPatch>(true)),
        ["name", "read_only", "tags"]
    );
    assert_eq!(
        keys(schema_of::<SkipsPatch>(false)),
        ["name", "old", "older", "tags", "write_only"]
    );
    assert!(keys(schema_of::<SkipEmptyPatch>(true)).is_empty());
    assert_eq!(keys(schema_of::<SkipEmptyPatch>(false)), ["", "d"]);
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct IntKeys {
    m: BTreeMap<u32, String>,
    h: HashMap<i64, Value>,
    #[serde(flatten)]
    rest: BTreeMap<String, Value>,
}

#[test]
fn integer_keyed_maps_round_trip_and_give_json_patch() {
    let base = IntKeys {
        m: BTreeMap::from([(1, "a".into()), (2, "b".into())]),
        h: HashMap::from([(-1, json!({"x": 1}))]),
        rest: BTreeMap::from([("q".into(), json!(1))]),
    };
    let target = IntKeys {
        m: BTreeMap::from([(2, "c".into()), (3, "d".into())]),
        h: HashMap::from([(-1, json!({"y": 1})), (7, json!([]))]),
        rest: BTreeMap::new(),
    };
    let patch = base.diff(&target);
    let text = serde_json::to_string(&patch).unwrap();
    let back: IntKeysPatch = serde_json::from_str(&text).unwrap();
    assert_eq!(back, patch, "{text}");
    assert_eq!(via_json_patch(&base, &patch), merged(&base, &patch));
    let mut a = base.clone();
    a.apply(back).unwrap();
    assert_eq!(a, target);
    let schema = schema_of::<IntKeysPatch>(false);
    assert!(
        validates(schema, &serde_json::to_value(&patch).unwrap()),
        "{text}"
    );
    let scim = patch
        .to_scim_patch(&base)
        .map(|p| serde_json::to_string(&p).unwrap());
    eprintln!("{scim:?}");
}

// --- serde defaults and building a nested model from a patch ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithDefaults {
    name: String,
    #[serde(default)]
    count: u32,
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default)]
    tags: Vec<String>,
}

fn default_kind() -> String {
    "k".into()
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct AllDefault {
    a: u32,
    b: String,
}

impl Default for AllDefault {
    fn default() -> Self {
        AllDefault {
            a: 7,
            b: "b".into(),
        }
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Parent {
    #[patchable(nested)]
    child: Option<WithDefaults>,
    #[patchable(nested)]
    all: Option<AllDefault>,
}

/// The merge on JSON builds `child` from `{"name": "x"}`, and the model reads it (serde fills
/// the defaults); `apply` refuses.
#[test]
fn nested_build_uses_serde_defaults() {
    let base = Parent {
        child: None,
        all: None,
    };
    let patch: ParentPatch =
        serde_json::from_value(json!({"child": {"name": "x"}, "all": {}})).unwrap();
    let server: Parent = serde_json::from_value(merged(&base, &patch)).unwrap();
    let mut model = base.clone();
    let result = model.apply(patch);
    assert_eq!(result.map(|()| model), Ok(server));
}

fn some_note() -> Option<String> {
    Some("n".into())
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct GenericDefaults<T> {
    #[serde(default)]
    value: T,
    #[serde(default = "some_note")]
    note: Option<String>,
    #[patchable(nested)]
    #[serde(default)]
    inner: AllDefault,
    required: String,
}

#[test]
fn from_patch_uses_serde_defaults() {
    let patch: GenericDefaultsPatch<u8> = serde_json::from_value(json!({"required": "r"})).unwrap();
    let read: GenericDefaults<u8> = serde_json::from_value(json!({"required": "r"})).unwrap();
    assert_eq!(GenericDefaults::from_patch(patch).unwrap(), read);
    let patch: GenericDefaultsPatch<u8> =
        serde_json::from_value(json!({"required": "r", "note": null, "inner": {"a": 1}})).unwrap();
    let read: GenericDefaults<u8> =
        serde_json::from_value(json!({"required": "r", "note": null, "inner": {"a": 1}})).unwrap();
    assert_eq!(GenericDefaults::from_patch(patch).unwrap(), read);
    // still refused: a required attribute without a default
    let patch: GenericDefaultsPatch<u8> = serde_json::from_value(json!({})).unwrap();
    assert_eq!(
        GenericDefaults::from_patch(patch).unwrap_err().to_string(),
        GenericDefaults::<u8>::from_patch(GenericDefaultsPatch::new())
            .unwrap_err()
            .to_string()
    );
    assert!(WithDefaults::from_patch(WithDefaultsPatch::new()).is_err());
}

/// The struct's defaults from a function, on a model without `Default` (serde#2428, serde#3002:
/// `default = "path"` is written to spare a type the `Default` that serde's derive does not
/// ask for). `FromPatch` was bounded by `Preferences: Default` all the same, so that it was left
/// out for such a model ("`from_patch` exists for struct `Preferences<_>`, but its trait bounds
/// were not satisfied"), and a parent that nests it as an `Option` did not compile.
fn preference_defaults<T: Default>() -> Preferences<T> {
    Preferences {
        level: Some(T::default()),
        region: "eu".into(),
        retries: 3,
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default = "preference_defaults")]
struct Preferences<T: Default> {
    level: Option<T>,
    region: String,
    #[patchable(skip)]
    retries: u8,
}

fn account_defaults() -> Account {
    Account {
        plan: "free".into(),
        note: Some("new".into()),
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default = "account_defaults")]
struct Account {
    plan: String,
    note: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tenant {
    #[patchable(nested)]
    account: Option<Account>,
    #[patchable(nested)]
    preferences: Option<Preferences<u8>>,
}

#[test]
fn struct_defaults_from_a_function_need_no_default_impl() {
    for body in [json!({}), json!({"plan": "pro", "note": null})] {
        let patch: AccountPatch = serde_json::from_value(body.clone()).unwrap();
        let read: Account = serde_json::from_value(body).unwrap();
        assert_eq!(Account::from_patch(patch).unwrap(), read);
    }
    let patch: PreferencesPatch<u8> = serde_json::from_value(json!({"level": null})).unwrap();
    let read: Preferences<u8> = serde_json::from_value(json!({"level": null})).unwrap();
    assert_eq!(Preferences::from_patch(patch).unwrap(), read);
    // A nested model built from a patch takes the defaults the model's reading gives.
    let base = Tenant {
        account: None,
        preferences: None,
    };
    let patch: TenantPatch =
        serde_json::from_value(json!({"account": {"plan": "pro"}, "preferences": {}})).unwrap();
    let server: Tenant = serde_json::from_value(merged(&base, &patch)).unwrap();
    let mut model = base;
    model.apply(patch).unwrap();
    assert_eq!(model, server);
    // `to_patch` sends a `None` as `null`, which the defaults would otherwise make `Some`.
    let account = Account {
        plan: "pro".into(),
        note: None,
    };
    assert_eq!(
        Account::from_patch(sparse_patch::Diff::to_patch(&account)).unwrap(),
        account
    );
}

/// Values whose JSON the derive cannot see, written `null`: a type alias of an `Option` left
/// required (the README's rule for an alias not marked `nullable`), a newtype of the user's
/// around an `Option` (serde writes `Nick(None)` as `null`; optional_struct's and
/// struct-patch's users wrap optional values so), and an `Option` of such a newtype. `diff` to
/// `None` wrote `{"alias": null}` and `{"nick": null}`, which a server reads as removing a
/// required attribute and which the patch itself refused to read, and `Some(Nick(None))` of a
/// nullable field wrote the `null` that clears it. Writing such a patch now fails, naming the
/// attribute; the same types' other values are written as before.
type MaybeText = Option<String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Nick(Option<String>);

impl schemars::JsonSchema for Nick {
    fn schema_name() -> Cow<'static, str> {
        "Nick".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<String>>::json_schema(generator)
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Handles {
    alias: MaybeText,
    nick: Nick,
    other: Option<Nick>,
}

#[test]
fn values_written_null_that_the_derive_cannot_see_are_not_sent() {
    let base = Handles {
        alias: Some("a".into()),
        nick: Nick(Some("n".into())),
        other: None,
    };
    let target = Handles {
        alias: None,
        nick: Nick(None),
        other: Some(Nick(None)),
    };
    let patch = base.diff(&target);
    for field in ["alias", "nick", "other"] {
        let mut one = patch.clone();
        if field != "alias" {
            one.alias = None;
        }
        if field != "nick" {
            one.nick = None;
        }
        if field != "other" {
            one.other = Field::Absent;
        }
        let error = serde_json::to_string(&one).unwrap_err().to_string();
        assert!(
            error.contains(&format!("`{field}` is written `null`")),
            "{error}"
        );
    }
    let fine = Handles {
        alias: Some("b".into()),
        nick: Nick(Some("m".into())),
        other: Some(Nick(Some("o".into()))),
    };
    assert_eq!(
        serde_json::to_value(base.diff(&fine)).unwrap(),
        json!({"alias": "b", "nick": "m", "other": "o"})
    );
    assert_eq!(
        serde_json::to_value(HandlesPatch::new().clear_other()).unwrap(),
        json!({"other": null})
    );
    // In memory the patch still reaches the target.
    let mut applied = base.clone();
    applied.apply(patch).unwrap();
    assert_eq!(applied, target);
}

/// `#[patchable(required)]` says that a type named like a standard one is the user's own (an
/// `Option`, a `Box`), so its JSON is one the derive cannot see as well; but the null check
/// read such a field's type by its name and left it out: `required_hint(None)` of a required
/// `Option<String>`, `Box<Option<u8>>` or `()` wrote `{"hint": null}`, which removes a required
/// attribute and which the patch itself refuses to read back. Writing it now fails, naming the
/// attribute; every other value is written as before.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct RequiredByMark {
    #[patchable(required)]
    hint: Option<String>,
    #[patchable(required)]
    level: Box<Option<u8>>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RequiredUnit {
    #[patchable(required)]
    hint: Option<String>,
    #[patchable(required)]
    level: Box<Option<u8>>,
    #[patchable(required)]
    marker: (),
}

#[test]
fn a_field_marked_required_is_checked_for_null_whatever_its_name() {
    for (json, field) in [
        (
            serde_json::to_string(&RequiredUnitPatch::new().hint(None)),
            "hint",
        ),
        (
            serde_json::to_string(&RequiredUnitPatch::new().level(Box::new(None))),
            "level",
        ),
        (
            serde_json::to_string(&RequiredUnitPatch::new().marker(())),
            "marker",
        ),
        // Through serde's derives (`derive(Eq)`).
        (
            serde_json::to_string(&RequiredByMarkPatch::new().hint(None)),
            "hint",
        ),
        (
            serde_json::to_string(&RequiredByMarkPatch::new().level(Box::new(None))),
            "level",
        ),
    ] {
        let error = json.unwrap_err().to_string();
        assert!(
            error.contains(&format!("`{field}` is written `null`")),
            "{error}"
        );
    }
    assert_eq!(
        serde_json::to_value(
            RequiredUnitPatch::new()
                .hint(Some("h".to_owned()))
                .level(Box::new(Some(2)))
        )
        .unwrap(),
        json!({"hint": "h", "level": 2})
    );
    assert_eq!(
        serde_json::to_value(RequiredByMarkPatch::new().hint(Some("h".to_owned()))).unwrap(),
        json!({"hint": "h"})
    );
}

/// The README's model (`Option` fields without `skip_serializing_if`): its JSON holds
/// `"o": null`, which the merge patch `{"o": null}` removes, while the JSON Patch output sends
/// no `remove` (a `null` member of the base counts as absent, as on a server that stores no
/// `null`: the `remove` would fail there). The same inside a `serde_json::Value`: `{"a": null}`
/// merged with `{"a": null}` is `{}`. The README states the law with exactly this condition:
/// the two documents differ only in `null` members of the base.
#[test]
fn json_patch_law_holds_up_to_the_base_null_members() {
    fn without_nulls(value: &mut Value) {
        if let Value::Object(members) = value {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(without_nulls);
        }
    }
    let base = Bag {
        v: json!({"a": null, "b": 1}),
        m: HashMap::new(),
        o: None,
    };
    let patch: BagPatch =
        serde_json::from_value(json!({"o": null, "v": {"a": null, "b": 2}})).unwrap();
    let ops = serde_json::to_value(patch.to_json_patch(&base).unwrap()).unwrap();
    assert_eq!(ops, json!([{"op": "add", "path": "/v/b", "value": 2}]));
    let (mut via_ops, mut via_merge) = (via_json_patch(&base, &patch), merged(&base, &patch));
    // Not equal as they stand: the base's `null` members stay under the operations...
    assert_ne!(via_ops, via_merge);
    // ...and are the only difference.
    without_nulls(&mut via_ops);
    without_nulls(&mut via_merge);
    assert_eq!(via_ops, via_merge);
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ReadOnlyChild {
    name: String,
    #[serde(skip_deserializing)]
    created: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ReadOnlyParent {
    #[patchable(nested)]
    child: Option<ReadOnlyChild>,
}

/// serde fills a `skip_deserializing` field with its default; the patch never reads its key, so
/// building the model from a patch needs that default too.
#[test]
fn skip_deserializing_builds_with_default() {
    let base = ReadOnlyParent { child: None };
    let patch: ReadOnlyParentPatch =
        serde_json::from_value(json!({"child": {"name": "x", "created": "c"}})).unwrap();
    let server: ReadOnlyParent = serde_json::from_value(merged(&base, &patch)).unwrap();
    let mut model = base.clone();
    assert_eq!(model.apply(patch).map(|()| model), Ok(server));
}

fn server_revision() -> u32 {
    7
}

/// A child whose read-only attributes serde fills from its `default` function, or from the
/// struct's `Default` under `#[serde(default)]`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Settings {
    name: String,
    #[serde(skip)]
    retries: u32,
    #[patchable(skip)]
    region: String,
    #[serde(skip_deserializing, default = "server_revision")]
    revision: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            name: "default".into(),
            retries: 3,
            region: "eu".into(),
            revision: 1,
        }
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Service {
    #[patchable(nested)]
    settings: Option<Settings>,
}

/// A skipped field takes what serde's reading gives it (the field's `default`, else the
/// struct's), not its type's `Default`: building the nested model from a patch gave
/// `retries: 0`, `region: ""` and `revision: 0` where the model's own reading of the merged JSON
/// gives 3, "eu" and 7.
#[test]
fn skipped_fields_build_with_serdes_defaults() {
    let base = Service { settings: None };
    let patch: ServicePatch = serde_json::from_value(json!({"settings": {"name": "x"}})).unwrap();
    let server: Service = serde_json::from_value(merged(&base, &patch)).unwrap();
    let mut model = base.clone();
    assert_eq!(
        model.apply(patch.clone()).map(|()| model),
        Ok(server.clone())
    );
    let built = Settings::from_patch(patch.settings.into_value().unwrap()).unwrap();
    assert_eq!(Some(built), server.settings);
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Custom {
    name: Option<String>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[test]
fn compose_flattened_values() {
    let base = Custom {
        name: None,
        extra: BTreeMap::from([
            ("k".into(), json!({"y": 2})),
            ("j".into(), json!({"a": {"b": 1}})),
        ]),
    };
    for (p, q) in [
        (json!({"k": 5}), json!({"k": {"x": 1}})),
        (json!({"k": null}), json!({"k": {"x": 1}})),
        (json!({"j": {"a": 1}}), json!({"j": {"a": {"c": 1}}})),
        (
            json!({"j": {"a": {"b": null}}}),
            json!({"j": {"a": {"d": 1}}}),
        ),
    ] {
        let p: CustomPatch = serde_json::from_value(p).unwrap();
        let q: CustomPatch = serde_json::from_value(q).unwrap();
        let mut seq = base.clone();
        seq.apply(p.clone()).unwrap();
        seq.apply(q.clone()).unwrap();
        if let Ok(both) = p.then(q) {
            let mut once = base.clone();
            once.apply(both.clone()).unwrap();
            assert_eq!(once, seq, "{}", serde_json::to_string(&both).unwrap());
        }
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Enterprise {
    #[serde(rename = "employeeNumber")]
    employee_number: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ScimUser {
    #[serde(rename = "userName")]
    user_name: String,
    #[patchable(nested)]
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    enterprise: Option<Enterprise>,
}

/// RFC 7644 §3.4.2.2 (Figure 1) and §3.10: `attrPath = [URI ":"] ATTRNAME *1subAttr`; an extension attribute is
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
#[test]
fn scim_extension_attribute() {
    let base = ScimUser {
        user_name: "u".into(),
        enterprise: Some(Enterprise {
            employee_number: Some("1".into()),
        }),
    };
    let mut target = base.clone();
    target.enterprise = Some(Enterprise {
        employee_number: Some("2".into()),
    });
    let scim = base.diff(&target).to_scim_patch(&base).unwrap();
    assert_eq!(
        serde_json::to_value(&scim.operations).unwrap(),
        json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "2"}])
    );
}

/// An extension's member (RFC 7643 §3.3) as untyped JSON: each attribute changes as a
/// top-level one does under its URN-qualified path, complex ones down to `urn:…:manager.value`;
/// `null` removes what the base holds; names a path cannot carry are still refused.
#[test]
fn scim_extension_attributes_of_every_kind() {
    use sparse_patch::{DialectError, scim_patch_from_merge};
    const URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let ops = |base: Value, merge: Value| {
        scim_patch_from_merge(&base, &merge, &[])
            .map(|patch| serde_json::to_value(&patch.operations).unwrap())
    };
    let base = json!({URN: {"department": "R&D", "manager": {"value": "m1", "displayName": "M"}}});
    assert_eq!(
        ops(
            base.clone(),
            json!({URN: {"department": null, "division": "X", "manager": {"value": "m2"}}})
        )
        .unwrap(),
        json!([
            {"op": "remove", "path": format!("{URN}:department")},
            {"op": "replace", "path": format!("{URN}:division"), "value": "X"},
            {"op": "replace", "path": format!("{URN}:manager.value"), "value": "m2"}
        ])
    );
    assert_eq!(
        ops(base.clone(), json!({URN: null})).unwrap(),
        json!([
            {"op": "remove", "path": format!("{URN}:department")},
            {"op": "remove", "path": format!("{URN}:manager")}
        ])
    );
    assert_eq!(
        ops(
            json!({}),
            json!({URN: {"employeeNumber": "7", "costCenter": null}})
        )
        .unwrap(),
        json!([{"op": "replace", "path": format!("{URN}:employeeNumber"), "value": "7"}])
    );
    assert_eq!(ops(json!({}), json!({URN: null})).unwrap(), json!([]));
    for (merge, path) in [
        (json!({URN: {"a b": 1}}), format!("{URN}:a b")),
        (json!({URN: 5}), URN.to_owned()),
        (json!({"urn:x": 5}), "urn:x".to_owned()),
        (json!({"urn:x:y[z]": {"a": 1}}), "urn:x:y[z]".to_owned()),
    ] {
        match ops(base.clone(), merge.clone()) {
            Err(DialectError::ScimName { path: found }) => assert_eq!(found, path, "{merge}"),
            other => panic!("{merge}: {other:?}"),
        }
    }
}

/// Attributes shared by several resources, flattened into each, with read-only ones.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Common {
    #[patchable(skip)]
    id: String,
    #[patchable(skip)]
    #[serde(alias = "created")]
    created_at: String,
    name: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Resource {
    #[serde(flatten)]
    #[patchable(nested)]
    common: Common,
    nickname: Option<String>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

/// A server's answer read as a patch: the flattened nested model's read-only keys are its own
/// (as in the model, whose `custom` does not get them), not the parent's map's, which sent
/// `id` and `createdAt` back.
#[test]
fn read_only_keys_of_a_flattened_nested_model_stay_out_of_the_parents_map() {
    let answer = json!({"id": "1", "created": "t", "name": "n", "nickname": "k", "pet": "cat"});
    let model: Resource = serde_json::from_value(answer.clone()).unwrap();
    assert_eq!(model.custom.keys().collect::<Vec<_>>(), ["pet"]);
    let patch: ResourcePatch = serde_json::from_value(answer).unwrap();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"name": "n", "nickname": "k", "pet": "cat"})
    );
}

/// A nested model with its own flattened map, flattened into a parent.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Extensible {
    label: Option<String>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Holder {
    name: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    inner: Extensible,
}

/// The nested patch asked its flattening parent for its named keys alone
/// (`deserialize_struct`), so its flattened map got none: `{"pet": "dog"}` read as an empty
/// patch, where the model's `extra` holds `pet` (serde's derive reads a struct with a
/// flattened field as a map).
#[test]
fn a_flattened_nested_models_own_map_reads_the_other_keys() {
    let answer = json!({"name": "n", "label": "x", "pet": "cat"});
    let model: Holder = serde_json::from_value(answer.clone()).unwrap();
    assert_eq!(model.inner.extra.keys().collect::<Vec<_>>(), ["pet"]);
    let patch: HolderPatch = serde_json::from_value(answer.clone()).unwrap();
    assert_eq!(serde_json::to_value(&patch).unwrap(), answer);
    let patch: HolderPatch = serde_json::from_value(json!({"pet": "dog"})).unwrap();
    let mut applied = model.clone();
    applied.apply(patch).unwrap();
    assert_eq!(applied.inner.extra["pet"], "dog");
}

// --- SCIM attribute names are case-insensitive (RFC 7643 §2.1) ---
// Peers: langwatch/langwatch#7140, python-scim/scim2-models#39, scimmyjs/scimmy#7 (servers that
// read `Members` and `members`, `UserName` and `userName`, as one attribute).

/// A custom attribute renamed in case only (`department` to `Department`, as a feed of another
/// spelling gives): the merge patch removes one name and sets the other, and on a server that
/// reads names in any case, as RFC 7643 §2.1 says, the `remove` sent after the `replace`
/// removed the value just set. The `remove` goes first, at every level SCIM paths reach.
#[test]
fn scim_names_renamed_in_case_only_are_removed_before_they_are_set() {
    use sparse_patch::scim_patch_from_merge;
    const URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let base = Resource {
        common: Common {
            id: "1".into(),
            created_at: "t".into(),
            name: None,
        },
        nickname: None,
        custom: BTreeMap::from([
            ("department".to_owned(), json!("R&D")),
            ("site".to_owned(), json!("x")),
        ]),
    };
    let mut target = base.clone();
    target.custom = BTreeMap::from([
        ("Department".to_owned(), json!("R&D")),
        ("site".to_owned(), json!("y")),
    ]);
    let scim = base.diff(&target).to_scim_patch(&base).unwrap();
    assert_eq!(
        serde_json::to_value(&scim.operations).unwrap(),
        json!([
            {"op": "remove", "path": "department"},
            {"op": "replace", "path": "Department", "value": "R&D"},
            {"op": "replace", "path": "site", "value": "y"}
        ])
    );
    let ops = |base: Value, merge: Value| {
        serde_json::to_value(
            scim_patch_from_merge(&base, &merge, &[])
                .unwrap()
                .operations,
        )
        .unwrap()
    };
    assert_eq!(
        ops(
            json!({"name": {"given": "D"}}),
            json!({"name": {"Given": "D", "given": null}})
        ),
        json!([
            {"op": "remove", "path": "name.given"},
            {"op": "replace", "path": "name.Given", "value": "D"}
        ])
    );
    assert_eq!(
        ops(
            json!({URN: {"employeeNumber": "1"}}),
            json!({URN: {"EmployeeNumber": "1", "employeeNumber": null}})
        ),
        json!([
            {"op": "remove", "path": format!("{URN}:employeeNumber")},
            {"op": "replace", "path": format!("{URN}:EmployeeNumber"), "value": "1"}
        ])
    );
    // A base that holds both (from a source that reads names exactly): the one kept is removed
    // too and set anew, as the first `remove` may have removed it.
    assert_eq!(
        ops(
            json!({"A": {"x": 0, "z": 1}, "a": 0}),
            json!({"A": {"x": 2}, "a": null})
        ),
        json!([
            {"op": "remove", "path": "a"},
            {"op": "remove", "path": "A"},
            {"op": "replace", "path": "A", "value": {"x": 2, "z": 1}}
        ])
    );
    let keyed = [sparse_patch::KeyedArray::Array {
        attribute: "emails",
        key: "type",
    }];
    let scim = scim_patch_from_merge(
        &json!({"emails": [{"type": "work", "value": "a"}]}),
        &json!({"emails": [{"type": "work", "Value": "a"}]}),
        &keyed,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&scim.operations).unwrap(),
        json!([
            {"op": "remove", "path": "emails[type eq \"work\"].value"},
            {"op": "replace", "path": "emails[type eq \"work\"].Value", "value": "a"}
        ])
    );
}

/// Two attributes whose names differ only in case that the result would hold both of (one set
/// beside the other kept or set, or one removed while the other stays): a server that reads
/// names in any case holds one attribute there, so no SCIM message gives the merge patch's
/// result. The output refuses, naming both, rather than send operations that overwrite or
/// remove the other attribute.
#[test]
fn scim_names_that_differ_only_in_case_and_both_stay_are_refused() {
    use sparse_patch::{DialectError, scim_patch_from_merge};
    let refused = |base: Value, merge: Value, expected: (&str, &str)| match scim_patch_from_merge(
        &base,
        &merge,
        &[],
    ) {
        Err(DialectError::ScimNameCase { path, other }) => {
            assert_eq!((path.as_str(), other.as_str()), expected, "{merge}");
        }
        other => panic!("{merge}: {other:?}"),
    };
    refused(
        json!({"title": "x"}),
        json!({"Title": "y"}),
        ("Title", "title"),
    );
    let error = scim_patch_from_merge(&json!({"title": "x"}), &json!({"Title": "y"}), &[]);
    assert!(
        error
            .unwrap_err()
            .to_string()
            .starts_with("`Title` and `title` name one attribute in SCIM")
    );
    refused(
        json!({}),
        json!({"Title": "y", "title": "z"}),
        ("Title", "title"),
    );
    refused(
        json!({"title": "x", "Title": "y"}),
        json!({"Title": null}),
        ("Title", "title"),
    );
    refused(
        json!({"name": {"given": "x"}}),
        json!({"name": {"Given": "y"}}),
        ("name.Given", "name.given"),
    );
    // The base's own case variants that the patch does not touch are not the patch's fault.
    assert!(scim_patch_from_merge(&json!({"a": 1, "A": 2}), &json!({"b": 3}), &[]).is_ok());
    // A typed model's base is looked up in any case too.
    let base = Resource {
        common: Common {
            id: "1".into(),
            created_at: "t".into(),
            name: None,
        },
        nickname: None,
        custom: BTreeMap::from([("title".to_owned(), json!("x"))]),
    };
    let patch = ResourcePatch::new().custom_entry("Title", json!("y"));
    match patch.to_scim_patch(&base) {
        Err(DialectError::ScimNameCase { path, other }) => {
            assert_eq!((path.as_str(), other.as_str()), ("Title", "title"));
        }
        other => panic!("{other:?}"),
    }
}

/// A PatchOp message's own attribute names are SCIM attribute names, read in any case
/// (RFC 7643 §2.1), as its `op` values already were: clients send `operations`
/// (wso2/product-is#19409, whose documentation wrote it so; indigo-iam/iam#1227 reads both),
/// and `Op`, `Path`, `Value`. Reading `ScimPatch` refused `operations` ("missing field
/// `Operations`"). A name given twice, in any case, is still refused.
#[test]
fn scim_patchop_messages_are_read_with_attribute_names_in_any_case() {
    use sparse_patch::{ScimOperation, ScimPatch};
    let expected = ScimPatch::new(vec![
        ScimOperation::replace("name.given", json!("Dave")),
        ScimOperation {
            op: sparse_patch::ScimOp::Add,
            path: None,
            value: Some(json!({"title": null})),
        },
        ScimOperation::remove("nickname"),
    ]);
    let read: ScimPatch = serde_json::from_value(json!({
        "SCHEMAS": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "operations": [
            {"Op": "Replace", "PATH": "name.given", "Value": "Dave"},
            {"op": "add", "value": {"title": null}},
            {"oP": "remove", "path": "nickname", "comment": "ignored"}
        ]
    }))
    .unwrap();
    assert_eq!(read, expected);
    let written = serde_json::to_value(&expected).unwrap();
    assert_eq!(
        serde_json::from_value::<ScimPatch>(written).unwrap(),
        expected
    );
    // `null` as a value is read as given, not as an absent value.
    let op: ScimOperation =
        serde_json::from_value(json!({"op": "replace", "path": "title", "VALUE": null})).unwrap();
    assert_eq!(op.value, Some(Value::Null));
    for (text, error) in [
        (
            r#"{"schemas": [], "Operations": [], "operations": []}"#,
            "duplicate field `Operations`",
        ),
        (r#"{"schemas": []}"#, "missing field `Operations`"),
        (r#"{"Operations": []}"#, "missing field `schemas`"),
    ] {
        let found = serde_json::from_str::<ScimPatch>(text)
            .unwrap_err()
            .to_string();
        assert!(found.starts_with(error), "{text}: {found}");
    }
    for (text, error) in [
        (
            r#"{"op": "add", "Op": "add", "value": 1}"#,
            "duplicate field `op`",
        ),
        (r#"{"path": "a"}"#, "missing field `op`"),
        (
            r#"{"op": "add", "value": 1, "Value": 2}"#,
            "duplicate field `value`",
        ),
    ] {
        let found = serde_json::from_str::<ScimOperation>(text)
            .unwrap_err()
            .to_string();
        assert!(found.starts_with(error), "{text}: {found}");
    }
}

// --- a boxed `Option` (serde writes `Box<Option<T>>` as the `Option`, `null` included) ---

/// A model with boxed `Option`s, as generators write large optional values.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Boxed {
    note: Box<Option<String>>,
    #[patchable(nested)]
    child: std::boxed::Box<Option<Child>>,
    #[patchable(nullable)]
    aliased: BoxedCount,
}

type BoxedCount = Box<Option<u32>>;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Child {
    name: String,
}

/// `Box<Option<T>>` was patched as a required value: `diff` to `None` sent `"note": null`, which
/// the patch itself refused to read ("a required attribute that cannot be cleared") while the
/// model reads it. It is nullable, as the `Option` it holds.
#[test]
fn a_boxed_option_is_nullable() {
    let some = Boxed {
        note: Box::new(Some("n".into())),
        child: Box::new(Some(Child { name: "c".into() })),
        aliased: Box::new(Some(1)),
    };
    let none = Boxed {
        note: Box::new(None),
        child: Box::new(None),
        aliased: Box::new(None),
    };
    for (from, to) in [(&some, &none), (&none, &some), (&some, &some)] {
        let patch = from.diff(to);
        let text = serde_json::to_string(&patch).unwrap();
        let read: BoxedPatch = serde_json::from_str(&text).unwrap();
        assert_eq!(read, patch);
        // The merge removes a `null` member, which the model reads back as `None`.
        let merged: Boxed = serde_json::from_value(merged(from, &patch)).unwrap();
        assert_eq!(&merged, to);
        let mut applied = from.clone();
        applied.apply(read).unwrap();
        assert_eq!(&applied, to);
    }
    // The diff is the smallest patch: nothing between equal models.
    assert!(some.diff(&some).is_empty(), "{:?}", some.diff(&some));
    assert!(none.diff(&none).is_empty(), "{:?}", none.diff(&none));
    let patch = BoxedPatch::new()
        .clear_note()
        .child(ChildPatch::new().name("d"))
        .aliased(2u32);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"note": null, "child": {"name": "d"}, "aliased": 2})
    );
    let built = Boxed::from_patch(patch).unwrap();
    assert_eq!(built.note, Box::new(None));
    assert_eq!(built.child.as_ref().as_ref().unwrap().name, "d");
    assert_eq!(*built.aliased, Some(2));
    assert_eq!(
        serde_json::from_str::<BoxedPatch>(r#"{"note": null}"#)
            .unwrap()
            .note,
        Field::Null
    );
}

type Maybe<T> = Option<T>;

/// Generic nullable fields reached through the runtime's `Nullable` trait: an alias marked
/// `nullable` and a `Box<Option<T>>`. Their schema is the field type's own (`Option<T>`'s), and
/// the schema impl was bounded by `T`'s only, which does not give it (E0277, "`T: JsonSchema`
/// is not satisfied", at the field).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct GenericNullable<T> {
    #[patchable(nullable)]
    aliased: Maybe<T>,
    boxed: Box<Option<T>>,
}

#[test]
fn generic_nullable_fields_through_the_nullable_trait() {
    let base = GenericNullable {
        aliased: Some(1u8),
        boxed: Box::new(Some(2)),
    };
    let target = GenericNullable {
        aliased: None,
        boxed: Box::new(None),
    };
    let patch = base.diff(&target);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"aliased": null, "boxed": null})
    );
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    assert_eq!(applied, target);
    let schema = schema_of::<GenericNullablePatch<u8>>(false);
    for instance in [
        json!({"aliased": null, "boxed": null}),
        json!({"aliased": 3, "boxed": 4}),
    ] {
        assert!(
            validates(schema.clone(), &instance),
            "{instance} by {schema}"
        );
    }
    assert!(!validates(schema, &json!({"boxed": "x"})));
}

/// A boxed `Option` of a map, of untyped JSON and of a keyed array: its value is read by name as
/// an `Option`'s is. It was reached through the runtime's `Nullable` only, so the derive saw no
/// map and no JSON: both were sent whole (`{"labels": {"b": "2"}}` for a removed `a`), which a
/// server merges into what it holds, keeping `a`, and `key` was refused.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BoxedObjects {
    labels: Box<Option<BTreeMap<String, String>>>,
    extra: Box<Option<Value>>,
    #[patchable(key = "type")]
    emails: Box<Option<Vec<Value>>>,
}

#[test]
fn a_boxed_option_of_an_object_merges_as_the_server_does() {
    let base = BoxedObjects {
        labels: Box::new(Some(BTreeMap::from([
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "2".to_owned()),
        ]))),
        extra: Box::new(Some(json!({"x": 1, "y": 2}))),
        emails: Box::new(Some(vec![json!({"type": "work", "value": "a"})])),
    };
    let mut target = base.clone();
    target.labels.as_mut().as_mut().unwrap().remove("a");
    *target.extra = Some(json!({"x": 1}));
    let patch = base.diff(&target);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"labels": {"a": null}, "extra": {"y": null}})
    );
    assert_eq!(
        merged(&base, &patch),
        serde_json::to_value(&target).unwrap()
    );
    let mut applied = base.clone();
    applied.apply(patch).unwrap();
    assert_eq!(applied, target);
    // Entry setters, and a keyed array whose elements share a key, refused before anything
    // changes.
    let refused = BoxedObjectsPatch::new()
        .clear_labels_entry("b")
        .emails(vec![json!({"type": "home"}), json!({"type": "home"})]);
    let mut unchanged = base.clone();
    assert!(unchanged.apply(refused).is_err());
    assert_eq!(unchanged, base);
}

/// A boxed `Option` sent whole (`replace`), as a `Box<Option<Value>>` of an attribute whose
/// JSON is not to be merged: `replace` made it a required value, so `diff` to `None` sent
/// `"extra": null`, which the patch refused to read ("a required attribute that cannot be
/// cleared"). `replace` says how the value is sent, not whether it can be `null`: nullable, as
/// a replaced `Option<Value>` is.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BoxedReplaced {
    #[patchable(replace)]
    labels: Box<Option<BTreeMap<String, String>>>,
    #[patchable(replace)]
    extra: Box<Option<Value>>,
}

#[test]
fn a_replaced_boxed_option_is_nullable_and_sent_whole() {
    let some = BoxedReplaced {
        labels: Box::new(Some(BTreeMap::from([("a".to_owned(), "1".to_owned())]))),
        extra: Box::new(Some(json!({"x": 1}))),
    };
    let none = BoxedReplaced {
        labels: Box::new(None),
        extra: Box::new(None),
    };
    let mut other = some.clone();
    *other.labels = Some(BTreeMap::from([("b".to_owned(), "2".to_owned())]));
    *other.extra = Some(json!({"y": 2}));
    assert_eq!(
        serde_json::to_value(some.diff(&other)).unwrap(),
        json!({"labels": {"b": "2"}, "extra": {"y": 2}}),
        "sent whole, not merged key by key"
    );
    for (from, to) in [(&some, &none), (&none, &some), (&some, &other)] {
        let patch = from.diff(to);
        let text = serde_json::to_string(&patch).unwrap();
        let read: BoxedReplacedPatch = serde_json::from_str(&text).unwrap();
        assert_eq!(read, patch, "{text}");
        let mut applied = from.clone();
        applied.apply(read).unwrap();
        assert_eq!(&applied, to, "{text}");
    }
}

/// A model that borrows from its input (`#[serde(borrow)]` on a `Cow<'a, str>`) and holds
/// `&'static str` values too: serde borrows an `Option<&str>` without being told
/// (serde-rs/serde#1029) and, for `'static`, reads the model from `'static` input alone
/// (serde-rs/serde#1052). The
/// patch's reader did not compile ("`'de` must outlive `'static`" at the derive), as serde's
/// derive on the patch did not see the reference inside the patch's `Field`; nor did the
/// user's serde function of such a field, which asks for `'de: 'static` as serde's reader of
/// the model has it.
mod static_beside_borrowed {
    use std::borrow::Cow;

    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Borrowing<'a> {
        #[serde(borrow)]
        pub name: Cow<'a, str>,
        pub label: Option<&'static str>,
        pub code: &'static str,
        pub tags: Vec<&'static str>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct BorrowingWithFunction<'a> {
        #[serde(borrow)]
        pub name: Cow<'a, str>,
        #[serde(with = "static_text")]
        pub label: Option<&'static str>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct StaticWithFunctions {
        #[serde(with = "static_text")]
        pub label: Option<&'static str>,
        #[serde(deserialize_with = "static_text::required")]
        pub code: &'static str,
    }

    /// A map of `&'static str`s (its reader is the derive's own, which refuses a key given
    /// twice) and a `'static` field that serde does not read (`skip_deserializing`: serde
    /// borrows nothing for it), beside a borrowed `Cow`: neither compiled (review 53).
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct BorrowingMapAndSkipped<'a> {
        #[serde(borrow)]
        pub name: Cow<'a, str>,
        pub code: &'static str,
        pub labels: std::collections::BTreeMap<&'static str, &'static str>,
        #[serde(skip_deserializing)]
        pub fixed: &'static str,
    }

    pub mod static_text {
        pub fn serialize<S: serde::Serializer>(
            value: &Option<&'static str>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serde::Serialize::serialize(value, serializer)
        }

        pub fn deserialize<'de: 'static, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<&'static str>, D::Error> {
            serde::Deserialize::deserialize(deserializer)
        }

        pub fn required<'de: 'static, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<&'static str, D::Error> {
            serde::Deserialize::deserialize(deserializer)
        }
    }
}

#[test]
fn static_references_beside_a_borrowed_field_are_read() {
    use static_beside_borrowed::*;
    let read: BorrowingPatch<'_> =
        serde_json::from_str(r#"{"name":"x","label":null,"code":"c","tags":["a"]}"#).unwrap();
    let mut model = Borrowing {
        name: Cow::Borrowed("n"),
        label: Some("l"),
        code: "k",
        tags: Vec::new(),
    };
    let before = model.clone();
    model.apply(read).unwrap();
    assert_eq!(
        model,
        Borrowing {
            name: Cow::Borrowed("x"),
            label: None,
            code: "c",
            tags: vec!["a"],
        }
    );
    assert_eq!(
        serde_json::to_value(before.diff(&model)).unwrap(),
        json!({"name": "x", "label": null, "code": "c", "tags": ["a"]})
    );
    assert!(serde_json::from_str::<BorrowingPatch<'_>>(r#"{"code":null}"#).is_err());

    let read: BorrowingWithFunctionPatch<'_> = serde_json::from_str(r#"{"label":"z"}"#).unwrap();
    assert_eq!(read.label, Field::Value("z"));
    let read: BorrowingWithFunctionPatch<'_> = serde_json::from_str(r#"{"label":null}"#).unwrap();
    assert_eq!(read.label, Field::Null);

    let read: BorrowingMapAndSkippedPatch<'_> =
        serde_json::from_str(r#"{"name":"n","labels":{"a":"b"}}"#).unwrap();
    assert_eq!(read.labels.map(|labels| labels.len()), Some(1));
    assert!(
        serde_json::from_str::<BorrowingMapAndSkippedPatch<'_>>(r#"{"labels":{"a":"b","a":"c"}}"#)
            .is_err()
    );
}

/// A patch whose reading needs `'static` input was read by serde's derive without the twin
/// that refuses a sequence, so a JSON array was read as a patch, value by value in field
/// order: `["x", null]` set `name` and cleared `label` (review 53). A merge patch is an object
/// (RFC 7396 §2).
#[test]
fn a_patch_read_from_static_input_is_not_read_from_an_array() {
    use static_beside_borrowed::*;
    for array in [r#"["x", null, "c", []]"#, r#"["x"]"#] {
        let error = serde_json::from_str::<BorrowingPatch<'_>>(array).unwrap_err();
        assert!(error.to_string().contains("not a sequence"), "{error}");
    }
    let error =
        serde_json::from_str::<BorrowingWithFunctionPatch<'_>>(r#"["x", "z"]"#).unwrap_err();
    assert!(error.to_string().contains("not a sequence"), "{error}");
    let read: StaticWithFunctionsPatch =
        serde_json::from_str(r#"{"label":"z","code":"c"}"#).unwrap();

    assert_eq!((read.label, read.code), (Field::Value("z"), Some("c")));
}

// --- a nested model whose patch is named by `#[patchable(name = ...)]`: struct-patch named the
// nested patch `{struct}Patch` whatever name it was given
// (https://github.com/yanganto/struct-patch/issues/102); here the parent's field holds the
// named patch, nested, optional, flattened and as a keyed array's element, and its schema
// refers to it by that name ---

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(name = "PostalDelta", derive(::core::cmp::Eq, std::hash::Hash))]
struct Postal {
    city: Option<String>,
    zip: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(name = "StreetDelta")]
struct Street {
    street: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Mailing {
    #[patchable(nested)]
    home: Option<Postal>,
    #[patchable(nested)]
    work: Postal,
    #[serde(flatten)]
    #[patchable(nested)]
    street: Street,
    #[patchable(key = "zip")]
    #[schemars(with = "Vec<Value>")]
    others: Vec<Postal>,
}

#[test]
fn a_nested_patch_named_by_the_nested_model_is_the_parents_field() {
    let base = Mailing {
        home: None,
        work: Postal {
            city: None,
            zip: "1".into(),
        },
        street: Street { street: None },
        others: vec![],
    };
    let mut target = base.clone();
    target.home = Some(Postal {
        city: Some("c".into()),
        zip: "2".into(),
    });
    target.work.zip = "3".into();
    target.street.street = Some("s".into());
    target.others.push(Postal {
        city: None,
        zip: "9".into(),
    });
    let patch: MailingPatch = base.diff(&target);
    let work: &Option<PostalDelta> = &patch.work;
    let street: &StreetDelta = &patch.street;
    assert_eq!(work, &Some(PostalDelta::new().zip("3")));
    assert_eq!(street, &StreetDelta::new().street("s"));
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    assert_eq!(applied, target);
    assert_eq!(
        merged(&base, &patch),
        serde_json::to_value(&target).unwrap()
    );
    assert_eq!(
        via_json_patch(&base, &patch),
        serde_json::to_value(&target).unwrap()
    );
    let schema = serde_json::to_value(schemars::schema_for!(MailingPatch)).unwrap();
    assert_eq!(
        schema["properties"]["work"]["$ref"],
        json!("#/$defs/PostalDelta"),
        "{schema}"
    );
    assert!(schema["$defs"]["PostalDelta"].is_object(), "{schema}");
}

// --- references that serde borrows without being told (serde-rs/serde#837: `&'a str` and
// `&'a [u8]` are always borrowed, `Cow` only under `#[serde(borrow)]`) ---

/// serde's own example of borrowed fields: a required `&'a str` beside a `#[serde(borrow)]`
/// `Cow` of another lifetime.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ZeroCopy<'a, 'b> {
    name: &'a str,
    #[serde(borrow)]
    note: Cow<'b, str>,
    owned: Option<String>,
}

/// A required `&'a str` in a patch with extra derives.
#[derive(Patchable, Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[patchable(derive(Eq, Hash))]
struct HashedBorrow<'a> {
    name: &'a str,
}

/// A required `&'a [u8]` in a generic model with a map.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BorrowedBytes<'a, T> {
    digest: &'a [u8],
    labels: HashMap<String, T>,
}

/// Patches that serde's derives read (a `borrow`, extra derives, a generic model with a map)
/// read through a twin of the patch, whose reader serde bounds by `'de: 'a` for a required
/// `&'a str` or `&'a [u8]` (its patch field, `Option<&'a str>`, is borrowed without being
/// told). The patch's `Deserialize` stated the bounds of `#[serde(borrow)]` alone, so none of
/// these models compiled ("lifetime may not live long enough ... `'de` must outlive `'a`" at
/// the derive).
#[test]
fn references_that_serde_borrows_unasked_are_read_through_serdes_derives() {
    let text = r#"{"name": "new", "note": "kept"}"#;
    let patch: ZeroCopyPatch<'_, '_> = serde_json::from_str(text).unwrap();
    assert_eq!(
        patch,
        ZeroCopyPatch::new().name("new").note(Cow::from("kept"))
    );
    let base = ZeroCopy {
        name: "old",
        note: Cow::from("kept"),
        owned: None,
    };
    let mut target = base.clone();
    target.apply(patch).unwrap();
    assert_eq!(target.name, "new");
    let diff = base.diff(&target);
    assert_eq!(serde_json::to_value(&diff).unwrap(), json!({"name": "new"}));
    assert_eq!(merged(&base, &diff), serde_json::to_value(&target).unwrap());

    let text = r#"{"name": "b"}"#;
    let patch: HashedBorrowPatch<'_> = serde_json::from_str(text).unwrap();
    let mut model = HashedBorrow { name: "a" };
    model.apply(patch).unwrap();
    assert_eq!(model, HashedBorrow { name: "b" });

    let patch: BorrowedBytesPatch<'_, u8> =
        serde_json::from_str(r#"{"labels": {"a": 1}}"#).unwrap();
    let mut model = BorrowedBytes {
        digest: &[1, 2],
        labels: HashMap::new(),
    };
    model.apply(patch).unwrap();
    assert_eq!(model.labels, HashMap::from([("a".to_owned(), 1)]));
    assert_eq!(model.digest, &[1, 2]);
}

// --- a type of the user's named `PhantomData` (a medical-imaging "phantom", whose scan data a
// model holds), marked as the user's own by `replace` or `required`, as the README says of
// types named like standard ones ---

mod imaging {
    use serde::{Deserialize, Serialize};

    /// Scans of an imaging phantom: data, whatever its name.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct PhantomData {
        pub slices: u32,
    }

    impl schemars::JsonSchema for PhantomData {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "PhantomData".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({"type": "object", "properties": {"slices": {"type": "integer"}}})
        }
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Study {
    #[patchable(replace)]
    calibration: imaging::PhantomData,
    #[patchable(required)]
    reference: imaging::PhantomData,
    marker: std::marker::PhantomData<u8>,
}

/// A field whose type is named `PhantomData` was left out of the patch whatever it held, and
/// `replace` or `required` on it was refused ("has no effect on a `PhantomData` field"): its
/// changes were never sent, and no attribute could say that the type is the user's own, as
/// one can of a type named `Option`, `Vec` or `Value`. A `std::marker::PhantomData` is still
/// left out.
#[test]
fn a_type_of_ones_own_named_phantom_data_is_patched_where_marked_so() {
    let base = Study {
        calibration: imaging::PhantomData { slices: 1 },
        reference: imaging::PhantomData { slices: 2 },
        marker: std::marker::PhantomData,
    };
    let mut target = base.clone();
    target.calibration.slices = 3;
    target.reference.slices = 4;
    let patch = base.diff(&target);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"calibration": {"slices": 3}, "reference": {"slices": 4}})
    );
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    assert_eq!(applied, target);
    assert_eq!(
        merged(&base, &patch),
        serde_json::to_value(&target).unwrap()
    );
    let back: StudyPatch = serde_json::from_value(serde_json::to_value(&patch).unwrap()).unwrap();
    assert_eq!(back, patch);
    let schema = serde_json::to_value(schemars::schema_for!(StudyPatch)).unwrap();
    assert_eq!(
        schema["properties"]["calibration"]["$ref"],
        json!("#/$defs/PhantomData"),
        "{schema}"
    );
    assert_eq!(schema["properties"]["marker"], json!({"readOnly": true}));
}

// --- an `Option` read by a serde function of the user's, whose missing key serde's derive
// reports (serde-rs/serde#311, #1951, #2878: `with` and `deserialize_with` drop its `None`) ---

fn level_or_null<'de, D: serde::Deserializer<'de>>(reader: D) -> Result<Option<u8>, D::Error> {
    Option::<u8>::deserialize(reader)
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Leveled {
    name: Option<String>,
    #[serde(deserialize_with = "level_or_null")]
    level: Option<u8>,
    #[serde(default, deserialize_with = "level_or_null")]
    floor: Option<u8>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LeveledParent {
    #[patchable(nested)]
    child: Option<Leveled>,
}

/// Building a model from a patch without `level` gave `level: None`, where the model does not
/// read the merge's result (`{"name": "x"}`: "missing field `level`"), as serde's derive reads
/// the missing key of an `Option` that a function of the user's reads as an error. It is
/// refused now as a missing required attribute is; `null` builds `None` (and `to_patch` sends
/// such a `None` as `null`), and `floor`, whose `default` says what a missing key reads, is
/// still built absent.
#[test]
fn an_option_read_by_a_function_must_be_present_to_build_the_model() {
    assert!(serde_json::from_value::<Leveled>(json!({"name": "x"})).is_err());
    let error = Leveled::from_patch(LeveledPatch::new().name("x")).unwrap_err();
    assert_eq!(error.kind(), &sparse_patch::ApplyErrorKind::MissingRequired);
    assert_eq!(error.path(), "level");
    let mut parent = LeveledParent { child: None };
    let error = parent
        .apply(LeveledParentPatch::new().child(LeveledPatch::new().name("x")))
        .unwrap_err();
    assert_eq!(error.path(), "child.level");
    assert_eq!(parent.child, None);

    let patch = LeveledPatch::new().name("x").clear_level();
    let built = Leveled::from_patch(patch.clone()).unwrap();
    let read: Leveled = serde_json::from_value(serde_json::to_value(&patch).unwrap()).unwrap();
    assert_eq!(built, read);
    assert_eq!(
        built,
        Leveled {
            name: Some("x".into()),
            level: None,
            floor: None,
        }
    );
    // The patch that builds a model sends such a `None` as `null`, as the model's JSON has it.
    let whole = sparse_patch::Diff::to_patch(&built);
    assert_eq!(
        serde_json::to_value(&whole).unwrap(),
        json!({"name": "x", "level": null})
    );
    assert_eq!(Leveled::from_patch(whole).unwrap(), built);
}
