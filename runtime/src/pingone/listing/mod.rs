//! Finding users: [`UserQuery`], and the client's [`list_users`](Client::list_users),
//! [`find_user_by_username`](Client::find_user_by_username) and
//! [`find_user_by_email`](Client::find_user_by_email), each with its `_as` form that reads
//! the users as a model of your own.
//!
//! Source: PingOne Platform API, "Read All Users" and "Paging and ordering collections"
//! (<https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-collections.html>).
//!
//! The list and its paging are here; `page` reads a page as PingOne answers it, and `find`
//! finds one user by `username` or `email`.

use std::collections::HashSet;
use std::hash::BuildHasher as _;

use futures_util::Stream;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::de::DeserializeOwned;

use super::client::{Arrived, Route};
use super::ids::check_id;
use super::query_credentials::{holds_credentials, shown_link, shown_unparsed_link};
use super::{Client, Error, Link, MAX_FILTER_DEPTH, User, UserFilter};

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
pub(crate) use find::{lookup_value_fault, same_in_any_case};
mod page;

use page::{Cursor, Page};

impl Client {
    /// The users that `query` selects, as a `Stream` that reads one page at a time with
    /// `GET /environments/{environmentID}/users?filter=...&limit=...` and follows
    /// `_links.next` until a page has none (or one whose `href` is empty). At most one page
    /// is held at a time, so memory stays flat however many users match, but for 8 bytes a
    /// page read (a hash of its URL, to tell a `next` link that loops back). The stream holds a clone of the client and
    /// copies of the environment ID and the query, and borrows none of them: it may outlive
    /// them, and move into `tokio::spawn` as it is (see [`Client`]'s "Runtimes").
    ///
    /// ```
    /// use futures_util::TryStreamExt;
    /// use sparse_patch::pingone::{Client, TokenSource, UserAttribute, UserFilter, UserQuery};
    /// use sparse_patch::pingone::emulator::Emulator;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let query = UserQuery::filtered(UserFilter::sw(UserAttribute::Username, "dsp"));
    /// let users: Vec<_> = client
    ///     .list_users(emulator.environment_id(), &query)
    ///     .try_collect()
    ///     .await?;
    /// assert_eq!(users[0].username, "dspanner");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// Each item is a user or the error that ended the list (the stream ends after it):
    /// [`Error::InvalidInput`] for an environment ID that is not a UUID, a limit outside
    /// 1 to [`MAX_PAGE_SIZE`], a filter deeper than [`MAX_FILTER_DEPTH`] (which could not
    /// be read back), or one that compares an attribute with an operator PingOne does not
    /// apply to it (`ew` on `title`: [`UserFilter::unsupported_comparison`](super::UserFilter::unsupported_comparison)),
    /// before anything is sent; [`Error::Decode`] for a page that is
    /// not a users page (its `_embedded.users` is not a list of users ([`User`], or `M` for
    /// [`list_users_as`](Client::list_users_as)), or it has no
    /// `_embedded.users` and no `count` or `size` of 0 to say that it is empty), or that holds
    /// more than [`MAX_PAGE_SIZE`] users (PingOne serves no more in a page: it is not read
    /// past its 201st, so that a body of small users does not take memory without bound),
    /// whose `next` link (resolved against the page's URL when it is relative, RFC 3986 §5) is not a URL, names
    /// another collection than this environment's users (another environment's users
    /// would pass for this one's), or leaves the API base URL (the token
    /// is never sent elsewhere: the link is parsed and compared part by part, the same scheme,
    /// host and port, no userinfo, and a path under the base path once `.`, `..`, `%2e%2e`
    /// and `\` are resolved, with no encoded `/` or `\`; the link followed is the normalised
    /// one), names a page already read (a loop, however long: after that page's users,
    /// which are given first, all of them: no list of the users given is kept, so those that
    /// an earlier page held come again, rather than a new one among them lost), or follows
    /// [`MAX_EMPTY_PAGES`] pages in a row without a new user (empty, or repeating the users of
    /// one of the [`MAX_EMPTY_PAGES`] pages before: a cursor that does not advance),
    /// each with the link in `body_start` up to its query (which holds the filter that names
    /// a user, or credentials: a transport error's URL has no query either), without its
    /// userinfo, and with the status (any 2xx) and attempts of the page's answer, so a
    /// faulty server cannot keep the list reading
    /// forever (an error of the `next` link comes after the users of the page that holds it);
    /// and the errors of [`get_user`](Client::get_user).
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user), while a page is read: in a runtime without its
    /// time or IO driver.
    pub fn list_users(
        &self,
        environment_id: &str,
        query: &UserQuery,
    ) -> impl Stream<Item = Result<User, Error>> + Send + 'static + use<> {
        self.list_users_as(environment_id, query)
    }

    /// [`list_users`](Client::list_users) with each user read as `M`, a model of your own
    /// (or `serde_json::Value`).
    ///
    /// # Errors
    ///
    /// As [`list_users`](Client::list_users).
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user), while a page is read: in a runtime without its
    /// time or IO driver.
    pub fn list_users_as<M: DeserializeOwned + Send + 'static>(
        &self,
        environment_id: &str,
        query: &UserQuery,
    ) -> impl Stream<Item = Result<M, Error>> + Send + 'static + use<M> {
        futures_util::TryStreamExt::map_ok(
            self.list_arrived_as(environment_id, query),
            |(user, _)| user,
        )
    }

    /// [`list_users_as`](Client::list_users_as), each user with the status and attempts of
    /// the answer of its page ([`Arrived`]), for the errors that a lookup finds in it.
    pub(super) fn list_arrived_as<M: DeserializeOwned + Send + 'static>(
        &self,
        environment_id: &str,
        query: &UserQuery,
    ) -> impl Stream<Item = Result<(M, Arrived), Error>> + Send + 'static + use<M> {
        let start = self.list_url(environment_id, query).map(|url| Cursor {
            client: self.clone(),
            environment: environment_id.to_ascii_lowercase(),
            page: Vec::new().into_iter(),
            arrived: None,
            next: Some(url),
            visited: HashSet::new(),
            url_hasher: std::hash::RandomState::new(),
            stale_pages: 0,
            recent: std::collections::VecDeque::new(),
            then_fail: None,
        });
        // An error ends the stream after it is yielded.
        futures_util::stream::try_unfold(start, |cursor| async move {
            let mut cursor = cursor?;
            loop {
                if let Some(arrived) = cursor.arrived
                    && let Some(user) = cursor.page.next()
                {
                    return Ok(Some(((user, arrived), Ok(cursor))));
                }
                // The error that ends the list, once the users of its page are given.
                if let Some(error) = cursor.then_fail.take() {
                    return Err(error);
                }
                let Some(url) = cursor.next.take() else {
                    return Ok(None);
                };
                let visited = cursor.url_hasher.hash_one(normalised(&url));
                cursor.visited.insert(visited);
                let route = Route {
                    template: "/environments/{environmentID}/users",
                    environment: &cursor.environment,
                };
                // Its errors name the status and attempts of the answer that held it.
                let (page, arrived): (Page<M>, Arrived) = cursor
                    .client
                    .call(reqwest::Method::GET, route, &url, None)
                    .await?;
                let next = cursor.client.next_link(
                    page.links.next.as_ref(),
                    &url,
                    &cursor.environment,
                    arrived,
                );
                let Page {
                    users, fingerprint, ..
                } = page;
                // A next link refused: the page's users are given first, then the error (they
                // were dropped with the page, as a looping link's were before).
                cursor.next = next.unwrap_or_else(|error| {
                    cursor.then_fail = Some(error);
                    None
                });
                if let Some(next) = &cursor.next {
                    // `next_link` normalised it already.
                    let stale = fingerprint.is_none_or(|f| cursor.recent.contains(&f));
                    if cursor.visited.contains(&cursor.url_hasher.hash_one(next)) {
                        let error = paging_error(
                            format!(
                                "the page's next link names a page already read ({} pages \
                                 read): the server's paging loops",
                                cursor.visited.len()
                            ),
                            next,
                            arrived,
                        );
                        // Its users, read whole: given first, so that the loop loses none of
                        // them (a page that starts as an earlier one did, with as many users,
                        // may still hold a new one); then the error.
                        cursor.then_fail = Some(error);
                        cursor.next = None;
                    } else if stale {
                        cursor.stale_pages += 1;
                        if cursor.stale_pages >= MAX_EMPTY_PAGES {
                            return Err(paging_error(
                                format!(
                                    "{MAX_EMPTY_PAGES} pages in a row held no user, or only \
                                     the users of a page before them, yet named a next page: \
                                     the server's cursor does not advance"
                                ),
                                next,
                                arrived,
                            ));
                        }
                    } else {
                        cursor.stale_pages = 0;
                    }
                }
                if let Some(fingerprint) = fingerprint {
                    if cursor.recent.len() == MAX_EMPTY_PAGES as usize {
                        cursor.recent.pop_front();
                    }
                    cursor.recent.push_back(fingerprint);
                }
                cursor.page = users.into_iter();
                cursor.arrived = Some(arrived);
            }
        })
    }

    fn list_url(&self, environment_id: &str, query: &UserQuery) -> Result<String, Error> {
        check_id("the environment ID", environment_id)?;
        if !(1..=MAX_PAGE_SIZE).contains(&query.limit) {
            return Err(Error::InvalidInput(format!(
                "the page size {} is not between 1 and {MAX_PAGE_SIZE}; nothing was sent",
                query.limit
            )));
        }
        if let Some(depth) = query.filter.as_ref().map(UserFilter::depth)
            && depth > MAX_FILTER_DEPTH
        {
            return Err(Error::InvalidInput(format!(
                "the filter nests {depth} levels deep, more than {MAX_FILTER_DEPTH}; nothing was \
                 sent"
            )));
        }
        if let Some((operator, attribute)) = query
            .filter
            .as_ref()
            .and_then(UserFilter::unsupported_comparison)
        {
            return Err(Error::InvalidInput(format!(
                "the filter compares {} with {}, which PingOne reads on email, name.family and \
                 name.given only; nothing was sent",
                attribute.path(),
                operator.as_str()
            )));
        }
        Ok(format!(
            "{}/environments/{}/users?{}",
            self.api_base_url(),
            environment_id.to_ascii_lowercase(),
            query.query_string()
        ))
    }

    /// The `next` link of the page at `page_url`, checked to stay under the API base URL, and
    /// normalised as it will be sent.
    ///
    /// A relative link (`/v1/environments/...`, `users?cursor=...`, `?cursor=...`, as a gateway
    /// that rewrites links writes them) is resolved against `page_url` (RFC 3986 §5) first,
    /// and checked as an absolute one is.
    ///
    /// The link is parsed (WHATWG URL rules, as reqwest sends it), so `.` and `..` segments,
    /// their percent-encoded forms (`%2e%2e`, `.%2E`) and backslashes are resolved before it is
    /// compared with the base, part by part: the same scheme, no userinfo, the same host, the
    /// same port (the scheme's default counts), and a path under the base path followed by
    /// `/` (so `/v1evil/` is not under `/v1`). A path segment holding an encoded `/` or `\`
    /// (`%2F`, `%5C`), which a server could decode into another segment, is refused too.
    /// Below the base, the path must be the collection being listed,
    /// `environments/{environment}/users` (the ID in any case, compared percent-decoded; a
    /// fragment, which is never sent, is dropped): a link to another
    /// environment's users or to another collection would pass its entries off as users of
    /// this one. A link whose query gives an `access_token` or a `client_secret` a value is
    /// refused too (RFC 6750 §2, §2.3: the token goes in the header alone), and every error
    /// here shows the link without its query (which holds those values, or the filter that
    /// names a user), nor its userinfo (`***@`, RFC 3986 §3.2.1), and with the status and
    /// attempts of the page's answer (`arrived`).
    fn next_link(
        &self,
        next: Option<&Link>,
        page_url: &str,
        environment: &str,
        arrived: Arrived,
    ) -> Result<Option<String>, Error> {
        // An empty `href` is no next page, as PingOne's Go SDK and other HAL clients read it
        // (`Links.Next.Href != ""`): resolved as RFC 3986 §5.2 says, it would name the page
        // just read, and the list would end in a decode error after its last page.
        let Some(next) = next.filter(|next| !next.href.trim().is_empty()) else {
            return Ok(None);
        };
        let base_text = self.api_base_url();
        // The link as an error shows it: without its query (a filter naming a user, or
        // credentials), nor its userinfo.
        let shown_href = || shown_link_start(&next.href);
        let refuse_shown = |why: &str, shown: String| {
            link_error(
                format!(
                    "the page's next link {why}: it must stay under {base_text}/, the token is \
                     not sent there"
                ),
                shown,
                arrived,
            )
        };
        let refuse = |why: &str| refuse_shown(why, shown_href());
        let base = reqwest::Url::parse(base_text)
            .map_err(|_| refuse("cannot be checked against the API base URL"))?;
        // Resolved against the page it came in (whose URL was sent, so it parses): a relative
        // link becomes absolute, an absolute one stays as it is.
        let mut url = reqwest::Url::parse(page_url)
            .and_then(|page| page.join(&next.href))
            .map_err(|_| {
                // Where its userinfo ends cannot be told: shown with less of it.
                let shown = shown_unparsed_link(&next.href);
                refuse_shown(
                    "is not a URL, absolute or relative to the page",
                    first_chars(&shown),
                )
            })?;
        // Never sent; kept, it would make each link of a cycle look new.
        url.set_fragment(None);
        // RFC 6750 §2: a client MUST NOT send its token more than one way in a request, and
        // §2.3 keeps it out of URLs (they land in logs): a link that carries one, such as a
        // gateway that echoes the request's token into its links, would have sent it in the
        // URL beside the Authorization header, and shown it in every error of that page.
        if url.query().is_some_and(holds_credentials) {
            return Err(link_error(
                "the page's next link carries an access_token or client_secret in its query \
                 (RFC 6750 §2.3): it is not followed, as the client sends its token in the \
                 Authorization header alone"
                    .to_owned(),
                shown_href(),
                arrived,
            ));
        }
        if url.scheme() != base.scheme() {
            return Err(refuse("has another scheme"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("holds userinfo"));
        }
        if url.host() != base.host() {
            return Err(refuse("names another host"));
        }
        if url.port_or_known_default() != base.port_or_known_default() {
            return Err(refuse("names another port"));
        }
        let base_path = base.path().trim_end_matches('/');
        let Some(below) = url
            .path()
            .strip_prefix(base_path)
            .and_then(|rest| rest.strip_prefix('/'))
        else {
            return Err(refuse("leaves the API base path once resolved"));
        };
        let hides_a_separator = below
            .split('/')
            .any(|segment| percent_decode_str(segment).any(|byte| matches!(byte, b'/' | b'\\')));
        if hides_a_separator {
            return Err(refuse("holds an encoded / or \\ in its path"));
        }
        // Compared decoded, as the server reads the path (`%61` is `a`); no segment holds an
        // encoded separator (checked above).
        let segments: Vec<_> = below
            .split('/')
            .map(|segment| percent_decode_str(segment).collect::<Vec<u8>>())
            .collect();
        let collection = matches!(
            segments.as_slice(),
            [environments, id, users]
                if environments == b"environments"
                    && users == b"users"
                    && id.eq_ignore_ascii_case(environment.as_bytes())
        );
        if !collection {
            return Err(link_error(
                format!(
                    "the page's next link names another collection than the users of \
                     environment {environment} ({base_text}/environments/{environment}/users): \
                     what it lists would pass for users of this environment"
                ),
                shown_href(),
                arrived,
            ));
        }
        Ok(Some(url.into()))
    }
}

