//! [`ScimOp`], the `op` of a SCIM PATCH operation (RFC 7644 §3.5.2).

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `op` of a [`ScimOperation`](crate::ScimOperation). Written in lower case; read in any case, as RFC 7644
/// §3.5.2 leaves case to the attribute rules and services send `Add` and `Replace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScimOp {
    /// Adds a value, or merges sub-attributes into a complex attribute (§3.5.2.1).
    Add,
    /// Removes the attribute, or the elements that a filter selects (§3.5.2.2).
    Remove,
    /// Replaces the value, or the sub-attributes given for a complex attribute (§3.5.2.3).
    Replace,
}

impl ScimOp {
    /// The operation's name as written: `add`, `remove` or `replace`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ScimOp::Add => "add",
            ScimOp::Remove => "remove",
            ScimOp::Replace => "replace",
        }
    }
}

impl fmt::Display for ScimOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for ScimOp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ScimOp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        [ScimOp::Add, ScimOp::Remove, ScimOp::Replace]
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(&name))
            .ok_or_else(|| serde::de::Error::unknown_variant(&name, &["add", "remove", "replace"]))
    }
}
