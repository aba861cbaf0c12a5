//! Finding users: [`UserQuery`], and the client's [`list_users`](Client::list_users),
//! [`find_user_by_username`](Client::find_user_by_username) and
//! [`find_user_by_email`](Client::find_user_by_email), each with its `_as` form that reads
//! the users as a model of your own.
//!
//! Source: PingOne Platform API, "Read All Users" and "Paging and ordering collections"
//! (<https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-collections.html>).

use std::collections::HashSet;
use std::hash::BuildHasher as _;

use futures_util::Stream;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::client::Route;
use super::ids::check_id;
use super::{Client, Error, Link, MAX_FILTER_DEPTH, User, UserAttribute, UserFilter};

/// The largest page PingOne serves for users, and what [`UserQuery`] asks for by default.
pub const MAX_PAGE_SIZE: u32 = 200;

/// How many pages in a row may hold no new user yet name a next page before the list ends with
/// [`Error::Decode`]: a server whose cursor does not advance (each empty page, or each page that
/// repeats the users of one of the `MAX_EMPTY_PAGES` pages before it, naming a new URL) would
/// otherwise be read forever. A page repeats another when it holds as many users and its first
/// user has the same JSON text; only a fingerprint (64 bits) of each of the last
/// `MAX_EMPTY_PAGES` pages is kept, so memory stays flat. *Unverified* whether PingOne ever sends an empty page with a `next`
/// link; this bound is the client's own guard.
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// One page of "Read All Users": `_embedded.users`, `_links`, and `count` (the matches in
/// all) and `size` (the users on this page).
#[derive(Deserialize)]
#[serde(bound = "M: DeserializeOwned")]
struct Page<M> {
    #[serde(rename = "_embedded")]
    embedded: Option<Embedded<M>>,
    #[serde(rename = "_links", default)]
    links: Links,
    #[serde(default)]
    count: Option<Tally>,
    #[serde(default)]
    size: Option<Tally>,
}

/// A page's `count` or `size`, read only to tell an empty page (see [`Page::users`]): any JSON
/// number not below zero, a float with or without a fraction included (`1.0`, as a gateway or
/// serializer whose numbers are all doubles writes it; read as `u64`, such a number made the
/// whole page, users and all, a decode error). Text, or a negative number, is refused.
#[derive(Clone, Copy)]
struct Tally {
    zero: bool,
}

impl<'de> Deserialize<'de> for Tally {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Through `serde_json::Number`, which reads any JSON number whatever serde_json's
        // features.
        let number = serde_json::Number::deserialize(deserializer)?;
        match number.as_f64() {
            Some(value) if value >= 0.0 => Ok(Tally { zero: value == 0.0 }),
            _ => Err(serde::de::Error::custom(format_args!(
                "invalid count or size {number}: expected a number of users, not below 0"
            ))),
        }
    }
}

/// The page's `_links`: only `next` is read, and must be one link with an `href` (a `next`
/// of another shape is a decode error, not the end of the list); other relations, of any
/// shape (HAL allows arrays of links), are ignored.
#[derive(Deserialize, Default)]
struct Links {
    next: Option<Link>,
}

/// `_embedded`: the users. Left out or `null`, they are as absent as a missing `_embedded`
/// (a serializer that leaves out empty lists writes `"_embedded": {}`).
#[derive(Deserialize)]
#[serde(bound = "M: DeserializeOwned")]
struct Embedded<M> {
    #[serde(default)]
    users: Option<Users<M>>,
}

