use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct Email {
    address: String,
}

fn main() {}
