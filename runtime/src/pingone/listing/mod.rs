//! Finding users: [`UserQuery`], and the client's [`list_users`](Client::list_users),
//! [`find_user_by_username`](Client::find_user_by_username) and
//! [`find_user_by_email`](Client::find_user_by_email), each with its `_as` form that reads
//! the users as a model of your own.
//!
//! Source: PingOne Platform API, "Read All Users" and "Paging and ordering collections"
//! (<https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-collections.html>).
//!
//! The query and the bounds of a list are here; `list` reads the list page by page, and
//! `next_link` checks each page's `next` link; `page` reads a page as PingOne answers it, and
//! `find` finds one user by `username` or `email`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::UserFilter;
#[cfg(doc)]
use super::{Client, Error};

/// The largest page PingOne serves for users, and what [`UserQuery`] asks for by default. A
/// page that holds more is [`Error::Decode`] (see [`Client::list_users`]).
#[cfg(feature = "client")]
pub const MAX_PAGE_SIZE: u32 = 200;

/// How many pages in a row may hold no new user yet name a next page before the list ends with
/// [`Error::Decode`]: a server whose cursor does not advance (each empty page, or each page that
/// repeats the users of one of the `MAX_EMPTY_PAGES` pages before it, naming a new URL) would
/// otherwise be read forever. A page repeats another when it holds as many users and its first
/// user is the same: the same `id`, however the server writes the user (its members in
/// another order, a `lastSignOn` of the moment), or for a user without a string `id` the same
/// JSON text; only a fingerprint (64 bits) of each of the last
/// `MAX_EMPTY_PAGES` pages is kept, so memory stays flat. *Unverified* whether PingOne ever sends an empty page with a `next`
/// link; this bound is the client's own guard.
#[cfg(feature = "client")]
pub const MAX_EMPTY_PAGES: u32 = 16;

/// RFC 3986 §2.3: everything but the unreserved characters is percent-encoded in a query
/// value (a space as `%20`, never `+`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Which users [`Client::list_users`] reads: a filter, or all of them, in pages of `limit`.
///
/// ```
/// use sparse_patch::pingone::{UserAttribute, UserFilter, UserQuery};
///
/// let query = UserQuery::filtered(UserFilter::sw(UserAttribute::Email, "d")).limit(50);
/// assert_eq!(query.query_string(), "filter=email%20sw%20%22d%22&limit=50");
/// assert_eq!(UserQuery::all().query_string(), "limit=200");
///
/// // `Default` is `all()`, and a filter converts into the query that reads its matches.
/// assert_eq!(UserQuery::default(), UserQuery::all());
/// let filter = UserFilter::eq(UserAttribute::Username, "dspanner");
/// assert_eq!(UserQuery::from(filter.clone()), UserQuery::filtered(filter));
/// ```
#[cfg(feature = "client")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserQuery {
    filter: Option<UserFilter>,
    limit: u32,
}

impl UserQuery {
    /// Every user of the environment, in pages of [`MAX_PAGE_SIZE`].
    #[must_use]
    pub fn all() -> Self {
        UserQuery {
            filter: None,
            limit: MAX_PAGE_SIZE,
        }
    }

    /// The users that `filter` matches, in pages of [`MAX_PAGE_SIZE`].
    #[must_use]
    pub fn filtered(filter: UserFilter) -> Self {
        UserQuery {
            filter: Some(filter),
            limit: MAX_PAGE_SIZE,
        }
    }

    /// The page size to ask for, 1 to [`MAX_PAGE_SIZE`] (checked when the list is read):
    /// PingOne's `limit` query parameter, which sizes each page, not the list. The stream
    /// still yields every user that matches, page after page; to stop after `n` users, take
    /// `n` of the stream (`TryStreamExt::try_next` `n` times, or `StreamExt::take(n)`), which
    /// asks for no further page. PingOne may answer smaller pages; the client follows
    /// `_links.next` whatever the size of a page.
    ///
    /// Source: PingOne Platform API, "Read All Users"
    /// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#get-read-all-users>).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    /// The query string sent: `filter=...&limit=...`, the filter percent-encoded
    /// (RFC 3986 §3.4).
    #[must_use]
    pub fn query_string(&self) -> String {
        match &self.filter {
            Some(filter) => format!(
                "filter={}&limit={}",
                utf8_percent_encode(&filter.to_string(), QUERY_VALUE),
                self.limit
            ),
            None => format!("limit={}", self.limit),
        }
    }
}

impl Default for UserQuery {
    /// [`UserQuery::all`]: every user, in pages of [`MAX_PAGE_SIZE`].
    fn default() -> Self {
        UserQuery::all()
    }
}

impl From<UserFilter> for UserQuery {
    /// [`UserQuery::filtered`]: the users that `filter` matches, in pages of [`MAX_PAGE_SIZE`].
    fn from(filter: UserFilter) -> Self {
        UserQuery::filtered(filter)
    }
}

mod find;
mod list;
mod next_link;
mod page;

pub(crate) use find::{lookup_value_fault, same_in_any_case};
