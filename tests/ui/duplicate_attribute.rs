use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(skip, skip)]
    id: String,
    #[patchable(nested)]
    #[patchable(nested)]
    name: Option<Name>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Name {
    given: Option<String>,
}

fn main() {}
