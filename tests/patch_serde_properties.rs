//! Differential fuzz test: the patch's own `Serialize`/`Deserialize` (plain patches) against
//! serde's derives (the same models with an unused generic parameter and, which keeps serde's
//! derives on them, a `#[cfg]` field), on random JSON text with
//! model keys, aliases, near misses, random keys, random values and repeated keys. Then, for
//! inputs that both read, `apply` against `json_patch::merge`, and `a.apply(a.diff(&b)) == b`.

#[path = "support/json_text.rs"]
mod json_text;
mod support;

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;
use support::outcome;

macro_rules! models {
    ($($g:ident)?) => {
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        #[patchable(name = "ModelPatch")]
        pub struct Model<$($g = ())?> {
            #[serde(rename = "login")]
            pub user_name: String,
            #[serde(alias = "years")]
            pub age: u32,
            // In the generic variant only: a `#[cfg]` field keeps the patch on serde's derives,
            // the oracle here (the derive's own serde code serves plain generic patches too).
            $( #[cfg(all())] #[doc = stringify!($g)] )?
            pub active: bool,
            pub tags: Vec<String>,
            pub extra: serde_json::Value,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub nick_name: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub score: Option<u64>,
            #[patchable(nested)]
            pub address: Address$(<$g>)?,
            #[patchable(nested)]
            #[serde(skip_serializing_if = "Option::is_none")]
            pub photo: Option<Photo$(<$g>)?>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$g>,
            )?
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        #[patchable(name = "AddressPatch")]
        pub struct Address<$($g = ())?> {
            // In the generic variant only: a `#[cfg]` field keeps the patch on serde's derives,
            // the oracle here (the derive's own serde code serves plain generic patches too).
            $( #[cfg(all())] #[doc = stringify!($g)] )?
            pub street_name: String,
            #[serde(alias = "cty")]
            pub city: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub zip: Option<String>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$g>,
            )?
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[patchable(name = "PhotoPatch")]
        pub struct Photo<$($g = ())?> {
            // In the generic variant only: a `#[cfg]` field keeps the patch on serde's derives,
            // the oracle here (the derive's own serde code serves plain generic patches too).
            $( #[cfg(all())] #[doc = stringify!($g)] )?
            pub href: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub alt: Option<String>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$g>,
            )?
        }
    };
}

#[allow(unreachable_patterns, dead_code)]
mod own {
    use super::*;
    models!();
}

#[allow(unreachable_patterns, dead_code)]
mod derived {
    use super::*;
    models!(M);
}

// ---------------------------------------------------------------------------------------------
// Reading

fn read<P: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    outcome(serde_json::from_str::<P>(json))
}

fn read_value<P: for<'de> Deserialize<'de> + Serialize>(
    value: &serde_json::Value,
) -> Result<String, String> {
    outcome(serde_json::from_value::<P>(value.clone()))
}

fn read_slice<P: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    outcome(serde_json::from_slice::<P>(json.as_bytes()))
}

fn read_reader<P: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    outcome(serde_json::from_reader::<_, P>(json.as_bytes()))
}

static CASES: AtomicUsize = AtomicUsize::new(0);
static ACCEPTED: AtomicUsize = AtomicUsize::new(0);
static SEQUENCE: AtomicUsize = AtomicUsize::new(0);

/// A sequence where a patch is expected (a JSON merge patch is an object, RFC 7396 §2): both
/// readers refuse it with this error (serde's derive would read a struct from its fields in
/// order; the derive wraps it). Such inputs are counted, and compared like the others.
fn sequence_refused(o: &Result<String, String>) -> bool {
    matches!(o, Err(e) if e.starts_with("invalid type: sequence, expected struct"))
}

