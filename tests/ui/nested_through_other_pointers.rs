// `nested` reaches through one `Box`, `Rc` or `Arc`: not through a `Cow` (which a model read
// from JSON holds owned), nor through two pointers.
use std::borrow::Cow;

use sparse_patch::Patchable;

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Category {
    pub id: Option<i64>,
}

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pet<'a> {
    #[patchable(nested)]
    pub category: Cow<'a, Category>,
    #[patchable(nested)]
    pub owner: Option<Box<Box<Category>>>,
}

fn main() {}
