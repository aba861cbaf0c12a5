use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize)]
struct Name {
    given: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(nested)]
    name: Option<Name>,
}

fn main() {}
