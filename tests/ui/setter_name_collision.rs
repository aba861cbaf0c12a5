use std::collections::HashMap;

use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Flags {
    new: Option<bool>,
    title: Option<String>,
    clear_title: Option<bool>,
    // Declared before the field whose clear setter it would clash with.
    clear_name: Option<bool>,
    name: Option<String>,
    // Two setters named after fields: `clear_labels_entry` of the map, and the clear setter of
    // `labels_entry`.
    labels: HashMap<String, String>,
    labels_entry: Option<String>,
    // A `setter` onto another field's setter.
    #[patchable(setter = "title")]
    heading: Option<String>,
    // Not refused: a setter named away from the clash.
    #[patchable(setter = "set_clear_nickname")]
    clear_nickname: Option<bool>,
    nickname: Option<String>,
    // `setter` on a field that the patch leaves out.
    #[serde(skip)]
    #[patchable(setter = "set_id")]
    id: String,
}

fn main() {}
