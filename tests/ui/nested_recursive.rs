use sparse_patch::Patchable;

// A model that nests itself: the patch would hold a patch of its own type. Before the rule,
// each of these was six E0275 "overflow evaluating the requirement" errors at the derive.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Node {
    label: String,
    #[patchable(nested)]
    next: Box<Option<Node>>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Tree {
    label: String,
    #[patchable(nested)]
    parent: Box<Option<Self>>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct List<T> {
    head: T,
    #[patchable(nested)]
    tail: Box<Option<List<T>>>,
}

// `self::Chain` names the model itself too.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Chain {
    label: String,
    #[patchable(nested)]
    next: Option<Box<self::Chain>>,
}

fn main() {}
