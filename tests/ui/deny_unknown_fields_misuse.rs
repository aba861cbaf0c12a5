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


// Beside a flattened map, no key is unknown: the patch would refuse the map's own entries.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(deny_unknown_fields)]
struct Custom {
    name: String,
    #[serde(flatten)]
    extra: std::collections::BTreeMap<String, serde_json::Value>,
}

// On a field, where neither attribute goes.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Field {
    #[patchable(deny_unknown_fields)]
    name: String,
}

fn main() {}
