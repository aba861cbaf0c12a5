//! A field type's JSON Schema as serde reads and writes it ([`FieldSchema`]).

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use super::{names_type, openapi_3_0};

/// A field type that has a JSON Schema: every `schemars::JsonSchema` type. A trait of its
/// own only so that a field type without one gets a message that says what to do.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no JSON Schema, which the patch's schema needs (feature `schemars`)",
    label = "no `schemars::JsonSchema` impl",
    note = "implement `schemars::JsonSchema` for `{Self}` (by hand, or with schemars' derive), give the field another type's schema with `#[schemars(with = \"Type\")]`, or mark the field `#[patchable(skip)]` if the patch must not hold it",
    note = "if `{Self}` is a struct that derives `Patchable`, the field may want `#[patchable(nested)]`: its patch then has a schema, and sends only the changed attributes",
    note = "cargo turns `schemars` on for every crate of the build once one crate asks for it: a crate that does not use schemars needs no schemars dependency for `#[schemars(with = \"serde_json::Value\")]`, which the derive drops where the feature is off"
)]
pub trait FieldSchema {
    /// The schema of a value of the field, as a `$ref` where the type has a name.
    fn field_schema(generator: &mut SchemaGenerator) -> Schema;
    /// The type's own schema, never a `$ref`: the keys of a flattened field.
    fn inline_schema(generator: &mut SchemaGenerator) -> Schema;
    /// The schema of a value or `null`.
    fn nullable_schema(generator: &mut SchemaGenerator) -> Schema;
    /// The type's own schema as a flattened field's: [`inline_schema`](Self::inline_schema),
    /// with a patch told that serde reads it through a flattened field's buffer.
    fn flattened_schema(generator: &mut SchemaGenerator) -> Schema;
    /// The type's own schema as a nested attribute of a patch that serde reads from a
    /// flattened field's buffer: [`inline_schema`](Self::inline_schema), with a patch told
    /// that serde reads it from that buffer too (its maps then read no integer or `bool`
    /// key), rather than the shared definition of the patch read directly.
    fn buffered_schema(generator: &mut SchemaGenerator) -> Schema;
}

impl<T: JsonSchema> FieldSchema for T {
    fn field_schema(generator: &mut SchemaGenerator) -> Schema {
        let schema = generator.subschema_for::<T>();
        as_serde_does(schema, generator)
    }

    fn inline_schema(generator: &mut SchemaGenerator) -> Schema {
        let schema = T::json_schema(generator);
        as_serde_does(schema, generator)
    }

    fn nullable_schema(generator: &mut SchemaGenerator) -> Schema {
        let schema = generator.subschema_for::<Option<T>>();
        as_serde_does(schema, generator)
    }

    fn flattened_schema(generator: &mut SchemaGenerator) -> Schema {
        let previous = FLATTENING.replace(Some(T::schema_id()));
        let schema = <T as FieldSchema>::inline_schema(generator);
        FLATTENING.set(previous);
        schema
    }

    fn buffered_schema(generator: &mut SchemaGenerator) -> Schema {
        let previous = BUFFERED.replace(Some(T::schema_id()));
        let schema = <T as FieldSchema>::inline_schema(generator);
        BUFFERED.set(previous);
        schema
    }
}

/// `schema` as serde reads and writes the field's type, where schemars' schema of a
/// standard type says otherwise:
///
/// - the range of every integer type that schemars states by its `format` alone (`int32`,
///   `uint32`, `int64`, `uint64`, `int`, `uint`, `int128`, `uint128`: no `maximum`, and
///   validators do not enforce `format`) is spelled out as `minimum` and `maximum`, since
///   serde refuses an integer out of the field type's range (see [`integer_ranges`]);
/// - under the reading contract, a set (`HashSet`, `BTreeSet`) loses schemars'
///   `"uniqueItems": true`: serde reads an array with repeated elements into a set and keeps
///   one of them (serde-rs/serde#913), so the schema must take it too. A set written holds
///   each element once, and the writing contract keeps the keyword.
///
/// Only the schema written here is changed, at every depth (an array's items, a map's
/// values, a nullable value's branches); a named type's definition (`$ref`) is its own.
fn as_serde_does(schema: Schema, generator: &SchemaGenerator) -> Schema {
    let reading = generator.contract().is_deserialize();
    rewritten(schema, generator, reading)
}

/// `schema` with the range of each integer type that it states by its `format` kept within
/// that type's range, at every depth (as [`as_serde_does`] does): where a field's own items
/// (`#[schemars(range(max = 1000))]` on a `u8`, `inner(range(min = -1))` on a `Vec<u32>`)
/// wrote a `minimum` or `maximum` past the type's, the type's stands, as serde reads no
/// integer out of it (JSON Schema 2020-12, Validation §6.2.4 and §6.2.2: the bounds are
/// inclusive). A narrower bound is the item's.
pub(super) fn integer_ranges(schema: Schema, generator: &SchemaGenerator) -> Schema {
    rewritten(schema, generator, false)
}

