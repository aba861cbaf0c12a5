//! The syntax of a JSON Pointer (RFC 6901 §3): what makes a text other than a pointer
//! ([`pointer_fault`]), and a reference token's escapes ([`escape_pointer_token`]).

/// What makes `path` other than a JSON Pointer (RFC 6901 §3: `*( "/" reference-token )`,
/// where `~` is escaped as `~0` and `/` as `~1`), or `None` for a pointer.
pub(crate) fn pointer_fault(path: &str) -> Option<String> {
    if !path.is_empty() && !path.starts_with('/') {
        return Some(String::from(r#"it must be empty or start with "/""#));
    }
    let bytes = path.as_bytes();
    // Bytes: `~`, `0` and `1` are ASCII, and no byte of a multi-byte UTF-8 sequence is.
    bytes
        .iter()
        .enumerate()
        .find(|&(at, &byte)| byte == b'~' && !matches!(bytes.get(at + 1), Some(b'0' | b'1')))
        .map(|(at, _)| {
            format!(
                r#""~" at byte {at} is not followed by "0" or "1" (a token writes "~" as "~0" and "/" as "~1")"#
            )
        })
}

/// Writes `token` as one reference token of a JSON Pointer (RFC 6901 §3): `~` becomes `~0`
/// and `/` becomes `~1`.
///
/// ```
/// assert_eq!(sparse_patch::escape_pointer_token("a/b~c"), "a~1b~0c");
/// ```
#[must_use]
pub fn escape_pointer_token(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    push_pointer_token(&mut escaped, token);
    escaped
}

/// Appends `token` to `pointer` escaped as [`escape_pointer_token`] escapes it, without
/// allocating a copy of it.
pub(super) fn push_pointer_token(pointer: &mut String, token: &str) {
    let mut rest = token;
    // Bytes, not chars: `~` and `/` are ASCII, and no byte of a multi-byte UTF-8 sequence is.
    while let Some(at) = rest.bytes().position(|byte| byte == b'~' || byte == b'/') {
        pointer.push_str(&rest[..at]);
        pointer.push_str(if rest.as_bytes()[at] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[at + 1..];
    }
    pointer.push_str(rest);
}
