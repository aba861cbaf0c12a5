//! The names a field's type mentions: which generic parameters and lifetimes it uses, `Self`
//! and lifetimes rewritten for the patch and its impls, and the text by which a type is matched
//! with the model's own bounds.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Type, TypePath};

use super::{plain_path, ungroup};
/// The names of every identifier and lifetime in `ty`: enough to tell which generic parameters
/// it uses.
pub fn names_in(ty: &Type) -> BTreeSet<String> {
    names_in_tokens(ty.to_token_stream())
}

/// The names of every identifier and lifetime in `tokens`.
fn names_in_tokens(tokens: TokenStream) -> BTreeSet<String> {
    // An identifier after `::` is a path segment (`user::Id`), never a generic parameter.
    fn walk(tokens: TokenStream, names: &mut BTreeSet<String>) {
        let mut previous: Vec<char> = Vec::new();
        for token in tokens {
            match token {
                TokenTree::Group(group) => walk(group.stream(), names),
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    match previous.as_slice() {
                        [.., '\''] => {
                            names.insert(format!("'{name}"));
                        }
                        [.., ':', ':'] => {}
                        _ => {
                            names.insert(name);
                        }
                    }
                }
                TokenTree::Punct(punct) => {
                    previous.push(punct.as_char());
                    continue;
                }
                TokenTree::Literal(_) => {}
            }
            previous.clear();
        }
    }
    let mut names = BTreeSet::new();
    walk(tokens, &mut names);
    names
}

/// `tokens` with every `Self` replaced by `replacement`.
fn replace_self_tokens(tokens: TokenStream, replacement: &TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|token| match token {
            TokenTree::Group(group) => {
                let mut new = proc_macro2::Group::new(
                    group.delimiter(),
                    replace_self_tokens(group.stream(), replacement),
                );
                new.set_span(group.span());
                TokenStream::from(TokenTree::Group(new))
            }
            TokenTree::Ident(ident) if ident == "Self" => {
                let span = ident.span();
                replacement
                    .clone()
                    .into_iter()
                    .map(|mut token| {
                        token.set_span(span);
                        token
                    })
                    .collect()
            }
            other => TokenStream::from(other),
        })
        .collect()
}

