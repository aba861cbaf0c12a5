//! The formats of PingOne's user attribute values that a pattern cannot say: an RFC 2822
//! address, an RFC 5646 language tag, an `Accept-Language` value, an HTTP URL with a host, a
//! time zone, a phone number, a country code. [`RULES`](super::RULES) points at them.
//!
//! Source: the `User` schema of the PingOne OpenAPI description; the RFCs named on each.
//!
//! Its parts: `email` the RFC 2822 address, `language` the language tag and the
//! `Accept-Language` value, `tests` the unit tests; the URL, the time zone, the phone number
//! and the country code are here.

mod email;
mod language;
#[cfg(test)]
mod tests;

#[cfg(feature = "client")]
pub(crate) use email::LONGEST_EMAIL_BYTES;
pub(super) use email::is_email;
pub(super) use language::{is_accept_language, is_language_tag};

/// An `http://` or `https://` URL (the scheme in lower case) without whitespace, whose
/// authority (up to the first `/`, `?` or `#`) names a host: not empty once a user part
/// (`user@`) and a port (`:443`) are left out, and for an IP literal the inside of its
/// brackets, which must close; a port is digits, and nothing else follows the host. RFC
/// 3986 §3.2.2: an `http(s)` URI with an empty host is invalid, and the reference's
/// `photo.href` "must be a valid URL", so `https://`, `https:///a.png`, `https://[]/a.png`,
/// `https://[::1]x/a.png` and `https://example.com:44x/` are refused.
pub(super) fn is_http_url(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    // RFC 3986 §3.2.2 and §3.2.3: `host [ ":" port ]`, a port being digits (maybe none).
    let (host, port) = if let Some(literal) = host_and_port.strip_prefix('[') {
        // An IP literal: what is inside its brackets, which must close, and then nothing or
        // a port.
        let Some((inside, after)) = literal.split_once(']') else {
            return false;
        };
        let port = match after.strip_prefix(':') {
            Some(port) => port,
            None if after.is_empty() => "",
            None => return false,
        };
        (inside, port)
    } else {
        host_and_port
            .rsplit_once(':')
            .unwrap_or((host_and_port, ""))
    };
    let port_ok = port.bytes().all(|byte| byte.is_ascii_digit());
    // A host that is not an IP literal has no colon left (`example.com::443`).
    let host_ok = !host.is_empty() && (host_and_port.starts_with('[') || !host.contains(':'));
    host_ok && port_ok && !text.contains(char::is_whitespace)
}

/// One `\w+` of the schema's pattern: `\w` as an OpenAPI (ECMA-262) regex reads it, and
/// PingOne's Java regexes too, `[A-Za-z0-9_]`. Before, any Unicode letter or digit passed
/// (Rust's regex reads `\w` so), and `Europe/Zürich` got through to PingOne's 400.
fn is_word(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `^\w+/\w+$` (`\w` being ASCII: [`is_word`]), such as `America/Los_Angeles`.
pub(super) fn is_time_zone(text: &str) -> bool {
    text.split_once('/')
        .is_some_and(|(area, city)| is_word(area) && is_word(city))
}

/// At most 32 characters, one digit at least.
pub(super) fn is_phone(text: &str) -> bool {
    text.chars().count() <= 32 && text.chars().any(|c| c.is_ascii_digit())
}

/// Two upper-case ASCII letters (ISO 3166-1 alpha-2).
pub(super) fn is_country_code(text: &str) -> bool {
    text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase())
}
