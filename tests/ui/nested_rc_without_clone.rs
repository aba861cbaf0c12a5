// An `Rc` or `Arc` is patched through `make_mut`, which clones a shared value before it
// changes it: the struct must be `Clone`, which rustc says at the field.
use std::rc::Rc;
use std::sync::Arc;

use sparse_patch::Patchable;

#[derive(Patchable, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Category {
    pub id: Option<i64>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Pet {
    #[patchable(nested)]
    pub category: Rc<Category>,
    #[patchable(nested)]
    pub other: Option<Arc<Category>>,
}

fn main() {}
