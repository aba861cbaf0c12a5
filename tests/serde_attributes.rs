//! serde attributes carried over to the patch, and the ways an `Option` can be written.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{Field, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Strict {
    first_name: Option<String>,
    #[serde(rename = "LAST", alias = "surname")]
    last_name: Option<String>,
}

#[test]
fn rename_all_rename_alias_and_deny_unknown_fields() {
    let patch = StrictPatch::new().first_name("A").clear_last_name();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"first-name": "A", "LAST": null})
    );
    let read: StrictPatch = serde_json::from_str(r#"{"surname": "B"}"#).unwrap();
    assert_eq!(read.last_name, Field::Value("B".into()));
    let error = serde_json::from_str::<StrictPatch>(r#"{"first_name": "A"}"#).unwrap_err();
    assert!(
        error.to_string().contains("unknown field `first_name`"),
        "{error}"
    );
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Address {
    locality: Option<String>,
    country_code: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Profile {
    username: String,
    #[patchable(nested)]
    #[serde(flatten)]
    address: Address,
    #[serde(flatten)]
    custom: BTreeMap<String, serde_json::Value>,
}

#[test]
fn flattened_nested_and_flattened_map() {
    let mut custom = BTreeMap::new();
    custom.insert("shoeSize".to_owned(), Field::Value(json!(44)));
    custom.insert("pet".to_owned(), Field::Null);
    custom.insert("untouched".to_owned(), Field::Absent);
    let patch = ProfilePatch::new()
        .address(AddressPatch::new().locality("Denver"))
        .custom(custom);
    let json = serde_json::to_value(&patch).unwrap();
    assert_eq!(
        json,
        json!({"locality": "Denver", "shoeSize": 44, "pet": null})
    );

    let read: ProfilePatch = serde_json::from_value(json).unwrap();
    assert_eq!(read.address.locality, Field::Value("Denver".into()));
    assert_eq!(read.custom.get("pet"), Some(&Field::Null));
    assert_eq!(read.custom.get("shoeSize"), Some(&Field::Value(json!(44))));
    assert!(!read.custom.contains_key("untouched"));

    let mut profile = Profile {
        username: "u".into(),
        address: Address {
            locality: None,
            country_code: Some("US".into()),
        },
        custom: BTreeMap::from([("pet".to_owned(), json!("cat"))]),
    };
    profile.apply(read).unwrap();
    assert_eq!(profile.address.locality.as_deref(), Some("Denver"));
    assert_eq!(profile.address.country_code.as_deref(), Some("US"));
    assert_eq!(
        profile.custom,
        BTreeMap::from([("shoeSize".to_owned(), json!(44))])
    );
    assert!(ProfilePatch::new().is_empty());

    // Null inside a flattened struct is read from serde's buffered content: still null.
    let read: ProfilePatch = serde_json::from_str(r#"{"country_code": null, "x": null}"#).unwrap();
    assert_eq!(read.address.country_code, Field::Null);
    assert_eq!(read.address.locality, Field::Absent);
    assert_eq!(read.custom.get("x"), Some(&Field::Null));
    assert_eq!(serde_json::to_string(&ProfilePatch::new()).unwrap(), "{}");
}

mod unix_seconds {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    pub fn serialize<S: Serializer>(time: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
        let seconds = time
            .duration_since(UNIX_EPOCH)
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_u64(seconds.as_secs())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SystemTime, D::Error> {
        u64::deserialize(deserializer).map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds))
    }
}

fn deserialize_upper<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|value| value.map(|s| s.to_uppercase()))
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Timed {
    #[serde(with = "unix_seconds")]
    created: std::time::SystemTime,
    #[serde(deserialize_with = "deserialize_upper", default)]
    code: Option<String>,
}

#[test]
fn with_and_deserialize_with_keep_working() {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(60);
    let patch = TimedPatch::new().created(at);
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"created":60}"#);
    let read: TimedPatch = serde_json::from_str(r#"{"created":60,"code":"ab"}"#).unwrap();
    assert_eq!(read.created, Some(at));
    assert_eq!(read.code, Field::Value("AB".into()));
    let read: TimedPatch = serde_json::from_str(r#"{"code":null}"#).unwrap();
    assert_eq!(read.code, Field::Null);
    let read: TimedPatch = serde_json::from_str("{}").unwrap();
    assert!(read.is_empty(), "{{}} reads as absent: {read:?}");
}

/// `null` on a nullable attribute that the user's function reads is a clear also where serde
/// reads it from its buffered content (an untagged enum around the patch, a flattened field),
/// which holds JSON's `null` as a unit, not as `None` (RFC 7396 §2: `null` removes).
#[test]
fn a_function_s_null_from_buffered_content_is_a_clear() {
    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    enum Body {
        Timed(TimedPatch),
    }
    let Body::Timed(read) = serde_json::from_str(r#"{"code": null}"#).unwrap();
    assert_eq!(read.code, Field::Null);
    let Body::Timed(read) = serde_json::from_str(r#"{"code": "ab"}"#).unwrap();
    assert_eq!(read.code, Field::Value("AB".into()));
}

/// A patch on serde's derives (here for `with`) read an array of its fields' values in order,
/// `[60, "ab"]` as `created` and `code`, which a merge patch is not (RFC 7396 §2); it is
/// refused now, as the derive's own reader refuses it.
#[test]
fn a_patch_with_serde_functions_refuses_an_array() {
    let error = serde_json::from_str::<TimedPatch>(r#"[60, "ab"]"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("invalid type: sequence, expected struct TimedPatch: a patch is a map of its attributes by key"),
        "{error}"
    );
    let error = serde_json::from_value::<TimedPatch>(serde_json::json!([])).unwrap_err();
    assert!(
        error.to_string().starts_with("invalid type: sequence"),
        "{error}"
    );
}

type MaybeText = Option<String>;

/// A user type that happens to be called `Option`.
mod own {
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Option<T>(pub T);

    // The feature `schemars` (on in the tests) asks every field type for its schema: a
    // newtype's is its value's.
    impl<T: schemars::JsonSchema> schemars::JsonSchema for Option<T> {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            T::schema_name()
        }

        fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
            generator.subschema_for::<T>()
        }
    }
}

macro_rules! model_with_type {
    ($t:ty) => {
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        struct Spelled {
            plain: Option<u8>,
            std_path: std::option::Option<u8>,
            core_path: ::core::option::Option<u8>,
            from_macro: $t,
            #[patchable(nullable)]
            alias: MaybeText,
            #[patchable(required)]
            own_option: own::Option<u8>,
            map: HashMap<String, u8>,
        }
    };
}

model_with_type!(Option<u8>);

#[test]
fn every_spelling_of_option_is_nullable() {
    let patch = SpelledPatch::new()
        .clear_plain()
        .clear_std_path()
        .clear_core_path()
        .clear_from_macro()
        .clear_alias()
        .own_option(own::Option(1));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({
            "plain": null, "std_path": null, "core_path": null, "from_macro": null,
            "alias": null, "own_option": 1
        })
    );
    let mut model = Spelled {
        plain: Some(1),
        std_path: Some(1),
        core_path: Some(1),
        from_macro: Some(1),
        alias: Some("a".into()),
        own_option: own::Option(0),
        map: HashMap::new(),
    };
    model.apply(patch).unwrap();
    assert_eq!(model.alias, None);
    assert_eq!(model.from_macro, None);
    assert_eq!(model.own_option, own::Option(1));
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(name = "Changes", derive(Eq, Hash))]
struct Renamed {
    value: Option<u8>,
}

#[test]
fn patch_name_and_extra_derives() {
    use std::collections::HashSet;
    let mut set = HashSet::new();
    set.insert(Changes::new().value(1u8));
    assert!(set.contains(&Changes::new().value(1u8)));
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ReadOnly {
    #[patchable(skip)]
    id: String,
    #[serde(skip)]
    cache: u64,
    label: Option<String>,
}

#[test]
fn skipped_fields_are_not_in_the_patch() {
    let read: ReadOnlyPatch = serde_json::from_str(r#"{"id": "x", "cache": 1}"#).unwrap();
    assert!(read.is_empty());
    let mut model = ReadOnly {
        id: "1".into(),
        cache: 9,
        label: None,
    };
    let target = ReadOnly {
        id: "2".into(),
        cache: 0,
        label: Some("l".into()),
    };
    let diff = model.diff(&target);
    assert_eq!(serde_json::to_string(&diff).unwrap(), r#"{"label":"l"}"#);
    model.apply(diff).unwrap();
    assert_eq!(model.id, "1");
}

#[test]
fn map_entry_setters() {
    let patch = ProfilePatch::new()
        .custom_entry("shoeSize", json!(44))
        .clear_custom_entry("pet");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"shoeSize": 44, "pet": null})
    );

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Tagged {
        tags: BTreeMap<String, String>,
        notes: Option<HashMap<String, String>>,
    }
    let patch = TaggedPatch::new()
        .tags_entry("team", "blue")
        .clear_tags_entry("old")
        .notes_entry("a", "b");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"tags": {"old": null, "team": "blue"}, "notes": {"a": "b"}})
    );
}

