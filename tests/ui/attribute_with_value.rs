use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(skip = true)]
    id: String,
    #[patchable(name = "Other")]
    email: String,
}

fn main() {}
