//! The error accumulator: every mistake in a derive input is reported in one compile, as
//! serde_derive's `Ctxt` does.

use proc_macro2::Span;

/// Collects errors so that every mistake is reported in one compile.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    /// Records an error.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Records an error at `span`.
    pub fn at(&mut self, span: Span, message: impl core::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records an error that underlines all of `tokens` (a type such as
    /// `Option<Option<String>>`, a path such as `serde::Serialize`), as serde_derive's
    /// `error_spanned_by` does: a span taken from them with `.span()` covers their first token
    /// only on a stable compiler, which cannot join spans.
    pub fn spanned_by(&mut self, tokens: impl quote::ToTokens, message: impl core::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// The collected errors, if any.
    pub fn finish(self) -> Result<(), syn::Error> {
        self.0.map_or(Ok(()), Err)
    }
}
