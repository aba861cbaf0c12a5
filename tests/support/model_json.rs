//! What the tests of real-world models share (`tests/derive_real_models.rs`,
//! `tests/real_client_models.rs`): a model's JSON without its `null` members, and
//! `any_schema!`, a JSON Schema of "any JSON" for stand-in field types.
#![allow(dead_code, unused_macros)]

use serde_json::Value;

/// The model's JSON without `null` members (at any depth of objects): a merge patch cannot
/// tell a `null` member from a missing one, so serde's view is compared without them.
pub fn without_nulls(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        if let Value::Object(map) = value {
            map.retain(|_, member| !member.is_null());
            map.values_mut().for_each(strip);
        }
    }
    strip(&mut value);
    value
}

/// A schema for a plain field type (feature `schemars`): any JSON.
macro_rules! any_schema {
    ($($t:ty),*) => {$(
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($t).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({})
            }
        }
    )*};
}
