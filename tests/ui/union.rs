use sparse_patch::Patchable;

#[derive(Patchable)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
