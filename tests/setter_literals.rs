//! A number field's setter takes the number type itself, so that a literal needs no suffix:
//! `.replicas(3)` for a `u32`. With `impl Into<u32>` (as a new user's trial found), `3` was
//! an `i32`, which has no `Into<u32>`: "the trait bound `u32: From<i32>` is not satisfied".
//! Other setters keep `impl Into<T>` (`.name("web")` for a `String`), those of `i32`, `i64`,
//! `i128` and `f64` too: an untyped literal reaches them through `Into` (`3` is an `i32`,
//! `0.5` an `f64`), and they keep taking narrower numbers (`.weight(2)` for an `f64`, an
//! `i32` for an `i64`), which a first version of this change refused.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::Patchable;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Deployment {
    name: String,
    replicas: u32,
    milestone: Option<u64>,
    ratio: f32,
    offset: i8,
    port: core::primitive::u16,
    weight: Option<f64>,
    limits: BTreeMap<String, u32>,
    total: i64,
    score: f64,
}

#[test]
fn number_setters_take_untyped_literals() {
    let patch = DeploymentPatch::new()
        .name("web")
        .replicas(3)
        .milestone(7)
        .ratio(0.5)
        .offset(-1)
        .port(8080)
        .weight(1.5)
        .limits_entry("cpu", 2);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({
            "name": "web",
            "replicas": 3,
            "milestone": 7,
            "ratio": 0.5,
            "offset": -1,
            "port": 8080,
            "weight": 1.5,
            "limits": {"cpu": 2},
        })
    );
}

#[test]
fn setters_of_numbers_that_literals_reach_keep_taking_narrower_numbers() {
    let count: i32 = 4;
    let small: f32 = 0.25;
    let patch = DeploymentPatch::new()
        .total(count)
        .total(7)
        .score(2)
        .score(small)
        .weight(1);
    assert_eq!(patch.total, Some(7));
    assert_eq!(patch.score, Some(0.25));
    assert_eq!(patch.weight, sparse_patch::Field::Value(1.0));
}

#[test]
fn a_number_setter_takes_a_typed_value_too() {
    let replicas: u32 = 5;
    let patch = DeploymentPatch::new()
        .replicas(replicas)
        .milestone(u64::MAX);
    assert_eq!(patch.replicas, Some(5));
    assert_eq!(patch.milestone, sparse_patch::Field::Value(u64::MAX));
}
