//! Whether a call's change may have reached the server: an attempt of a PATCH whose answer
//! never came (a timeout, a connection dropped after the request went out), came cut short,
//! or said that the server failed (a 5xx but 503), may have been carried out, though the
//! call's error (its last attempt's) says nothing of it: a timed-out attempt retried into a
//! 409 fails with the 409. [`watching`] runs a call and tells whether any of its attempts
//! may have landed; the sync job reports such a line's failure as one whose PATCH may have
//! been applied (`OutcomeError::may_have_been_applied`).

use std::cell::Cell;

use super::super::Error;

tokio::task_local! {
    /// What the attempts of the change that a [`watching`] call made did so far.
    static WATCHED: Watched;
}

/// What a [`watching`] call's attempts of a change (a PATCH) did.
#[derive(Debug, Default)]
pub(crate) struct Watched {
    /// Whether an attempt was sent at all: a call that failed before (its token could not be
    /// fetched, no runtime) sent nothing, whatever its error.
    sent: Cell<bool>,
    /// Whether an attempt that was retried may have landed ([`note_attempt`]).
    landed: Cell<bool>,
    /// Whether the last attempt sent made no connection ([`note_not_connected`]): its
    /// error, a connect timeout read as [`Error::Timeout`] too, says nothing was sent.
    not_connected: Cell<bool>,
}

impl Watched {
    /// Whether the change may have been carried out, given `error`, the call's own: an
    /// attempt was sent, and either an attempt retried before may have landed, or `error`
    /// says the last one may have ([`error_may_have_landed`]) and it made a connection.
    pub(crate) fn may_have_landed(&self, error: &Error) -> bool {
        self.sent.get()
            && (self.landed.get() || (!self.not_connected.get() && error_may_have_landed(error)))
    }
}

/// Runs `call`, and tells what its attempts of a change (a PATCH) did: whether one was sent,
/// and whether one retried may have been carried out by the server ([`note_attempt`]).
pub(crate) async fn watching<F: Future>(call: F) -> (F::Output, Watched) {
    WATCHED
        .scope(Watched::default(), async move {
            let output = call.await;
            let watched = WATCHED.with(|watched| Watched {
                sent: Cell::new(watched.sent.get()),
                landed: Cell::new(watched.landed.get()),
                not_connected: Cell::new(watched.not_connected.get()),
            });
            (output, watched)
        })
        .await
}

/// Notes that an attempt of a change is being sent: no-op outside [`watching`].
pub(super) fn note_sent() {
    let _ = WATCHED.try_with(|watched| {
        watched.sent.set(true);
        watched.not_connected.set(false);
    });
}

/// Notes that the attempt of a change being sent made no connection (refused, or the
/// connect timeout ran out), so sent nothing: no-op outside [`watching`].
pub(super) fn note_not_connected() {
    let _ = WATCHED.try_with(|watched| watched.not_connected.set(true));
}

/// Notes that an attempt of a change, retried, may have landed: no-op outside [`watching`].
pub(super) fn note_attempt() {
    let _ = WATCHED.try_with(|watched| watched.landed.set(true));
}

/// Whether an answer of `status` to a change leaves it possibly carried out: a 2xx (it was),
/// or a server's failure (5xx), which may have applied it before failing (RFC 9110 §15.6), but
/// for 503, a server that did not take the request (§15.6.4). A 4xx refused it.
pub(super) fn status_may_have_landed(status: u16) -> bool {
    (200..300).contains(&status) || ((500..600).contains(&status) && status != 503)
}

/// Whether `error`, a change's, leaves it possibly carried out: a timeout (the request may
/// have reached the server and been applied, its answer late), a transport failure once a
/// connection was made (the request sent, the answer lost: `Error::Transport`'s own
/// documentation says so), or an answer whose status [`status_may_have_landed`] (a 2xx whose
/// body could not be read, a 5xx but 503: 500, 502, 504...). Not a refusal (4xx, 503, 429), nor an error
/// before anything was sent (pre-flight, the token endpoint's, no runtime).
fn error_may_have_landed(error: &Error) -> bool {
    match error {
        Error::Timeout { .. } => true,
        Error::Transport { source, .. } => !source.is_connect(),
        Error::Api { status, .. }
        | Error::Decode { status, .. }
        | Error::Incomplete { status, .. } => status_may_have_landed(*status),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::time::Duration;

    use super::watching;
    use crate::pingone::{Client, Error, RetryPolicy, TokenSource, UserPatch};

    /// A listener whose queue of connections not yet accepted is full, so that the kernel
    /// drops a new connection's SYN and a connect to it hangs; the connections that filled it
    /// are kept for as long as the listener. `None` where the kernel still connects once the
    /// queue is full (SYN cookies for every connection).
    fn listener_that_takes_no_connection() -> Option<(TcpListener, Vec<TcpStream>)> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let mut held = Vec::new();
        for _ in 0..4096 {
            match TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
                Ok(stream) => held.push(stream),
                Err(_) => return Some((listener, held)),
            }
        }
        None
    }

    /// Review 126: a PATCH whose only attempt never connected (the connect timeout ran out)
    /// sent nothing, but its `Error::Timeout` was read as an answer lost after the request
    /// went out: the sync job said that it may have been applied.
    #[tokio::test]
    async fn a_patch_that_never_connected_has_not_landed() {
        let Some((listener, _held)) = listener_that_takes_no_connection() else {
            eprintln!("skipped: this kernel connects to a listener whose queue is full");
            return;
        };
        let port = listener.local_addr().unwrap().port();
        let client = Client::builder()
            .api_base_url(format!("http://127.0.0.1:{port}/v1"))
            .allow_plain_http(true)
            .token(TokenSource::bearer("token"))
            .connect_timeout(Duration::from_millis(200))
            .timeout(Duration::from_secs(5))
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let patch = UserPatch::new().title("Engineer".to_owned());
        let (answer, watched) = watching(client.update_user(
            "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
            "0c9d2c2b-5d5a-4b3c-9a3c-6b7a7c1e7d2f",
            &patch,
        ))
        .await;
        // A kernel that refuses (RST) rather than drops the SYN gives a connection refused.
        let error = answer.unwrap_err();
        assert!(
            matches!(error, Error::Timeout { .. } | Error::Transport { .. }),
            "{error:?}"
        );
        assert!(!watched.may_have_landed(&error), "{error:?}");
    }
}
