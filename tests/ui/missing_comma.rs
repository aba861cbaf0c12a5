use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(skip nested)]
    id: String,
}

fn main() {}
