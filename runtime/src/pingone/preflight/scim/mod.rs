//! Pre-flight of a SCIM PatchOp message (RFC 7644 §3.5.2): each operation that names a user's
//! attribute is checked against the rules of a merge patch that would make the same change,
//! so that switching dialects does not lose the safety net of [`serialize_checked`](super::serialize_checked).
//!
//! What an operation names, and the merge patch it is checked as:
//!
//! - `attr` (`replace`, `add`): `{"attr": value}`; `remove`: `{"attr": null}` (a required
//!   attribute, `username` or `email`, is refused as its `null` is);
//! - `attr.sub`: `{"attr": {"sub": value}}`, or `null` for a `remove` (`photo.href`); not
//!   where `attr` is a simple attribute that a rule checks (`title.sub`), a path that PingOne
//!   refuses as such;
//! - no path (`add` or `replace` with an object value): the object itself, member by member;
//! - `attr[filter]` and `attr[filter].sub`: only whether `attr` is read-only (no core
//!   attribute that a rule checks is multi-valued, so the filter selects nothing they rule).
//!
//! Names are compared exactly, as PingOne's attribute names are (the emulator's SCIM paths
//! too). What the message's rules cannot tell without the user (a filter that matches nothing,
//! a value that only the whole user breaks, the 16 KiB profile limit) is PingOne's to judge.
//!
//! Its unit tests are in `tests`.

use serde_json::{Map, Value};

use super::read_json::check_value_quoted;
use super::{CheckedFor, Error, ErrorDetail, RulesBroken, fault_text, listed_faults};
use super::{rules, scim_shape};
use crate::{ScimOp, ScimPatch};

#[cfg(test)]
mod tests;

/// How many characters of an operation's path a fault quotes.
const PATH_CHARS: usize = 128;

/// Checks SCIM operations against PingOne's rules as the client does before sending them
/// ([`update_user_scim_patch`](super::super::Client::update_user_scim_patch), unless
/// [`preflight`](super::super::ClientBuilder::preflight) is off), without sending anything:
/// each operation that names an attribute, as the merge patch that would make its change
/// (`replace name.family` as `{"name": {"family": …}}`, a `remove` as `null` there, a
/// path-less value member by member, and only the read-only check at a filter's path). What
/// only the whole user can tell (a filter that matches nothing, the 16 KiB profile limit) is
/// PingOne's to judge. [`check_patch`](super::check_patch) checks a merge patch. The error's
/// text says what is wrong, and not, as the client's does, that nothing was sent.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::pingone::{Error, check_scim_patch};
/// use sparse_patch::{ScimOperation, ScimPatch};
///
/// let message = ScimPatch::new(vec![
///     ScimOperation::replace("name.given", json!("Ada")),
///     ScimOperation::replace("createdAt", json!("2020-01-01T00:00:00Z")),
/// ]);
/// let Err(error @ Error::Preflight { .. }) = check_scim_patch(&message) else { panic!() };
/// assert_eq!(error.target(), Some("createdAt"));
/// assert!(error.to_string().contains(r#"operation 2 (replace "createdAt")"#), "{error}");
/// ```
///
/// # Errors
///
/// [`Error::Preflight`] naming every fault, by its operation (from 1), its `op` and path,
/// and its attribute (each detail's message starts with its operation, and its `target` is
/// the attribute): a read-only attribute (`createdAt`, `id`, `lifecycle`...), a value a rule
/// refuses, the removal of a required attribute, a name that PingOne ignores (one that no
/// attribute can have, `cost_center`), or an operation whose shape RFC 7644 §3.5.2 does not
/// allow (a path that is none, a `remove` without a path or with a value, an `add` or
/// `replace` whose value is `null` or, without a path, not an object of attribute names, a
/// schema URN's path, which names no attribute of a PingOne user).
#[cfg(feature = "client")]
pub fn check_scim_patch(patch: &ScimPatch) -> Result<(), Error> {
    check_scim_operations(patch, CheckedFor::CheckOnly)
}

