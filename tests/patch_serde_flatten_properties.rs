//! Differential fuzz test of the patches that `tests/patch_serde_properties.rs` cannot check
//! against "the same model with an unused generic parameter": patches with a flattened map of
//! custom attributes (and skipped, read-only keys that the patch reads and drops), patches with
//! a flattened nested struct, and generic patches. Each derived patch is compared with an
//! oracle written by hand in `mod oracle`, with serde's derive and explicit attributes only:
//! - required attribute: `Option<T>` with `default`, `skip_serializing_if = "Option::is_none"`
//!   and a `deserialize_with` that refuses `null`, naming the attribute;
//! - nullable attribute: `Field<T>` with `default`, `skip_serializing_if = "Field::is_absent"`;
//! - map: `Option<map of Field<V>>`, written without absent entries;
//! - flattened map: `map of Field<Value>` with a `serialize_with` that skips absent entries,
//!   and the skipped fields' keys read into `IgnoredAny` fields that are never written;
//! - flattened nested struct: the nested oracle, flattened.
//!
//! The oracle owes nothing to the derive, so the test holds whichever serde code the derive
//! emits (serde's derive today, its own code after issue 8). On random JSON text (the shapes of
//! `support/json_text.rs`, with each model's keys, aliases, skipped keys and near misses) both
//! read through `from_str`, `from_slice` and `from_value` must give the same patch (compared as
//! written back to `serde_json::Value`) or both fail; what the derived patch writes, both read
//! back to the same; patches built in code write the same JSON. 500 cases per property; `PATCH_SERDE_CASES` raises it.

#[path = "support/json_text.rs"]
mod json_text;

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use sparse_patch::{Field, Patchable};

// ---------------------------------------------------------------------------------------------
// The models (derived)

/// Like `sparse_patch::pingone::User`: read-only attributes, a required, a nullable and an
/// aliased attribute, and a flattened map of custom attributes.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Custom {
    #[patchable(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[patchable(skip)]
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(rename = "login")]
    pub user_name: String,
    #[serde(alias = "years")]
    pub age: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    #[serde(flatten)]
    pub custom: BTreeMap<String, serde_json::Value>,
}

/// A flattened nested struct beside a required and a nullable attribute.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u8>,
    pub label: String,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: Inner,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inner {
    #[serde(alias = "nick", skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    #[serde(alias = "yrs")]
    pub age: u32,
}

