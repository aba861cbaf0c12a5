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

/// The one type argument of `ty` when it is the standard generic `name<T>`, written `name` or
/// `root::module::name` for one of `roots` (with or without a leading `::`).
fn std_type_argument<'t>(
    ty: &'t Type,
    roots: &[&str],
    module: &str,
    name: &str,
) -> Option<&'t Type> {
    let path = plain_path(ty)?;
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let named = match names.as_slice() {
        [only] => only == name && path.leading_colon.is_none(),
        [root, middle, last] => roots.contains(&root.as_str()) && middle == module && last == name,
        _ => false,
    };
    let prefix_plain = path
        .segments
        .iter()
        .rev()
        .skip(1)
        .all(|segment| segment.arguments.is_empty());
    match (named && prefix_plain, last_type_args(path).as_slice()) {
        (true, [argument]) => Some(argument),
        _ => None,
    }
}

/// The element type `T` of `Vec<T>` (also written `std::vec::Vec<T>` or `alloc::vec::Vec<T>`).
pub fn vec_element(ty: &Type) -> Option<&Type> {
    std_type_argument(ty, &["std", "alloc"], "vec", "Vec")
}

/// `T` when `ty` is `Option<T>`, written as `Option`, `std::option::Option` or
/// `core::option::Option`, with or without a leading `::` on the long forms.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    std_type_argument(ty, &["std", "core"], "option", "Option")
}

/// The `Option<T>` of `Box<Option<T>>` (`Box` also written `std::boxed::Box` or
/// `alloc::boxed::Box`), whose JSON is the `Option`'s.
pub fn boxed_option(ty: &Type) -> Option<&Type> {
    std_type_argument(ty, &["std", "alloc"], "boxed", "Box")
        .filter(|inner| option_inner(inner).is_some())
}

/// What makes `ty`'s JSON possibly `null`, read from its spelling, for the messages: an
/// `Option` (`"an `Option`"`), the unit type `()` (written `null`), or either behind a `Box`,
/// `Rc` or `Arc` (which serialize as what they hold). A type alias, a type parameter or a unit
/// struct may be `null` too, which the derive cannot see.
pub fn null_in_json(ty: &Type) -> Option<&'static str> {
    if option_inner(ty).is_some() {
        return Some("an `Option`");
    }
    if matches!(ungroup(ty), Type::Tuple(tuple) if tuple.elems.is_empty()) {
        return Some("`()`, written `null`");
    }
    null_in_json(pointee(ty)?).map(|_| "a pointer to a value that can be `null`")
}

