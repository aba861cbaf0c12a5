use sparse_patch::Patchable;

type Text = String;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(nullable)]
    nickname: Text,
}

fn main() {}
