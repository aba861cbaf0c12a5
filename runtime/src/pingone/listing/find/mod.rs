//! Finding one user by `username` or `email`: zero or one, several being an error, and the
//! check that the user PingOne answered matches the value asked for.
//!
//! Its parts: `found_user` the user found checked against the value asked for,
//! `lookup_value` the value checked before anything is sent; the lookups are here.

use serde::de::DeserializeOwned;

use super::super::{Client, Error, User, UserAttribute, UserFilter};
use super::UserQuery;

mod found_user;
mod lookup_value;

pub(crate) use found_user::same_in_any_case;
use found_user::{check_match, undecodable_found_user};
use lookup_value::check_lookup_value;
pub(crate) use lookup_value::lookup_value_fault;

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
