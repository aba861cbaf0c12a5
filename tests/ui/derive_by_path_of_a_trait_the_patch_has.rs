// Traits in `derive(...)` named by their paths, as optional_struct's derive list was given them
// (https://github.com/lesurp/OptionalStruct/issues/14, where `serde::Deserialize` panicked the
// derive): the ones that the patch implements itself are refused, the whole path underlined.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(derive(serde::Serialize, ::core::default::Default, Eq))]
struct Setting {
    value: Option<u32>,
}

fn main() {}
