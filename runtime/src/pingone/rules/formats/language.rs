//! Language tags: [`is_language_tag`] an RFC 5646 language tag, [`is_accept_language`] an
//! `Accept-Language` value (RFC 7231 §5.3.5), its ranges and weights.

/// A well-formed RFC 5646 language tag (§2.1's `Language-Tag`, letters in any case): a
/// `langtag` (`language` with up to three `extlang`s, or of 4 to 8 letters; then a `script`, a
/// `region`, `variant`s, `extension`s and a `privateuse` part, each optional), a `privateuse`
/// tag alone (`x-…`), or a grandfathered tag. Well-formed, not checked against the IANA
/// registry (*unverified*: whether PingOne checks that too).
pub(in crate::pingone::rules) fn is_language_tag(text: &str) -> bool {
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
pub(super) const IRREGULAR_LANGUAGE_TAGS: &[&str] = &[
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
pub(in crate::pingone::rules) fn is_accept_language(text: &str) -> bool {
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