/// Compares own vs derived for one patch pair on every reader.
fn compare<Own, Der>(json: &str, what: &str) -> Result<(), TestCaseError>
where
    Own: for<'de> Deserialize<'de> + Serialize,
    Der: for<'de> Deserialize<'de> + Serialize,
{
    macro_rules! check {
        ($o:expr, $d:expr, $how:literal) => {{
            let (o, d) = ($o, $d);
            prop_assert_eq!(&o, &d, "{} {}, input {}", what, $how, json);
            if sequence_refused(&o) {
                SEQUENCE.fetch_add(1, Ordering::Relaxed);
            }
            o
        }};
    }
    let o = check!(read::<Own>(json), read::<Der>(json), "from_str");
    if o.is_ok() && what == "ModelPatch" {
        ACCEPTED.fetch_add(1, Ordering::Relaxed);
    }
    let _ = check!(
        read_slice::<Own>(json),
        read_slice::<Der>(json),
        "from_slice"
    );
    let _ = check!(
        read_reader::<Own>(json),
        read_reader::<Der>(json),
        "from_reader"
    );
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
        let _ = check!(
            read_value::<Own>(&value),
            read_value::<Der>(&value),
            "from_value"
        );
        // Also through a `&Value` deserializer (borrowed keys).
        let o = Own::deserialize(&value)
            .map(|p| serde_json::to_string(&p).unwrap())
            .map_err(|e| e.to_string());
        let d = Der::deserialize(&value)
            .map(|p| serde_json::to_string(&p).unwrap())
            .map_err(|e| e.to_string());
        let _ = check!(o, d, "&Value");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Random JSON text, with repeated keys

const KEYS: &[&str] = &[
    // model keys
    "login",
    "age",
    "years",
    "active",
    "tags",
    "extra",
    "nickName",
    "score",
    "address",
    "photo",
    // nested keys and aliases
    "streetName",
    "city",
    "cty",
    "zip",
    "href",
    "alt",
    // near misses: field names, other casings, skipped
    "userName",
    "user_name",
    "nick_name",
    "street_name",
    "Login",
    "AGE",
    "Years",
    "nickname",
    "marker",
    "photo ",
    "",
    "addres",
    "hre",
    "hrefs",
    "__proto__",
];

// ---------------------------------------------------------------------------------------------
// Random models

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-c]{1,3}"]
}

/// A JSON document that a merge patch can produce: no null member inside an object, not null;
/// `null` inside arrays, numbers that an equality or a conversion gets wrong (`-0.0`, `2.0`,
/// `1e300`, past `i64::MAX`), and member names with the characters a JSON Pointer escapes.
fn document() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(serde_json::Value::from),
        (0u8..4).prop_map(serde_json::Value::from),
        proptest::sample::select(vec![
            serde_json::json!(-0.0),
            serde_json::json!(2.0),
            serde_json::json!(1e300),
            serde_json::json!(u64::MAX),
        ]),
        "[a-b]{0,2}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::btree_map("[a-c~/]?", inner.clone(), 0..3)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            proptest::collection::vec(
                prop_oneof![3 => inner, 1 => Just(serde_json::Value::Null)],
                0..2,
            )
            .prop_map(serde_json::Value::Array),
        ]
    })
}

fn model() -> impl Strategy<Value = own::Model> {
    (
        (
            text(),
            any::<u32>(),
            any::<bool>(),
            proptest::collection::vec(text(), 0..3),
        ),
        (
            document(),
            proptest::option::of(text()),
            proptest::option::of(any::<u64>()),
        ),
        (text(), text(), proptest::option::of(text())),
        proptest::option::of((text(), proptest::option::of(text()))),
    )
        .prop_map(
            |(
                (user_name, age, active, tags),
                (extra, nick_name, score),
                (street, city, zip),
                photo,
            )| {
                own::Model {
                    user_name,
                    age,
                    active,
                    tags,
                    extra,
                    nick_name,
                    score,
                    address: own::Address {
                        street_name: street,
                        city,
                        zip,
                    },
                    photo: photo.map(|(href, alt)| own::Photo { href, alt }),
                }
            },
        )
}

