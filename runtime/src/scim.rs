//! SCIM PATCH operations (RFC 7644 §3.5.2): the message ([`ScimPatch`]), its operations
//! ([`ScimOperation`], [`ScimOp`]), and the quoting of a filter's value (RFC 7644 §3.4.2.2).
//!
//! PingOne's users endpoint takes this message with
//! `Content-Type: application/vnd.pingidentity.user.scim.patch+json` ([`SCIM_PATCH_CONTENT_TYPE`]).

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The URI that a PatchOp message lists in `schemas` (RFC 7644 §3.5.2).
pub const SCIM_PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The media type with which PingOne's `PATCH /environments/{environmentID}/users/{userID}`
/// reads a body of SCIM operations rather than a JSON merge patch.
pub const SCIM_PATCH_CONTENT_TYPE: &str = "application/vnd.pingidentity.user.scim.patch+json";

/// A SCIM PatchOp message (RFC 7644 §3.5.2): operations applied in order, all or none.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{ScimOp, ScimOperation, ScimPatch};
///
/// let patch = ScimPatch::new(vec![
///     ScimOperation::replace("name.given", json!("Dave")),
///     ScimOperation::remove(r#"emails[type eq "work"]"#),
/// ]);
/// assert_eq!(
///     serde_json::to_value(&patch).unwrap(),
///     json!({
///         "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///         "Operations": [
///             {"op": "replace", "path": "name.given", "value": "Dave"},
///             {"op": "remove", "path": "emails[type eq \"work\"]"}
///         ]
///     })
/// );
/// assert_eq!(patch.operations[1].op, ScimOp::Remove);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScimPatch {
    /// The message's schema URIs: [`SCIM_PATCH_OP_SCHEMA`].
    pub schemas: Vec<String>,
    /// The operations, applied in order (`Operations` in JSON).
    #[serde(rename = "Operations")]
    pub operations: Vec<ScimOperation>,
}

impl ScimPatch {
    /// A PatchOp message with `operations`, listing [`SCIM_PATCH_OP_SCHEMA`].
    #[must_use]
    pub fn new(operations: Vec<ScimOperation>) -> Self {
        ScimPatch {
            schemas: vec![SCIM_PATCH_OP_SCHEMA.to_owned()],
            operations,
        }
    }

    /// Returns `true` when the message holds no operation: it would change nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }
}

/// One operation of a [`ScimPatch`] (RFC 7644 §3.5.2): `op`, an optional attribute `path`
/// (`name.given`, `emails[type eq "work"].value`; RFC 7644 §3.5.2 "PATH") and an optional
/// `value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScimOperation {
    /// What the operation does.
    pub op: ScimOp,
    /// The attribute it targets; `None` targets the resource itself (`add` and `replace` with
    /// an object value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The value to add or replace with; `None` for `remove`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl ScimOperation {
    /// `{"op": "add", "path": path, "value": value}` (RFC 7644 §3.5.2.1).
    #[must_use]
    pub fn add(path: impl Into<String>, value: Value) -> Self {
        ScimOperation {
            op: ScimOp::Add,
            path: Some(path.into()),
            value: Some(value),
        }
    }

    /// `{"op": "replace", "path": path, "value": value}` (RFC 7644 §3.5.2.3).
    #[must_use]
    pub fn replace(path: impl Into<String>, value: Value) -> Self {
        ScimOperation {
            op: ScimOp::Replace,
            path: Some(path.into()),
            value: Some(value),
        }
    }

    /// `{"op": "remove", "path": path}` (RFC 7644 §3.5.2.2).
    #[must_use]
    pub fn remove(path: impl Into<String>) -> Self {
        ScimOperation {
            op: ScimOp::Remove,
            path: Some(path.into()),
            value: None,
        }
    }
}

/// The `op` of a [`ScimOperation`]. Written in lower case; read in any case, as RFC 7644
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
        f.write_str(self.as_str())
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
            .ok_or_else(|| {
                serde::de::Error::unknown_variant(&name, &["add", "remove", "replace"])
            })
    }
}

/// A value written as a SCIM filter's comparison value (RFC 7644 §3.4.2.2, whose values are
/// JSON values, RFC 7159): a string in double quotes with `"`, `\` and control characters
/// escaped as JSON escapes them; a number, `true`, `false` or `null` as it is.
///
/// Returns `None` for an array or an object, which a filter cannot compare with.
///
/// ```
/// use serde_json::json;
///
/// assert_eq!(sparse_patch::scim_filter_value(&json!(r#"say "hi""#)).as_deref(), Some(r#""say \"hi\"""#));
/// assert_eq!(sparse_patch::scim_filter_value(&json!(7)).as_deref(), Some("7"));
/// assert_eq!(sparse_patch::scim_filter_value(&json!([1])), None);
/// ```
#[must_use]
pub fn scim_filter_value(value: &Value) -> Option<String> {
    match value {
        Value::Array(_) | Value::Object(_) => None,
        scalar => Some(scalar.to_string()),
    }
}
