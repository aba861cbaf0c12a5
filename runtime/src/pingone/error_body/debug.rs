//! The `Debug` of [`ApiError`] and [`ErrorDetail`]: as `#[derive(Debug)]` writes it, each of
//! the server's texts (and a detail's `innerError`) cut to [`SHOWN_CHARS`] characters and the
//! details to the first [`SHOWN_DETAILS`], each cut saying how much it left out. `unwrap`,
//! `expect`, a `main` that returns the error and `tracing`'s `?error` print it: a gateway's
//! JSON error whose `message` held a whole page, or a body of thousands of details, printed
//! megabytes. The fields keep everything.

use core::fmt;

use super::{ApiError, ErrorDetail, SHOWN_CHARS, SHOWN_DETAILS};
use crate::quoted::{DebugCut, Quoted};

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("id", &self.id.as_deref().map(text))
            .field("code", &self.code.as_deref().map(text))
            .field("message", &self.message.as_deref().map(text))
            .field("target", &self.target.as_deref().map(text))
            .field("details", &Details(&self.details))
            .field("correlation_id", &self.correlation_id)
            .finish()
    }
}

impl fmt::Debug for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorDetail")
            .field("code", &self.code.as_deref().map(text))
            .field("target", &self.target.as_deref().map(text))
            .field("message", &self.message.as_deref().map(text))
            .field("inner_error", &self.inner_error.as_ref().map(value))
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

/// A text's `Debug` (quoted, escaped) up to its first [`SHOWN_CHARS`] characters, then its
/// length ([`Quoted`]): `"<p><p>"… (300000 characters)`.
fn text(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: SHOWN_CHARS,
    }
}

/// A value's `Debug` (a detail's `innerError`) up to its first [`SHOWN_CHARS`] characters,
/// then its length ([`DebugCut`]).
fn value<T: fmt::Debug + ?Sized>(value: &T) -> DebugCut<'_, T> {
    DebugCut(value, SHOWN_CHARS)
}