fn to_derived(m: &own::Model) -> derived::Model<()> {
    serde_json::from_value(serde_json::to_value(m).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------

/// 2,000 cases per property unless `PATCH_SERDE_CASES` says otherwise.
fn cases() -> u32 {
    std::env::var("PATCH_SERDE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn own_and_derived_read_the_same(json in json_text::input(KEYS)) {
        let n = CASES.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(1000) {
            eprintln!("{n} cases, {} accepted by ModelPatch, {} sequences refused by both",
                ACCEPTED.load(Ordering::Relaxed), SEQUENCE.load(Ordering::Relaxed));
        }
        compare::<own::ModelPatch, derived::ModelPatch<()>>(&json, "ModelPatch")?;
        compare::<own::AddressPatch, derived::AddressPatch<()>>(&json, "AddressPatch")?;
        compare::<own::PhotoPatch, derived::PhotoPatch<()>>(&json, "PhotoPatch")?;
    }

    #[test]
    fn accepted_patches_apply_as_json_merge(json in json_text::input(KEYS), mut m in model()) {
        let Ok(patch) = serde_json::from_str::<own::ModelPatch>(&json) else {
            return Ok(());
        };
        let dpatch = serde_json::from_str::<derived::ModelPatch<()>>(&json).unwrap();
        let patch_json = serde_json::to_value(&patch).unwrap();
        prop_assert_eq!(&patch_json, &serde_json::to_value(&dpatch).unwrap());
        let mut dm = to_derived(&m);
        let mut expected = serde_json::to_value(&m).unwrap();
        json_patch::merge(&mut expected, &patch_json);
        let before = m.clone();
        let own_result = m.apply(patch).map_err(|e| e.to_string());
        let der_result = dm.apply(dpatch).map_err(|e| e.to_string());
        prop_assert_eq!(&own_result, &der_result, "input {}", json);
        match own_result {
            Ok(()) => prop_assert_eq!(serde_json::to_value(&m).unwrap(), expected, "input {}", json),
            // Refused only where the merged JSON is no model (a `photo` made without its
            // required `href`): an `apply` that refused every patch passed without this.
            Err(error) => {
                prop_assert_eq!(&m, &before, "input {}", json);
                prop_assert!(
                    serde_json::from_value::<own::Model>(expected.clone()).is_err(),
                    "input {}: refused ({}), though the merge gives a model: {}", json, error, expected
                );
            }
        }
        prop_assert_eq!(serde_json::to_value(&m).unwrap(), serde_json::to_value(&dm).unwrap());
    }

    #[test]
    fn apply_of_diff_gives_target(mut a in model(), b in model()) {
        let patch = a.diff(&b);
        // the diff survives a JSON round trip through both readers
        let text = serde_json::to_string(&patch).unwrap();
        let back: own::ModelPatch = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&serde_json::to_string(&back).unwrap(), &text);
        let dback: derived::ModelPatch<()> = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&serde_json::to_string(&dback).unwrap(), &text);
        let mut da = to_derived(&a);
        let db = to_derived(&b);
        let dpatch = da.diff(&db);
        prop_assert_eq!(&serde_json::to_string(&dpatch).unwrap(), &text);
        a.apply(back).unwrap();
        prop_assert_eq!(&a, &b);
        da.apply(dpatch).unwrap();
        prop_assert_eq!(&da, &db);
        prop_assert!(a.diff(&a).is_empty());
    }
}

/// The oracle is serde's derive: it reads a patch in a binary format with
/// `deserialize_struct`, which postcard reads as a sequence of the fields (refused), where the
/// derive's own code reads a map there (an empty one, `[0]`). Without this the comparison above
/// could pit the derive's code against itself.
#[test]
fn oracle_is_serdes_derive() {
    assert!(postcard::from_bytes::<derived::ModelPatch>(&[0]).is_err());
    assert!(postcard::from_bytes::<derived::PhotoPatch>(&[0]).is_err());
    assert!(postcard::from_bytes::<derived::AddressPatch>(&[0]).is_err());
    assert!(postcard::from_bytes::<own::ModelPatch>(&[0]).is_ok());
}

/// A patch given as a JSON array, as serde's derive would read it (its fields in order): both
/// readers refuse it, with the same error, which names the patch.
#[test]
fn both_readers_refuse_an_array() {
    for json in [r#"["ada", 41]"#, "[]", r#"[null]"#] {
        let own = read::<own::ModelPatch>(json);
        assert!(sequence_refused(&own), "{json}: {own:?}");
        assert_eq!(own, read::<derived::ModelPatch>(json), "{json}");
    }
}
