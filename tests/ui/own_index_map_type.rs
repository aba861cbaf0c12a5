// A map type of the user's own that is named `IndexMap` (an insertion-ordered list of pairs,
// or indexmap 1's): the derive reads the name as indexmap 2's map, merged key by key.
use sparse_patch::Patchable;

mod ordered {
    #[derive(Clone, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
    pub struct IndexMap<K, V>(pub Vec<(K, V)>);
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Request {
    pub headers: ordered::IndexMap<String, String>,
}

fn main() {}
