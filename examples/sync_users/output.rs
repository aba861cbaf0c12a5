//! Where the plan and the outcomes are printed, and how an outcome reads as a line.

use std::io::{IsTerminal, Write};

use sparse_patch::pingone::sync::{Outcome, OutcomeError, Status, printable};

/// `eprintln!` without its panic on a closed standard error: the message is dropped. A run
/// piped as `sync_users feed.jsonl 2>&1 | tee run.log` (or `| cat`, `| head`) loses its
/// reader with a Ctrl-C (which stops every program of the pipeline), and the message that the
/// Ctrl-C prints panicked: the run ended at once, the lines in flight (their PATCHes sent)
/// without their outcomes in the report, and with status 101.
macro_rules! note {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use note;

/// Where the plan and the outcomes are printed (standard output). A write that fails (a pipe
/// whose reader ended, as `| head` does, or a closed terminal) is said once on stderr and
/// nothing more is printed: `println!` panicked there, ending a run in the middle with the
/// outcomes of its lines in flight unwritten (their PATCHes sent) and no summary.
pub(crate) struct Output<W: Write> {
    pub(crate) writer: W,
    /// Set by the first write that failed.
    pub(crate) closed: bool,
    /// Whether a run shows a progress bar (on stderr, a terminal).
    pub(crate) bar: bool,
    /// Whether a run prints each outcome as a line on `writer`: without a bar, and with one
    /// when `writer` is no terminal (`sync_users feed.jsonl > run.log` at a terminal: the bar
    /// on the terminal, the outcomes in the file, which otherwise got only the counts).
    pub(crate) each_line: bool,
}

impl<W: Write + IsTerminal> Output<W> {
    /// `writer`, with a progress bar when stderr is a terminal, and a line per outcome on
    /// `writer` unless the bar and `writer` share the terminal.
    pub(crate) fn new(writer: W) -> Self {
        let bar = std::io::stderr().is_terminal();
        let each_line = !bar || !writer.is_terminal();
        Output {
            writer,
            closed: false,
            bar,
            each_line,
        }
    }
}

impl<W: Write> Output<W> {
    /// `writer`, with a line per outcome whatever stderr is.
    #[cfg(test)]
    pub(crate) fn plain(writer: W) -> Self {
        Output {
            writer,
            closed: false,
            bar: false,
            each_line: true,
        }
    }

    /// Prints `text` and a newline, unless the output is closed.
    pub(crate) fn line(&mut self, text: impl std::fmt::Display) {
        if self.closed {
            return;
        }
        if let Err(error) = writeln!(self.writer, "{text}").and_then(|()| self.writer.flush()) {
            self.closed = true;
            note!("sync_users: the output cannot be written ({error}): nothing more is printed");
        }
    }
}

/// One outcome as a line: `line 2  username "ada"  PATCH {"title":"CTO"}`.
pub(crate) fn describe(outcome: &Outcome) -> String {
    let key = outcome
        .key
        .as_ref()
        .map_or_else(String::new, ToString::to_string);
    let patch = || {
        outcome
            .patch
            .as_ref()
            .map_or_else(String::new, ToString::to_string)
    };
    let error = || {
        outcome
            .error
            .as_ref()
            .map_or_else(String::new, ToString::to_string)
    };
    let what = match outcome.status {
        Status::WouldChange => format!("PATCH {}", patch()),
        Status::Changed => format!("changed: sent {}", patch()),
        Status::Unchanged => "no change".to_owned(),
        // A repeat of a key that an earlier line found no user for says which line.
        Status::NotFound
            if outcome
                .error
                .as_ref()
                .is_some_and(|e| e.first_line.is_some()) =>
        {
            format!("not found: {}", error())
        }
        Status::NotFound => "not found".to_owned(),
        // Short: the refusal is said once, after the counts (`NotAttempted::notice`); the
        // report keeps each line's whole error. A stop before line 3 of 10,000 printed the
        // refusal 9,997 times.
        Status::NotAttempted => match outcome.error.as_ref().and_then(|e| e.stopped_by) {
            Some(line) => {
                format!("not attempted: the job stopped at line {line} (why: after the counts)")
            }
            None => format!("not attempted: {}", error()),
        },
        status => format!("{status}: {}", error()),
    };
    printable(&format!("line {:<4} {key:<46} {what}", outcome.line))
}

/// `1 line`, `2 lines`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The lines not attempted (the job stopped at a refusal that every call would get), kept
/// as they come to be said once after the counts: how many, the first and last, and one
/// error (each line's repeats the refusal). Memory stays flat however many there are.
#[derive(Debug, Default)]
pub(crate) struct NotAttempted {
    count: usize,
    first: usize,
    last: usize,
    error: Option<OutcomeError>,
}

impl NotAttempted {
    /// Counts `outcome` if it was not attempted.
    pub(crate) fn add(&mut self, outcome: &Outcome) {
        if outcome.status != Status::NotAttempted {
            return;
        }
        if self.count == 0 {
            (self.first, self.last) = (outcome.line, outcome.line);
        }
        self.count += 1;
        self.first = self.first.min(outcome.line);
        self.last = self.last.max(outcome.line);
        if self.error.is_none() {
            self.error.clone_from(&outcome.error);
        }
    }

    /// What stopped the run and what to do, when a line was not attempted: the refusal once,
    /// the lines it left, and the fix for its kind (the credentials; the API base URL or the
    /// environment ID; the worker's role, to read users or to update them; an API that cannot
    /// be reached; a wait that PingOne asked for).
    /// `report`: whether the run writes one (it keeps each line's error, and `--only-failed`
    /// reads it).
    pub(crate) fn notice(&self, report: bool) -> Option<String> {
        let error = self.error.as_ref()?;
        let lines = if self.count == 1 {
            format!("1 line (line {}) was", self.first)
        } else {
            format!(
                "{} lines (from line {} to line {}) were",
                self.count, self.first, self.last
            )
        };
        let collection = error.message.contains("the users collection");
        let fix = match error.http_status {
            Some(403) if collection => {
                "give the worker application a role that reads users on this environment"
            }
            // PATCHes refused alike, one after another (`SyncJob::stop_after_refusals`).
            Some(403) => {
                "give the worker application a role that updates users (Identity Data Admin) \
                 on this environment or the users' populations, or leave out of the feed the \
                 attribute PingOne refused (the error's target); if only the refused lines' \
                 users are out of its reach, run the rest with --stop-after-refusals 0"
            }
            _ if collection => {
                "check PINGONE_API_PATH (PingOne's ends with /v1) or PINGONE_REGION, and \
                 PINGONE_ENV_ID"
            }
            // An answer that lost members of an object the line merged into.
            None if error.message.contains("no longer holds") => {
                "restore what the failed line's user lost from a copy taken before the run, \
                 give every member of name and address in the feed's lines"
            }
            None if error.message.contains("is not a PingOne ID") => {
                "set PINGONE_ENV_ID to the environment's ID, a UUID"
            }
            // No answer at all: the API could not be reached.
            None => {
                "check that the API can be reached from here: PINGONE_API_PATH or \
                 PINGONE_REGION, the network or VPN, a proxy (HTTPS_PROXY) and its certificate"
            }
            // An answer that said when to come back, later than the client waits.
            _ if error.message.contains("the answer asked to wait") => {
                "wait as long as PingOne asked (its rate limit or quota, or a service down for \
                 a while)"
            }
            // PingOne's 401 `invalid_client`, "Unsupported authentication method": the error
            // names the Rust setting (`TokenSource::auth_method`); the tool's is a variable.
            _ if error.message.contains("tokenEndpointAuthMethod") => {
                "set PINGONE_CLIENT_AUTH_METHOD to the method the worker application takes, its \
                 tokenEndpointAuthMethod: post for CLIENT_SECRET_POST, basic (the default) for \
                 CLIENT_SECRET_BASIC"
            }
            _ => {
                "fix the PINGONE_* credentials (the token endpoint refused them, or PingOne \
                 refused the token)"
            }
        };
        let (kept, rerun) = if report {
            (
                " (the report keeps it for each)",
                "then --only-failed with the report runs the failed and not attempted lines",
            )
        } else {
            (
                "",
                "then run the feed again (--report FILE keeps a report, from which \
                 --only-failed runs only the failed and not attempted lines)",
            )
        };
        // The feed's and the server's text escaped; the notice's own line end kept.
        Some(format!(
            "{lines} not attempted, each with this error{kept}: {}\n{fix}, {rerun}",
            printable(&error.to_string())
        ))
    }
}
