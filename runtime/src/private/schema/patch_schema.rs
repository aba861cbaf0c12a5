//! The schema of a patch object, built field by field ([`PatchSchema`]).
//!
//! One file on purpose: the methods that generated code calls bound their type parameters
//! (`T: FieldSchema`), and a user's missing `JsonSchema` names them in rustc's notes. rustc
//! names such a method `PatchSchema::<'g>::required` only while its `impl` sits in the
//! struct's module; from a child module it prints that module's path
//! (`...::patch_schema::fields::<impl ...>::required`), and six UI cases got worse when this
//! file was split (review 178, reverted).

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::buffered_definitions::refer_to_buffered_copies;
use super::buffered_values::as_read_from_buffer;
use super::field_schema::{BUFFERED, FLATTENING, FieldSchema, integer_ranges};
use super::integer_keys::reads_minus_zero;
use super::map_keys::{flattened_key_names, key_names, restrict_keys};
use super::nullable::{admit_null, may_be_null, refuse_null};
use super::openapi_3_0;

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
    /// Per flattened map whose key type reads some strings alone (a `char`, a unit enum),
    /// the schema of the keys it reads, and the keys of the flattened structs before it,
    /// which took them: [`finish`](Self::finish) states that the other keys, which the map
    /// reads, are such keys (`propertyNames`).
    other_key_names: Vec<(Value, Vec<String>)>,
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
    /// buffered `Content`): see [`buffered`](Self::buffered), and [`REFUSES_KEYS_LEFT`].
    flattened: bool,
    /// Whether serde reads this patch from a flattened field's buffered `Content`, whose map
    /// keys are strings that no integer or `bool` key type reads (serde-rs/serde#1183): a map
    /// with such keys then reads no entry (and which holds no 128-bit integer: an `i128` or
    /// `u128` reads no number). A flattened patch is, and so is every nested
    /// patch below one, at any depth ([`nested`](Self::nested) describes them inline), and
    /// every named definition that their fields refer to ([`property`](Self::property)
    /// refers to a copy of it, see `buffered_definitions.rs`).
    buffered: bool,
    /// Whether serde reads this patch's flattened fields from its buffered `Content`: a
    /// patch on serde's derives ([`flattened_from_buffer`](Self::flattened_from_buffer)),
    /// whose `flatten` buffers the keys that no field takes, and a patch that is
    /// [`buffered`](Self::buffered) itself. The patch's own reader hands a flattened map its
    /// entries as it reads them.
    flattened_buffered: bool,
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
        let buffered = BUFFERED.with_borrow_mut(|buffered| {
            let this = buffered.as_ref() == Some(&id);
            if this {
                *buffered = None;
            }
            this
        });
        PatchSchema {
            buffered: flattened || buffered,
            flattened_buffered: flattened || buffered,
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
            other_key_names: Vec::new(),
            description: None,
            metadata: Metadata::default(),
            field_metadata: Metadata::default(),
            field_keywords: None,
            deprecated: false,
        }
    }

    /// The patch's description: the model's doc comment.
    pub fn describe(&mut self, description: &'static str) {
        self.description = Some(description);
    }

    /// The model's `#[schemars(title = ...)]`: the patch's `title`, over the doc comment's
    /// `# Title` (an empty one: none), as schemars' derive gives it to the model's schema.
    pub fn title(&mut self, title: impl Into<String>) {
        self.metadata.title = Some(title.into());
    }

    /// The model's `#[schemars(description = ...)]`: the patch's `description`, over the doc
    /// comment's (an empty one: none), as schemars' derive gives it to the model's schema.
    pub fn description(&mut self, description: impl Into<String>) {
        self.metadata.description = Some(description.into());
    }

    /// The next field's `#[schemars(title = ...)]`: its keys' `title`, over its doc
    /// comment's.
    pub fn field_title(&mut self, title: impl Into<String>) {
        self.field_metadata.title = Some(title.into());
    }

    /// The next field's `#[schemars(description = ...)]`: its keys' `description`, over its
    /// doc comment's.
    pub fn field_description(&mut self, description: impl Into<String>) {
        self.field_metadata.description = Some(description.into());
    }

    /// The next field's validation items (`#[schemars(length(min = 1))]`,
    /// `#[validate(email)]`, `#[garde(pattern(...))]`, ...), as `keywords`, which writes them
    /// into a schema: schemars' derive writes them into the model's schema of the field, and
    /// the patch's schema of the field's values gets them the same way, before `null` is
    /// refused (a required attribute) or the keys described. A flattened field has no schema
    /// of its own that takes them (nor has the model's: schemars' derive drops them there).
    pub fn field_keywords(&mut self, keywords: impl FnOnce(&mut Schema) + 'static) {
        self.field_keywords = Some(Box::new(keywords));
    }

    /// `schema` with the field's validation items written in (see
    /// [`field_keywords`](Self::field_keywords)), which it takes: a second call writes none.
    /// An integer type's range stays the type's where the items state a wider one (see
    /// [`integer_ranges`]).
    fn with_field_keywords(&mut self, mut schema: Schema) -> Schema {
        if let Some(keywords) = self.field_keywords.take() {
            keywords(&mut schema);
            schema = integer_ranges(schema, self.generator);
        }
        schema
    }

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

    /// The patch is on serde's derives and has a flattened field: serde reads the values of
    /// its flattened maps from its buffer (serde's `flatten`), which reads no integer key
    /// of a map in them (serde-rs/serde#1183; the model refuses them too), and not from the
    /// input as the patch's own reader does (see "Which serde code a patch gets" in the
    /// guide's serde attributes).
    pub fn flattened_from_buffer(&mut self) {
        self.flattened_buffered = true;
    }

    /// The model is `#[deprecated]`: so is the patch's schema, `"deprecated": true` (JSON
    /// Schema 2020-12, Validation §9.3), as schemars' derive says of the model's.
    pub fn deprecated(&mut self) {
        self.deprecated = true;
    }

    /// The field under `keys`, described just before, is `#[deprecated]`: its properties say
    /// `"deprecated": true` (JSON Schema 2020-12, Validation §9.3), as schemars' derive says
    /// of the model's; a key of `keys` that a field before it names is that field's and keeps
    /// its own. A flattened field has no property of its own to mark.
    pub fn deprecated_field(&mut self, _keys: SchemaKeys) {
        for name in &self.last_keys {
            if let Some(Value::Object(property)) = self.properties.get_mut(*name) {
                property.insert("deprecated".to_owned(), Value::Bool(true));
            }
        }
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
    /// `dependentRequired`) is left out of the patch's schema, the rest stands. Read from a
    /// flattened field's buffer (see [`buffered`](Self::buffered)), the nested patch is
    /// too: its schema of reading is then its own, inline, not the definition shared with
    /// direct reading (a recursive model does not compile, so inlining ends).
    pub fn nested<T: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
        nullable: bool,
    ) {
        let schema = if self.buffered && self.generator.contract().is_deserialize() {
            let schema = T::buffered_schema(self.generator);
            if nullable {
                admit_null(schema, self.generator)
            } else {
                schema
            }
        } else if nullable {
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
        let names = if self.buffered && self.generator.contract().is_deserialize() {
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
        OTHER_KEY_NAMES.set(None);
        let schema = T::flattened_schema(self.generator);
        let refuses_keys_left = REFUSES_KEYS_LEFT.replace(false);
        let other_key_names = OTHER_KEY_NAMES.take();
        self.flatten_schema(schema);
        if refuses_keys_left {
            self.refuse_keys_left();
        } else if let Some(names) = other_key_names {
            self.restrict_other_keys(names);
        }
    }

    /// A flattened `HashMap` or `BTreeMap`, `T` its patch value (`BTreeMap<K, Field<V>>`)
    /// and `K` its key type: as [`flatten`](Self::flatten), and under the reading contract
    /// the other keys, which the map reads, are those that serde reads into `K` from a string
    /// (a flattened field is handed its keys as strings): none for an integer or a `bool`
    /// (serde-rs/serde#1183), one character for a `char`, a variant's name for a unit enum.
    pub fn flatten_map<T: FieldSchema + ?Sized, K: FieldSchema + ?Sized>(
        &mut self,
        keys: SchemaKeys,
        description: Option<&'static str>,
    ) {
        self.flatten::<T>(keys, description);
        if self.generator.contract().is_deserialize() {
            let key = K::inline_schema(self.generator).to_value();
            if let Some(names) = flattened_key_names(&key) {
                self.restrict_other_keys(names);
            }
        }
    }

    /// The keys left after this object's fields and the flattened structs so far took
    /// theirs are read by a flattened map whose key type reads only the strings `names`
    /// (`false`: none). Under `deny_unknown_fields` no such key is read anyway.
    fn restrict_other_keys(&mut self, names: Value) {
        if self.deny_unknown_fields {
            return;
        }
        if names == Value::Bool(false) {
            self.refuse_keys_left();
        } else if !openapi_3_0(self.generator) {
            let before = self.flattened_properties.keys().cloned().collect();
            self.other_key_names.push((names, before));
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
        self.flatten_schema(schema);
    }

    /// [`flatten`](Self::flatten) of the flattened field's own schema: under the reading
    /// contract, as serde reads it from the buffer where it does (see
    /// [`flattened_buffered`](Self::flattened_buffered)), a flattened map's values holding no
    /// integer key.
    fn flatten_schema(&mut self, schema: Schema) {
        let schema = if self.flattened_buffered && self.generator.contract().is_deserialize() {
            self.read_from_buffer(schema)
        } else {
            schema
        };
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

    fn property(&mut self, keys: SchemaKeys, schema: Schema, description: Option<&'static str>) {
        let mut schema = self.with_field_keywords(schema);
        if self.buffered && self.generator.contract().is_deserialize() {
            schema = self.read_from_buffer(schema);
        }
        let metadata = std::mem::take(&mut self.field_metadata);
        if description.is_some() || !metadata.is_empty() {
            insert_title_and_description(schema.ensure_object(), description, &metadata);
        }
        let names = if self.generator.contract().is_serialize() {
            keys.serialize
        } else {
            keys.deserialize
        };
        // A key that a field before this one names, by its name or an alias, is that
        // field's: serde's field matching (and the patch's own) takes the first field
        // that names a key, and the later one never sees it (`#[serde(alias = "a")]` on a
        // field after a field `a`).
        let names: Vec<&'static str> = names
            .iter()
            .copied()
            .filter(|name| !self.properties.contains_key(*name))
            .collect();
        for name in &names {
            self.properties
                .insert((*name).to_owned(), schema.as_value().clone());
        }
        // An attribute read under its name and its aliases is read from one of them: serde
        // refuses two of them together as a duplicate field.
        if names.len() > 1 {
            self.exclude_together(&names);
        }
        self.last_keys = names;
    }

    /// `schema` as serde reads a value from a flattened field's buffer, whose map keys are
    /// strings that it reads into no integer type (serde-rs/serde#1183), and which holds no
    /// 128-bit integer: schemars' integer keys and `i128`/`u128` numbers dropped at every
    /// depth (`buffered_values.rs`), and each named definition that holds some a `$ref` to a
    /// copy of it without them (`buffered_definitions.rs`).
    fn read_from_buffer(&mut self, schema: Schema) -> Schema {
        let mut value = schema.to_value();
        as_read_from_buffer(&mut value);
        refer_to_buffered_copies(&mut value, self.generator);
        Schema::try_from(value).unwrap_or_else(|_| Schema::default())
    }

    /// `names` refuse one another: present beside one, another fails.
    fn exclude_together(&mut self, names: &[&str]) {
        for name in names {
            // `false` for every other key: present beside this one, it fails.
            let others = names
                .iter()
                .filter(|other| *other != name)
                .map(|other| ((*other).to_owned(), Value::Bool(false)))
                .collect::<Map<_, _>>();
            self.exclusive.insert(
                (*name).to_owned(),
                serde_json::json!({ "properties": others }),
            );
        }
    }

    /// The `propertyNames` of [`other_key_names`](Self::other_key_names): each map's keys, or
    /// a key of this object's own fields and of the flattened structs before the map. A
    /// patch read as a flattened field states none: its maps read the keys left in its
    /// parent's buffer, whose schema says so ([`OTHER_KEY_NAMES`]).
    fn other_keys_schema(&mut self) -> Option<Value> {
        let other_key_names = std::mem::take(&mut self.other_key_names);
        if self.flattened {
            let names: Vec<Value> = other_key_names
                .into_iter()
                .map(|(names, _)| names)
                .collect();
            let names = match names.len() {
                0 => return None,
                1 => names.into_iter().next(),
                _ => Some(serde_json::json!({ "allOf": names })),
            };
            OTHER_KEY_NAMES.set(names);
            return None;
        }
        let all: Vec<Value> = other_key_names
            .into_iter()
            .map(|(names, before)| {
                let mut taken: Vec<String> = self.properties.keys().cloned().collect();
                taken.extend(before);
                taken.sort();
                taken.dedup();
                if taken.is_empty() {
                    names
                } else {
                    serde_json::json!({ "anyOf": [{ "enum": taken }, names] })
                }
            })
            .collect();
        match all.len() {
            0 => None,
            1 => all.into_iter().next(),
            _ => Some(serde_json::json!({ "allOf": all })),
        }
    }

    /// Whether `key` is a key of this object's own fields (not of a flattened struct's):
    /// until [`finish`](Self::finish) merges them, `properties` holds only those.
    fn properties_of_own(&self, key: &str) -> bool {
        self.properties.contains_key(key)
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
        let other_key_names = self.other_keys_schema();
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
        if let Some(names) = other_key_names {
            object.insert("propertyNames".to_owned(), names);
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
    /// Set by a patch described as a flattened field whose flattened maps read only some
    /// strings as keys (a `char` key, a unit enum's): serde reads it as a map, from every key
    /// left in its parent's buffer, so the parent's other keys must be such strings. The
    /// schema of those keys.
    static OTHER_KEY_NAMES: std::cell::RefCell<Option<Value>> = const { std::cell::RefCell::new(None) };
}

/// The schema of every value of a map's schema `object`: its `patternProperties`' and its
/// `additionalProperties`' (unless `false`), `None` where it states neither.
fn map_values(object: &Map<String, Value>) -> Option<Value> {
    let mut values: Vec<Value> = match object.get("patternProperties") {
        Some(Value::Object(patterns)) => patterns.values().cloned().collect(),
        _ => Vec::new(),
    };
    match object.get("additionalProperties") {
        Some(Value::Bool(false)) => {}
        Some(additional) => values.push(additional.clone()),
        None if values.is_empty() => return None,
        None => values.push(Value::Bool(true)),
    }
    match values.len() {
        0 => Some(Value::Bool(false)),
        1 => values.pop(),
        _ => Some(serde_json::json!({ "anyOf": values })),
    }
}

/// The keywords of what a whole map (an object) must hold, which a patch of it need not:
/// its size and its keys (JSON Schema 2020-12, Validation §6.5).
///
/// [`without_whole_value_keywords`] leaves them out.
const WHOLE_MAP_KEYWORDS: [&str; 4] = [
    "minProperties",
    "maxProperties",
    "required",
    "dependentRequired",
];

/// A map's schema `map` (or the object branches of a nullable map's `anyOf`) made a map
/// patch's: without [`WHOLE_MAP_KEYWORDS`], and with values that take `null` (remove the
/// key) where they do not surely take it already.
fn as_map_patch(map: &mut Value, generator: &mut SchemaGenerator) {
    let Value::Object(object) = map else {
        return;
    };
    if !super::names_type(object, "object") {
        for branches in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = object.get_mut(branches) {
                for branch in branches {
                    as_map_patch(branch, generator);
                }
            }
        }
        return;
    }
    without_whole_value_keywords(map);
    values_take_null(map, generator);
}

/// A map schema's values (its `additionalProperties` unless `false`, its
/// `patternProperties`) made to take `null` (remove the key) where they do not surely take
/// it already, and so the values of the branches of its `allOf`, which the whole map must fit
/// as it must fit the schema (`extend("allOf" = [{"additionalProperties": {...}}])`).
fn values_take_null(map: &mut Value, generator: &mut SchemaGenerator) {
    let Value::Object(object) = map else {
        return;
    };
    for_each_values_schema(object, |values| {
        if let Ok(schema) = Schema::try_from(values.clone()) {
            *values = admit_null(schema, generator).to_value();
        }
    });
    if let Some(Value::Array(branches)) = object.get_mut("allOf") {
        for branch in branches {
            values_take_null(branch, generator);
        }
    }
}

/// `schema` without [`WHOLE_MAP_KEYWORDS`], and the branches of its `anyOf` and `oneOf` (a
/// nullable value's) and of its `allOf` (which the whole value must fit as it must fit the
/// schema: an item `extend("allOf" = [{"required": [...]}])`, JSON Schema 2020-12, Core
/// §10.2.1.1) without them: the schema of a patch of an object.
fn without_whole_value_keywords(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    for keyword in WHOLE_MAP_KEYWORDS {
        object.remove(keyword);
    }
    for branches in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(branches)) = object.get_mut(branches) {
            branches.iter_mut().for_each(without_whole_value_keywords);
        }
    }
}

/// A map's schema whose values may also be `null`, as a map patch reads them (remove the
/// key): its `additionalProperties` (unless `false`) and `patternProperties`.
fn values_or_null(map: &mut Value) {
    let Value::Object(object) = map else {
        return;
    };
    for_each_values_schema(object, |values| {
        if *values != Value::Bool(true) {
            let given = std::mem::take(values);
            *values = serde_json::json!({ "anyOf": [given, { "type": "null" }] });
        }
    });
}

/// Gives `change` each schema of a map schema's values: its `additionalProperties` (unless
/// `false`, which takes no value) and each of its `patternProperties` (JSON Schema 2020-12,
/// Core §10.3.2).
fn for_each_values_schema(object: &mut Map<String, Value>, mut change: impl FnMut(&mut Value)) {
    if let Some(values) = object
        .get_mut("additionalProperties")
        .filter(|values| **values != Value::Bool(false))
    {
        change(values);
    }
    if let Some(Value::Object(patterns)) = object.get_mut("patternProperties") {
        patterns.values_mut().for_each(&mut change);
    }
}

/// The keyword of the schemas that apply when a key is present: `dependentSchemas` (JSON
/// Schema 2019-09 and 2020-12, Core §10.2.2.4), or `dependencies` with schema values where
/// the generator writes an older draft (`SchemaSettings::draft07()`), whose validators know
/// no `dependentSchemas` and would pass a name beside its alias (draft-07 Validation §6.5.7);
/// none for OpenAPI 3.0 (`SchemaSettings::openapi3()`), whose schema object has neither
/// keyword and allows no other (OpenAPI 3.0.3, "Schema Object"): the rule goes unsaid there.
fn dependent_schemas(generator: &SchemaGenerator) -> Option<&'static str> {
    if openapi_3_0(generator) {
        return None;
    }
    let meta_schema = generator.settings().meta_schema.as_deref().unwrap_or("");
    let older = ["draft-04", "draft-06", "draft-07"]
        .iter()
        .any(|draft| meta_schema.contains(draft));
    Some(if older {
        "dependencies"
    } else {
        "dependentSchemas"
    })
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

/// schemars' `title` and `description` items (`#[schemars(title = ..., description = ...)]`),
/// each over the doc comment's part, as schemars' derive reads them.
#[derive(Default)]
struct Metadata {
    title: Option<String>,
    description: Option<String>,
}

impl Metadata {
    fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none()
    }
}

/// Puts a doc comment's text (`doc`, as the derive reads it: lines joined by line breaks,
/// trimmed) in `object` as schemars' derive does a model's: a first line `# Title` (any number
/// of `#`) is the `title` and the rest the `description`, other text is the `description`
/// whole; schemars' own `title` and `description` items (`metadata`) stand in for either part;
/// an empty one is left out (JSON Schema 2020-12, Validation §9.1). Source: schemars 1,
/// `_private::get_title_and_description` and its derive's `CommonAttrs::add_mutators`.
fn insert_title_and_description(
    object: &mut Map<String, Value>,
    doc: Option<&str>,
    metadata: &Metadata,
) {
    let (doc_title, doc_description) = doc.map_or(("", ""), title_and_description);
    let title = metadata.title.as_deref().unwrap_or(doc_title);
    let description = metadata.description.as_deref().unwrap_or(doc_description);
    if !title.is_empty() {
        object.insert("title".to_owned(), title.into());
    }
    if !description.is_empty() {
        object.insert("description".to_owned(), description.into());
    }
}

/// `doc` split into its title (a first line that starts with `#`, without the `#`s) and its
/// description (the rest), each trimmed of ASCII white space.
fn title_and_description(doc: &str) -> (&str, &str) {
    let doc = doc.trim_ascii();
    if doc.starts_with('#') {
        let (title, description) = doc.split_at(doc.find('\n').unwrap_or(doc.len()));
        (
            title.trim_start_matches('#').trim_ascii(),
            description.trim_ascii(),
        )
    } else {
        ("", doc)
    }
}
