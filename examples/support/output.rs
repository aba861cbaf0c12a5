//! Standard output for the examples, closed early or not.

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
