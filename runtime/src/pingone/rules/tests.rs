//! The rules' unit tests: the table, the lookups and each check.

use std::borrow::Cow;

use serde_json::json;

use super::check::holds_refused_character;
use super::formats::{is_accept_language, is_email, is_http_url, is_language_tag};
use super::table::{NAME_REFUSED, STREET_REFUSED, length};
use super::*;

/// RFC 3986 §3.2.2 and §3.2.3: an authority is `host [ ":" port ]`, a port is digits,
/// and an IP literal ends at its `]`. Text after the `]` that is not a port
/// (`https://[::1]x/a.png`), and a port that is not digits, passed as URLs with a host.
#[test]
fn a_url_s_host_is_followed_by_a_port_of_digits_or_nothing() {
    for text in [
        "https://[::1]x/a.png",
        "https://[::1]]/a.png",
        "https://[::1][::2]/a.png",
        "https://[::1]:44x/a.png",
        "https://user@[::1]evil.example/a.png",
        "https://example.com:44x/a.png",
        "https://example.com:https/a.png",
        "https://example.com::443/a.png",
    ] {
        assert!(!is_http_url(text), "{text}");
    }
    for text in [
        "https://[::1]/a.png",
        "https://[::1]",
        "https://[::1]:/a.png",
        "https://[2001:db8::7]:8443/a.png",
        "https://user:pw@[::1]:443",
        "https://example.com:/a.png",
        "https://example.com:443?a",
        "http://localhost:8080/a.png",
    ] {
        assert!(is_http_url(text), "{text}");
    }
}

/// The masks of the refused ASCII characters are the patterns' sets.
#[test]
fn the_refused_ascii_masks_are_the_patterns_sets() {
    let refused = |mask: u128| -> String {
        (0u8..128)
            .filter(|&byte| mask >> byte & 1 == 1)
            .map(char::from)
            .collect()
    };
    assert_eq!(refused(NAME_REFUSED), "!\"#$%&()*+,/:;<=>?@[\\]^_`{|}~");
    assert_eq!(refused(STREET_REFUSED), "$+<=>^`|~");
}

#[test]
fn every_rule_has_a_distinct_path_and_objects_hold_their_members() {
    for (index, rule) in RULES.iter().enumerate() {
        assert!(
            RULES[index + 1..]
                .iter()
                .all(|other| other.path != rule.path),
            "{} twice",
            rule.path
        );
        if let Some((object, _)) = rule.path.split_once('.') {
            assert!(OBJECTS.contains(&object), "{}", rule.path);
        }
    }
}

/// `rule` and `member_rule` find what a search of `RULES` by path finds, for every path
/// and for keys that have no rule.
#[test]
fn the_lookups_find_what_a_search_of_the_table_finds() {
    let by_search = |path: &str| RULES.iter().find(|rule| rule.path == path);
    let mut keys: Vec<String> = RULES.iter().map(|rule| rule.path.to_owned()).collect();
    for rule in RULES {
        if let Some((object, member)) = rule.path.split_once('.') {
            keys.extend([
                member.to_owned(),
                format!("{object}.{member}x"),
                object.to_owned(),
            ]);
        }
        keys.extend([
            rule.path.to_uppercase(),
            format!("{}s", rule.path),
            rule.path[1..].to_owned(),
            // Another case of one letter (`Locale`, `userName`-like): PingOne's names are
            // case-sensitive, so no rule.
            format!("{}{}", rule.path[..1].to_uppercase(), &rule.path[1..]),
        ]);
    }
    keys.extend(["", ".", "custom", "name.", ".given"].map(str::to_owned));
    for key in &keys {
        let found = rule(key).map(|rule| rule.path);
        let expected = by_search(key).filter(|rule| !rule.path.contains('.'));
        assert_eq!(found, expected.map(|rule| rule.path), "{key}");
        let expected = OBJECTS.iter().find(|object| **object == key.as_str());
        assert_eq!(object(key), expected.copied(), "{key}");
        for object in OBJECTS.iter().chain(&["custom", "nam"]) {
            let found = member_rule(object, key).map(|rule| rule.path);
            let expected = by_search(&format!("{object}.{key}")).map(|rule| rule.path);
            assert_eq!(found, expected, "{object}.{key}");
        }
    }
    let found = RULES
        .iter()
        .filter(|each| match each.path.split_once('.') {
            Some((object, member)) => member_rule(object, member).is_some(),
            None => rule(each.path).is_some(),
        })
        .count();
    assert_eq!(found, RULES.len());
}

