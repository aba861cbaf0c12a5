//! [`KeysSoFar`]: the keys that a patch with a flattened map has written, so that an entry of
//! the map given a key that a field of the patch also writes fails the write, rather than
//! write the key twice (`{"name":"a","name":"b"}`, whose meaning depends on the reader: RFC
//! 8259 §4).

use serde::Serialize;

use super::super::written_keys::{WrittenKeys, writes};

/// The keys written so far that a field and an entry of the flattened map may both write. The
/// fields are noted without allocating, as bits of their places in `fields.own` (the fields'
/// order, which is the order they are written in).
pub struct KeysSoFar {
    /// The keys of the patch's fields (`Patch::WRITTEN_KEYS`).
    fields: &'static WrittenKeys,
    /// Bit `i`: the field `fields.own[i]` is written (`i` below 128).
    written_fields: u128,
    /// Where in `fields.own` the next field written is looked for first.
    next: usize,
    /// The fields written whose place in `fields.own` is 128 or more.
    more_fields: Vec<&'static str>,
    /// The keys of the map's entries written so far that are also a field's key.
    written_entries: Vec<String>,
}

impl KeysSoFar {
    pub(super) const fn new(fields: &'static WrittenKeys) -> Self {
        KeysSoFar {
            fields,
            written_fields: 0,
            next: 0,
            more_fields: Vec::new(),
            written_entries: Vec::new(),
        }
    }

    /// Whether the field whose key is `key` has been written.
    fn field_written(&self, key: &str) -> bool {
        let own = self.fields.own;
        let found = own.iter().enumerate().any(|(place, name)| {
            *name == key && place < 128 && self.written_fields & (1 << place) != 0
        });
        found || self.more_fields.contains(&key)
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
        let own = self.fields.own;
        let ahead = own.get(self.next..).unwrap_or_default();
        let place = match ahead.iter().position(|key| *key == name) {
            Some(offset) => Some(self.next + offset),
            None => own.iter().position(|key| *key == name),
        };
        match place {
            Some(place) if place < 128 => {
                self.written_fields |= 1 << place;
                self.next = place + 1;
            }
            Some(place) => {
                self.more_fields.push(name);
                self.next = place + 1;
            }
            // A key that no entry is checked against.
            None => {}
        }
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
        let mut buffer = KeyBuffer::default();
        let key = match key_text(key, &mut buffer) {
            Some(KeyText::Short(text)) => text,
            Some(KeyText::Long(text)) => return self.entry_text(text),
            None => return Ok(()),
        };
        if !writes(self.fields, key) {
            return Ok(());
        }
        if self.field_written(key) {
            return Err(written_twice(key));
        }
        self.written_entries.push(key.to_owned());
        Ok(())
    }

    /// [`entry`](Self::entry) of a key's text that did not fit a [`KeyBuffer`].
    fn entry_text<E: serde::ser::Error>(&mut self, key: String) -> Result<(), E> {
        if !writes(self.fields, &key) {
            return Ok(());
        }
        if self.field_written(&key) {
            return Err(written_twice(&key));
        }
        self.written_entries.push(key);
        Ok(())
    }
}

/// A map key's text: in the caller's [`KeyBuffer`], or, longer than it or with an escape,
/// its own.
enum KeyText<'a> {
    Short(&'a str),
    Long(String),
}

/// The bytes of a key as JSON writes it, on the stack: a map entry's key is checked without
/// allocating where it is short and needs no escape (field names are).
struct KeyBuffer {
    bytes: [u8; 64],
    len: usize,
}

impl Default for KeyBuffer {
    fn default() -> Self {
        KeyBuffer {
            bytes: [0; 64],
            len: 0,
        }
    }
}

impl std::io::Write for KeyBuffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let end = self.len + data.len();
        let Some(room) = self.bytes.get_mut(self.len..end) else {
            return Err(std::io::ErrorKind::WriteZero.into());
        };
        room.copy_from_slice(data);
        self.len = end;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The text of a map's key as JSON writes it: a string, or an integer or a `bool` in a
