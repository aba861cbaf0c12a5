//! [`is_email`]: an RFC 2822 address (§3.4.1, `addr-spec`), as PingOne's `email` takes it,
//! read byte by byte.

/// The longest email address that [`is_email`] takes, in bytes: 320, 64 before the `@` and
/// 255 after it (RFC 3696 §3).
pub(crate) const LONGEST_EMAIL_BYTES: usize = 320;

/// An RFC 2822 address (§3.4.1, `addr-spec`): a local part that is a dot-atom (runs of
/// `atext` joined by single dots: letters, digits and ``!#$%&'*+-/=?^_`{|}~``) or a quoted
/// string (`"…"`, with `\` escaping one character), `@`, and a domain that is a dot-atom of
/// two labels at least or a domain literal (`[192.0.2.1]`); at most 320 bytes.
///
/// Stricter than RFC 2822 where an address would be surprising in a user profile: no
/// whitespace or control character anywhere (no folding white space, in a quoted string
/// either), no comment (`(…)`), and a domain of one label (`dave@localhost`) is refused.
/// Characters beyond ASCII are taken as `atext` (RFC 6532's internationalized addresses).
/// *Unverified*: which of RFC 2822's rarer forms PingOne itself accepts.
pub(in crate::pingone::rules) fn is_email(text: &str) -> bool {
    if text.len() > LONGEST_EMAIL_BYTES
        || (!text.is_ascii() && text.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        return false;
    }
    let bytes = text.as_bytes();
    let at = if bytes.first() == Some(&b'"') {
        match quoted_string_end(bytes) {
            Some(end) => end,
            None => return false,
        }
    } else {
        match bytes.iter().position(|&byte| byte == b'@') {
            Some(at) if is_dot_atom(&bytes[..at]) => at,
            _ => return false,
        }
    };
    if bytes.get(at) != Some(&b'@') {
        return false;
    }
    let domain = &bytes[at + 1..];
    match domain {
        [b'[', literal @ .., b']'] => literal
            .iter()
            .all(|&byte| is_printable(byte) && !matches!(byte, b'[' | b']' | b'\\')),
        _ => is_dot_atom(domain) && domain.contains(&b'.'),
    }
}

/// A byte of RFC 2822's `atext`, or of a character beyond ASCII: one lookup, as it is
/// tested for every byte of every address that pre-flight reads.
fn is_atext(byte: u8) -> bool {
    /// `ATEXT[byte]`: letters, digits, ``!#$%&'*+-/=?^_`{|}~``, and every byte from 0x80.
    const ATEXT: [bool; 256] = {
        let mut table = [false; 256];
        let mut byte = 0;
        while byte < 256 {
            let b = byte as u8;
            table[byte] = b >= 0x80
                || b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'/'
                        | b'='
                        | b'?'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'{'
                        | b'|'
                        | b'}'
                        | b'~'
                );
            byte += 1;
        }
        table
    };
    ATEXT[usize::from(byte)]
}

/// Printable ASCII but space (RFC 2822's `qtext` and `dtext` within it), or a byte of a
/// character beyond ASCII.
fn is_printable(byte: u8) -> bool {
    byte > b' ' && byte != 0x7f
}

/// RFC 2822's `dot-atom-text`: runs of `atext`, none empty, joined by single dots.
fn is_dot_atom(bytes: &[u8]) -> bool {
    // Whether the run so far is empty: at the start, and after each dot.
    let mut run_empty = true;
    for &byte in bytes {
        if byte == b'.' {
            if run_empty {
                return false;
            }
            run_empty = true;
        } else if is_atext(byte) {
            run_empty = false;
        } else {
            return false;
        }
    }
    !run_empty
}

/// The index just past the quoted string that `bytes` starts with (RFC 2822's
/// `quoted-string` without folding white space: `qtext` and `\`-escaped characters), or
/// `None` when it is not one.
fn quoted_string_end(bytes: &[u8]) -> Option<usize> {
    let mut index = 1;
    loop {
        match *bytes.get(index)? {
            b'"' => return Some(index + 1),
            b'\\' if bytes.get(index + 1).is_some_and(|&byte| is_printable(byte)) => index += 2,
            byte if is_printable(byte) && byte != b'\\' => index += 1,
            _ => return None,
        }
    }
}
