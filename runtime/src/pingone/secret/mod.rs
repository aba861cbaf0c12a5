//! [`Secret`]: an access token or a client secret, never shown in `Debug`, and taken out of
//! any text that an error keeps (an answer's body may echo the request's headers).
//!
//! Its parts: `written` the secret taken out where it is written as it is (and whether a
//! match stands alone), `escaped` where a JSON escape writes it, `tests` the unit tests.

use core::fmt;
use std::sync::{Arc, OnceLock};

use reqwest::header::HeaderValue;

mod escaped;
#[cfg(test)]
mod tests;
mod written;

use escaped::redact_escaped;
pub(crate) use written::replace_written;

/// A string that never shows in `Debug` or `Display`: an access token or a client secret.
///
/// Shared, not copied, by a clone: each request takes the token of the moment from the cache
/// (`TokenProvider::ready`), and a copy of the text cost every call an allocation.
#[derive(Clone)]
pub(crate) struct Secret(Arc<Shared>);

struct Shared {
    text: Box<str>,
    /// The `Authorization` header value that sends the secret as a bearer token, built by the
    /// first request that sends it ([`Secret::bearer`]).
    bearer: OnceLock<Option<HeaderValue>>,
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl Secret {
    /// `text`, kept as a secret.
    pub(crate) fn new(text: String) -> Self {
        Secret(Arc::new(Shared {
            text: text.into_boxed_str(),
            bearer: OnceLock::new(),
        }))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0.text
    }

    /// `Bearer {secret}`, the value of the `Authorization` header that sends it as a bearer
    /// token (RFC 6750 §2.1), marked sensitive as reqwest's `bearer_auth` marks it; `None` when
    /// the text cannot be in a header value (a control character). Built once per secret and
    /// shared by every request that sends it: formatting and checking it for each request
    /// cost about 1,500 instructions a call.
    pub(crate) fn bearer(&self) -> Option<&HeaderValue> {
        self.0
            .bearer
            .get_or_init(|| {
                let mut value = HeaderValue::try_from(format!("Bearer {}", self.expose())).ok()?;
                value.set_sensitive(true);
                Some(value)
            })
            .as_ref()
    }

    /// `text` with this secret replaced by `***`: as it is, and written with JSON escapes
    /// (`\/`, `\"`, `\\`, `\u0073` in either case, surrogate pairs), however many of its
    /// characters are escaped, as a JSON body that echoes it may write it: also in a body that
    /// is not an error object, or is cut, whose start an error shows as it is. A JSON body's
    /// strings are redacted once decoded too (see `Answer::api_error` and `token_error`): a
    /// body that escaped the secret twice.
    ///
    /// A secret shorter than [`WHOLE_WORDS_BELOW`] characters (a test's token `t` or `token`:
    /// PingOne's access tokens are JWTs of hundreds, its client secrets 64) is taken out only
    /// where it is not part of a longer word ([`stands_alone`](written::stands_alone)): a
    /// token `t` blanked every `t` of an error's text (`***he ***oken was refused`). A longer
    /// one is taken out wherever it is.
    ///
    /// Linear in `text` (one search for the secret, and one pass over a text that holds a
    /// backslash), and without allocating for a text that holds neither: every string of a
    /// large error body goes through it.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.redact_cow(text).into_owned()
    }

    /// [`redact`](Secret::redact), borrowing a text that holds no secret.
    fn redact_cow<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        use std::borrow::Cow;
        let secret = self.expose();
        if secret.is_empty() {
            return Cow::Borrowed(text);
        }
        let whole_words = self.is_short();
        let mut text = Cow::Borrowed(text);
        if text.contains('\\')
            && let Some(unescaped) = redact_escaped(&text, secret, whole_words)
        {
            text = Cow::Owned(unescaped);
        }
        match replace_written(&text, secret, whole_words) {
            Cow::Owned(replaced) => Cow::Owned(replaced),
            Cow::Borrowed(_) => text,
        }
    }

    /// Whether the secret is shorter than [`WHOLE_WORDS_BELOW`] characters, and so taken out
    /// of a text only where it stands alone ([`redact`](Secret::redact)).
    pub(crate) fn is_short(&self) -> bool {
        self.expose().chars().nth(WHOLE_WORDS_BELOW - 1).is_none()
    }

    /// Every string of `value`, member names included, with this secret taken out
    /// ([`redact`](Secret::redact)).
    pub(crate) fn redact_json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(text) => {
                if let std::borrow::Cow::Owned(redacted) = self.redact_cow(text) {
                    *text = redacted;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact_json(item)),
            Value::Object(members) => {
                if members
                    .keys()
                    .any(|name| matches!(self.redact_cow(name), std::borrow::Cow::Owned(_)))
                {
                    *members = std::mem::take(members)
                        .into_iter()
                        .map(|(name, value)| (self.redact(&name), value))
                        .collect();
                }
                members
                    .values_mut()
                    .for_each(|member| self.redact_json(member));
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// How many characters a secret has at least for [`Secret::redact`] to take it out wherever
/// it is; a shorter one is taken out only where it stands alone
/// ([`stands_alone`](written::stands_alone)).
pub(crate) const WHOLE_WORDS_BELOW: usize = 8;

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}
