//! Group 2 (issue 4): the typed `Patchable::apply` and `Patchable::diff` on `pingone::User`,
//! against what a user would do without this crate: `json_patch::merge` (RFC 7396) and
//! `json_patch::diff` (which yields an RFC 6902 patch) on `serde_json::Value`.
//!
//! Run: `cargo bench --bench apply_diff`.

mod support;

use std::hint::black_box;

use criterion::BatchSize;
use sparse_patch::Patchable;
use sparse_patch::pingone::User;
use sparse_patch::pingone::emulator::reference_user;

fn main() {
    // The reference user of the PingOne docs, with a nickname and a custom attribute, so that
    // the null has something to clear and the flattened map is not empty.
    let mut document = reference_user();
    document["nickname"] = "Dave".into();
    document["favoriteColor"] = "green".into();
    let user: User = serde_json::from_value(document.clone()).expect("a PingOne user");
    let typed_patch = support::realistic_user_patch();
    let json_patch_value = serde_json::to_value(&typed_patch).expect("serializes");

    // Both ways give the same document.
    let mut typed_after = user.clone();
    typed_after.apply(typed_patch.clone()).expect("applies");
    let mut json_after = document.clone();
    json_patch::merge(&mut json_after, &json_patch_value);
    assert_eq!(
        serde_json::to_value(&typed_after).expect("serializes"),
        json_after,
        "typed apply and json_patch::merge must agree"
    );
    assert_eq!(user.diff(&typed_after), typed_patch);

    let mut criterion = support::quick_criterion();
    let mut group = criterion.benchmark_group("apply");
    group.bench_function("typed_user", |b| {
        b.iter_batched(
            || (user.clone(), typed_patch.clone()),
            |(mut user, patch)| {
                user.apply(patch).expect("applies");
                user
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("json_patch_merge_value", |b| {
        b.iter_batched(
            || document.clone(),
            |mut document| {
                json_patch::merge(&mut document, black_box(&json_patch_value));
                document
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
    let mut group = criterion.benchmark_group("diff");
    group.bench_function("typed_user", |b| {
        b.iter(|| black_box(&user).diff(black_box(&typed_after)));
    });
    group.bench_function("json_patch_diff_value", |b| {
        b.iter(|| json_patch::diff(black_box(&document), black_box(&json_after)));
    });
    group.finish();
    criterion.final_summary();

    if support::is_test_mode() {
        return;
    }
    let apply = support::paired_ratio_batched(
        101,
        2_000,
        || (user.clone(), typed_patch.clone()),
        |(mut user, patch)| {
            user.apply(patch).expect("applies");
            user
        },
        || document.clone(),
        |mut document| {
            json_patch::merge(&mut document, black_box(&json_patch_value));
            document
        },
    );
    support::report("apply typed_user/json_patch_merge_value", apply, None);
    let diff = support::paired_ratio(
        101,
        2_000,
        || black_box(&user).diff(black_box(&typed_after)),
        || json_patch::diff(black_box(&document), black_box(&json_after)),
    );
    support::report("diff typed_user/json_patch_diff_value", diff, None);
}
