//! A flattened field: its properties and the keys left, as serde reads them from its parent's
//! buffer.

use schemars::Schema;
use serde_json::Value;

use super::super::field_schema::FieldSchema;
use super::map_values::{dependent_schemas, map_values, values_or_null};
use super::metadata::Metadata;
use super::{PatchSchema, REFUSES_KEYS_LEFT, SchemaKeys};

impl PatchSchema<'_> {
    /// A flattened field (serde's `flatten`): its properties sit in this object, and a
    /// flattened map's values are this object's other keys.
    pub fn flatten<T: FieldSchema + ?Sized>(
        &mut self,
        _keys: SchemaKeys,
        _description: Option<&'static str>,
    ) {
        // A patch described here is read from this one's buffered keys (a map, or
        // another type, takes no notice).
        REFUSES_KEYS_LEFT.set(false);
        let schema = T::flattened_schema(self.generator);
        let refuses_keys_left = REFUSES_KEYS_LEFT.replace(false);
        self.flatten_schema(&schema);
        if refuses_keys_left {
            self.refuse_keys_left();
        }
    }

    /// The flattened struct just described refuses every key left in the buffer that its
    /// fields do not take (see [`REFUSES_KEYS_LEFT`]): this object's other keys, and those of
    /// the flattened structs after it, which have not taken theirs yet.
    fn refuse_keys_left(&mut self) {
        self.deny_unknown_fields = true;
        self.additional = Some(Value::Bool(false));
        self.flattened_map_values.push(Value::Bool(false));
    }

    /// A flattened `HashMap` or `BTreeMap` whose model map has the schema of the type `T`
    /// that `#[schemars(with = "T")]` states: `T`'s values, or `null` (remove the key), are
    /// this object's other keys, as [`map_declared`](Self::map_declared) gives a map field.
    pub fn flatten_declared<T: FieldSchema + ?Sized>(
        &mut self,
        _keys: SchemaKeys,
        _description: Option<&'static str>,
    ) {
        let mut value = T::flattened_schema(self.generator).to_value();
        values_or_null(&mut value);
        let schema = Schema::try_from(value).unwrap_or_else(|_| Schema::default());
        self.flatten_schema(&schema);
    }

    /// [`flatten`](Self::flatten) of the flattened field's own schema.
    fn flatten_schema(&mut self, schema: &Schema) {
        // A flattened field has no key of its own to describe, or to mark deprecated, and
        // no schema of its own for validation items.
        self.field_metadata = Metadata::default();
        self.field_keywords = None;
        self.last_keys.clear();
        self.has_flattened = true;
        let Some(object) = schema.as_object() else {
            // `true`: any keys.
            self.take_other_keys(Value::Bool(true));
            return;
        };
        // A key that a flattened struct before this one names is that struct's: serde hands
        // the buffered keys to the flattened structs in their order, and each takes those it
        // names (by its name or an alias), so a later one never sees them.
        // The maps of flattened structs before this one read its keys too (its read-only
        // keys included): each value must suit them.
        let mut claimed = Vec::new();
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (key, value) in properties {
                if !self.flattened_properties.contains_key(key) {
                    let value = if self.flattened_map_values.is_empty() {
                        value.clone()
                    } else if self.flattened_map_values.contains(&Value::Bool(false)) {
                        Value::Bool(false)
                    } else {
                        let mut all = vec![value.clone()];
                        all.extend(self.flattened_map_values.iter().cloned());
                        serde_json::json!({ "allOf": all })
                    };
                    self.flattened_properties.insert(key.clone(), value);
                    claimed.push(key.as_str());
                }
            }
        }
        if let Some(keyword) = dependent_schemas(self.generator)
            && let Some(Value::Object(exclusive)) = object.get(keyword)
        {
            for (key, value) in exclusive {
                if !claimed.contains(&key.as_str()) {
                    continue;
                }
                let mut value = value.clone();
                if let Some(Value::Object(others)) = value.get_mut("properties") {
                    others.retain(|other, _| claimed.contains(&other.as_str()));
                    if others.is_empty() {
                        continue;
                    }
                }
                self.flattened_exclusive.insert(key.clone(), value);
            }
        }
        let is_struct = object.get("properties").is_some();
        // Written, a map's entries are its values under its keys, integer keys too (schemars'
        // `patternProperties` beside `"additionalProperties": false`), which the parent
        // writes as its other keys.
        let written_map_values = (!is_struct && self.generator.contract().is_serialize())
            .then(|| map_values(object))
            .flatten();
        match written_map_values
            .as_ref()
            .or(object.get("additionalProperties"))
        {
            // A flattened struct's `deny_unknown_fields`: serde hands a flattened struct
            // only the keys it names, so it refuses nothing in this object (but where it has
            // a flattened field of its own, see `REFUSES_KEYS_LEFT`); whether this
            // object refuses unknown keys is its own attribute's say, and a flattened map
            // keeps taking them. (A map's `false`, beside the `patternProperties` of its
            // integer keys, is the map's own: serde hands a flattened field its keys as
            // strings, which such a map does not read, so it takes no key.)
            Some(Value::Bool(false)) if is_struct => {}
            Some(additional) => {
                // A struct's map values: they take the later flattened structs' keys too.
                if is_struct
                    && *additional != Value::Bool(true)
                    && self.generator.contract().is_deserialize()
                {
                    self.flattened_map_values.push(additional.clone());
                }
                self.take_other_keys(additional.clone());
            }
            None if !is_struct => self.take_other_keys(Value::Bool(true)),
            None => {}
        }
    }

    /// A flattened map's values' schema, for the keys that no field names. Every flattened
    /// map reads all of them (serde's flattened map reads the entries without taking them),
    /// so with two maps a key must suit both; under `deny_unknown_fields` serde refuses them
    /// all the same, and `additionalProperties` stays `false`. Under the writing contract,
    /// each map writes its own entries, `deny_unknown_fields` or not: a key written suits one
    /// of the maps.
    fn take_other_keys(&mut self, schema: Value) {
        if self.generator.contract().is_serialize() {
            self.additional = Some(match self.additional.take() {
                None | Some(Value::Bool(false)) => schema,
                Some(Value::Bool(true)) => Value::Bool(true),
                Some(_) if schema == Value::Bool(true) => schema,
                Some(existing) => serde_json::json!({ "anyOf": [existing, schema] }),
            });
            return;
        }
        if self.deny_unknown_fields {
            return;
        }
        self.additional = Some(match self.additional.take() {
            None | Some(Value::Bool(true)) => schema,
            Some(existing) if schema == Value::Bool(true) => existing,
            Some(existing) => serde_json::json!({ "allOf": [existing, schema] }),
        });
    }
}
