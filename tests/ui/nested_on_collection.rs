use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Name {
    given: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(nested)]
    names: Vec<Name>,
    #[patchable(nested)]
    email: String,
}

fn main() {}
