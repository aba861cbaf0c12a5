use std::collections::HashMap;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(map, replace)]
    labels: HashMap<String, String>,
}

fn main() {}
