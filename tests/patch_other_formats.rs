//! Derived patches written and read through serde formats other than JSON, as patches are kept
//! in config files, queues and caches: YAML, TOML, MessagePack (`rmp_serde`, with and without
//! struct-as-map), CBOR (`ciborium`) and postcard (not self-describing). Every field kind is
//! absent, null and a value in turn: a required attribute, a nullable one, a required and a
//! nullable nested patch, a map patched key by key (required and nullable), a keyed array and a
//! flattened map. Each model is derived twice: plainly (the derive's own serde code) and with a
//! type parameter and a `#[cfg]` field, which leaves the patch to serde's derives.
//!
//! What a format cannot carry must be an error, never a patch that means something else:
//! TOML has no null (toml-rs/toml-rs#356, serde-rs/serde#2275: its tables leave a `None` out,
//! which would turn "clear" into "keep"); a format that writes structs as sequences has no
//! place for an absent attribute (3Hren/msgpack-rust#86, pyfisch/cbor#37); postcard reads no
//! identifier and no `deserialize_any` (jamesmunns/postcard#29, bincode-org/bincode#245).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sparse_patch::{Field, Patchable};

macro_rules! models {
    ($($generic:ident)?) => {
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[patchable(name = "ProfilePatch")]
        pub struct Profile<$($generic = ())?> {
            // In the generic variant only: a `#[cfg]` field keeps the patch on serde's derives.
            $( #[cfg(all())] #[doc = stringify!($generic)] )?
            pub name: String,
            pub nickname: Option<String>,
            pub age: Option<u32>,
            #[patchable(nested)]
            pub home: Address,
            #[patchable(nested)]
            pub work: Option<Address>,
            pub labels: BTreeMap<String, String>,
            pub scores: Option<BTreeMap<String, u32>>,
            #[patchable(key = "kind")]
            #[schemars(with = "Vec<serde_json::Value>")]
            pub phones: Vec<Phone>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$generic>,
            )?
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Address {
            pub street: String,
            pub city: Option<String>,
        }

        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Phone {
            pub kind: String,
            pub number: Option<String>,
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[patchable(name = "CustomPatch")]
        pub struct Custom<$($generic = ())?> {
            $( #[cfg(all())] #[doc = stringify!($generic)] )?
            pub id: String,
            pub note: Option<String>,
            #[serde(flatten)]
            pub custom: BTreeMap<String, u32>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$generic>,
            )?
        }
    };
}

/// The derive's own `Serialize` and `Deserialize`.
mod own {
    use super::*;
    models!();
}

/// serde's derives (a type parameter and a `#[cfg]` field).
mod derived {
    use super::*;
    models!(G);
}

/// Every field kind absent (the empty patch), null (where it can be) and a value, with a name
/// for messages.
fn profiles() -> Vec<(&'static str, own::ProfilePatch)> {
    use own::{AddressPatch, Phone, ProfilePatch};
    vec![
        ("empty", ProfilePatch::new()),
        ("required value", ProfilePatch::new().name("Ann")),
        ("nullable null", ProfilePatch::new().clear_nickname()),
        ("nullable value", ProfilePatch::new().nickname("Nan")),
        // Strings that a YAML reader would take for null if they were written plain.
        (
            "nullable value spelled null",
            ProfilePatch::new().nickname("null"),
        ),
        (
            "nullable value spelled ~",
            ProfilePatch::new().nickname("~"),
        ),
        ("required empty value", ProfilePatch::new().name("")),
        (
            "map entry spelled null",
            ProfilePatch::new()
                .labels_entry("a", "null")
                .labels_entry("~", "~"),
        ),
        ("nullable number null", ProfilePatch::new().clear_age()),
        ("nullable number value", ProfilePatch::new().age(3u32)),
        (
            "required nested value",
            ProfilePatch::new().home(AddressPatch::new().street("Elm")),
        ),
        (
            "required nested, null inside",
            ProfilePatch::new().home(AddressPatch::new().clear_city()),
        ),
        ("nullable nested null", ProfilePatch::new().clear_work()),
        (
            "nullable nested value",
            ProfilePatch::new().work(AddressPatch::new().street("s").city("Oslo")),
        ),
        (
            "map entries",
            ProfilePatch::new()
                .labels_entry("a", "x")
                .clear_labels_entry("b"),
        ),
        ("nullable map null", ProfilePatch::new().clear_scores()),
        (
            "nullable map entries",
            ProfilePatch::new()
                .scores_entry("t", 1u32)
                .clear_scores_entry("u"),
        ),
        (
            "keyed array",
            ProfilePatch::new().phones(vec![
                Phone {
                    kind: "work".into(),
                    number: None,
                },
                Phone {
                    kind: "home".into(),
                    number: Some("5".into()),
                },
            ]),
        ),
        (
            "everything",
            ProfilePatch::new()
                .name("Ann")
                .clear_nickname()
                .age(3u32)
                .home(AddressPatch::new().street("Elm").clear_city())
                .work(AddressPatch::new().city("Oslo"))
                .labels_entry("a", "x")
                .clear_labels_entry("b")
                .scores_entry("t", 1u32)
                .phones(vec![Phone {
                    kind: "work".into(),
                    number: None,
                }]),
        ),
    ]
}

fn customs() -> Vec<(&'static str, own::CustomPatch)> {
    use own::CustomPatch;
    vec![
        ("flat empty", CustomPatch::new()),
        (
            "flat value",
            CustomPatch::new().id("c1").custom_entry("x", 1u32),
        ),
        (
            "flat entries",
            CustomPatch::new()
                .custom_entry("x", 1u32)
                .clear_custom_entry("y"),
        ),
        (
            "flat with null field",
            CustomPatch::new().clear_note().custom_entry("x", 2u32),
        ),
    ]
}

/// The same patch, read into another patch type through its JSON (the oracle format).
fn convert<A: Serialize, B: DeserializeOwned>(patch: &A) -> B {
    serde_json::from_value(serde_json::to_value(patch).unwrap()).unwrap()
}

/// Both variants of every case, as JSON values for the comparisons and the patches themselves.
fn both<A, B>(cases: Vec<(&'static str, A)>) -> Vec<(String, A, B)>
where
    A: Serialize,
    B: DeserializeOwned,
{
    cases
        .into_iter()
        .map(|(name, patch)| {
            let other = convert(&patch);
            (name.to_owned(), patch, other)
        })
        .collect()
}

/// Whether the case holds a `null` anywhere (a cleared attribute or a removed map entry).
fn holds_null<P: Serialize>(patch: &P) -> bool {
    fn any_null(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Null => true,
            serde_json::Value::Object(map) => map.values().any(any_null),
            // A model's own `None` inside a keyed array's element is a value of the model,
            // which TOML leaves out and reads back as `None`: not a patch's null.
            _ => false,
        }
    }
    any_null(&serde_json::to_value(patch).unwrap())
}

type Round<P> = fn(&P) -> Result<P, String>;

fn yaml<P: Serialize + DeserializeOwned>(patch: &P) -> Result<P, String> {
    let text = serde_yaml::to_string(patch).map_err(|error| format!("write: {error}"))?;
    serde_yaml::from_str(&text).map_err(|error| format!("read: {error} in {text:?}"))
}

fn toml<P: Serialize + DeserializeOwned>(patch: &P) -> Result<P, String> {
    let text = toml::to_string(patch).map_err(|error| format!("write: {error}"))?;
    toml::from_str(&text).map_err(|error| format!("read: {error} in {text:?}"))
}

fn msgpack<P: Serialize + DeserializeOwned>(patch: &P) -> Result<P, String> {
    let bytes = rmp_serde::to_vec(patch).map_err(|error| format!("write: {error}"))?;
    rmp_serde::from_slice(&bytes).map_err(|error| format!("read: {error} in {bytes:?}"))
}

fn msgpack_named<P: Serialize + DeserializeOwned>(patch: &P) -> Result<P, String> {
    let bytes = rmp_serde::to_vec_named(patch).map_err(|error| format!("write: {error}"))?;
    rmp_serde::from_slice(&bytes).map_err(|error| format!("read: {error} in {bytes:?}"))
}

fn cbor<P: Serialize + DeserializeOwned>(patch: &P) -> Result<P, String> {
    let mut bytes = Vec::new();
    ciborium::into_writer(patch, &mut bytes).map_err(|error| format!("write: {error}"))?;
    ciborium::from_reader(&bytes[..]).map_err(|error| format!("read: {error} in {bytes:?}"))
}

fn postcard<P: Serialize + DeserializeOwned>(patch: &P) -> Result<P, String> {
    let bytes = postcard::to_allocvec(patch).map_err(|error| format!("write: {error}"))?;
    postcard::from_bytes(&bytes).map_err(|error| format!("read: {error} in {bytes:?}"))
}

/// Checks that `round` gives every case back equal, for both variants of both models.
fn round_trips_all(
    format: &str,
    own_round: Round<own::ProfilePatch>,
    derived_round: Round<derived::ProfilePatch>,
    own_flat: Round<own::CustomPatch>,
    derived_flat: Round<derived::CustomPatch>,
) {
    for (name, own, derived) in both::<_, derived::ProfilePatch>(profiles()) {
        assert_eq!(own_round(&own).as_ref(), Ok(&own), "{format}, own: {name}");
        assert_eq!(
            derived_round(&derived).as_ref(),
            Ok(&derived),
            "{format}, derived: {name}"
        );
    }
    for (name, own, derived) in both::<_, derived::CustomPatch>(customs()) {
        assert_eq!(own_flat(&own).as_ref(), Ok(&own), "{format}, own: {name}");
        assert_eq!(
            derived_flat(&derived).as_ref(),
            Ok(&derived),
            "{format}, derived: {name}"
        );
    }
}

#[test]
fn yaml_round_trips_absent_null_and_value_in_every_field_kind() {
    round_trips_all("YAML", yaml, yaml, yaml, yaml);
}

#[test]
fn cbor_round_trips_absent_null_and_value_in_every_field_kind() {
    round_trips_all("CBOR", cbor, cbor, cbor, cbor);
}

#[test]
fn messagepack_with_struct_as_map_round_trips_every_field_kind() {
    round_trips_all(
        "MessagePack (to_vec_named)",
        msgpack_named,
        msgpack_named,
        msgpack_named,
        msgpack_named,
    );
}

/// YAML's spellings of null (`~`, `null`, an empty value) clear an attribute or remove an
/// entry, a quoted `"null"` is a string, and null on a required attribute is refused by name,
/// as in JSON.
#[test]
fn yaml_nulls_read_as_null_and_required_null_is_refused_by_name() {
    for text in [
        "nickname: ~",
        "nickname: null",
        "nickname: Null",
        "nickname:",
    ] {
        let patch: own::ProfilePatch = serde_yaml::from_str(text).unwrap();
        assert_eq!(patch.nickname, Field::Null, "{text}");
        let patch: derived::ProfilePatch = serde_yaml::from_str(text).unwrap();
        assert_eq!(patch.nickname, Field::Null, "{text}");
    }
    let patch: own::ProfilePatch = serde_yaml::from_str("nickname: \"null\"").unwrap();
    assert_eq!(patch.nickname, Field::Value("null".to_owned()));
    let patch: own::ProfilePatch = serde_yaml::from_str("labels: {a: ~, b: x}").unwrap();
    assert_eq!(
        patch.labels,
        Some(BTreeMap::from([
            ("a".to_owned(), Field::Null),
            ("b".to_owned(), Field::Value("x".to_owned()))
        ]))
    );
    let patch: own::ProfilePatch = serde_yaml::from_str("work: ~\nhome: {city: ~}").unwrap();
    assert_eq!(patch.work, Field::Null);
    assert_eq!(patch.home.unwrap().city, Field::Null);
    // serde_yaml puts the path to the value before the message (`home: invalid value: ...`),
    // so the nested patch's error, which serde_yaml's text no longer starts with, keeps its own
    // key: the two name `home.street` together.
    let refused = [
        ("name: ~", "invalid value: null for `name`"),
        ("home: ~", "invalid value: null for `home`"),
        ("labels: ~", "invalid value: null for `labels`"),
        (
            "home: {street: ~}",
            "home: invalid value: null for `street`",
        ),
    ];
    for (text, message) in refused {
        let own = serde_yaml::from_str::<own::ProfilePatch>(text)
            .unwrap_err()
            .to_string();
        let derived = serde_yaml::from_str::<derived::ProfilePatch>(text)
            .unwrap_err()
            .to_string();
        for error in [own, derived] {
            assert!(
                error.starts_with(&format!(
                    "{message}, a required attribute that cannot be cleared"
                )),
                "{text}: {error}"
            );
        }
    }
}

/// TOML has no null. Absent attributes and values round-trip; a null (a cleared attribute, a
/// removed map entry) is an error naming it, where toml's tables would leave it out and the
/// patch read back would keep the attribute instead of clearing it.
#[test]
fn toml_round_trips_what_it_can_and_refuses_null_by_name() {
    for (name, own, derived) in both::<_, derived::ProfilePatch>(profiles()) {
        if holds_null(&own) {
            continue;
        }
        assert_eq!(toml(&own).as_ref(), Ok(&own), "own: {name}");
        assert_eq!(toml(&derived).as_ref(), Ok(&derived), "derived: {name}");
    }
    for (name, own, derived) in both::<_, derived::CustomPatch>(customs()) {
        if holds_null(&own) {
            continue;
        }
        assert_eq!(toml(&own).as_ref(), Ok(&own), "own: {name}");
        assert_eq!(toml(&derived).as_ref(), Ok(&derived), "derived: {name}");
    }
    use own::{AddressPatch, CustomPatch, ProfilePatch};
    let refused = [
        (
            ProfilePatch::new().clear_nickname(),
            "`nickname` (clear the attribute)",
        ),
        (
            ProfilePatch::new().name("Ann").clear_age(),
            "`age` (clear the attribute)",
        ),
        (
            ProfilePatch::new().home(AddressPatch::new().clear_city()),
            "`home.city` (clear the attribute)",
        ),
        (
            ProfilePatch::new().work(AddressPatch::new().street("s").clear_city()),
            "`work.city` (clear the attribute)",
        ),
        (
            ProfilePatch::new().clear_work(),
            "`work` (clear the attribute)",
        ),
        (
            ProfilePatch::new()
                .labels_entry("a", "x")
                .clear_labels_entry("b"),
            "an entry of `labels` (remove the key)",
        ),
        (
            ProfilePatch::new().clear_scores(),
            "`scores` (clear the attribute)",
        ),
        (
            ProfilePatch::new().clear_scores_entry("u"),
            "an entry of `scores` (remove the key)",
        ),
    ];
    for (own, what) in refused {
        let derived: derived::ProfilePatch = convert(&own);
        for error in [
            toml::to_string(&own).unwrap_err(),
            toml::to_string(&derived).unwrap_err(),
        ] {
            let error = error.to_string();
            assert!(
                error.starts_with(&format!(
                    "cannot write null for {what}: the format has no null"
                )),
                "{what}: {error}"
            );
        }
    }
    let flat = CustomPatch::new()
        .custom_entry("x", 1u32)
        .clear_custom_entry("y");
    let error = toml::to_string(&flat).unwrap_err().to_string();
    assert!(
        error.starts_with("cannot write null for an entry of a flattened map (remove the key)"),
        "{error}"
    );
    let derived: derived::CustomPatch = convert(&flat);
    let error = toml::to_string(&derived).unwrap_err().to_string();
    assert!(
        error.starts_with("cannot write null for an entry of a map (remove the key)"),
        "{error}"
    );
    let error = toml::to_string(&CustomPatch::new().clear_note())
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot write null for `note` (clear the attribute)"),
        "{error}"
    );
}

/// A `Field` in a struct of the user's own, written to TOML: its null is an error too, though
/// no attribute name is known to it.
#[test]
fn toml_refuses_a_field_null_outside_a_patch() {
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Settings {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        nickname: Field<String>,
    }
    let error = toml::to_string(&Settings {
        nickname: Field::Null,
    })
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("cannot write null for a `Field::Null` (clear the attribute)"),
        "{error}"
    );
    let text = toml::to_string(&Settings {
        nickname: Field::Value("Nan".into()),
    })
    .unwrap();
    assert_eq!(
        toml::from_str::<Settings>(&text).unwrap().nickname,
        Field::Value("Nan".into())
    );
    assert_eq!(
        toml::from_str::<Settings>("").unwrap().nickname,
        Field::Absent
    );
}

/// `rmp_serde::to_vec` writes a struct as an array of its present fields' values, in which an
/// absent attribute leaves no place. The derive's own writer writes a patch as a map in every
/// binary format, so it round-trips; its reader refuses an array by name rather than guess.
#[test]
fn messagepack_default_config_round_trips_the_derive_own_patches() {
    for (name, own) in profiles() {
        let bytes = rmp_serde::to_vec(&own).unwrap();
        // A map (fixmap, map16 or map32), as `to_vec_named` writes (the keyed array's
        // elements are the model's own values, which its own `Serialize` writes).
        assert!(
            matches!(bytes[0], 0x80..=0x8f | 0xde | 0xdf),
            "{name}: {bytes:?}"
        );
        assert_eq!(msgpack(&own).as_ref(), Ok(&own), "{name}");
    }
    for (name, own) in customs() {
        assert_eq!(msgpack(&own).as_ref(), Ok(&own), "{name}");
    }
    // A patch that serde's derive wrote with `to_vec` is an array: refused, not read in order.
    let derived: derived::ProfilePatch = convert(&own::ProfilePatch::new().nickname("Nan"));
    let bytes = rmp_serde::to_vec(&derived).unwrap();
    let error = rmp_serde::from_slice::<own::ProfilePatch>(&bytes)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("expected struct ProfilePatch: a patch is a map of its attributes by key (a JSON object), not a sequence"),
        "{error}"
    );
}

