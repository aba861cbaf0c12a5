//! The users list: [`Client::list_users`] and its `_as` forms, a stream that reads one page
//! at a time and follows `_links.next`.

use std::collections::HashSet;
use std::hash::BuildHasher as _;

use futures_util::Stream;
use serde::de::DeserializeOwned;

use super::super::client::{Arrived, Route};
use super::super::ids::check_id;
use super::super::{Client, Error, MAX_FILTER_DEPTH, User, UserFilter};
use super::next_link::{normalised, paging_error};
use super::page::{Cursor, Page};
use super::{MAX_EMPTY_PAGES, MAX_PAGE_SIZE, UserQuery};

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
}
