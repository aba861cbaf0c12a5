// A field whose type is named `Value` but is not `serde_json::Value` (another format's, or
// the user's own): the derive takes it for untyped JSON by its name. The error was only at the
// `#[derive]`, naming the type but not the field; it is at the field too.
use sparse_patch::Patchable;

mod setting {
    #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub enum Value {
        Text(String),
        Number(f64),
    }

    impl schemars::JsonSchema for Value {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Value".into()
        }
        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({})
        }
    }
}

use setting::Value;

#[derive(Patchable, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Setting {
    pub name: String,
    pub value: Value,
}

fn main() {}
