//! Finding one user by `username` or `email`: zero or one, several being an error, and the
//! check that the user PingOne answered matches the value asked for.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::super::client::Arrived;
use super::super::{Client, Error, User, UserAttribute, UserFilter};
use super::UserQuery;

impl Client {
    /// The one user whose `username` is `username` (compared in any case, as PingOne does), or
    /// `None`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`], before anything is sent, when `username` is empty or holds a
    /// control or invisible format character (a byte order mark, a `\r`), or is longer than
    /// 128 characters, which no username can hold; [`Error::SeveralMatches`] when more than one user matches (users with
    /// different IDs: a user the server answers twice is one match), [`Error::Decode`] when the
    /// server answers a user whose `username` is not `username` (a server or proxy that ignored
    /// the filter: that user is not returned, so it is not changed by mistake; nor is its
    /// username quoted, another person's, only its length and `id`) or answers the
    /// user it found again on page after page (more times than
    /// [`MAX_PAGE_SIZE`](super::MAX_PAGE_SIZE) and [`MAX_EMPTY_PAGES`](super::MAX_EMPTY_PAGES)
    /// together: paging that does not advance), and
    /// the errors of [`list_users`](Client::list_users).
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn find_user_by_username(
        &self,
        environment_id: &str,
        username: &str,
    ) -> Result<Option<User>, Error> {
        self.find_user_by_username_as(environment_id, username)
            .await
    }

    /// [`find_user_by_username`](Client::find_user_by_username) with the user read as `M`, a
    /// model of your own (or `serde_json::Value`), as [`get_user_as`](Client::get_user_as)
    /// and [`list_users_as`](Client::list_users_as) read one:
    /// `client.find_user_by_username_as::<MyUser>(env, "ada")`. The check that the user found
    /// has that username reads the answer's `username` itself, whether `M` has one or not.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::Emulator};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Badge {
    ///     id: String,
    ///     title: Option<String>,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let env = emulator.environment_id();
    /// let found = client.find_user_by_username_as::<Badge>(env, "DSpanner").await?.unwrap();
    /// assert_eq!(found.id, emulator.user_id());
    /// assert!(client.find_user_by_email_as::<Badge>(env, "nobody@example.com").await?.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`find_user_by_username`](Client::find_user_by_username); also [`Error::Decode`]
    /// when the user found does not read as `M`.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn find_user_by_username_as<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        username: &str,
    ) -> Result<Option<M>, Error> {
        self.find_one(environment_id, UserAttribute::Username, username)
            .await
    }

    /// The one user whose `email` is `email` (compared in any case, as PingOne does), or
    /// `None`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`], before anything is sent, when `email` is empty, has white space
    /// at an end, holds a control or invisible format character (a byte order mark, a
    /// `\r`), or is longer than 320 bytes, which no email can hold; [`Error::SeveralMatches`] when more than one user
    /// matches, [`Error::Decode`] when the
    /// server answers a user whose `email` is not `email` (a server or proxy that ignored
    /// the filter: that user is not returned, so it is not changed by mistake; nor is its
    /// email quoted, another person's, only its length and `id`) or answers the
    /// user it found again on page after page (as for
    /// [`find_user_by_username`](Client::find_user_by_username)), and the errors
    /// of [`list_users`](Client::list_users).
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn find_user_by_email(
        &self,
        environment_id: &str,
        email: &str,
    ) -> Result<Option<User>, Error> {
        self.find_user_by_email_as(environment_id, email).await
    }

    /// [`find_user_by_email`](Client::find_user_by_email) with the user read as `M`, a model
    /// of your own (or `serde_json::Value`); see
    /// [`find_user_by_username_as`](Client::find_user_by_username_as).
    ///
    /// # Errors
    ///
    /// As [`find_user_by_email`](Client::find_user_by_email); also [`Error::Decode`] when the
    /// user found does not read as `M`.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn find_user_by_email_as<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        email: &str,
    ) -> Result<Option<M>, Error> {
        self.find_one(environment_id, UserAttribute::Email, email)
            .await
    }

    /// The one user whose `attribute` is `value`, read as `M`. The users are read as their
    /// JSON text first: the check of the match reads `attribute` from it, then the one user
    /// found is read as `M`.
    async fn find_one<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        attribute: UserAttribute,
        value: &str,
    ) -> Result<Option<M>, Error> {
        use futures_util::TryStreamExt as _;

        check_lookup_value(attribute, value)?;
        let filter = UserFilter::eq(attribute, value);
        let shown = filter.to_string();
        // Two are enough to tell one match from several.
        let query = UserQuery::filtered(filter).limit(2);
        let mut stream = std::pin::pin!(
            self.list_arrived_as::<Box<serde_json::value::RawValue>>(environment_id, &query)
        );
        // Each user with the status and attempts of its page's answer, which its errors name.
        let Some((first, first_arrived)) = stream.try_next().await? else {
            return Ok(None);
        };
        let first_id = check_match(&first, attribute, value, &shown, first_arrived)?;
        let mut repeats = 0;
        while let Some((second, arrived)) = stream.try_next().await? {
            // The second user is checked as the first: a server that ignored the filter
            // would otherwise have another user named as a second match.
            let second_id = check_match(&second, attribute, value, &shown, arrived)?;
            // The same user again (a page that holds it twice, or a next page that repeats
            // it, as offset paging does when users are added meanwhile): still one match,
            // not several (wso2/product-is#4181). The list's own guards end a server that
            // repeats it for ever in pages alike; one whose pages differ each time (pages of
            // more users than asked for, of ever other lengths, whose fingerprints are new)
            // is ended here.
            if second_id.is_some() && second_id == first_id {
                repeats += 1;
                if repeats >= MAX_REPEATS {
                    return Err(Error::Decode {
                        status: arrived.status,
                        reason: format!(
                            "the server answered the user it found for the filter {shown} \
                             {MAX_REPEATS} times more on the pages after it: its paging does \
                             not advance"
                        ),
                        body_start: String::new(),
                        attempts: arrived.attempts,
                        retry_after: None,
                    });
                }
                continue;
            }
            return Err(Error::SeveralMatches {
                filter: shown,
                user_ids: [first_id, second_id].into_iter().flatten().collect(),
            });
        }
        serde_json::from_str(first.get())
            .map(Some)
            .map_err(|error| {
                undecodable_found_user::<M>(&shown, first.get(), &error, first_arrived)
            })
    }
}

