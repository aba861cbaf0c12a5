use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    email: String,
    nickname: Option<String>,
}

fn main() {
    let _ = UserPatch::new().clear_nickname().clear_email();
}
