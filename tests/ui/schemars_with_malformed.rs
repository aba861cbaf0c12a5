// `#[schemars(with = "Type")]` gives the patch's schema of a field's values; this derive reads
// it also where the model does not derive `JsonSchema`, and no other derive then reports a
// value that is no type in a string.
use sparse_patch::Patchable;

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct User {
    #[schemars(with = "Vec<")]
    name: String,
    #[schemars(with = 5)]
    age: u8,
}

fn main() {}
