//! What the tests of real-world models share (`tests/derive_real_models.rs`,
//! `tests/real_client_models.rs`): a model's JSON without its `null` members, and
//! `any_schema!`, a JSON Schema of "any JSON" for stand-in field types; and what the law
//! tests of models share (`tests/mixed_model_laws.rs`, `tests/nested_through_box.rs`): a merge
//! patch made of some members of a model's JSON.
#![allow(dead_code, unused_macros)]

use serde_json::Value;

/// A merge patch of some members of `model`, a model's JSON object, each picked by two bits
/// of `choices` (the `index % 32`-th pair): a pair below `dropped_below` leaves the member
/// out, a pair of 3 removes it (`null`) when it is one of `removable`, and any other pair
/// keeps its value. Patches made so set the typed attributes as often as a model's JSON
/// holds them, where random JSON seldom fits them.
///
/// # Panics
///
/// When `model` is not a JSON object.
pub fn some_members(model: Value, choices: u64, dropped_below: u64, removable: &[&str]) -> Value {
    let Value::Object(members) = model else {
        panic!("a model's JSON is an object: {model}")
    };
    let patch = members
        .into_iter()
        .enumerate()
        .filter_map(
            |(index, (key, value))| match (choices >> (2 * (index % 32))) & 3 {
                pair if pair < dropped_below => None,
                3 if removable.contains(&key.as_str()) => Some((key, Value::Null)),
                _ => Some((key, value)),
            },
        )
        .collect();
    Value::Object(patch)
}

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
