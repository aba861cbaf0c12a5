// `nested` reaches through a `Box` written as one: the derive sees tokens, not types, so a
// type alias of a `Box` (as some generators write for recursive models) is taken for the
// struct itself, and the error must say why the `Box` it names is refused.
use sparse_patch::Patchable;

type Boxed<T> = Box<T>;

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Category {
    pub id: Option<i64>,
}

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pet {
    #[patchable(nested)]
    pub category: Boxed<Category>,
}

fn main() {}
