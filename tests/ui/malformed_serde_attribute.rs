use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "bogus")]
struct User {
    nickname: Option<String>,
}

fn main() {}
