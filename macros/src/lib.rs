//! `#[derive(Patchable)]`: generates a model's JSON merge patch (RFC 7396) struct and implements
//! the `sparse_patch` traits for it. Use it through the `sparse-patch` crate, whose
//! documentation describes the attributes.

mod ast;
mod attr;
mod case;
mod expand;
mod ty;
mod valid;

use proc_macro::TokenStream;

/// Derives `Patchable` for a struct with named fields, and generates its patch struct.
///
/// See the `sparse-patch` crate for the attributes: `#[patchable(skip | nested | nullable |
/// required | map)]` on fields, `#[patchable(name = "...", derive(...), crate = "...")]` on the
/// struct.
#[proc_macro_derive(Patchable, attributes(patchable))]
pub fn derive_patchable(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
