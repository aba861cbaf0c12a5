// Two models that nest each other through a `Box` (an openapi-generator schema whose `Folder`
// holds a `File` holding its `Folder`): each derive sees one model, so the cycle is the
// compiler's to find.
#[derive(sparse_patch::Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Folder {
    pub name: String,
    #[patchable(nested)]
    pub readme: Option<Box<File>>,
}

#[derive(sparse_patch::Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct File {
    pub name: String,
    #[patchable(nested)]
    pub folder: Option<Box<Folder>>,
}

fn main() {}
