//! Finding a line's user: by ID, username or email ([`Shared::find`]), and telling a user's
//! 404 or 403 from the users collection's, which names no user ([`Lookup`]).

use super::super::desired::MatchKey;
use super::super::outcome::OutcomeError;
use super::shared::Shared;
use crate::pingone::{Client, Error, User};

/// Why a line's lookup found no user.
pub(super) enum Lookup {
    /// The line's own failure (an error of its call, several users), or a refusal that
    /// [`stops_the_job`].
    ///
    /// [`stops_the_job`]: super::stop::stops_the_job
    Line(Error),
    /// The environment's users collection answered 404 or 403: it names no user, so every
    /// lookup of the job would get the same answer, and no retry can fix it. A 404 means that
    /// the API base URL (without PingOne's `/v1`, say) or the environment ID is wrong; a 403,
    /// that the caller may not read users, or that the environment does not exist (PingOne
    /// answers 403 for an environment the caller cannot see, as the Terraform provider's
    /// `CheckEnvironmentExistsOnPermissionsError` reads it). PingOne answers a 403 about one user (outside the
    /// population its role is scoped to) or one attribute; the collection's answer names no
    /// user, and is everyone's. A role scoped to populations still reads the collection, which
    /// holds the users of those populations: the admin console's Users page, which lists
    /// through it, works for an administrator so scoped (*unverified* in PingOne's API pages,
    /// which do not say; a 403 there would have failed every lookup by username and email
    /// alike). Stops the job.
    Collection(Error),
}

/// Whether `error`, an answer of the users collection (a list), is a [`Lookup::Collection`]:
/// 404 or 403, with PingOne's error body or another (a gateway's page).
fn collection_refusal(error: Error) -> Lookup {
    match error {
        Error::Api {
            status: 403 | 404, ..
        }
        | Error::Decode {
            status: 403 | 404, ..
        }
        | Error::Incomplete {
            status: 403 | 404, ..
        } => Lookup::Collection(error),
        error => Lookup::Line(error),
    }
}

impl Shared {
    /// The user `key` names: `None` when there is none.
    ///
    /// A 404 or 403 of the users collection (the list that finds a username or an email) is
    /// [`Lookup::Collection`]. So is a 404 or 403 of a user read by ID when the collection
    /// answers the same ([`Shared::collection_answers`]): PingOne answers 404 `NOT_FOUND` for
    /// a user that does not exist, but so does any server for a URL it does not serve (an API
    /// base URL without `/v1`), and every line keyed by `id` was then "not found".
    pub(super) async fn find(
        &self,
        client: &Client,
        key: &MatchKey,
    ) -> Result<Option<User>, Lookup> {
        let environment = &self.environment_id;
        let found = match key {
            MatchKey::Id(id) => match client.get_user(environment, id).await {
                Ok(user) => Ok(Some(user)),
                // With PingOne's error body or another (a gateway's page for a path it does
                // not serve).
                Err(
                    error @ (Error::Api {
                        status: 403 | 404, ..
                    }
                    | Error::Decode {
                        status: 403 | 404, ..
                    }
                    | Error::Incomplete {
                        status: 403 | 404, ..
                    }),
                ) => {
                    self.collection_answers(client).await?;
                    if !matches!(error, Error::Api { status: 404, .. }) {
                        return Err(Lookup::Line(error));
                    }
                    tracing::debug!(%error, "no user with this id");
                    return Ok(None);
                }
                Err(error) => Err(Lookup::Line(error)),
            },
            MatchKey::Username(username) => client
                .find_user_by_username(environment, username)
                .await
                .map_err(collection_refusal),
            MatchKey::Email(email) => client
                .find_user_by_email(environment, email)
                .await
                .map_err(collection_refusal),
        };
        if found.is_ok() {
            // Already set, or being asked: either way it answers.
            let _ = self.collection.set(());
        }
        found
    }

    /// Whether the users collection answers: asked once (`GET .../users?limit=1`) when a
    /// user read by ID answers 404 or 403 before any call showed that it does, to tell that
    /// user's answer from everyone's. The lines that ask it at once share one request; a
    /// request that fails (but for a collection refusal) is asked again by the next line.
    pub(super) async fn collection_answers(&self, client: &Client) -> Result<(), Lookup> {
        self.collection
            .get_or_try_init(|| async {
                use futures_util::TryStreamExt as _;
                let query = crate::pingone::UserQuery::all().limit(1);
                let users =
                    client.list_users_as::<serde::de::IgnoredAny>(&self.environment_id, &query);
                std::pin::pin!(users)
                    .try_next()
                    .await
                    .map(|_| ())
                    .map_err(collection_refusal)
            })
            .await?;
        Ok(())
    }

    /// The outcome error of a [`Lookup::Collection`]: the client's error, with a message that
    /// says which URL answered, that every call would get it, and what to check.
    pub(super) fn collection_error(&self, error: &Error) -> OutcomeError {
        let base = self.client.api_base_url();
        let environment = self.environment_id.to_ascii_lowercase();
        let url = format!("{base}/environments/{environment}/users");
        // PingOne answers 403 (or 400, 401), not 404, for an environment that does not exist
        // or that the caller cannot see (deleted, another region's, another organization's):
        // the Terraform provider reads the environment on such an answer to tell which
        // (`CheckEnvironmentExistsOnPermissionsError`, `internal/framework/legacysdk/sdk.go` of
        // `pingidentity/terraform-provider-pingone`). Said so, the message no longer sends one
        // looking at roles alone when the environment ID is wrong.
        let why = if error.status() == Some(403) {
            format!(
                "the caller may not read the users of this environment: give the worker \
                 application a role that reads users (Identity Data Read Only, or Identity \
                 Data Admin to change them) on this environment, or use a token that has one; \
                 or the environment ID ({environment}) is wrong: PingOne answers 403, not 404, \
                 for an environment that does not exist or that the caller cannot see (deleted, \
                 or another region's or organization's)"
            )
        } else {
            format!(
                "the API base URL ({base}) or the environment ID ({environment}) is wrong: \
                 PingOne's API base URL is its region's API host with /v1 \
                 (https://api.pingone.com/v1, https://api.pingone.eu/v1...), as is the \
                 emulator's (http://127.0.0.1:PORT/v1), and the environment ID is the one in \
                 the admin console's environment settings"
            )
        };
        OutcomeError {
            message: format!(
                "the users collection {url} answered HTTP {}, an answer about no one user that \
                 every lookup would get: {why} ({error})",
                error.status().unwrap_or_default()
            ),
            ..OutcomeError::from_client_error(error)
        }
    }
}
