// Under `derive(PartialOrd, Ord)`, fields named like the orders' methods: their setters would
// hide `Ord::cmp`, `Ord::max` and `PartialOrd::lt`, so `patch.max(other)` would call a setter.
// Without those derives the names are free (tests/field_names.rs).
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(derive(Eq, PartialOrd, Ord))]
struct Heat {
    cmp: Option<u8>,
    max: Option<u8>,
    lt: Option<u8>,
    min_speed: Option<u8>,
}

fn main() {}
