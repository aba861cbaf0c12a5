use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize)]
struct Email {
    r#type: String,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    // `key` names the attribute that identifies an element.
    #[patchable(key = "")]
    emails: Vec<Email>,
    // A key identifies elements of an array.
    #[patchable(key = "type")]
    email: String,
    // An array with a key is sent whole, not patched as a nested model.
    #[patchable(key = "type", nested)]
    phones: Vec<Email>,
    // A key is a string.
    #[patchable(key = type)]
    photos: Vec<Email>,
    // A plain string.
    #[patchable(key = "type"x)]
    badges: Vec<Email>,
    // Strings, numbers and arrays of them are never objects that hold a key.
    #[patchable(key = "type")]
    tags: Vec<String>,
    #[patchable(key = "id")]
    scores: Option<Vec<Option<u32>>>,
    #[patchable(key = "id")]
    pairs: Vec<(String, u8)>,
    // Untyped JSON may be an object: it compiles.
    #[patchable(key = "type")]
    addresses: Vec<serde_json::Value>,
    // A flattened array has no key to be sent under.
    #[serde(flatten)]
    #[patchable(key = "type")]
    faxes: Vec<Email>,
    // A map behind a pointer is no array: one error, the key's.
    #[patchable(key = "type")]
    labels: Box<std::collections::HashMap<String, Email>>,
}

fn main() {}
