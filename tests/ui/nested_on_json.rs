use std::borrow::Cow;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Resource<'a> {
    #[patchable(nested)]
    spec: serde_json::Value,
    #[patchable(nested)]
    status: Option<serde_json::Map<String, serde_json::Value>>,
    #[patchable(nested)]
    name: Cow<'a, str>,
}

fn main() {}
