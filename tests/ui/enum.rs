use sparse_patch::Patchable;

#[derive(Patchable)]
enum Status {
    Ok,
    Locked,
}

fn main() {}
