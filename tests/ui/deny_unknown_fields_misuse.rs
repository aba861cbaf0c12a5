// `#[patchable(deny_unknown_fields)]` takes no value, and is said once.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(deny_unknown_fields = true)]
struct Issue {
    title: String,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(deny_unknown_fields, deny_unknown_fields)]
struct Label {
    name: String,
}

fn main() {}
