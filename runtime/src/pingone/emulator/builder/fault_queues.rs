//! [`Emulator`]'s fault queues: [`Fault`]s queued for the users endpoints, their PATCHes, one
//! transaction's requests and the token endpoint, and their counts.

use std::collections::VecDeque;

use super::super::{Fault, RandomFaults};
use super::Emulator;

impl Emulator {
    /// Queues a fault: the next request to a users endpoint (one user or the list) that finds
    /// no earlier fault queued gets it, whatever its method: the lookup of an application
    /// that finds a user before it updates it (`find_user_by_email`, `get_user`) takes it,
    /// not the PATCH after it; [`inject_patch_fault`](Emulator::inject_patch_fault) queues
    /// one for a PATCH alone. The token endpoint has a queue of its own,
    /// [`inject_token_fault`](Emulator::inject_token_fault).
    ///
    /// A fault answers in the emulator's place, before the request is read: whatever the
    /// request holds, a request without a valid token, to an unknown environment or user,
    /// or with a body the emulator would refuse takes it, and gets the fault's answer (its
    /// 401, 404, 400 or 415 only once the faults are used up); so does a HEAD, and another
    /// method on a user (a DELETE, answered 405 once they are used up). None is taken by a
    /// request answered 429 by the emulator's own
    /// [rate limit], which comes first, by another method on
    /// the list (405), by an unknown path (404), nor by a request to a user whose body is past
    /// the 2 MiB limit (413).
    ///
    /// [rate limit]: super::EmulatorBuilder::rate_limit
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// Queues a fault for the PATCH of a user alone (a merge patch or SCIM operations): the
    /// next PATCH takes it, and the GETs and lists before it are answered as usual, so that
    /// a test of an application that looks a user up and then updates it can fail the update.
    /// A PATCH takes a fault of this queue before one that [`inject`](Emulator::inject)
    /// queued, which it takes once this queue is empty. [`pending_faults`](Emulator::pending_faults)
    /// counts both queues.
    ///
    /// Any PATCH of a user takes it, whatever it holds, as [`inject`](Emulator::inject)'s
    /// faults are taken: one without a valid token, to an unknown environment or user, or
    /// with a body the emulator would refuse gets the fault's answer, not its 401, 404, 400
    /// or 415. A request of another method (a GET, a HEAD, a DELETE) never takes it, nor does
    /// a PATCH answered 429 by the emulator's own [rate limit]
    /// (the client's retry after it takes it) or one of a path that is no user (404). An
    /// empty patch sends no PATCH (the client's `update_user` reads the user with a GET
    /// instead, which takes `inject`'s next fault), so the fault waits for the next PATCH.
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::{Emulator, Fault};
    /// use sparse_patch::pingone::{Client, TokenSource, UserPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let env = emulator.environment_id();
    /// emulator.inject_patch_fault(Fault::ApiError { status: 409, code: "CONFLICT".into() });
    /// // The lookup is answered as usual...
    /// let user = client.find_user_by_username(env, "dspanner").await?.expect("the reference user");
    /// // ...and the PATCH after it gets the 409.
    /// let id = user.id.as_deref().expect("an answered user has its id");
    /// let error = client.update_user(env, id, &UserPatch::new().title("CTO")).await.unwrap_err();
    /// assert_eq!(error.status(), Some(409));
    /// assert_eq!(emulator.pending_faults(), 0);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [rate limit]: super::EmulatorBuilder::rate_limit
    pub fn inject_patch_fault(&self, fault: Fault) {
        self.shared.lock().patch_faults.push_back(fault);
    }

