//! JSON Pointers (RFC 6901) in a document: their tokens, their prefixes, array indexes, and
//! the walk to the value they name.

use serde_json::Value;

use super::PointerFault;

/// The unescaped reference tokens of `path` (RFC 6901 §4: `~1` is `/`, then `~0` is `~`).
pub(crate) fn tokens(path: &str) -> Result<Vec<String>, PointerFault> {
    if let Some(reason) = crate::json_patch::pointer_fault(path) {
        return Err(PointerFault::NotAPointer { reason });
    }
    Ok(path
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// The pointer of the first `count` tokens of `path`, as written.
pub(super) fn prefix(path: &str, count: usize) -> String {
    path.split('/')
        .take(count + 1)
        .collect::<Vec<_>>()
        .join("/")
}

/// An array index token (RFC 6901 §4: `0`, or digits without a leading zero). One too large
/// for a `usize` is still an index, past the end of any array: `usize::MAX`, which no array's
/// length reaches, so that it is [`PointerFault::Missing`] or [`PointerFault::PastTheEnd`]
/// as any other index past the end is, not "not an array index".
pub(super) fn index(token: &str) -> Option<usize> {
    let digits = token.bytes().all(|byte| byte.is_ascii_digit());
    if token.is_empty() || !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    Some(token.parse().unwrap_or(usize::MAX))
}

/// The JSON kind of a value that has no members, for [`PointerFault::IntoAValue`].
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "null",
    }
}

/// The value at the first `count` tokens of `path`, which must exist.
pub(super) fn walk<'v>(
    mut value: &'v mut Value,
    path: &str,
    tokens: &[String],
) -> Result<&'v mut Value, PointerFault> {
    for (depth, token) in tokens.iter().enumerate() {
        let at = || prefix(path, depth + 1);
        value = match value {
            Value::Object(members) => members
                .get_mut(token)
                .ok_or_else(|| PointerFault::Missing { at: at() })?,
            Value::Array(elements) => {
                let place = index(token).ok_or_else(|| PointerFault::NotAnIndex { at: at() })?;
                elements
                    .get_mut(place)
                    .ok_or_else(|| PointerFault::Missing { at: at() })?
            }
            other => {
                return Err(PointerFault::IntoAValue {
                    at: at(),
                    found: kind(other),
                });
            }
        };
    }
    Ok(value)
}
