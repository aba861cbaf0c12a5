//! The shape of a SCIM operation (RFC 7644 §3.5.2), told from the operation alone: what
//! PingOne answers with a 400 for a malformed operation whatever the user holds, or takes and
//! drops without a word (a path-less value's member that is a path), and a schema URN's path,
//! which names no attribute of a PingOne user. The attributes it names are
//! [`scim`](super::scim)'s to check.

use serde_json::Value;

use super::ErrorDetail;
use crate::ScimOp;
use crate::scim::has_urn_prefix;

/// The fault of an operation whose shape RFC 7644 §3.5.2 does not allow, as the detail that
/// [`check_scim_patch`](super::check_scim_patch) reports, or `None`. `attribute` is the
/// attribute that `path` starts with.
pub(super) fn malformed(
    op: ScimOp,
    path: Option<&str>,
    attribute: Option<&str>,
    value: Option<&Value>,
) -> Option<ErrorDetail> {
    let detail = |target: Option<&str>, message: String| {
        Some(ErrorDetail::new("INVALID_VALUE", target, message))
    };
    if let Some(name) = path
        .into_iter()
        .chain(match (op, value) {
            (ScimOp::Add | ScimOp::Replace, Some(Value::Object(members))) if path.is_none() => {
                members.keys().map(String::as_str).collect()
            }
            _ => Vec::new(),
        })
        .find(|name| has_urn_prefix(name))
    {
        return detail(
            None,
            format!(
                "{} starts with a schema URN (RFC 7644 §3.10), which names no attribute of a PingOne user: a user has no SCIM schema extension, and its custom attributes are named alone (costCenter); write the attribute's own name, without the URN",
                crate::quoted::cut(name, 128)
            ),
        );
    }
    if let Some(path) = path
        && let Some(reason) = path_fault(path)
    {
        return detail(
            attribute.filter(|name| !name.is_empty()),
            format!(
                "the path is not a SCIM path (RFC 7644 §3.5.2, `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`): {reason}"
            ),
        );
    }
    match (op, path, value) {
        (ScimOp::Remove, None, _) => detail(
            None,
            String::from(
                "a remove needs a path, the attribute to remove (RFC 7644 §3.5.2.2: noTarget)",
            ),
        ),
        // Entra ID's way to remove some values of a multi-valued attribute (a group's members
        // with `"value": [{"value": "…"}]`): the value is no part of a `remove`, which removes
        // all that its path names.
        (ScimOp::Remove, Some(_), Some(value)) if !value.is_null() => detail(
            attribute,
            String::from(
                "a remove takes no value: it removes all that its path names (RFC 7644 §3.5.2.2); to remove some values of a multi-valued attribute, name them with a filter (attr[sub eq \"value\"])",
            ),
        ),
        (ScimOp::Add | ScimOp::Replace, None, Some(Value::Object(members))) => {
            // "A set of attributes" (RFC 7644 §3.5.2.1): a member named by a path
            // (`name.givenName`, as Entra ID writes sub-attributes) is no attribute, and
            // PingOne drops it as an unknown one, answering 200.
            let name = members.keys().find(|name| !is_attribute_name(name))?;
            detail(
                Some(name),
                format!(
                    "{name} is not an attribute name: {} without a path holds attributes by name (RFC 7644 §3.5.2.1), and a path there is dropped as an unknown attribute; send it as an operation of its own, with {name:?} as its path",
                    with_article(op)
                ),
            )
        }
        (ScimOp::Add | ScimOp::Replace, None, _) => detail(
            None,
            format!(
                "{} without a path needs an object of attributes as its value (RFC 7644 §3.5.2.1), not {}",
                with_article(op),
                kind_of(value)
            ),
        ),
        _ => None,
    }
}

/// The operation's name after its article, for a message: `an add`, `a replace`.
pub(super) fn with_article(op: ScimOp) -> String {
    match op {
        ScimOp::Add => format!("an {op}"),
        _ => format!("a {op}"),
    }
}

/// What a value is, for a message.
fn kind_of(value: Option<&Value>) -> &'static str {
    match value {
        None => "no value",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(_)) => "an array",
        Some(Value::Object(_)) => "an object",
    }
}

/// An attribute name as a SCIM path writes it: `ATTRNAME` (`ALPHA *(ALPHA / DIGIT / "-" /
/// "_")`, RFC 7643 §2.1), or `$ref`.
fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    name == "$ref"
        || (chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

/// What makes `path` other than a SCIM path (`attrPath` or `valuePath` and a sub-attribute,
/// RFC 7644 §3.5.2 "PATH" and §3.4.2.2 Figure 1), or `None`. The filter between the brackets
/// is PingOne's to read: only where it ends is found here (`]` outside a quoted string).
fn path_fault(path: &str) -> Option<String> {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    let name = |name: &str, what: &str| {
        (!is_attribute_name(name)).then(|| format!("{name:?} is not an attribute name ({what})"))
    };
    if let Some(fault) = name(&path[..end], "the attribute") {
        return Some(fault);
    }
    let mut rest = &path[end..];
    if let Some(filter) = rest.strip_prefix('[') {
        let Some(close) = filter_end(filter) else {
            return Some(String::from("the filter's `[` has no `]`"));
        };
        rest = &filter[close + 1..];
    }
    if rest.is_empty() {
        return None;
    }
    match rest.strip_prefix('.') {
        Some(sub) if sub.contains(['.', '[']) => Some(format!(
            "{sub:?} goes below a sub-attribute, where SCIM paths end (one `.sub`)"
        )),
        Some(sub) => name(sub, "the sub-attribute"),
        None => Some(format!(
            "{rest:?} follows the filter, where only `.sub` may"
        )),
    }
}

/// Where the filter that follows a `[` ends: its `]` outside a string in double quotes (whose
/// `\` escapes the next character, as in JSON).
fn filter_end(filter: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (at, byte) in filter.bytes().enumerate() {
        match (quoted, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => quoted = false,
            (false, _, b'"') => quoted = true,
            (false, _, b']') => return Some(at),
            _ => {}
        }
    }
    None
}
