// `#[patchable(crate = "...")]` naming a path that resolves but is not the runtime: one error at
// the path, where each item that the generated code named after it (`std::Field`,
// `std::Patchable`, `std::private`, ...) was an error of its own at the `#[derive]` line (9).
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(crate = "std")]
pub struct User {
    pub name: String,
    pub nick: Option<String>,
    pub labels: std::collections::HashMap<String, String>,
}

fn main() {}