/// The length check counts characters only when the byte length does not settle it.
#[test]
fn lengths_are_counted_in_characters() {
    let rule = length("x", 2, 5);
    for (text, valid) in [
        ("a", false),
        ("ab", true),
        ("abcde", true),
        ("abcdef", false),
        ("é", false),
        ("éé", true),
        ("ééééé", true),
        ("éééééé", false),
        ("\u{1f600}", false),
        ("\u{1f600}\u{1f600}", true),
        (
            "\u{1f600}\u{1f600}\u{1f600}\u{1f600}\u{1f600}\u{1f600}",
            false,
        ),
        ("aé", true),
    ] {
        let mut out = Vec::new();
        check(&mut out, &rule, Seen::Text(Cow::Borrowed(text)));
        assert_eq!(out.is_empty(), valid, "{text}");
    }
}

/// RFC 2822's `addr-spec` as `is_email` reads it (see there), written with `char`s and
/// every `@` tried as the separator: the definition that the byte-wise one must match.
fn is_email_by_definition(text: &str) -> bool {
    let atext =
        |c: char| !c.is_ascii() || c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let printable = |c: char| !c.is_ascii() || c.is_ascii_graphic();
    let dot_atom = |s: &str| {
        !s.is_empty()
            && s.split('.')
                .all(|run| !run.is_empty() && run.chars().all(atext))
    };
    let quoted = |s: &str| {
        let Some(inner) = s
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .filter(|_| s.len() >= 2)
        else {
            return false;
        };
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            let fine = match c {
                '\\' => chars.next().is_some_and(printable),
                '"' => false,
                c => printable(c),
            };
            if !fine {
                return false;
            }
        }
        true
    };
    let literal = |s: &str| {
        s.len() >= 2
            && s.starts_with('[')
            && s.ends_with(']')
            && s[1..s.len() - 1]
                .chars()
                .all(|c| printable(c) && !"[]\\".contains(c))
    };
    text.len() <= 320
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && text.match_indices('@').any(|(at, _)| {
            let (local, domain) = (&text[..at], &text[at + 1..]);
            (dot_atom(local) || quoted(local))
                && (literal(domain) || (dot_atom(domain) && domain.contains('.')))
        })
}

/// The fast path of `holds_refused_character` (printable ASCII read as bytes) against the
/// definition with `char`s: every string of up to 3 characters over printable ASCII at
/// its edges, every C0 and C1 control, DEL, the separators, a format character and
/// multi-byte letters.
#[test]
fn holds_refused_character_matches_its_definition() {
    let definition = |text: &str, lines: bool| {
        text.chars()
            .any(|c| outside_text(c) && !(lines && matches!(c, '\n' | '\r')))
    };
    let mut alphabet: Vec<char> = [' ', '~', 'a', '\u{7f}', '\u{a0}', 'é', '\u{2028}']
        .into_iter()
        .chain('\0'..' ')
        .chain('\u{80}'..='\u{9f}')
        .chain(['\u{2029}', '\u{1b}', '\u{200b}', '😀'])
        .collect();
    alphabet.dedup();
    let mut refused = 0;
    for a in &alphabet {
        for b in &alphabet {
            for c in ["", " ", "x", "\u{7f}"] {
                let text = format!("{a}{b}{c}");
                for lines in [false, true] {
                    let expected = definition(&text, lines);
                    assert_eq!(holds_refused_character(&text, lines), expected, "{text:?}");
                    refused += usize::from(expected);
                }
            }
        }
    }
    // Both answers occur often, so that the comparison can fail either way.
    assert!(refused > 10_000, "{refused}");
    assert!(!holds_refused_character("Senior Engineer", false));
    assert!(holds_refused_character("Boss\u{7f}", false));
    assert!(!holds_refused_character("1 Main St\r\nFlat 2", true));
}

