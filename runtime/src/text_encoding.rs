//! [`is_utf16_or_utf32`]: JSON text in an encoding other than UTF-8, told from its first
//! bytes, for the errors of a body that is not UTF-8 (a `PATCH` body that
//! [`Patch::from_body`](crate::Patch::from_body) reads, a PingOne answer).

/// Whether `body` is text in UTF-16 or UTF-32 rather than UTF-8, told from its first bytes as
/// RFC 4627 §3 tells JSON's encoding: a UTF-16 byte order mark (`FF FE`, `FE FF`; UTF-32's
/// begin with one or end in one), or a NUL among the first four bytes, which JSON text in
/// UTF-8 never has there (its first two characters are ASCII or white space). JSON exchanged
/// between systems must be UTF-8 (RFC 8259 §8.1); .NET and Java servers, and gateways, that
/// write their strings' own encoding send these.
pub(crate) fn is_utf16_or_utf32(body: &[u8]) -> bool {
    body.starts_with(b"\xFF\xFE")
        || body.starts_with(b"\xFE\xFF")
        || (body.len() >= 2 && body.iter().take(4).any(|&byte| byte == 0))
}
