//! The requests that reached a running [`Emulator`]: all of them, and the patches to a user.

use serde_json::Value;

use super::super::parsing::path_segment;
use super::super::state::RecordedRequest;
use super::Emulator;

impl Emulator {
    /// Every request that reached a users endpoint (one user or the list), in the order they
    /// came, each with the status of its answer once given and the fault it took
    /// ([`RecordedRequest::status`], [`RecordedRequest::fault`]); another method on the list
    /// and an unknown path are not recorded. Empty when the emulator was built with
    /// [`record_requests(false)`].
    ///
    /// [`record_requests(false)`]: super::EmulatorBuilder::record_requests
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// The JSON bodies of the `PATCH` requests to the user `user_id` (in any case) of the
    /// emulator's environment, in the order they came: each attempt is one, so a call that
    /// the client retried gives its patch once per attempt, and a PATCH that was refused (a
    /// 400, a 403, a fault) is one too (read [`RecordedRequest::status`] in
    /// [`requests`](Emulator::requests) to tell them apart). Merge patches and SCIM PatchOp
    /// messages alike, as sent. A body that is not JSON (which the client never sends; a
    /// body past 2 MiB, recorded without its bytes) is left out: [`requests`](Emulator::requests)
    /// holds it. Empty when the emulator was built with
    /// [`record_requests(false)`].
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::pingone::emulator::Emulator;
    /// use sparse_patch::pingone::{Client, TokenSource, UserPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let patch = UserPatch::new().title("CTO");
    /// client.update_user(emulator.environment_id(), emulator.user_id(), &patch).await?;
    /// assert_eq!(emulator.patches_to(emulator.user_id()), [json!({"title": "CTO"})]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [`record_requests(false)`]: super::EmulatorBuilder::record_requests
    #[must_use]
    pub fn patches_to(&self, user_id: &str) -> Vec<Value> {
        self.requests()
            .iter()
            .filter(|request| {
                // `/v1/environments/{environmentID}/users/{userID}`, read as the handler
                // reads it (percent-decoded, in any case).
                request.method == "PATCH"
                    && path_segment(&request.path, 3).eq_ignore_ascii_case(self.environment_id())
                    && path_segment(&request.path, 5).eq_ignore_ascii_case(user_id)
            })
            .filter_map(RecordedRequest::json)
            .collect()
    }
}
