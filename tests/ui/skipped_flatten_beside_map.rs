use std::collections::HashMap;

use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    id: String,
    created_at: String,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[serde(flatten)]
    #[patchable(skip)]
    meta: Meta,
    name: Option<String>,
    #[serde(flatten)]
    custom: HashMap<String, serde_json::Value>,
}

/// A type parameter named `Value` is not `serde_json::Value`: it may be a struct like `Meta`.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Setting<Value> {
    #[serde(flatten)]
    #[patchable(skip)]
    meta: Value,
    name: Option<String>,
    #[serde(flatten)]
    custom: HashMap<String, serde_json::Value>,
}

fn main() {}
