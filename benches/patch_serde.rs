//! Group 1 (issue 4): serialize and deserialize a realistic PingOne user patch, the derived
//! `pingone::UserPatch` against the best hand-written serde equivalent
//! (`serde_with::rust::double_option`, `default` and `skip_serializing_if` on every field).
//!
//! Targets: serialize <= 1.05x, deserialize <= 1.10x the hand-written time (issue 4); since
//! issue 8, serialize <= 1.00x and deserialize <= 0.90x. The same bytes, and a `size_of` no
//! larger. Run: `cargo bench --bench patch_serde`.
//!
//! Instruction counts, which load on the machine does not move: with `PATCH_SERDE_ONLY=derived`
//! (or `hand`) the bench only deserializes the patch `PATCH_SERDE_CALLS` times (20,000 by
//! default) and exits (`derived_serialize` and `hand_serialize` serialize it instead), for `valgrind --tool=callgrind`; the count of a run with
//! `PATCH_SERDE_CALLS=1` is the start-up to subtract. `PATCH_SERDE_CUSTOM=1` adds two custom
//! attributes to the patch's JSON, which the derived patch reads into its flattened map as it
//! goes and serde's `flatten` buffers first.

mod support;

use std::collections::BTreeMap;
use std::hint::black_box;

use serde::{Deserialize, Serialize};
use sparse_patch::pingone::{NamePatch, UserPatch};

/// The hand-written `NamePatch`: every attribute nullable, so `Option<Option<String>>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandNamePatch {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    given: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    middle: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    family: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    formatted: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    honorific_prefix: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    honorific_suffix: Option<Option<String>>,
    /// Unknown attributes of the object, as the model's `other` map: `None` for `null`.
    #[serde(flatten)]
    other: BTreeMap<String, Option<serde_json::Value>>,
}

/// The hand-written `AddressPatch`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandAddressPatch {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    street_address: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    locality: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    region: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    postal_code: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    country_code: Option<Option<String>>,
    /// Unknown attributes of the object, as the model's `other` map: `None` for `null`.
    #[serde(flatten)]
    other: BTreeMap<String, Option<serde_json::Value>>,
}

/// The hand-written `PhotoPatch`: `href` is required, so a plain `Option`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct HandPhotoPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    /// Unknown attributes of the object, as the model's `other` map: `None` for `null`.
    #[serde(flatten)]
    other: BTreeMap<String, Option<serde_json::Value>>,
}

/// The hand-written `UserPatch`: the same attributes, order and JSON as the derived one (the
/// nested patches too, each with the flattened map of unknown attributes that the model's
/// nested objects have had since issue 9).
/// Required attributes are `Option<T>`; nullable ones and nested objects are
/// `Option<Option<T>>` through `double_option`; custom attributes are the same flattened map,
/// with `None` for `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandUserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    name: Option<Option<HandNamePatch>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    address: Option<Option<HandAddressPatch>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    photo: Option<Option<HandPhotoPatch>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    nickname: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    title: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    r#type: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    external_id: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    locale: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    preferred_language: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    timezone: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    mobile_phone: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::serde_with::rust::double_option"
    )]
    primary_phone: Option<Option<String>>,
    #[serde(flatten)]
    custom: BTreeMap<String, Option<serde_json::Value>>,
}

/// The same patch, hand-written.
fn hand_patch() -> HandUserPatch {
    HandUserPatch {
        email: Some("david.spanner@example.com".into()),
        title: Some(Some("Senior Engineer".into())),
        locale: Some(Some("en-GB".into())),
        nickname: Some(None),
        name: Some(Some(HandNamePatch {
            family: Some(Some("Spanner-Smith".into())),
            ..HandNamePatch::default()
        })),
        ..HandUserPatch::default()
    }
}

