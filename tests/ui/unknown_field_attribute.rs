use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(nullabel)]
    nickname: Option<String>,
}

fn main() {}
