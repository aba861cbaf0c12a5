//! The request log: a request recorded as it arrives ([`Shared::record`]), and the answer it
//! got written in its entry ([`Shared::log_answer`]).

use axum::http::{HeaderMap, Method, StatusCode, Uri};

use super::super::Fault;
use super::{LogEntry, RecordedRequest, Shared};

impl Shared {
    /// Keeps a request for [`Emulator::requests`](super::super::Emulator::requests), unless the log
    /// is off, without its answer yet: [`log_answer`](Self::log_answer) writes it in the
    /// entry returned.
    pub(in crate::pingone::emulator) fn record(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> LogEntry {
        if !self.record_requests {
            return LogEntry(None);
        }
        let mut state = self.lock();
        let index = state.requests.len();
        state.requests.push(RecordedRequest {
            method: method.to_string(),
            path: uri.path().to_owned(),
            query: uri.query().unwrap_or_default().to_owned(),
            headers: headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.to_vec(),
            status: None,
            fault: None,
            received_at: std::time::Instant::now(),
        });
        LogEntry(Some(index))
    }

    /// Writes in a request's log entry the status the client read (`None` when no status
    /// reached it) and the fault the request took; nothing when the log is off.
    pub(in crate::pingone::emulator) fn log_answer(
        &self,
        entry: LogEntry,
        status: Option<StatusCode>,
        fault: Option<Fault>,
    ) {
        let LogEntry(Some(index)) = entry else {
            return;
        };
        if let Some(recorded) = self.lock().requests.get_mut(index) {
            recorded.status = status.map(|status| status.as_u16());
            recorded.fault = fault;
        }
    }
}
