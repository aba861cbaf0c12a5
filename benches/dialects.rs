//! Issue 11: the same typed patch in the other PATCH dialects, and composition, on the
//! realistic PingOne user patch of group 1.
//!
//! - `to_json_patch` and `to_scim_patch` (RFC 6902 and RFC 7644 operations, relative to the
//!   base user), against `json_patch::diff` on `serde_json::Value`: the RFC 6902 patch that a
//!   user without this crate has at hand, given the document before and after.
//! - `UserPatch::then` (composition of two patches), against `json_patch::merge` applied to
//!   the first patch's JSON: the shortcut a user without this crate would take, which is not
//!   quite composition, since it drops the second patch's `null`s.
//!
//! - `apply_scim_patch` (reading SCIM PatchOp, RFC 7644 §3.5.2) on a message of many
//!   operations whose names the resource holds in another case (RFC 7643 §2.1: found in any
//!   case), 20,000 of them against ten runs of 2,000: a paired ratio near 1 says the time
//!   grows with the message, as the name index makes it; a scan per name gave about 10.
//!
//! Run: `cargo bench --bench dialects`.
//!
//! Instruction counts, which load on the machine does not move: with `DIALECTS_ONLY` set to
//! `to_json_patch`, `to_scim_patch`, `json_patch_diff`, `then` or `merge` the bench runs that
//! one operation `DIALECTS_CALLS` times (20,000 by default) and exits, for
//! `valgrind --tool=callgrind`; `DIALECTS_ONLY=none` runs the set-up alone, the count to
//! subtract.

mod support;

use std::hint::black_box;

use sparse_patch::pingone::emulator::reference_user;
use sparse_patch::pingone::{NamePatch, User, UserPatch};
use sparse_patch::{Patch, Patchable, ScimPatch, apply_scim_patch};

