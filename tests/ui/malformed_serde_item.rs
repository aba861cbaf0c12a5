use sparse_patch::Patchable;

// Each malformed item carries over to the patch, whose serde derive reports it too: rustc shows
// both as one error, at serde's place in the model's attribute, not a second one at the derive.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(expecting)]
struct User {
    #[serde(alias)]
    nickname: Option<String>,
    #[serde(alias, rename = "mail")]
    email: String,
    #[serde(bound)]
    age: u8,
}

fn main() {}
