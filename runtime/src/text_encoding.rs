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

#[cfg(test)]
mod tests {
    use super::is_utf16_or_utf32;

    /// Its definition: a UTF-16 byte order mark (either), or a NUL among the first four bytes,
    /// whatever follows; never UTF-8. (Mutation testing: the big-endian mark, the fourth
    /// byte and a body of two bytes could each be dropped unnoticed, as a body that begins
    /// with an ASCII character has a NUL among its first two bytes.)
    #[test]
    fn a_mark_or_a_nul_among_the_first_four_bytes() {
        for body in [
            b"\xFF\xFE".as_slice(),
            b"\xFE\xFF",
            // The big-endian mark, then `中`: no NUL.
            b"\xFE\xFF\x4E\x2D",
            // `1` in UTF-16LE: two bytes.
            b"1\0",
            // `中"` in UTF-16LE: the first NUL is the fourth byte.
            b"\x2D\x4E\"\0",
            b"\0\0\0{",
        ] {
            assert!(is_utf16_or_utf32(body), "{body:?}");
        }
        for body in [
            b"".as_slice(),
            b"\0",
            b"1",
            b"{}",
            "\u{feff}{}".as_bytes(),
            b"\"abc\0\"",
        ] {
            assert!(!is_utf16_or_utf32(body), "{body:?}");
        }
    }
}
