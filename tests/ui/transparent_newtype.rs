// A newtype (`#[serde(transparent)]` or not) has the JSON of the value it wraps, and no
// attributes to patch: one error, at the struct, says how to patch it (it was two, the second
// at `transparent`).
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct UserId(String);

fn main() {}
