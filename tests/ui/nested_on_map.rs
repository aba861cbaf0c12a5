use std::collections::{BTreeMap, HashMap};

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Pet {
    name: String,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Owner {
    #[patchable(nested)]
    pets: HashMap<String, Pet>,
    #[patchable(nested)]
    by_age: BTreeMap<String, Pet>,
    #[patchable(nested)]
    maybe_pets: Option<HashMap<String, Pet>>,
}

fn main() {}
