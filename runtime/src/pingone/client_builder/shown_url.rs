//! [`ShownUrl`]: a URL given to the builder as errors and `Debug` show it.

use core::fmt;

/// A URL given to the builder, quoted, as errors and `Debug` show it: with the user
/// information (`user:password@`) of an `http` or `https` URL replaced by `***@`, and not at
/// all when it cannot be read as one (another scheme, or none: `user:password@host`) and
/// holds an `@`, which may end credentials.
pub(super) struct ShownUrl<'a>(pub(super) &'a str);

impl fmt::Display for ShownUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        if !url.contains('@') {
            return write!(f, "{url:?}");
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
            return write!(f, "{url:?}");
        }
        if parsed.set_password(None).is_ok() && parsed.set_username("***").is_ok() {
            write!(f, "{:?}", parsed.as_str())
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
