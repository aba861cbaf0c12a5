// `nested` on a type alias of an `Option`, or a type macro that writes one: the derive sees a
// name, not an `Option`, so the field is read as a required nested struct, and rustc's error
// ("`Option<Name>` is not a patchable struct") must say what to write: `nullable` beside
// `nested`, with which the alias compiles (`Marked`).
use sparse_patch::Patchable;

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Name {
    pub given: Option<String>,
}

pub type MaybeName = Option<Name>;

macro_rules! maybe_name {
    () => {
        Option<Name>
    };
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Aliased {
    #[patchable(nested)]
    pub name: MaybeName,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct FromMacro {
    #[patchable(nested)]
    pub name: maybe_name!(),
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Marked {
    #[patchable(nullable, nested)]
    pub name: MaybeName,
}

fn main() {}