/// `tokens` with each lifetime named in `lifetimes` (with its `'`) replaced by `replacement`.
fn replace_lifetimes_tokens(
    tokens: TokenStream,
    lifetimes: &BTreeSet<String>,
    replacement: &proc_macro2::Ident,
) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                let mut new = proc_macro2::Group::new(
                    group.delimiter(),
                    replace_lifetimes_tokens(group.stream(), lifetimes, replacement),
                );
                new.set_span(group.span());
                out.push(TokenTree::Group(new));
            }
            TokenTree::Ident(ident)
                if matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == '\'')
                    && lifetimes.contains(&format!("'{ident}")) =>
            {
                out.push(TokenTree::Ident(proc_macro2::Ident::new(
                    &replacement.to_string(),
                    ident.span(),
                )));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// `ty` with the lifetimes named in `lifetimes` (with their `'`) replaced by `replacement`
/// (a lifetime name without its `'`).
pub fn replace_lifetimes(
    ty: &dyn ToTokens,
    lifetimes: &BTreeSet<String>,
    replacement: &proc_macro2::Ident,
) -> TokenStream {
    replace_lifetimes_tokens(ty.to_token_stream(), lifetimes, replacement)
}

/// The lifetimes of `lifetimes` (with their `'`) in `ty` that reading it from a deserializer's
/// `'de` needs `'de` to outlive: those of its references (`&'a str`, `Option<&'a [u8]>`),
/// which serde reads borrowed, as serde's derive finds them. A lifetime of another type
/// (`Cow<'a, str>`, a `Name<'a>` of the user's, an alias `CowStr<'a>`) reads owned: serde's
/// derive bounds it only under `#[serde(borrow)]`, which a patch with that attribute gets from
/// serde's derives. The first argument of a `Cow` alone was left out, so a patch with such a
/// type beside another differing in lifetimes only (`Label<'a>`, `Label<'b>`) was read from
/// `'static` input only (no `DeserializeOwned`, where the model has it).
pub fn lifetimes_read_from_de(ty: &Type, lifetimes: &BTreeSet<String>) -> BTreeSet<String> {
    fn walk(tokens: TokenStream, lifetimes: &BTreeSet<String>, found: &mut BTreeSet<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (index, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => walk(group.stream(), lifetimes, found),
                TokenTree::Ident(name)
                    if index >= 2
                        && matches!(&tokens[index - 1], TokenTree::Punct(tick) if tick.as_char() == '\'')
                        && matches!(&tokens[index - 2], TokenTree::Punct(amp) if amp.as_char() == '&') =>
                {
                    let lifetime = format!("'{name}");
                    if lifetimes.contains(&lifetime) {
                        found.insert(lifetime);
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(ty.to_token_stream(), lifetimes, &mut found);
    found
}

/// `ty` with `Self` replaced by the model's type (`User<T>`), as serde does: in the patch `Self`
/// would name the patch.
pub fn replace_self(ty: &Type, model: &TokenStream) -> Type {
    syn::parse2(replace_self_tokens(ty.to_token_stream(), model)).unwrap_or_else(|_| ty.clone())
}

/// Whether serde's derive borrows a field of type `ty` from its input without being told (no
/// `#[serde(borrow)]`): a `&str` or a `&[u8]`, or an `Option` of one, read by its tokens as
/// serde_derive's `is_implicitly_borrowed` reads them (a required `&'a str`'s patch field,
/// `::core::option::Option<&'a str>`, is one).
pub fn borrows_implicitly(ty: &Type) -> bool {
    fn primitive(ty: &Type, name: &str) -> bool {
        matches!(unwrap_groups(ty), Type::Path(TypePath { qself: None, path, .. })
            if path.leading_colon.is_none()
                && path.segments.len() == 1
                && path.segments[0].ident == name
                && path.segments[0].arguments.is_empty())
    }
    fn reference(ty: &Type) -> bool {
        matches!(unwrap_groups(ty), Type::Reference(reference)
            if reference.mutability.is_none()
                && (primitive(&reference.elem, "str")
                    || matches!(unwrap_groups(&reference.elem), Type::Slice(slice)
                        if primitive(&slice.elem, "u8"))))
    }
    if reference(ty) {
        return true;
    }
    let Type::Path(TypePath { path, .. }) = unwrap_groups(ty) else {
        return false;
    };
    let Some(last) = path.segments.last() else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return false;
    };
    last.ident == "Option"
        && arguments.args.len() == 1
        && matches!(&arguments.args[0], syn::GenericArgument::Type(inner) if reference(inner))
}

/// `ty` without the invisible groups of `macro_rules!` (parentheses kept, as serde keeps them).
fn unwrap_groups(mut ty: &Type) -> &Type {
    while let Type::Group(group) = ty {
        ty = &group.elem;
    }
    ty
}

/// Whether `ty` holds a reference for `'static` (`&'static str`, `Vec<&'static [u8]>`), which
/// serde's derive reads only from a `'static` input.
pub fn borrows_static(ty: &Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        tokens.iter().enumerate().any(|(index, token)| match token {
            TokenTree::Group(group) => walk(group.stream()),
            TokenTree::Ident(name) => {
                name == "static"
                    && index >= 2
                    && matches!(&tokens[index - 1], TokenTree::Punct(tick) if tick.as_char() == '\'')
                    && matches!(&tokens[index - 2], TokenTree::Punct(amp) if amp.as_char() == '&')
            }
            _ => false,
        })
    }
    walk(ty.to_token_stream())
}

/// `generics` with `Self` replaced by the model's type (`User<T>`) in the parameters' bounds
/// and the where-clause (`where Self: Clone`): the patch and its impls copy them, and there
/// `Self` would name the patch.
pub fn replace_self_in_generics(generics: &syn::Generics, model: &TokenStream) -> syn::Generics {
    let mut replaced = generics.clone();
    if let Ok(params) =
        syn::parse2::<syn::Generics>(replace_self_tokens(generics.to_token_stream(), model))
    {
        replaced.params = params.params;
    }
    if let Some(clause) = &generics.where_clause
        && let Ok(clause) =
            syn::parse2::<syn::WhereClause>(replace_self_tokens(clause.to_token_stream(), model))
    {
        replaced.where_clause = Some(clause);
    }
    replaced
}

/// `path` with `Self` replaced by the model's type in expression form (`User::<T>`).
pub fn replace_self_in_path<P>(path: &P, model: &TokenStream) -> P
where
    P: syn::parse::Parse + ToTokens + Clone,
{
    syn::parse2(replace_self_tokens(path.to_token_stream(), model)).unwrap_or_else(|_| path.clone())
}

/// The identifier that `name` (a name of [`names_in`], an identifier's text) spells: a raw one
/// for `r#T`, which `Ident::new` refuses with a panic.
pub fn ident_named(name: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, span),
        None => proc_macro2::Ident::new(name, span),
    }
}

/// The text by which a type is matched with the model's own bounds: its tokens, with a
/// qualified path to an associated type (`<S as Source>::Item`) written short (`S::Item`), as
/// both name the same type: a bound written one way and a field the other are one type to
/// rustc, which finds a bound of the derive's beside the model's ambiguous (E0283).
pub fn bound_key(ty: &Type) -> String {
    let ty = ungroup(ty);
    if let Type::Path(TypePath {
        qself: Some(qself),
        path,
        ..
    }) = ty
        && qself.position > 0
        && qself.position < path.segments.len()
    {
        let rest = path.segments.iter().skip(qself.position);
        let self_ty = bound_key(&qself.ty);
        let rest: Vec<String> = rest
            .map(|segment| segment.to_token_stream().to_string())
            .collect();
        return format!("{self_ty} :: {}", rest.join(" :: "));
    }
    ty.to_token_stream().to_string()
}

/// Whether `ty` is one of the generic parameters named in `params` (a plain identifier).
pub fn is_parameter(ty: &Type, params: &BTreeSet<String>) -> bool {
    plain_path(ty).is_some_and(|path| {
        path.leading_colon.is_none()
            && path.segments.len() == 1
            && path.segments[0].arguments.is_empty()
            && params.contains(&path.segments[0].ident.to_string())
    })
}
