//! The unit tests of `quoted`: a cut at a character that never splits an escape and says
//! the text's length, a reader's message cut before it is escaped, values left out.

use super::Quoted;

/// Whether every escape in `text` is whole (`\u{` then hex digits and `}`) and its cut note,
/// if any, is the one given.
fn escapes_are_whole(text: &str) -> bool {
    text.split("\\u{").skip(1).all(|after| {
        after
            .split_once('}')
            .is_some_and(|(hex, _)| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
    })
}

/// A cut of an escaped text: an escape at every place around the cut (`\u{1b}` or a
/// bidi override after wide, combining and surrogate-range-neighbour characters), in a
/// text of a megabyte; the escape is whole or left out, never split, and the note counts
/// the text's own characters. Escaped before it was cut, a reader's message, a SCIM
/// fault, a keyed array's value and a report line's error split `\u{1b}` (`\u{1… (…)`)
/// and counted the escaped text's characters, six for one ESC.
#[test]
fn a_cut_never_splits_an_escape_and_counts_the_texts_characters() {
    for filler in [
        "a",
        "é",
        "e\u{301}",
        "\u{d7ff}",
        "\u{e000}",
        "👩‍👧",
        "\u{ffff}",
    ] {
        for escape in ["\u{1b}", "\u{202e}", "\n", "\\"] {
            for at in 0..12 {
                let text = format!("{}{escape}{}", filler.repeat(40 + at), "x".repeat(1 << 20));
                let length = text.chars().count();
                let note = format!("… ({length} characters)");
                let escaped = super::EscapedCut(&text, 50).to_string();
                assert!(escaped.ends_with(&note), "{escaped}");
                assert!(escapes_are_whole(&escaped), "{escaped}");
                let shortened = super::escaped_shortened(&text, 50);
                assert!(shortened.ends_with(&note), "{shortened}");
                assert!(escapes_are_whole(&shortened), "{shortened}");
                let debug = format!("{:?}", super::DebugCut(&text, 50));
                let debug_length = format!("{text:?}").chars().count();
                assert!(
                    debug.ends_with(&format!("… ({debug_length} characters)")),
                    "{debug}"
                );
                let shown = debug.strip_suffix(&format!("… ({debug_length} characters)"));
                let shown = shown.unwrap();
                assert!(escapes_are_whole(shown), "{debug}");
                assert!(!shown.ends_with('\\') || shown.ends_with("\\\\"), "{debug}");
            }
        }
    }
}

/// serde_json's message quoting a name of a megabyte of ESC (an unknown variant): the
/// text is cut before it is escaped, so no escape is split and the note counts the
/// message's characters before `, expected`.
#[test]
fn a_readers_message_is_cut_before_it_is_escaped() {
    #[derive(Debug, serde::Deserialize)]
    enum Op {
        Add,
    }
    let name = "\u{1b}".repeat(1 << 20);
    let error = serde_json::from_value::<Op>(serde_json::Value::String(name)).unwrap_err();
    let text = super::ReaderError(&error).to_string();
    let raw = error.to_string();
    let before = raw[..raw.rfind(", expected ").unwrap()].chars().count();
    assert!(text.contains(&format!("… ({before} characters)")), "{text}");
    assert!(escapes_are_whole(&text), "{text}");
    assert!(
        text.contains("expected variant identifier") || text.contains("expected `Add`"),
        "{text}"
    );
    // A string value, which serde writes as `Debug` does (`string "\u{1b}…"`).
    let error = serde_json::from_value::<u8>(serde_json::Value::String("\u{1b}".repeat(1 << 20)))
        .unwrap_err();
    let raw = error.to_string();
    let before = raw[..raw.rfind(", expected ").unwrap()].chars().count();
    for text in [
        super::ReaderError(&error).to_string(),
        format!("{:?}", super::ReaderError(&error)),
    ] {
        assert!(text.contains(&format!("… ({before} characters)")), "{text}");
        assert!(escapes_are_whole(&text), "{text}");
        assert!(text.contains("expected u8"), "{text}");
    }
}

#[test]
fn long_text_is_cut_at_a_character_and_says_its_length() {
    let quoted = |text, max| Quoted { text, max }.to_string();
    assert_eq!(quoted("abc", 3), r#""abc""#);
    assert_eq!(quoted("abcd", 3), r#""abc"… (4 characters)"#);
    assert_eq!(quoted("", 3), r#""""#);
    // Multi-byte characters: cut between characters, counted as characters.
    assert_eq!(quoted("ééééé", 2), r#""éé"… (5 characters)"#);
    assert_eq!(quoted("👩‍👩‍👧x", 1), r#""👩"… (6 characters)"#);
    assert_eq!(quoted("a\u{1b}[31m", 9), r#""a\u{1b}[31m""#);
}

#[cfg(feature = "client")]
#[test]
fn a_message_keeps_what_was_expected() {
    let message = format!(
        "invalid type: string {:?}, expected a string",
        "é".repeat(1000)
    );
    let short = super::shortened(&message, 30);
    assert_eq!(
        short,
        "invalid type: string \"éééééééé… (1023 characters), expected a string"
    );
    assert_eq!(super::shortened("short", 8), "short");
    // Up to four times `max` is kept whole; one character more is cut. (Mutation testing:
    // `<` for `<=` went unnoticed.)
    // What was expected is the last `, expected `: a value may hold the words too.
    let value = format!("{}, expected {}", "x".repeat(100), "y".repeat(100));
    let short = super::shortened(
        &format!("invalid type: string {value:?}, expected a string"),
        30,
    );
    assert!(
        short.ends_with("… (234 characters), expected a string"),
        "{short}"
    );
    // Without what was expected: its first four times `max` characters.
    assert_eq!(
        super::shortened(&"z".repeat(40), 8),
        format!("{}… (40 characters)", "z".repeat(32))
    );
    let at_most = format!("{}, expected {}", "a".repeat(10), "b".repeat(11));
    assert_eq!(at_most.chars().count(), 32);
    assert_eq!(super::shortened(&at_most, 8), at_most);
    assert_eq!(
        super::shortened(&format!("{at_most}c"), 8),
        "aaaaaaaa… (10 characters), expected bbbbb… (23 characters)"
    );
}

#[test]
fn cut_text_keeps_whole_characters() {
    assert_eq!(super::cut("\"abc\"", 5).to_string(), "\"abc\"");
    assert_eq!(super::cut("\"ééé\"", 3).to_string(), "\"éé… (5 characters)");
}

#[cfg(feature = "client")]
#[test]
fn quoted_values_are_left_out() {
    let message = |value: &str| format!("invalid type: string {value:?}, expected u32");
    let shown = super::without_quoted_values;
    assert_eq!(
        shown(&message("ada@example.com")),
        "invalid type: string (15 characters, not shown), expected u32"
    );
    // Escapes count as the one character that they stand for.
    assert_eq!(
        shown(&message("a\"b\\c\n\u{1b}é")),
        "invalid type: string (8 characters, not shown), expected u32"
    );
    assert_eq!(
        shown(&message("")),
        "invalid type: string (0 characters, not shown), expected u32"
    );
    // Every quoted string, and nothing else: an enum's variant and what was expected stay.
    assert_eq!(
        shown(
            r#"at `emails[1]`: invalid value: string "x", expected a string of "y" or string "zz" at line 1 column 9"#
        ),
        r#"at `emails[1]`: invalid value: string (1 character, not shown), expected a string of "y" or string (2 characters, not shown) at line 1 column 9"#
    );
    assert_eq!(
        shown("unknown variant `PENDING`, expected `ENABLED`"),
        "unknown variant `PENDING`, expected `ENABLED`"
    );
    // Numbers: serde's integers and floats, signed or not.
    assert_eq!(
        shown("invalid type: integer `-5551234`, expected a string at line 1 column 9"),
        "invalid type: integer (not shown), expected a string at line 1 column 9"
    );
    assert_eq!(
        shown("invalid type: floating point `1.5e300`, expected string \"a\" or integer `3"),
        "invalid type: floating point (not shown), expected string (1 character, not \
         shown) or integer (not shown)"
    );
    // A message that ends inside the value (no closing quote) shows none of it either.
    assert_eq!(
        shown("invalid type: string \"abc"),
        "invalid type: string (3 characters, not shown)"
    );
}

/// serde's `Unexpected::Char`, which a model's own `Deserialize` gives (serde_json gives a
/// string for one character): ``character `A` `` quoted the character, a user's initial,
/// whatever it is, a backtick or a quote too.
#[cfg(feature = "client")]
#[test]
fn a_quoted_character_is_left_out() {
    let shown = super::without_quoted_values;
    for c in ['A', '`', '"', 'é', '👩', '\n'] {
        assert_eq!(
            shown(&format!("invalid value: character `{c}`, expected a digit")),
            "invalid value: character (not shown), expected a digit",
            "{c:?}"
        );
    }
    assert_eq!(
        shown("invalid value: character `"),
        "invalid value: character (not shown)"
    );
}