/// The `T` of a `Box<T>`, `Rc<T>` or `Arc<T>` (written short, or with its `std`/`alloc` path),
/// which serialize as the `T` they hold.
pub fn pointee(ty: &Type) -> Option<&Type> {
    std_type_argument(ty, &["std", "alloc"], "boxed", "Box")
        .or_else(|| std_type_argument(ty, &["std", "alloc"], "rc", "Rc"))
        .or_else(|| std_type_argument(ty, &["std", "alloc"], "sync", "Arc"))
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

/// The type arguments of a `HashMap<K, V, ..>` or `BTreeMap<K, V>`.
fn map_args(ty: &Type) -> Option<Vec<&Type>> {
    let path = plain_path(ty)?;
    let last = path.segments.last()?;
    if last.ident != "HashMap" && last.ident != "BTreeMap" {
        return None;
    }
    Some(last_type_args(path))
}

/// The key type `K` of a `HashMap<K, V, ..>` or `BTreeMap<K, V>`.
pub fn map_key(ty: &Type) -> Option<&Type> {
    map_args(ty)?.first().copied()
}

/// The value type `V` of a `HashMap<K, V, ..>` or `BTreeMap<K, V>`.
pub fn map_value(ty: &Type) -> Option<&Type> {
    map_args(ty)?.get(1).copied()
}

/// A sequence or other non-struct shape that `nested` cannot apply to, named for the message.
pub fn non_struct_shape(ty: &Type) -> Option<&'static str> {
    // A bare `Value` may be a struct of the user's that derives `Patchable`.
    if is_json(ty) && segment_names(ty).is_some_and(|names| names.len() > 1) {
        return Some("untyped JSON, which is merged by RFC 7396 without `nested` (remove it)");
    }
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
                "Box" | "Rc" | "Arc" | "Cow" => Some(
                    "a pointer; `nested` takes the struct itself (or an `Option` of it), and recursive models (`Box<Self>`) are not supported",
                ),
                "HashMap" | "BTreeMap" | "IndexMap" => Some(
                    "a map; a `HashMap` or `BTreeMap` is merged key by key without `nested` (remove it), and a map type of your own with `#[patchable(map)]`",
                ),
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

/// Whether `ty` is built from standard types alone (numbers, `bool`, `char`, `String`, and
/// `Vec`, `VecDeque`, `Box`, `Option`, `BTreeSet`, tuples and arrays of them), which implement
/// `Clone`, `Debug` and `PartialEq`. Names are read as written, like `Option`.
pub fn is_std_value(ty: &Type) -> bool {
    match ungroup(ty) {
        Type::Tuple(tuple) => tuple.elems.iter().all(is_std_value),
        Type::Array(array) => is_std_value(&array.elem),
        Type::Path(_) => {
            let Some(path) = plain_path(ty) else {
                return false;
            };
            let Some(names) = segment_names(ty) else {
                return false;
            };
            let std_prefix = match names.as_slice() {
                [_] => path.leading_colon.is_none(),
                [root, _, _] => root == "std" || root == "alloc" || root == "core",
                _ => false,
            };
            let args = last_type_args(path);
            let last = names.last().map_or("", String::as_str);
            let leaf = matches!(
                last,
                "bool"
                    | "char"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "f32"
                    | "f64"
                    | "String"
            );
            let container = matches!(last, "Vec" | "VecDeque" | "Box" | "Option" | "BTreeSet");
            std_prefix
                && ((leaf && args.is_empty())
                    || (container && args.len() == 1 && args.iter().all(|arg| is_std_value(arg))))
        }
        _ => false,
    }
}

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
/// `'de` may need `'de` to outlive: every one but the first argument of a `Cow`, which reads
/// owned.
pub fn lifetimes_read_from_de(ty: &Type, lifetimes: &BTreeSet<String>) -> BTreeSet<String> {
    fn walk(tokens: TokenStream, lifetimes: &BTreeSet<String>, found: &mut BTreeSet<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (index, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => walk(group.stream(), lifetimes, found),
                TokenTree::Ident(name)
                    if index > 0
                        && matches!(&tokens[index - 1], TokenTree::Punct(tick) if tick.as_char() == '\'') =>
                {
                    let cow = index >= 3
                        && matches!(&tokens[index - 2], TokenTree::Punct(open) if open.as_char() == '<')
                        && matches!(&tokens[index - 3], TokenTree::Ident(cow) if cow == "Cow");
                    let lifetime = format!("'{name}");
                    if !cow && lifetimes.contains(&lifetime) {
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
pub fn replace_self_in_path(path: &syn::Path, model: &TokenStream) -> syn::Path {
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

/// The names of the segments of a plain path type.
fn segment_names(ty: &Type) -> Option<Vec<String>> {
    let path = plain_path(ty)?;
    Some(
        path.segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect(),
    )
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

/// Whether `ty` is a `PhantomData`, which has no JSON of its own to patch.
pub fn is_phantom_data(ty: &Type) -> bool {
    segment_names(ty).is_some_and(|names| names.last().is_some_and(|last| last == "PhantomData"))
}

/// Whether `ty` is untyped JSON: `serde_json::Value` (or `Value`, as commonly imported) or
/// `serde_json::Map`.
pub fn is_json(ty: &Type) -> bool {
    is_json_value(ty) || is_json_map(ty)
}

/// Whether `ty` is `serde_json::Value` (or `Value`, as commonly imported).
pub fn is_json_value(ty: &Type) -> bool {
    let Some(names) = segment_names(ty) else {
        return false;
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    matches!(
        names.as_slice(),
        ["Value"] | ["serde_json", "Value"] | ["serde_json", "value", "Value"]
    )
}

/// Whether `ty` is `serde_json::Map`, written with its path, or imported and written
/// `Map<String, Value>` (as `use serde_json::{Map, Value}` has it): a `Map` of `String`s to
/// untyped JSON is serde_json's.
pub fn is_json_map(ty: &Type) -> bool {
    let Some(names) = segment_names(ty) else {
        return false;
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match names.as_slice() {
        ["serde_json", "Map"] | ["serde_json", "map", "Map"] => true,
        ["Map"] => plain_path(ty).is_some_and(|path| {
            path.leading_colon.is_none()
                && matches!(
                    last_type_args(path).as_slice(),
                    [key, value] if is_string(key) && is_json_value(value)
                )
        }),
        _ => false,
    }
}

/// Whether `ty` is `String`, `std::string::String` or `alloc::string::String`.
fn is_string(ty: &Type) -> bool {
    segment_names(ty).is_some_and(|names| {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        matches!(
            names.as_slice(),
            ["String"] | ["std" | "alloc", "string", "String"]
        )
    })
}
