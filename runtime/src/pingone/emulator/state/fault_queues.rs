//! The fault a request takes from the queues: the one queued for its transaction, for a
//! `PATCH`, for any request or drawn at random ([`Shared::take_fault`]), and the token
//! endpoint's ([`Shared::take_token_fault`]).

use axum::http::{HeaderMap, Method};

use super::super::Fault;
use super::super::faults::RandomFaults;
use super::{LogEntry, Shared};

impl Shared {
    /// Takes the next queued fault for a request with this `method` and `headers`: the next
    /// one queued for its `X-Ping-External-Transaction-ID` first, then, for a `PATCH`, the
    /// next one queued for a PATCH alone, then the next one queued for any request; and
    /// writes it in the request's log `entry` at once, under the same lock. Written only
    /// with the answer, the [`Fault::Slow`] of a request whose client left before it (a
    /// client's timeout shorter than the wait) was taken from its queue and in no entry of
    /// the log: a test could not tell which request had taken it.
    pub(in crate::pingone::emulator) fn take_fault(
        &self,
        method: &Method,
        headers: &HeaderMap,
        entry: &LogEntry,
    ) -> Option<Fault> {
        let mut state = self.lock();
        let for_transaction = headers
            .get("x-ping-external-transaction-id")
            .and_then(|value| value.to_str().ok())
            .and_then(|transaction| {
                let queue = state.transaction_faults.get_mut(transaction)?;
                let fault = queue.pop_front();
                if queue.is_empty() {
                    state.transaction_faults.remove(transaction);
                }
                fault
            });
        let for_patch = match for_transaction {
            Some(fault) => Some(fault),
            None if *method == Method::PATCH => state.patch_faults.pop_front(),
            None => None,
        };
        let fault = match for_patch.or_else(|| state.faults.pop_front()) {
            Some(fault) => Some(fault),
            None => state.random_faults.as_mut().and_then(RandomFaults::draw),
        };
        if let LogEntry(Some(index)) = entry
            && let Some(recorded) = state.requests.get_mut(*index)
        {
            recorded.fault.clone_from(&fault);
        }
        fault
    }

    /// Takes the next fault queued for the token endpoint (random faults are the users
    /// endpoints' only).
    pub(in crate::pingone::emulator) fn take_token_fault(&self) -> Option<Fault> {
        self.lock().token_faults.pop_front()
    }
}