/// A reader that gives a key as a number (serde's `MapDeserializer` over `u64` keys, as a
/// field is named by its index): a patch with a flattened map hands it to the map as its
/// text, as it does every key that no field has, and does not take it for the field of that
/// index (found by mutation testing: with such keys skipped, every test still passed).
#[test]
fn a_key_given_as_a_number_goes_to_the_flattened_map() {
    use serde::de::value::MapDeserializer;

    // The values as a JSON reader gives them (`Value` reads an `Option` as a reader does).
    let read = MapDeserializer::<_, serde_json::Error>::new(
        [(0_u64, serde_json::json!(5)), (7, serde_json::json!(6))].into_iter(),
    );
    assert_eq!(
        own::CustomPatch::deserialize(read).unwrap(),
        own::CustomPatch::new()
            .custom_entry("0", 5u32)
            .custom_entry("7", 6u32)
    );
}

/// A map entry set to `Field::Absent` by hand (in a map attribute's patch, a nullable one's,
/// and a flattened map) is not written, and a format that writes a map's length before its
/// entries (postcard, CBOR, MessagePack) counts only the entries written: the patch reads back
/// as the one without those entries, and the attributes after the map are read where they are.
/// (Found by mutation testing: with absent entries counted in the length, every test passed.)
#[test]
fn an_absent_map_entry_is_neither_written_nor_counted() {
    use own::{CustomPatch, ProfilePatch};
    let entries = |pairs: &[(&str, Field<String>)]| -> BTreeMap<String, Field<String>> {
        pairs
            .iter()
            .map(|(key, field)| ((*key).to_owned(), field.clone()))
            .collect()
    };
    let with_absent = ProfilePatch::new()
        .name("Ann")
        .labels(entries(&[
            ("a", Field::Value("x".into())),
            ("b", Field::Absent),
            ("c", Field::Null),
        ]))
        .scores(BTreeMap::from([("t".to_owned(), Field::Absent)]))
        .phones(Vec::new());
    let without = ProfilePatch::new()
        .name("Ann")
        .labels_entry("a", "x")
        .clear_labels_entry("c")
        .scores(BTreeMap::new())
        .phones(Vec::new());
    let mut flat_with_absent = CustomPatch::new().custom_entry("x", 1u32).note("n");
    flat_with_absent
        .custom
        .insert("y".to_owned(), Field::Absent);
    let flat_without = CustomPatch::new().custom_entry("x", 1u32).note("n");
    assert_eq!(
        serde_json::to_string(&with_absent).unwrap(),
        serde_json::to_string(&without).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&flat_with_absent).unwrap(),
        serde_json::to_string(&flat_without).unwrap()
    );
    let rounds: [(&str, Round<ProfilePatch>, Round<CustomPatch>); 5] = [
        ("postcard", postcard, postcard),
        ("CBOR", cbor, cbor),
        ("MessagePack", msgpack, msgpack),
        ("MessagePack (to_vec_named)", msgpack_named, msgpack_named),
        ("YAML", yaml, yaml),
    ];
    for (format, round, flat_round) in rounds {
        assert_eq!(round(&with_absent), Ok(without.clone()), "{format}");
        assert_eq!(
            flat_round(&flat_with_absent),
            Ok(flat_without.clone()),
            "{format}"
        );
    }
}

