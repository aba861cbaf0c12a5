//! The dialect laws on models whose serde attributes change how their JSON reads or writes:
//! the struct's `default` and `rename_all` (camelCase, SCREAMING_SNAKE_CASE, kebab-case),
//! `deny_unknown_fields`, a field's `default = "..."`, `skip_serializing_if` (`Option::is_none`,
//! `Vec::is_empty`, a function of ours), `rename`, `alias`, `with` (a number written as text, a
//! timestamp written as text), `serialize_with`/`deserialize_with`, `flatten` of a nested model
//! and of a map of untyped JSON, `#[patchable(nested)]` and `#[patchable(skip)]`; against the
//! `json-patch` crate as an independent oracle.
//!
//! The normalisation of the read-back laws: `from_json_patch` and `from_scim_patch` return the
//! model's `diff` from `base` to the changed JSON read as the model (their docs), so a patch
//! read back is compared with `base.diff(&base.apply(patch))`: a patch cannot tell a value
//! equal to the base's from no change, nor a clear of an attribute that the base lacks from no
//! change, nor (where the model reads a missing member as its default and does not write it)
//! an attribute set to that default from one left at it.

use std::collections::HashMap;

use proptest::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};
use sparse_patch::{Patch, Patchable, ScimPatch};

#[path = "support/dialect_laws.rs"]
mod dialect_laws;
use dialect_laws::{
    check_any_operations_with_aliases, check_any_scim_message_with_aliases, check_laws,
};

fn default_region() -> Option<String> {
    Some("eu".into())
}

fn default_site() -> Option<String> {
    Some("hq".into())
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// A function of ours for `skip_serializing_if` (one that left out `" "` too would make a model
/// whose JSON does not read back as itself, which no patch can help).
fn is_no_text(value: &str) -> bool {
    value.is_empty()
}

/// A `u64` written as a JSON string (as google-apis-rs writes every int64), read from one.
mod number_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Seconds since the epoch written as a timestamp text, `"@<seconds>Z"`, on an `Option`.
mod timestamp_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<u64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(seconds) => serializer.collect_str(&format_args!("@{seconds}Z")),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u64>, D::Error> {
        let Some(text) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        text.strip_prefix('@')
            .and_then(|text| text.strip_suffix('Z'))
            .and_then(|seconds| seconds.parse().ok())
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format_args!("not a timestamp: {text}")))
    }
}

fn port_as_text<S: Serializer>(port: &u16, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(port)
}

/// A port read from a number or from its text.
fn port_from_text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Port {
        Number(u16),
        Text(String),
    }
    match Port::deserialize(deserializer)? {
        Port::Number(port) => Ok(port),
        Port::Text(text) => text.parse().map_err(serde::de::Error::custom),
    }
}

/// The struct's `default`, whose `Default` holds `Some`, and SCREAMING_SNAKE_CASE.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "SCREAMING_SNAKE_CASE")]
struct Prefs {
    dark_mode: Option<bool>,
    font_size: Option<u8>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            dark_mode: Some(true),
            font_size: Some(12),
        }
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Account {
    #[patchable(skip)]
    #[serde(default)]
    id: String,
    user_name: String,
    #[serde(default = "default_region")]
    home_region: Option<String>,
    #[serde(with = "number_text")]
    balance: u64,
    #[serde(default, skip_serializing_if = "is_zero", alias = "loginCount")]
    logins: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    /// A `Vec` of structs, sent whole, its elements' `isPrimary` defaulting to `Some`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    phones: Vec<Contact>,
    #[serde(
        rename = "e-mail",
        alias = "mail",
        skip_serializing_if = "Option::is_none"
    )]
    email: Option<String>,
    #[serde(
        with = "timestamp_text",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    created: Option<u64>,
    #[patchable(nested)]
    #[serde(default)]
    prefs: Prefs,
    #[patchable(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    backup_prefs: Option<Prefs>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Location {
    #[serde(default = "default_site")]
    site: Option<String>,
    #[serde(default, alias = "rackMounted")]
    in_rack: bool,
}

fn primary_by_default() -> Option<bool> {
    Some(true)
}

