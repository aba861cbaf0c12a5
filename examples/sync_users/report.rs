//! The report of an earlier run (`--only-failed`), and the report of a dry run.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sparse_patch::pingone::sync::{Outcome, write_outcome};

/// An earlier report's outcomes, by line, of a feed run again with `--only-failed`.
#[derive(Debug, Default)]
pub(crate) struct Old {
    /// The lines that are not run again: their outcomes stand, and open the new report.
    pub(crate) standing: BTreeMap<usize, String>,
    /// The lines run again: an outcome closes the new report for each one the run did not
    /// reach (it was interrupted).
    pub(crate) rerun: BTreeMap<usize, String>,
}

impl Old {
    /// `kept` split by `not_run`, the feed lines not run again.
    pub(crate) fn split(mut kept: BTreeMap<usize, String>, not_run: &BTreeSet<usize>) -> Old {
        let mut standing = BTreeMap::new();
        for line in not_run {
            if let Some(outcome) = kept.remove(line) {
                standing.insert(*line, outcome);
            }
        }
        Old {
            standing,
            rerun: kept,
        }
    }
}

/// A dry run's report: the old report's outcomes that stand (with `--only-failed`), then the
/// plan's outcomes (`wouldChange`, `unchanged`, the lines' errors) in line order, so that
/// `--only-failed` can take it as the help says (its `wouldChange` lines are still to do);
/// then, for a plan that was interrupted, the old report's outcomes of the lines it was to run
/// again and did not reach, as [`apply_with`](crate::apply::apply_with) keeps them.
pub(crate) fn write_plan_report(
    path: &Path,
    old: &Old,
    outcomes: &BTreeMap<usize, Outcome>,
) -> Result<(), Box<dyn std::error::Error>> {
    let write = || -> std::io::Result<()> {
        let mut report = BufWriter::new(create_report(path, &old.standing, |file| file)?);
        for outcome in outcomes.values() {
            write_outcome(&mut report, outcome)?;
        }
        for (line, outcome) in &old.rerun {
            if !outcomes.contains_key(line) {
                report.write_all(outcome.as_bytes())?;
                report.write_all(b"\n")?;
            }
        }
        report.flush()
    };
    write().map_err(|error| {
        format!(
            "cannot write the report {}: {error} (a dry run: nothing was sent)",
            path.display()
        )
        .into()
    })
}

/// The outcomes of `old` (an earlier report's text, read before the new report is created,
/// which may be the same file), as written, by line; where it holds two outcomes for a line,
/// the later one. A last line cut short (no line end, its JSON incomplete: the run was
/// interrupted as it wrote it) is no outcome, as `rerun_lines` reads it: its line runs again.
pub(crate) fn old_outcomes(
    old: &str,
) -> Result<BTreeMap<usize, String>, Box<dyn std::error::Error>> {
    let mut kept = BTreeMap::new();
    let mut lines = old
        .lines()
        .filter(|line| !line.trim().is_empty())
        .peekable();
    while let Some(line) = lines.next() {
        let outcome: Outcome = match serde_json::from_str(line) {
            Ok(outcome) => outcome,
            Err(error) if error.is_eof() && lines.peek().is_none() && !old.ends_with('\n') => {
                break;
            }
            Err(error) => return Err(error.into()),
        };
        kept.insert(outcome.line, line.to_owned());
    }
    Ok(kept)
}

/// What `--only-failed` says of a report `old` (read from `report`) whose last line is cut
/// short ([`old_outcomes`]): its number, that it holds no outcome and that its feed line runs
/// again. `rerun_lines` said it only as a `tracing` warning, which the tool does not show: the
/// line was dropped without a word.
pub(crate) fn cut_last_line_notice(old: &str, report: &str) -> Option<String> {
    if old.ends_with('\n') {
        return None;
    }
    // Without a line end, the last line is the one a stopped write cut.
    let last = old.lines().last().filter(|line| !line.trim().is_empty())?;
    let number = old.lines().count() - 1;
    match serde_json::from_str::<Outcome>(last) {
        Err(error) if error.is_eof() => Some(format!(
            "the last line of {report} (line {}) is cut short, as a run stopped while writing \
             it leaves it: it holds no outcome, and its feed line runs again",
            number + 1
        )),
        _ => None,
    }
}

