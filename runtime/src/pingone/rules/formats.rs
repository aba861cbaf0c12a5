//! The formats of PingOne's user attribute values that a pattern cannot say: an RFC 2822
//! address, an RFC 5646 language tag, an `Accept-Language` value, an HTTP URL with a host, a
//! time zone, a phone number, a country code. [`RULES`](super::RULES) points at them.
//!
//! Source: the `User` schema of the PingOne OpenAPI description; the RFCs named on each.

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
pub(super) fn is_email(text: &str) -> bool {
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

/// A well-formed RFC 5646 language tag (§2.1's `Language-Tag`, letters in any case): a
/// `langtag` (`language` with up to three `extlang`s, or of 4 to 8 letters; then a `script`, a
/// `region`, `variant`s, `extension`s and a `privateuse` part, each optional), a `privateuse`
/// tag alone (`x-…`), or a grandfathered tag. Well-formed, not checked against the IANA
/// registry (*unverified*: whether PingOne checks that too).
pub(super) fn is_language_tag(text: &str) -> bool {
    is_regular_language_tag(text) || is_irregular_language_tag(text)
}

/// A `langtag` or a `privateuse` tag (RFC 5646 §2.1), read subtag by subtag (as bytes: a
/// slice's split is cheaper than a `str`'s search for a `char`).
fn is_regular_language_tag(text: &str) -> bool {
    let alpha = |s: &[u8], min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.iter().all(u8::is_ascii_alphabetic)
    };
    let alnum = |s: &[u8], min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.iter().all(u8::is_ascii_alphanumeric)
    };
    /// A `privateuse` part once its `x`: one subtag of 1 to 8 letters and digits at least,
    /// to the end.
    fn private_use<'a>(rest: impl Iterator<Item = &'a [u8]>) -> bool {
        let mut any = false;
        for subtag in rest {
            if !(1..=8).contains(&subtag.len()) || !subtag.iter().all(u8::is_ascii_alphanumeric) {
                return false;
            }
            any = true;
        }
        any
    }
    let mut subtags = text.as_bytes().split(|&byte| byte == b'-').peekable();
    let language = subtags.next().unwrap_or_default();
    if language.eq_ignore_ascii_case(b"x") {
        return private_use(subtags);
    }
    if alpha(language, 2, 3) {
        for _ in 0..3 {
            if subtags.next_if(|s| alpha(s, 3, 3)).is_none() {
                break;
            }
        }
    } else if !alpha(language, 4, 8) {
        return false;
    }
    // Script, then region.
    subtags.next_if(|s| alpha(s, 4, 4));
    subtags.next_if(|s| alpha(s, 2, 2) || (s.len() == 3 && s.iter().all(u8::is_ascii_digit)));
    let variant =
        |s: &&[u8]| alnum(s, 5, 8) || (s.len() == 4 && s[0].is_ascii_digit() && alnum(s, 4, 4));
    while subtags.next_if(variant).is_some() {}
    // Extensions: a singleton other than `x`, then subtags of 2 to 8.
    while subtags
        .next_if(|s| !s.eq_ignore_ascii_case(b"x") && alnum(s, 1, 1))
        .is_some()
    {
        let mut taken = 0;
        while subtags.next_if(|s| alnum(s, 2, 8)).is_some() {
            taken += 1;
        }
        if taken == 0 {
            return false;
        }
    }
    match subtags.next() {
        None => true,
        Some(x) if x.eq_ignore_ascii_case(b"x") => private_use(subtags),
        Some(_) => false,
    }
}

/// RFC 5646's grandfathered irregular tags (§2.2.8), which its `langtag` grammar does not
/// produce.
const IRREGULAR_LANGUAGE_TAGS: &[&str] = &[
    "en-GB-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-BE-FR",
    "sgn-BE-NL",
    "sgn-CH-DE",
];

/// One of RFC 5646's grandfathered irregular tags (§2.2.8), in any case.
fn is_irregular_language_tag(text: &str) -> bool {
    IRREGULAR_LANGUAGE_TAGS
        .iter()
        .any(|tag| tag.eq_ignore_ascii_case(text))
}

