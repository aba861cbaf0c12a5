//! A page of the users list as PingOne answers it (`_embedded.users`, `size`, `_links.next`),
//! and the cursor that follows the pages.

use std::collections::HashSet;
use std::hash::Hash as _;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::super::client::Arrived;
use super::super::{Client, Error, Link};
use super::MAX_PAGE_SIZE;
use crate::number_identity::writes_zero;

/// One page of "Read All Users", read from its members ([`PageMembers`]): its users (none
/// for an empty page), the fingerprint of a page that holds any, and its `_links`. A body
/// that is not a users page fails to decode ([`PageMembers`]'s `TryFrom`), as one whose
/// `_embedded.users` is not a list of users does, so that its error is the answer's own:
/// with the answer's status and attempts, and a PingOne error body answered with a 2xx said
/// to be one. Refused after decoding, it was `Error::Decode` with status 200 whatever the
/// status (a 202 or a 299 too), and a PingOne error body was said to be "not a users page"
/// (review 87).
#[derive(Deserialize)]
#[serde(bound = "M: DeserializeOwned", try_from = "PageMembers<M>")]
pub(super) struct Page<M> {
    /// The page's users, in its order.
    pub(super) users: Vec<M>,
    /// The fingerprint of a page that holds users ([`Users`]), `None` for an empty one.
    pub(super) fingerprint: Option<u64>,
    pub(super) links: Links,
}

/// The members of a page of "Read All Users" as they came: `_embedded.users`, `_links`, and
/// `count` (the matches in all) and `size` (the users on this page).
#[derive(Deserialize)]
#[serde(bound = "M: DeserializeOwned")]
pub(super) struct PageMembers<M> {
    #[serde(rename = "_embedded")]
    embedded: Option<Embedded<M>>,
    #[serde(rename = "_links", default, deserialize_with = "links_or_null")]
    links: Links,
    #[serde(default)]
    count: Option<Tally>,
    #[serde(default)]
    size: Option<Tally>,
}

/// A page's `count` or `size`, read only to tell an empty page (see [`Page`]'s `TryFrom`): any JSON
/// number not below zero, a float with or without a fraction included (`1.0`, as a gateway or
/// serializer whose numbers are all doubles writes it; read as `u64`, such a number made the
/// whole page, users and all, a decode error), or a string that spells one (`"1"`, `"0"`, as
/// gateways that re-serialize JSON and Terraform's PingOne provider met numbers written): a
/// string made the whole page a decode error too, though the page's users never need its
/// `count`. Any other value (a negative number, other text, an object, a text that an `f64`
/// rounds to 0 and that is not 0, such as `"1e-400"`) is [`Tally::Unreadable`]: it never fails a page that holds users, and never says that a page
/// without them is empty.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tally {
    /// Zero users.
    Zero,
    /// One user or more.
    Some,
    /// Not a number of users.
    Unreadable,
}

impl<'de> Deserialize<'de> for Tally {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde_json::{Number, Value};

        // Through `serde_json::Number`, which reads any JSON number whatever serde_json's
        // features; a string only when it is a JSON number's text and nothing else. Zero is
        // told by the text, which writes it exactly: read as an `f64`, `"1e-400"` (and
        // `"-1e-400"`, a negative number) was 0, and a page without users was said empty
        // (review 69). A JSON number's text is serde_json's (`0.0` for `1e-400` unless it
        // keeps the text as written, with `arbitrary_precision`).
        let read = match Value::deserialize(deserializer)? {
            Value::Number(number) => Some((number.to_string(), number)),
            Value::String(text) if text.trim() == text => {
                text.parse::<Number>().ok().map(|number| (text, number))
            }
            _ => None,
        };
        Ok(match read {
            // `-0` and `0.0e5` too.
            Some((text, _)) if writes_zero(&text) => Tally::Zero,
            Some((_, number)) if number.as_f64().is_some_and(|value| value > 0.0) => Tally::Some,
            _ => Tally::Unreadable,
        })
    }
}

/// The page's `_links`: only `next` is read, and must be one link with an `href` (a `next`
/// of another shape is a decode error, not the end of the list); other relations, of any
/// shape (HAL allows arrays of links), are ignored.
#[derive(Deserialize, Default)]
pub(super) struct Links {
    pub(super) next: Option<Link>,
}

/// A page's `_links`, `null` read as none (as a missing `_links` is): it failed the whole page,
/// users and all, though it names no next page any more than an absent one does.
fn links_or_null<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Links, D::Error> {
    Ok(Option::<Links>::deserialize(deserializer)?.unwrap_or_default())
}

/// `_embedded`: the users. Left out or `null`, they are as absent as a missing `_embedded`
/// (a serializer that leaves out empty lists writes `"_embedded": {}`).
#[derive(Deserialize)]
#[serde(bound = "M: DeserializeOwned")]
pub(super) struct Embedded<M> {
    #[serde(default)]
    pub(super) users: Option<Users<M>>,
}

