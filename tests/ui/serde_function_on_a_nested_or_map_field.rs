// A serde function of the user's reads and writes the model's type, so it cannot serve a field
// whose patch is of another type: a `nested` struct's patch, and the patch of entries of a
// `map` field. The derive says so at the attribute, rather than let rustc report a
// type mismatch inside the generated code.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;

mod as_is {
    pub fn serialize<T: serde::Serialize, S: serde::Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub fn deserialize<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

fn write_labels<S: serde::Serializer>(
    labels: &HashMap<String, String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    labels.serialize(serializer)
}

fn read_work<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Address>, D::Error> {
    Option::deserialize(deserializer)
}

#[derive(Patchable, Serialize, Deserialize, Clone, PartialEq, Default)]
struct Address {
    city: Option<String>,
}

#[derive(Patchable, Serialize, Deserialize)]
struct Person {
    #[patchable(nested)]
    #[serde(with = "as_is")]
    home: Address,
    #[patchable(nested)]
    #[serde(deserialize_with = "read_work", default)]
    work: Option<Address>,
    #[patchable(map)]
    #[serde(serialize_with = "write_labels")]
    labels: HashMap<String, String>,
}

fn main() {}
