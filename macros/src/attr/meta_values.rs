//! The values inside `#[serde(...)]` items: string literals, paths, rename pairs, aliases,
//! and the kept items written back.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::ToTokens;
use syn::punctuated::{Pair, Punctuated};
use syn::spanned::Spanned;
use syn::{Attribute, ExprPath, LitStr, Meta, Path, Token, WherePredicate};

/// A `#[serde(...)]` item that carries over to the patch, with the span of the token after it.
pub struct Kept {
    /// The item, as written.
    pub meta: Meta,
    /// What follows the item in the model's attribute, a comma or the closing parenthesis:
    /// serde reports a malformed item (`alias` without its value) at the token after it, so
    /// the parentheses of the patch's attribute have this span, and rustc shows the model's
    /// error and the patch's as one, there. (Parentheses spanned at the `#[derive]` gave a
    /// second error, unspanned, at the derive.)
    end: Span,
}

impl Kept {
    /// An item that the derive adds itself, spanned at `span`.
    pub(super) fn added(meta: Meta, span: Span) -> Kept {
        Kept { meta, end: span }
    }
}

impl std::ops::Deref for Kept {
    type Target = Meta;

    fn deref(&self) -> &Meta {
        &self.meta
    }
}

/// The comma-separated items of one `#[serde(...)]` attribute. One that does not parse is left
/// for serde's derive to report.
pub(super) fn serde_items(attr: &Attribute) -> Vec<Kept> {
    let close = match &attr.meta {
        Meta::List(list) => list.delimiter.span().close(),
        other => other.span(),
    };
    attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        .map(|items| {
            items
                .into_pairs()
                .map(|pair| match pair {
                    Pair::Punctuated(meta, comma) => Kept {
                        meta,
                        end: comma.span,
                    },
                    Pair::End(meta) => Kept { meta, end: close },
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `key = "a"` gives `(Some(a), Some(a))`; `key(serialize = "a", deserialize = "b")` gives each.
pub(super) fn rename_pair<T>(
    meta: &Meta,
    parse: impl Fn(&LitStr) -> syn::Result<T>,
) -> syn::Result<(Option<T>, Option<T>)> {
    match meta {
        Meta::NameValue(nv) => {
            let lit = expr_str(&nv.value)?;
            Ok((Some(parse(&lit)?), Some(parse(&lit)?)))
        }
        Meta::List(list) => {
            let (mut ser, mut de) = (None, None);
            list.parse_nested_meta(|inner| {
                let lit: LitStr = inner.value()?.parse()?;
                if inner.path.is_ident("serialize") {
                    ser = Some(parse(&lit)?);
                } else if inner.path.is_ident("deserialize") {
                    de = Some(parse(&lit)?);
                } else {
                    return Err(inner.error("expected `serialize` or `deserialize`"));
                }
                Ok(())
            })?;
            Ok((ser, de))
        }
        Meta::Path(path) => Err(syn::Error::new(path.span(), "expected a value")),
    }
}

/// serde's `default` or `default = "path"`; a malformed one is serde's to report.
pub(super) fn serde_default(meta: &Meta) -> Option<Option<ExprPath>> {
    match meta {
        Meta::Path(_) => Some(None),
        _ => path_value(meta).ok().map(Some),
    }
}

/// The function path inside `key = "path"` (`with`, `serialize_with`, `deserialize_with`,
/// `default`), parsed as serde parses it: an expression path, so a qualified one
/// (`<Ts as Epoch>::ser`) is read (as a `Path` it was not, and the field lost the user's
/// function) and one that is no expression (`Wrapper<u8>` without `::<`) is not (the
/// derive then emitted it, and rustc refused the whole derive's output); serde reports it.
pub(super) fn path_value(meta: &Meta) -> syn::Result<ExprPath> {
    match meta {
        Meta::NameValue(nv) => expr_str(&nv.value)?.parse(),
        _ => Err(syn::Error::new(meta.span(), "expected `= \"path\"`")),
    }
}

/// The string literal of an expression, or an error.
pub(super) fn expr_str(expr: &syn::Expr) -> syn::Result<LitStr> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Ok(lit.clone()),
        _ => Err(syn::Error::new(expr.span(), "expected a string literal")),
    }
}

/// Which directions a serde `bound` states: `bound = "..."` both, `bound(serialize = "...")`
/// writing, `bound(deserialize = "...")` reading. One that does not parse is taken as both,
/// and left for serde's derive to report.
pub fn bound_directions(meta: &Meta) -> (bool, bool) {
    match rename_pair(meta, |_| Ok(())) {
        Ok((serialize, deserialize)) => (serialize.is_some(), deserialize.is_some()),
        Err(_) => (true, true),
    }
}

/// The predicates of serde's `bound`, of writing and of reading (`bound = "..."` both): the
/// user's serde functions need them, and the patch's helpers that call those functions state
/// them (`expand::serde_helper_fns`). One that does not parse is serde's to report: none.
pub fn bound_predicates(meta: &Meta) -> (Vec<WherePredicate>, Vec<WherePredicate>) {
    let parse = |lit: &LitStr| {
        lit.parse_with(Punctuated::<WherePredicate, Token![,]>::parse_terminated)
            .map(|predicates| predicates.into_iter().collect::<Vec<_>>())
    };
    match rename_pair(meta, parse) {
        Ok((serialize, deserialize)) => (
            serialize.unwrap_or_default(),
            deserialize.unwrap_or_default(),
        ),
        Err(_) => (Vec::new(), Vec::new()),
    }
}

/// A path as written, for messages.
pub fn path_text(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// Re-emits kept serde items, one attribute each, whose parentheses have the span of the token
/// after the item in the model's attribute (see [`Kept::end`]), or nothing.
pub fn serde_attr(kept: &[Kept]) -> TokenStream {
    write_kept(kept.iter())
}

/// [`serde_attr`] without the `bound` items.
pub fn serde_attr_without_bound(kept: &[Kept]) -> TokenStream {
    write_kept(
        kept.iter()
            .filter(|kept| !kept.meta.path().is_ident("bound")),
    )
}

fn write_kept<'a>(kept: impl Iterator<Item = &'a Kept>) -> TokenStream {
    kept.map(|Kept { meta, end }| {
        let mut items = Group::new(Delimiter::Parenthesis, meta.to_token_stream());
        items.set_span(*end);
        quote::quote!(#[serde #items])
    })
    .collect()
}

/// Whether a kept item has a form that serde's derive takes: a flag, `key = "string"`, or a
/// `serialize`/`deserialize` pair. One that has not fails serde's derive (on the model too,
/// which reports it); the derive then adds nothing that names what serde would generate.
pub fn kept_well_formed(meta: &Meta) -> bool {
    const FLAGS: [&str; 7] = [
        "deny_unknown_fields",
        "flatten",
        "borrow",
        "default",
        "skip_serializing",
        "skip_deserializing",
        "transparent",
    ];
    match meta {
        Meta::Path(path) => FLAGS.iter().any(|flag| path.is_ident(flag)),
        Meta::NameValue(pair) => expr_str(&pair.value).is_ok(),
        Meta::List(_) => rename_pair(meta, |_| Ok(())).is_ok(),
    }
}

/// The predicates of reading that a kept `bound` item states (`bound = "..."`,
/// `bound(deserialize = "...")`), as text; `None` for another item, or a malformed one, which
/// serde's derive reports.
pub fn deserialize_bound(meta: &Meta) -> Option<String> {
    if !meta.path().is_ident("bound") {
        return None;
    }
    rename_pair(meta, |lit| Ok(lit.value())).ok()?.1
}

/// The key of one `alias = "..."` item.
pub(super) fn alias_value(meta: &Meta) -> syn::Result<String> {
    match meta {
        Meta::NameValue(pair) => Ok(expr_str(&pair.value)?.value()),
        _ => Err(syn::Error::new(meta.span(), "expected `= \"key\"`")),
    }
}