/// An element of a keyed array, its key renamed, a nullable attribute with a serde default of
/// `Some`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contact {
    #[serde(rename = "type")]
    kind: String,
    contact_value: String,
    #[serde(default = "primary_by_default")]
    is_primary: Option<bool>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Contact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Contact".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["type", "contactValue"]})
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Device {
    #[patchable(key = "type")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    contacts: Vec<Contact>,
    serial_number: String,
    #[serde(
        serialize_with = "port_as_text",
        deserialize_with = "port_from_text_or_number"
    )]
    port: u16,
    #[serde(default, skip_serializing_if = "is_no_text")]
    note: String,
    #[serde(default = "default_region")]
    zone: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    location: Location,
    #[serde(flatten)]
    extra: HashMap<String, Value>,
}

fn small_text() -> impl Strategy<Value = String> {
    "[ab ]{0,2}"
}

fn prefs() -> impl Strategy<Value = Prefs> {
    (
        proptest::option::of(any::<bool>()),
        proptest::option::of(10u8..13),
    )
        .prop_map(|(dark_mode, font_size)| Prefs {
            dark_mode,
            font_size,
        })
}

fn account() -> impl Strategy<Value = Account> {
    (
        (
            small_text(),
            small_text(),
            proptest::option::of(small_text()),
            prop_oneof![0u64..3, Just(u64::MAX)],
            0u32..3,
        ),
        (
            proptest::collection::vec(small_text(), 0..3),
            proptest::option::of(small_text()),
            proptest::option::of(0u64..3),
            prefs(),
            proptest::option::of(prefs()),
            contacts(),
        ),
    )
        .prop_map(
            |(
                (id, user_name, home_region, balance, logins),
                (tags, email, created, prefs, backup_prefs, phones),
            )| Account {
                phones,
                id,
                user_name,
                home_region,
                balance,
                logins,
                tags,
                email,
                created,
                prefs,
                backup_prefs,
            },
        )
}

/// A member that is absent, `null` or a value in a patch's JSON.
fn maybe(value: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![Just(None), Just(Some(Value::Null)), value.prop_map(Some)].boxed()
}

fn text_value() -> BoxedStrategy<Value> {
    small_text().prop_map(Value::from).boxed()
}

fn insert(patch: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        patch.insert(key.into(), value);
    }
}

fn prefs_patch() -> BoxedStrategy<Value> {
    (
        maybe(any::<bool>().prop_map(Value::from).boxed()),
        maybe((10u8..13).prop_map(Value::from).boxed()),
    )
        .prop_map(|(dark_mode, font_size)| {
            let mut patch = Map::new();
            insert(&mut patch, "DARK_MODE", dark_mode);
            insert(&mut patch, "FONT_SIZE", font_size);
            Value::Object(patch)
        })
        .boxed()
}

fn account_patch() -> impl Strategy<Value = AccountPatch> {
    (
        (
            proptest::option::of(text_value()),
            maybe(text_value()),
            proptest::option::of(
                prop_oneof![0u64..3, Just(u64::MAX)].prop_map(|balance| json!(balance.to_string())),
            ),
            proptest::option::of((0u32..3).prop_map(Value::from)),
            any::<bool>(),
        ),
        (
            proptest::option::of(
                proptest::collection::vec(small_text(), 0..3).prop_map(|tags| json!(tags)),
            ),
            maybe(text_value()),
            any::<bool>(),
            maybe(
                (0u64..3)
                    .prop_map(|seconds| json!(format!("@{seconds}Z")))
                    .boxed(),
            ),
            proptest::option::of(prefs_patch()),
            maybe(prefs_patch()),
            proptest::option::of(contacts()),
        ),
    )
        .prop_map(
            |(
                (user_name, home_region, balance, logins, logins_by_alias),
                (tags, email, email_by_alias, created, prefs, backup_prefs, phones),
            )| {
                let mut patch = Map::new();
                insert(&mut patch, "userName", user_name);
                insert(&mut patch, "homeRegion", home_region);
                insert(&mut patch, "balance", balance);
                let logins_key = if logins_by_alias {
                    "loginCount"
                } else {
                    "logins"
                };
                insert(&mut patch, logins_key, logins);
                insert(&mut patch, "tags", tags);
                insert(
                    &mut patch,
                    if email_by_alias { "mail" } else { "e-mail" },
                    email,
                );
                insert(&mut patch, "created", created);
                insert(&mut patch, "prefs", prefs);
                insert(&mut patch, "backupPrefs", backup_prefs);
                insert(&mut patch, "phones", phones.map(|phones| json!(phones)));
                serde_json::from_value(Value::Object(patch.clone()))
                    .unwrap_or_else(|error| panic!("{}: {error}", Value::Object(patch)))
            },
        )
}

