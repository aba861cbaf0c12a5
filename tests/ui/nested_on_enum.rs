// `nested` on a field whose type is an enum: the derive cannot see the type's definition, so
// the compiler says it, at the field's type (it said it at the `#[derive]` line).
use sparse_patch::Patchable;

#[derive(Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
enum Status {
    Active,
    Locked,
}

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct Account {
    #[patchable(nested)]
    status: Status,
}

fn main() {}
