// A flattened `Option` of a map (custom attributes that may be missing): one error, that it
// cannot be an `Option`, with advice for a map (it was two: also "a flattened field must be
// ... a `HashMap`", which it is, inside the `Option`).
use std::collections::HashMap;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    name: String,
    #[serde(flatten)]
    custom: Option<HashMap<String, serde_json::Value>>,
}

// The same for a `serde_json::Map`.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Account {
    name: String,
    #[serde(flatten)]
    custom: Option<serde_json::Map<String, serde_json::Value>>,
}

fn main() {}