/// The outcomes of `old` (see [`old_outcomes`]) of the feed's `feed_lines` lines, and those
/// past its last line, which are not this feed's.
#[allow(clippy::type_complexity)]
pub(crate) fn old_outcomes_of_feed(
    old: &str,
    feed_lines: usize,
) -> Result<(BTreeMap<usize, String>, BTreeMap<usize, String>), Box<dyn std::error::Error>> {
    let mut kept = old_outcomes(old)?;
    let past = kept.split_off(&(feed_lines + 1));
    Ok((kept, past))
}

/// Refuses a report (`--report`) that cannot be created, before anything is looked up or
/// sent: a directory, or a path whose directory does not exist or is not a directory. Found
/// only when the run created it, such a report stopped a run after the offline emulator had
/// started, and a dry run after every line was looked up (its plan then written nowhere); the
/// run's message said that the lines recorded had been sent, of a report that did not exist.
/// And an existing report that is read-only (no write permission, or none for this user):
/// [`create_report`] renames a new file over it, which its permissions do not prevent, so it
/// was replaced silently, read-only still.
///
/// # Errors
///
/// The message: `cannot create the report PATH: WHY; nothing was sent`.
pub(crate) fn check_report_path(path: &Path) -> Result<(), String> {
    let cannot = |why: String| {
        format!(
            "cannot create the report {}: {why}; nothing was sent",
            path.display()
        )
    };
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => {
            return Err(cannot("it is a directory".to_owned()));
        }
        Ok(metadata) if metadata.is_file() => {
            // Opened to append, so that nothing in it changes.
            let writable = !metadata.permissions().readonly()
                && std::fs::OpenOptions::new().append(true).open(path).is_ok();
            if !writable {
                return Err(cannot(
                    "it is read-only: make it writable (chmod u+w), or name another file"
                        .to_owned(),
                ));
            }
        }
        _ => {}
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match std::fs::metadata(directory) {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        Ok(_) => Err(cannot(format!(
            "{} is not a directory",
            directory.display()
        ))),
        Err(error) => Err(cannot(format!("{}: {error}", directory.display()))),
    }
}

/// The text of an earlier report (`--only-failed`).
///
/// A last line cut inside a character (the run was interrupted as it wrote it) loses that
/// character, and is then read as cut short ([`old_outcomes`]).
pub(crate) fn read_report(path: &PathBuf) -> Result<String, String> {
    let cannot = |error: &dyn std::fmt::Display| format!("cannot read {}: {error}", path.display());
    let mut bytes = std::fs::read(path).map_err(|error| cannot(&error))?;
    if let Err(error) = std::str::from_utf8(&bytes)
        && error.error_len().is_none()
    {
        bytes.truncate(error.valid_up_to());
    }
    String::from_utf8(bytes).map_err(|error| cannot(&error))
}

/// The file beside the report at `target` (a canonical path) that [`create_report`] writes
/// and renames over it, for process `pid`: `REPORT.PID.tmp`.
fn beside_name(target: &Path, pid: u32) -> Option<PathBuf> {
    let mut name = target.file_name()?.to_owned();
    name.push(format!(".{pid}.tmp"));
    Some(target.with_file_name(name))
}

/// Whether process `pid` is running, where the system tells (`/proc/PID`, on Linux); `None`
/// where it does not (no `/proc`).
fn running(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    Some(Path::new("/proc").join(pid.to_string()).exists())
}