/// Keys of the flattened map: none of them a field's key or alias.
const EXTRA_KEYS: &[&str] = &["x", "y-z", "~1", "a/b"];

/// Untyped values without numbers: serde buffers a flattened member, and under serde_json's
/// `arbitrary_precision` a buffered number reads back as another value (left alone).
fn extra_value() -> BoxedStrategy<Value> {
    prop_oneof![
        text_value(),
        any::<bool>().prop_map(Value::from).boxed(),
        proptest::collection::vec(text_value(), 0..2)
            .prop_map(Value::Array)
            .boxed(),
        proptest::collection::btree_map(proptest::sample::select(EXTRA_KEYS), text_value(), 0..2)
            .prop_map(|map| Value::Object(
                map.into_iter()
                    .map(|(key, value)| (key.to_owned(), value))
                    .collect()
            ))
            .boxed(),
    ]
    .boxed()
}

/// Contacts of distinct keys (two of one key are refused by `apply`).
fn contacts() -> impl Strategy<Value = Vec<Contact>> {
    proptest::collection::btree_map(
        proptest::sample::select(&["a", "b", "c"][..]),
        (small_text(), proptest::option::of(any::<bool>())),
        0..3,
    )
    .prop_map(|contacts| {
        contacts
            .into_iter()
            .map(|(kind, (contact_value, is_primary))| Contact {
                kind: kind.into(),
                contact_value,
                is_primary,
            })
            .collect()
    })
}

fn device() -> impl Strategy<Value = Device> {
    (
        small_text(),
        0u16..3,
        small_text(),
        proptest::option::of(small_text()),
        (proptest::option::of(small_text()), any::<bool>()),
        proptest::collection::hash_map(
            proptest::sample::select(EXTRA_KEYS).prop_map(String::from),
            extra_value(),
            0..3,
        ),
        contacts(),
    )
        .prop_map(
            |(serial_number, port, note, zone, (site, in_rack), extra, contacts)| Device {
                contacts,
                serial_number,
                port,
                note,
                zone,
                location: Location { site, in_rack },
                extra,
            },
        )
}

fn device_patch() -> impl Strategy<Value = DevicePatch> {
    (
        proptest::option::of(text_value()),
        proptest::option::of(prop_oneof![
            (0u16..3).prop_map(Value::from),
            (0u16..3).prop_map(|port| json!(port.to_string())),
        ]),
        proptest::option::of(text_value()),
        maybe(text_value()),
        (
            maybe(text_value()),
            proptest::option::of(any::<bool>().prop_map(Value::from)),
            any::<bool>(),
        ),
        proptest::collection::btree_map(
            proptest::sample::select(EXTRA_KEYS),
            prop_oneof![Just(Value::Null), extra_value()],
            0..3,
        ),
        proptest::option::of(contacts()),
    )
        .prop_map(
            |(
                serial_number,
                port,
                note,
                zone,
                (site, in_rack, in_rack_by_alias),
                extra,
                contacts,
            )| {
                let mut patch: Map<String, Value> = extra
                    .into_iter()
                    .map(|(key, value)| (key.to_owned(), value))
                    .collect();
                insert(&mut patch, "serial-number", serial_number);
                insert(&mut patch, "port", port);
                insert(&mut patch, "note", note);
                insert(&mut patch, "zone", zone);
                insert(&mut patch, "site", site);
                let in_rack_key = if in_rack_by_alias {
                    "rackMounted"
                } else {
                    "in-rack"
                };
                insert(&mut patch, in_rack_key, in_rack);
                insert(
                    &mut patch,
                    "contacts",
                    contacts.map(|contacts| json!(contacts)),
                );
                serde_json::from_value(Value::Object(patch.clone()))
                    .unwrap_or_else(|error| panic!("{}: {error}", Value::Object(patch)))
            },
        )
}

/// Operations of any kind on the paths that a model's JSON holds or may hold.
fn operations(paths: &'static [&'static str]) -> impl Strategy<Value = Vec<Value>> {
    let path = proptest::sample::select(paths);
    // Mostly `add`, `remove` and `replace`: a `test`, `move` or `copy` between random paths
    // mostly fails, which reads nothing.
    let kind = prop_oneof![4 => Just(0u8), 2 => Just(1u8), 2 => Just(2u8), 1 => 3u8..6];
    let operation = (kind, path.clone(), path)
        .prop_flat_map(|(kind, path, from)| {
            (Just(kind), Just(path), Just(from), fitting_value(path))
        })
        .prop_map(|(kind, path, from, value)| match kind {
            0 => json!({"op": "add", "path": path, "value": value}),
            1 => json!({"op": "remove", "path": path}),
            2 => json!({"op": "replace", "path": path, "value": value}),
            3 => json!({"op": "move", "from": from, "path": path}),
            4 => json!({"op": "copy", "from": from, "path": path}),
            _ => json!({"op": "test", "path": path, "value": value}),
        });
    proptest::collection::vec(operation, 1..3)
}

