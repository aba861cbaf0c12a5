use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(rename = "Changes")]
struct User {
    nickname: Option<String>,
}

fn main() {}
