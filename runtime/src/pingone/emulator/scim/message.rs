//! Reading a SCIM PatchOp message (RFC 7644 §3.5.2) into operations, each checked, and the
//! attribute paths that they touch.

use serde_json::{Map, Value};

use super::path::{NO_SCHEMA_URN, Path, has_urn_prefix, is_attribute_name, read_path};
use crate::pingone::ErrorDetail;
use crate::pingone::emulator::validation;
pub(super) use crate::scim::kind_of;
use crate::{SCIM_PATCH_OP_SCHEMA, ScimOp, ScimOperation};

/// Why a message or one of its operations was refused: one `INVALID_VALUE` detail of a 400
/// `INVALID_DATA`, whose `target` is the operation's path (or the part of the message at fault).
#[derive(Debug, PartialEq)]
pub(crate) struct Invalid {
    pub(super) target: String,
    pub(super) message: String,
}

impl Invalid {
    pub(super) fn new(target: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            target: target.into(),
            message: message.into(),
        }
    }

    /// The error body's detail.
    pub(crate) fn detail(&self) -> ErrorDetail {
        ErrorDetail::new("INVALID_VALUE", Some(&self.target), self.message.as_str())
    }
}

/// One operation, read and checked; an `add` or `replace` without a path is one operation
/// per member of its value.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The path as sent, or `Operations[i]` without one: an error's target.
    pub(super) target: String,
    pub(super) change: Change,
}

#[derive(Debug)]
pub(super) enum Change {
    /// `add` (`append`: arrays get elements) or `replace` (arrays are replaced).
    Put {
        path: Path,
        value: Value,
        append: bool,
    },
    Remove(Path),
}

/// Reads a PatchOp message (RFC 7644 §3.5.2): `schemas` lists [`SCIM_PATCH_OP_SCHEMA`],
/// `Operations` holds one operation or more, each with a known `op` (any case), a well-formed
/// path, a `value` other than `null` for `add` and `replace` (an object when there is no
/// path) and a path for `remove`.
///
/// The message's own attribute names are read in any ASCII case (`operations`, `Schemas`), as
/// RFC 7643 §2.1 reads attribute names and as [`ScimPatch`](crate::ScimPatch) reads them, and
/// so is the PatchOp URI; a name given twice in two cases is refused, as it is ambiguous.
pub(crate) fn read_message(mut body: Map<String, Value>) -> Result<Vec<Operation>, Invalid> {
    let schemas = take_in_any_case(&mut body, "schemas")?;
    let lists_schema = schemas
        .as_ref()
        .and_then(Value::as_array)
        .is_some_and(|uris| {
            uris.iter()
                .filter_map(Value::as_str)
                .any(|uri| uri.eq_ignore_ascii_case(SCIM_PATCH_OP_SCHEMA))
        });
    if !lists_schema {
        return Err(Invalid::new(
            "schemas",
            format!("A SCIM PATCH body must list {SCIM_PATCH_OP_SCHEMA} in schemas."),
        ));
    }
    let operations = match take_in_any_case(&mut body, "Operations")? {
        Some(Value::Array(operations)) if !operations.is_empty() => operations,
        _ => {
            return Err(Invalid::new(
                "Operations",
                "A SCIM PATCH body must hold an array of one or more Operations.",
            ));
        }
    };
    let mut out = Vec::with_capacity(operations.len());
    for (index, operation) in operations.into_iter().enumerate() {
        read_operation(index, operation, &mut out)?;
    }
    Ok(out)
}

/// Takes the member `name` of a message, written in any ASCII case (RFC 7643 §2.1); two members
/// that are `name` in two cases are refused rather than one of them read and the other ignored.
fn take_in_any_case(body: &mut Map<String, Value>, name: &str) -> Result<Option<Value>, Invalid> {
    let mut found = body.keys().filter(|key| key.eq_ignore_ascii_case(name));
    let Some(key) = found.next().cloned() else {
        return Ok(None);
    };
    if let Some(other) = found.next() {
        return Err(Invalid::new(
            name,
            format!(
                "A SCIM PATCH body names {name} twice ({key:?} and {other:?}): attribute names \
                 are read in any case (RFC 7643 §2.1)."
            ),
        ));
    }
    Ok(body.remove(&key))
}

