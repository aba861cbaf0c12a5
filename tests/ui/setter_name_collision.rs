use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Flags {
    new: Option<bool>,
    title: Option<String>,
    clear_title: Option<bool>,
}

fn main() {}
