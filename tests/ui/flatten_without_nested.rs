use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize)]
struct Address {
    locality: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[serde(flatten)]
    address: Address,
}

fn main() {}
