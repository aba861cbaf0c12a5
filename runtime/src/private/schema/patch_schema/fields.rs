//! The schema of each kind of field: required, nullable, nested, a map, a custom or declared
//! schema, one read and ignored.

use schemars::Schema;
use serde_json::{Map, Value};

use super::super::field_schema::FieldSchema;
use super::super::integer_keys::reads_minus_zero;
use super::super::map_keys::{key_names, restrict_keys};
use super::super::nullable::{admit_null, may_be_null, refuse_null};
use super::super::openapi_3_0;
use super::map_values::{
    as_map_patch, dependent_schemas, values_or_null, without_whole_value_keywords,
};
use super::{PatchSchema, SchemaKeys};

impl PatchSchema<'_> {
    /// The schema of an attribute's values that the patch itself reads and writes: `schema`
    /// with the field's items written in (see [`field_keywords`](Self::field_keywords)), then
    /// `null` taken where the attribute is `nullable` ([`nullable_values`](Self::nullable_values))
    /// and, under the reading contract, refused where it is required: the patch reads `null` as
    /// a clear of a nullable attribute and refuses it for a required one (RFC 7396 §2), whatever
    /// the items say of the values (an `extend("type" = ["object", "null"])`). serde writes
    /// whatever the patch holds (a required `serde_json::Value` that holds `null`).
    fn values(&mut self, schema: Schema, nullable: bool) -> Schema {
        if nullable {
            return self.nullable_values(schema);
        }
        let schema = self.with_field_keywords(schema);
        if self.generator.contract().is_deserialize()
            && may_be_null(schema.as_value(), self.generator)
        {
            return refuse_null(schema);
        }
        schema
    }

    /// The schema of a map attribute's patch: `schema` with the field's items written in
    /// (see [`field_keywords`](Self::field_keywords)), which speak of the model's whole map,
    /// read as a patch of it: a map patch holds changes key by key (RFC 7396 §2), so an
    /// entry may be `null` (remove the key) whatever the items say of the values, and what
    /// the whole map must hold, its size and its keys (`minProperties`, `maxProperties`,
    /// `required`, `dependentRequired`, JSON Schema 2020-12, Validation §6.5), says nothing
    /// of a patch, whose keys left out stay as they are. The items' keys and values stand.
    fn map_patch_values(&mut self, schema: Schema) -> Schema {
        let mut schema = self.with_field_keywords(schema).to_value();
        as_map_patch(&mut schema, self.generator);
        Schema::try_from(schema).unwrap_or_else(|_| Schema::default())
    }

    /// The schema of a nullable attribute's values: `schema` with the field's items written
    /// in, and `null` taken still, under both contracts: the patch reads `null` as a clear
    /// and writes a clear as `null` (RFC 7396 §2), also where an item states the values
    /// without it (`extend("enum" = ["active", "disabled"])` over an `Option<String>`, a
    /// `transform` that sets the `type`), and the user's serde functions are not called for
    /// it.
    fn nullable_values(&mut self, schema: Schema) -> Schema {
        let schema = self.with_field_keywords(schema);
        admit_null(schema, self.generator)
    }

    /// A required attribute: absent or a value, never `null`.
    pub fn required<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
    ) {
        // A required attribute is never read from `null`, even when its type's schema
        // allows it (`serde_json::Value`); serde writes whatever the patch holds.
        let schema = T::field_schema(self.generator);
        let schema = self.values(schema, false);
        self.property(keys, schema, description);
    }

    /// A nested attribute (`#[patchable(nested)]`), `T` its nested patch: the patch's schema
    /// (a `$ref`), or it or `null` when `nullable`. The field's items speak of the nested
    /// model's whole value, and the nested patch holds the changed attributes alone (RFC 7396
    /// §2): what the whole value must hold (`required`, `minProperties`, `maxProperties`,
    /// `dependentRequired`) is left out of the patch's schema, the rest stands.
    pub fn nested<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        let schema = if nullable {
            T::nullable_schema(self.generator)
        } else {
            T::field_schema(self.generator)
        };
        let mut schema = self.with_field_keywords(schema).to_value();
        without_whole_value_keywords(&mut schema);
        let schema = Schema::try_from(schema).unwrap_or_else(|_| Schema::default());
        let schema = self.values(schema, nullable);
        self.property(keys, schema, description);
    }

    /// A `HashMap` or `BTreeMap` attribute, `T` its patch value (`HashMap<K, Field<V>>`)
    /// and `K` its key type: the map's schema (or the map or `null` when `nullable`), with
    /// the keys that serde reads into `K` stated as `propertyNames` (but under OpenAPI 3.0,
    /// which has no such keyword), and an `i128`'s `-0` refused beside `0`.
    pub fn map<T: FieldSchema + ?Sized, K: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        let schema = if nullable {
            T::nullable_schema(self.generator)
        } else {
            T::field_schema(self.generator)
        };
        let schema = self.map_patch_values(schema);
        let key = K::inline_schema(self.generator).to_value();
        let names = if self.flattened && self.generator.contract().is_deserialize() {
            // Read inside a flattened struct, an integer or `bool` key is never read.
            let read = key.get("type").and_then(Value::as_str);
            match read {
                Some("integer" | "boolean") => Some(Value::Bool(false)),
                _ => key_names(&key),
            }
        } else {
            key_names(&key)
        };
        let Some(names) = names else {
            let schema = self.values(schema, nullable);
            self.property(keys, schema, description);
            return;
        };
        let minus_zero = names != Value::Bool(false) && reads_minus_zero(&key);
        let mut keywords = Map::new();
        if !openapi_3_0(self.generator) {
            keywords.insert("propertyNames".to_owned(), names);
        } else if names == Value::Bool(false) {
            // OpenAPI 3.0 has no `propertyNames` (an invalid document): which keys the map
            // reads goes unsaid there, as `dependentSchemas` does, but for none at all.
            keywords.insert("maxProperties".to_owned(), 0.into());
        }
        // An `i128` key reads `-0` as `0`: the two together are one key given twice, which
        // the patch refuses ("duplicate key").
        if minus_zero && let Some(keyword) = dependent_schemas(self.generator) {
            keywords.insert(
                keyword.to_owned(),
                serde_json::json!({ "-0": { "properties": { "0": false } } }),
            );
        }
        let mut value = schema.to_value();
        restrict_keys(&mut value, &keywords);
        let schema = Schema::try_from(value).unwrap_or_else(|_| Schema::default());
        let schema = self.values(schema, nullable);
        self.property(keys, schema, description);
    }

    /// A `HashMap` or `BTreeMap` attribute whose model map has the schema of the type `T`
    /// that `#[schemars(with = "T")]` states (a map of values without a schema of their
    /// own): `T`'s schema with values that may also be `null`, as the patch's map reads them
    /// (remove the key), or the map or `null` when `nullable`.
    pub fn map_declared<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        let mut value = T::inline_schema(self.generator).to_value();
        values_or_null(&mut value);
        let mut value = self
            .map_patch_values(Schema::try_from(value).unwrap_or_else(|_| Schema::default()))
            .to_value();
        if nullable {
            value = serde_json::json!({ "anyOf": [value, { "type": "null" }] });
        }
        let schema = Schema::try_from(value).unwrap_or_else(|_| Schema::default());
        let schema = self.values(schema, nullable);
        self.property(keys, schema, description);
    }

    /// A nullable attribute: absent, `null` or a value.
    pub fn nullable<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
    ) {
        let schema = T::nullable_schema(self.generator);
        let schema = self.nullable_values(schema);
        self.property(keys, schema, description);
    }

    /// A nullable attribute whose type is itself an `Option` (spelled through an alias):
    /// the type's own schema, which admits `null`, as it is.
    pub fn nullable_option<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
    ) {
        let schema = T::field_schema(self.generator);
        let schema = self.nullable_values(schema);
        self.property(keys, schema, description);
    }

    /// An attribute that the user's own serde functions read and write (`#[serde(with)]`,
    /// or both `serialize_with` and `deserialize_with`): its JSON is whatever they make of
    /// it, so any value, `null` included where it is `nullable` (a clear, which the patch
    /// reads without them) whatever the field's items say. `T` needs no schema.
    pub fn custom<T: ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        self.users_functions_values(keys, Schema::default(), description, nullable);
    }

    /// An attribute that the user's serde functions read or write, of the values `schema`:
    /// `null` taken where it is `nullable` (see [`nullable_values`](Self::nullable_values)),
    /// and left to the functions where it is required (a required attribute's `null` is
    /// handed to them).
    fn users_functions_values(
        &mut self,
        keys: SchemaKeys,
        schema: Schema,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        let schema = if nullable {
            self.nullable_values(schema)
        } else {
            schema
        };
        self.property(keys, schema, description);
    }

    /// An attribute that one of the user's serde functions handles in one direction
    /// (`serialize_with` alone when `written`, `deserialize_with` alone otherwise): any
    /// value in that direction, the attribute's usual schema (required or nullable) in the
    /// other.
    pub fn custom_one_way<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
        written: bool,
    ) {
        if self.generator.contract().is_serialize() == written {
            self.custom::<T>(keys, description, nullable);
        } else {
            self.usual::<T>(keys, description, nullable);
        }
    }

    /// The attribute's usual schema of `T`, required or nullable: the other direction of a
    /// field that one of the user's serde functions handles.
    fn usual<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        if nullable {
            self.nullable::<T>(keys, description);
        } else {
            self.required::<T>(keys, description);
        }
    }

    /// An attribute that the user's own serde functions read and write, whose JSON they
    /// state with `#[schemars(with = "T")]`: `T`'s schema as it stands (schemars' derive gives
    /// the model's field the same schema), or `null` too when `nullable`: the patch writes a
    /// cleared attribute as `null` and reads `null` as a clear, without their functions
    /// (`#[schemars(with = "i64")]` beside chrono's `ts_seconds_option` said `null` was no
    /// patch of it).
    pub fn declared<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        let schema = if nullable {
            T::nullable_schema(self.generator)
        } else {
            T::field_schema(self.generator)
        };
        self.users_functions_values(keys, schema, description, nullable);
    }

    /// [`custom_one_way`](Self::custom_one_way) for a field whose JSON the user states with
    /// `#[schemars(with = "T")]`: `T`'s schema as it stands in the direction of their
    /// function, the attribute's usual schema of `T` in the other.
    pub fn declared_one_way<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
        written: bool,
    ) {
        if self.generator.contract().is_serialize() == written {
            self.declared::<T>(keys, description, nullable);
        } else {
            self.usual::<T>(keys, description, nullable);
        }
    }

    /// The keys of a skipped (read-only) field, its name and its aliases, which the patch
    /// reads and ignores under the reading contract, whatever their value (`readOnly`): beside a
    /// flattened map it drops them (`exclusive`: two of them together are a duplicate field,
    /// as serde says), so that they do not land in the map, and its own reader declares them
    /// to a parent that flattens it, so that the parent's flattened map does not take them.
    /// Neither writes them.
    pub fn ignored(&mut self, keys: &'static [&'static str], exclusive: bool) {
        if self.generator.contract().is_serialize() {
            return;
        }
        // A key that a field of the patch names (by its name or an alias) is that field's:
        // the patch reads it there, whatever the field's order, and drops only the others.
        let keys: Vec<&'static str> = keys
            .iter()
            .copied()
            .filter(|key| !self.properties.contains_key(*key) || self.read_only_keys.contains(key))
            .collect();
        for key in &keys {
            if !self.properties.contains_key(*key) {
                // Any value, marked `readOnly` (JSON Schema 2020-12, Validation §9.4: a value
                // that the owner manages, whose changes it ignores), as the patch ignores it.
                self.properties
                    .insert((*key).to_owned(), serde_json::json!({ "readOnly": true }));
                self.read_only_keys.push(key);
            }
        }
        if exclusive && keys.len() > 1 {
            self.exclude_together(&keys);
        }
    }
}
