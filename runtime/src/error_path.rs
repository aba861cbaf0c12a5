//! The attribute at which reading a typed value from JSON fails, put in front of serde's error
//! (``at `address.postalCode`: invalid type: ...``): serde's own text names the type it
//! expected, not where, and the typed patches that [`Patch::from_json_patch`] and
//! [`Patch::from_scim_patch`] read from a changed document answer a client that sent several
//! operations.
//!
//! [`Patch::from_json_patch`]: crate::Patch::from_json_patch
//! [`Patch::from_scim_patch`]: crate::Patch::from_scim_patch

use core::fmt::Write as _;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde_path_to_error::Segment;

use crate::quoted::{MESSAGE_CHARS, Quoted, escaped_shortened};

/// How many characters of a member's name a path writes: a map's key is the client's (or the
/// server's) data, which may be a whole document long.
const MEMBER_CHARS: usize = 64;

/// `error`, serde's failure to read `T` from what `again` reads (the same JSON, read a second
/// time, with `serde_path_to_error`, only after the failure), with the path of the attribute
/// in front: members joined by `.`, array elements as `[n]`. Left as it is where the failure
/// is at the document itself (no path), or where its text names the path already (``invalid
/// value: null for `name.given` ``).
#[cold]
#[inline(never)]
pub(crate) fn named<'de, T, D>(again: D, error: serde_json::Error) -> serde_json::Error
where
    T: Deserialize<'de>,
    D: Deserializer<'de, Error = serde_json::Error>,
{
    let Err(tracked) = serde_path_to_error::deserialize::<D, T>(again) else {
        return error;
    };
    let path = path_text(tracked.path(), &str::to_owned);
    let text = error.to_string();
    // Named already: the reader's own text for `null` on a required attribute, which gives
    // the path (``invalid value: null for `name.given`, ...``). Not any text that quotes the
    // path: serde quotes the refused value so too (``unknown variant `backup` `` for the
    // attribute `backup`).
    let shown = message(&text);
    if path.is_empty() || text.contains(&format!("null for `{path}`")) {
        return if shown == text {
            error
        } else {
            serde_json::Error::custom(shown)
        };
    }
    serde_json::Error::custom(format_args!("at `{path}`: {shown}"))
}

/// serde's message about the document, as an error's text shows it: the characters that
/// would drive a terminal or break a line escaped ([`Escaped`](crate::quoted::Escaped): serde quotes a member's name
/// as it is, ``unknown field `a\n…` ``), and the value that it quotes cut to
/// [`MESSAGE_CHARS`] characters ([`shortened`](crate::quoted::shortened): ``invalid type: string "…"``, a megabyte
/// long), keeping what was expected; cut before it is escaped ([`escaped_shortened`]), so that
/// no escape is split and the note counts the message's characters.
fn message(text: &str) -> String {
    escaped_shortened(text, MESSAGE_CHARS)
}

/// `path` as text: members joined by `.`, array elements as `[n]`. A member's name that
/// would make the path mean another (one holding `.`, `[`, `]`, a backtick, a quote or a
/// backslash: the key `a.b` is one member, not `a` then `b`), that is empty, that holds a
/// character Rust's `Debug` escapes (a control character, U+2028, U+202E) or that is longer
/// than [`MEMBER_CHARS`] characters is quoted as `Debug` writes a string, cut to that many
/// characters ([`Quoted`]), so that no line break of the input forges a line of a log that
/// holds the error, and no override reorders what a terminal shows. Each name goes through `redact`
/// first (the client takes its bearer token out), so that no part of a secret is left by a
/// cut inside it.
pub(crate) fn path_text(
    path: &serde_path_to_error::Path,
    redact: &dyn Fn(&str) -> String,
) -> String {
    let mut text = String::new();
    for segment in path {
        let name = match segment {
            Segment::Seq { index } => {
                let _ = write!(text, "[{index}]");
                continue;
            }
            Segment::Map { key: name } | Segment::Enum { variant: name } => redact(name),
            Segment::Unknown => "?".to_owned(),
        };
        if !text.is_empty() {
            text.push('.');
        }
        // Quoted whatever Rust's `Debug` escapes (control characters, but also U+2028 and
        // U+2029, line breaks to many log viewers, and U+202E, which reorders what a terminal
        // shows), and what would make the path read otherwise.
        let plain = !name.is_empty()
            && name.chars().count() <= MEMBER_CHARS
            && name.chars().all(|c| {
                !matches!(c, '.' | '[' | ']' | '`' | '"' | '\\' | '\'')
                    && c.escape_debug().len() == 1
            });
        if plain {
            text.push_str(&name);
        } else {
            let _ = write!(
                text,
                "{}",
                Quoted {
                    text: &name,
                    max: MEMBER_CHARS
                }
            );
        }
    }
    text
}
