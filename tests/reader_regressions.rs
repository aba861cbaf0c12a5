//! Regressions found by the review of the derive's own reader (issue 8), each with the input
//! that failed: models that compiled before it and must still compile, and readers that must
//! say what serde's derive says.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

/// A flattened `serde_json::Value` (not a `Map`): it stopped compiling when flattened maps got
/// the derive's own reader, which fills a `Map` only; it is read by serde's derive again.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FlatValue {
    name: Option<String>,
    #[serde(flatten)]
    rest: Value,
}

/// A map of `serde_json::Map` values: it stopped compiling when maps of `Value` got entry
/// merging; its entries are replaced whole, as before.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct MapOfMaps {
    m: HashMap<String, serde_json::Map<String, Value>>,
    o: Option<BTreeMap<String, serde_json::Map<String, Value>>>,
}

#[test]
fn json_shapes_that_compiled_before_still_do() {
    let patch: FlatValuePatch = serde_json::from_str(r#"{"name": "n", "x": 1}"#).unwrap();
    let mut model = FlatValue {
        name: None,
        rest: json!({"x": 0, "y": 2}),
    };
    model.apply(patch).unwrap();
    assert_eq!(model.rest, json!({"x": 1, "y": 2}));
    assert_eq!(model.name.as_deref(), Some("n"));

    let patch: MapOfMapsPatch =
        serde_json::from_str(r#"{"m": {"a": {"k": 1}, "b": null}, "o": null}"#).unwrap();
    let mut model = MapOfMaps {
        m: [("b".to_owned(), serde_json::Map::new())].into(),
        o: Some(BTreeMap::new()),
    };
    model.apply(patch).unwrap();
    assert_eq!(
        serde_json::to_value(&model).unwrap(),
        json!({"m": {"a": {"k": 1}}, "o": null})
    );
}

/// `deny_unknown_fields` beside a flattened map: serde's derive refuses a key that no field
/// has, as the model does; the derive's own reader took it into the map.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict {
    #[patchable(skip)]
    id: String,
    name: String,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

#[test]
fn deny_unknown_fields_with_a_flattened_map_reads_as_the_model() {
    let model = serde_json::from_str::<Strict>(r#"{"id": "1", "name": "n", "x": 1}"#);
    let patch = serde_json::from_str::<StrictPatch>(r#"{"name": "n", "x": 1}"#);
    assert_eq!(model.is_err(), patch.is_err());
}

/// An alias of a read-only attribute is a key the model reads too: the patch drops it rather
/// than taking it into the flattened map (and sending it back).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Aliased {
    #[patchable(skip)]
    #[serde(alias = "ID")]
    id: String,
    name: Option<String>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

#[test]
fn aliases_of_read_only_keys_are_dropped() {
    let patch: AliasedPatch = serde_json::from_str(r#"{"ID": "x", "name": "n"}"#).unwrap();
    assert!(patch.custom.is_empty());
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"name": "n"}));
    assert!(serde_json::from_str::<AliasedPatch>(r#"{"ID": "x", "ID": "y"}"#).is_err());
}

/// More read-only keys than the derive's reader tracks (128): the patch is read by serde's
/// derive, which reports every repeated key.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ManyReadOnly {
    #[patchable(skip)]
    f0: Option<u8>,
    #[patchable(skip)]
    f1: Option<u8>,
    #[patchable(skip)]
    f2: Option<u8>,
    #[patchable(skip)]
    f3: Option<u8>,
    #[patchable(skip)]
    f4: Option<u8>,
    #[patchable(skip)]
    f5: Option<u8>,
    #[patchable(skip)]
    f6: Option<u8>,
    #[patchable(skip)]
    f7: Option<u8>,
    #[patchable(skip)]
    f8: Option<u8>,
    #[patchable(skip)]
    f9: Option<u8>,
    #[patchable(skip)]
    f10: Option<u8>,
    #[patchable(skip)]
    f11: Option<u8>,
    #[patchable(skip)]
    f12: Option<u8>,
    #[patchable(skip)]
    f13: Option<u8>,
    #[patchable(skip)]
    f14: Option<u8>,
    #[patchable(skip)]
    f15: Option<u8>,
    #[patchable(skip)]
    f16: Option<u8>,
    #[patchable(skip)]
    f17: Option<u8>,
    #[patchable(skip)]
    f18: Option<u8>,
    #[patchable(skip)]
    f19: Option<u8>,
    #[patchable(skip)]
    f20: Option<u8>,
    #[patchable(skip)]
    f21: Option<u8>,
    #[patchable(skip)]
    f22: Option<u8>,
    #[patchable(skip)]
    f23: Option<u8>,
    #[patchable(skip)]
    f24: Option<u8>,
    #[patchable(skip)]
    f25: Option<u8>,
    #[patchable(skip)]
    f26: Option<u8>,
    #[patchable(skip)]
    f27: Option<u8>,
    #[patchable(skip)]
    f28: Option<u8>,
    #[patchable(skip)]
    f29: Option<u8>,
    #[patchable(skip)]
    f30: Option<u8>,
    #[patchable(skip)]
    f31: Option<u8>,
    #[patchable(skip)]
    f32: Option<u8>,
    #[patchable(skip)]
    f33: Option<u8>,
    #[patchable(skip)]
    f34: Option<u8>,
    #[patchable(skip)]
    f35: Option<u8>,
    #[patchable(skip)]
    f36: Option<u8>,
    #[patchable(skip)]
    f37: Option<u8>,
    #[patchable(skip)]
    f38: Option<u8>,
    #[patchable(skip)]
    f39: Option<u8>,
    #[patchable(skip)]
    f40: Option<u8>,
    #[patchable(skip)]
    f41: Option<u8>,
    #[patchable(skip)]
    f42: Option<u8>,
    #[patchable(skip)]
    f43: Option<u8>,
    #[patchable(skip)]
    f44: Option<u8>,
    #[patchable(skip)]
    f45: Option<u8>,
    #[patchable(skip)]
    f46: Option<u8>,
    #[patchable(skip)]
    f47: Option<u8>,
    #[patchable(skip)]
    f48: Option<u8>,
    #[patchable(skip)]
    f49: Option<u8>,
    #[patchable(skip)]
    f50: Option<u8>,
    #[patchable(skip)]
    f51: Option<u8>,
    #[patchable(skip)]
    f52: Option<u8>,
    #[patchable(skip)]
    f53: Option<u8>,
    #[patchable(skip)]
    f54: Option<u8>,
    #[patchable(skip)]
    f55: Option<u8>,
    #[patchable(skip)]
    f56: Option<u8>,
    #[patchable(skip)]
    f57: Option<u8>,
    #[patchable(skip)]
    f58: Option<u8>,
    #[patchable(skip)]
    f59: Option<u8>,
    #[patchable(skip)]
    f60: Option<u8>,
    #[patchable(skip)]
    f61: Option<u8>,
    #[patchable(skip)]
    f62: Option<u8>,
    #[patchable(skip)]
    f63: Option<u8>,
    #[patchable(skip)]
    f64: Option<u8>,
    #[patchable(skip)]
    f65: Option<u8>,
    #[patchable(skip)]
    f66: Option<u8>,
    #[patchable(skip)]
    f67: Option<u8>,
    #[patchable(skip)]
    f68: Option<u8>,
    #[patchable(skip)]
    f69: Option<u8>,
    #[patchable(skip)]
    f70: Option<u8>,
    #[patchable(skip)]
    f71: Option<u8>,
    #[patchable(skip)]
    f72: Option<u8>,
    #[patchable(skip)]
    f73: Option<u8>,
    #[patchable(skip)]
    f74: Option<u8>,
    #[patchable(skip)]
    f75: Option<u8>,
    #[patchable(skip)]
    f76: Option<u8>,
    #[patchable(skip)]
    f77: Option<u8>,
    #[patchable(skip)]
    f78: Option<u8>,
    #[patchable(skip)]
    f79: Option<u8>,
    #[patchable(skip)]
    f80: Option<u8>,
    #[patchable(skip)]
    f81: Option<u8>,
    #[patchable(skip)]
    f82: Option<u8>,
    #[patchable(skip)]
    f83: Option<u8>,
    #[patchable(skip)]
    f84: Option<u8>,
    #[patchable(skip)]
    f85: Option<u8>,
    #[patchable(skip)]
    f86: Option<u8>,
    #[patchable(skip)]
    f87: Option<u8>,
    #[patchable(skip)]
    f88: Option<u8>,
    #[patchable(skip)]
    f89: Option<u8>,
    #[patchable(skip)]
    f90: Option<u8>,
    #[patchable(skip)]
    f91: Option<u8>,
    #[patchable(skip)]
    f92: Option<u8>,
    #[patchable(skip)]
    f93: Option<u8>,
    #[patchable(skip)]
    f94: Option<u8>,
    #[patchable(skip)]
    f95: Option<u8>,
    #[patchable(skip)]
    f96: Option<u8>,
    #[patchable(skip)]
    f97: Option<u8>,
    #[patchable(skip)]
    f98: Option<u8>,
    #[patchable(skip)]
    f99: Option<u8>,
    #[patchable(skip)]
    f100: Option<u8>,
    #[patchable(skip)]
    f101: Option<u8>,
    #[patchable(skip)]
    f102: Option<u8>,
    #[patchable(skip)]
    f103: Option<u8>,
    #[patchable(skip)]
    f104: Option<u8>,
    #[patchable(skip)]
    f105: Option<u8>,
    #[patchable(skip)]
    f106: Option<u8>,
    #[patchable(skip)]
    f107: Option<u8>,
    #[patchable(skip)]
    f108: Option<u8>,
    #[patchable(skip)]
    f109: Option<u8>,
    #[patchable(skip)]
    f110: Option<u8>,
    #[patchable(skip)]
    f111: Option<u8>,
    #[patchable(skip)]
    f112: Option<u8>,
    #[patchable(skip)]
    f113: Option<u8>,
    #[patchable(skip)]
    f114: Option<u8>,
    #[patchable(skip)]
    f115: Option<u8>,
    #[patchable(skip)]
    f116: Option<u8>,
    #[patchable(skip)]
    f117: Option<u8>,
    #[patchable(skip)]
    f118: Option<u8>,
    #[patchable(skip)]
    f119: Option<u8>,
    #[patchable(skip)]
    f120: Option<u8>,
    #[patchable(skip)]
    f121: Option<u8>,
    #[patchable(skip)]
    f122: Option<u8>,
    #[patchable(skip)]
    f123: Option<u8>,
    #[patchable(skip)]
    f124: Option<u8>,
    #[patchable(skip)]
    f125: Option<u8>,
    #[patchable(skip)]
    f126: Option<u8>,
    #[patchable(skip)]
    f127: Option<u8>,
    #[patchable(skip)]
    f128: Option<u8>,
    #[patchable(skip)]
    f129: Option<u8>,
    name: Option<String>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

#[test]
fn a_repeated_read_only_key_is_refused_past_128() {
    for key in ["f0", "f127", "f128", "f129"] {
        let text = format!(r#"{{"{key}": 1, "{key}": 2}}"#);
        assert!(
            serde_json::from_str::<ManyReadOnlyPatch>(&text).is_err(),
            "{key}"
        );
    }
    let patch: ManyReadOnlyPatch = serde_json::from_str(r#"{"f129": 1, "x": 2}"#).unwrap();
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"x": 2}));
}

/// `null` on a required attribute inside a nested patch: the error named the leaf alone
/// (`href`), so with two nested structs that both have one the user could not tell which was
/// meant; it names the whole path, as `ApplyError` does, through both readers (the derive's
/// own, and serde's derives for a patch with `derive(Eq)`), at any depth. A flattened nested
/// patch's keys are the parent's: no prefix there.
mod null_path {
    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    macro_rules! models {
        ($($derive:tt)*) => {
            #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
            $($derive)*
            pub struct Link {
                pub href: String,
            }

            #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
            $($derive)*
            pub struct Address {
                pub street: String,
                #[patchable(nested)]
                pub link: Link,
            }

            #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
            $($derive)*
            pub struct Employee {
                #[patchable(nested)]
                pub address: Option<Address>,
                #[patchable(nested)]
                #[serde(rename = "boss")]
                pub manager: Link,
                #[patchable(nested)]
                pub home: Address,
            }

            #[derive(Patchable, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
            $($derive)*
            pub struct Flat {
                pub id: Option<u8>,
                #[serde(flatten)]
                #[patchable(nested)]
                pub address: Address,
            }
        };
    }

    pub mod own {
        use super::*;
        models!();
    }

    /// Generic patches: the derive's own reader, and serde's derives for one with a map field.
    pub mod generic {
        use super::*;
        use std::collections::HashMap;

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Holder<T> {
            #[patchable(nested)]
            pub inner: Option<T>,
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Tagged<T> {
            #[patchable(nested)]
            pub inner: T,
            pub tags: HashMap<String, String>,
        }
    }

    pub mod derived {
        use super::*;
        models!(#[patchable(derive(Eq))]);
    }

    fn message(what: &str) -> String {
        format!("invalid value: null for `{what}`, a required attribute that cannot be cleared")
    }

    fn check<P: for<'de> Deserialize<'de> + std::fmt::Debug>(input: &str, path: &str) {
        let error = serde_json::from_str::<P>(input).unwrap_err().to_string();
        assert!(error.starts_with(&message(path)), "{input}: {error}");
        // One position, the deserializer's, not one per level.
        assert_eq!(error.matches(" at line ").count(), 1, "{input}: {error}");
        let value: serde_json::Value = serde_json::from_str(input).unwrap();
        let error = P::deserialize(value).unwrap_err().to_string();
        assert_eq!(error, message(path), "{input} through serde_json::Value");
    }

    fn check_all<E, F>()
    where
        E: for<'de> Deserialize<'de> + std::fmt::Debug,
        F: for<'de> Deserialize<'de> + std::fmt::Debug,
    {
        check::<E>(r#"{"address": {"street": null}}"#, "address.street");
        check::<E>(r#"{"home": {"street": null}}"#, "home.street");
        check::<E>(r#"{"boss": {"href": null}}"#, "boss.href");
        check::<E>(
            r#"{"address": {"link": {"href": null}}}"#,
            "address.link.href",
        );
        check::<E>(r#"{"home": {"link": {"href": null}}}"#, "home.link.href");
        check::<F>(r#"{"id": 1, "street": null}"#, "street");
        check::<F>(r#"{"link": {"href": null}}"#, "link.href");
        // `null` on a required nested field itself names that field once (it named
        // `account.account` in a first version), at any depth.
        check::<E>(r#"{"home": null}"#, "home");
        check::<E>(r#"{"boss": null}"#, "boss");
        check::<E>(r#"{"home": {"link": null}}"#, "home.link");
        check::<E>(r#"{"address": {"link": null}}"#, "address.link");
        // Other errors pass through unchanged.
        let error = serde_json::from_str::<E>(r#"{"home": {"street": 1}}"#)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("invalid type: integer `1`"), "{error}");
    }

    #[test]
    fn null_on_a_nested_required_attribute_names_the_whole_path() {
        check_all::<own::EmployeePatch, own::FlatPatch>();
        check_all::<derived::EmployeePatch, derived::FlatPatch>();
        let input = r#"{"inner": {"link": {"href": null}}}"#;
        check::<generic::HolderPatch<own::Address>>(input, "inner.link.href");
        check::<generic::TaggedPatch<derived::Address>>(input, "inner.link.href");
        let input = r#"{"inner": {"inner": {"street": null}}}"#;
        check::<generic::HolderPatch<generic::Tagged<own::Address>>>(input, "inner.inner.street");
    }
}