/// A page's users, and a fingerprint that tells a page repeating an earlier one (see
/// [`MAX_EMPTY_PAGES`]): its first user, and how many users it holds. Pages of a listing that
/// advances start with different users; only the first user is read more than once (as text,
/// for its `id`, then as `M`), so the fingerprint costs next to nothing.
///
/// The first user is known by its `id` when it has a string one ([`first_user_key`]), else by
/// its JSON text: taken by its text alone, a server whose cursor does not advance but that
/// writes the same user differently on each page (its members in another order, a
/// `lastSignOn` or `updatedAt` of the moment) had every page taken for a new one, and
/// `find_user_by_username` read such pages for ever (review 72).
///
/// [`MAX_EMPTY_PAGES`]: super::MAX_EMPTY_PAGES
pub(super) struct Users<M> {
    pub(super) list: Vec<M>,
    pub(super) fingerprint: u64,
}

impl<'de, M: DeserializeOwned> Deserialize<'de> for Users<M> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<M>(std::marker::PhantomData<M>);

        impl<'de, M: DeserializeOwned> serde::de::Visitor<'de> for Visitor<M> {
            type Value = Users<M>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a list of users")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Users<M>, A::Error> {
                let mut hasher = std::hash::DefaultHasher::new();
                let mut list =
                    Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_PAGE_SIZE as usize));
                // Decoding the page again to find where it failed: every user is read in
                // place, the first too, so that the path of a failure in the first user goes
                // on into it (`_embedded.users[0].badges[1]`). The fingerprint is not wanted.
                if super::super::decode_path::finding_path() {
                    while let Some(user) = next_user(&mut seq, list.len())? {
                        list.push(user);
                    }
                    return Ok(Users {
                        list,
                        fingerprint: 0,
                    });
                }
                // Borrowed from the body (read with `serde_json::from_slice`), not copied.
                if let Some(first) = seq.next_element::<&'de serde_json::value::RawValue>()? {
                    first_user_key(first).hash(&mut hasher);
                    list.push(serde_json::from_str(first.get()).map_err(|error| {
                        <A::Error as serde::de::Error>::custom(format_args!(
                            "the first user: {error}"
                        ))
                    })?);
                }
                while let Some(user) = next_user(&mut seq, list.len())? {
                    list.push(user);
                }
                std::hash::Hasher::write_usize(&mut hasher, list.len());
                Ok(Users {
                    list,
                    fingerprint: std::hash::Hasher::finish(&hasher),
                })
            }
        }

        deserializer.deserialize_seq(Visitor(std::marker::PhantomData))
    }
}

/// The next user of a page that holds `read` users so far, or `None` at its end; an error
/// once it holds more than [`MAX_PAGE_SIZE`] (the 201st is skipped, not read as a user).
///
/// PingOne serves at most [`MAX_PAGE_SIZE`] users a page ("Paging and ordering collections":
/// "the page size limit of 200 for the /environments/{{envID}}/users endpoint"). A page of
/// more comes from a server or proxy that misbehaves, and was read whole: a body of
/// [`MAX_BODY_BYTES`](super::super::MAX_BODY_BYTES) (16 MiB) holding 620,000 users of two
/// empty members (`{"username":"","email":""}`) took 1.2 GB as [`User`](super::super::User)s
/// (about 2 KB each), 285 MB as `serde_json::Value`s, before the first was given.
fn next_user<'de, M: DeserializeOwned, A: serde::de::SeqAccess<'de>>(
    seq: &mut A,
    read: usize,
) -> Result<Option<M>, A::Error> {
    if read < MAX_PAGE_SIZE as usize {
        return seq.next_element();
    }
    match seq.next_element::<serde::de::IgnoredAny>()? {
        None => Ok(None),
        Some(_) => Err(<A::Error as serde::de::Error>::custom(format_args!(
            "the page holds more than {MAX_PAGE_SIZE} users (MAX_PAGE_SIZE), the most PingOne \
             serves in a page: a server or proxy that ignores the page size; the page is not read"
        ))),
    }
}

/// What tells the first user of a page from another's (see [`Users`]).
#[derive(Hash)]
enum UserKey<'a> {
    /// Its `id`, a string.
    Id(String),
    /// Its JSON text as it came, for a user without a string `id`.
    Text(&'a str),
}

/// The key of `user` ([`UserKey`]): its `id` member when the user is a JSON object whose
/// `id` is a string (PingOne's users all have one), else its JSON text.
fn first_user_key(user: &serde_json::value::RawValue) -> UserKey<'_> {
    /// A user's `id`, every other member skipped.
    #[derive(Deserialize)]
    struct Identified {
        id: String,
    }

    match serde_json::from_str::<Identified>(user.get()) {
        Ok(identified) => UserKey::Id(identified.id),
        Err(_) => UserKey::Text(user.get()),
    }
}

