//! The names that a SCIM path carries: attribute names (RFC 7643 §2.1) and schema URNs
//! (RFC 7644 §3.10).

use crate::DialectError;

/// `name`, when it is a SCIM attribute name (`ATTRNAME`: RFC 7643 §2.1 and the path grammar of
/// RFC 7644 §3.4.2.2, Figure 1; or `$ref`).
pub(super) fn checked_name<'a>(
    name: &'a str,
    parent: Option<&str>,
) -> Result<&'a str, DialectError> {
    let mut chars = name.chars();
    let valid = name == "$ref"
        || (chars
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    if valid {
        Ok(name)
    } else {
        Err(DialectError::ScimName {
            path: parent.map_or_else(|| name.to_owned(), |parent| format!("{parent}.{name}")),
        })
    }
}

/// Whether `name` starts with `urn:` in any case: a schema URN's start (`urn:ietf:params:scim:…`),
/// which no attribute name holds (an attribute name has no `:`). The SCIM pre-flight and the
/// emulator tell a path or member so written by it.
pub(crate) fn has_urn_prefix(name: &str) -> bool {
    name.get(..4)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("urn:"))
}

/// Whether `name` is a schema URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`),
/// the member that holds an extension schema's attributes (RFC 7643 §3.3), whose attributes a
/// path names as `URI ":" ATTRNAME` (RFC 7644 §3.10, and `attrPath` in §3.4.2.2, Figure 1):
/// `urn:` in any case, then `NID:NSS`
/// (RFC 8141 §2) in printable ASCII without the characters that a path's filter gives a
/// meaning (`[`, `]`, `"`), not ending with the `:` that joins an attribute.
pub(super) fn is_schema_urn(name: &str) -> bool {
    if !has_urn_prefix(name) {
        return false;
    }
    let rest = &name[4..];
    rest.split_once(':')
        .is_some_and(|(nid, nss)| !nid.is_empty() && !nss.is_empty())
        && !name.ends_with(':')
        && name
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && !matches!(byte, b'[' | b']' | b'"'))
}
