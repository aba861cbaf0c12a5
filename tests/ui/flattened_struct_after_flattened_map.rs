// serde hands every key to a flattened map without taking it (serde-rs/serde#1299): a struct
// flattened after the map has its keys read into the map too, and the model writes them twice.
use std::collections::BTreeMap;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Limits {
    low: Option<u8>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Device {
    name: String,
    #[serde(flatten)]
    custom: BTreeMap<String, serde_json::Value>,
    #[serde(flatten)]
    #[patchable(nested)]
    limits: Limits,
}

// The same after a flattened `serde_json::Map`, which takes every key as a map does.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Probe {
    #[serde(flatten)]
    custom: serde_json::Map<String, serde_json::Value>,
    #[serde(flatten)]
    #[patchable(nested)]
    limits: Limits,
}

// Declared before the map, the struct takes its keys: accepted.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Sensor {
    #[serde(flatten)]
    #[patchable(nested)]
    limits: Limits,
    #[serde(flatten)]
    custom: BTreeMap<String, serde_json::Value>,
}

fn main() {}