/// A generic model: the parameter in a required, a nullable, a map and a nested field.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gen<T> {
    #[serde(alias = "val")]
    pub value: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maybe_value: Option<T>,
    pub by_name: BTreeMap<String, T>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item<T>>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item<T> {
    pub amount: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `Gen<u32>` written out without the parameter: a patch with a map field that is not generic
/// gets the derive's own reader (and serde's writer), where the generic one gets serde's
/// derives. Named like the oracle's patch, so that messages that name the patch match.
mod concrete {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    use super::Item;

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[patchable(name = "GenPatch")]
    pub struct Gen {
        #[serde(alias = "val")]
        pub value: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub maybe_value: Option<u32>,
        pub by_name: BTreeMap<String, u32>,
        #[patchable(nested)]
        #[serde(skip_serializing_if = "Option::is_none")]
        pub item: Option<Item<u32>>,
    }
}

// ---------------------------------------------------------------------------------------------
// The oracles, by hand. Each is named like the patch it checks, so that serde's messages
// ("expected struct CustomPatch") match.

#[allow(dead_code)]
mod oracle {
    use std::collections::BTreeMap;

    use serde::de::{Error as _, IgnoredAny};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use sparse_patch::Field;

    /// A required attribute: a value, or an error for `null` that names the attribute.
    fn required<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
        name: &str,
    ) -> Result<Option<T>, D::Error> {
        match Option::<T>::deserialize(deserializer)? {
            Some(value) => Ok(Some(value)),
            None => Err(D::Error::custom(format_args!(
                "invalid value: null for `{name}`, a required attribute that cannot be cleared"
            ))),
        }
    }

    macro_rules! required {
        ($fn:ident, $name:literal) => {
            fn $fn<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
                deserializer: D,
            ) -> Result<Option<T>, D::Error> {
                required(deserializer, $name)
            }
        };
    }
    required!(required_login, "login");
    required!(required_age, "age");
    required!(required_label, "label");
    required!(required_value, "value");
    required!(required_amount, "amount");

    /// `byName`, required: with `UNIQUE`, a key given twice is refused, as the derived patch of
    /// a model whose map is not generic reads it (`duplicate key in the map`); without it,
    /// the last value is kept, as serde's map (which reads a generic model's) does.
    fn by_name<'de, D: Deserializer<'de>, T: Deserialize<'de>, const UNIQUE: bool>(
        deserializer: D,
    ) -> Result<Option<BTreeMap<String, Field<T>>>, D::Error> {
        struct Entries<T>(std::marker::PhantomData<T>, bool, bool);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Entries<T> {
            type Value = Option<BTreeMap<String, Field<T>>>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(if self.2 { "a map" } else { "option" })
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                if !self.1 {
                    return BTreeMap::deserialize(d).map(Some);
                }
                d.deserialize_map(Entries(std::marker::PhantomData, true, true))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.contains_key(&key) {
                        return Err(A::Error::custom("duplicate key in the map `byName`"));
                    }
                    entries.insert(key, map.next_value()?);
                }
                Ok(Some(entries))
            }
        }
        match deserializer.deserialize_option(Entries(std::marker::PhantomData, UNIQUE, false))? {
            Some(entries) => Ok(Some(entries)),
            None => Err(D::Error::custom(
                "invalid value: null for `byName`, a required attribute that cannot be cleared",
            )),
        }
    }

    /// A nested patch: an error for `null` on a required attribute inside it names the path
    /// from the parent's key (`item.amount`), made anew on its way up (so the deserializer
    /// gives it the position where it leaves the parent's value).
    fn nested_item<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Field<ItemPatch<T>>, D::Error> {
        Field::deserialize(deserializer).map_err(|error| {
            let text = error.to_string();
            let path = text
                .strip_prefix("invalid value: null for `")
                .and_then(|rest| rest.split_once('`'));
            match path {
                Some((path, _)) => D::Error::custom(format_args!(
                    "invalid value: null for `item.{path}`, a required attribute that cannot be cleared"
                )),
                None => error,
            }
        })
    }

    /// A map patch written without its absent entries.
    fn present_entries<S: Serializer, V: Serialize>(
        map: &BTreeMap<String, Field<V>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(map.iter().filter(|(_, value)| value.is_present()))
    }

    fn present_entries_of_some<S: Serializer, V: Serialize>(
        map: &Option<BTreeMap<String, Field<V>>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match map {
            Some(map) => serializer.serialize_some(&Present(map)),
            None => serializer.serialize_none(),
        }
    }

    struct Present<'a, V>(&'a BTreeMap<String, Field<V>>);

    impl<V: Serialize> Serialize for Present<'_, V> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            present_entries(self.0, serializer)
        }
    }

    #[derive(Serialize, Deserialize)]
    pub struct CustomPatch {
        #[serde(
            rename = "login",
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "required_login"
        )]
        pub user_name: Option<String>,
        #[serde(
            alias = "years",
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "required_age"
        )]
        pub age: Option<u32>,
        #[serde(rename = "nickName", default, skip_serializing_if = "Field::is_absent")]
        pub nick_name: Field<String>,
        /// Read-only keys: read and dropped, so that they never reach the map.
        #[serde(rename = "id", default, skip_serializing)]
        pub ignored_id: IgnoredAny,
        #[serde(rename = "createdAt", default, skip_serializing)]
        pub ignored_created_at: IgnoredAny,
        #[serde(
            flatten,
            serialize_with = "present_entries",
            deserialize_with = "unique_entries"
        )]
        pub custom: BTreeMap<String, Field<serde_json::Value>>,
    }

    /// A flattened map whose key given twice is `duplicate field`, as a field's is (serde's
    /// flattened map keeps the last value silently, and the patch's meaning would depend on
    /// the reader: RFC 8259 §4).
    fn unique_entries<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, Field<V>>, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
            type Value = BTreeMap<String, Field<V>>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, Field<V>>()? {
                    if entries.contains_key(&key) {
                        return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    entries.insert(key, value);
                }
                Ok(entries)
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }

    #[derive(Serialize, Deserialize)]
    pub struct OuterPatch {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        pub id: Field<u8>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "required_label"
        )]
        pub label: Option<String>,
        #[serde(flatten)]
        pub inner: InnerPatch,
    }

    #[derive(Serialize, Deserialize)]
    pub struct InnerPatch {
        #[serde(
            rename = "nickName",
            alias = "nick",
            default,
            skip_serializing_if = "Field::is_absent"
        )]
        pub nick_name: Field<String>,
        #[serde(
            alias = "yrs",
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "required_age"
        )]
        pub age: Option<u32>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
    pub struct GenPatch<T, const UNIQUE: bool = false> {
        #[serde(
            alias = "val",
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "required_value"
        )]
        pub value: Option<T>,
        #[serde(
            rename = "maybeValue",
            default,
            skip_serializing_if = "Field::is_absent"
        )]
        pub maybe_value: Field<T>,
        #[serde(
            rename = "byName",
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "present_entries_of_some",
            deserialize_with = "by_name::<_, _, UNIQUE>"
        )]
        pub by_name: Option<BTreeMap<String, Field<T>>>,
        #[serde(
            default,
            skip_serializing_if = "Field::is_absent",
            deserialize_with = "nested_item"
        )]
        pub item: Field<ItemPatch<T>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
    pub struct ItemPatch<T> {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "required_amount"
        )]
        pub amount: Option<T>,
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        pub note: Field<String>,
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing

/// How much of an error two readers must agree on.
#[derive(Clone, Copy, PartialEq)]
enum Errors {
    /// The same text.
    Text,
    /// Only that both fail. For flattened input serde's derive buffers the object and then
    /// reports errors without a position, and from different places, than a reader that does
    /// not buffer: the texts of two correct readers legitimately differ there.
    Kind,
}

/// A read patch, written back as a JSON value, or the error's text. Unlike `support::outcome`
/// (text), a value compares maps whatever their order, so that an oracle and a patch that hold
/// different map types still compare.
fn outcome<P: Serialize>(read: Result<P, serde_json::Error>) -> Result<serde_json::Value, String> {
    read.map(|patch| serde_json::to_value(&patch).unwrap())
        .map_err(|error| error.to_string())
}

/// The one documented difference (README, "Which serde code a patch gets"): a patch is read
/// from an object only, by the derive's own code and by serde's behind the derive's twin, while
/// serde's derive (the oracle) also reads a struct from an array of its fields.
fn documented(derived: &Result<serde_json::Value, String>) -> bool {
    matches!(derived, Err(e) if e.starts_with("invalid type: sequence, expected struct"))
}

fn same(
    derived: Result<serde_json::Value, String>,
    oracle: Result<serde_json::Value, String>,
    errors: Errors,
    how: &str,
    json: &str,
) -> Result<Option<serde_json::Value>, TestCaseError> {
    if derived != oracle && documented(&derived) {
        return Ok(None);
    }
    match (&derived, &oracle) {
        (Err(_), Err(_)) if errors == Errors::Kind => {}
        _ => prop_assert_eq!(&derived, &oracle, "{}, input {}", how, json),
    }
    Ok(derived.ok())
}