#[test]
fn is_email_matches_its_definition() {
    // Every string of up to 4 characters over an alphabet with the separators, the
    // quote, the escape and the brackets, a special, ASCII and non-ASCII whitespace and
    // controls, and multi-byte letters.
    let alphabet = [
        'a',
        '@',
        '.',
        '"',
        '\\',
        '[',
        ']',
        '<',
        ' ',
        '\t',
        '\u{7f}',
        '\u{85}',
        '\u{a0}',
        '\u{2003}',
        'é',
        '\u{1f600}',
        '!',
    ];
    let mut texts = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..4 {
        last = last
            .iter()
            .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
            .collect();
        texts.extend(last.iter().cloned());
    }
    // The same with a last label, so that many are valid.
    let labelled: Vec<String> = texts.iter().map(|text| format!("{text}.c")).collect();
    texts.extend(labelled);
    let valid = "david.spanner@example.com";
    for length in [318, 319, 320, 321, 322] {
        let local = "x".repeat(length - "@example.com".len());
        texts.push(format!("{local}@example.com"));
        texts.push(format!("{}@example.com", "é".repeat(length / 2 - 6)));
    }
    texts.extend(
        [
            valid,
            "a@b.c",
            "a@b..c",
            "@b.c",
            "a@.c",
            "a@b.",
            "a@b@c.d",
            "a b@c.d",
            "añ@ex.com",
            "a@ex.com\u{a0}",
            "a@ex.com\u{0}",
            "\u{85}a@ex.com",
            "\"a\"@b.c",
            "\"a@b\"@c.d",
            "\"a\\\"b\"@c.d",
            "\"a\"b@c.d",
            "a@[1.2.3.4]",
            "a@[1.2\\3]",
            ".a@b.c",
            "a.@b.c",
            "a..b@c.d",
            "a<b>@c.d",
            // A space in ASCII text, where only the quoted string or the domain literal
            // could take it (this module refuses whitespace there too).
            "\"a b\"@c.d",
            "\" \"@c.d",
            "a@[1.2 .3]",
        ]
        .map(str::to_owned),
    );
    assert!(texts.len() > 160_000);
    let accepted = texts.iter().filter(|text| is_email(text)).count();
    assert!(accepted > 100, "{accepted}");
    for text in &texts {
        assert_eq!(is_email(text), is_email_by_definition(text), "{text:?}");
    }
    assert!(is_email(valid));
    for text in ["\"a b\"@c.d", "\" \"@c.d", "a@[1.2 .3]", "a@[ ]"] {
        assert!(!is_email(text), "{text}");
    }
}

/// RFC 5646's examples (its appendix A) and ill-formed tags; RFC 7231's ranges.
#[test]
fn language_tags_and_accept_language_values() {
    for tag in [
        "de",
        "zh-Hant",
        "zh-cmn-Hans-CN",
        "sr-Latn-RS",
        "sl-rozaj-biske",
        "de-CH-1901",
        "hy-Latn-IT-arevela",
        "es-419",
        "en-US-u-islamcal",
        "qaa-Qaaa-QM-x-southern",
        "x-whatever",
        "zh-min-nan",
        "EN-gb-OED",
        "en-a-bbb-x-a-ccc",
        "de-DE-u-co-phonebk",
        // RFC 5646 §2.1: a language of 5 to 8 letters, variants of 5 to 8 characters
        // (`scotland`, `valencia` are registered ones).
        "abcdefgh",
        "abcdefgh-Latn-US",
        "en-scotland",
        "ca-ES-valencia",
        "sl-rozaj-biske-1994",
    ] {
        assert!(is_language_tag(tag), "{tag}");
    }
    // RFC 5646 §2.2.8's irregular grandfathered tags, copied from the RFC (the reader
    // keeps its own list, which this checks), in any case.
    for tag in [
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
    ] {
        assert!(is_language_tag(tag), "{tag}");
        assert!(is_language_tag(&tag.to_ascii_uppercase()), "{tag}");
        assert!(!is_language_tag(&format!("{tag}-x")), "{tag}-x");
    }
    for tag in [
        "",
        "de-419-DE",
        "a-DE",
        "ar-a-aaa-b-bbb-a",
        "en-a",
        "x-",
        "en-x",
        "en--US",
        "en-US-",
        "123",
        "en-abcdefghi",
        "en-US-1",
        "i-unknown",
        "en_US",
        "zh-a-b-c",
        "abcdefghi",
        "en-scotlands",
        "i-tai",
    ] {
        assert!(!is_language_tag(tag), "{tag}");
    }
    for value in [
        "da, en-gb;q=0.8, en;q=0.7",
        "*",
        "en;q=0",
        "en;q=1.000",
        "en;q=0.",
        "fr , ,de",
        "en ;Q=0.5",
    ] {
        assert!(is_accept_language(value), "{value}");
    }
    for value in [
        "",
        " , ",
        "en;q=1.001",
        "en;q=2",
        "en;q=.5",
        "en;q=0.1234",
        "en;x=1",
        "1en",
        "en-",
        "en;",
        "en q=0.5",
        "*-US",
        // A weight whose second byte is inside a character: refused, not a panic of
        // the slice at byte 2 (`weight[..2]`).
        "en;q\u{e9}",
        "en;q\u{e9}=1",
        "en;\u{1f600}",
        "en;\u{e9}q=1",
        // RFC 4647 §2.1: subtags of 1 to 8 characters.
        "abcdefghi",
        "en-abcdefghi",
    ] {
        assert!(!is_accept_language(value), "{value}");
    }
}

