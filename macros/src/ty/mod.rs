//! What the derive reads off a field's type: `Option`, maps, sequences, pointers, untyped JSON;
//! the names it mentions (generic parameters, lifetimes, `Self`) are in `names`, the standard
//! value types in `std_values`.

use proc_macro2::TokenStream;
use syn::{GenericArgument, PathArguments, Type, TypePath};

mod names;
mod std_values;

pub use names::{
    borrows_implicitly, borrows_static, bound_key, ident_named, is_parameter,
    lifetimes_read_from_de, names_in, replace_lifetimes, replace_self, replace_self_in_generics,
    replace_self_in_path,
};
pub use std_values::{is_number_beyond_literals, is_std_value};

/// `tokens` (the runtime's path) spanned at `span`, a place in the user's code where rustc
/// reports what concerns them, and resolved as the derive's own tokens.
pub fn respan(tokens: &impl quote::ToTokens, span: proc_macro2::Span) -> TokenStream {
    let span = span.resolved_at(proc_macro2::Span::call_site());
    tokens
        .to_token_stream()
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

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

/// The modules of the standard preludes, `std::prelude::v1` and those of each edition, which
/// re-export `Option`, `Vec`, `Box` and `String` under the names they have everywhere.
const PRELUDES: [&str; 5] = ["v1", "rust_2015", "rust_2018", "rust_2021", "rust_2024"];

/// Whether `segments` (a path's, the last one set aside) are `std::prelude::v1` or another
/// standard prelude (`core::prelude::rust_2021`), as code generators and `#![no_implicit_prelude]`
/// modules write a prelude type in full: the path names the type that its last segment names
/// alone. A name that the prelude lacks (`core::prelude::v1::Vec`) does not compile anyway.
fn is_prelude_path<'s>(mut segments: impl Iterator<Item = &'s syn::PathSegment>) -> bool {
    let mut next = || {
        segments
            .next()
            .filter(|segment| segment.arguments.is_empty())
            .map(|segment| segment.ident.to_string())
    };
    matches!(next().as_deref(), Some("std" | "core"))
        && next().as_deref() == Some("prelude")
        && next().is_some_and(|edition| PRELUDES.contains(&edition.as_str()))
}

