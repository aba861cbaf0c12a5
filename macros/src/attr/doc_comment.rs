//! Doc comments as text: the descriptions of the patch's JSON Schema; and the model's field
//! docs as the patch carries them.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Token};

/// The text of the `#[doc = "..."]` attributes (doc comments), as schemars 1 reads a model's
/// (`schemars_derive`'s `get_doc`): each attribute's text without its first space, joined by
/// line breaks, trimmed; so Markdown's lists, code blocks and paragraphs stay as written. The
/// patch's schema splits a first line `# Title` off as the title
/// (`private::schema::title_and_description`). `None` without a doc comment; a `doc` whose
/// text another macro gives (`include_str!`, `env!`) is left out here ([`doc_macro`] gives
/// the whole to the compiler then), and a `concat!` of literals read as rustc joins it.
pub(super) fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(pair) if pair.path.is_ident("doc") => doc_value(&pair.value),
            _ => None,
        })
        .map(|value| value.strip_prefix(' ').map(str::to_owned).unwrap_or(value))
        .collect();
    let text = lines.join("\n").trim_ascii().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The doc comment as the arguments of a `concat!` (the runtime's `patch_schema!` calls it,
/// so that the path is read in its edition): its attributes' values joined by line breaks,
/// each literal line without its first space, as schemars 1's derive reads a model's
/// (`schemars_derive`'s `get_doc`), where a value is another macro's text
/// (`#[doc = include_str!("user.md")]`, `env!`) that only the compiler reads: the schema
/// then has that text too. `None` where [`doc_text`] reads the whole doc comment.
pub(super) fn doc_macro(attrs: &[Attribute]) -> Option<TokenStream> {
    let values: Vec<&Expr> = attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(pair) if pair.path.is_ident("doc") => Some(&pair.value),
            _ => None,
        })
        .collect();
    if values.iter().all(|value| doc_value(value).is_some()) {
        return None;
    }
    let mut pieces = Vec::new();
    for (at, value) in values.into_iter().enumerate() {
        if at > 0 {
            pieces.push(quote!("\n"));
        }
        pieces.push(match doc_value(value) {
            Some(text) => {
                let text = text.strip_prefix(' ').map(str::to_owned).unwrap_or(text);
                quote!(#text)
            }
            None => value.to_token_stream(),
        });
    }
    Some(quote!(#(#pieces),*))
}

/// The `#[doc = "..."]` attributes among `attrs` with their intra-doc links through `Self`
/// (`[`Self::validate`]`, `[text](Self::validate)`, `[text]: Self::validate`, `[`Self`]`)
/// pointed at `model`: the patch carries its model's field docs, and there `Self` is the patch,
/// so that such a link was broken (rustdoc's `broken_intra_doc_links`, an error under
/// `-D warnings`) or led to the patch's setter of the same name. `Self` outside a link (in a
/// code span, in an example) is left as written. A `#[doc = concat!(...)]` is rebased too: one
/// of literals alone becomes the literal it joins to (a link split between two of them
/// included), and in one that holds another macro (`env!`, `include_str!`) each literal is
/// rebased; the text of those other macros is out of the derive's sight and stays as written.
pub fn rebase_self_links(attrs: &mut [Attribute], model: &str) {
    for attr in attrs {
        if let Meta::NameValue(pair) = &mut attr.meta
            && pair.path.is_ident("doc")
        {
            rebase_expr(&mut pair.value, model);
        }
    }
}

/// [`rebase_self_links`] on one doc value: a string literal, or a `concat!`.
fn rebase_expr(expr: &mut Expr, model: &str) {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => {
            let text = lit.value();
            let rebased = rebase_line(&text, model);
            if rebased != text {
                *lit = LitStr::new(&rebased, lit.span());
            }
        }
        Expr::Macro(call) if is_concat(&call.mac.path) => {
            if let Some(text) = concat_value(&call.mac) {
                let rebased = rebase_line(&text, model);
                if rebased != text {
                    let span = call
                        .mac
                        .path
                        .segments
                        .last()
                        .map_or_else(proc_macro2::Span::call_site, |segment| segment.ident.span());
                    *expr = Expr::Lit(ExprLit {
                        attrs: Vec::new(),
                        lit: Lit::Str(LitStr::new(&rebased, span)),
                    });
                }
            } else if let Ok(mut pieces) = call
                .mac
                .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            {
                for piece in &mut pieces {
                    rebase_expr(piece, model);
                }
                call.mac.tokens = pieces.to_token_stream();
            }
        }
        _ => {}
    }
}

/// The text of a doc value, as rustdoc reads it: a string literal, or a `concat!` of literals
/// (nested `concat!`s included); `None` for the text of another macro.
fn doc_value(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(lit.value()),
        Expr::Macro(call) if is_concat(&call.mac.path) => concat_value(&call.mac),
        _ => None,
    }
}

/// What `concat!` joins its arguments to, when each is a literal or a `concat!` of them.
fn concat_value(mac: &syn::Macro) -> Option<String> {
    let pieces = mac
        .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .ok()?;
    let mut text = String::new();
    for piece in &pieces {
        match piece {
            Expr::Lit(ExprLit { lit, .. }) => text.push_str(&literal_text(lit)?),
            // `-1`, which `concat!` takes as a literal too.
            Expr::Unary(syn::ExprUnary {
                op: syn::UnOp::Neg(_),
                expr,
                ..
            }) => match &**expr {
                Expr::Lit(ExprLit { lit, .. }) if matches!(lit, Lit::Int(_) | Lit::Float(_)) => {
                    text.push('-');
                    text.push_str(&literal_text(lit)?);
                }
                _ => return None,
            },
            Expr::Macro(call) if is_concat(&call.mac.path) => {
                text.push_str(&concat_value(&call.mac)?);
            }
            _ => return None,
        }
    }
    Some(text)
}

/// A literal as `concat!` writes it (a number without its suffix, an integer in decimal);
/// `None` for one that `concat!` refuses (bytes).
fn literal_text(lit: &Lit) -> Option<String> {
    match lit {
        Lit::Str(lit) => Some(lit.value()),
        Lit::Char(lit) => Some(lit.value().to_string()),
        Lit::Bool(lit) => Some(lit.value.to_string()),
        Lit::Int(lit) => Some(lit.base10_digits().to_owned()),
        Lit::Float(lit) => Some(lit.base10_digits().to_owned()),
        _ => None,
    }
}

/// `concat`, `core::concat` or `std::concat` (with or without a leading `::`).
fn is_concat(path: &syn::Path) -> bool {
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    matches!(
        names
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["concat"] | ["core" | "std", "concat"]
    )
}

/// One doc line with `Self` replaced by `model` where it starts a link's destination.
fn rebase_line(line: &str, model: &str) -> String {
    // What comes before `Self` in a link: its text in brackets, with or without a code span,
    // an inline destination, or a reference definition.
    const OPENERS: [&str; 4] = ["[`", "[", "](", "]: "];
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("Self") {
        let (before, from) = rest.split_at(at);
        let after = &from["Self".len()..];
        let opened = OPENERS.iter().any(|opener| before.ends_with(opener));
        let ends =
            after.is_empty() || after.starts_with("::") || after.starts_with(['`', ']', ')', ' ']);
        out.push_str(before);
        out.push_str(if opened && ends { model } else { "Self" });
        rest = after;
    }
    out.push_str(rest);
    out
}
