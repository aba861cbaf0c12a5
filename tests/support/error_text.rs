//! The checks of tests/error_text_bounds.rs and tests/pingone_error_text_bounds.rs: hostile
//! inputs (a megabyte of one character, of line ends and ANSI escapes, of wide characters, of
//! invisible format characters, and a short one), and whether an error's text and `Debug`
//! stay within a few kilobytes and escape every character that would drive a terminal.
#![allow(dead_code)]

use std::fmt::{Debug, Display};

/// The most bytes that an error's text or `Debug` may take, whatever its input.
pub(crate) const MAX_BYTES: usize = 8 * 1024;

/// How many characters each hostile input holds.
pub(crate) const INPUT_CHARS: usize = 1 << 20;

/// The hostile inputs: long, full of line ends and escapes, of wide characters, and of
/// invisible format characters; and a short one of those.
pub(crate) fn inputs() -> [String; 5] {
    let repeated = |piece: &str| piece.repeat(INPUT_CHARS / piece.chars().count());
    [
        repeated("a"),
        repeated("x\n\u{1b}[2J\u{202e}y\r"),
        repeated("é👩"),
        // No control character: invisible format characters alone (a bidi override, a
        // zero-width space), which Rust's `Debug` escapes and `char::is_control` does not see.
        repeated("b\u{202e}c\u{200b}"),
        // And a short one: a text that needs no cut must be escaped all the same.
        "b\u{202e}c\u{200b}".to_owned(),
    ]
}

/// Whether `c` is one that an error's text or `Debug` must show escaped: one that Rust's
/// `Debug` escapes, but the quotes and the backslash that it escapes by their meaning.
pub(crate) fn raw(c: char) -> bool {
    c.escape_debug().nth(1).is_some() && !matches!(c, '"' | '\'' | '\\')
}

/// `error`'s text and `Debug`, each checked ([`check`]), returned for what they must still say.
#[track_caller]
pub(crate) fn bounded(what: &str, error: &(impl Display + Debug)) -> (String, String) {
    let text = error.to_string();
    check(what, "text", &text);
    (text, bounded_debug(what, error))
}

/// `value`'s `Debug`, checked ([`check`]).
#[track_caller]
pub(crate) fn bounded_debug(what: &str, value: &impl Debug) -> String {
    let debug = format!("{value:?}");
    check(what, "Debug", &debug);
    debug
}

/// At most [`MAX_BYTES`], nothing [`raw`].
#[track_caller]
pub(crate) fn check(what: &str, kind: &str, shown: &str) {
    let start: String = shown.chars().take(300).collect();
    assert!(
        shown.len() <= MAX_BYTES,
        "{what}: its {kind} is {} bytes: {start:?}",
        shown.len()
    );
    escaped(what, kind, shown);
}

/// Nothing [`raw`].
#[track_caller]
pub(crate) fn escaped(what: &str, kind: &str, shown: &str) {
    if let Some(at) = shown.find(raw) {
        let around: String = shown[at.saturating_sub(40)..].chars().take(80).collect();
        panic!("{what}: its {kind} holds a raw character: {around:?}");
    }
}

/// `result`'s error.
#[track_caller]
pub(crate) fn refused<T, E>(result: Result<T, E>) -> E {
    match result {
        Ok(_) => panic!("accepted"),
        Err(error) => error,
    }
}