fn main() {
    let mut document = reference_user();
    document["nickname"] = "Dave".into();
    document["favoriteColor"] = "green".into();
    let user: User = serde_json::from_value(document.clone()).expect("a PingOne user");
    let patch = support::realistic_user_patch();
    let mut after = user.clone();
    after.apply(patch.clone()).expect("applies");
    let after_document = serde_json::to_value(&after).expect("serializes");

    // A second edit of the same form: the given name, the title cleared, a custom attribute.
    let later = UserPatch::new()
        .name(NamePatch::new().given("Dave"))
        .clear_title()
        .custom_entry("favoriteColor", "blue");
    let (first_json, later_json) = (
        serde_json::to_value(&patch).expect("serializes"),
        serde_json::to_value(&later).expect("serializes"),
    );

    // Each way gives what the merge patch gives.
    let operations = patch.to_json_patch(&user).expect("writes RFC 6902");
    let rfc: json_patch::Patch =
        serde_json::from_value(serde_json::to_value(&operations).expect("serializes"))
            .expect("an RFC 6902 document");
    let mut patched = document.clone();
    json_patch::patch(&mut patched, &rfc).expect("applies");
    assert_eq!(
        patched, after_document,
        "to_json_patch must do the merge patch's work"
    );
    let scim = patch.to_scim_patch(&user).expect("writes SCIM");
    assert!(!scim.is_empty());
    // The composed patch does the work of the two; the baseline does not quite: merging the
    // second patch into the first drops its `null`s (`"title": null`), so the merged patch no
    // longer clears what the second one cleared.
    let both = patch.clone().then(later.clone()).expect("composes");
    let mut in_turn = document.clone();
    json_patch::merge(&mut in_turn, &first_json);
    json_patch::merge(&mut in_turn, &later_json);
    let mut once = document.clone();
    json_patch::merge(&mut once, &serde_json::to_value(&both).expect("serializes"));
    assert_eq!(once, in_turn, "then must do the work of the two patches");

    if let Ok(which) = std::env::var("DIALECTS_ONLY") {
        let calls: usize = std::env::var("DIALECTS_CALLS")
            .ok()
            .and_then(|calls| calls.parse().ok())
            .unwrap_or(20_000);
        for _ in 0..calls {
            match which.as_str() {
                "to_json_patch" => drop(black_box(black_box(&patch).to_json_patch(&user))),
                "to_scim_patch" => drop(black_box(black_box(&patch).to_scim_patch(&user))),
                "json_patch_diff" => drop(black_box(json_patch::diff(
                    black_box(&document),
                    black_box(&after_document),
                ))),
                "then" => drop(black_box(
                    black_box(patch.clone()).then(black_box(later.clone())),
                )),
                "merge" => {
                    let mut first = black_box(first_json.clone());
                    json_patch::merge(&mut first, black_box(&later_json));
                    drop(black_box(first));
                }
                "none" => return,
                other => {
                    panic!("DIALECTS_ONLY={other}: not one of the operations listed at the top")
                }
            }
        }
        return;
    }

    let mut criterion = support::quick_criterion();
    let mut group = criterion.benchmark_group("dialects");
    group.bench_function("to_json_patch_typed_user", |b| {
        b.iter(|| black_box(&patch).to_json_patch(black_box(&user)));
    });
    group.bench_function("to_scim_patch_typed_user", |b| {
        b.iter(|| black_box(&patch).to_scim_patch(black_box(&user)));
    });
    group.bench_function("json_patch_diff_value", |b| {
        b.iter(|| json_patch::diff(black_box(&document), black_box(&after_document)));
    });
    group.finish();
    let mut group = criterion.benchmark_group("compose");
    group.bench_function("then_typed_user", |b| {
        b.iter_batched(
            || (patch.clone(), later.clone()),
            |(first, next)| first.then(next).expect("composes"),
            criterion::BatchSize::SmallInput,
        );
    });
    group.bench_function("json_patch_merge_patch_value", |b| {
        b.iter_batched(
            || first_json.clone(),
            |mut first| {
                json_patch::merge(&mut first, black_box(&later_json));
                first
            },
            criterion::BatchSize::SmallInput,
        );
    });
    group.finish();
    criterion.final_summary();

    if support::is_test_mode() {
        return;
    }
    let diff = || json_patch::diff(black_box(&document), black_box(&after_document));
    let json_patch = support::paired_ratio(
        101,
        2_000,
        || black_box(&patch).to_json_patch(black_box(&user)),
        diff,
    );
    support::report("to_json_patch/json_patch_diff_value", json_patch, None);
    let scim = support::paired_ratio(
        101,
        2_000,
        || black_box(&patch).to_scim_patch(black_box(&user)),
        diff,
    );
    support::report("to_scim_patch/json_patch_diff_value", scim, None);
    let compose = support::paired_ratio_batched(
        101,
        2_000,
        || (patch.clone(), later.clone()),
        |(first, next)| first.then(next).expect("composes"),
        || first_json.clone(),
        |mut first| {
            json_patch::merge(&mut first, black_box(&later_json));
            first
        },
    );
    support::report(
        "then_typed_user/json_patch_merge_patch_value",
        compose,
        None,
    );

    let (large, small) = (scim_message(20_000), scim_message(2_000));
    let growth = support::paired_ratio_batched(
        11,
        1,
        || large.clone(),
        |(mut resource, message)| apply_scim_patch(&mut resource, &message).expect("applies"),
        || small.clone(),
        |(resource, message)| {
            for _ in 0..10 {
                apply_scim_patch(&mut resource.clone(), &message).expect("applies");
            }
        },
    );
    support::report(
        "scim_read 20,000 operations/10 x 2,000 operations",
        growth,
        Some(2.0),
    );
}

/// A resource of `n` attributes and a SCIM message of `n` `add`s of new attributes, `n / 2`
/// `remove`s and `n / 2` `replace`s, each naming its attribute in another case than the
/// resource holds it.
fn scim_message(n: usize) -> (serde_json::Value, ScimPatch) {
    use serde_json::json;
    let resource =
        serde_json::Value::Object((0..n).map(|i| (format!("held{i}"), json!(i))).collect());
    let operations = (0..n)
        .map(|i| json!({"op": "add", "path": format!("new{i}"), "value": i}))
        .chain((0..n / 2).map(|i| json!({"op": "remove", "path": format!("HELD{i}")})))
        .chain((0..n / 2).map(|i| json!({"op": "replace", "path": format!("NEW{i}"), "value": -1})))
        .collect::<Vec<_>>();
    let message = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    }))
    .expect("a PatchOp message");
    (resource, message)
}
