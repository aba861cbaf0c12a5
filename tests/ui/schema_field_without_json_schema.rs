// With the feature `schemars`, every field type needs a JSON Schema.
use sparse_patch::Patchable;

#[derive(Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct Secret(String);

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct User {
    name: String,
    secret: Option<Secret>,
}

fn main() {}
