use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize)]
struct Borrowed<'de> {
    name: std::borrow::Cow<'de, str>,
}

fn main() {}
