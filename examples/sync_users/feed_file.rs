//! The feed file: opened, checked (not a pipe, not the report) and counted.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use sparse_patch::pingone::sync::{Rerun, is_blank_line, line_digest, line_key};

/// What [`count_lines`] found in a feed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Counted {
    /// The lines that get an outcome and are run, for the progress bar.
    pub(crate) total: usize,
    /// The feed's number of lines, blank ones included.
    pub(crate) feed_lines: usize,
    /// With a rerun, the lines it does not run again (blank ones included): an old report's
    /// outcomes of them stand.
    pub(crate) not_run: BTreeSet<usize>,
    /// With a rerun, how many of [`not_run`](Counted::not_run) are not blank: the lines the
    /// old report records as done, with the same key and text, which the run skips.
    pub(crate) done: usize,
}

/// The lines of a feed that get an outcome (blank lines get none; an unreadable line, such as
/// one that is not UTF-8, gets one, keyless, as the job reads it) and that `rerun` selects,
/// for the progress bar; the feed's number of lines, blank ones included; and with `rerun`,
/// the lines it does not run.
///
/// # Errors
///
/// A read error other than a line that is not UTF-8 (the feed is a directory, its device went
/// away): it would come back at every read. A feed whose first line starts a JSON array or a
/// JSON document over several lines ([`starts_a_document`]): run as JSON Lines, its last
/// element would be applied and every other one invalid.
pub(crate) fn count_lines(feed: impl BufRead, rerun: Option<&Rerun>) -> std::io::Result<Counted> {
    let mut feed_lines = 0;
    let mut failed = None;
    let mut not_run = BTreeSet::new();
    let mut done = 0;
    let mut first = true;
    let total = sparse_patch::pingone::sync::feed_lines(feed)
        .map_while(|line| match line {
            Err(error) if error.kind() != std::io::ErrorKind::InvalidData => {
                failed = Some(error);
                None
            }
            Ok(line) if first && !is_blank_line(&line) && starts_a_document(&line) => {
                failed = Some(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "it is not JSON Lines: its first line, {:?}, starts a JSON array or a \
                         JSON document written over several lines, of which each element on a \
                         line of its own but with a comma after it would be invalid, and the \
                         last one, without it, applied; write one JSON object per line (`jq -c \
                         '.[]' FILE > FILE.jsonl` for an array); nothing was sent",
                        line.trim_start_matches('\u{feff}').trim()
                    ),
                ));
                None
            }
            line => {
                first &= line.as_ref().is_ok_and(|line| is_blank_line(line));
                Some(line)
            }
        })
        .enumerate()
        .filter(|(index, line)| {
            feed_lines = index + 1;
            let (key, digest) = match line {
                // Blank as the job counts it: a byte order mark aside.
                Ok(line) if is_blank_line(line) => {
                    if rerun.is_some() {
                        not_run.insert(index + 1);
                    }
                    return false;
                }
                Ok(line) => (line_key(line), Some(line_digest(line))),
                Err(_) => (None, None),
            };
            // As the job selects them.
            let selected = rerun
                .is_none_or(|lines| lines.selects_line(index + 1, key.as_ref(), digest.as_deref()));
            if !selected {
                not_run.insert(index + 1);
                done += 1;
            }
            selected
        })
        .count();
    match failed {
        Some(error) => Err(error),
        None => Ok(Counted {
            total,
            feed_lines,
            not_run,
            done,
        }),
    }
}

/// Whether a feed's first line (not blank) starts a JSON array (`[`, `[{"username": ...},`)
/// or is a lone `{`: the start of a JSON document, not a line of JSON Lines.
fn starts_a_document(line: &str) -> bool {
    let line = line.trim_start_matches('\u{feff}').trim();
    line.starts_with('[') || line == "{"
}

/// Whether `a` and `b` name one existing file (the same device and inode on Unix, so a hard
/// or symbolic link counts; the same canonical path elsewhere).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        matches!(
            (std::fs::metadata(a), std::fs::metadata(b)),
            (Ok(a), Ok(b)) if a.dev() == b.dev() && a.ino() == b.ino()
        )
    }
    #[cfg(not(unix))]
    {
        matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
    }
}

/// Refuses a feed that cannot be read twice: the run opens it once to count its lines and
/// again to run them, and a pipe (`/dev/stdin`, `<(cmd)`, a FIFO) or a device gives its lines
/// to the first read only, so the run had none ("plan: 0 lines", exit status 0: nothing
/// done, and nothing said). A directory is left to the read, which says so.
pub(crate) fn read_twice(feed: &Path) -> Result<(), String> {
    match std::fs::metadata(feed) {
        Ok(metadata) if !metadata.is_file() && !metadata.is_dir() => Err(format!(
            "{} is not a regular file (a pipe?): the feed is read twice, to count its lines \
             and to run them; save it to a file first (`cmd > feed.jsonl`)",
            feed.display()
        )),
        _ => Ok(()),
    }
}

pub(crate) fn open(path: &PathBuf) -> Result<File, String> {
    File::open(path).map_err(|error| format!("cannot open {}: {error}", path.display()))
}