/// `s` without the optional whitespace (spaces and tabs) at its edges.
fn ows(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// An `Accept-Language` field value (RFC 7231 §5.3.5): a comma-separated list (RFC 7230 §7:
/// optional whitespace around the commas, empty elements allowed, one element at least) of
/// language ranges (`*`, or subtags of 1 to 8 letters and digits, the first of letters), each
/// with an optional weight (`;q=` and a qvalue: `0` to `1` with up to three decimals).
pub(super) fn is_accept_language(text: &str) -> bool {
    let range = |s: &str| {
        s == "*"
            || s.split('-').enumerate().all(|(index, subtag)| {
                (1..=8).contains(&subtag.len())
                    && subtag.bytes().all(|b| {
                        if index == 0 {
                            b.is_ascii_alphabetic()
                        } else {
                            b.is_ascii_alphanumeric()
                        }
                    })
            })
    };
    let qvalue = |s: &str| {
        let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
        fraction.len() <= 3
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && (whole == "0" || (whole == "1" && fraction.bytes().all(|b| b == b'0')))
    };
    let element = |s: &str| match s.split_once(';') {
        None => range(ows(s)),
        Some((language, weight)) => {
            let weight = ows(weight);
            // `q=` compared as bytes: a slice of the text at byte 2 would panic inside a
            // character (`en;qé`); once they are `q=`, byte 2 starts a character.
            range(ows(language))
                && weight.len() > 2
                && weight.as_bytes()[..2].eq_ignore_ascii_case(b"q=")
                && qvalue(&weight[2..])
        }
    };
    let mut elements = text
        .split(',')
        .map(ows)
        .filter(|s| !s.is_empty())
        .peekable();
    elements.peek().is_some() && elements.all(element)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader of language tags as it was first written (a `Vec` of the subtags, the
    /// irregular tags tested first), the definition that the faster reader must agree with.
    fn is_language_tag_by_subtag_list(text: &str) -> bool {
        if IRREGULAR_LANGUAGE_TAGS
            .iter()
            .any(|tag| tag.eq_ignore_ascii_case(text))
        {
            return true;
        }
        let subtags: Vec<&str> = text.split('-').collect();
        let alpha = |s: &str, min: usize, max: usize| {
            (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
        };
        let alnum = |s: &str, min: usize, max: usize| {
            (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        let mut rest = &subtags[..];
        // A `privateuse` part: `x` and one subtag of 1 to 8 at least, to the end.
        let private_use =
            |rest: &[&str]| rest.len() > 1 && rest[1..].iter().all(|s| alnum(s, 1, 8));
        if rest[0].eq_ignore_ascii_case("x") {
            return private_use(rest);
        }
        let Some((language, after)) = rest.split_first() else {
            return false;
        };
        rest = after;
        if alpha(language, 2, 3) {
            let extlangs = rest.iter().take(3).take_while(|s| alpha(s, 3, 3)).count();
            rest = &rest[extlangs..];
        } else if !alpha(language, 4, 8) {
            return false;
        }
        if rest.first().is_some_and(|s| alpha(s, 4, 4)) {
            rest = &rest[1..];
        }
        if rest.first().is_some_and(|s| {
            alpha(s, 2, 2) || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
        }) {
            rest = &rest[1..];
        }
        let variant = |s: &str| {
            alnum(s, 5, 8) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit() && alnum(s, 4, 4))
        };
        while rest.first().is_some_and(|s| variant(s)) {
            rest = &rest[1..];
        }
        // Extensions: a singleton other than `x`, then subtags of 2 to 8.
        while let Some(singleton) = rest.first() {
            if singleton.eq_ignore_ascii_case("x") || !alnum(singleton, 1, 1) {
                break;
            }
            let taken = rest[1..].iter().take_while(|s| alnum(s, 2, 8)).count();
            if taken == 0 {
                return false;
            }
            rest = &rest[1 + taken..];
        }
        match rest.first() {
            None => true,
            Some(x) if x.eq_ignore_ascii_case("x") => private_use(rest),
            Some(_) => false,
        }
    }

    /// [`is_language_tag`] agrees with its first version on every tag of up to five subtags
    /// drawn from a set that reaches each part of RFC 5646's grammar (languages of 2 to 8
    /// letters, extlangs, scripts, regions of letters and digits, variants, extensions,
    /// private use, irregular tags, empty and overlong subtags), in two cases.
    #[test]
    fn is_language_tag_matches_its_first_version() {
        const SUBTAGS: &[&str] = &[
            "en",
            "zh",
            "abcde",
            "sgn",
            "yue",
            "Latn",
            "US",
            "419",
            "1996",
            "rozaj",
            "u",
            "co",
            "phonebk",
            "x",
            "i",
            "klingon",
            "a1",
            "",
            "toolongsub",
            "oed",
            "GB",
            "BE",
            "FR",
        ];
        let mut tags = vec![String::new()];
        let mut checked = 0;
        let mut accepted = 0;
        for _ in 0..5 {
            let mut longer = Vec::new();
            for tag in &tags {
                for subtag in SUBTAGS {
                    let next = if tag.is_empty() {
                        (*subtag).to_owned()
                    } else {
                        format!("{tag}-{subtag}")
                    };
                    for text in [next.clone(), next.to_ascii_uppercase()] {
                        let expected = is_language_tag_by_subtag_list(&text);
                        assert_eq!(is_language_tag(&text), expected, "{text:?}");
                        checked += 1;
                        accepted += usize::from(expected);
                    }
                    // Extend only what can still become a tag, to keep the set small.
                    if next.len() < 24 && longer.len() < 4_000 {
                        longer.push(next);
                    }
                }
            }
            tags = longer;
        }
        // Both sides of the grammar were reached.
        assert!(
            accepted > 1_000 && checked - accepted > 1_000,
            "{accepted} of {checked}"
        );
        for tag in [
            "en-GB-oed",
            "I-KLINGON",
            "sgn-BE-FR",
            "x-whatever",
            "zh-yue-HK",
            "de-CH-1996",
        ] {
            assert!(is_language_tag(tag), "{tag}");
        }
    }
}
