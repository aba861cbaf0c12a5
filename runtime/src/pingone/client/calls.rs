//! The calls of the users API: PATCH of a user (a merge patch or a SCIM PatchOp) and GET of one.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::super::transport::Answer;
use super::super::{Error, preflight};
use super::span::{decode_changed_user_in, decode_user_in, ended_in};
use super::{Client, Route, Target};
use crate::{Patch, SCIM_PATCH_CONTENT_TYPE, ScimPatch};

impl Client {
    /// Sends `patch` as `PATCH /environments/{environmentID}/users/{userID}` with
    /// `Content-Type: application/json`, and returns the updated user as the patch's model.
    ///
    /// Attributes that the patch leaves absent are not sent, so PingOne leaves them as they
    /// are; `null` fields clear their attribute (RFC 7396 §2).
    ///
    /// **An empty patch sends no PATCH**: it would change nothing, so the client reads the
    /// user with a GET instead and returns it, leaving `updatedAt` alone.
    ///
    /// **`Ok` does not mean that every attribute was applied.** PingOne ignores an attribute
    /// it does not know (a misspelled one, `Title` for `title`, a custom attribute that the
    /// environment does not declare) and still answers `200 OK` with the user as stored.
    /// [`not_applied(&patch, &answer)`](fn@super::super::not_applied) names the attributes whose value
    /// in the answer is not what the patch asked; the [sync job](super::super::sync::SyncJob)
    /// checks every answer so.
    ///
    /// # Errors
    ///
    /// - [`Error::Preflight`] (unless [`preflight`](super::super::ClientBuilder::preflight) is off)
    ///   when the patch breaks PingOne's rules, naming every attribute at fault, before
    ///   anything is sent;
    /// - [`Error::InvalidInput`] when an ID is not a UUID; also, pre-flight or not, when the
    ///   patch holds a float that is not finite (NaN, an infinity), naming it: serde_json
    ///   would write it as `null`, which clears the attribute;
    /// - [`Error::Api`] for an error answer with a PingOne error body (400, 401, 403, 404,
    ///   415, and retryable statuses once the retries ran out);
    /// - [`Error::RateLimited`] when 429 outlasted the retries, or asked to wait longer than
    ///   the retry policy's `max_retry_after` (not retried);
    /// - [`Error::Timeout`] and [`Error::Transport`] when no answer came on the last attempt,
    ///   [`Error::Incomplete`] when its status came but its body was cut short;
    /// - [`Error::Decode`] when a body is not the expected JSON (a 2xx whose JSON is cut
    ///   short, as a proxy that truncates it or a connection that ends where a wrong framing
    ///   says, is not sent again: the PATCH was applied, and the error says that the request
    ///   succeeded; the GETs, [`get_user`](Client::get_user), the pages of
    ///   [`list_users`](Client::list_users) and the `find_user_by_*` lookups, are sent again
    ///   under the retry policy, and the error is the last attempt's), or is another user's
    ///   document: a JSON object whose `id` is not `user_id` (in any case), as a proxy, cache
    ///   or connection pool that mixes up answers delivers it, or has no `id` string (whose it
    ///   is cannot be told; PingOne's always has one); it is not returned as this
    ///   user's (this holds for every call about one user: [`get_user`](Client::get_user),
    ///   [`get_user_as`](Client::get_user_as) and the SCIM calls too); a PingOne error body
    ///   answered with a 2xx (a gateway that maps errors to 200) is said to be one, with its
    ///   code and message; a 202 Accepted, whatever its body, is one too, not sent again: the
    ///   change was accepted for processing, not made (RFC 9110 §15.3.3);
    /// - [`Error::Token`] when the worker token could not be fetched;
    /// - [`Error::NoRuntime`] when the call is polled outside a tokio runtime (nothing is
    ///   sent).
    ///
    /// # Panics
    ///
    /// Tokio panics in the call ("timers are disabled", "IO is disabled") when it is polled in
    /// a runtime built without its time or IO driver: build it with `enable_all()` (see
    /// [`Client`], "Runtimes").
    pub async fn update_user<P>(
        &self,
        environment_id: &str,
        user_id: &str,
        patch: &P,
    ) -> Result<P::Model, Error>
    where
        P: Patch + Serialize,
        P::Model: DeserializeOwned,
    {
        let url = self.user_target(environment_id, user_id)?;
        if patch.is_empty() {
            return self.get_user_as(environment_id, user_id).await;
        }
        // Pre-flight checks the patch while serializing it, not by reading the JSON again.
        let body = if self.inner.preflight {
            preflight::serialize_checked(patch)?
        } else {
            preflight::serialize_unchecked(patch)?
        };
        let span = Self::request_span(&reqwest::Method::PATCH, Route::user(environment_id));
        // A merge patch (RFC 7396) is idempotent: sent twice, it acts once.
        let answer = self
            .patch_answer(&span, &url, body, "application/json", true)
            .await?;
        // Decoded here rather than in `call`: one future fewer to move the model through.
        ended_in(&span, decode_changed_user_in(&span, answer, user_id))
    }

