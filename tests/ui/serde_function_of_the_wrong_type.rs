// The user's serde functions, of the wrong type or missing, on a model that serde's derive
// only writes: the patch reads the attributes with them, and rustc reports each where the
// attribute names the function, not at the `#[derive]`.
use serde::Serialize;
use sparse_patch::Patchable;

mod write_only {
    pub fn serialize<S: serde::Serializer>(value: &u8, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(*value)
    }
}

fn read_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

fn default_text() -> String {
    String::new()
}

#[derive(Default)]
struct NotTheModel;

fn not_the_model() -> NotTheModel {
    NotTheModel
}

#[derive(Patchable, Serialize)]
struct Counter {
    // A `with` module without `deserialize`.
    #[serde(with = "write_only")]
    count: u8,
    // A reader of another type, required and nullable.
    #[serde(deserialize_with = "read_text")]
    size: u8,
    #[serde(deserialize_with = "read_text", default)]
    note: Option<u8>,
    // A default of another type.
    #[serde(default = "default_text")]
    level: u8,
}

#[derive(Patchable, Serialize)]
#[serde(default = "not_the_model")]
struct Defaults {
    level: u8,
}

fn write_nothing<S: serde::Serializer>(_: &u8, _: S) -> Result<(), S::Error> {
    Ok(())
}

// A writer that returns another type, on a model that serde's derive only reads: the patch
// writes the attribute with it.
#[derive(Patchable, serde::Deserialize)]
struct Written {
    #[serde(serialize_with = "write_nothing")]
    count: u8,
}

fn main() {}
