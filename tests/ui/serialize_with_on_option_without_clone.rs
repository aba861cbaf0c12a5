// A serde function on a nullable attribute takes the model's `&Option<T>`: the patch, which
// holds a `T`, builds one from a copy, so `T` must be `Clone`.
use sparse_patch::Patchable;

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Token(String);

mod token_option {
    use super::Token;

    #[allow(clippy::ref_option)]
    pub fn serialize<S: serde::Serializer>(value: &Option<Token>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&value.as_ref().map_or("", |token| token.0.as_str()))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Token>, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Session {
    #[serde(default, with = "token_option")]
    token: Option<Token>,
}

fn main() {}
