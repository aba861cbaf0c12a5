use sparse_patch::{Field, Patchable};

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    email: String,
}

fn main() {
    let mut patch = UserPatch::new();
    patch.email = Field::Null;
}
