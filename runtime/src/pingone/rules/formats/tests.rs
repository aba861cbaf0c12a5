//! The unit tests of `formats`: the reader of language tags against its first version.

use super::language::{IRREGULAR_LANGUAGE_TAGS, is_language_tag};

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
    let private_use = |rest: &[&str]| rest.len() > 1 && rest[1..].iter().all(|s| alnum(s, 1, 8));
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
    if rest
        .first()
        .is_some_and(|s| alpha(s, 2, 2) || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())))
    {
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
