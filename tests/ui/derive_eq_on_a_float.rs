// `#[patchable(derive(Eq))]` asks `Eq` of every value the patch holds: a field whose value has
// none is an error at the field, as rustc's derive of `Eq` makes it.
use sparse_patch::Patchable;

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
#[patchable(derive(Eq))]
struct Reading {
    sensor: String,
    celsius: f64,
}

fn main() {}
