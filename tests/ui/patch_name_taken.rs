// A patch's name that the module already uses: rustc's E0428 at the derive, then one error per
// use of a patch field in the generated impls, which attach to the other type. A known limit
// (docs/attributes, "Known limits"): the derive sees one item, not the module's names, so it
// cannot report the clash itself; `#[patchable(name = "...")]` renames the patch.
use sparse_patch::Patchable;

pub struct UserPatch;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub name: String,
    pub nick: Option<String>,
}

fn main() {}
