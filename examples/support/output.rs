//! The examples' output: their lines on standard output, closed early or not, and their
//! errors on standard error.

/// `println!` without its panic on a closed output. `cargo run --example update_user | head -1`
/// closes the pipe after one line, and `println!` then panicked (exit 101). A closed output
/// stops the example at once and quietly, with the status a shell gives a program stopped by
/// `SIGPIPE` (141, as for `cat` or `yes`); any other write error is said on standard error
/// (exit 1).
#[allow(unused_macros)] // `sync_users` has an output of its own.
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        if let Err(error) = ::std::writeln!(::std::io::stdout().lock(), $($arg)*) {
            if error.kind() == ::std::io::ErrorKind::BrokenPipe {
                ::std::process::exit(141);
            }
            ::std::eprintln!("cannot write to standard output: {error}");
            ::std::process::exit(1);
        }
    }};
}

/// The exit status of an example whose work returned `result`, its error said on standard
/// error with `Display`, as the crate's errors are written to be read (secrets masked, the
/// valid choices named): `main` returning the `Result` itself showed its `Debug`
/// (`Error: UnknownRegion("XX")`, `Error: Transport { source: reqwest::Error { .. } }`).
#[allow(dead_code)] // `sync_users` has an exit of its own.
pub fn exit_status(result: Result<(), Box<dyn std::error::Error>>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `value` as JSON text, as PingOne writes it: `"Dave"` or `null` for an `Option<String>`,
/// not Rust's `Some("Dave")` or `None`.
#[allow(dead_code)]
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|error| format!("(not JSON: {error})"))
}

/// Ends the example when it is given arguments, which it does not take: `--help` (or `-h`)
/// says so on standard output (status 0), anything else on standard error (status 2, as a
/// usage error). The examples ran their fixed scenario whatever they were given, `--help`
/// and a feed file's name included, so that a user's file was silently not read.
#[allow(dead_code)] // `sync_users` reads arguments of its own.
pub fn no_arguments() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let Some(first) = arguments.first() else {
        return;
    };
    let about = "takes no arguments: it runs its own scenario, offline against the embedded \
                 emulator or, for those that follow them, with the PINGONE_* variables of the \
                 README's \"Running against real PingOne\". For a feed file of your own: \
                 cargo run --example sync_users -- --help";
    if first == "--help" || first == "-h" {
        say!("this example {about}");
        std::process::exit(0);
    }
    eprintln!(
        "error: this example {about} (given: {})",
        arguments.join(" ")
    );
    std::process::exit(2);
}
