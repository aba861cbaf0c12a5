//! The `Debug` of [`ApiError`] and [`ErrorDetail`]: as `#[derive(Debug)]` writes it, each of
//! the server's texts (and a detail's `innerError`) cut to [`SHOWN_CHARS`] characters and the
//! details to the first [`SHOWN_DETAILS`], each cut saying how much it left out. `unwrap`,
//! `expect`, a `main` that returns the error and `tracing`'s `?error` print it: a gateway's
//! JSON error whose `message` held a whole page, or a body of thousands of details, printed
//! megabytes. The fields keep everything.

use core::fmt;

use super::{ApiError, ErrorDetail, SHOWN_CHARS, SHOWN_DETAILS};

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("id", &self.id.as_deref().map(CutText))
            .field("code", &self.code.as_deref().map(CutText))
            .field("message", &self.message.as_deref().map(CutText))
            .field("target", &self.target.as_deref().map(CutText))
            .field("details", &Details(&self.details))
            .field("correlation_id", &self.correlation_id)
            .finish()
    }
}

impl fmt::Debug for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorDetail")
            .field("code", &self.code.as_deref().map(CutText))
            .field("target", &self.target.as_deref().map(CutText))
            .field("message", &self.message.as_deref().map(CutText))
            .field("inner_error", &self.inner_error.as_ref().map(Cut))
            .finish()
    }
}

/// The first [`SHOWN_DETAILS`] details, then how many were left out.
struct Details<'a>(&'a [ErrorDetail]);

impl fmt::Debug for Details<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        list.entries(self.0.iter().take(SHOWN_DETAILS));
        if let Some(more) = self.0.len().checked_sub(SHOWN_DETAILS)
            && more > 0
        {
            list.entry(&format_args!("and {more} more details"));
        }
        list.finish()
    }
}

/// A text's `Debug` (quoted, escaped) up to its first [`SHOWN_CHARS`] characters, then how
/// many were left out: `"<p><p>"... (299000 more characters)`.
struct CutText<'a>(&'a str);

impl fmt::Debug for CutText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(SHOWN_CHARS) {
            None => fmt::Debug::fmt(self.0, f),
            Some((end, _)) => write!(
                f,
                "{:?}... ({} more characters)",
                &self.0[..end],
                self.0[end..].chars().count()
            ),
        }
    }
}

/// A value's `Debug` (a detail's `innerError`) up to its first [`SHOWN_CHARS`] characters, then how many were left
/// out.
struct Cut<'a, T: ?Sized>(&'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for Cut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut writer = Counting {
            out: f,
            left: SHOWN_CHARS,
            more: 0,
        };
        fmt::write(&mut writer, format_args!("{:?}", self.0))?;
        let more = writer.more;
        if more > 0 {
            write!(f, "... ({more} more characters)")?;
        }
        Ok(())
    }
}

/// Writes the first `left` characters to `out` and counts the rest in `more`.
struct Counting<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    left: usize,
    more: usize,
}

impl fmt::Write for Counting<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        match text.char_indices().nth(self.left) {
            None => {
                self.left -= text.chars().count();
                self.out.write_str(text)
            }
            Some((end, _)) => {
                self.left = 0;
                self.more += text[end..].chars().count();
                self.out.write_str(&text[..end])
            }
        }
    }
}
