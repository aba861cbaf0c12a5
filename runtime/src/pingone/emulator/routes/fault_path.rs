//! The way of a request to a users endpoint, once recorded: the rate limit, its queued fault,
//! and its answer written in the request log.

use axum::http::{HeaderMap, Method};
use axum::response::Response;

use super::super::Fault;
use super::super::faults::{self, Effect, Endpoint};
use super::super::state::{LogEntry, Shared};

/// The answer to a request with `method` and `headers` to a users endpoint, recorded as
/// `entry`: the rate limit's 429 when it is over the limit; else the answer of the next
/// queued fault ([`Shared::take_fault`]) where the fault answers in the endpoint's place;
/// else `serve`'s, shaped as the fault says ([`faults::shape`]: a body cut short), after its
/// wait ([`Fault::Slow`]). The status the client reads and the fault taken are written in
/// `entry` before the answer leaves ([`logged`]).
pub(super) async fn through_faults(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    entry: LogEntry,
    serve: impl FnOnce() -> Response,
) -> Response {
    if let Some(limited) = faults::over_rate_limit(shared.rate_limit.as_ref(), &shared.errors) {
        return logged(shared, entry, None, limited);
    }
    let fault = shared.take_fault(method, headers, &entry);
    let effect = faults::effect(
        &shared.errors,
        fault.clone(),
        Endpoint::Users,
        shared.fault_retry_after,
    )
    .await
    .on(method);
    if let Effect::Answer(response) = effect {
        return logged(shared, entry, fault, response);
    }
    let response = serve();
    shared.log_answer(entry, effect.status_read(&response), fault);
    faults::shape(effect, response).await
}

/// `response`, once its status and `fault` (the fault the request took, if any) are written
/// in the request's log `entry`
/// ([`RecordedRequest::status`](super::super::RecordedRequest::status)). Written before the
/// answer leaves, so that a test that reads
/// [`Emulator::requests`](super::super::Emulator::requests) once its call returned finds it.
pub(super) fn logged(
    shared: &Shared,
    entry: LogEntry,
    fault: Option<Fault>,
    response: Response,
) -> Response {
    shared.log_answer(entry, Some(response.status()), fault);
    response
}
