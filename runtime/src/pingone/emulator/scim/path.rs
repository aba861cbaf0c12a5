//! A SCIM path as PingOne reads one: the core's path reader
//! ([`read_path`](crate::scim::read_path): `attr`, `attr.sub`, `attr[filter]`,
//! `attr[filter].sub`, a filter of `eq` comparisons), without the schema URN prefix that a
//! PingOne user has no schema for.

pub(super) use crate::scim::Path;
pub(super) use crate::scim::has_urn_prefix;
#[cfg(test)]
pub(super) use crate::scim::{Comparison, Condition, Filter, ONLY_EQ, Operator};

/// Whether `name` is an attribute name as a path reads one (`ALPHA *(ALPHA / DIGIT / "-" /
/// "_")`, or `$ref`), with no sub-attribute, filter or schema URN.
pub(super) fn is_attribute_name(name: &str) -> bool {
    read_path(name).is_ok_and(|path| path.filter.is_none() && path.sub_attribute.is_none())
}

/// What a path or a path-less value's member that starts with a schema URN is told.
pub(super) const NO_SCHEMA_URN: &str = "a schema URN prefix (RFC 7644 §3.10) names no attribute of a \
     PingOne user, which has no SCIM schema or extension: write the attribute's own name \
     (name.given), without the URN";

/// Reads a path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`; one that starts
/// with a schema URN is refused ([`NO_SCHEMA_URN`]).
pub(super) fn read_path(text: &str) -> Result<Path, String> {
    if has_urn_prefix(text) {
        return Err(NO_SCHEMA_URN.to_owned());
    }
    crate::scim::read_path(text)
}
