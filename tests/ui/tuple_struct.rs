use sparse_patch::Patchable;

#[derive(Patchable)]
struct Pair(String, Option<String>);

fn main() {}