/// [`check_scim_patch`], the error's text ending as `for_whom` says: the client's call says
/// that nothing was sent.
pub(crate) fn check_scim_operations(patch: &ScimPatch, for_whom: CheckedFor) -> Result<(), Error> {
    let mut faults = Vec::new();
    let mut refused = Vec::new();
    for (index, operation) in patch.operations.iter().enumerate() {
        let details = operation_details(
            operation.op,
            operation.path.as_deref(),
            operation.value.as_ref(),
        );
        if details.is_empty() {
            continue;
        }
        let which = match operation.path.as_deref() {
            Some(path) => format!(
                "operation {} ({} {})",
                index + 1,
                operation.op,
                crate::quoted::Quoted {
                    text: path,
                    max: PATH_CHARS
                }
            ),
            None => format!("operation {} ({} without a path)", index + 1, operation.op),
        };
        for mut detail in details {
            let text = format!("{which}: {}", fault_text(&detail));
            detail.message = Some(text.clone());
            faults.push(text);
            refused.push(detail);
        }
    }
    if faults.is_empty() {
        return Ok(());
    }
    Err(RulesBroken {
        text: format!(
            "the SCIM operations break PingOne's rules {}",
            listed_faults(&faults)
        ),
        details: refused,
    }
    .into_error(for_whom))
}

/// The faults of one operation.
fn operation_details(op: ScimOp, path: Option<&str>, value: Option<&Value>) -> Vec<ErrorDetail> {
    // A shape that PingOne refuses (or drops) whatever the user holds: a path that is none, a
    // `remove` without a path or with a value, a path-less value that is not an object of
    // attributes. Said after a read-only fault of the attribute the path names.
    if let Some(detail) = scim_shape::malformed(op, path, path.map(attribute_of), value) {
        // Only a read-only attribute: a name that is none is the shape's fault already.
        let mut details: Vec<ErrorDetail> = path
            .map(attribute_of)
            .and_then(|attribute| {
                rules::read_only(attribute).map(|how| rules::read_only_detail(attribute, how))
            })
            .into_iter()
            .collect();
        details.push(detail);
        return details;
    }
    // What the operation sets: `null` for a `remove`. An `add` or a `replace` without a value
    // (or with `null`) sets nothing, and PingOne refuses it as malformed with a 400 (RFC 7644
    // §3.5.2.1 and §3.5.2.3 give both a value): at a path, said here, after a read-only fault.
    let value = match (op, value) {
        (ScimOp::Remove, _) => Value::Null,
        (_, None | Some(Value::Null)) => {
            let Some(path) = path else {
                // Said by `malformed`.
                return Vec::new();
            };
            let attribute = attribute_of(path);
            let mut details = read_only_of(attribute);
            details.push(ErrorDetail::new(
                "INVALID_VALUE",
                Some(attribute),
                format!(
                    "{attribute} is given no value: {} needs a value other than null (RFC 7644 §3.5.2), and `remove` clears an attribute",
                    scim_shape::with_article(op)
                ),
            ));
            return details;
        }
        (_, Some(value)) => value.clone(),
    };
    let Some(path) = path else {
        // The members of an object value, each as an attribute; another value is malformed
        // (said by `malformed`).
        return match value {
            Value::Object(_) => check_value_quoted(&value),
            _ => Vec::new(),
        };
    };
    let attribute = attribute_of(path);
    let rest = &path[attribute.len()..];
    let fragment = if rest.is_empty() {
        value
    } else if rules::rule(attribute).is_some() {
        // `title.sub`: a sub-attribute of a simple attribute, which PingOne refuses as a path
        // (`invalidPath`), not as a value.
        return Vec::new();
    } else if let Some(sub) = rest.strip_prefix('.')
        && !sub.is_empty()
        && !sub.contains(['.', '['])
    {
        Value::Object(Map::from_iter([(sub.to_owned(), value)]))
    } else {
        // A filter, or a path that PingOne refuses as malformed.
        return read_only_of(attribute);
    };
    check_value_quoted(&Value::Object(Map::from_iter([(
        attribute.to_owned(),
        fragment,
    )])))
}

/// The attribute a path starts with: up to its first `.` or `[`.
fn attribute_of(path: &str) -> &str {
    path.find(['.', '[']).map_or(path, |end| &path[..end])
}

/// The fault of an `attribute` that PingOne ignores (a read-only one, or a name that no
/// attribute can have: [`rules::ignored_attribute`]), if it is one.
fn read_only_of(attribute: &str) -> Vec<ErrorDetail> {
    rules::ignored_attribute(attribute).into_iter().collect()
}
