//! A property of the patch object, under each key serde reads, and the keys it refuses
//! together.

use schemars::Schema;
use serde_json::{Map, Value};

use super::super::map_keys::no_integer_keys;
use super::metadata::insert_title_and_description;
use super::{PatchSchema, SchemaKeys};

impl PatchSchema<'_> {
    pub(super) fn property(
        &mut self,
        keys: SchemaKeys,
        schema: Schema,
        description: Option<&'static str>,
    ) {
        let mut schema = self.with_field_keywords(schema);
        if self.flattened && self.generator.contract().is_deserialize() {
            let mut value = schema.to_value();
            no_integer_keys(&mut value);
            schema = Schema::try_from(value).unwrap_or_else(|_| Schema::default());
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

    /// `names` refuse one another: present beside one, another fails.
    pub(super) fn exclude_together(&mut self, names: &[&str]) {
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

    /// Whether `key` is a key of this object's own fields (not of a flattened struct's):
    /// until [`finish`](Self::finish) merges them, `properties` holds only those.
    pub(super) fn properties_of_own(&self, key: &str) -> bool {
        self.properties.contains_key(key)
    }
}