/// Reads `json` as `Der` (the derived patch) and as `Ora` (its oracle) through every reader,
/// and checks that a patch written by either is read back alike by the other. Returns the
/// derived patch, as JSON, when it read.
fn compare<Der, Ora>(json: &str, errors: Errors) -> Result<Option<serde_json::Value>, TestCaseError>
where
    Der: for<'de> Deserialize<'de> + Serialize,
    Ora: for<'de> Deserialize<'de> + Serialize,
{
    let read = same(
        outcome(serde_json::from_str::<Der>(json)),
        outcome(serde_json::from_str::<Ora>(json)),
        errors,
        "from_str",
        json,
    )?;
    same(
        outcome(serde_json::from_slice::<Der>(json.as_bytes())),
        outcome(serde_json::from_slice::<Ora>(json.as_bytes())),
        errors,
        "from_slice",
        json,
    )?;
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
        same(
            outcome(serde_json::from_value::<Der>(value.clone())),
            outcome(serde_json::from_value::<Ora>(value.clone())),
            errors,
            "from_value",
            json,
        )?;
    }
    if let Some(written) = &read {
        // what one writes, the other reads back to the same JSON
        let text = written.to_string();
        let der = outcome(serde_json::from_str::<Der>(&text));
        let ora = outcome(serde_json::from_str::<Ora>(&text));
        prop_assert_eq!(
            &der,
            &Ok(written.clone()),
            "derived write-read, input {}",
            json
        );
        prop_assert_eq!(
            &ora,
            &Ok(written.clone()),
            "oracle write-read, input {}",
            json
        );
    }
    Ok(read)
}

// ---------------------------------------------------------------------------------------------
// Keys

const CUSTOM_KEYS: &[&str] = &[
    // model keys and aliases
    "login",
    "age",
    "years",
    "nickName", // skipped (read-only) keys
    "id",
    "createdAt", // near misses: field names and other casings, land in the map
    "userName",
    "user_name",
    "created_at",
    "nick_name",
    "Login",
    "ID",
    "custom",
    "",
];

const OUTER_KEYS: &[&str] = &[
    "id",
    "label",
    "nickName",
    "nick",
    "age",
    "yrs", // near misses
    "inner",
    "nick_name",
    "Label",
    "years",
    "",
];

const GEN_KEYS: &[&str] = &[
    "value",
    "val",
    "maybeValue",
    "byName",
    "item",
    "amount",
    "note",
    // near misses
    "maybe_value",
    "by_name",
    "Value",
    "__phantom",
    "",
];

