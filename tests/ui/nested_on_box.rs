use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Node {
    label: String,
    #[patchable(nested)]
    next: Option<Box<Node>>,
    #[patchable(nested)]
    first: Box<Node>,
}

fn main() {}
