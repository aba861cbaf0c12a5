use sparse_patch::Patchable;

#[derive(Patchable)]
struct Marker;

fn main() {}
