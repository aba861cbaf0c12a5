use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(name = "User", derive(Debug))]
struct User {
    #[patchable(required, nullable)]
    nickname: Option<String>,
    #[patchable(skip, nested)]
    id: String,
    #[patchable(frobnicate)]
    title: Option<String>,
    #[patchable(skip, nullable, required, map, replace)]
    cache: Option<String>,
}

fn main() {}