/// string; `None` for a key of another kind, which is no field's key.
fn key_text<'a, K: Serialize + ?Sized>(key: &K, buffer: &'a mut KeyBuffer) -> Option<KeyText<'a>> {
    if serde_json::to_writer(&mut *buffer, key).is_err() {
        return long_key_text(key);
    }
    let text = match &buffer.bytes[..buffer.len] {
        [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => inner,
        [b'"', ..] => return long_key_text(key),
        // An object, an array or `null`: no key.
        [b'{' | b'[' | b'n', ..] | [] => return None,
        // A number or a `bool`.
        other => other,
    };
    std::str::from_utf8(text).ok().map(KeyText::Short)
}

/// [`key_text`] of a key too long for a [`KeyBuffer`] or written with an escape.
#[cold]
fn long_key_text<'a, K: Serialize + ?Sized>(key: &K) -> Option<KeyText<'a>> {
    match serde_json::to_value(key).ok()? {
        serde_json::Value::String(text) => Some(KeyText::Long(text)),
        serde_json::Value::Number(number) => Some(KeyText::Long(number.to_string())),
        serde_json::Value::Bool(value) => Some(KeyText::Long(value.to_string())),
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

#[cfg(test)]
mod tests {
    use super::*;

    type Error = serde_json::Error;

    /// A patch of 130 fields, `k0` to `k129`.
    fn keys() -> &'static WrittenKeys {
        let own: Vec<&'static str> = (0..130)
            .map(|index| &*Box::leak(format!("k{index}").into_boxed_str()))
            .collect();
        Box::leak(Box::new(WrittenKeys {
            own: Box::leak(own.into_boxed_slice()),
            read: &[],
            flattened: &[],
        }))
    }

    #[test]
    fn a_key_written_by_a_field_and_an_entry_fails_in_either_order_at_any_place() {
        let mut keys_so_far = KeysSoFar::new(keys());
        // Fields, one past the bits' 128, then entries.
        for name in ["k3", "k1", "k129"] {
            keys_so_far.field::<Error>(name).unwrap();
        }
        for key in ["k3", "k1", "k129"] {
            let error = keys_so_far.entry::<Error, _>(key).unwrap_err().to_string();
            assert!(
                error.contains(&format!("the key `{key}` is written twice")),
                "{error}"
            );
        }
        keys_so_far.entry::<Error, _>("k2").unwrap();
        keys_so_far.entry::<Error, _>("other").unwrap();
        // An entry, then the field.
        let error = keys_so_far.field::<Error>("k2").unwrap_err().to_string();
        assert!(error.contains("the key `k2` is written twice"), "{error}");
        // An integer key is the field `5`'s.
        let mut keys_so_far = KeysSoFar::new(&WrittenKeys {
            own: &["5"],
            read: &[],
            flattened: &[],
        });
        keys_so_far.field::<Error>("5").unwrap();
        assert!(keys_so_far.entry::<Error, _>(&5_u8).is_err());
        // Keys that do not fit the buffer on the stack, or need an escape, are read whole.
        let long = "k".repeat(100);
        let own: &'static [&'static str] = Box::leak(
            vec![
                &*Box::leak(long.clone().into_boxed_str()),
                "a\"b",
                "1.5",
                "true",
            ]
            .into_boxed_slice(),
        );
        let mut keys_so_far = KeysSoFar::new(Box::leak(Box::new(WrittenKeys {
            own,
            read: &[],
            flattened: &[],
        })));
        for name in own {
            keys_so_far.field::<Error>(name).unwrap();
        }
        assert!(keys_so_far.entry::<Error, _>(long.as_str()).is_err());
        assert!(keys_so_far.entry::<Error, _>("a\"b").is_err());
        assert!(keys_so_far.entry::<Error, _>(&1.5_f64).is_err());
        assert!(keys_so_far.entry::<Error, _>(&true).is_err());
        keys_so_far.entry::<Error, _>("k").unwrap();
        keys_so_far.entry::<Error, _>(&()).unwrap();
    }
}
