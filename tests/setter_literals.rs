//! A number field's setter takes the number type itself, so that a literal needs no suffix:
//! `.replicas(3)` for a `u32`. With `impl Into<u32>` (as a new user's trial found), `3` was
//! an `i32`, which has no `Into<u32>`: "the trait bound `u32: From<i32>` is not satisfied".
//! Other setters keep `impl Into<T>` (`.name("web")` for a `String`).
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
fn a_number_setter_takes_a_typed_value_too() {
    let replicas: u32 = 5;
    let patch = DeploymentPatch::new()
        .replicas(replicas)
        .milestone(u64::MAX);
    assert_eq!(patch.replicas, Some(5));
    assert_eq!(patch.milestone, sparse_patch::Field::Value(u64::MAX));
}
