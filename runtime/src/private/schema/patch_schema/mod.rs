//! The schema of a patch object, built field by field ([`PatchSchema`]).
//!
//! The struct, its start ([`PatchSchema::new`]) and its end ([`PatchSchema::finish`]) are
//! here; the methods that describe the model and the next field (`metadata.rs`), a field
//! (`fields.rs`), a flattened field (`flatten.rs`), a property (`properties.rs`), and the
//! changes made to a map's schema (`map_values.rs`), each in a file.

mod fields;
mod flatten;
mod map_values;
mod metadata;
mod properties;

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::field_schema::FLATTENING;
use map_values::dependent_schemas;
use metadata::{Metadata, insert_title_and_description};

/// The schema of a patch object, built field by field: no attribute is `required`, since
/// an absent attribute is left as it is (RFC 7396 §2).
pub struct PatchSchema<'g> {
    generator: &'g mut SchemaGenerator,
    properties: Map<String, Value>,
    /// `additionalProperties`: `false` under `deny_unknown_fields`, the value schema of the
    /// flattened maps, or nothing (unknown keys are ignored).
    additional: Option<Value>,
    /// `deny_unknown_fields`: serde then refuses every key that no field names, even one
    /// that a flattened map would read.
    deny_unknown_fields: bool,
    /// `dependentSchemas`: per key read, the other keys of its attribute refused beside it
    /// (serde's "duplicate field" for a name and its alias together).
    exclusive: Map<String, Value>,
    /// The properties and `dependentSchemas` of flattened structs: a key that this
    /// object's own field names is that field's (serde reads it there first), so
    /// [`finish`](Self::finish) leaves such keys out of them.
    flattened_properties: Map<String, Value>,
    flattened_exclusive: Map<String, Value>,
    /// The values' schemas of the maps that flattened structs described so far flatten in
    /// turn: such a struct is read from every key left in the buffer (serde reads it as a
    /// map, which takes no key), so its map reads the keys of the flattened structs after it
    /// too, whose values must then suit it as well (under the reading contract: the schema of
    /// writing takes what the patch holds); `false` where such a struct refuses the keys that
    /// its fields do not take ([`REFUSES_KEYS_LEFT`]).
    flattened_map_values: Vec<Value>,
    /// Whether this object has a flattened field: read as a flattened field of another, it is
    /// then read from every key left in the buffer (serde reads it as a map).
    has_flattened: bool,
    /// The keys that the last field described got: those of its keys that no field before
    /// it names (serde reads a key into the first field that names it, by its name or an
    /// alias), for [`deprecated_field`](Self::deprecated_field) to mark.
    last_keys: Vec<&'static str>,
    /// The keys that [`ignored`](Self::ignored) made properties: read and dropped.
    read_only_keys: Vec<&'static str>,
    description: Option<&'static str>,
    /// The model's `#[schemars(title = ..., description = ...)]`, over its doc comment's.
    metadata: Metadata,
    /// The next field's `#[schemars(title = ..., description = ...)]`, given just before
    /// the field: [`property`](Self::property) takes it.
    field_metadata: Metadata,
    /// The next field's validation items, given just before the field as a closure that
    /// writes them into the schema of its values ([`field_keywords`](Self::field_keywords)).
    field_keywords: Option<FieldKeywords>,
    /// The model is `#[deprecated]`: the patch's schema says `"deprecated": true`.
    deprecated: bool,
    /// Whether serde reads this patch as a flattened field of another (through its
    /// buffered `Content`, whose map keys are strings that no integer or `bool` key type
    /// reads, serde-rs/serde#1183): a map with such keys then reads no entry.
    flattened: bool,
}
impl<'g> PatchSchema<'g> {
    /// An object schema that refuses unknown keys when `deny_unknown_fields` is set.
    /// `id` is the patch's `schema_id`: [`flatten`](Self::flatten) names the patch it
    /// describes as a flattened field by it.
    pub fn new(
        generator: &'g mut SchemaGenerator,
        deny_unknown_fields: bool,
        id: std::borrow::Cow<'static, str>,
    ) -> Self {
        let flattened = FLATTENING.with_borrow_mut(|flattening| {
            let this = flattening.as_ref() == Some(&id);
            if this {
                *flattening = None;
            }
            this
        });
        PatchSchema {
            flattened,
            generator,
            properties: Map::new(),
            additional: deny_unknown_fields.then_some(Value::Bool(false)),
            deny_unknown_fields,
            exclusive: Map::new(),
            flattened_properties: Map::new(),
            flattened_exclusive: Map::new(),
            flattened_map_values: Vec::new(),
            has_flattened: false,
            last_keys: Vec::new(),
            read_only_keys: Vec::new(),
            description: None,
            metadata: Metadata::default(),
            field_metadata: Metadata::default(),
            field_keywords: None,
            deprecated: false,
        }
    }

    /// The object schema.
    #[must_use]
    pub fn finish(mut self) -> Schema {
        if self.flattened
            && self.deny_unknown_fields
            && self.has_flattened
            && self.generator.contract().is_deserialize()
        {
            REFUSES_KEYS_LEFT.set(true);
        }
        // A flattened struct's key that a field of this object names goes to that field:
        // not the flattened struct's property, and no duplicate of the flattened
        // attribute's other names (`{"code": .., "main": ..}` with `code` this object's
        // field and an alias of the flattened `main`).
        for (key, mut value) in std::mem::take(&mut self.flattened_exclusive) {
            if self.properties_of_own(&key) {
                continue;
            }
            if let Some(Value::Object(others)) = value.get_mut("properties") {
                others.retain(|other, _| !self.properties_of_own(other));
                if others.is_empty() {
                    continue;
                }
            }
            self.exclusive.insert(key, value);
        }
        for (key, value) in std::mem::take(&mut self.flattened_properties) {
            if !self.properties_of_own(&key) {
                self.properties.insert(key, value);
            }
        }
        let mut object = Map::new();
        object.insert("type".to_owned(), "object".into());
        insert_title_and_description(&mut object, self.description, &self.metadata);
        if self.deprecated {
            object.insert("deprecated".to_owned(), Value::Bool(true));
        }
        object.insert("properties".to_owned(), Value::Object(self.properties));
        if let Some(additional) = self.additional {
            object.insert("additionalProperties".to_owned(), additional);
        }
        if !self.exclusive.is_empty()
            && let Some(keyword) = dependent_schemas(self.generator)
        {
            object.insert(keyword.to_owned(), Value::Object(self.exclusive));
        }
        Schema::from(object)
    }
}

std::thread_local! {
    /// Set by a patch described as a flattened field ([`PatchSchema::flatten`]) that refuses
    /// unknown keys (serde's `deny_unknown_fields` or the patch's) and has a flattened field
    /// of its own: serde then reads it as a map, from every key left in its parent's buffer,
    /// and it refuses those that its fields do not take, rather than being handed only its
    /// own keys (`{"z": 1}` is `unknown field` in the parent too).
    static REFUSES_KEYS_LEFT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}
/// An attribute's keys: the one it is written under (none under `skip_serializing`),
/// and those it is read under (its name, then serde's aliases; none under
/// `skip_deserializing`).
#[derive(Clone, Copy)]
pub struct SchemaKeys {
    /// The key that serde writes.
    pub serialize: &'static [&'static str],
    /// The keys that serde reads.
    pub deserialize: &'static [&'static str],
}

/// A field's validation items, written into the schema of its values.
type FieldKeywords = Box<dyn FnOnce(&mut Schema)>;
