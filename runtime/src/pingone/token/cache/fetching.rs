//! A token fetch under way on a task of its own ([`Fetching`]), and starting one.

use std::sync::{Arc, Weak};

use tracing::Instrument as _;

use super::super::super::transport::Transport;
use super::super::Kind;
use super::{Provider, TokenProvider};

/// A token fetch under way on a task of its own, shared by the calls that wait for it: a
/// call kept but no longer polled (a branch of a `select!` in a loop, a sync stream kept
/// after a `break`) holds up none of the others, as it did when the fetch ran inside the
/// future of the call that started it. When the last call waiting for it is dropped (its
/// caller's timeout ran out), the next call makes a fetch of its own rather than wait for the
/// same slow answer alone; but the fetch left goes on, kept in [`Provider::abandoned`] (one
/// at most for each runtime that drives it, the oldest: any other is aborted), and its token
/// serves the calls that come before theirs arrives. Aborted, calls whose callers' timeouts were shorter than the token
/// endpoint's answer each started a fetch that the next timeout cut short: none ever got a
/// token, and each sent a token request.
pub(super) struct Fetching {
    /// `None` once the fetch is given up, or moved into [`Provider::abandoned`].
    task: Option<tokio::task::AbortHandle>,
    /// Set to `true` by the task once it has recorded its result in the state; closed
    /// without it if the task ended otherwise (its runtime shut down, or a panic).
    pub(super) done: tokio::sync::watch::Receiver<bool>,
    /// The runtime of the task when it is a `current_thread` one, which runs its tasks only
    /// while a thread is inside its `block_on`: a call of another runtime does not wait for
    /// it ([`Fetching::serves`]).
    driven_only_in_block_on: Option<tokio::runtime::Id>,
    /// The cache whose [`Provider::abandoned`] keeps the fetch once no call waits for it;
    /// empty for the fetch kept there, which is aborted when dropped.
    provider: Weak<Provider>,
}

impl Fetching {
    /// Whether the fetch has ended (or was given up).
    pub(super) fn is_over(&self) -> bool {
        self.task
            .as_ref()
            .is_none_or(tokio::task::AbortHandle::is_finished)
    }

    /// Whether a call on the runtime of `handle` may wait for this fetch: it runs on that
    /// runtime, or on one that runs its tasks on threads of its own (multi-thread). A fetch
    /// on another runtime's `current_thread` task moves only while that runtime's thread is
    /// inside `block_on`: between two `block_on`s (a program calling from synchronous code),
    /// its own caller dropped by a timeout, a call of another runtime waiting for it waited
    /// for ever, as long as that runtime was kept.
    pub(super) fn serves(&self, handle: &tokio::runtime::Handle) -> bool {
        self.driven_only_in_block_on
            .is_none_or(|runtime| runtime == handle.id())
    }
}

impl Drop for Fetching {
    /// The last call waiting for the fetch is gone: the fetch goes on as an abandoned one,
    /// unless another is that the same runtimes drive (which is older, and answered sooner).
    /// One for each: an abandoned fetch of an idle `current_thread` runtime (its thread
    /// between two `block_on`s, for as long as it likes) never ends, and kept as the only
    /// one, it had every later fetch of any other runtime aborted as its caller gave up.
    fn drop(&mut self) {
        let Some(task) = self.task.take() else {
            return;
        };
        if task.is_finished() {
            return;
        }
        if let Some(provider) = self.provider.upgrade() {
            let mut abandoned = provider.abandoned();
            // Dropped here: an abandoned fetch has no provider, and is aborted.
            abandoned.retain(|other| !other.is_over());
            if !abandoned
                .iter()
                .any(|other| other.driven_only_in_block_on == self.driven_only_in_block_on)
            {
                abandoned.push(Arc::new(Fetching {
                    task: Some(task),
                    done: self.done.clone(),
                    driven_only_in_block_on: self.driven_only_in_block_on,
                    provider: Weak::new(),
                }));
                return;
            }
        }
        task.abort();
    }
}

impl TokenProvider {
    /// Starts a fetch on a task of its own, which records its result in the state.
    pub(super) fn start_fetch(
        &self,
        transport: &Arc<Transport>,
    ) -> (Arc<Fetching>, tokio::task::JoinHandle<()>) {
        let (tell, done) = tokio::sync::watch::channel(false);
        let provider = self.clone();
        let transport = Arc::clone(transport);
        let span = self.fetch_span();
        let in_task = span.clone();
        let runtime = tokio::runtime::Handle::current();
        let provider_of_task = Arc::clone(&self.0);
        let mut join = None;
        let fetching = Arc::new_cyclic(|this: &Weak<Fetching>| {
            let this = this.clone();
            let task = tokio::spawn(
                async move {
                    let span = in_task;
                    // `fetch` records its outcome on the span, once.
                    let result = provider.fetch(&transport, &span).await;
                    provider.record(result, &transport, &this);
                    tell.send_replace(true);
                }
                .instrument(span),
            );
            let fetching = Fetching {
                task: Some(task.abort_handle()),
                done,
                driven_only_in_block_on: (runtime.runtime_flavor()
                    == tokio::runtime::RuntimeFlavor::CurrentThread)
                    .then(|| runtime.id()),
                provider: Arc::downgrade(&provider_of_task),
            };
            join = Some(task);
            fetching
        });
        let task = join.expect("set by `new_cyclic`'s closure");
        (fetching, task)
    }

    /// The `tracing` span of a fetch, `pingone.token` (level INFO), with the fields of a
    /// call's `pingone.request`: `method`, `path` (the token endpoint's template), the
    /// worker's `environment`, and once known `status`, `attempts`, `error_id` and
    /// `correlation_id`. Its retries'
    /// events happen in it: the fetch runs in a task of its own, where they happened in no
    /// span, and a retry of the token endpoint could not be told from one of the API. It has
    /// no parent, as one fetch serves every call waiting for it, and follows from the call
    /// that started it.
    fn fetch_span(&self) -> tracing::Span {
        let environment = match &self.source.0 {
            Kind::Worker { environment_id, .. } => environment_id.as_str(),
            Kind::Static(_) => "",
        };
        let span = tracing::info_span!(
            parent: None,
            "pingone.token",
            method = "POST",
            path = "/{environmentID}/as/token",
            environment,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            error_id = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
        );
        span.follows_from(tracing::Span::current());
        span
    }
}
