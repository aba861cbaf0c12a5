//! Parsing of `#[patchable(...)]` and of the `#[serde(...)]` attributes that the patch inherits:
//! the struct's in `container`, a field's in `field`, and here the readers both use.

mod container;
mod doc_comment;
mod field;
mod meta_values;
mod suggestion;
#[cfg(test)]
mod tests;

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr, Meta, Path, Token};

use crate::errors::Errors;
pub use container::{ContainerAttrs, container};
pub use doc_comment::rebase_self_links;
pub use field::{FieldAttrs, field};
pub use meta_values::{path_text, serde_attr};

/// Whether `attr` is `#[doc(hidden)]`, or a `#[doc(...)]` list that holds `hidden`.
pub fn is_doc_hidden(attr: &Attribute) -> bool {
    if !attr.path().is_ident("doc") || !matches!(attr.meta, Meta::List(_)) {
        return false;
    }
    let mut hidden = false;
    let _ = attr.parse_nested_meta(|meta| {
        hidden |= meta.path.is_ident("hidden");
        // Skip a value (`alias = "..."`) or a list (`cfg(...)`) without reading it.
        skip_value(&meta)
    });
    hidden
}

/// Whether `attrs` hold `#[deprecated]` or a lint attribute (`allow`, `expect`, `warn`, `deny`)
/// that names the `deprecated` lint.
fn mentions_deprecation(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        if path.is_ident("deprecated") {
            return true;
        }
        let is_lint_level = ["allow", "expect", "warn", "deny"]
            .iter()
            .any(|level| path.is_ident(level));
        is_lint_level
            && attr
                .parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                .is_ok_and(|lints| lints.iter().any(|lint| lint.is_ident("deprecated")))
    })
}

/// The string literal after `=` of an item that takes one (`example` shows it written), or
/// `None` with the mistake reported: the value read, so that the items after it are read too.
fn string_value(
    meta: &syn::meta::ParseNestedMeta<'_>,
    example: &str,
    errors: &mut Errors,
) -> syn::Result<Option<LitStr>> {
    let message = format!(
        "`{}` takes a string: write `{example}`",
        path_text(&meta.path)
    );
    if !meta.input.peek(Token![=]) {
        errors.push(meta.error(message));
        skip_value(meta)?;
        return Ok(None);
    }
    let value = meta.value()?;
    let tokens = tokens_to_comma(value)?;
    match syn::parse2::<LitStr>(tokens.clone()) {
        Ok(lit) => Ok(Some(lit)),
        Err(_) => {
            let span = tokens
                .into_iter()
                .next()
                .map_or_else(|| meta.path.span(), |tree| tree.span());
            errors.at(span, message);
            Ok(None)
        }
    }
}

/// The tokens up to the next top-level `,` (or the end), read.
fn tokens_to_comma(input: syn::parse::ParseStream<'_>) -> syn::Result<proc_macro2::TokenStream> {
    let mut tokens = proc_macro2::TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<proc_macro2::TokenTree>()?]);
    }
    Ok(tokens)
}

/// Passes over the value of an item already reported or not wanted (`= value` or `(...)`),
/// reading it whole, so that the items after it are read too.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        tokens_to_comma(meta.value()?)?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// Stores `value` in `slot`, or reports a duplicate.
fn set_once<T>(slot: &mut Option<T>, value: T, path: &Path, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(
            path.span(),
            format!("duplicate patchable attribute `{}`", path_text(path)),
        );
    } else {
        *slot = Some(value);
    }
}