/// A patch that serde's derives write, in `rmp_serde::to_vec`, is an array without the absent
/// attributes: serde's derive read it in order, so a nickname came back as a name (the known
/// limit this pinned). The derive wraps serde's reader, which refuses an array now.
#[test]
fn messagepack_default_config_refuses_a_patch_on_serde_derives() {
    let derived: derived::ProfilePatch = convert(&own::ProfilePatch::new().nickname("Nan"));
    let error =
        rmp_serde::from_slice::<derived::ProfilePatch>(&rmp_serde::to_vec(&derived).unwrap())
            .unwrap_err()
            .to_string();
    assert!(
        error.contains("expected struct ProfilePatch: a patch is a map of its attributes by key (a JSON object), not a sequence"),
        "{error}"
    );
}

/// postcard is not self-describing: the derive's own patches, written as maps of known length
/// with their keys as strings, round-trip; a patch on serde's derives is written as a sequence
/// without its absent attributes and cannot be read back, which is an error, not another patch.
#[test]
fn postcard_round_trips_the_derive_own_patches_and_never_shifts_the_others() {
    for (name, own, derived) in both::<_, derived::ProfilePatch>(profiles()) {
        assert_eq!(postcard(&own).as_ref(), Ok(&own), "own: {name}");
        if let Ok(read) = postcard(&derived) {
            assert_eq!(read, derived, "derived: {name}");
        }
    }
    for (name, own, derived) in both::<_, derived::CustomPatch>(customs()) {
        assert_eq!(postcard(&own).as_ref(), Ok(&own), "own: {name}");
        if let Ok(read) = postcard(&derived) {
            assert_eq!(read, derived, "derived: {name}");
        }
    }
}