/// `schema` with integer ranges spelled out, and with sets' `uniqueItems` dropped where
/// `drop_unique_items`.
fn rewritten(schema: Schema, generator: &SchemaGenerator, drop_unique_items: bool) -> Schema {
    // OpenAPI 3.0's schema object takes draft-04's boolean `exclusiveMaximum`, beside
    // `maximum` (`SchemaSettings::openapi3()`); a number there is an invalid document.
    let boolean_exclusive = openapi_3_0(generator);
    let mut value = schema.to_value();
    as_serde_does_in(&mut value, drop_unique_items, boolean_exclusive);
    Schema::try_from(value).unwrap_or_else(|_| Schema::default())
}

fn as_serde_does_in(schema: &mut Value, reading: bool, boolean_exclusive: bool) {
    let Value::Object(object) = schema else {
        return;
    };
    if reading && names_type(object, "array") {
        object.remove("uniqueItems");
    }
    let integer = names_type(object, "integer");
    let format = object.get("format").and_then(Value::as_str);
    if let (true, Some(format)) = (integer, format) {
        // `(minimum, maximum, exclusive)`: a 128-bit range is written as floats (a JSON
        // number of `serde_json` holds 64 bits), its upper end `2^127` or `2^128` as the
        // exclusive maximum, exact in a float where the largest value is not.
        let range: Option<(Value, Value, bool)> = match format {
            "int8" => Some((i8::MIN.into(), i8::MAX.into(), false)),
            "uint8" => Some((0.into(), u8::MAX.into(), false)),
            "int16" => Some((i16::MIN.into(), i16::MAX.into(), false)),
            "uint16" => Some((0.into(), u16::MAX.into(), false)),
            "int32" => Some((i32::MIN.into(), i32::MAX.into(), false)),
            "uint32" => Some((0.into(), u32::MAX.into(), false)),
            "int64" => Some((i64::MIN.into(), i64::MAX.into(), false)),
            "uint64" => Some((0.into(), u64::MAX.into(), false)),
            "int" => Some((isize::MIN.into(), isize::MAX.into(), false)),
            "uint" => Some((0.into(), usize::MAX.into(), false)),
            "int128" => Some(((-(2f64.powi(127))).into(), 2f64.powi(127).into(), true)),
            "uint128" => Some((0.into(), 2f64.powi(128).into(), true)),
            _ => None,
        };
        if let Some((minimum, maximum, exclusive)) = range {
            // A bound past the type's gives way to it; a narrower one stands.
            let past = |bound: Option<&Value>, beyond: fn(f64, f64) -> bool, limit: &Value| {
                bound
                    .and_then(Value::as_f64)
                    .zip(limit.as_f64())
                    .is_none_or(|(bound, limit)| beyond(bound, limit))
            };
            // Beside a boolean `exclusiveMinimum` or `exclusiveMaximum` (draft 4, OpenAPI
            // 3.0), the bound is exclusive: left as it is.
            let boolean = |word: &str| object.get(word).is_some_and(Value::is_boolean);
            let (boolean_minimum, boolean_maximum) =
                (boolean("exclusiveMinimum"), boolean("exclusiveMaximum"));
            if !boolean_minimum
                && past(
                    object.get("minimum"),
                    |bound, limit| bound < limit,
                    &minimum,
                )
            {
                object.insert("minimum".to_owned(), minimum);
            }
            if !boolean_maximum
                && past(
                    object.get("maximum"),
                    |bound, limit| bound > limit,
                    &maximum,
                )
            {
                // A 128-bit type's upper end is the exclusive maximum, written below.
                if exclusive {
                    object.remove("maximum");
                } else {
                    object.insert("maximum".to_owned(), maximum.clone());
                }
            }
            let bounded = object.contains_key("maximum") || object.contains_key("exclusiveMaximum");
            if !bounded {
                if exclusive && boolean_exclusive {
                    object.insert("maximum".to_owned(), maximum);
                    object.insert("exclusiveMaximum".to_owned(), Value::Bool(true));
                } else if exclusive {
                    object.insert("exclusiveMaximum".to_owned(), maximum);
                } else {
                    object.insert("maximum".to_owned(), maximum);
                }
            }
        }
    }
    for (key, child) in object.iter_mut() {
        match key.as_str() {
            "items"
            | "additionalProperties"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "then"
            | "else"
            | "contains"
            | "propertyNames" => {
                as_serde_does_in(child, reading, boolean_exclusive);
            }
            "prefixItems" | "anyOf" | "oneOf" | "allOf" => {
                if let Value::Array(branches) = child {
                    for branch in branches {
                        as_serde_does_in(branch, reading, boolean_exclusive);
                    }
                }
            }
            "properties" | "patternProperties" | "dependentSchemas" | "dependencies" => {
                if let Value::Object(members) = child {
                    for member in members.values_mut() {
                        as_serde_does_in(member, reading, boolean_exclusive);
                    }
                }
            }
            _ => {}
        }
    }
}

std::thread_local! {
    /// The `schema_id` of the patch that [`PatchSchema::flatten`] is describing as a
    /// flattened field, for its [`PatchSchema::new`] to know.
    pub(super) static FLATTENING: std::cell::RefCell<Option<std::borrow::Cow<'static, str>>> =
        const { std::cell::RefCell::new(None) };
    /// The `schema_id` of the patch that [`PatchSchema::nested`] is describing as a nested
    /// attribute of a patch read from a flattened field's buffer, for its
    /// [`PatchSchema::new`] to know.
    pub(super) static BUFFERED: std::cell::RefCell<Option<std::borrow::Cow<'static, str>>> =
        const { std::cell::RefCell::new(None) };
}
