//! The JSON Schema of a derived patch (feature `schemars`): `#[derive(Patchable)]` emits one
//! invocation of [`patch_schema!`](crate::private::patch_schema), which is defined twice: with
//! the feature it implements `schemars::JsonSchema` through [`PatchSchema`], without it it
//! expands to nothing, so that a user who does not enable the feature pays for nothing but
//! reading the invocation's tokens.

#[cfg(feature = "schemars")]
pub use schemars_support::*;

#[cfg(feature = "schemars")]
mod schemars_support {
    pub use schemars;

    use schemars::{JsonSchema, Schema, SchemaGenerator};
    use serde_json::{Map, Value};

    /// A field type that has a JSON Schema: every `schemars::JsonSchema` type. A trait of its
    /// own only so that a field type without one gets a message that says what to do.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` has no JSON Schema, which the patch's schema needs (feature `schemars`)",
        label = "no `schemars::JsonSchema` impl",
        note = "implement `schemars::JsonSchema` for `{Self}` (by hand, or with schemars' derive), give the field another type's schema with `#[schemars(with = \"Type\")]`, or mark the field `#[patchable(skip)]` if the patch must not hold it"
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
    }

    /// `schema` as serde reads and writes the field's type, where schemars' schema of a
    /// standard type says otherwise:
    ///
    /// - the range of every integer type that schemars states by its `format` alone (`int32`,
    ///   `uint32`, `int64`, `uint64`, `int`, `uint`, `int128`, `uint128`: no `maximum`, and
    ///   validators do not enforce `format`) is spelled out as `minimum` and `maximum`, since
    ///   serde refuses an integer out of the field type's range;
    /// - under the reading contract, a set (`HashSet`, `BTreeSet`) loses schemars'
    ///   `"uniqueItems": true`: serde reads an array with repeated elements into a set and keeps
    ///   one of them (serde-rs/serde#913), so the schema must take it too. A set written holds
    ///   each element once, and the writing contract keeps the keyword.
    ///
    /// Only the schema written here is changed, at every depth (an array's items, a map's
    /// values, a nullable value's branches); a named type's definition (`$ref`) is its own.
    fn as_serde_does(schema: Schema, generator: &SchemaGenerator) -> Schema {
        let reading = generator.contract().is_deserialize();
        let mut value = schema.to_value();
        as_serde_does_in(&mut value, reading);
        Schema::try_from(value).unwrap_or_else(|_| Schema::default())
    }

    fn as_serde_does_in(schema: &mut Value, reading: bool) {
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
                object.entry("minimum").or_insert(minimum);
                let bounded =
                    object.contains_key("maximum") || object.contains_key("exclusiveMaximum");
                if !bounded {
                    let key = if exclusive {
                        "exclusiveMaximum"
                    } else {
                        "maximum"
                    };
                    object.insert(key.to_owned(), maximum);
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
                    as_serde_does_in(child, reading);
                }
                "prefixItems" | "anyOf" | "oneOf" | "allOf" => {
                    if let Value::Array(branches) = child {
                        for branch in branches {
                            as_serde_does_in(branch, reading);
                        }
                    }
                }
                "properties" | "patternProperties" | "dependentSchemas" => {
                    if let Value::Object(members) = child {
                        for member in members.values_mut() {
                            as_serde_does_in(member, reading);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The schema of the strings that serde reads into a key whose own schema is `key`, where
    /// schemars' map schema says otherwise: an integer (a JSON integer, as `serde_json` reads
    /// it, in the type's range: schemars' `^\d+$` takes `256` for a `u8` and `01`), a `bool`
    /// (`true` or `false`: schemars takes any key) and a constrained string (a `char`, one
    /// character: schemars takes any key). `None`: the map's schema stands.
    fn key_names(key: &Value) -> Option<Value> {
        let object = key.as_object()?;
        // A unit enum (`{"enum": ["prod", "staging"]}`, or schemars' `oneOf` of `const`s when
        // its variants have doc comments): serde reads a key into it by the variant's name,
        // and the key type's own schema lists them (schemars takes any key).
        if only_strings(object) {
            return Some(key.clone());
        }
        match object.get("type")?.as_str()? {
            "integer" => {
                let format = object.get("format")?.as_str()?;
                let (minimum, maximum) = match format {
                    "int8" => (i128::from(i8::MIN), i128::from(i8::MAX)),
                    "int16" => (i128::from(i16::MIN), i128::from(i16::MAX)),
                    "int32" => (i128::from(i32::MIN), i128::from(i32::MAX)),
                    "int64" => (i128::from(i64::MIN), i128::from(i64::MAX)),
                    "int" => (isize::MIN as i128, isize::MAX as i128),
                    "int128" => (i128::MIN, i128::MAX),
                    "uint8" => (0, i128::from(u8::MAX)),
                    "uint16" => (0, i128::from(u16::MAX)),
                    "uint32" => (0, i128::from(u32::MAX)),
                    "uint64" => (0, i128::from(u64::MAX)),
                    "uint" => (0, usize::MAX as i128),
                    // Past `i128::MAX`: no key reaches it as a bound would.
                    "uint128" => {
                        let pattern = format!("^(?:0|{})$", digits_up_to(&u128::MAX.to_string()));
                        return Some(serde_json::json!({ "type": "string", "pattern": pattern }));
                    }
                    _ => return None,
                };
                // `-0` is a float to `serde_json`, which no integer key reads but an `i128`
                // (whose digits it reads itself).
                let zero = if format == "int128" { "-?0" } else { "0" };
                let mut alternatives = vec![zero.to_owned(), digits_up_to(&maximum.to_string())];
                if minimum < 0 {
                    let magnitude = minimum.unsigned_abs().to_string();
                    alternatives.push(format!("-(?:{})", digits_up_to(&magnitude)));
                }
                let pattern = format!("^(?:{})$", alternatives.join("|"));
                Some(serde_json::json!({ "type": "string", "pattern": pattern }))
            }
            "boolean" => Some(serde_json::json!({ "enum": ["true", "false"] })),
            "string" => {
                let constrained = ["pattern", "minLength", "maxLength", "format"]
                    .iter()
                    .any(|word| object.contains_key(*word));
                constrained.then(|| key.clone())
            }
            _ => None,
        }
    }

    /// Whether `schema` accepts a given list of strings and nothing else: an `enum` of
    /// strings, a string `const`, or a `oneOf`/`anyOf` of such schemas.
    fn only_strings(schema: &Map<String, Value>) -> bool {
        if let Some(Value::Array(values)) = schema.get("enum") {
            return !values.is_empty() && values.iter().all(Value::is_string);
        }
        if let Some(value) = schema.get("const") {
            return value.is_string();
        }
        ["oneOf", "anyOf"]
            .iter()
            .any(|word| match schema.get(*word) {
                Some(Value::Array(branches)) => {
                    !branches.is_empty()
                        && branches
                            .iter()
                            .all(|branch| branch.as_object().is_some_and(only_strings))
                }
                _ => false,
            })
    }

    /// A regular expression for the decimal numerals from 1 to `maximum` (digits, no leading
    /// zero): fewer digits than it, or as many and at most it, digit by digit.
    fn digits_up_to(maximum: &str) -> String {
        let digits = maximum.as_bytes();
        let length = digits.len();
        let mut alternatives = Vec::new();
        if length > 1 {
            alternatives.push(format!("[1-9][0-9]{{0,{}}}", length - 2));
        }
        for (at, digit) in digits.iter().enumerate() {
            let digit = digit - b'0';
            let lowest = u8::from(at == 0);
            if digit > lowest {
                alternatives.push(format!(
                    "{}[{}-{}][0-9]{{{}}}",
                    &maximum[..at],
                    lowest,
                    digit - 1,
                    length - at - 1
                ));
            }
        }
        alternatives.push(maximum.to_owned());
        alternatives.join("|")
    }

    /// The object schema of a map (or its object branch, when it may be `null`) with
    /// `propertyNames` for its keys and its values' schema for every key.
    fn restrict_keys(schema: &mut Value, names: &Value) {
        let Value::Object(object) = schema else {
            return;
        };
        let is_object = names_type(object, "object");
        if !is_object {
            for branches in ["anyOf", "oneOf"] {
                if let Some(Value::Array(branches)) = object.get_mut(branches) {
                    branches
                        .iter_mut()
                        .for_each(|branch| restrict_keys(branch, names));
                }
            }
            return;
        }
        // The values' schema: schemars gives it to the keys' patterns, or to the other keys.
        let values = match object.remove("patternProperties") {
            Some(Value::Object(patterns)) => patterns.into_iter().next().map(|(_, value)| value),
            _ => None,
        };
        let values = values.or_else(|| {
            object
                .get("additionalProperties")
                .filter(|value| **value != Value::Bool(false))
                .cloned()
        });
        if let Some(values) = values {
            object.insert("additionalProperties".to_owned(), values);
            object.insert("propertyNames".to_owned(), names.clone());
        }
    }

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
        description: Option<&'static str>,
        /// Whether serde reads this patch as a flattened field of another (through its
        /// buffered `Content`, whose map keys are strings that no integer or `bool` key type
        /// reads, serde-rs/serde#1183): a map with such keys then reads no entry.
        flattened: bool,
    }

    std::thread_local! {
        /// The `schema_id` of the patch that [`PatchSchema::flatten`] is describing as a
        /// flattened field, for its [`PatchSchema::new`] to know.
        static FLATTENING: std::cell::RefCell<Option<std::borrow::Cow<'static, str>>> =
            const { std::cell::RefCell::new(None) };
    }

    /// `schema` as serde reads it inside a flattened struct, at every depth but through a
    /// `$ref`: schemars' integer keys (`patternProperties` `^\d+$`, `^-?\d+$`, beside
    /// `"additionalProperties": false`) are none, since serde hands a flattened struct its
    /// map keys as strings, which it reads into no integer type (serde-rs/serde#1183).
    fn no_integer_keys(schema: &mut Value) {
        let Value::Object(object) = schema else {
            return;
        };
        if let Some(Value::Object(patterns)) = object.get_mut("patternProperties") {
            patterns.retain(|pattern, _| pattern != r"^\d+$" && pattern != r"^-?\d+$");
            if patterns.is_empty() {
                object.remove("patternProperties");
            }
        }
        for (key, child) in object.iter_mut() {
            match key.as_str() {
                "items" | "additionalProperties" | "then" | "else" | "not" => {
                    no_integer_keys(child);
                }
                "prefixItems" | "anyOf" | "oneOf" | "allOf" => {
                    if let Value::Array(branches) = child {
                        branches.iter_mut().for_each(no_integer_keys);
                    }
                }
                "properties" | "patternProperties" => {
                    if let Value::Object(members) = child {
                        members.values_mut().for_each(no_integer_keys);
                    }
                }
                _ => {}
            }
        }
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
                description: None,
            }
        }

        /// The patch's description: the model's doc comment.
        pub fn describe(&mut self, description: &'static str) {
            self.description = Some(description);
        }

        /// A required attribute: absent or a value, never `null`.
        pub fn required<T: FieldSchema + ?Sized>(
            &mut self,
            keys: SchemaKeys,
            description: Option<&'static str>,
        ) {
            let mut schema = T::field_schema(self.generator);
            // A required attribute is never read from `null`, even when its type's schema
            // allows it (`serde_json::Value`); serde writes whatever the patch holds.
            if self.generator.contract().is_deserialize()
                && may_be_null(schema.as_value(), self.generator)
            {
                schema = refuse_null(schema);
            }
            self.property(keys, schema, description);
        }

        /// A `HashMap` or `BTreeMap` attribute, `T` its patch value (`HashMap<K, Field<V>>`)
        /// and `K` its key type: the map's schema (or the map or `null` when `nullable`), with
        /// the keys that serde reads into `K` stated as `propertyNames`.
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
            let schema = match names {
                Some(names) => {
                    let mut value = schema.to_value();
                    restrict_keys(&mut value, &names);
                    Schema::try_from(value).unwrap_or_else(|_| Schema::default())
                }
                None => schema,
            };
            self.property(keys, schema, description);
        }

        /// A nullable attribute: absent, `null` or a value.
        pub fn nullable<T: FieldSchema + ?Sized>(
            &mut self,
            keys: SchemaKeys,
            description: Option<&'static str>,
        ) {
            let schema = T::nullable_schema(self.generator);
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
            self.property(keys, schema, description);
        }

        /// An attribute that the user's own serde functions read and write (`#[serde(with)]`,
        /// or both `serialize_with` and `deserialize_with`): its JSON is whatever they make of
        /// it, so any value. `T` needs no schema.
        pub fn custom<T: ?Sized>(&mut self, keys: SchemaKeys, description: Option<&'static str>) {
            self.property(keys, Schema::default(), description);
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
                self.custom::<T>(keys, description);
            } else if nullable {
                self.nullable::<T>(keys, description);
            } else {
                self.required::<T>(keys, description);
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
            let schema = T::flattened_schema(self.generator);
            let Some(object) = schema.as_object() else {
                // `true`: any keys.
                self.take_other_keys(Value::Bool(true));
                return;
            };
            if let Some(Value::Object(properties)) = object.get("properties") {
                for (key, value) in properties {
                    self.flattened_properties.insert(key.clone(), value.clone());
                }
            }
            if let Some(Value::Object(exclusive)) = object.get("dependentSchemas") {
                for (key, value) in exclusive {
                    self.flattened_exclusive.insert(key.clone(), value.clone());
                }
            }
            let is_struct = object.get("properties").is_some();
            match object.get("additionalProperties") {
                // A flattened struct's `deny_unknown_fields`: serde hands a flattened struct
                // only the keys it names, so it refuses nothing in this object; whether this
                // object refuses unknown keys is its own attribute's say, and a flattened map
                // keeps taking them. (A map's `false`, beside the `patternProperties` of its
                // integer keys, is the map's own: serde hands a flattened field its keys as
                // strings, which such a map does not read, so it takes no key.)
                Some(Value::Bool(false)) if is_struct => {}
                Some(additional) => self.take_other_keys(additional.clone()),
                None if !is_struct => self.take_other_keys(Value::Bool(true)),
                None => {}
            }
        }

        /// A flattened map's values' schema, for the keys that no field names. Every flattened
        /// map reads all of them (serde's flattened map reads the entries without taking them),
        /// so with two maps a key must suit both; under `deny_unknown_fields` serde refuses them
        /// all the same, and `additionalProperties` stays `false`.
        fn take_other_keys(&mut self, schema: Value) {
            if self.deny_unknown_fields {
                return;
            }
            self.additional = Some(match self.additional.take() {
                None | Some(Value::Bool(true)) => schema,
                Some(existing) if schema == Value::Bool(true) => existing,
                Some(existing) => serde_json::json!({ "allOf": [existing, schema] }),
            });
        }

        fn property(
            &mut self,
            keys: SchemaKeys,
            mut schema: Schema,
            description: Option<&'static str>,
        ) {
            if self.flattened && self.generator.contract().is_deserialize() {
                let mut value = schema.to_value();
                no_integer_keys(&mut value);
                schema = Schema::try_from(value).unwrap_or_else(|_| Schema::default());
            }
            if let Some(description) = description {
                schema.insert("description".to_owned(), description.into());
            }
            let names = if self.generator.contract().is_serialize() {
                keys.serialize
            } else {
                keys.deserialize
            };
            for name in names {
                self.properties
                    .insert((*name).to_owned(), schema.as_value().clone());
            }
            // An attribute read under its name and its aliases is read from one of them: serde
            // refuses two of them together as a duplicate field.
            if names.len() > 1 {
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
        }

        /// Whether `key` is a key of this object's own fields (not of a flattened struct's):
        /// until [`finish`](Self::finish) merges them, `properties` holds only those.
        fn properties_of_own(&self, key: &str) -> bool {
            self.properties.contains_key(key)
        }

        /// The object schema.
        #[must_use]
        pub fn finish(mut self) -> Schema {
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
            if let Some(description) = self.description {
                object.insert("description".to_owned(), description.into());
            }
            object.insert("properties".to_owned(), Value::Object(self.properties));
            if let Some(additional) = self.additional {
                object.insert("additionalProperties".to_owned(), additional);
            }
            if !self.exclusive.is_empty() {
                object.insert("dependentSchemas".to_owned(), Value::Object(self.exclusive));
            }
            Schema::from(object)
        }
    }

    /// Whether a schema object's `type` is `name` or a list that holds it (JSON Schema
    /// 2020-12, Validation §6.1.1).
    fn names_type(object: &Map<String, Value>, name: &str) -> bool {
        match object.get("type") {
            Some(Value::String(given)) => given == name,
            Some(Value::Array(given)) => given.iter().any(|given| given == name),
            _ => false,
        }
    }

    /// Whether `schema` may accept `null`: each of its keywords that speaks of `null` (`type`,
    /// `enum`, `const`, `not`, `anyOf`, `oneOf`, `allOf`, `$ref`) lets it through, and a schema that
    /// says nothing of the type accepts it. A `$ref` is read in the generator's definitions:
    /// a named field type's JSON can be `null` (a unit struct, a transparent newtype over an
    /// `Option` or over `serde_json::Value`), and a patch's definition is an object.
    fn may_be_null(schema: &Value, generator: &SchemaGenerator) -> bool {
        may_be_null_within(schema, generator, 0)
    }

    fn may_be_null_within(schema: &Value, generator: &SchemaGenerator, depth: usize) -> bool {
        // Definitions that are `$ref`s to one another in a ring accept nothing of their own;
        // past a depth no schema reaches, `null` is taken as possible (refusing it costs only
        // a `not` that a required attribute obeys anyway).
        if depth > 32 {
            return true;
        }
        match schema {
            Value::Bool(accepts) => *accepts,
            Value::Object(object) => object
                .iter()
                .all(|(keyword, value)| match keyword.as_str() {
                    "type" => names_type(object, "null"),
                    "enum" => value
                        .as_array()
                        .is_some_and(|values| values.iter().any(Value::is_null)),
                    "const" => value.is_null(),
                    "not" => *value != serde_json::json!({ "type": "null" }),
                    "anyOf" | "oneOf" => value.as_array().is_some_and(|branches| {
                        branches
                            .iter()
                            .any(|branch| may_be_null_within(branch, generator, depth + 1))
                    }),
                    "allOf" => value.as_array().is_some_and(|branches| {
                        branches
                            .iter()
                            .all(|branch| may_be_null_within(branch, generator, depth + 1))
                    }),
                    "$ref" => value
                        .as_str()
                        .and_then(|reference| definition(reference, generator))
                        .is_none_or(|target| may_be_null_within(target, generator, depth + 1)),
                    _ => true,
                }),
            _ => false,
        }
    }

    /// The definition that a `$ref` of the generator names (`#/$defs/Name`, the name
    /// percent-encoded and escaped as a JSON Pointer's segment, as schemars writes it).
    fn definition<'a>(reference: &str, generator: &'a SchemaGenerator) -> Option<&'a Value> {
        let path = generator.settings().definitions_path.as_ref();
        let path = path.strip_prefix('#').unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        let name = reference
            .strip_prefix('#')?
            .strip_prefix(path)?
            .strip_prefix('/')?;
        let name = percent_decoded(name)?;
        let name = name.replace("~1", "/").replace("~0", "~");
        generator.definitions().get(&name)
    }

    /// `text` with its `%XX` escapes decoded; `None` when that is not UTF-8.
    fn percent_decoded(text: &str) -> Option<String> {
        let mut bytes = Vec::with_capacity(text.len());
        let mut rest = text.as_bytes();
        while let Some((&byte, tail)) = rest.split_first() {
            let escaped = (byte == b'%')
                .then(|| tail.get(..2))
                .flatten()
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match escaped {
                Some(decoded) => {
                    bytes.push(decoded);
                    rest = &tail[2..];
                }
                None => {
                    bytes.push(byte);
                    rest = tail;
                }
            }
        }
        String::from_utf8(bytes).ok()
    }

    /// `schema`, and not `null`.
    fn refuse_null(schema: Schema) -> Schema {
        let mut object = match schema.to_value() {
            Value::Object(object) if !object.contains_key("not") => object,
            Value::Bool(true) => Map::new(),
            other => {
                let mut object = Map::new();
                object.insert("allOf".to_owned(), Value::Array(vec![other]));
                object
            }
        };
        object.insert("not".to_owned(), serde_json::json!({ "type": "null" }));
        Schema::from(object)
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
}

