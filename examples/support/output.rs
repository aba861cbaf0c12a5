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
