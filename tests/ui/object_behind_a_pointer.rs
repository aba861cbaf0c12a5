// A map or untyped JSON behind a pointer: the derive would send it whole, which a server merges.
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use sparse_patch::Patchable;

#[derive(Patchable)]
struct Settings {
    labels: Box<BTreeMap<String, String>>,
    extra: std::sync::Arc<serde_json::Value>,
    maybe: Option<Rc<HashMap<String, u8>>>,
    // Not refused: `replace` sends the value whole knowingly, and a plain value behind a
    // pointer is replaced as the value itself is.
    #[patchable(replace)]
    whole: Box<serde_json::Value>,
    name: Box<String>,
}

fn main() {}