/// A value that fits the attribute at `path` (the last name, in any case, of a JSON Pointer or
/// a SCIM path) most of the time, and any value else.
fn fitting_value(path: &str) -> BoxedStrategy<Value> {
    let name = path
        .rsplit(['/', '.'])
        .find(|name| !name.is_empty() && *name != "-" && *name != "0")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let fitting = match name.as_str() {
        "balance" => (0u64..3).prop_map(|n| json!(n.to_string())).boxed(),
        "logins" | "logincount" | "font_size" => (10u8..13).prop_map(Value::from).boxed(),
        "port" => prop_oneof![(0u16..3).prop_map(Value::from), Just(json!("2"))].boxed(),
        "created" => (0u64..3).prop_map(|n| json!(format!("@{n}Z"))).boxed(),
        "prefs" | "backupprefs" => prefs_patch(),
        "dark_mode" | "in-rack" | "rackmounted" => {
            prop_oneof![any::<bool>().prop_map(Value::from), Just(json!("True"))].boxed()
        }
        "tags" if !path.ends_with('-') && !path.ends_with('0') => Just(json!(["a"])).boxed(),
        "location" => Just(json!({"site": "a", "in-rack": true})).boxed(),
        "isprimary" => any::<bool>().prop_map(Value::from).boxed(),
        "contacts" | "phones" | "-" => prop_oneof![
            Just(json!([{"type": "c", "contactValue": "x"}])),
            Just(json!({"type": "a", "contactValue": "y", "isPrimary": false})),
        ]
        .boxed(),
        _ => text_value(),
    };
    prop_oneof![4 => fitting, 1 => any_value()].boxed()
}

fn any_value() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        text_value(),
        (0u8..3).prop_map(Value::from).boxed(),
        Just(json!("1")),
        Just(json!("@1Z")),
        any::<bool>().prop_map(Value::from).boxed(),
        Just(json!(["a"])),
        Just(json!({"DARK_MODE": false})),
        Just(json!({})),
        Just(json!("True")),
        Just(json!({"site": "a", "in-rack": "False"})),
        Just(json!({"userName": "b", "mail": "m"})),
    ]
    .boxed()
}

const ACCOUNT_PATHS: &[&str] = &[
    "/phones",
    "/phones/0/isPrimary",
    "/phones/1",
    "/id",
    "/userName",
    "/homeRegion",
    "/balance",
    "/logins",
    "/loginCount",
    "/tags",
    "/tags/0",
    "/tags/-",
    "/e-mail",
    "/mail",
    "/created",
    "/prefs",
    "/prefs/DARK_MODE",
    "/prefs/FONT_SIZE",
    "/backupPrefs",
    "/backupPrefs/FONT_SIZE",
    "/unknown",
];

const DEVICE_PATHS: &[&str] = &[
    "/contacts",
    "/contacts/0/isPrimary",
    "/contacts/1/contactValue",
    "/contacts/-",
    "/serial-number",
    "/port",
    "/note",
    "/zone",
    "/site",
    "/in-rack",
    "/rackMounted",
    "/x",
    "/y-z",
    "/~01",
    "/a~1b",
    "/x/0",
];

/// SCIM operations of any kind on the attribute paths that a model's JSON holds or may hold,
/// in any case, by alias too.
fn scim_operations(paths: &'static [&'static str]) -> impl Strategy<Value = ScimPatch> {
    let operation = (
        proptest::sample::select(&["add", "remove", "replace", "Replace"][..]),
        proptest::option::weighted(0.9, proptest::sample::select(paths)),
    )
        .prop_flat_map(|(op, path)| {
            let value = match path {
                Some(path) => fitting_value(path),
                None => any_value(),
            };
            (Just(op), Just(path), value)
        })
        .prop_map(|(op, path, value)| {
            let mut operation = json!({"op": op});
            if let Some(path) = path {
                operation["path"] = json!(path);
            }
            if op != "remove" {
                operation["value"] = value;
            }
            operation
        });
    proptest::collection::vec(operation, 1..3).prop_map(|operations| {
        serde_json::from_value(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": operations,
        }))
        .unwrap()
    })
}