    /// Sends SCIM operations (RFC 7644 §3.5.2: `add`, `replace` and `remove`, with attribute
    /// and filter paths such as `emails[type eq "work"].value`) as
    /// `PATCH /environments/{environmentID}/users/{userID}` with
    /// `Content-Type: application/vnd.pingidentity.user.scim.patch+json`
    /// ([`SCIM_PATCH_CONTENT_TYPE`], the type with which
    /// PingOne reads a body of SCIM operations), and returns the updated user as `M` (such as
    /// [`User`](super::super::User), a model of your own, or a `serde_json::Value`).
    ///
    /// PingOne applies the operations in order, all or none. The request takes the same way
    /// as [`update_user`](Client::update_user)'s: retries, token, correlation IDs, rate limit,
    /// `tracing` span and error decoding. One difference: some messages are not idempotent.
    /// An `add` operation appends to a multi-valued attribute, and a `replace` whose filter
    /// selects elements by an attribute that it or a later operation changes
    /// (`badges[type eq "work"].type`, or `badges[type eq "work"]` with a value that holds
    /// `type`; names compared in any case), or whose elements a later operation removes or
    /// replaces whole (also through the extension schema that holds the attribute: a
    /// path-less value's member named by the schema's URN, or the URN as the path), may match
    /// nothing once applied, which PingOne answers with 400
    /// `noTarget`; a `remove` at a filter that a later operation changes the answer of
    /// (`badges[type eq "work"]`, then `badges[level eq 1].type` set to `"work"`) would
    /// remove other elements when sent again. A message that holds any of them is sent again
    /// only where PingOne cannot have applied it (the connection failed, the answer was 429
    /// or 408, or 403 or 404 inside a
    /// [consistency window](Client::with_consistency_window)); a timeout, a cut connection or
    /// a 5xx then ends the call with its error, and the caller reads the user to learn what
    /// happened. Other messages (those of [`to_scim_patch`](crate::Patch::to_scim_patch)
    /// that add no element, whose filters select by the key) retry as merge patches do.
    ///
    /// **Pre-flight** ([`ClientBuilder::preflight`](super::super::ClientBuilder::preflight), on by
    /// default) checks each operation that names an attribute as the merge patch that would
    /// make its change: `replace` or `add` at `attr` as `{"attr": value}`, at `attr.sub` as
    /// `{"attr": {"sub": value}}`, a `remove` as `null` there, a path-less value member by
    /// member. A read-only attribute (`createdAt`, `id`, `lifecycle`, `enabled`...: PingOne
    /// ignores it and answers 200, so the change would be lost without a word), at any path,
    /// a filter's included, a value that a rule refuses, and the removal of a required
    /// attribute (`username`, `email`, `photo.href`) are [`Error::Preflight`] naming every
    /// operation and attribute at fault, and nothing is sent, as for
    /// [`update_user`](Client::update_user). Names are compared exactly, as PingOne's are.
    /// What only the whole user can tell (a filter that matches nothing, the 16 KiB profile
    /// limit) is PingOne's (or the emulator's) to judge. `preflight(false)` turns it off.
    ///
    /// **An empty message sends no PATCH**: it would change nothing, so the client reads the
    /// user with a GET instead and returns it, leaving `updatedAt` alone.
    ///
    /// Source: PingOne Platform API, "Update User (PATCH)"
    /// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>), and
    /// RFC 7644 §3.5.2.
    ///
    /// # Examples
    ///
    /// Against the embedded emulator (feature `emulator`):
    ///
    /// ```
    /// use serde_json::{Value, json};
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::Emulator};
    /// use sparse_patch::{ScimOperation, ScimPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let patch = ScimPatch::new(vec![
    ///     ScimOperation::replace("name.given", json!("Dave")),
    ///     ScimOperation::remove("photo"),
    /// ]);
    /// let user: Value = client
    ///     .update_user_scim_patch(emulator.environment_id(), emulator.user_id(), &patch)
    ///     .await?;
    /// assert_eq!(user["name"]["given"], "Dave");
    /// assert!(user.get("photo").is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] when an ID is not a UUID, and (unless pre-flight is off)
    ///   [`Error::Preflight`] when an operation breaks PingOne's rules, naming every operation
    ///   and attribute at fault, before anything is sent;
    /// - [`Error::Api`] for an error answer with a PingOne error body: 400 `INVALID_DATA` for
    ///   a malformed message, path or filter, a filter that matches nothing, or a user that
    ///   breaks PingOne's rules (nothing is then applied); 401, 403, 404, 415, and retryable
    ///   statuses once the retries ran out;
    /// - [`Error::RateLimited`] when 429 outlasted the retries, or asked to wait longer than
    ///   the retry policy's `max_retry_after` (not retried);
    /// - [`Error::Timeout`] and [`Error::Transport`] when no answer came on the last attempt,
    ///   [`Error::Incomplete`] when its status came but its body was cut short;
    /// - [`Error::Decode`] when a body is not the expected JSON, or is another user's
    ///   document (its `id` is not `user_id`) or has no `id` string, or is a 202 Accepted, as
    ///   for [`update_user`](Client::update_user);
    /// - [`Error::Token`] when the worker token could not be fetched;
    /// - [`Error::NoRuntime`] when the call is polled outside a tokio runtime.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn update_user_scim_patch<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        user_id: &str,
        patch: &ScimPatch,
    ) -> Result<M, Error> {
        let url = self.user_target(environment_id, user_id)?;
        if patch.is_empty() {
            return self.get_user_as(environment_id, user_id).await;
        }
        if self.inner.preflight {
            preflight::check_scim_operations(patch, preflight::CheckedFor::Sending)?;
        }
        let body = preflight::serialize_unchecked(patch)?;
        let span = Self::request_span(&reqwest::Method::PATCH, Route::user(environment_id));
        // An `add` appends to a multi-valued attribute: sent twice, it appends twice; a
        // `replace` that changes what its filter selects by matches nothing the second time.
        let repeatable = patch.is_idempotent();
        let answer = self
            .patch_answer(&span, &url, body, SCIM_PATCH_CONTENT_TYPE, repeatable)
            .await?;
        ended_in(&span, decode_changed_user_in(&span, answer, user_id))
    }

    /// Sends `patch` as SCIM operations rather than as a merge patch: the operations that do
    /// its work on `base`, the user as the caller last read it
    /// ([`Patch::to_scim_patch`]), with PingOne's SCIM content
    /// type ([`update_user_scim_patch`](Client::update_user_scim_patch)). Returns the updated
    /// user as the patch's model.
    ///
    /// Use it where the merge patch would resend a whole array: a keyed array
    /// (`#[patchable(key = "...")]`) changes element by element through filter paths
    /// (`emails[type eq "work"].value`), so elements that the change does not touch are not
    /// sent, and not clobbered if someone else changed them meanwhile. `update_user` stays the
    /// way to send the merge patch itself.
    ///
    /// Two clients that add an element with the same key at the same time both succeed (SCIM
    /// `add` appends), leaving two elements with that key on the server. The next
    /// `update_user_scim` of that user that changes the array, from a fresh read, replaces it
    /// whole (filters cannot tell the two apart), which repairs it.
    ///
    /// # Examples
    ///
    /// Against the embedded emulator (feature `emulator`), a multi-valued custom attribute:
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::Patchable;
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::{Emulator, reference_user}};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct Member {
    ///     username: String,
    ///     #[patchable(key = "type")]
    ///     badges: Vec<serde_json::Value>,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut user = reference_user();
    /// user["badges"] = json!([{"type": "work", "level": 1}, {"type": "home", "level": 2}]);
    /// let emulator = Emulator::builder().no_users().user(user).start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let (env, id) = (emulator.environment_id(), emulator.user_id());
    /// let base: Member = client.get_user_as(env, id).await?;
    /// let mut target = base.clone();
    /// target.badges[0]["level"] = json!(3);
    /// let updated = client.update_user_scim(env, id, &base, &base.diff(&target)).await?;
    /// assert_eq!(updated, target);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] when an ID is not a UUID, and [`Error::Dialect`] when the
    ///   patch cannot be written as SCIM operations (a keyed array whose elements share a key
    ///   or lack one, an attribute name that a SCIM path cannot carry: the
    ///   [`DialectError`](crate::DialectError) says which; the arrays being a user's as PingOne
    ///   answered it, it quotes no value of theirs, only its kind), before anything is sent;
    /// - the rest as [`update_user_scim_patch`](Client::update_user_scim_patch).
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn update_user_scim<P>(
        &self,
        environment_id: &str,
        user_id: &str,
        base: &P::Model,
        patch: &P,
    ) -> Result<P::Model, Error>
    where
        P: Patch + Serialize,
        P::Model: Serialize + DeserializeOwned,
    {
        // `base` is the user as PingOne answered it, and the patch's arrays hold its elements:
        // their values stay out of the error.
        let operations = patch
            .to_scim_patch(base)
            .map_err(|error| Error::Dialect(error.without_values()))?;
        self.update_user_scim_patch(environment_id, user_id, &operations)
            .await
    }

    /// Reads a user with `GET /environments/{environmentID}/users/{userID}` as
    /// [`User`](super::super::User), the whole PingOne user document.
    ///
    /// # Errors
    ///
    /// As [`update_user`](Client::update_user), but for the patch's: no
    /// [`Error::Preflight`], and [`Error::InvalidInput`] only for an ID that is not a UUID.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn get_user(
        &self,
        environment_id: &str,
        user_id: &str,
    ) -> Result<super::super::User, Error> {
        self.get_user_as(environment_id, user_id).await
    }

    /// Reads a user as a model of your own, `M` (or as a `serde_json::Value`):
    /// `client.get_user_as::<MyUser>(env, id)`.
    ///
    /// # Errors
    ///
    /// As [`update_user`](Client::update_user), but for the patch's: no
    /// [`Error::Preflight`], and [`Error::InvalidInput`] only for an ID that is not a UUID.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn get_user_as<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        user_id: &str,
    ) -> Result<M, Error> {
        let url = self.user_target(environment_id, user_id)?;
        let route = Route::user(environment_id);
        let mut sent = 0;
        let span = Self::request_span(&reqwest::Method::GET, route);
        loop {
            let answer = self
                .call_answer(
                    &span,
                    reqwest::Method::GET,
                    Target::Parsed(&url),
                    None,
                    true,
                    sent,
                )
                .await?;
            match decode_user_in(&span, answer, user_id) {
                Err(error) if error.is_cut_json() => {
                    sent = ended_in(
                        &span,
                        self.again_after_cut(error).instrument(span.clone()).await,
                    )?;
                }
                result => return ended_in(&span, result),
            }
        }
    }

    /// The answer to a user's PATCH, in its `span` ([`Client::request_span`]): `body`, with its
    /// `content_type`, sent to the user's `url` ([`Client::user_target`]), and sent again
    /// where the retry policy allows, only where PingOne cannot have applied it when the
    /// change is not `repeatable` ([`Client::call_answer`]). Not decoded: the call decodes it
    /// in its own body; and the future is `call_answer`'s, not one more around it.
    fn patch_answer<'a>(
        &'a self,
        span: &'a tracing::Span,
        url: &'a reqwest::Url,
        body: Vec<u8>,
        content_type: &'static str,
        repeatable: bool,
    ) -> impl Future<Output = Result<Answer, Error>> + 'a {
        // `Bytes`: each attempt shares the body instead of copying it.
        let body = Some((Bytes::from(body), content_type));
        let method = reqwest::Method::PATCH;
        self.call_answer(span, method, Target::Parsed(url), body, repeatable, 0)
    }
}
