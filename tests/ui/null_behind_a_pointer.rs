use std::collections::BTreeMap;
use std::rc::Rc;

use sparse_patch::Patchable;

// Types whose JSON can be `null` where the derive patches them as never null, or as a
// nullable value that cannot be told from "clear".
#[derive(Patchable)]
struct Profile {
    shared: Rc<Option<String>>,
    nothing: (),
    boxed_nothing: Box<()>,
    twice: Option<Box<Option<String>>>,
    unit: Option<()>,
    boxed_twice: Box<Option<Option<String>>>,
    labels: BTreeMap<String, Box<Option<String>>>,
    shared_twice: Rc<Option<Option<String>>>,
    unit_behind_arc: Option<std::sync::Arc<Option<()>>>,
    // `replace` says how the value is sent (whole), not that the type is one's own.
    #[patchable(replace)]
    replaced: Rc<Option<String>>,
    // Not refused: a `Box<Option<T>>` is nullable, and `required` says the type is one's own.
    boxed: Box<Option<String>>,
    #[patchable(required)]
    own: Rc<Option<String>>,
}

fn main() {}
