//! What the derive reads off a field's type: `Option`, maps, sequences, generic parameters.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type, TypePath};

/// Looks through the invisible groups that `macro_rules!` puts around a `$t:ty`, and through
/// parentheses.
pub fn ungroup(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(group) => ty = &group.elem,
            Type::Paren(paren) => ty = &paren.elem,
            _ => return ty,
        }
    }
}

/// The path of a plain path type, without `qself`.
fn plain_path(ty: &Type) -> Option<&syn::Path> {
    match ungroup(ty) {
        Type::Path(TypePath {
            qself: None, path, ..
        }) => Some(path),
        _ => None,
    }
}

/// The type arguments of the last segment of a plain path type.
fn last_type_args(path: &syn::Path) -> Vec<&Type> {
    match path.segments.last().map(|segment| &segment.arguments) {
        Some(PathArguments::AngleBracketed(args)) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `T` when `ty` is `Option<T>`, written as `Option`, `std::option::Option` or
/// `core::option::Option`, with or without a leading `::` on the long forms.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let path = plain_path(ty)?;
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let is_option = match names.as_slice() {
        [only] => only == "Option" && path.leading_colon.is_none(),
        [root, module, last] => {
            (root == "std" || root == "core") && module == "option" && last == "Option"
        }
        _ => false,
    };
    let prefix_plain = path
        .segments
        .iter()
        .rev()
        .skip(1)
        .all(|segment| segment.arguments.is_empty());
    match (is_option && prefix_plain, last_type_args(path).as_slice()) {
        (true, [inner]) => Some(inner),
        _ => None,
    }
}

/// For a `HashMap<K, V, ..>` or `BTreeMap<K, V>`, the patch map type `HashMap<K, Field<V>, ..>`.
pub fn map_patch_type(ty: &Type, field: &TokenStream) -> Option<Type> {
    let path = plain_path(ty)?;
    let last = path.segments.last()?;
    if last.ident != "HashMap" && last.ident != "BTreeMap" {
        return None;
    }
    if last_type_args(path).len() < 2 {
        return None;
    }
    let mut patch = ungroup(ty).clone();
    let Type::Path(TypePath { path, .. }) = &mut patch else {
        return None;
    };
    let PathArguments::AngleBracketed(args) = &mut path.segments.last_mut()?.arguments else {
        return None;
    };
    let value = args
        .args
        .iter_mut()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .nth(1)?;
    *value = syn::parse_quote!(#field<#value>);
    Some(patch)
}

/// A sequence or other non-struct shape that `nested` cannot apply to, named for the message.
pub fn non_struct_shape(ty: &Type) -> Option<&'static str> {
    match ungroup(ty) {
        Type::Array(_) | Type::Slice(_) => Some("an array"),
        Type::Tuple(_) => Some("a tuple"),
        Type::Reference(_) | Type::Ptr(_) => Some("a reference"),
        Type::FnPtr(_) => Some("a function pointer"),
        Type::TraitObject(_) | Type::ImplTrait(_) => Some("a trait object"),
        Type::Path(_) => {
            let last = plain_path(ty)?.segments.last()?.ident.to_string();
            match last.as_str() {
                "Vec" | "VecDeque" | "LinkedList" | "HashSet" | "BTreeSet" | "BinaryHeap" => {
                    Some("a collection (RFC 7396 replaces arrays whole)")
                }
                "String" | "str" | "bool" | "char" | "u8" | "u16" | "u32" | "u64" | "u128"
                | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "f32" | "f64" => {
                    Some("a primitive")
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The names of every identifier and lifetime in `ty`: enough to tell which generic parameters
/// it uses.
pub fn names_in(ty: &Type) -> BTreeSet<String> {
    names_in_tokens(ty.to_token_stream())
}

/// The names of every identifier and lifetime in `tokens`.
pub fn names_in_tokens(tokens: TokenStream) -> BTreeSet<String> {
    fn walk(tokens: TokenStream, names: &mut BTreeSet<String>) {
        let mut after_quote = false;
        for token in tokens {
            match token {
                TokenTree::Group(group) => walk(group.stream(), names),
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    names.insert(if after_quote {
                        format!("'{name}")
                    } else {
                        name
                    });
                }
                TokenTree::Punct(punct) => {
                    after_quote = punct.as_char() == '\'';
                    continue;
                }
                TokenTree::Literal(_) => {}
            }
            after_quote = false;
        }
    }
    let mut names = BTreeSet::new();
    walk(tokens, &mut names);
    names
}
