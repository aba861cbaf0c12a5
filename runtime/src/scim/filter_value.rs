//! [`scim_filter_value`]: a value written as a SCIM filter's comparison value.

use serde_json::Value;

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
