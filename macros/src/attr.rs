//! Parsing of `#[patchable(...)]` and of the `#[serde(...)]` attributes that the patch inherits:
//! the struct's in `container`, a field's in `field`, and here the readers both use.

mod container;
mod doc_comment;
mod doc_examples;
mod field;
mod meta_values;
mod schema_validation;
mod schemars_meta;
mod suggestion;
#[cfg(test)]
mod tests;

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr, Meta, Path, Token};

use crate::errors::Errors;
pub use container::{ContainerAttrs, container};
pub use doc_comment::rebase_self_links;
pub use doc_examples::ignore_doc_examples;
pub use field::{FieldAttrs, field};
pub use meta_values::{
    Kept, deserialize_bound, kept_well_formed, path_text, serde_attr, serde_attr_without_bound,
};
pub use schema_validation::SchemaValidation;
pub use schemars_meta::{SchemaAdditions, SchemaMetadata, SchemaWith};

/// The items of a `#[patchable(...)]` on `place` (`"a struct"`, `"a field"`, which take
/// `names`), for `syn::meta::parser` to read: an attribute that is no list (`#[patchable]`,
/// `#[patchable = "skip"]`) and an item that is a literal (`#[patchable("skip")]`) are
/// reported here, each once, with the form to write, and left out, so that the other items
/// are still read (syn's own messages named neither the form nor the names).
fn patchable_items(
    attr: &Attribute,
    place: &str,
    names: &[&str],
    errors: &mut Errors,
) -> proc_macro2::TokenStream {
    let listed = names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let list = match &attr.meta {
        Meta::List(list) => list,
        Meta::Path(path) => {
            errors.at(
                path.span(),
                format!(
                    "`#[patchable]` takes its items in parentheses, such as `#[patchable({})]`; on {place} they are {listed}",
                    names[0]
                ),
            );
            return proc_macro2::TokenStream::new();
        }
        Meta::NameValue(pair) => {
            let written = named_literal(&pair.value).unwrap_or_else(|| names[0].to_owned());
            errors.at(
                pair.eq_token.span,
                format!(
                    "`#[patchable]` takes its items in parentheses: write `#[patchable({written})]`; on {place} they are {listed}"
                ),
            );
            return proc_macro2::TokenStream::new();
        }
    };
    let mut kept = proc_macro2::TokenStream::new();
    let mut item = Vec::new();
    let mut tokens = list.tokens.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        let comma =
            matches!(&token, proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ',');
        if !comma {
            item.push(token.clone());
        }
        if comma || tokens.peek().is_none() {
            match item.first() {
                Some(proc_macro2::TokenTree::Literal(literal)) => {
                    let expr = syn::parse2::<syn::Expr>(item.iter().cloned().collect()).ok();
                    let message = match expr.as_ref().and_then(named_literal) {
                        Some(name) => format!(
                            "patchable items are names, not strings: write `{name}` without quotes"
                        ),
                        None => format!(
                            "expected a patchable item, not a literal; on {place} they are {listed}"
                        ),
                    };
                    errors.at(literal.span(), message);
                }
                _ => {
                    kept.extend(item.iter().cloned());
                    if comma {
                        kept.extend([token]);
                    }
                }
            }
            item.clear();
        }
    }
    kept
}

/// The text of a string literal that is a name (`"skip"`, `"key = \"type\""` is not), to
/// show the item written without quotes.
fn named_literal(value: &syn::Expr) -> Option<String> {
    match value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => lit.parse::<syn::Meta>().ok().map(|_| lit.value()),
        _ => None,
    }
}

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

/// A lint attribute of the model's or a field's that the generated code takes on: an
/// `#[allow(...)]` as it is, and an `#[expect(...)]` as an `allow` of the same lints (and
/// `reason`). The patch repeats the model's names and fields, so it raises what they raise
/// (`missing_docs` at an undocumented field, clippy's `struct_field_names`); an `expect`
/// carried as such would be unfulfilled wherever the generated code raises nothing. The
/// `allow` is the derive's own (its `#`, brackets and name at the call site), so that clippy's
/// `allow_attributes` does not report it at the user's `expect`.
fn carried_lint_allow(attr: &Attribute) -> Option<Attribute> {
    if attr.path().is_ident("allow") {
        return Some(attr.clone());
    }
    let Meta::List(list) = &attr.meta else {
        return None;
    };
    if !list.path.is_ident("expect") {
        return None;
    }
    let call_site = proc_macro2::Span::call_site();
    Some(Attribute {
        pound_token: Token![#](call_site),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(call_site),
        meta: Meta::List(syn::MetaList {
            path: Path::from(syn::Ident::new("allow", call_site)),
            delimiter: list.delimiter.clone(),
            tokens: list.tokens.clone(),
        }),
    })
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