/// `PATCH_SERDE_ONLY`: deserialize (`derived`, `hand`) or serialize (`derived_serialize`,
/// `hand_serialize`) one side only, for instruction counts (see the top).
fn one_side_only(which: &str) {
    let calls: usize = std::env::var("PATCH_SERDE_CALLS")
        .ok()
        .and_then(|calls| calls.parse().ok())
        .unwrap_or(20_000);
    let mut json = serde_json::to_value(support::realistic_user_patch()).expect("serializes");
    if std::env::var_os("PATCH_SERDE_CUSTOM").is_some() {
        json["favoriteColor"] = serde_json::json!("green");
        json["pet"] = serde_json::Value::Null;
    }
    let json = serde_json::to_vec(&json).expect("serializes");
    if which.ends_with("_serialize") {
        let derived = support::realistic_user_patch();
        let hand = hand_patch();
        let mut buffer = Vec::with_capacity(256);
        for _ in 0..calls {
            buffer.clear();
            match which {
                "hand_serialize" => serde_json::to_writer(&mut buffer, black_box(&hand)),
                _ => serde_json::to_writer(&mut buffer, black_box(&derived)),
            }
            .expect("serializes");
            black_box(buffer.len());
        }
        return;
    }
    for _ in 0..calls {
        match which {
            "hand" => drop(black_box(
                serde_json::from_slice::<HandUserPatch>(black_box(&json)).expect("reads"),
            )),
            _ => drop(black_box(
                serde_json::from_slice::<UserPatch>(black_box(&json)).expect("reads"),
            )),
        }
    }
}

fn main() {
    if let Ok(which) = std::env::var("PATCH_SERDE_ONLY") {
        one_side_only(&which);
        return;
    }
    let derived = support::realistic_user_patch();
    let hand = hand_patch();
    let derived_json = serde_json::to_vec(&derived).expect("the derived patch serializes");
    let hand_json = serde_json::to_vec(&hand).expect("the hand-written patch serializes");
    assert_eq!(
        String::from_utf8_lossy(&derived_json),
        String::from_utf8_lossy(&hand_json),
        "the derived and hand-written patches must produce the same bytes"
    );
    assert_eq!(
        serde_json::from_slice::<UserPatch>(&hand_json).expect("reads"),
        derived
    );
    assert_eq!(
        serde_json::from_slice::<HandUserPatch>(&derived_json).expect("reads"),
        hand
    );
    println!(
        "patch JSON ({} bytes): {}",
        derived_json.len(),
        String::from_utf8_lossy(&derived_json)
    );
    println!(
        "size_of: UserPatch {} bytes, HandUserPatch {} bytes; NamePatch {} bytes, HandNamePatch {} bytes",
        size_of::<UserPatch>(),
        size_of::<HandUserPatch>(),
        size_of::<NamePatch>(),
        size_of::<HandNamePatch>()
    );

    let mut criterion = support::quick_criterion();
    let mut group = criterion.benchmark_group("patch_serialize");
    let mut buffer = Vec::with_capacity(256);
    group.bench_function("derived", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&derived)).expect("serializes");
            black_box(buffer.len())
        });
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&hand)).expect("serializes");
            black_box(buffer.len())
        });
    });
    group.finish();
    let mut group = criterion.benchmark_group("patch_deserialize");
    group.bench_function("derived", |b| {
        b.iter(|| serde_json::from_slice::<UserPatch>(black_box(&derived_json)).expect("reads"));
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| serde_json::from_slice::<HandUserPatch>(black_box(&hand_json)).expect("reads"));
    });
    group.finish();
    criterion.final_summary();

    if support::is_test_mode() {
        return;
    }
    let mut derived_buffer = Vec::with_capacity(256);
    let mut hand_buffer = Vec::with_capacity(256);
    let serialize = support::paired_ratio(
        101,
        20_000,
        || {
            derived_buffer.clear();
            serde_json::to_writer(&mut derived_buffer, black_box(&derived)).expect("serializes");
            derived_buffer.len()
        },
        || {
            hand_buffer.clear();
            serde_json::to_writer(&mut hand_buffer, black_box(&hand)).expect("serializes");
            hand_buffer.len()
        },
    );
    support::report(
        "patch_serialize derived/hand_written",
        serialize,
        Some(1.00),
    );
    let deserialize = support::paired_ratio(
        101,
        5_000,
        || serde_json::from_slice::<UserPatch>(black_box(&derived_json)).expect("reads"),
        || serde_json::from_slice::<HandUserPatch>(black_box(&hand_json)).expect("reads"),
    );
    support::report(
        "patch_deserialize derived/hand_written",
        deserialize,
        Some(0.90),
    );
}