/// A flattened nested model that holds a flattened map of its own: the map takes the keys
/// that no attribute has, in the parent's JSON, as serde's derives read the model. The nested
/// patch must be read as a map, not as a struct of its named keys, which a parent that
/// flattens it hands over alone: `badge` was dropped silently. Applied, the patch gives what
/// RFC 7396 gives on the model's JSON (`json_patch::merge`).
#[test]
fn a_flattened_map_inside_a_flattened_nested_model_takes_the_other_keys() {
    use serde_json::Value;

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Inner {
        id: Option<String>,
        #[serde(flatten)]
        custom: BTreeMap<String, Value>,
    }
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Outer {
        name: Option<String>,
        #[serde(flatten)]
        #[patchable(nested)]
        inner: Inner,
    }
    let text = json!({"name": "a", "id": "b", "badge": 1, "pet": null});
    let patch: OuterPatch = serde_json::from_value(text.clone()).unwrap();
    assert_eq!(
        patch.inner.custom.get("badge"),
        Some(&Field::Value(json!(1)))
    );
    assert_eq!(patch.inner.custom.get("pet"), Some(&Field::Null));
    let yaml: OuterPatch = serde_yaml::from_str(&text.to_string()).unwrap();
    assert_eq!(yaml, patch);
    let mut model = Outer {
        name: None,
        inner: Inner {
            id: None,
            custom: BTreeMap::from([("pet".to_owned(), json!("cat"))]),
        },
    };
    let mut expected = serde_json::to_value(&model).unwrap();
    json_patch::merge(&mut expected, &text);
    model.apply(patch).unwrap();
    assert_eq!(serde_json::to_value(&model).unwrap(), expected);
}
