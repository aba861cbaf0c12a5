//! Where the plan and the outcomes are printed, and how an outcome reads as a line.

use std::io::{IsTerminal, Write};

use sparse_patch::pingone::sync::{Outcome, Status, printable};

/// Where the plan and the outcomes are printed (standard output). A write that fails (a pipe
/// whose reader ended, as `| head` does, or a closed terminal) is said once on stderr and
/// nothing more is printed: `println!` panicked there, ending a run in the middle with the
/// outcomes of its lines in flight unwritten (their PATCHes sent) and no summary.
pub(crate) struct Output<W: Write> {
    pub(crate) writer: W,
    /// Set by the first write that failed.
    pub(crate) closed: bool,
    /// Whether a run shows a progress bar (on stderr, a terminal) rather than a line per
    /// outcome.
    pub(crate) bar: bool,
}

impl<W: Write> Output<W> {
    /// `writer`, with a progress bar when stderr is a terminal.
    pub(crate) fn new(writer: W) -> Self {
        Output {
            writer,
            closed: false,
            bar: std::io::stderr().is_terminal(),
        }
    }

    /// `writer`, with a line per outcome whatever stderr is.
    #[cfg(test)]
    pub(crate) fn plain(writer: W) -> Self {
        Output {
            bar: false,
            ..Output::new(writer)
        }
    }

    /// Prints `text` and a newline, unless the output is closed.
    pub(crate) fn line(&mut self, text: impl std::fmt::Display) {
        if self.closed {
            return;
        }
        if let Err(error) = writeln!(self.writer, "{text}").and_then(|()| self.writer.flush()) {
            self.closed = true;
            eprintln!(
                "sync_users: the output cannot be written ({error}): nothing more is printed"
            );
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
        // Its error says "not attempted" and why.
        Status::NotAttempted => error(),
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

/// What stopped a run, said once after its counts, from its first [`Status::NotAttempted`]
/// outcome: the refusal (each such line's error repeats it) and what to do.
pub(crate) fn stop_notice(outcome: &Outcome) -> Option<String> {
    let stopped_by = outcome.error.as_ref()?.stopped_by?;
    Some(printable(&format!(
        "the job stopped at line {stopped_by}, refused in a way that no retry can fix (the \
         token endpoint refused the credentials, or PingOne refused the token: see that line's \
         error); the lines after it were not attempted: fix the PINGONE_* credentials, then \
         --only-failed with the report runs the failed and not attempted lines"
    )))
}