/// `url` as the client sends it (parsed and serialised), or as it is if it is not a URL, so
/// that two spellings of one page compare equal.
fn normalised(url: &str) -> String {
    reqwest::Url::parse(url).map_or_else(|_| url.to_owned(), String::from)
}

/// The first [`BODY_START_CHARS`](super::BODY_START_CHARS) characters of a `next` link as
/// an error shows it ([`shown_link`]): without its query, which holds the filter that finds a
/// user (`filter=email eq "ada@example.com"`) and may hold credentials, as a transport
/// error's URL has none; nor its fragment or userinfo.
fn shown_link_start(link: &str) -> String {
    first_chars(&shown_link(link))
}

/// The first [`BODY_START_CHARS`](super::BODY_START_CHARS) characters of `text`, as an error
/// keeps them in `body_start`.
fn first_chars(text: &str) -> String {
    text.chars().take(super::BODY_START_CHARS).collect()
}

/// The [`Error::Decode`] that ends a list whose paging does not advance, with the `next` link
/// that arrived, as an error shows it ([`shown_link_start`]), and the status and attempts of
/// the page that held it.
fn paging_error(reason: String, next: &str, arrived: Arrived) -> Error {
    link_error(reason, shown_link_start(next), arrived)
}

/// The [`Error::Decode`] of a page's `next` link (`shown`, as an error shows it): the status
/// and attempts are those of the page's answer (`arrived`), any 2xx; they were said to be a
/// 200 sent once whatever arrived.
fn link_error(reason: String, shown: String, arrived: Arrived) -> Error {
    Error::Decode {
        status: arrived.status,
        reason,
        body_start: shown,
        attempts: arrived.attempts,
        retry_after: None,
    }
}