/// A patch inside a struct of the user's, in a queue message: the patch's map sits among the
/// struct's values (postcard, `to_vec`), and the next value is read where it is.
#[test]
fn a_patch_inside_a_message_keeps_the_values_after_it() {
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Message {
        id: u32,
        patch: own::ProfilePatch,
        custom: own::CustomPatch,
        trailer: String,
    }
    let message = Message {
        id: 7,
        patch: profiles().pop().unwrap().1,
        custom: customs().pop().unwrap().1,
        trailer: "end".into(),
    };
    let bytes = postcard::to_allocvec(&message).unwrap();
    assert_eq!(postcard::from_bytes::<Message>(&bytes).unwrap(), message);
    let bytes = rmp_serde::to_vec(&message).unwrap();
    assert_eq!(rmp_serde::from_slice::<Message>(&bytes).unwrap(), message);
    let mut bytes = Vec::new();
    ciborium::into_writer(&message, &mut bytes).unwrap();
    assert_eq!(
        ciborium::from_reader::<Message, _>(&bytes[..]).unwrap(),
        message
    );
}

/// The peer that the benchmarks compare with, serde_with's `double_option` on an
/// `Option<Option<T>>` (the hand-written tri-state), loses a null in TOML without a word: the
/// field's `Some(None)` is left out and reads back as `None`, "keep", where the patch says
/// "clear". A derived patch refuses to write it instead (above).
#[test]
fn toml_drops_a_double_option_null_where_the_patch_refuses_it() {
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct HandWritten {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "serde_with::rust::double_option"
        )]
        nickname: Option<Option<String>>,
    }
    let cleared = HandWritten {
        nickname: Some(None),
    };
    let text = toml::to_string(&cleared).unwrap();
    assert_eq!(text, "");
    assert_eq!(toml::from_str::<HandWritten>(&text).unwrap().nickname, None);
    assert!(toml::to_string(&own::ProfilePatch::new().clear_nickname()).is_err());
}
