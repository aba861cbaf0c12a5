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

    /// The collected errors, if any.
    pub fn finish(self) -> Result<(), syn::Error> {
        self.0.map_or(Ok(()), Err)
    }
}
