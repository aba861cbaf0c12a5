// A marker field given a patch attribute, as if it held data (derive_builder and serde users
// mark `PhantomData` fields so): the patch leaves it out, and its `nested` and `key` were
// dropped without a word.
use std::marker::PhantomData;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Tagged<T> {
    pub name: Option<String>,
    #[patchable(nested)]
    pub kind: PhantomData<T>,
    #[patchable(key = "id")]
    pub items: std::marker::PhantomData<Vec<T>>,
}

fn main() {}
