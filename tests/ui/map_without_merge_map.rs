// `#[patchable(map)]` on an insertion-ordered map kept as pairs, which is no `MergeMap`.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Request {
    #[patchable(map)]
    pub headers: Vec<(String, String)>,
}

fn main() {}
