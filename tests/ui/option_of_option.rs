use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Settings {
    theme: Option<Option<String>>,
}

fn main() {}