/// 500 cases per property unless `PATCH_SERDE_CASES` says otherwise.
fn cases() -> u32 {
    std::env::var("PATCH_SERDE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
}

/// Absent, null or a value.
fn field<T: std::fmt::Debug + Clone>(
    value: impl Strategy<Value = T>,
) -> impl Strategy<Value = Field<T>> {
    prop_oneof![
        Just(Field::Absent),
        Just(Field::Null),
        value.prop_map(Field::Value),
    ]
}

fn outer_model() -> impl Strategy<Value = Outer> {
    (
        proptest::option::of(any::<u8>()),
        "[a-c]{0,2}",
        proptest::option::of("[a-c]{0,2}"),
        any::<u32>(),
    )
        .prop_map(|(id, label, nick_name, age)| Outer {
            id,
            label,
            inner: Inner { nick_name, age },
        })
}

fn gen_model() -> impl Strategy<Value = Gen<u32>> {
    (
        any::<u32>(),
        proptest::option::of(any::<u32>()),
        proptest::collection::btree_map("[a-c]{1,2}", any::<u32>(), 0..3),
        proptest::option::of((any::<u32>(), proptest::option::of("[a-c]{0,2}"))),
    )
        .prop_map(|(value, maybe_value, by_name, item)| Gen {
            value,
            maybe_value,
            by_name,
            item: item.map(|(amount, note)| Item { amount, note }),
        })
}

/// The keys of `CUSTOM_KEYS` that a `CustomPatch` reads into its flattened map.
const CUSTOM_MAP_KEYS: &[&str] = &[
    "userName",
    "user_name",
    "created_at",
    "nick_name",
    "Login",
    "ID",
    "custom",
    "",
];

/// A `Custom` model to apply read patches to. Its custom attributes are named as the patches
/// name theirs (`CUSTOM_MAP_KEYS`), so that a patch removes, replaces and merges into the ones
/// there: with other names (`[a-cA-Z]{1,2}` before), none of 500 read patches touched one.
/// Some are objects, into which a patch's object merges.
fn custom_model() -> impl Strategy<Value = Custom> {
    let scalar = prop_oneof![
        any::<bool>().prop_map(serde_json::Value::from),
        "[a-b]{0,2}".prop_map(serde_json::Value::from),
    ];
    let object = proptest::collection::btree_map(
        proptest::sample::select(CUSTOM_KEYS),
        scalar.clone(),
        1..4,
    )
    .prop_map(|members| {
        serde_json::Value::Object(
            members
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        )
    });
    (
        proptest::option::of("[a-c]{1,2}"),
        "[a-c]{0,2}",
        any::<u32>(),
        proptest::option::of("[a-c]{0,2}"),
        proptest::collection::btree_map(
            prop_oneof![
                3 => proptest::sample::select(CUSTOM_MAP_KEYS).prop_map(str::to_owned),
                1 => "[a-cA-Z]{1,2}",
            ],
            prop_oneof![1 => scalar, 1 => object],
            0..8,
        ),
    )
        .prop_map(|(id, user_name, age, nick_name, custom)| Custom {
            id,
            created_at: None,
            user_name,
            age,
            nick_name,
            custom,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// A flattened map of custom attributes, and the keys of skipped fields.
    #[test]
    fn flattened_map_reads_like_the_oracle(json in json_text::input(CUSTOM_KEYS)) {
        let read = compare::<CustomPatch, oracle::CustomPatch>(&json, Errors::Kind)?;
        if let Some(written) = read {
            // read-only keys are read and dropped: never in the map, never written back
            let patch: CustomPatch = serde_json::from_value(written.clone()).unwrap();
            prop_assert!(!patch.custom.contains_key("id"), "input {}", json);
            prop_assert!(!patch.custom.contains_key("createdAt"), "input {}", json);
            prop_assert!(written.get("id").is_none() && written.get("createdAt").is_none());
        }
    }

    /// A patch read from random text applies to a model without touching its read-only
    /// attributes, and as RFC 7396 applies it to the model's JSON (`json_patch::merge`, the
    /// oracle): every key is an attribute or a custom attribute of the top level, `null`
    /// removes it, and a custom attribute's object value merges into the old one, dropping the
    /// `null`s inside it, as the server does.
    #[test]
    fn flattened_map_patch_applies_like_json_merge(
        json in json_text::input(CUSTOM_KEYS),
        mut model in custom_model(),
    ) {
        let Ok(patch) = serde_json::from_str::<CustomPatch>(&json) else {
            return Ok(());
        };
        let patch_json = serde_json::to_value(&patch).unwrap();
        let mut expected = serde_json::to_value(&model).unwrap();
        json_patch::merge(&mut expected, &patch_json);
        let (id, created_at) = (model.id.clone(), model.created_at.clone());
        model.apply(patch).unwrap();
        prop_assert_eq!(&model.id, &id);
        prop_assert_eq!(&model.created_at, &created_at);
        prop_assert_eq!(serde_json::to_value(&model).unwrap(), expected, "input {}", json);
    }

    /// Writing, on patches built in code: these may hold absent map entries, which reading
    /// and `diff` never give, and which neither patch writes.
    #[test]
    fn patches_write_like_the_oracle(
        user_name in proptest::option::of("[a-c]{0,2}"),
        age in proptest::option::of(any::<u32>()),
        nick_name in field("[a-c]{0,2}"),
        custom in proptest::collection::btree_map(
            "[a-c]{1,2}",
            field(prop_oneof![
                Just(serde_json::Value::Null),
                "[a-b]{0,2}".prop_map(serde_json::Value::from),
            ]),
            0..4,
        ),
        by_name in proptest::option::of(
            proptest::collection::btree_map("[a-c]{1,2}", field(any::<u32>()), 0..4),
        ),
        item in field((proptest::option::of(any::<u32>()), field("[a-c]{0,2}"))),
    ) {
        let mut derived = CustomPatch::new();
        derived.user_name = user_name.clone();
        derived.age = age;
        derived.nick_name = nick_name.clone();
        derived.custom = custom.clone();
        let oracle = oracle::CustomPatch {
            user_name,
            age,
            nick_name,
            ignored_id: serde::de::IgnoredAny,
            ignored_created_at: serde::de::IgnoredAny,
            custom,
        };
        prop_assert_eq!(serde_json::to_value(&derived).unwrap(), serde_json::to_value(&oracle).unwrap());
        prop_assert_eq!(serde_json::to_string(&derived).unwrap(), serde_json::to_string(&oracle).unwrap());

        let mut derived = GenPatch::<u32>::new();
        derived.value = age;
        derived.by_name = by_name.clone();
        derived.item = item.clone().map(|(amount, note)| {
            let mut item = ItemPatch::new();
            item.amount = amount;
            item.note = note;
            item
        });
        let oracle = oracle::GenPatch::<u32> {
            value: age,
            maybe_value: Field::Absent,
            by_name,
            item: item.map(|(amount, note)| oracle::ItemPatch { amount, note }),
        };
        prop_assert_eq!(serde_json::to_value(&derived).unwrap(), serde_json::to_value(&oracle).unwrap());
    }

    /// Patches of a flattened nested struct and of a generic model, read from random text,
    /// apply as `json_patch::merge` does on the model's JSON (their values are scalars and
    /// maps of scalars, where setting whole and merging agree), or fail and change nothing; and
    /// `a.apply(a.diff(&b))` gives `b` after a JSON round trip of the patch.
    #[test]
    fn flattened_and_generic_patches_apply_as_json_merge(
        outer_json in json_text::input(OUTER_KEYS),
        gen_json in json_text::input(GEN_KEYS),
        (mut outer, outer_b) in (outer_model(), outer_model()),
        (mut generic, generic_b) in (gen_model(), gen_model()),
    ) {
        if let Ok(patch) = serde_json::from_str::<OuterPatch>(&outer_json) {
            let mut expected = serde_json::to_value(&outer).unwrap();
            json_patch::merge(&mut expected, &serde_json::to_value(&patch).unwrap());
            let mut applied = outer.clone();
            applied.apply(patch).unwrap();
            prop_assert_eq!(serde_json::to_value(&applied).unwrap(), expected, "input {}", outer_json);
        }
        if let Ok(patch) = serde_json::from_str::<GenPatch<u32>>(&gen_json) {
            let mut expected = serde_json::to_value(&generic).unwrap();
            json_patch::merge(&mut expected, &serde_json::to_value(&patch).unwrap());
            let mut applied = generic.clone();
            match applied.apply(patch) {
                Ok(()) => prop_assert_eq!(serde_json::to_value(&applied).unwrap(), expected, "input {}", gen_json),
                Err(_) => prop_assert_eq!(&applied, &generic, "input {}", gen_json),
            }
        }
        let text = serde_json::to_string(&outer.diff(&outer_b)).unwrap();
        outer.apply(serde_json::from_str(&text).unwrap()).unwrap();
        prop_assert_eq!(&outer, &outer_b, "diff {}", text);
        let text = serde_json::to_string(&generic.diff(&generic_b)).unwrap();
        generic.apply(serde_json::from_str(&text).unwrap()).unwrap();
        prop_assert_eq!(&generic, &generic_b, "diff {}", text);
    }

    /// A flattened nested struct.
    #[test]
    fn flattened_nested_struct_reads_like_the_oracle(json in json_text::input(OUTER_KEYS)) {
        compare::<OuterPatch, oracle::OuterPatch>(&json, Errors::Kind)?;
    }

    /// A generic patch, for a type argument that is a number and one that is a string. No
    /// flattening: the error texts must match too.
    #[test]
    fn generic_patch_reads_like_the_oracle(json in json_text::input(GEN_KEYS)) {
        compare::<GenPatch<u32>, oracle::GenPatch<u32>>(&json, Errors::Text)?;
        compare::<GenPatch<String>, oracle::GenPatch<String>>(&json, Errors::Text)?;
        compare::<GenPatch<serde_json::Value>, oracle::GenPatch<serde_json::Value>>(&json, Errors::Text)?;
        compare::<ItemPatch<u32>, oracle::ItemPatch<u32>>(&json, Errors::Text)?;
        compare::<concrete::GenPatch, oracle::GenPatch<u32, true>>(&json, Errors::Text)?;
    }
}

/// Inputs of both kinds exist for the derived patches: some read and some fail (the properties
/// above would say little otherwise).
#[test]
fn inputs_read_and_fail() {
    let read = |json: &str| serde_json::from_str::<CustomPatch>(json).is_ok();
    assert!(read(
        r#"{"login": "a", "id": 1, "createdAt": null, "x": null}"#
    ));
    assert!(!read(r#"{"login": null}"#));
    let read = |json: &str| serde_json::from_str::<GenPatch<u32>>(json).is_ok();
    assert!(read(
        r#"{"val": 1, "byName": {"a": null}, "item": {"amount": 2}}"#
    ));
    assert!(!read(r#"{"item": {"amount": null}}"#));
}

/// The concrete `Gen` takes the derive's own reader, and the generic one serde's derives: the
/// property above compares the two paths (they differ on a key given twice in `byName`,
/// below). Both refuse a sequence, which serde's derive reads (the hand-written oracle does),
/// since the derive wraps serde's reader.
#[test]
fn concrete_map_patch_takes_the_own_reader() {
    assert!(serde_json::from_str::<concrete::GenPatch>("[]").is_err());
    assert!(serde_json::from_str::<GenPatch<u32>>("[]").is_err());
    assert!(serde_json::from_str::<GenPatch<u32>>(r#"[1, {"a": 1}]"#).is_err());
    assert!(serde_json::from_str::<oracle::GenPatch<u32>>("[]").is_ok());
}

/// The case the property found at random: a key given twice in `byName` is
/// refused by the patch of the non-generic model (its map is read by the runtime), and kept
/// last by the generic one (serde's map, whose bounds serde states); the oracle compared with
/// the first kept the last, and failed the property.
#[test]
fn a_repeated_map_key_is_refused_where_the_map_is_not_generic() {
    let json = r#"{"byName":{"value":null, "value":null}}"#;
    let found = |result: Result<serde_json::Value, serde_json::Error>| {
        result.map_err(|error| error.to_string())
    };
    let refused = Err("duplicate key in the map `byName` at line 1 column 32".to_owned());
    assert_eq!(
        found(serde_json::from_str::<concrete::GenPatch>(json).and_then(serde_json::to_value)),
        refused
    );
    assert_eq!(
        found(
            serde_json::from_str::<oracle::GenPatch<u32, true>>(json)
                .and_then(serde_json::to_value)
        ),
        refused
    );
    let kept = Ok(serde_json::json!({"byName": {"value": null}}));
    assert_eq!(
        found(serde_json::from_str::<GenPatch<u32>>(json).and_then(serde_json::to_value)),
        kept
    );
    assert_eq!(
        found(serde_json::from_str::<oracle::GenPatch<u32>>(json).and_then(serde_json::to_value)),
        kept
    );
}