/// Removes the files that [`create_report`] left beside the report at `path` when its run was
/// killed (SIGKILL, a power cut) between creating the file and renaming it over the report:
/// `REPORT.PID.tmp`, PID digits alone, a regular file (not a link), of a process that no longer
/// runs (or of this process's ID, which an earlier process had: this run has not written its
/// own yet). Such a file holds only a copy of the outcomes that stand, which the report it was
/// to replace, left whole, or the `--only-failed` report still holds; and the run sent
/// nothing before it (the report is written before the first line runs). A file of a process
/// that runs (another run writing the same report) is left, and so is one where the system
/// does not tell whether its process runs (no `/proc`), each said so. Other files are not
/// looked at. Returns what it did, one sentence each, for the run to say.
pub(crate) fn remove_leftovers(path: &Path) -> Vec<String> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let Some(name) = name.to_str() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return Vec::new();
    };
    let mut leftovers: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let file_name = entry.file_name();
            let pid = file_name
                .to_str()?
                .strip_prefix(name)?
                .strip_prefix('.')?
                .strip_suffix(".tmp")?;
            if pid.is_empty() || !pid.bytes().all(|byte| byte.is_ascii_digit()) {
                return None;
            }
            let pid: u32 = pid.parse().ok()?;
            // Written by `create_report` as it names its own: the same text, no leading zero.
            let beside = beside_name(&target, pid)?;
            (beside.file_name() == Some(file_name.as_os_str())
                && entry.file_type().is_ok_and(|kind| kind.is_file()))
            .then_some((pid, beside))
        })
        .collect();
    leftovers.sort();
    let own = std::process::id();
    leftovers
        .into_iter()
        .map(|(pid, beside)| {
            let shown = beside.display();
            let running = if pid == own {
                Some(false)
            } else {
                running(pid)
            };
            match running {
                Some(false) => match std::fs::remove_file(&beside) {
                    Ok(()) => format!(
                        "removed {shown}, left by a run (process {pid}, no longer running) \
                         that was stopped while it replaced the report: it held a copy of \
                         outcomes that the report it was to replace still holds"
                    ),
                    Err(error) => format!(
                        "cannot remove {shown}, left by a run (process {pid}, no longer \
                         running) that was stopped while it replaced the report: {error}"
                    ),
                },
                Some(true) => format!(
                    "left {shown} alone: process {pid}, which writes it, is running (another \
                     run writing the same report?)"
                ),
                None => format!(
                    "left {shown} alone: a run (process {pid}) stopped while it replaced the \
                     report, or another run writing it now; this system does not tell which: \
                     remove it if no other run writes this report"
                ),
            }
        })
        .collect()
}

/// Creates the report at `path`, holding first the outcomes of `standing` (an earlier report's,
/// which may be the report at `path` itself): written to a file beside it and renamed over it,
/// so that whenever the run stops (killed, the machine down, a write that fails), `path` holds
/// either the earlier report whole or the new one with every outcome of `standing`. Created
/// in place and then written, a report of 300,000 lines given to `--only-failed` and
/// `--report` alike was empty or cut for the second it took: a kill then lost the outcomes of
/// the lines done, and the next rerun ran them all again. A `path` that is no regular file
/// (`/dev/full`, a pipe) or whose directory takes no new file is written in place.
/// `wrap` is the writer around the new file (the tests' failing disk). The file beside it is
/// `REPORT.PID.tmp`; a run killed before the rename leaves it, and the next run with this
/// report removes it ([`remove_leftovers`]).
///
/// The file returned is open at its end, for the outcomes that follow.
pub(crate) fn create_report<W: Write>(
    path: &Path,
    standing: &BTreeMap<usize, String>,
    wrap: impl FnOnce(File) -> W,
) -> std::io::Result<File> {
    let write = |report: &mut dyn Write| -> std::io::Result<()> {
        let mut report = BufWriter::new(report);
        for outcome in standing.values() {
            report.write_all(outcome.as_bytes())?;
            report.write_all(b"\n")?;
        }
        report.flush()
    };
    // A link is followed: its target is replaced, the link kept.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let existing = std::fs::metadata(&target).ok();
    let beside = match &existing {
        Some(metadata) if !metadata.is_file() => None,
        _ => beside_name(&target, std::process::id()),
    };
    let created = beside.as_ref().map(|beside| (beside, File::create(beside)));
    let Some((beside, Ok(file))) = created else {
        let mut file = File::create(&target)?;
        write(&mut file)?;
        return Ok(file);
    };
    let renamed = (|| {
        if let Some(metadata) = &existing {
            std::fs::set_permissions(beside, metadata.permissions())?;
        }
        write(&mut wrap(file))?;
        std::fs::rename(beside, &target)?;
        std::fs::OpenOptions::new().append(true).open(&target)
    })();
    if renamed.is_err() {
        let _ = std::fs::remove_file(beside);
    }
    renamed
}
