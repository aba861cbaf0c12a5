use std::collections::HashMap;

use sparse_patch::Patchable;

fn lowercase_keys<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<HashMap<String, String>, D::Error> {
    let map: HashMap<String, String> = serde::Deserialize::deserialize(deserializer)?;
    Ok(map.into_iter().map(|(key, value)| (key.to_lowercase(), value)).collect())
}

// The flattened fields are maps: the message names what makes each a value sent whole, where
// it said that the field must be a `HashMap`.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[serde(flatten, deserialize_with = "lowercase_keys")]
    custom: HashMap<String, String>,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Group {
    #[serde(flatten)]
    #[patchable(replace)]
    custom: HashMap<String, String>,
}

fn main() {}
