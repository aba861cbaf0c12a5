//! The retries of a run's calls, counted by cause, and said once after the counts: a run
//! against a PingOne that rate limits or fails for a while is slow, and its output said why
//! nowhere (each line's outcome is only its last answer).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sparse_patch::pingone::{RetryEvent, RetryPolicy};

/// The retries counted so far, shared with the observer of the client's retry policy
/// ([`Retries::policy`]).
#[derive(Clone, Default)]
pub(crate) struct Retries(Arc<Mutex<Tally>>);

/// What [`Retries`] counts.
#[derive(Default)]
struct Tally {
    /// How many retries followed each answer's status (`None`: a timeout or a failed
    /// connection, which has none).
    by_status: BTreeMap<Option<u16>, usize>,
    /// The waits before them, added up.
    waited: Duration,
}

impl Retries {
    /// The client's default retry policy, each of whose retries is counted here.
    pub(crate) fn policy(&self) -> RetryPolicy {
        let retries = self.clone();
        RetryPolicy::default().on_retry(move |event: &RetryEvent| {
            // A line's wait for another line's `Retry-After` (the client holds every request
            // until it has passed) is no retry: nothing was sent again.
            if !event.held_by_retry_after {
                retries.add(event.status, event.wait);
            }
        })
    }

    /// Counts one retry after an answer of `status` (or none), before which the client waits
    /// `wait`.
    pub(crate) fn add(&self, status: Option<u16>, wait: Duration) {
        let mut tally = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *tally.by_status.entry(status).or_default() += 1;
        tally.waited += wait;
    }

    /// `3 retries (2 after HTTP 429, 1 after a timeout or a failed connection), 2.5 s waited
    /// in all`, or `None` without any.
    pub(crate) fn notice(&self) -> Option<String> {
        let tally = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count: usize = tally.by_status.values().sum();
        if count == 0 {
            return None;
        }
        let causes: Vec<String> = tally
            .by_status
            .iter()
            .map(|(status, count)| match status {
                Some(status) => format!("{count} after HTTP {status}"),
                None => format!("{count} after a timeout or a failed connection"),
            })
            .collect();
        Some(format!(
            "{} ({}), {:.1} s waited in all: PingOne limited or failed calls, which the client \
             sent again (a line's outcome is its last answer)",
            if count == 1 {
                "1 retry".to_owned()
            } else {
                format!("{count} retries")
            },
            causes.join(", "),
            tally.waited.as_secs_f64()
        ))
    }
}