/// Implements `schemars::JsonSchema` for a derived patch (feature `schemars`).
///
/// Input: the impl's `#[allow(...)]`s (the derive's: none but those the model needs), then
/// `[impl generics] PatchType [where clause] "Name" inline "model doc"? deny_unknown;`, then per
/// field `#[cfg]s shape (arguments)? ["serialized key"?] ["read keys"]? "doc"? =>
/// PatchValueType`, where `shape` names a method of [`PatchSchema`] (`required`, `nullable`,
/// `nullable_option`, `map`, `flatten`, `custom`, `custom_one_way`) and the arguments are its
/// arguments after the keys and the description; a map's key type follows `| `.
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __sparse_patch_schema {
    (
        $(#[$allow:meta])* [$($generics:tt)*] $patch:ty [$($where:tt)*] $name:literal $inline:literal $($doc:literal)? ; $deny:literal
        $(, $(#[$cfg:meta])* $shape:ident $(($($arg:literal),*))? [$($ser:literal)?] $([$($de:literal),*])? $($field_doc:literal)? => $ty:ty $(| $key:ty)?)* $(,)?
    ) => {
        #[automatically_derived]
        $(#[$allow])*
        impl $($generics)* $crate::private::schemars::JsonSchema for $patch $($where)* {
            fn inline_schema() -> ::core::primitive::bool {
                $inline
            }

            fn schema_name() -> $crate::private::Cow<'static, ::core::primitive::str> {
                $crate::private::Cow::Borrowed($name)
            }

            fn schema_id() -> $crate::private::Cow<'static, ::core::primitive::str> {
                $crate::private::Cow::Borrowed(::core::concat!(::core::module_path!(), "::", $name))
            }

            fn json_schema(
                __generator: &mut $crate::private::schemars::SchemaGenerator,
            ) -> $crate::private::schemars::Schema {
                let mut __schema = $crate::private::PatchSchema::new(__generator, $deny, <Self as $crate::private::schemars::JsonSchema>::schema_id());
                $(__schema.describe($doc);)?
                $(
                    $(#[$cfg])*
                    {
                        let __written: &'static [&'static ::core::primitive::str] = &[$($ser)?];
                        let __keys = $crate::private::SchemaKeys { serialize: __written, deserialize: __written };
                        $(let __keys = $crate::private::SchemaKeys { serialize: __written, deserialize: &[$($de),*] };)?
                        let __doc: ::core::option::Option<&'static ::core::primitive::str> = ::core::option::Option::None;
                        $(let __doc = ::core::option::Option::Some($field_doc);)?
                        __schema.$shape::<$ty $(, $key)?>(__keys, __doc $($(, $arg)*)?);
                    }
                )*
                __schema.finish()
            }
        }
    };
}

/// Without the feature `schemars`: nothing.
#[cfg(not(feature = "schemars"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sparse_patch_schema {
    ($($input:tt)*) => {};
}

pub use __sparse_patch_schema as patch_schema;
