//! [`Members`]: the members or elements of a compound value (a sequence, a tuple, a map, a
//! struct) walked with [`Probe`], each found number named by its index or its key.

use serde::ser::{self, Serialize};

use super::Probe;
use super::found::{Found, Segment};

/// The members or elements of a compound value, walked with [`Probe`].
pub(super) struct Members {
    wide: bool,
    /// The next element's index (sequences, tuples).
    index: usize,
    /// The key of a map entry whose value comes next, as its JSON text would name it.
    key: Option<String>,
}

impl Members {
    pub(super) fn new(probe: Probe) -> Self {
        Members {
            wide: probe.wide,
            index: 0,
            key: None,
        }
    }

    pub(super) fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let index = self.index;
        self.index += 1;
        value
            .serialize(Probe { wide: self.wide })
            .map_err(|found| found.within(Segment::Index(index)))
    }

    pub(super) fn member<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<(), Found> {
        value
            .serialize(Probe { wide: self.wide })
            .map_err(|found| found.within(Segment::Name(name.to_owned())))
    }
}

/// A map key as the JSON names it (serde_json writes a number or a boolean key as a string).
fn key_text<K: Serialize + ?Sized>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

impl ser::SerializeSeq for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTuple for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeMap for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        // The text is needed only to name a number found in the value; an entry written with
        // `serialize_entry` (serde's maps, `flatten`) makes it only then.
        self.key = Some(key_text(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let key = self.key.take().unwrap_or_default();
        self.member(&key, value)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Found> {
        value
            .serialize(Probe { wide: self.wide })
            .map_err(|found| found.within(Segment::Name(key_text(key))))
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStruct for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.member(name, value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}
