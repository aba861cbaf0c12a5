//! [`ShownUrl`] and [`quoted_url`]: a URL given to the builder as errors and `Debug` show it.

use core::fmt;

/// How many characters of a URL given to the builder its errors and `Debug` quote: a URL of
/// a megabyte (a path read from a setting) went whole into `Error::Config`'s text.
const URL_CHARS: usize = 200;

/// A URL given to the builder in an error or in `Debug`: quoted, escaped as Rust's `Debug`
/// writes a string, and cut to [`URL_CHARS`] characters with its length.
pub(super) fn quoted_url(url: &str) -> crate::quoted::Quoted<'_> {
    crate::quoted::Quoted {
        text: url,
        max: URL_CHARS,
    }
}

/// A URL given to the builder, quoted and cut ([`quoted_url`]), as errors and `Debug` show
/// it: with the user information (`user:password@`) of an `http` or `https` URL replaced by
/// `***@`, and not at all when it cannot be read as one (another scheme, or none:
/// `user:password@host`) and holds an `@`, which may end credentials.
pub(super) struct ShownUrl<'a>(pub(super) &'a str);

impl fmt::Display for ShownUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        if !url.contains('@') {
            return write!(f, "{}", quoted_url(url));
        }
        // Only an http or https URL is read as one: `user:password@host`, written without
        // its scheme, parses as the scheme `user` with the path `password@host`.
        let Some(mut parsed) = reqwest::Url::parse(url)
            .ok()
            .filter(|parsed| matches!(parsed.scheme(), "http" | "https"))
        else {
            return f.write_str("(not shown: it may hold credentials)");
        };
        if parsed.username().is_empty() && parsed.password().is_none() {
            return write!(f, "{}", quoted_url(url));
        }
        if parsed.set_password(None).is_ok() && parsed.set_username("***").is_ok() {
            write!(f, "{}", quoted_url(parsed.as_str()))
        } else {
            f.write_str("(not shown: it may hold credentials)")
        }
    }
}

impl fmt::Debug for ShownUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
