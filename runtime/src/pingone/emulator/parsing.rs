//! Reading what a request carries: `Authorization` credentials, and form-encoded text (token
//! request bodies and query strings).

/// The credentials of an `Authorization` value whose scheme is `scheme`: the scheme is
/// compared in any case and followed by one or more spaces (RFC 9110 §11.1 and §11.4).
pub(super) fn credentials<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (given, rest) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| rest.trim_start_matches(' '))
}

/// The authentication scheme of an `Authorization` value, as the client wrote it: the text
/// before the first space (or the whole value), when it is an RFC 9110 §5.6.2 `token`.
pub(super) fn scheme(value: &str) -> Option<&str> {
    let scheme = value.split(' ').next()?;
    let token_char = |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte);
    (!scheme.is_empty() && scheme.bytes().all(token_char)).then_some(scheme)
}

/// Decodes `application/x-www-form-urlencoded` text: `+` is a space, `%XX` a byte.
pub(super) fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = bytes
            .get(index + 1..index + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[index], escaped) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 2;
            }
            (byte, _) => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