impl<M> TryFrom<PageMembers<M>> for Page<M> {
    type Error = &'static str;

    /// The page's users. A page without `_embedded` (or without `_embedded.users`) is empty
    /// only when its `count` or `size` says so, and neither is [`Tally::Unreadable`]: JSON
    /// without any of them (`{"status": "ok"}` from a proxy or a wrong endpoint, a PingOne
    /// error body answered with a 2xx) is not a users page, and reading it as an empty one
    /// would turn "could not look" into "no such user".
    fn try_from(members: PageMembers<M>) -> Result<Self, Self::Error> {
        let (users, fingerprint) = match members.embedded.and_then(|embedded| embedded.users) {
            Some(users) if users.list.is_empty() => (users.list, None),
            Some(users) => (users.list, Some(users.fingerprint)),
            // A count or size that cannot be read beside one of 0 leaves the page's emptiness
            // in doubt.
            None if [members.count, members.size].contains(&Some(Tally::Zero))
                && !([members.count, members.size].contains(&Some(Tally::Unreadable))) =>
            {
                (Vec::new(), None)
            }
            None => {
                return Err(
                    "not a users page: it has no `_embedded.users`, and no `count` or `size` of 0",
                );
            }
        };
        Ok(Page {
            users,
            fingerprint,
            links: members.links,
        })
    }
}

/// Where the list stands between two polls: the users left of the current page, and the next
/// page's URL, if any.
pub(super) struct Cursor<M> {
    pub(super) client: Client,
    /// For the calls' spans.
    pub(super) environment: String,
    pub(super) page: std::vec::IntoIter<M>,
    /// The status and attempts of the answer of the current page (`None` before the first).
    pub(super) arrived: Option<Arrived>,
    pub(super) next: Option<String>,
    /// A 64-bit hash of every page URL requested so far (8 bytes a page, not the URL's few
    /// hundred: a list of ten million users in pages of 200 keeps 50,000 of them): a `next`
    /// link among them is a loop. Keyed at random per list, so that no server can choose two
    /// URLs that collide; by chance, two URLs of one list collide once in 2^64 pairs.
    pub(super) visited: HashSet<u64>,
    /// The hash of [`Cursor::visited`].
    pub(super) url_hasher: std::hash::RandomState,
    /// Pages in a row that held no new user (none, or the users of a recent page) but named
    /// a next page.
    pub(super) stale_pages: u32,
    /// The fingerprints of the last [`MAX_EMPTY_PAGES`](super::MAX_EMPTY_PAGES) pages that
    /// held users.
    pub(super) recent: std::collections::VecDeque<u64>,
    /// The error that ends the list once the users of the page read last are given: its next
    /// link was refused, or named a page already read.
    pub(super) then_fail: Option<Error>,
}

#[cfg(test)]
mod tests {
    use super::Page;

    /// Whether a page of `body` reads as empty (no users, no error).
    fn reads_as_empty(body: &str) -> bool {
        serde_json::from_str::<Page<serde_json::Value>>(body)
            .is_ok_and(|page| page.users.is_empty())
    }

    /// A `count` written as a string whose value is not 0 but that an `f64` rounds to 0
    /// (`"1e-400"`, and `"-1e-400"`, a negative number) read as 0 (serde_json parses it to
    /// `0.0`): a page without users was said empty, and a lookup answered "no such user".
    /// Only a text that writes 0 exactly says so; a JSON number does too where serde_json
    /// keeps its text (`arbitrary_precision`: by default it holds `0.0`, and 0 it is).
    #[test]
    fn a_count_that_rounds_to_zero_is_no_count_of_zero() {
        for zero in [
            r#"{"count": "0"}"#,
            r#"{"count": "-0"}"#,
            r#"{"count": "0.0e5"}"#,
            r#"{"size": "0", "count": null}"#,
            r#"{"count": 0}"#,
            r#"{"count": -0.0}"#,
        ] {
            assert!(reads_as_empty(zero), "{zero}");
        }
        for not_zero in [
            r#"{"count": "1e-400"}"#,
            r#"{"count": "-1e-400"}"#,
            r#"{"count": " 0"}"#,
            r#"{"count": "1e400"}"#,
            r#"{"count": "NaN"}"#,
            r#"{"count": "+0"}"#,
            r#"{"count": "00"}"#,
            r#"{"count": "-1"}"#,
            r#"{"count": "0", "size": "-1e-400"}"#,
        ] {
            assert!(!reads_as_empty(not_zero), "{not_zero}");
        }
    }
}