/// The one type argument of `ty` when it is the standard generic `name<T>`, written `name`,
/// `root::module::name` for one of `roots`, or with a standard prelude's path
/// (`std::prelude::v1::name`) (the long forms with or without a leading `::`).
fn std_type_argument<'t>(
    ty: &'t Type,
    roots: &[&str],
    module: &str,
    name: &str,
) -> Option<&'t Type> {
    let path = plain_path(ty)?;
    // The last segment's name first: most types are not `name` at all, and each name read
    // is a string made from the ident.
    let segments = &path.segments;
    if segments.last()?.ident != name {
        return None;
    }
    let named = match segments.len() {
        1 => path.leading_colon.is_none(),
        3 => roots.contains(&segments[0].ident.to_string().as_str()) && segments[1].ident == module,
        4 => is_prelude_path(segments.iter()),
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

/// Whether `ty` is the unit type `()`, or one behind `Box`, `Rc`, `Arc` or `Option` (at any depth:
/// `Option<Arc<Option<()>>>`): a value that holds
/// nothing, whose JSON is always `null`, so that no spelling of it with an `Option` helps.
pub fn is_unit(ty: &Type) -> bool {
    matches!(ungroup(ty), Type::Tuple(tuple) if tuple.elems.is_empty())
        || pointee(ty).is_some_and(is_unit)
        || option_inner(ty).is_some_and(is_unit)
}

/// The `T` of a `Box<T>`, `Rc<T>` or `Arc<T>` (written short, or with its `std`/`alloc` path),
/// which serialize as the `T` they hold.
pub fn pointee(ty: &Type) -> Option<&Type> {
    pointer(ty).map(|(inner, _)| inner)
}

/// The `T` of a `Box<T>`, `Rc<T>` or `Arc<T>` with the pointer's name (`"Box"`, `"Rc"`,
/// `"Arc"`): the pointer that `nested` reaches through.
pub fn pointer(ty: &Type) -> Option<(&Type, &'static str)> {
    std_type_argument(ty, &["std", "alloc"], "boxed", "Box")
        .map(|inner| (inner, "Box"))
        .or_else(|| std_type_argument(ty, &["std", "alloc"], "rc", "Rc").map(|inner| (inner, "Rc")))
        .or_else(|| {
            std_type_argument(ty, &["std", "alloc"], "sync", "Arc").map(|inner| (inner, "Arc"))
        })
}

/// The maps that the derive merges key by key, read by the last segment of their name (as
/// `Option` is): the runtime's `MergeMap` has their impls (`IndexMap`'s with its feature
/// `indexmap`).
const KNOWN_MAPS: [&str; 3] = ["HashMap", "BTreeMap", "IndexMap"];

/// Whether `ident` names one of [`KNOWN_MAPS`].
fn is_known_map(ident: &syn::Ident) -> bool {
    KNOWN_MAPS.iter().any(|name| ident == name)
}

/// For a `HashMap<K, V, ..>`, `BTreeMap<K, V>` or `IndexMap<K, V, ..>`, the patch map type
/// `HashMap<K, Field<V>, ..>`.
pub fn map_patch_type(ty: &Type, krate: &syn::Path) -> Option<Type> {
    let path = plain_path(ty)?;
    let last = path.segments.last()?;
    if !is_known_map(&last.ident) {
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
    *value = syn::parse_quote!(#krate::Field<#value>);
    Some(patch)
}

/// The type arguments of a `HashMap<K, V, ..>`, `BTreeMap<K, V>` or `IndexMap<K, V, ..>`.
fn map_args(ty: &Type) -> Option<Vec<&Type>> {
    let path = plain_path(ty)?;
    let last = path.segments.last()?;
    if !is_known_map(&last.ident) {
        return None;
    }
    Some(last_type_args(path))
}

/// The key type `K` of a known map (`HashMap<K, V, ..>`, `BTreeMap<K, V>`, `IndexMap<K, V, ..>`).
pub fn map_key(ty: &Type) -> Option<&Type> {
    map_args(ty)?.first().copied()
}

/// The key type of a std `HashMap<K, V>` or `BTreeMap<K, V>` (no hasher) whose key is not a
/// standard value (a type of the user's: `HashMap<Locale, String>`), with the traits that the
/// runtime's `MergeMap` impl for it needs of the key (`Eq` and `Hash`, or `Ord`), which the
/// derive cannot check: the bound that applying a patch needs is stated on the key, where
/// rustc reports what it lacks. `IndexMap` is left out: its `MergeMap` is that of a feature.
pub fn own_map_key(ty: &Type) -> Option<(&Type, &'static [&'static str])> {
    let path = plain_path(ty)?;
    let traits: &'static [&'static str] = match path.segments.last()?.ident.to_string().as_str() {
        "HashMap" => &["::core::cmp::Eq", "::core::hash::Hash"],
        "BTreeMap" => &["::core::cmp::Ord"],
        _ => return None,
    };
    match last_type_args(path).as_slice() {
        [key, _] if !is_std_value(key) => Some((key, traits)),
        _ => None,
    }
}

/// The value type `V` of a known map (`HashMap<K, V, ..>`, `BTreeMap<K, V>`, `IndexMap<K, V, ..>`).
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
                // The one collection that `key` takes: a user who wrote `nested` on it may
                // want its elements changed one by one, which `key` does.
                "Vec" => Some(
                    "a collection (RFC 7396 replaces arrays whole); for elements that an attribute identifies (SCIM's `emails[type eq \"work\"]`), write `#[patchable(key = \"type\")]` instead of `nested`",
                ),
                "VecDeque" | "LinkedList" | "HashSet" | "BTreeSet" | "BinaryHeap" => {
                    Some("a collection (RFC 7396 replaces arrays whole)")
                }
                "Box" | "Rc" | "Arc" => Some(
                    "a pointer behind a pointer; `nested` reaches through one `Box`, `Rc` or `Arc` (`Box<N>`, `Option<Box<N>>`), whose JSON is the struct's: write one",
                ),
                // A `Cow` of a value that is no struct (`Cow<'a, str>`) is named by its value.
                "Cow" => last_type_args(plain_path(ty)?)
                    .first()
                    .and_then(|inner| non_struct_shape(inner))
                    .or(Some(
                        "a `Cow`; `nested` reaches through a `Box`, `Rc` or `Arc` (`Box<N>`, `Option<Arc<N>>`), whose JSON is the struct's, but not through a `Cow`, which a model read from JSON always holds owned: write `N`, or `Box<N>`",
                    )),
                "HashMap" | "BTreeMap" | "IndexMap" => Some(
                    "a map; a `HashMap`, `BTreeMap` or `IndexMap` is merged key by key without `nested` (remove it), and a map type of your own with `#[patchable(map)]`",
                ),
                "String" | "str" | "bool" | "char" | "u8" | "u16" | "u32" | "u64" | "u128"
                | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "f32" | "f64" => {
                    Some(
                        "a plain value (a string, number, `bool` or `char`), which a patch sends and replaces whole without `nested` (remove it)",
                    )
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `ty` is the model itself: `Self`, or a path named `model` (with the model's generic
/// arguments or others: `Tree<T>` in `Tree<T>`) of one segment or in `self::` (the model's own
/// module holds one type of that name). A path through another module (`crate::`, `super::`,
/// `models::`) may name another type of that name, and is left to the compiler.
pub fn names_the_model(ty: &Type, model: &syn::Ident) -> bool {
    let Some(path) = plain_path(ty) else {
        return false;
    };
    let own_module = match path.segments.len() {
        1 => true,
        2 => path.segments[0].ident == "self" && path.segments[0].arguments.is_empty(),
        _ => false,
    };
    let Some(last) = path.segments.last() else {
        return false;
    };
    path.leading_colon.is_none()
        && own_module
        && ((path.segments.len() == 1 && last.ident == "Self") || last.ident == *model)
}

/// The path of a plain path type and the names of its segments.
fn path_and_names(ty: &Type) -> Option<(&syn::Path, Vec<String>)> {
    Some((plain_path(ty)?, segment_names(ty)?))
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

/// Whether `ty` is `String`, `std::string::String`, `alloc::string::String` or a standard
/// prelude's (`std::prelude::v1::String`).
fn is_string(ty: &Type) -> bool {
    segment_names(ty).is_some_and(|names| {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        match names.as_slice() {
            ["String"] | ["std" | "alloc", "string", "String"] => true,
            [_, _, _, "String"] => {
                plain_path(ty).is_some_and(|path| is_prelude_path(path.segments.iter()))
            }
            _ => false,
        }
    })
}
