//! [`is_pingone_id`]: PingOne identifiers are UUIDs, checked before they go into a URL.

#[cfg(feature = "client")]
use super::Error;

/// Whether `id` is a PingOne identifier: a UUID in its 36-character hyphenated form
/// (`8-4-4-4-12` hexadecimal digits, any case; the client sends it in lower case, see
#[cfg_attr(
    feature = "client",
    doc = r" [`Client::user_url`](super::Client::user_url))."
)]
#[cfg_attr(not(feature = "client"), doc = r" `Client::user_url`).")]
///
/// ```
/// use sparse_patch::pingone::is_pingone_id;
///
/// assert!(is_pingone_id("a38890a6-295a-4d58-9f6e-b72b05fba379"));
/// assert!(!is_pingone_id("../a38890a6-295a-4d58-9f6e-b72b05fba379"));
/// assert!(!is_pingone_id(""));
/// ```
#[must_use]
pub fn is_pingone_id(id: &str) -> bool {
    // Checked for both IDs of every request: each byte against what its position needs,
    // without branches or table lookups, so that the loop over the fixed 36 bytes is
    // vectorized.
    const HYPHENS: [bool; 36] = {
        let mut hyphens = [false; 36];
        hyphens[8] = true;
        hyphens[13] = true;
        hyphens[18] = true;
        hyphens[23] = true;
        hyphens
    };
    let Ok(bytes) = <&[u8; 36]>::try_from(id.as_bytes()) else {
        return false;
    };
    bytes
        .iter()
        .zip(HYPHENS)
        .fold(true, |fine, (&byte, hyphen)| {
            let digit = byte.wrapping_sub(b'0') < 10;
            let letter = (byte | 0x20).wrapping_sub(b'a') < 6;
            fine & if hyphen { byte == b'-' } else { digit | letter }
        })
}

/// `Ok` for a PingOne ID, else [`Error::InvalidInput`] naming `what` and the start of `id`.
#[cfg(feature = "client")]
pub(crate) fn check_id(what: &str, id: &str) -> Result<(), Error> {
    if is_pingone_id(id) {
        return Ok(());
    }
    // Its first 64 characters, and its length when it is longer (an ID pasted with the
    // page around it said only its start, as if it were the whole of it).
    let shown = crate::quoted::Quoted { text: id, max: 64 };
    Err(Error::InvalidInput(format!(
        "{what} {shown} is not a PingOne ID (a UUID such as a38890a6-295a-4d58-9f6e-b72b05fba379); nothing was sent"
    )))
}

#[cfg(test)]
mod tests {
    use super::is_pingone_id;

    /// The definition, byte by byte: hyphens at 8, 13, 18 and 23, hexadecimal digits elsewhere.
    fn by_definition(id: &str) -> bool {
        id.len() == 36
            && id.bytes().enumerate().all(|(i, byte)| match i {
                8 | 13 | 18 | 23 => byte == b'-',
                _ => byte.is_ascii_hexdigit(),
            })
    }

    #[test]
    fn pingone_ids_match_the_definition() {
        let valid = "a38890a6-295a-4d58-9f6e-b72b05fba379";
        let mut cases = vec![
            valid.to_owned(),
            valid.to_uppercase(),
            String::new(),
            "../a38890a6-295a-4d58-9f6e-b72b05fba379".to_owned(),
            "a38890a6-295a-4d58-9f6e-b72b05fba37".to_owned(),
            "a38890a6-295a-4d58-9f6e-b72b05fba3799".to_owned(),
            "a38890a6x295a-4d58-9f6e-b72b05fba379".to_owned(),
            "a38890a6-295a-4d58-9f6e-b72b05fba37é".to_owned(),
            "a38890a6-295a-4d58-9f6e-b72b05fbé79".to_owned(),
            "a38890a6-295a-4d58-9f6e-b72b05fba%2F".to_owned(),
            "a38890a6-295a-4d58-9f6e b72b05fba379".to_owned(),
        ];
        // Every position replaced by a hyphen, a digit, a letter, a space, and the characters
        // just outside the ranges of digits (`/`, `:`) and of letters (`@`, `G`, `` ` ``,
        // `g`).
        for position in 0..valid.len() {
            for replacement in ['-', '0', 'F', ' ', '/', ':', '@', 'G', '`', 'g'] {
                let mut id = valid.to_owned();
                id.replace_range(position..=position, &replacement.to_string());
                cases.push(id);
            }
        }
        for id in &cases {
            assert_eq!(is_pingone_id(id), by_definition(id), "{id:?}");
        }
        assert!(is_pingone_id(valid));
    }
}
