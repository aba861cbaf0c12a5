//! SCIM PATCH operations on a user (RFC 7644 §3.5.2), for a PATCH sent with PingOne's SCIM
//! content type: reading the PatchOp message, its paths and filters, and applying the
//! operations to a copy of the user's JSON. The route turns the result into the merge patch
//! from the user it had, and takes the merge path from there (read-only attributes, rules,
//! `updatedAt`), so that both dialects give the same user and the same errors for one change.
//!
//! - **Paths** (RFC 7644 §3.5.2 "PATH"): `attr`, `attr.sub`, `attr[filter]` and
//!   `attr[filter].sub`. Names are `ALPHA *(ALPHA / DIGIT / "-" / "_")` (RFC 7643 §2.1) and are
//!   compared exactly: `Name.Given` does not find `name.given` (RFC 7643 §2.1 makes them
//!   case-insensitive; PingOne's own attribute names are all in one case). No schema URN
//!   prefix (`urn:…:User:name.given`, RFC 7644 §3.10: a PingOne user has no SCIM schema; the
//!   error says so), no space outside the brackets.
//! - **Filters** (RFC 7644 §3.4.2.2): `sub eq VALUE` comparisons, joined by `and` (binding
//!   tighter) and `or`; operators and keywords in any case, spaces (`SP`) around them.
//!   `VALUE` is a JSON literal: a string with JSON's escapes (`\"`, `\\`, `\u00e9`...), a
//!   number, `true`, `false` or `null`, compared with the element's sub-attribute as JSON,
//!   except that strings compare in any case (Unicode lower case), as RFC 7644 §3.4.2.2 says
//!   for attributes that are not `caseExact` (none of PingOne's is) and as the list filter
//!   compares them; a string never equals a number or a boolean; `null` also matches an element without the
//!   sub-attribute. Other operators, `not`, parentheses and value paths inside a filter are
//!   refused as malformed.
//! - **`add`** with no path merges the members of an object value into the user, each as an
//!   `add` at its name; a member named by a path (`name.given`, as Entra ID writes
//!   sub-attributes, or a URN-qualified or filtered one) is not an attribute name, and is
//!   refused rather than dropped as an unknown attribute. At a path: a missing or simple attribute is set; a complex attribute
//!   and an object value merge, member by member, by the same rules; a multi-valued attribute
//!   (an array) gets the elements of an array value appended, or the value as one element,
//!   except those it holds already (equal as JSON: "no changes SHOULD be made", RFC 7644
//!   §3.5.2.1), each once; an absent attribute given an array gets its elements as `[]`
//!   would;
//!   `attr[filter]` and `attr[filter].sub` apply that to every matching element, or to its
//!   sub-attribute (at `attr[filter]`, the value is an object of sub-attributes: RFC 7644
//!   §3.5.2.1). Where no element matches, the target does not exist, and is added (RFC 7644
//!   §3.5.2.1), as Entra ID expects of `emails[type eq "work"].value` for a user without a
//!   work email: a new element of the members that the filter's `eq` comparisons name, with the
//!   value (`{"type": "work", "value": …}`); a filter with `or`, or a value that contradicts
//!   the filter, says no one element, and is `noTarget`.
//!   A `null` inside a value is unassigned (RFC 7643 §2.5): it removes the member it names,
//!   and is stored nowhere, an array's elements included (`{"$ref": null, "value": "x"}` is
//!   `{"value": "x"}`).
//! - **`replace`** as `add`, except that an array is replaced whole (a multi-valued attribute
//!   without filter, RFC 7644 §3.5.2.3), and a filter that matches nothing is `noTarget`
//!   (RFC 7644 §3.5.2.3); an attribute that does not exist is added.
//! - **`remove`** needs a path; it removes the attribute, `attr.sub`, the matching elements of
//!   `attr[filter]` (and the attribute when none is left: unassigned, RFC 7644 §3.5.2.2), or
//!   the sub-attribute of the matching elements. Removing what is absent, and a filter that
//!   matches nothing, succeed and change nothing: RFC 7644 §3.5.2.2 names `noTarget` for a
//!   `remove` without a path only, where §3.5.2.3 requires it of a `replace` whose filter
//!   matches nothing (the `noTarget` of §3.12's table, "a filter that yields no match", is
//!   read as that rule's), and the client sends a message whose `remove`s are at filters again
//!   after a lost answer, which a `noTarget` would report as failed (`ScimPatch::is_idempotent`). Whether
//!   PingOne answers so is not documented: the choice is `remove_at` in `apply.rs`. A `remove` with a `value` other than `null`
//!   (Entra ID's way to remove some values of a multi-valued attribute) is refused: ignored,
//!   it would remove the whole attribute.
//! - **Message**: `schemas`, `Operations` and each operation's `op`, `path` and `value` are read
//!   in any ASCII case (`operations`, `Op`), as RFC 7643 §2.1 reads attribute names, and so is
//!   the PatchOp URI; one of them given twice, in two cases, is refused.
//! - **Errors**: a body that is not a PatchOp message (no `schemas` listing the PatchOp URI,
//!   no `Operations`, a message name given twice, an unknown `op`, a malformed path or filter, `add` or `replace` without
//!   a value or with `null`, `remove` without a path or with a value, a member of a path-less
//!   value that is not an attribute name, `add` or `replace` at `attr[filter]` with a value
//!   that is not an object); for `replace`, a filter that matches nothing, and for `add`, one
//!   that matches nothing and does not describe one element (SCIM's `noTarget`); for any
//!   operation, a filter on an attribute that is not an array, and `attr.sub` on one that is
//!   neither absent nor an object (SCIM's `invalidPath`), and a filter on an array that holds
//!   a value that is not an object (`invalidFilter`: simple values have no sub-attributes to
//!   compare). Each is an [`Invalid`] naming the operation's path (or the part of the message
//!   at fault), and the route changes nothing.
//!
//! The paths, filters and operations are the core's (`crate::scim`, the rules of
//! [`apply_scim_patch`](crate::apply_scim_patch)), with names compared exactly; what is
//! PingOne's is here. One file per job: `message` (reading a PatchOp message into operations,
//! PingOne's refusals, and the paths they touch), `path` (the core's path reader without
//! schema URNs) and `apply` (the core's applier on a user, its faults in the emulator's
//! words); `tests` (each rule) and `output_law` (the library's SCIM output, applied here, does
//! what its merge patch does) are tests.

mod apply;
mod message;
mod path;

pub(super) use apply::apply;
pub(super) use message::{Invalid, read_message, touched_paths};

#[cfg(test)]
mod output_law;
#[cfg(test)]
mod scim_refusals;
#[cfg(test)]
mod tests;
