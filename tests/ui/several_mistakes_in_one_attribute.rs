use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(nme = "UserPatch", name = "1x", crat = "x")]
struct User {
    #[patchable(skp, nested = 1, frobnicate(x), map)]
    nickname: Option<String>,
}

fn main() {}
