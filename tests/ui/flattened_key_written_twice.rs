// A field beside a flattened nested patch that writes its key, or two flattened nested patches
// that write one key: the patch (and the model) wrote `{"given":"a","given":"b"}`, which serde
// refused to read back ("duplicate field").
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Name {
    given_name: Option<String>,
    family_name: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Audit {
    #[serde(rename = "familyName")]
    family: Option<String>,
    note: Option<String>,
}

// Flattens `Name` in turn: its keys are `Outer`'s too.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Wrapper {
    #[serde(flatten)]
    #[patchable(nested)]
    name: Name,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Person {
    // `givenName` after `rename_all`, as `Name` writes it.
    given_name: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    name: Name,
    // `Audit` writes `familyName`, as `Name` does.
    #[serde(flatten)]
    #[patchable(nested)]
    audit: Audit,
    // Not refused: a key that the patch never writes.
    #[serde(skip_serializing)]
    note: Option<String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Outer {
    #[serde(rename = "familyName")]
    surname: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    wrapper: Wrapper,
}

fn main() {}