/// Reads the operation at `index` into `out`.
fn read_operation(index: usize, operation: Value, out: &mut Vec<Operation>) -> Result<(), Invalid> {
    let at = format!("Operations[{index}]");
    let ScimOperation { op, path, value } = serde_json::from_value(operation)
        .map_err(|error| Invalid::new(&at, format!("The operation is malformed: {error}.")))?;
    let target = path.clone().unwrap_or(at);
    let path = match path {
        Some(text) => Some(read_path(&text).map_err(|reason| {
            Invalid::new(
                &target,
                format!("The path {text:?} is malformed: {reason}."),
            )
        })?),
        None => None,
    };
    let refuse = |message: &str| Err(Invalid::new(&target, message));
    let append = op == ScimOp::Add;
    let change = match (op, path, value) {
        // A value names what to remove in some clients' messages (Entra ID removes group
        // members with `"value": [{"value": "..."}]`); ignored, the whole attribute would go.
        (ScimOp::Remove, Some(_), Some(value)) if !value.is_null() => {
            return refuse(
                "A remove operation takes no value: it removes all that its path names. To \
                 remove some values of a multi-valued attribute, name them with a filter \
                 (attr[sub eq \"value\"]) (invalidValue).",
            );
        }
        (ScimOp::Remove, Some(path), _) => Change::Remove(path),
        (ScimOp::Remove, None, _) => return refuse("A remove operation needs a path (noTarget)."),
        // `null` is unassigned (RFC 7643 §2.5), no value to set: clearing is `remove`'s.
        (_, _, None | Some(Value::Null)) => {
            return refuse("An add or replace operation needs a value other than null.");
        }
        // A filter selects complex values by their sub-attributes; an `add` or `replace`
        // there gives sub-attributes (RFC 7644 §3.5.2.1 and §3.5.2.3). Any other value
        // replaced each selected element whole with it (an `add` turned a badge into "x").
        (_, Some(path), Some(value))
            if path.filter.is_some() && path.sub_attribute.is_none() && !value.is_object() =>
        {
            return refuse(&format!(
                "A filter selects complex values: the value of an {op} at it must be an object \
                 of sub-attributes, not {} (invalidValue).",
                kind_of(&value)
            ));
        }
        (_, Some(path), Some(value)) => Change::Put {
            path,
            value,
            append,
        },
        // The resource itself: each member as if its name were the path (RFC 7644 §3.5.2.1).
        (_, None, Some(Value::Object(members))) => {
            // "A set of attributes": a member named by a path (`name.given`, as Entra ID
            // writes sub-attributes, an extension's URN-qualified name, a filter) is none, and
            // would be dropped as an unknown attribute, the 200 saying nothing of it.
            if let Some(name) = members.keys().find(|name| !is_attribute_name(name)) {
                // A path would not take a schema URN either: say what would.
                let instead = if has_urn_prefix(name) {
                    NO_SCHEMA_URN
                } else {
                    "send it as an operation of its own, with it as the path"
                };
                return refuse(&format!(
                    "The value of an add or replace without a path holds attributes by name \
                     (RFC 7644 §3.5.2.1); {name:?} is not an attribute name: {instead} \
                     (invalidPath)."
                ));
            }
            out.extend(members.into_iter().map(|(attribute, value)| Operation {
                target: target.clone(),
                change: Change::Put {
                    path: Path {
                        attribute,
                        filter: None,
                        sub_attribute: None,
                    },
                    value,
                    append,
                },
            }));
            return Ok(());
        }
        (_, None, Some(_)) => {
            return refuse("An add or replace operation without a path needs an object value.");
        }
    };
    out.push(Operation { target, change });
    Ok(())
}

/// The dotted attribute paths that `operations` set or clear, as the merge patch of the same
/// change would touch them: `attr` for a filtered path (the whole array), the paths inside an
/// object value otherwise. For the 403 of
/// [`EmulatorBuilder::forbid`](crate::pingone::emulator::EmulatorBuilder::forbid).
pub(crate) fn touched_paths(operations: &[Operation]) -> Vec<String> {
    let mut out = Vec::new();
    for operation in operations {
        let (path, value) = match &operation.change {
            Change::Put { path, value, .. } => (path, value),
            Change::Remove(path) => (path, &Value::Null),
        };
        match (&path.filter, &path.sub_attribute) {
            (Some(_), _) => out.push(path.attribute.clone()),
            (None, Some(sub)) => {
                validation::touched(format!("{}.{sub}", path.attribute), value, &mut out);
            }
            (None, None) => validation::touched(path.attribute.clone(), value, &mut out),
        }
    }
    out
}