/// A page's users, and a fingerprint that tells a page repeating an earlier one (see
/// [`MAX_EMPTY_PAGES`]): the JSON text of its first user, and how many users it holds. Pages
/// of a listing that advances start with different users; only the first user is read twice
/// (as text, then as `M`), so the fingerprint costs next to nothing.
struct Users<M> {
    list: Vec<M>,
    fingerprint: u64,
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
                // Borrowed from the body (read with `serde_json::from_slice`), not copied.
                if let Some(first) = seq.next_element::<&'de serde_json::value::RawValue>()? {
                    std::hash::Hasher::write(&mut hasher, first.get().as_bytes());
                    list.push(serde_json::from_str(first.get()).map_err(|error| {
                        <A::Error as serde::de::Error>::custom(format_args!(
                            "the first user: {error}"
                        ))
                    })?);
                }
                while let Some(user) = seq.next_element()? {
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

impl<M> Page<M> {
    /// The page's users. A page without `_embedded` (or without `_embedded.users`) is empty
    /// only when its `count` or `size` says so: JSON without any of them (`{"status": "ok"}`
    /// from a proxy or a wrong endpoint) is not a users page, and reading it as an empty one
    /// would turn "could not look" into "no such user".
    ///
    /// Returns the users, and the fingerprint of a page that holds any.
    fn users(self, url: &str) -> Result<(Vec<M>, Option<u64>), Error> {
        match self.embedded.and_then(|embedded| embedded.users) {
            Some(users) if users.list.is_empty() => Ok((users.list, None)),
            Some(users) => Ok((users.list, Some(users.fingerprint))),
            None if [self.count, self.size]
                .iter()
                .any(|tally| tally.is_some_and(|tally| tally.zero)) =>
            {
                Ok((Vec::new(), None))
            }
            None => Err(paging_error(
                "not a users page: it has no `_embedded.users`, and no `count` or `size` of 0"
                    .into(),
                url,
            )),
        }
    }
}

/// Where the list stands between two polls: the users left of the current page, and the next
/// page's URL, if any.
struct Cursor<M> {
    client: Client,
    /// For the calls' spans.
    environment: String,
    page: std::vec::IntoIter<M>,
    next: Option<String>,
    /// A 64-bit hash of every page URL requested so far (8 bytes a page, not the URL's few
    /// hundred: a list of ten million users in pages of 200 keeps 50,000 of them): a `next`
    /// link among them is a loop. Keyed at random per list, so that no server can choose two
    /// URLs that collide; by chance, two URLs of one list collide once in 2^64 pairs.
    visited: HashSet<u64>,
    /// The hash of [`Cursor::visited`].
    url_hasher: std::hash::RandomState,
    /// Pages in a row that held no new user (none, or the users of a recent page) but named
    /// a next page.
    stale_pages: u32,
    /// The fingerprints of the last [`MAX_EMPTY_PAGES`] pages that held users.
    recent: std::collections::VecDeque<u64>,
}

impl Client {
    /// The users that `query` selects, as a `Stream` that reads one page at a time with
    /// `GET /environments/{environmentID}/users?filter=...&limit=...` and follows
    /// `_links.next` until a page has none. At most one page is held at a time, so memory
    /// stays flat however many users match, but for 8 bytes a page read (a hash of its URL,
    /// to tell a `next` link that loops back). The stream holds a clone of the client and
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
    /// 1 to [`MAX_PAGE_SIZE`], or a filter deeper than [`MAX_FILTER_DEPTH`] (which could not
    /// be read back), before anything is sent; [`Error::Decode`] for a page that is
    /// not a users page (its `_embedded.users` is not a list of `M`, or it has no
    /// `_embedded.users` and no `count` or `size` of 0 to say that it is empty), whose `next` link
    /// (resolved against the page's URL when it is relative, RFC 3986 §5) is not a URL, names
    /// another collection than this environment's users (another environment's users
    /// would pass for this one's), or leaves the API base URL (the token
    /// is never sent elsewhere: the link is parsed and compared part by part, the same scheme,
    /// host and port, no userinfo, and a path under the base path once `.`, `..`, `%2e%2e`
    /// and `\` are resolved, with no encoded `/` or `\`; the link followed is the normalised
    /// one), names a page already read (a loop, however long), or follows
    /// [`MAX_EMPTY_PAGES`] pages in a row without a new user (empty, or repeating the users of
    /// one of the [`MAX_EMPTY_PAGES`] pages before: a cursor that does not advance),
    /// each with the link in `body_start`, so a faulty server cannot keep the list reading
    /// forever; and the errors of [`update_user`](Client::update_user).
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
    pub fn list_users_as<M: DeserializeOwned + Send + 'static>(
        &self,
        environment_id: &str,
        query: &UserQuery,
    ) -> impl Stream<Item = Result<M, Error>> + Send + 'static + use<M> {
        let start = self.list_url(environment_id, query).map(|url| Cursor {
            client: self.clone(),
            environment: environment_id.to_ascii_lowercase(),
            page: Vec::new().into_iter(),
            next: Some(url),
            visited: HashSet::new(),
            url_hasher: std::hash::RandomState::new(),
            stale_pages: 0,
            recent: std::collections::VecDeque::new(),
        });
        // An error ends the stream after it is yielded.
        futures_util::stream::try_unfold(start, |cursor| async move {
            let mut cursor = cursor?;
            loop {
                if let Some(user) = cursor.page.next() {
                    return Ok(Some((user, Ok(cursor))));
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
                let page: Page<M> = cursor
                    .client
                    .call(reqwest::Method::GET, route, &url, None)
                    .await?;
                cursor.next =
                    cursor
                        .client
                        .next_link(page.links.next.as_ref(), &url, &cursor.environment)?;
                let (users, fingerprint) = page.users(&url)?;
                if let Some(next) = &cursor.next {
                    // `next_link` normalised it already.
                    if cursor.visited.contains(&cursor.url_hasher.hash_one(next)) {
                        return Err(paging_error(
                            format!(
                                "the page's next link names a page already read ({} pages \
                                 read): the server's paging loops",
                                cursor.visited.len()
                            ),
                            next,
                        ));
                    }
                    let stale = fingerprint.is_none_or(|f| cursor.recent.contains(&f));
                    if stale {
                        cursor.stale_pages += 1;
                        if cursor.stale_pages >= MAX_EMPTY_PAGES {
                            return Err(paging_error(
                                format!(
                                    "{MAX_EMPTY_PAGES} pages in a row held no user, or only \
                                     the users of a page before them, yet named a next page: \
                                     the server's cursor does not advance"
                                ),
                                next,
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
            }
        })
    }

    /// The one user whose `username` is `username` (compared in any case, as PingOne does), or
    /// `None`.
    ///
    /// # Errors
    ///
    /// [`Error::SeveralMatches`] when more than one user matches, [`Error::Decode`] when the
    /// server answers a user whose `username` is not `username` (a server or proxy that ignored
    /// the filter: that user is not returned, so it is not changed by mistake), and the errors
    /// of [`list_users`](Client::list_users).
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
    /// [`Error::SeveralMatches`] when more than one user matches, [`Error::Decode`] when the
    /// server answers a user whose `email` is not `email` (a server or proxy that ignored
    /// the filter: that user is not returned, so it is not changed by mistake), and the errors
    /// of [`list_users`](Client::list_users).
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

        let filter = UserFilter::eq(attribute, value);
        let shown = filter.to_string();
        // Two are enough to tell one match from several.
        let query = UserQuery::filtered(filter).limit(2);
        let mut stream = std::pin::pin!(
            self.list_users_as::<Box<serde_json::value::RawValue>>(environment_id, &query)
        );
        let Some(first) = stream.try_next().await? else {
            return Ok(None);
        };
        check_match(&first, attribute, value, &shown)?;
        if stream.try_next().await?.is_some() {
            return Err(Error::SeveralMatches { filter: shown });
        }
        serde_json::from_str(first.get())
            .map(Some)
            .map_err(|error| undecodable_found_user(&shown, first.get(), &error))
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
    /// this one.
    fn next_link(
        &self,
        next: Option<&Link>,
        page_url: &str,
        environment: &str,
    ) -> Result<Option<String>, Error> {
        let Some(next) = next else {
            return Ok(None);
        };
        let base_text = self.api_base_url();
        let refuse = |why: &str| Error::Decode {
            status: 200,
            reason: format!(
                "the page's next link {why}: it must stay under {base_text}/, the token is \
                 not sent there"
            ),
            body_start: next.href.chars().take(super::BODY_START_CHARS).collect(),
            attempts: 1,
            retry_after: None,
        };
        let base = reqwest::Url::parse(base_text)
            .map_err(|_| refuse("cannot be checked against the API base URL"))?;
        // Resolved against the page it came in (whose URL was sent, so it parses): a relative
        // link becomes absolute, an absolute one stays as it is.
        let mut url = reqwest::Url::parse(page_url)
            .and_then(|page| page.join(&next.href))
            .map_err(|_| refuse("is not a URL, absolute or relative to the page"))?;
        // Never sent; kept, it would make each link of a cycle look new.
        url.set_fragment(None);
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
            return Err(Error::Decode {
                status: 200,
                reason: format!(
                    "the page's next link names another collection than the users of \
                     environment {environment} ({base_text}/environments/{environment}/users): \
                     what it lists would pass for users of this environment"
                ),
                body_start: next.href.chars().take(super::BODY_START_CHARS).collect(),
                attempts: 1,
                retry_after: None,
            });
        }
        Ok(Some(url.into()))
    }
}

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
fn check_match(
    user: &serde_json::value::RawValue,
    attribute: UserAttribute,
    value: &str,
    shown: &str,
) -> Result<(), Error> {
    #[derive(Deserialize)]
    struct Keys {
        #[serde(default)]
        username: Option<String>,
        #[serde(default)]
        email: Option<String>,
    }

    let keys: Keys = serde_json::from_str(user.get())
        .map_err(|error| undecodable_found_user(shown, user.get(), &error))?;
    let found = match attribute {
        UserAttribute::Username => keys.username,
        UserAttribute::Email => keys.email,
        _ => return Ok(()),
    };
    if let Some(found) = &found
        && same_in_any_case(found, value)
    {
        return Ok(());
    }
    let found = found.map_or_else(|| "none".to_owned(), |found| format!("{found:?}"));
    Err(Error::Decode {
        status: 200,
        reason: format!(
            "the server answered a user whose {} {found} does not match the filter {shown}",
            attribute.path()
        ),
        body_start: String::new(),
        attempts: 1,
        retry_after: None,
    })
}

/// Whether `a` and `b` are one text in any case: equal as they are, in lower case, or in upper
/// case (see [`check_match`]).
fn same_in_any_case(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
    let (a, b) = (nfc.normalize(a), nfc.normalize(b));
    a == b || a.to_lowercase() == b.to_lowercase() || a.to_uppercase() == b.to_uppercase()
}

/// `url` as the client sends it (parsed and serialised), or as it is if it is not a URL, so
/// that two spellings of one page compare equal.
fn normalised(url: &str) -> String {
    reqwest::Url::parse(url).map_or_else(|_| url.to_owned(), String::from)
}

/// The [`Error::Decode`] that ends a list whose paging does not advance, with the `next` link
/// that arrived.
fn paging_error(reason: String, next: &str) -> Error {
    Error::Decode {
        status: 200,
        reason,
        body_start: next.chars().take(super::BODY_START_CHARS).collect(),
        attempts: 1,
        retry_after: None,
    }
}

/// The [`Error::Decode`] of a user that a lookup by `shown` (the filter, as errors show it)
/// found but that does not decode: its JSON `text` and serde's `error`.
fn undecodable_found_user(shown: &str, text: &str, error: &serde_json::Error) -> Error {
    Error::Decode {
        status: 200,
        reason: format!("the user that {shown} found: {error}"),
        body_start: text.chars().take(super::BODY_START_CHARS).collect(),
        attempts: 1,
        retry_after: None,
    }
}
