//! The value to look up by, checked before anything is sent ([`check_lookup_value`]): not
//! empty, no control or invisible format character, not longer than any user's.

use super::super::super::{Error, UserAttribute};

/// Refuses, before anything is sent, a `value` to look up by `attribute` that no user's can be:
/// empty (or white space alone), or holding a control, invisible format or private-use
/// character (PingOne's pattern for text attributes refuses them:
/// [`outside_text`](crate::pingone::rules::outside_text)), or longer than any user's
/// ([`longest_value`]: a whole row of a file taken for one value), or, for an email, white
/// space at an end (an address holds none there, RFC 5322 §3.4.1). Such a value comes from a file read
/// carelessly: the byte order mark that starts a spreadsheet's "CSV UTF-8" export, the `\r`
/// of a Windows line, a cell's padding; looked up as it is, it finds no user, and the caller
/// would report a user that exists as missing.
pub(super) fn check_lookup_value(attribute: UserAttribute, value: &str) -> Result<(), Error> {
    match lookup_value_fault(attribute, value) {
        Some(fault) => Err(Error::InvalidInput(format!("{fault}; nothing was sent"))),
        None => Ok(()),
    }
}

/// What is wrong with `value` as a `username` or `email` to look up (see
/// [`check_lookup_value`]), or `None`; the sync job refuses a feed line keyed so.
pub(crate) fn lookup_value_fault(attribute: UserAttribute, value: &str) -> Option<String> {
    let name = attribute.path();
    let shown = crate::quoted::Quoted {
        text: value,
        max: 64,
    };
    let fault = if value.trim().is_empty() {
        format!("the {name} to find is empty or white space alone ({shown})")
    } else if let Some((at, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| crate::pingone::rules::outside_text(c))
    {
        format!(
            "the {name} to find, {shown}, holds {c:?} at character {} (a control or invisible \
             format character, such as the byte order mark that starts a spreadsheet's CSV \
             export or the \\r of a Windows line ending), which no {name} can hold: remove it",
            at + 1
        )
    } else if let Some(longest) = longest_value(attribute)
        && longest.is_past(value)
    {
        format!(
            "the {name} to find, {shown}, is longer than any {name} PingOne holds ({longest}), \
             so no user has it"
        )
    } else if attribute == UserAttribute::Email && value.trim() != value {
        format!(
            "the email to find, {shown}, has white space at an end, which no email address \
             holds: trim it"
        )
    } else {
        return None;
    };
    Some(fault)
}

/// The longest `username` or `email` a user holds: a username's rule (1 to 128 characters, the
/// pre-flight table's), and an address of 320 bytes (RFC 3696 §3), as pre-flight's format
/// check takes it. `None` for another attribute.
fn longest_value(attribute: UserAttribute) -> Option<Longest> {
    match attribute {
        UserAttribute::Username => match crate::pingone::rules::rule("username")?.check {
            crate::pingone::rules::Check::Text { max, .. }
            | crate::pingone::rules::Check::Length { max, .. } => Some(Longest::Characters(max)),
            _ => None,
        },
        UserAttribute::Email => Some(Longest::Bytes(crate::pingone::rules::LONGEST_EMAIL_BYTES)),
        _ => None,
    }
}

/// A bound on a value's length, in the unit its rule counts.
#[derive(Debug, Clone, Copy)]
enum Longest {
    Characters(usize),
    Bytes(usize),
}

impl Longest {
    /// Whether `value` is longer than the bound.
    fn is_past(self, value: &str) -> bool {
        match self {
            // Counted only past the bound in bytes: a text holds at most as many characters.
            Longest::Characters(max) => value.len() > max && value.chars().count() > max,
            Longest::Bytes(max) => value.len() > max,
        }
    }
}

impl std::fmt::Display for Longest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Longest::Characters(max) => write!(f, "{max} characters at most"),
            Longest::Bytes(max) => write!(f, "{max} bytes at most"),
        }
    }
}
