//! [`KeysSoFar`]: the keys that a patch with a flattened map has written, so that an entry of
//! the map given a key that a field of the patch also writes fails the write, rather than
//! write the key twice (`{"name":"a","name":"b"}`, whose meaning depends on the reader: RFC
//! 8259 §4).

use serde::Serialize;

use super::super::written_keys::{WrittenKeys, writes};

/// The keys written so far that a field and an entry of the flattened map may both write.
pub struct KeysSoFar {
    /// The keys of the patch's fields (`Patch::WRITTEN_KEYS`).
    fields: &'static WrittenKeys,
    /// The keys of the fields written so far.
    written_fields: Vec<&'static str>,
    /// The keys of the map's entries written so far that are also a field's key.
    written_entries: Vec<String>,
}

impl KeysSoFar {
    pub(super) const fn new(fields: &'static WrittenKeys) -> Self {
        KeysSoFar {
            fields,
            written_fields: Vec::new(),
            written_entries: Vec::new(),
        }
    }

    /// Notes the field `name` as written.
    ///
    /// # Errors
    ///
    /// An entry of the map has written `name` already.
    pub(super) fn field<E: serde::ser::Error>(&mut self, name: &'static str) -> Result<(), E> {
        if self.written_entries.iter().any(|key| key == name) {
            return Err(written_twice(name));
        }
        self.written_fields.push(name);
        Ok(())
    }

    /// Notes the map's entry `key` as written. A key that is not written as a string, an
    /// integer or a `bool` is no field's key.
    ///
    /// # Errors
    ///
    /// A field has written `key` already.
    pub(super) fn entry<E: serde::ser::Error, K: Serialize + ?Sized>(
        &mut self,
        key: &K,
    ) -> Result<(), E> {
        if self.fields.own.is_empty() && self.fields.flattened.is_empty() {
            return Ok(());
        }
        let Some(key) = key_text(key) else {
            return Ok(());
        };
        if !writes(self.fields, &key) {
            return Ok(());
        }
        if self.written_fields.contains(&key.as_str()) {
            return Err(written_twice(&key));
        }
        self.written_entries.push(key);
        Ok(())
    }
}

/// The text of a map's key as JSON writes it: a string, or an integer or a `bool` in a
/// string.
fn key_text<K: Serialize + ?Sized>(key: &K) -> Option<String> {
    match serde_json::to_value(key).ok()? {
        serde_json::Value::String(text) => Some(text),
        serde_json::Value::Number(number) => Some(number.to_string()),
        serde_json::Value::Bool(value) => Some(value.to_string()),
        _ => None,
    }
}

/// The error for the key `key`, which a field of the patch and an entry of its flattened map
/// both write.
fn written_twice<E: serde::ser::Error>(key: &str) -> E {
    E::custom(format_args!(
        "the key `{key}` is written twice, by a field of the patch and by an entry of its flattened map: a JSON object's keys should be unique (RFC 8259 §4), and a reader takes either value; set the field through its own setter, not the map's"
    ))
}