/// How many times more a lookup takes the user it found from the pages after it before it ends
/// with [`Error::Decode`]: a server whose paging does not advance, answering that user on
/// every page (in pages of lengths that the list's guard, [`MAX_EMPTY_PAGES`], takes for new
/// ones), kept the lookup reading for ever. One page of [`MAX_PAGE_SIZE`] users, all that user,
/// stays one match.
///
/// [`MAX_EMPTY_PAGES`]: super::MAX_EMPTY_PAGES
/// [`MAX_PAGE_SIZE`]: super::MAX_PAGE_SIZE
const MAX_REPEATS: u32 = super::MAX_PAGE_SIZE + super::MAX_EMPTY_PAGES;

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
fn check_match(
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

/// Refuses, before anything is sent, a `value` to look up by `attribute` that no user's can be:
/// empty (or white space alone), or holding a control, invisible format or private-use
/// character (PingOne's pattern for text attributes refuses them:
/// [`outside_text`](crate::pingone::rules::outside_text)), or longer than any user's
/// ([`longest_value`]: a whole row of a file taken for one value), or, for an email, white
/// space at an end (an address holds none there, RFC 5322 §3.4.1). Such a value comes from a file read
/// carelessly: the byte order mark that starts a spreadsheet's "CSV UTF-8" export, the `\r`
/// of a Windows line, a cell's padding; looked up as it is, it finds no user, and the caller
/// would report a user that exists as missing.
fn check_lookup_value(attribute: UserAttribute, value: &str) -> Result<(), Error> {
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
fn undecodable_found_user<T: DeserializeOwned>(
    shown: &str,
    text: &str,
    error: &serde_json::Error,
    arrived: Arrived,
) -> Error {
    // serde's message quotes the value it refused, whole: a user's, said by its length as a
    // decoder's reason of a user's document is. Only serde's message is read for values, before
    // the path goes in front of it (a key may end in what reads as serde's marker of a value).
    let message = crate::quoted::without_quoted_values(&error.to_string());
    let reason = super::super::decode_path::with_failing_path::<T>(
        text.as_bytes(),
        error,
        message,
        &str::to_owned,
    );
    Error::Decode {
        status: arrived.status,
        reason: format!(
            "the user that {shown} found: {}",
            crate::quoted::shortened(&reason, super::super::BODY_START_CHARS)
        ),
        body_start: text.chars().take(super::super::BODY_START_CHARS).collect(),
        attempts: arrived.attempts,
        retry_after: None,
    }
}
