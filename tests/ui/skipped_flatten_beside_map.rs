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

fn main() {}
