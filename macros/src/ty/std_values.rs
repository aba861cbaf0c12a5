//! Which field types are standard values: types of std that serde writes as they are, never
//! `null` (numbers, strings, their containers, and borrowed forms of them), and the numbers
//! that an untyped literal cannot reach through `Into`.

use syn::{GenericArgument, PathArguments, Type};

use super::{is_prelude_path, last_type_args, null_in_json, path_and_names, ungroup};

/// Whether `ty` is built from standard types alone (numbers, `bool`, `char`, `String`, and
/// `Vec`, `VecDeque`, `Box`, `Option`, `BTreeSet`, tuples and arrays of them), which implement
/// `Clone`, `Debug` and `PartialEq`. Names are read as written, like `Option`. A shared
/// reference or a `Cow` of such a value (`&'a str`, `&'a [u8]`, `Cow<'a, str>`, serde's
/// borrowed fields) is one too, unless what it points to can be `null` (`&'a Option<T>`):
/// serde writes it as the value it points to.
pub fn is_std_value(ty: &Type) -> bool {
    // Serde writes a reference and a `Cow` as what they point to.
    let pointed_std = |pointed: &Type| is_std_value(pointed) && null_in_json(pointed).is_none();
    match ungroup(ty) {
        Type::Tuple(tuple) => tuple.elems.iter().all(is_std_value),
        Type::Array(array) => is_std_value(&array.elem),
        Type::Slice(slice) => is_std_value(&slice.elem),
        Type::Reference(reference) => {
            reference.mutability.is_none() && pointed_std(&reference.elem)
        }
        Type::Path(_) => {
            let Some((path, names)) = path_and_names(ty) else {
                return false;
            };
            let std_prefix = match names.as_slice() {
                [_] => path.leading_colon.is_none(),
                [root, _, _] => root == "std" || root == "alloc" || root == "core",
                [_, _, _, _] => is_prelude_path(path.segments.iter()),
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
                    | "str"
            );
            let container = matches!(last, "Vec" | "VecDeque" | "Box" | "Option" | "BTreeSet");
            std_prefix
                && ((leaf && args.is_empty())
                    || (container && args.len() == 1 && args.iter().all(|arg| is_std_value(arg)))
                    || (is_std_cow(path, &names) && args.len() == 1 && pointed_std(args[0])))
        }
        _ => false,
    }
}

/// Whether `path` (whose segments are `names`) is `std::borrow::Cow`: `Cow` is not in the
/// prelude, so a `Cow` may be the user's own type (`struct Cow<T>(Option<T>)`, written `null`);
/// std's has a lifetime, which a field's type writes first (`Cow<'a, str>`), and a qualified
/// path names its `borrow` module (`std::borrow::Cow<'a, [u8]>`).
fn is_std_cow(path: &syn::Path, names: &[String]) -> bool {
    let module_is_borrow = match names {
        [_] => true,
        [_, module, _] => module == "borrow",
        _ => false,
    };
    let lifetime_first = path.segments.last().is_some_and(|segment| {
        matches!(
            &segment.arguments,
            PathArguments::AngleBracketed(args)
                if matches!(args.args.first(), Some(GenericArgument::Lifetime(_)))
        )
    });
    names.last().is_some_and(|last| last == "Cow") && module_is_borrow && lifetime_first
}

/// Whether `ty` is a primitive number type (`u32`, `f32`, `core::primitive::u64`...), written
/// without type arguments, that an untyped literal cannot reach through `Into`: where a
/// parameter is `impl Into<T>`, `3` is an `i32` and `0.5` an `f64`, which convert into `i32`,
/// `i64`, `i128` and `f64` (so those are not listed: their setters keep taking narrower
/// numbers) but into none of these.
pub fn is_number_beyond_literals(ty: &Type) -> bool {
    let Some((path, names)) = path_and_names(ty) else {
        return false;
    };
    let primitive_path = match names.as_slice() {
        [_] => path.leading_colon.is_none(),
        [root, module, _] => (root == "std" || root == "core") && module == "primitive",
        _ => false,
    };
    primitive_path
        && last_type_args(path).is_empty()
        && matches!(
            names.last().map_or("", String::as_str),
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "isize" | "f32"
        )
}
