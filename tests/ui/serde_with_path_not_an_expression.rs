// A serde function path that is no expression path (`Wrapper<u8>`, without the `::<` that
// serde's `with` needs): serde reports it on the model, once. The derive emitted the path as
// it read it (`Wrapper<u8>::serialize(...)`), and rustc refused the whole derive's output
// ("proc-macro derive produced unparsable tokens", and "comparison operators cannot be
// chained" at the string).
use sparse_patch::Patchable;

pub struct Wrapper<T>(std::marker::PhantomData<T>);

impl<T> Wrapper<T> {
    #[allow(clippy::ref_option)]
    pub fn serialize<S: serde::Serializer>(value: &Option<u32>, serializer: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(value, serializer)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Meter {
    #[serde(default, with = "Wrapper<u8>")]
    scaled: Option<u32>,
}

fn main() {}
