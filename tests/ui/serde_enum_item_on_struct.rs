// serde's items for enums, written on a struct: serde's derive on the model reports each once,
// at the item or the struct. The patch leaves them off (carried to it, `variant_identifier`
// and `field_identifier` were reported a second time, at the `#[derive(Patchable)]`).
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(variant_identifier)]
struct Variant {
    given_name: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(field_identifier)]
struct Identifier {
    given_name: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
struct Untagged {
    given_name: Option<String>,
}

fn main() {}
