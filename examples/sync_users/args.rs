//! The command line: `--help`'s text and the flags it reads.

use std::path::PathBuf;

pub(crate) const USAGE: &str = "usage: sync_users [FEED.jsonl] [--dry-run [--show-changes]] [--concurrency N] [--rate N] \
                     [--report FILE] [--only-failed REPORT] [--custom-attributes A,B,...] \
                     [--stop-after-refusals N]";

/// `--help`: every option, its default, the environment and the exit codes.
pub(crate) const HELP: &str = "\
Make PingOne users match a desired-state feed (JSON Lines, one user per line, matched by
id, else username, else email), sending only what changed.

usage: sync_users [FEED.jsonl] [--dry-run [--show-changes]] [--concurrency N] [--rate N]
                  [--report FILE] [--only-failed REPORT] [--custom-attributes A,B,...]
                  [--stop-after-refusals N]

  FEED.jsonl              the desired users, a file (read twice: not a pipe), UTF-8, one
                          JSON object per line (a file whose first line starts a JSON array,
                          or is a lone {, is refused before anything is sent); without it,
                          the built-in demo feed runs against the offline emulator (the plan,
                          then the run)
  --dry-run               print the plan (the patch each line would send) and send nothing
  --show-changes          with --dry-run: under each line that would change, what its patch
                          changes, with the values the user holds now, one line each
                          (~ /title: \"Engineer\" -> \"Lead\", - /nickname: \"Bo\", + /title:
                          \"Dr\"): the users' attribute values, personal data, on the output
  --concurrency N         lines looked up and sent at once (default: 8)
  --rate N                at most N requests per second (default: 50)
  --report FILE           write one JSON outcome per feed line, in the order they complete
                          (a dry run: the plan's, wouldChange where a patch would be sent);
                          a failed line with \"mayHaveBeenApplied\": true sent a PATCH whose
                          answer was lost or was a server failure (a timeout, a dropped
                          connection, a body cut short, any 5xx but 503), or was a 2xx
                          that shows a part not applied (such as an attribute PingOne
                          ignored, or another writer's change): its user may hold the change.
                          FILE is replaced through FILE.PID.tmp beside it (a read-only FILE
                          is refused); one that a killed run left is removed by the next run
                          (when process PID is gone)
  --only-failed REPORT    handle only the lines REPORT records as failed (or, from a dry run,
                          as wouldChange: nothing was sent), and the lines it
                          has no outcome for (a run cut short never reached them: those
                          between its lines and every line after its last), and lines that
                          name another user than REPORT records for them; the new report
                          starts with REPORT's other outcomes (of lines the feed has), so
                          it can be given back in turn, even after an interruption. A done
                          line edited since (its text's digest, lineDigest, differs) runs
                          again too
  --custom-attributes A,B the environment's custom attributes (comma-separated); without
                          it any unknown attribute that can be a custom attribute's name is
                          sent as one (but a core attribute's name in another case, such as
                          userName, is reported invalid), with it unknown attributes are
                          reported invalid
  --stop-after-refusals N stop the run once N PATCHes in a row got the same 403 refusal,
                          with none accepted between them: a worker that may read users
                          but not update them (default: 5; 0: never stop on a 403)
  -h, --help              this help

Environment (as the README's \"Running against real PingOne\"):
  PINGONE_ENV_ID          the environment's ID; with none of the PINGONE_* variables set,
                          the tool runs offline against an embedded emulator seeded with 100
                          generated users (user001... user100, IDs
                          00000000-0000-4000-8000-000000000001...), two users sharing the
                          email twins@example.com and the reference user dspanner
  PINGONE_ACCESS_TOKEN    a bearer token; or a worker application's PINGONE_CLIENT_ID and
                          PINGONE_CLIENT_SECRET (its environment PINGONE_CLIENT_ENV_ID,
                          default PINGONE_ENV_ID; PINGONE_CLIENT_AUTH_METHOD post for a
                          worker whose token endpoint authentication method is
                          CLIENT_SECRET_POST, default basic)
  PINGONE_REGION          the region: NA, CA, EU, AU, SG or AP (in any case); or
                          PINGONE_API_PATH (and PINGONE_AUTH_PATH for the token endpoint)
  PINGONE_ALLOW_PLAIN_HTTP  1 lets PINGONE_API_PATH and PINGONE_AUTH_PATH be http:// to
                          another machine (the token and the client secret then cross the
                          network in clear text): for a server of your own on a network you
                          trust, such as the emulator in a container; 127.0.0.1 and
                          localhost need it not
  TMPDIR                  where the keys of a feed past 1,024 distinct keys (or users) are
                          kept, in a file removed when the run ends (default /tmp), so
                          that memory stays flat however long the feed
  Against real PingOne a feed file is required.

Ctrl-C stops the run: no new line is started, and the lines in flight finish and are
recorded in the report (a second Ctrl-C stops at once, without their outcomes); a dry run
prints the plan of the lines planned so far, and writes it with --report. SIGTERM (as
kill, docker stop and systemd send) and SIGHUP (the terminal closed) stop it the same way.

Exit status:
  0  every line changed, unchanged or (dry run) would change
  1  a line failed: not found, ambiguous, invalid, duplicate, a failed call, attributes
     PingOne did not apply, or not attempted: the run stops at a refusal that no retry can
     fix (the token endpoint refused the credentials, or PingOne the token: a 401; or the
     users collection answered 404, a wrong API path or environment ID, or 403, a worker
     without a role that reads users; or --stop-after-refusals PATCHes in a row got the same
     403, a worker without a role that updates users), sends nothing more, and reports each
     later line as notAttempted, with that refusal (said once after the counts; the report
     has each)
  2  bad options, or a file that cannot be read or written; or the output was closed
     before the end (as by `| head`): no new line is started, and the lines in flight
     finish and are recorded in the report
  130  interrupted by Ctrl-C (143 by SIGTERM, 129 by SIGHUP: 128 + the signal's number)";

/// The command line.
#[derive(Debug, Default)]
pub(crate) struct Args {
    pub(crate) feed: Option<PathBuf>,
    pub(crate) dry_run: bool,
    /// `--show-changes`: the plan shows each line's changes with the user's current values.
    pub(crate) show_changes: bool,
    pub(crate) concurrency: usize,
    pub(crate) rate: u32,
    pub(crate) report: Option<PathBuf>,
    pub(crate) only_failed: Option<PathBuf>,
    pub(crate) custom_attributes: Option<Vec<String>>,
    pub(crate) stop_after_refusals: usize,
}

pub(crate) fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        concurrency: sparse_patch::pingone::sync::DEFAULT_CONCURRENCY,
        rate: 50,
        stop_after_refusals: sparse_patch::pingone::sync::DEFAULT_STOP_AFTER_REFUSALS,
        ..Args::default()
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--dry-run" => parsed.dry_run = true,
            "--show-changes" => parsed.show_changes = true,
            "--concurrency" => {
                parsed.concurrency = number(&value("--concurrency")?, "--concurrency")?;
            }
            "--rate" => parsed.rate = number(&value("--rate")?, "--rate")?,
            "--report" => {
                let report = value("--report")?;
                if report == "-" {
                    return Err(
                        "--report - would write a file named -, not standard output (where each \
                         line's outcome is printed already): name the report file (./- for a \
                         file named so)"
                            .to_owned(),
                    );
                }
                parsed.report = Some(report.into());
            }
            "--only-failed" => parsed.only_failed = Some(value("--only-failed")?.into()),
            "--custom-attributes" => {
                let names: Vec<String> = value("--custom-attributes")?
                    .split(',')
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned)
                    .collect();
                parsed.custom_attributes = Some(names);
            }
            "--stop-after-refusals" => {
                let text = value("--stop-after-refusals")?;
                parsed.stop_after_refusals = text.parse().map_err(|_| {
                    format!("--stop-after-refusals takes a whole number (0: never), not {text:?}")
                })?;
            }
            "-h" | "--help" => return Err(String::new()),
            "-" => {
                return Err(
                    "the feed cannot be standard input (-): it is read twice, to count \
                            its lines and to run them; save it to a file first (`cmd > \
                            feed.jsonl`)"
                        .to_owned(),
                );
            }
            other if other.starts_with('-') => return Err(format!("unknown flag {other}")),
            _ if parsed.feed.is_none() => parsed.feed = Some(arg.into()),
            _ => return Err(format!("one feed file only, not also {arg}")),
        }
    }
    // The demo (no feed) prints its plan anyway.
    if parsed.show_changes && !parsed.dry_run && parsed.feed.is_some() {
        return Err("--show-changes shows a dry run's plan: add --dry-run".to_owned());
    }
    Ok(parsed)
}

/// A positive whole number.
pub(crate) fn number<T: std::str::FromStr + PartialOrd + From<u8>>(
    text: &str,
    flag: &str,
) -> Result<T, String> {
    match text.parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        _ => Err(format!(
            "{flag} takes a whole number of at least 1, not {text:?}"
        )),
    }
}