    /// Queues a fault for the requests to a users endpoint that carry this
    /// `X-Ping-External-Transaction-ID` (PingOne's correlation header, which
    #[cfg_attr(
        feature = "client",
        doc = r" [`Correlation::transaction_id`](crate::pingone::Correlation::transaction_id) sets, and"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" `Correlation::transaction_id` sets, and"
    )]
    /// the sync job sets to `line-{n}` for each call of line `n`): the next such request takes
    /// it, before a fault that [`inject_patch_fault`](Emulator::inject_patch_fault) or
    /// [`inject`](Emulator::inject) queued, whatever its method. Each transaction's faults are
    /// taken in the order queued, whatever the order in which requests of other transactions
    /// come: a test of concurrent calls (a sync job's lines in flight at once) gives each call
    /// its own faults, where the shared queues give them to whichever request comes first.
    /// Taken as [`inject`](Emulator::inject)'s faults are (before the request is read; not by
    /// a request that the emulator's own rate limit answers 429). [`pending_faults`](Emulator::pending_faults)
    /// counts them.
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::{Emulator, Fault};
    /// use sparse_patch::pingone::{Client, Correlation, RetryPolicy, TokenSource};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .retry_policy(RetryPolicy::never())
    ///     .build()?;
    /// emulator.inject_for_transaction("row-2", Fault::Status(503));
    /// let (env, id) = (emulator.environment_id(), emulator.user_id());
    /// let row = |n: u32| Correlation::new().transaction_id(&format!("row-{n}"));
    /// // Row 1's call is answered as usual; row 2's takes the fault.
    /// client.with_correlation(row(1)?).get_user(env, id).await?;
    /// let error = client.with_correlation(row(2)?).get_user(env, id).await.unwrap_err();
    /// assert_eq!(error.status(), Some(503));
    /// assert_eq!(emulator.pending_faults(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject_for_transaction(&self, transaction_id: &str, fault: Fault) {
        self.shared
            .lock()
            .transaction_faults
            .entry(transaction_id.to_owned())
            .or_default()
            .push_back(fault);
    }

    /// Queues a fault for the token endpoint (`POST /{environmentID}/as/token`): the next
    /// token request that finds no earlier one queued gets it, whatever its credentials, so
    /// that a worker's handling of a token endpoint that fails (a 429 or 503 with
    /// `Retry-After`, a 500, a slow or cut answer) can be tried; once they are used up, the
    /// endpoint answers as usual. Its error answers carry the users API's PingOne JSON
    /// error body, as [`inject`](Emulator::inject)'s do; for an OAuth refusal
    /// (`invalid_client`), give the client a wrong secret instead. [`Emulator::token_requests`]
    /// counts the requests that took one; [`pending_faults`](Emulator::pending_faults) does not
    /// count this queue, nor do [random faults] reach the
    /// token endpoint.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sparse_patch::pingone::emulator::{Emulator, Fault};
    /// use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .auth_base_url(emulator.auth_base_url())
    ///     .token(TokenSource::client_credentials(
    ///         emulator.environment_id(),
    ///         emulator.client_id(),
    ///         emulator.client_secret(),
    ///     ))
    ///     .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
    ///     .build()?;
    /// emulator.inject_token_fault(Fault::Status(500));
    /// // The token request's 500 is retried; the second one gets a token.
    /// client.get_user(emulator.environment_id(), emulator.user_id()).await?;
    /// assert_eq!(emulator.token_requests(), 2);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// [random faults]: super::EmulatorBuilder::random_faults
    pub fn inject_token_fault(&self, fault: Fault) {
        self.shared.lock().token_faults.push_back(fault);
    }

    /// How many random faults ([`EmulatorBuilder::random_faults`]) were given so far.
    ///
    /// [`EmulatorBuilder::random_faults`]: super::EmulatorBuilder::random_faults
    #[must_use]
    pub fn random_faults_given(&self) -> u64 {
        self.shared
            .lock()
            .random_faults
            .as_ref()
            .map_or(0, RandomFaults::given)
    }

    /// How many faults are still queued for the users endpoints ([`inject`](Emulator::inject),
    /// [`inject_patch_fault`](Emulator::inject_patch_fault) and
    /// [`inject_for_transaction`](Emulator::inject_for_transaction)).
    #[must_use]
    pub fn pending_faults(&self) -> usize {
        let state = self.shared.lock();
        state.faults.len()
            + state.patch_faults.len()
            + state
                .transaction_faults
                .values()
                .map(VecDeque::len)
                .sum::<usize>()
    }
}