/// One detail per attribute at fault, as `check_patch` says: a text value that holds both
/// a character its pattern's ASCII set refuses and a control character, or that is too
/// long and not of its format, is told once.
#[test]
fn one_detail_per_attribute_at_fault() {
    let patch = json!({
        "name": {"family": "Jensen,\u{7}"},
        "address": {"streetAddress": "1 Main St | Flat\u{0}2"},
        "locale": "x".repeat(257),
    });
    let details = check_patch(patch.as_object().unwrap(), None);
    let mut targets: Vec<&str> = details
        .iter()
        .filter_map(|detail| detail.target.as_deref())
        .collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        ["address.streetAddress", "locale", "name.family"],
        "{details:?}"
    );
}

#[test]
fn a_photo_without_href_depends_on_the_current_user() {
    let patch = json!({"photo": {}});
    let patch = patch.as_object().unwrap();
    let without = json!({"username": "u"});
    let with = json!({"photo": {"href": "https://example.com/a.png"}});
    assert!(check_patch(patch, None).is_empty());
    assert!(check_patch(patch, with.as_object()).is_empty());
    let details = check_patch(patch, without.as_object());
    assert_eq!(details[0].target.as_deref(), Some("photo.href"));
    assert_eq!(details[0].code.as_deref(), Some("REQUIRED_VALUE"));
}

/// The client's `read_only` (a `match`, with what to do instead) and the emulator's
/// `READ_ONLY` list name the same attributes, but for `account` and `identityProvider`, which
/// pre-flight lets through (some of their members may change): a name added to one and not
/// the other would make pre-flight and the emulator part ways.
#[cfg(feature = "client")]
#[test]
fn read_only_names_the_read_only_list_but_account_and_identity_provider() {
    let let_through = ["account", "identityProvider"];
    for name in READ_ONLY {
        assert_eq!(
            read_only(name).is_some(),
            !let_through.contains(name),
            "{name}"
        );
    }
    for name in SCHEMA.iter().chain(&let_through) {
        assert!(read_only(name).is_none(), "{name}");
    }
}

/// A byte of a character beyond ASCII is never looked up in a rule's ASCII mask: `Ā`
/// (U+0100, the bytes C4 80) and `Ѐ` (D0 80) carry the byte 0x80, one past the mask's 128
/// bits (a shift by 128, which panics in a debug build), in a family name and a street
/// address, whose rules have masks.
#[test]
fn characters_beyond_ascii_pass_the_ascii_masks() {
    for (path, text) in [
        ("name.family", "Ādamčík-Ѐlena"),
        ("address.streetAddress", "Āvenue 1\nЀ 2"),
    ] {
        let (object, member) = path.split_once('.').unwrap();
        let mut out = Vec::new();
        check(
            &mut out,
            member_rule(object, member).unwrap(),
            Seen::Text(Cow::Borrowed(text)),
        );
        assert!(out.is_empty(), "{path} {text:?}: {out:?}");
    }
}

/// The names of the table that the emulator and the sync job ask about: a custom
/// attribute's name (a letter, then letters, digits and hyphens, at most 256), a core
/// attribute in another case (writable or read-only), and PingOne's spelling of one.
#[test]
fn custom_names_and_core_names_in_another_case() {
    for (name, custom) in [
        ("cost-centre", true),
        ("a", true),
        (&*"a".repeat(256), true),
        (&*"a".repeat(257), false),
        ("1st", false),
        ("-x", false),
        ("cost_centre", false),
        ("", false),
    ] {
        assert_eq!(is_custom_attribute_name(name), custom, "{name}");
    }
    for (name, core) in [
        ("userName", true),
        ("CreatedAt", true),
        ("MEMBEROFGROUPIDS", true),
        ("username", true),
        ("department", false),
    ] {
        assert_eq!(is_core_in_another_case(name), core, "{name}");
    }
    #[cfg(feature = "client")]
    for (path, spelling) in [
        ("userName", Some("username")),
        ("CreatedAt", Some("createdAt")),
        ("name.Given", Some("name.given")),
        ("username", None),
        ("name.given", None),
        ("department", None),
    ] {
        assert_eq!(core_spelling(path), spelling, "{path}");
    }
}
