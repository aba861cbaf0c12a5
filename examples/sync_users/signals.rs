//! Ctrl-C, SIGTERM and SIGHUP as requests to stop a run.

use tokio::sync::mpsc::UnboundedReceiver;

/// Each request to stop, as the exit status of its signal (128 + its number, as a shell
/// reports it): Ctrl-C (SIGINT, 130) and, on Unix, SIGTERM (143: `kill`, `docker stop`,
/// systemd) and SIGHUP (129: the terminal closed). The first stops the run gracefully, the
/// second at once (see [`apply_with`]). Without this, the signal killed the process with the
/// lines in flight: their PATCHes sent, their outcomes never written. The Unix handlers are
/// installed before this returns, so that a signal sent after it is never the default kill.
pub(crate) fn stop_requests() -> UnboundedReceiver<u8> {
    let (requests, received) = tokio::sync::mpsc::unbounded_channel();
    // Not `tokio::signal::ctrl_c()` on Unix: it installs its handler when its task first runs,
    // at the run's first wait, after the report was created and its old outcomes written, so
    // a Ctrl-C then killed the tool (a report replaced by a rerun's lost them; see
    // `create_report`).
    #[cfg(not(unix))]
    {
        let ctrl_c = requests.clone();
        tokio::spawn(async move {
            // An error (no handler could be installed) ends the task: Ctrl-C then kills as usual.
            while tokio::signal::ctrl_c().await.is_ok() {
                if ctrl_c.send(130).is_err() {
                    break;
                }
            }
        });
    }
    #[cfg(unix)]
    for (kind, status) in [
        (tokio::signal::unix::SignalKind::interrupt(), 130),
        (tokio::signal::unix::SignalKind::terminate(), 143),
        (tokio::signal::unix::SignalKind::hangup(), 129),
    ] {
        // A handler that cannot be installed leaves that signal's default: it kills.
        let Ok(mut signals) = tokio::signal::unix::signal(kind) else {
            continue;
        };
        let requests = requests.clone();
        tokio::spawn(async move {
            while signals.recv().await.is_some() {
                if requests.send(status).is_err() {
                    break;
                }
            }
        });
    }
    received
}
