// `#[patchable]` written in another form than a list of names: the message says how to write
// it, once per mistake, and the items after a mistake are still read.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable]
struct Bare {
    nickname: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(derive = "Eq", nme = "X")]
struct DeriveWithValue {
    nickname: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(derive(Eq = 1, Hash), nme = "X")]
struct DeriveListWithValue {
    nickname: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Fields {
    #[patchable]
    a: Option<u8>,
    #[patchable = "skip"]
    b: Option<u8>,
    #[patchable("skip")]
    c: Option<u8>,
    #[patchable(replace, "skip", skp)]
    d: Option<u8>,
}

fn main() {}
