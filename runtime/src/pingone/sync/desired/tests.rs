//! The unit tests of `desired.rs`.

use super::*;
use crate::pingone::sync::seen_keys::SeenKeys;

#[test]
fn keys_are_id_then_username_then_email() {
    let id = "A38890A6-295A-4D58-9F6E-B72B05FBA379";
    let line = format!(r#"{{"id":"{id}","username":"u","email":"e@x.io"}}"#);
    let desired = parse_line(1, &line, None).unwrap();
    assert_eq!(desired.key, MatchKey::Id(id.to_ascii_lowercase()));
    // The username is then a managed attribute (a rename).
    assert_eq!(desired.attributes["username"], "u");
    let desired = parse_line(1, r#"{"email":"e@x.io","username":"u"}"#, None).unwrap();
    assert_eq!(desired.key, MatchKey::Username("u".into()));
    assert_eq!(desired.attributes["email"], "e@x.io");
    assert!(!desired.attributes.contains_key("username"));
    let desired = parse_line(1, r#"{"email":"e@x.io","title":"T"}"#, None).unwrap();
    assert_eq!(desired.key, MatchKey::Email("e@x.io".into()));
    assert!(!desired.attributes.contains_key("email"));
    assert_eq!(
        parse_line(1, r#"{"username":null,"title":"T"}"#, None),
        Err(LineError::NoKey)
    );
}

/// A feed converted from a CSV by a tool that guesses types (wireservice/csvkit#977,
/// Keyang/node-csvtojson#181: digits become a number, and lose their leading zeros) has
/// `"username": 100234` on every line: each said "no key to match on" (a `NoKey`), as if it
/// had none. The key is named now, as a value of the wrong type, with why.
#[test]
fn a_key_written_as_a_number_is_named() {
    for (line, path, shown) in [
        (
            r#"{"username": 100234, "title": "T"}"#,
            "username",
            "number `100234`",
        ),
        (r#"{"email": 5.5}"#, "email", "number `5.5`"),
        (r#"{"username": true}"#, "username", "boolean `true`"),
    ] {
        let Err(LineError::WrongType { path: at, message }) = parse_line(1, line, None) else {
            panic!("{line}");
        };
        assert_eq!(at, path);
        assert!(
            message.starts_with(&format!("invalid type: {shown}, expected a string: "))
                && message.contains("leading zeros"),
            "{message}"
        );
    }
    // With another key, the number is an attribute of the wrong type, as before.
    assert!(matches!(
        parse_line(1, r#"{"email": "a@example.com", "username": 7}"#, None),
        Err(LineError::WrongType { path, .. }) if path == "username"
    ));
}

#[test]
fn bad_lines_say_what_is_wrong() {
    assert!(matches!(
        parse_line(1, "{not json", None),
        Err(LineError::InvalidJson(_))
    ));
    assert_eq!(parse_line(1, "[1]", None), Err(LineError::NotAnObject));
    assert_eq!(
        parse_line(
            1,
            // Written in sorted order, which both of serde_json's orders keep (sorted, or
            // the line's with its `preserve_order`): the names come in that order.
            r#"{"username":"u","bad name":1,"enabled":false,"name":{"givn":"A"}}"#,
            None
        ),
        Err(LineError::UnknownAttributes(vec![
            "bad name".into(),
            "enabled".into(),
            "name.givn".into()
        ]))
    );
    assert_eq!(
        parse_line(
            1,
            r#"{"username":"u","email":null,"photo":{"href":null}}"#,
            None
        ),
        Err(LineError::NullOnRequired(vec![
            "email".into(),
            "photo.href".into()
        ]))
    );
    assert_eq!(
        parse_line(1, r#"{"username":"u","title":5}"#, None),
        Err(LineError::WrongType {
            path: "title".into(),
            message: format!("invalid type: {}, expected a string", number_shown("5"))
        })
    );
    let declared: BTreeSet<String> = ["costCenter".to_owned()].into();
    assert!(parse_line(1, r#"{"username":"u","costCenter":"7"}"#, Some(&declared)).is_ok());
    assert_eq!(
        parse_line(1, r#"{"username":"u","costCentre":"7"}"#, Some(&declared)),
        Err(LineError::UnknownAttributes(vec!["costCentre".into()]))
    );
}

/// A line that writes custom attributes inside `custom`, as the Rust model `User` holds
/// them (`{"custom": {"costCenter": "1"}}`), was sent as one attribute named `custom`
/// holding an object, which the emulator stored and PingOne would too where the
/// environment declares no such attribute: now unknown, saying where custom attributes
/// go, unless the environment declares a custom attribute named `custom`.
#[test]
fn the_models_custom_map_is_not_an_attribute() {
    let line = r#"{"username":"u","custom":{"costCenter":"1"}}"#;
    let error = parse_line(1, line, None).unwrap_err();
    assert_eq!(error, LineError::UnknownAttributes(vec!["custom".into()]));
    assert!(
        error.to_string().contains("top level of the line"),
        "{error}"
    );
    let declared: BTreeSet<String> = ["custom".to_owned()].into();
    assert!(parse_line(1, line, Some(&declared)).is_ok());
}

#[test]
fn a_second_line_for_a_key_is_a_duplicate_in_any_case() {
    let reader = LineReader::new(None);
    let mut seen = SeenKeys::new(usize::MAX);
    assert!(
        reader
            .read(&mut seen, 1, r#"{"username":"Ada","title":"A"}"#)
            .is_ok()
    );
    assert!(reader.read(&mut seen, 2, r#"{"username":"alan"}"#).is_ok());
    let (key, error) = reader
        .read(&mut seen, 3, r#"{"username":"ada","title":"B"}"#)
        .unwrap_err();
    assert_eq!(key, Some(MatchKey::Username("ada".into())));
    assert_eq!(error, LineError::Duplicate { first_line: 1 });
}

#[test]
fn a_wrong_type_names_its_attribute() {
    let message = |line: &str| parse_line(9, line, None).unwrap_err().to_string();
    assert_eq!(
        message(r#"{"username":"u3","title":42}"#),
        format!(
            "title: invalid type: {}, expected a string",
            number_shown("42")
        )
    );
    assert_eq!(
        message(r#"{"username":"u3","name":{"given":5}}"#),
        format!(
            "name.given: invalid type: {}, expected a string",
            number_shown("5")
        )
    );
}

/// How serde's "invalid type" error names the integer `digits` in a `Value`: by its value,
/// except with serde_json's `arbitrary_precision` (on in a build where any crate turns it
/// on), where a `Value`'s number is its text and serde_json names it only as a number.
fn number_shown(digits: &str) -> String {
    if crate::number_identity::numbers_keep_their_text() {
        String::from("number")
    } else {
        format!("integer `{digits}`")
    }
}

#[test]
fn bad_json_says_its_column_not_a_line_of_its_own() {
    let message = parse_line(9, r#"{"username": "u", "title": }"#, None)
        .unwrap_err()
        .to_string();
    assert_eq!(message, "not JSON: expected value at column 28");
    let message = parse_line(9, r#"{"username": "u", "username": "v"}"#, None)
        .unwrap_err()
        .to_string();
    assert!(message.ends_with("at column 28"), "{message}");
    assert!(!message.contains("line"), "{message}");
}

/// A feed whose lines end with `\r` alone (classic Mac OS, some exports) is one line for
/// `feed_lines`; its error said "trailing characters at column 21" and nothing of why.
#[test]
fn a_lone_carriage_return_and_nul_bytes_are_named() {
    let message = parse_line(
        1,
        "{\"username\": \"ada\"}\r{\"username\": \"bob\"}\r",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.starts_with("not JSON: trailing characters at column 21"),
        "{message}"
    );
    assert!(message.contains("carriage return"), "{message}");
    // UTF-16 without a byte order mark: a NUL byte beside every character.
    let utf16: String = "{\"username\": \"ada\"}"
        .chars()
        .flat_map(|c| [c, '\0'])
        .collect();
    let message = parse_line(1, &utf16, None).unwrap_err().to_string();
    assert!(message.contains("UTF-16"), "{message}");
    // A line without one says nothing of it.
    let message = parse_line(1, "{\"username\": \"ada\"} x", None)
        .unwrap_err()
        .to_string();
    assert!(!message.contains("carriage return"), "{message}");
}

#[test]
fn a_big_object_is_checked_for_duplicates_in_linear_time() {
    let members: Vec<String> = (0..40_000).map(|i| format!("\"k{i}\":1")).collect();
    let line = format!(r#"{{"username":"u","c":{{{}}}}}"#, members.join(","));
    let (taken, parsed) = crate::cpu_time::cpu_time(|| parse_line(1, &line, None));
    assert!(parsed.is_ok());
    // Quadratic, this took 15 s in a debug build. CPU time, not wall-clock time, which
    // passed 3 s on a loaded machine (2 failures in 7 runs at nice 19).
    assert!(taken < std::time::Duration::from_secs(3), "{taken:?}");
    // A duplicate among many members, early or late, with an escape.
    for at in [3, 31, 32, 33, 39_999] {
        let mut members = members.clone();
        members.push(format!("\"\\u006b{at}\":2"));
        let line = format!(r#"{{"username":"u","c":{{{}}}}}"#, members.join(","));
        let error = parse_line(1, &line, None).unwrap_err();
        assert!(error.to_string().contains("duplicate key"), "{at}: {error}");
    }
}

/// `{"UserName": "ada"}` said "no key to match on" though the line names its user, in
/// another case than PingOne's; it names the attribute and PingOne's spelling now.
#[test]
fn a_key_in_another_case_is_named() {
    for (line, name) in [
        (r#"{"UserName": "ada", "title": "T"}"#, "UserName"),
        (r#"{"ID": "a38890a6-295a-4d58-9f6e-b72b05fba379"}"#, "ID"),
        (r#"{"Email": "ada@example.com"}"#, "Email"),
    ] {
        let error = parse_line(1, line, None).unwrap_err();
        assert_eq!(
            error,
            LineError::UnknownAttributes(vec![name.into()]),
            "{line}"
        );
        let lower = name.to_ascii_lowercase();
        let message = error.to_string();
        assert!(
            message.contains(&format!("PingOne's name is {lower}")),
            "{message}"
        );
    }
    assert_eq!(
        parse_line(1, r#"{"title": "T"}"#, None),
        Err(LineError::NoKey)
    );
}

#[test]
fn an_empty_key_is_no_key() {
    for (line, attribute) in [
        (r#"{"username": ""}"#, "username"),
        (r#"{"email": "  ", "title": "T"}"#, "email"),
        (r#"{"id": "", "username": "u"}"#, "id"),
    ] {
        let error = parse_line(1, line, None).unwrap_err();
        assert_eq!(error, LineError::EmptyKey(attribute), "{line}");
        assert!(
            error.to_string().contains("a line with no key to match on"),
            "{error}"
        );
    }
}

#[test]
fn an_invalid_duplicate_reports_its_own_errors() {
    let reader = LineReader::new(None);
    let mut seen = SeenKeys::new(usize::MAX);
    assert!(
        reader
            .read(&mut seen, 1, r#"{"username":"ada","title":"A"}"#)
            .is_ok()
    );
    for (line, text) in [
        (2, r#"{"username":"ada","email":null}"#),
        (3, r#"{"username":"ADA","name":{"givenName":"A"}}"#),
        (4, r#"{"username":"ada","title":42}"#),
    ] {
        let (key, error) = reader.read(&mut seen, line, text).unwrap_err();
        assert!(key.is_some());
        assert!(
            !matches!(error, LineError::Duplicate { .. }),
            "line {line}: {error}"
        );
    }
    // A valid line for that user is still a duplicate of the first.
    let (_, error) = reader
        .read(&mut seen, 5, r#"{"username":"Ada","title":"B"}"#)
        .unwrap_err();
    assert_eq!(error, LineError::Duplicate { first_line: 1 });
    // An invalid first line is not applied, yet a later line for its user is a duplicate.
    assert!(
        reader
            .read(&mut seen, 6, r#"{"username":"bob","title":1}"#)
            .is_err()
    );
    let (_, error) = reader
        .read(&mut seen, 7, r#"{"username":"bob"}"#)
        .unwrap_err();
    assert_eq!(error, LineError::Duplicate { first_line: 6 });
}

/// A feed converted from a CSV whose header was written `id, username, title` (a space after
/// each comma, BurntSushi/rust-csv#78) or saved with a byte order mark before its first name
/// (docling-project/docling#4097) has ` username` or `\u{feff}username` on every line: each
/// line said "no key to match on" though it names its user, and ` title` was unknown without
/// a word of why. The name is given now, quoted and escaped, with PingOne's spelling.
#[test]
fn a_name_with_white_space_or_a_byte_order_mark_around_it_is_named() {
    for (line, name) in [
        ("{\" username\": \"ada\", \" title\": \"T\"}", " username"),
        (
            "{\"\u{feff}username\": \"ada\", \"title\": \"T\"}",
            "\u{feff}username",
        ),
        ("{\"username \": \"ada\"}", "username "),
        (
            "{\"\u{feff}id\": \"a38890a6-295a-4d58-9f6e-b72b05fba379\"}",
            "\u{feff}id",
        ),
        ("{\"\\tEmail\": \"ada@example.com\"}", "\tEmail"),
    ] {
        let error = parse_line(1, line, None).unwrap_err();
        assert_eq!(
            error,
            LineError::UnknownAttributes(vec![name.into()]),
            "{line}"
        );
        let message = error.to_string();
        let core = name
            .trim_matches(['\u{feff}', ' ', '\t'])
            .to_ascii_lowercase();
        assert!(
            message.contains(&format!("{name:?} (PingOne's name is {core}: "))
                && message.contains("CSV header"),
            "{message}"
        );
        assert!(!message.contains('\u{feff}'), "{message}");
    }
    // With a key: the other names, members too.
    for (line, name, core) in [
        (r#"{"username": "ada", " title": "T"}"#, " title", "title"),
        (
            r#"{"username": "ada", "name": {" given": "A"}}"#,
            "name. given",
            "name.given",
        ),
        (
            r#"{"username": "ada", "enabled ": true}"#,
            "enabled ",
            "enabled",
        ),
    ] {
        let error = parse_line(1, line, None).unwrap_err();
        assert_eq!(error, LineError::UnknownAttributes(vec![name.into()]));
        let message = error.to_string();
        assert!(
            message.contains(&format!("{name:?} (PingOne's name is {core}: ")),
            "{message}"
        );
    }
    // A name that is no core one's gets no hint.
    let message = parse_line(1, r#"{"username": "ada", " costCentre": 1}"#, None)
        .unwrap_err()
        .to_string();
    assert!(!message.contains("PingOne's name"), "{message}");
}

/// A line of 40,000 unknown names, or of one name of 900 KB (a whole CSV row read as one
/// key), made an error text, and so a report line and a dry-run plan's entry, of that size
/// (520 KB and 900 KB: review 50). The error keeps every name; its text shows twenty, each
/// cut to 100 bytes, and counts the rest.
#[test]
fn an_error_text_shows_a_bounded_number_of_names_each_cut() {
    let many: String = (0..40_000)
        .map(|number| format!(r#","unknown{number}":1"#))
        .collect();
    let declared = BTreeSet::new();
    let error =
        parse_line(1, &format!(r#"{{"username":"u"{many}}}"#), Some(&declared)).unwrap_err();
    let LineError::UnknownAttributes(names) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(names.len(), 40_000);
    let text = error.to_string();
    assert!(text.len() < 1_000, "{} bytes", text.len());
    assert!(text.ends_with("and 39980 more"), "{text}");

    let long = "é".repeat(450_000);
    let error = parse_line(
        1,
        &format!(r#"{{"username":"u","{long}":1}}"#),
        Some(&declared),
    )
    .unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 300, "{} bytes", text.len());
    assert!(
        text.contains(&format!("{}… (450000 characters)", "é".repeat(100))),
        "{text}"
    );
    assert_eq!(error, LineError::UnknownAttributes(vec![long]));

    // A core name behind 300,000 spaces, which the message names as padded: cut too
    // (review 55).
    let padded = format!("{}email", " ".repeat(300_000));
    let error = parse_line(
        1,
        &format!(r#"{{"username":"u","{padded}":"a@b.c"}}"#),
        Some(&declared),
    )
    .unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 600, "{} bytes", text.len());
    assert!(
        text.contains("\"… (300005 characters) (PingOne's name is email"),
        "{text}"
    );
}

/// Taking the key out of a line leaves its other attributes in their order: the line's where
/// serde_json keeps insertion order (its `preserve_order` feature, which another crate of a
/// build may turn on), whose `Map::remove` moved the last attribute into the key's place
/// (`locale` first in the first line, and so first in a report or an error's list); sorted
/// otherwise. Whichever key the line is matched by, first or among the others.
#[test]
fn attributes_keep_their_order_without_the_key() {
    let id = "a38890a6-295a-4d58-9f6e-b72b05fba379";
    let names = |text: &str| match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(members)) => members.keys().cloned().collect::<Vec<_>>(),
        other => panic!("not an object: {other:?}"),
    };
    let attributes = r#""title":"T","nickname":"N","locale":"en""#;
    for (line, expected) in [
        (
            format!(r#"{{"username":"u",{attributes}}}"#),
            format!("{{{attributes}}}"),
        ),
        (
            format!(r#"{{"id":"{id}",{attributes},"email":"e@x.io"}}"#),
            format!(r#"{{{attributes},"email":"e@x.io"}}"#),
        ),
        (
            r#"{"title":"T","email":"e@x.io","locale":"en","nickname":"N"}"#.to_owned(),
            r#"{"title":"T","locale":"en","nickname":"N"}"#.to_owned(),
        ),
    ] {
        let desired = parse_line(1, &line, None);
        let kept = desired.map(|desired| desired.attributes.keys().cloned().collect::<Vec<_>>());
        assert_eq!(kept, Ok(names(&expected)), "{line}");
    }
}
