use std::collections::BTreeMap;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Labels {
    labels: BTreeMap<String, Option<String>>,
}

fn main() {}