const ACCOUNT_SCIM_PATHS: &[&str] = &[
    "phones",
    "phones[type eq \"a\"].isPrimary",
    "userName",
    "USERNAME",
    "homeRegion",
    "balance",
    "logins",
    "loginCount",
    "tags",
    "e-mail",
    "mail",
    "created",
    "prefs",
    "prefs.DARK_MODE",
    "prefs.font_size",
    "backupPrefs",
    "backupPrefs.FONT_SIZE",
    "id",
];

const DEVICE_SCIM_PATHS: &[&str] = &[
    "contacts",
    "contacts[type eq \"a\"].isPrimary",
    "contacts[type eq \"b\"].contactValue",
    "contacts[type eq \"c\"]",
    "serial-number",
    "port",
    "note",
    "zone",
    "site",
    "in-rack",
    "rackMounted",
    "x",
    "y-z",
    "location",
];

/// The serde aliases of `Account`'s fields, `(alias, name)`: the dialects' readers read a
/// path at an alias as one at the name (tests/dialect_alias_paths.rs).
const ACCOUNT_ALIASES: &[(&str, &str)] = &[("loginCount", "logins"), ("mail", "e-mail")];

/// The serde aliases of `Device`'s fields (its flattened `Location`'s).
const DEVICE_ALIASES: &[(&str, &str)] = &[("rackMounted", "in-rack")];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_scim_message_on_an_account_is_read_as_it_applies(
        base in account(),
        message in scim_operations(ACCOUNT_SCIM_PATHS),
    ) {
        check_any_scim_message_with_aliases(&base, &message, ACCOUNT_ALIASES)?;
    }

    #[test]
    fn any_scim_message_on_a_device_is_read_as_it_applies(
        base in device(),
        message in scim_operations(DEVICE_SCIM_PATHS),
    ) {
        check_any_scim_message_with_aliases(&base, &message, DEVICE_ALIASES)?;
    }

    #[test]
    fn laws_hold_on_renamed_defaulted_and_text_written_attributes(
        base in account(),
        patch in account_patch(),
    ) {
        check_laws(&base, &patch)?;
    }

    #[test]
    fn laws_hold_on_flattened_attributes_and_serde_functions(
        base in device(),
        patch in device_patch(),
    ) {
        check_laws(&base, &patch)?;
    }

    #[test]
    fn diff_between_two_models_gives_the_target(a in account(), b in account(), c in device(), d in device()) {
        let mut applied = a.clone();
        applied.apply(a.diff(&b)).unwrap();
        // `id` is `skip`: no patch changes it.
        prop_assert_eq!(applied, Account { id: a.id.clone(), ..b.clone() });
        let mut applied = c.clone();
        applied.apply(c.diff(&d)).unwrap();
        prop_assert_eq!(applied, d.clone());
        // And the laws hold on that diff.
        check_laws(&a, &a.diff(&b))?;
        check_laws(&c, &c.diff(&d))?;
    }

    #[test]
    fn any_operations_on_an_account_are_read_as_json_patch_applies_them(
        base in account(),
        operations in operations(ACCOUNT_PATHS),
    ) {
        check_any_operations_with_aliases(&base, operations, ACCOUNT_ALIASES)?;
    }

    #[test]
    fn any_operations_on_a_device_are_read_as_json_patch_applies_them(
        base in device(),
        operations in operations(DEVICE_PATHS),
    ) {
        check_any_operations_with_aliases(&base, operations, DEVICE_ALIASES)?;
    }
}

/// SCIM's boolean strings (Entra ID's `"True"`/`"False"`) are read as the booleans that they
/// name wherever the model reads a `bool` directly.
#[test]
fn scim_boolean_strings_read_as_booleans_in_a_nested_model() {
    let base = Account {
        id: "1".into(),
        user_name: "a".into(),
        home_region: None,
        balance: 1,
        logins: 0,
        tags: vec![],
        phones: vec![],
        email: None,
        created: None,
        prefs: Prefs::default(),
        backup_prefs: None,
    };
    let message: ScimPatch = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "prefs.DARK_MODE", "value": "False"}],
    }))
    .unwrap();
    let patch = AccountPatch::from_scim_patch(&base, &message).unwrap();
    assert_eq!(
        patch,
        AccountPatch::new().prefs(PrefsPatch::new().dark_mode(false))
    );
}
