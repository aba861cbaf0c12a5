// With the feature `schemars`, a map's values need a JSON Schema too.
use std::collections::BTreeMap;

use sparse_patch::Patchable;

#[derive(Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct Secret(String);

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct User {
    name: String,
    secrets: BTreeMap<u8, Secret>,
}

fn main() {}
