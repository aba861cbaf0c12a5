use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize)]
struct Opaque(u8);

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Holder {
    opaque: Opaque,
}

fn main() {
    let a = Holder { opaque: Opaque(1) };
    let b = Holder { opaque: Opaque(2) };
    let _ = a.diff(&b);
}
