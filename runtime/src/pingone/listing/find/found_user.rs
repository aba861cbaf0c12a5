//! The user that a lookup found, checked: it has the username or email asked for, in any
//! case ([`check_match`], [`same_in_any_case`]), and an [`Error::Decode`] when it does not
//! read as the caller's model ([`undecodable_found_user`]).

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::super::super::client::Arrived;
use super::super::super::{Error, UserAttribute};

/// The user that a lookup by username or email found (its JSON text) must have that username
/// or email, in any case: a server or a proxy that ignored the filter would otherwise hand back
/// another user, whom the caller would then change.
///
/// "In any case" is as lenient as the server may be: equal once both are in lower case, or
/// once both are in upper case, which also takes `ß` as `SS` and a final `ς` as `σ`
/// (PingOne documents usernames as case-insensitive, not how it folds them), each in Unicode
/// NFC, so that `é` and `e` followed by U+0301 (one text in two forms, which look the same)
/// are one (PingOne documents no normalization; a server that applies one finds the user for
/// either form). Lower case alone refused a user `straße` that a server folding `ß` found for
/// `STRASSE`, or `josé` found for `jose\u{301}`, and the lookup failed, blaming the server for
/// ignoring the filter (in an error that showed the same text twice). Another user is never
/// equal so.
///
/// Returns the user's `id` when it is a PingOne ID (a UUID), which
/// [`Error::SeveralMatches`] names; an `id` of another kind is not this check's to refuse.
/// Its errors name the status and attempts of the answer of the user's page (`arrived`).
pub(super) fn check_match(
    user: &serde_json::value::RawValue,
    attribute: UserAttribute,
    value: &str,
    shown: &str,
    arrived: Arrived,
) -> Result<Option<String>, Error> {
    #[derive(Deserialize)]
    struct Keys {
        #[serde(default)]
        username: Option<String>,
        #[serde(default)]
        email: Option<String>,
        #[serde(default)]
        id: Option<serde_json::Value>,
    }

    let keys: Keys = serde_json::from_str(user.get())
        .map_err(|error| undecodable_found_user::<Keys>(shown, user.get(), &error, arrived))?;
    let id = match keys.id {
        Some(serde_json::Value::String(id)) if crate::pingone::is_pingone_id(&id) => Some(id),
        _ => None,
    };
    let found = match attribute {
        UserAttribute::Username => keys.username,
        UserAttribute::Email => keys.email,
        _ => return Ok(id),
    };
    if let Some(found) = &found
        && same_in_any_case(found, value)
    {
        return Ok(id);
    }
    // Not quoted: the user answered is someone else, whose username or email (and the log
    // that keeps the error) is not this lookup's to show. Its length and `id` tell the
    // mismatch apart from a value in another case or form, which matches.
    let found = found.map_or_else(
        || "none".to_owned(),
        |found| crate::quoted::NotShown(found.chars().count()).to_string(),
    );
    let whose = id
        .as_deref()
        .map_or_else(String::new, |id| format!(" ({id})"));
    Err(Error::Decode {
        status: arrived.status,
        reason: format!(
            "the server answered a user{whose} whose {} {found} does not match the filter \
             {shown}",
            attribute.path()
        ),
        body_start: String::new(),
        attempts: arrived.attempts,
        retry_after: None,
    })
}

/// Whether `a` and `b` are one text in any case: equal as they are, in lower case, or in upper
/// case, each in Unicode NFC (see [`check_match`]): a `username eq` or `email eq` filter of
/// `b` may find a user whose value is `a`.
pub(crate) fn same_in_any_case(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
    let (a, b) = (nfc.normalize(a), nfc.normalize(b));
    a == b || a.to_lowercase() == b.to_lowercase() || a.to_uppercase() == b.to_uppercase()
}

/// The [`Error::Decode`] of a user that a lookup by `shown` (the filter, as errors show it)
/// found but that does not decode as `T`: its JSON `text` and serde's `error`, with the path
/// of the attribute at fault in front when there is one (``at `badges[1]`: missing field
/// `type` ``, as `get_user_as` names it), and the status and attempts of the answer of its
/// page (`arrived`).
///
/// The path's names are the document's keys, as the body's start that the error keeps is its
/// text: neither is redacted here (the answer's token is not at hand once its page is read).
#[cold]
pub(super) fn undecodable_found_user<T: DeserializeOwned>(
    shown: &str,
    text: &str,
    error: &serde_json::Error,
    arrived: Arrived,
) -> Error {
    // serde's message quotes the value it refused, whole: a user's, said by its length as a
    // decoder's reason of a user's document is. Only serde's message is read for values, before
    // the path goes in front of it (a key may end in what reads as serde's marker of a value).
    let message = crate::quoted::without_quoted_values(&error.to_string());
    let reason = super::super::super::decode_path::with_failing_path::<T>(
        text.as_bytes(),
        error,
        message,
        &str::to_owned,
    );
    Error::Decode {
        status: arrived.status,
        reason: format!(
            "the user that {shown} found: {}",
            crate::quoted::shortened(&reason, super::super::super::BODY_START_CHARS)
        ),
        body_start: text
            .chars()
            .take(super::super::super::BODY_START_CHARS)
            .collect(),
        attempts: arrived.attempts,
        retry_after: None,
    }
}
