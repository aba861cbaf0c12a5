//! [`Variant`]: the fields of an enum variant with data, walked as [`Members`] are, each
//! found number named inside the variant's name.

use serde::ser::{self, Serialize};

use super::found::{Found, Segment};
use super::members::Members;

/// The fields of an enum variant with data, which serde_json writes as `{"variant": ...}`.
pub(super) struct Variant {
    pub(super) variant: &'static str,
    pub(super) members: Members,
}

impl Variant {
    fn inside(&self, found: Found) -> Found {
        found.within(Segment::Name(self.variant.to_owned()))
    }
}

impl ser::SerializeTupleVariant for Variant {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.members
            .element(value)
            .map_err(|found| self.inside(found))
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Variant {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.members
            .member(name, value)
            .map_err(|found| self.inside(found))
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}
