//! Applying SCIM operations (RFC 7644 §3.5.2.1 to §3.5.2.3) to a copy of a user's JSON, with
//! the core's applier ([`put_at`], [`remove_at`]: the rules of
//! [`apply_scim_patch`](crate::apply_scim_patch)) and PingOne's rules ([`PINGONE`]); a
//! fault is told in the emulator's words.

use serde_json::{Map, Value};

use super::message::{Change, Invalid, Operation};
use crate::ScimFault;
use crate::scim::{Names, Rules, no_element_reason, put_at, remove_at};

/// PingOne's rules: names compared exactly (PingOne's are case-sensitive), a filter on a
/// multi-valued attribute of simple values refused (`invalidFilter`), and a `replace` at a
/// filter that matches nothing `noTarget`, also where the attribute is absent (what PingOne
/// answers there is not documented; the emulator kept its answer), and a `replace` of an
/// array with one value storing that value as it is (the emulator's `replace` at `attr` is the
/// merge patch `{"attr": X}`, `tests/scim_operations_merge_law.rs`).
const PINGONE: Rules = Rules {
    top: Names::Exact,
    sub: Names::Exact,
    extension: Names::Exact,
    names: Names::Exact,
    simple_values: false,
    replace_adds_absent: false,
    contained_elements: false,
    equal_as_scim_values: false,
    one_value_replaces_values: false,
};

/// Applies `operations` in order to `user`. On an error `user` is left part-way: apply them
/// to a copy.
pub(crate) fn apply(
    user: &mut Map<String, Value>,
    operations: &[Operation],
) -> Result<(), Invalid> {
    for operation in operations {
        let applied = match &operation.change {
            Change::Put {
                path,
                value,
                append,
            } => put_at(user, path, value, *append, PINGONE),
            Change::Remove(path) => remove_at(user, path, PINGONE),
        };
        applied.map_err(|fault| Invalid::new(&operation.target, message(&fault)))?;
    }
    Ok(())
}

/// The emulator's message for a fault found while applying an operation.
fn message(fault: &ScimFault) -> String {
    match fault {
        ScimFault::NoMatch { attribute } => {
            format!("No value of {attribute} matches the filter (noTarget).")
        }
        ScimFault::NoElementToAdd {
            attribute,
            ambiguous,
        } => format!(
            "No value of {attribute} matches the filter, and {} (noTarget).",
            no_element_reason(*ambiguous)
        ),
        ScimFault::SimpleValues { attribute, found } => format!(
            "{attribute} holds simple values ({found} among them), which have no sub-attributes \
             for a filter to compare: replace the attribute whole (invalidFilter)."
        ),
        ScimFault::NotMultiValued { attribute } => format!(
            "{attribute} is not multi-valued: a filter cannot select its values (invalidPath)."
        ),
        ScimFault::NotComplex { attribute, sub } => format!(
            "{attribute} is not a complex attribute: {attribute}.{sub} does not exist \
             (invalidPath)."
        ),
        ScimFault::MultiValuedSubAttribute { attribute, sub } => format!(
            "{attribute} is multi-valued: {attribute}.{sub} does not say which of its values; \
             select them with a filter, as in {attribute}[type eq \"work\"].{sub} (invalidPath)."
        ),
        // The message's own faults are refused when it is read (`read_message`).
        other => format!("{other} ({}).", other.scim_type()),
    }
}
