//! The rules on one field: its attributes against each other and against its type.

use crate::ast::{Field, Input, Kind, Presence, Shape};
use crate::errors::Errors;
use crate::ty;

/// A skipped field is not in the patch, so attributes that say how to patch it mean nothing
/// and are likely a mistake. A `PhantomData` field is left out as a skipped one is (it has no
/// JSON of its own): its `nested`, `map` or `key` were dropped without a word (`replace` and
/// `required` say that the type is the user's own, which is patched). Returns whether the field
/// is left out.
pub(super) fn skip_stands_alone(field: &Field<'_>, errors: &mut Errors) -> bool {
    let attrs = &field.attrs;
    let left_out = if attrs.skip.is_some() {
        "a field that `skip` leaves out of the patch"
    } else if attrs.is_phantom(&field.ty) {
        "a `PhantomData` field, which has no JSON of its own and which the patch leaves out"
    } else {
        return false;
    };
    for (other, name) in [
        (attrs.nested, "nested"),
        (attrs.nullable, "nullable"),
        (attrs.required, "required"),
        (attrs.map, "map"),
        (attrs.replace, "replace"),
        (attrs.key.as_ref().map(|(_, span)| *span), "key"),
        (attrs.setter.as_ref().map(|(_, span)| *span), "setter"),
    ] {
        if let Some(span) = other {
            errors.at(span, format!("`{name}` has no effect on {left_out}"));
        }
    }
    true
}

/// A field either may be null or may not: the two overrides contradict each other.
pub(super) fn required_or_nullable(field: &Field<'_>, errors: &mut Errors) {
    if let (Some(_), Some(nullable)) = (field.attrs.required, field.attrs.nullable) {
        errors.at(
            nullable,
            "a field is either `required` or `nullable`, not both",
        );
    }
}

/// `nested`, `map` and `replace` each choose how a value is applied; only one can hold.
pub(super) fn one_shape(field: &Field<'_>, errors: &mut Errors) {
    let attrs = &field.attrs;
    let shapes = [
        (attrs.nested, "nested"),
        (attrs.map, "map"),
        (attrs.replace, "replace"),
    ];
    let given: Vec<_> = shapes.iter().filter(|(span, _)| span.is_some()).collect();
    if let [(_, first), rest @ ..] = given.as_slice() {
        for (span, name) in rest {
            errors.at(
                span.unwrap_or_else(|| field.ident.span()),
                format!("a field is patched one way: `{first}` and `{name}` cannot go together"),
            );
        }
    }
}

/// JSON has a single `null`: a patch cannot tell "clear" from "set to `None`", nor from a value
/// whose own JSON is `null` (`Option<Box<Option<T>>>`, `Option<()>`). Returns whether the
/// field is refused so.
pub(super) fn no_option_of_option(field: &Field<'_>, kind: &Kind, errors: &mut Errors) -> bool {
    if kind.presence != Presence::Nullable || field.attrs.required.is_some() {
        return false;
    }
    // The `T` of `Option<T>`, or of the `Box<Option<T>>` that is nullable through a `Box`.
    let Some(value) = ty::option_inner(&field.ty)
        .or_else(|| ty::boxed_option(&field.ty).and_then(ty::option_inner))
    else {
        return false;
    };
    let Some(what) = ty::null_in_json(value) else {
        return false;
    };
    if ty::option_inner(&field.ty).is_some() && ty::option_inner(value).is_some() {
        // serde_with's `double_option` (as openapi-generator writes it) reads and writes the
        // two `None`s; with `Option<T>` it no longer fits, so the message says to drop it too.
        let with = if field.attrs.with.is_some() {
            ", and remove its `#[serde(with = ...)]` (such as serde_with's `double_option`): the patch itself tells absent from null"
        } else {
            ""
        };
        errors.spanned_by(
            &field.ty,
            format!("`Option<Option<T>>` cannot be patched: JSON has a single `null`, so a patch cannot tell \"clear\" from \"set to None\"; use `Option<T>`{with}"),
        );
    } else {
        // What to write instead depends on where the `null` comes from: a `()` holds nothing
        // that any spelling could send, and a `Box<Option<Option<T>>>` is nullable through its
        // `Box`, so its `Option` is the one to keep.
        let instead = if ty::is_unit(value) {
            UNIT_INSTEAD
        } else if ty::option_inner(&field.ty).is_none() {
            "make the value one that is never `null` (`Box<Option<T>>` rather than `Box<Option<Option<T>>>`)"
        } else {
            "make the value one that is never `null` (`Option<Box<T>>` rather than `Option<Box<Option<T>>>`)"
        };
        errors.spanned_by(
            &field.ty,
            format!(
                "this nullable field's value is {what}, so it cannot be patched: JSON has a single `null`, so a patch cannot tell \"clear\" from \"set to a value written `null`\"; {instead}"
            ),
        );
    }
    true
}

/// What to write instead of a field whose value is `()` (bare, in an `Option` or behind a
/// pointer): its JSON is always `null`, so no `Option` around it or inside it gives the patch
/// a value to send.
const UNIT_INSTEAD: &str = "`()` holds no value to send: give the field a type that is written as a value (a `bool` for an attribute that is set or not), or leave it out of the patch with `#[patchable(skip)]`";

/// A required attribute is never `null` in a patch, since a merge patch reads `null` as "remove"
/// (RFC 7396 §2): a field patched as required whose type can be `null` (`Rc<Option<T>>`, `()`)
/// would send a `null` that clears the attribute, and the patch would refuse its own JSON. A
/// `Box<Option<T>>` is nullable instead (`ast`); `required` says the type is the user's own (a
/// `Box` or `Rc` of theirs), and a serde function of the user's decides the JSON itself.
/// `replace` says only that the value is sent whole: a replaced `Rc<Option<T>>` would send the
/// same `null`.
pub(super) fn required_never_null(field: &Field<'_>, kind: &Kind, errors: &mut Errors) {
    let attrs = &field.attrs;
    if kind.presence != Presence::Required
        || attrs.required.is_some()
        || attrs.with.is_some()
        || attrs.serialize_with.is_some()
        || attrs.deserialize_with.is_some()
    {
        return;
    }
    if let Some(what) = ty::null_in_json(&field.ty) {
        // The derive reads `Box`, `Rc` and `Arc` by name: one of the user's own is let through
        // by `required`, which the message says (it named only the ways out for std's).
        let own = if ty::pointee(&field.ty).is_some() {
            "; for a type of your own named `Box`, `Rc` or `Arc`, mark the field `#[patchable(required)]`"
        } else {
            ""
        };
        let twice = ty::pointer(&field.ty)
            .filter(|(inner, _)| ty::option_inner(inner).and_then(ty::option_inner).is_some());
        let instead = if ty::is_unit(&field.ty) {
            UNIT_INSTEAD.to_owned()
        } else if let Some((_, pointer)) = twice {
            format!(
                "write one `Option`, outermost (`Option<{pointer}<T>>` rather than `{pointer}<Option<Option<T>>>`), or leave the field out of the patch with `#[patchable(skip)]`"
            )
        } else {
            "write the `Option` outermost (`Option<Rc<T>>` for `Rc<Option<T>>`), or leave the field out of the patch with `#[patchable(skip)]`".to_owned()
        };
        errors.spanned_by(
            &field.ty,
            format!(
                "this field's value is {what}, but a field that is not an `Option` is patched as required, never `null`: a merge patch reads `null` as removing the attribute (RFC 7396 §2); {instead}{own}"
            ),
        );
    }
}

/// A map or untyped JSON behind a `Box`, `Rc` or `Arc` is an object that the derive sees but
/// would patch as a plain value, sent whole: a server merges an object value into the one it
/// holds (RFC 7396 §2), keeping the members that the patch leaves out, so `diff` and `apply`
/// would disagree with it. `replace` says that the value is to be sent whole (its JSON is not
/// an object), and a serde function of the user's decides the JSON itself.
pub(super) fn pointer_hides_no_object(
    input: &Input<'_>,
    field: &Field<'_>,
    kind: &Kind,
    errors: &mut Errors,
) {
    let attrs = &field.attrs;
    if !matches!(kind.shape, Shape::Plain)
        || kind.key.is_some()
        || attrs.replace.is_some()
        || attrs.with.is_some()
        || attrs.serialize_with.is_some()
        || attrs.deserialize_with.is_some()
    {
        return;
    }
    let Some(pointee) = ty::pointee(&kind.value) else {
        return;
    };
    let what = if ty::map_key(pointee).is_some() {
        "a map"
    } else if ty::is_json(pointee) && !ty::is_parameter(pointee, &input.type_params) {
        "untyped JSON"
    } else {
        return;
    };
    errors.spanned_by(
        &kind.value,
        format!(
            "{what} behind a pointer would be sent whole, and a server merges an object into the one it holds (RFC 7396 §2), keeping what the patch leaves out; hold the value itself to patch it member by member, or mark the field `#[patchable(replace)]` if its JSON is not an object"
        ),
    );
}

/// In a JSON merge patch a `null` entry removes the key (RFC 7396 §2), so a map entry cannot be
/// set to `null`, nor to a value whose JSON is `null` (`Box<Option<T>>`, `()`).
pub(super) fn map_values_not_optional(kind: &Kind, errors: &mut Errors) {
    if let Some((_, value)) = kind.map_entry()
        && ty::null_in_json(value).is_some()
    {
        errors.spanned_by(
            &kind.value,
            "a map whose values can be null cannot be patched key by key: in a JSON merge patch a `null` entry removes the key (RFC 7396 §2); make the values non-optional, or leave the field out of the patch with `#[patchable(skip)]`",
        );
    }
}

/// `nested` needs the type's own patch: a collection, a map or a primitive has none, and the
/// type checker's errors would only say so at the `#[derive]` line.
pub(super) fn nested_needs_struct(field: &Field<'_>, kind: &Kind, errors: &mut Errors) {
    if field.attrs.nested.is_some()
        && let Some(shape) = ty::non_struct_shape(&kind.value)
    {
        errors.spanned_by(
            &kind.value,
            format!(
                "`nested` needs a struct that derives `Patchable` (or an `Option` of one), but this is {shape}"
            ),
        );
    }
}

/// `nested` on the model's own type (`Box<Option<Self>>`, `Option<Box<Node>>` in `Node`): the
/// patch would hold a patch of its own type, without the `Box` (an infinite type), and every
/// bound on it would ask the compiler to prove the impl it is inside (E0275 at the `#[derive]`
/// line, six times). Said once, at the type.
pub(super) fn nested_is_not_the_model(
    input: &Input<'_>,
    field: &Field<'_>,
    kind: &Kind,
    errors: &mut Errors,
) {
    if field.attrs.nested.is_some() && ty::names_the_model(&kind.value, input.ident) {
        errors.spanned_by(
            &kind.value,
            "`nested` needs a struct other than the model itself: a patch cannot hold a patch of its own type (a `Box` in the model does not put one in the patch, whose field holds the nested patch itself), so recursive models are not supported; leave `nested` out to send the field whole",
        );
    }
}

/// A key identifies the elements of an array (SCIM's multi-valued attributes, RFC 7643 §2.4):
/// the field must be a `Vec` sent whole, and the key must name an attribute.
pub(super) fn keyed_array_is_a_vec(field: &Field<'_>, kind: &Kind, errors: &mut Errors) {
    let Some((key, span)) = &field.attrs.key else {
        return;
    };
    if key.is_empty() {
        errors.at(
            *span,
            "`key` names the attribute that identifies an element, such as `key = \"type\"`",
        );
    }
    let shaped = [
        (field.attrs.nested, "nested"),
        (field.attrs.map, "map"),
        (field.attrs.flatten, "flatten"),
    ];
    if let Some((_, name)) = shaped.iter().find(|(span, _)| span.is_some()) {
        errors.at(
            *span,
            format!(
                "`key` is for an array sent whole, and `{name}` patches this field another way"
            ),
        );
    } else if kind.option_alias
        && ty::boxed_option(&field.ty).is_none()
        && ty::vec_element(&kind.value).is_none()
    {
        // A nullable alias's value is reached through `Nullable`: the `Vec` behind it is out
        // of sight, and the message said that an `Option<Vec<T>>` was needed where the alias
        // is one.
        errors.spanned_by(
            &field.ty,
            "`key` cannot see the `Vec` behind this type alias: write the field's type out, `Option<Vec<T>>` (or `Vec<T>`), whose elements the key identifies",
        );
    } else {
        match ty::vec_element(&kind.value) {
            None => errors.spanned_by(
                &kind.value,
                "`key` needs a `Vec` of objects (`Vec<T>` or `Option<Vec<T>>`), whose elements the key identifies",
            ),
            // A string, a number or an array of them is never an object: no element would
            // hold the key, so `apply` and the SCIM output refused every non-empty array at
            // run time.
            Some(element) if ty::is_std_value(element) => errors.spanned_by(
                element,
                "`key` needs a `Vec` of objects whose elements hold the key, and the JSON of this element type is never an object (it is a string, a number, a `bool`, `null` or an array): leave `key` out, and the array is sent whole",
            ),
            Some(_) => {}
        }
    }
}

/// A flattened field's keys sit in the parent, so its patch must be an object of keys too. A
/// map that `replace` or a serde function of the user's makes a value sent whole is named so:
/// the message said that the field must be a `HashMap` where it was one.
///
/// A flattened `Option` of a map is `flattened_not_option`'s mistake alone: it was also told
/// that it must be a `HashMap`, which it is, inside the `Option`.
pub(super) fn flattened_has_keys(field: &Field<'_>, kind: &Kind, errors: &mut Errors) {
    if !kind.flattened() || !matches!(kind.shape, Shape::Plain) || flattened_option_of_map(field) {
        return;
    }
    let attrs = &field.attrs;
    let whole = [
        (
            attrs.with.as_ref().map(|(_, span)| *span),
            "`#[serde(with)]`",
        ),
        (
            attrs.serialize_with.as_ref().map(|(_, span)| *span),
            "`#[serde(serialize_with)]`",
        ),
        (
            attrs.deserialize_with.as_ref().map(|(_, span)| *span),
            "`#[serde(deserialize_with)]`",
        ),
        (attrs.replace, "`#[patchable(replace)]`"),
    ];
    let made_whole = whole
        .iter()
        .find_map(|(span, name)| span.map(|span| (span, *name)));
    if let Some((span, name)) = made_whole {
        errors.at(
            span,
            format!(
                "{name} makes this flattened field a value sent whole, but a flattened field has no key of its own to send it under: its patch must be an object of keys, merged into the parent's (a map patched key by key, or a nested patch); remove {name}, or drop `flatten` to send the value under its own key"
            ),
        );
        return;
    }
    errors.at(
        attrs.flatten.unwrap_or_else(|| field.ident.span()),
        "a flattened field must be `#[patchable(nested)]` (a struct that derives `Patchable`), a `HashMap`/`BTreeMap`/`IndexMap` or `serde_json::Map` (written with its path, or `Map<String, Value>`), so that its patch can be flattened too",
    );
}

/// The field is flattened and nullable: an `Option` (or an alias marked `nullable`).
fn flattened_option(field: &Field<'_>) -> bool {
    field.attrs.flatten.is_some()
        && field.attrs.required.is_none()
        && (ty::option_inner(&field.ty).is_some() || field.attrs.nullable.is_some())
}

/// The field is a flattened `Option` of a map (`HashMap`, `BTreeMap`, `IndexMap` or
/// `serde_json::Map`).
fn flattened_option_of_map(field: &Field<'_>) -> bool {
    flattened_option(field)
        && ty::option_inner(&field.ty)
            .is_some_and(|inner| ty::map_value(inner).is_some() || ty::is_json_map(inner))
}

/// A flattened object's attributes sit in the parent, so they cannot be null together. The
/// way out differs for a map (custom attributes that may be missing): flattened as it is, a
/// missing one reads as empty.
pub(super) fn flattened_not_option(field: &Field<'_>, errors: &mut Errors) {
    if !flattened_option(field) {
        return;
    }
    let message = if flattened_option_of_map(field) {
        "a flattened field cannot be an `Option`: its entries sit in the parent object, so they cannot be null together; flatten the map itself, which reads as empty where the object has no other keys and whose patch sets and removes entries one by one, or drop `flatten` to patch it under its own key"
    } else {
        "a flattened field cannot be an `Option`: its attributes sit in the parent object, so they cannot be null together; flatten the struct itself, whose own fields may be `Option`s, or drop `flatten` to patch it under its own key"
    };
    errors.spanned_by(&field.ty, message);
}

/// A serde function of the user's reads and writes the model's type: it cannot serve a nested
/// or map patch, whose type differs from the model's. (On a nullable plain field it writes the
/// model's `Option` that the patch builds from its value, and reads into `Field`.)
pub(super) fn serde_functions_fit(field: &Field<'_>, kind: &Kind, errors: &mut Errors) {
    let attrs = &field.attrs;
    let custom = [
        (&attrs.with, "with"),
        (&attrs.serialize_with, "serialize_with"),
        (&attrs.deserialize_with, "deserialize_with"),
    ];
    for (slot, name) in custom {
        let Some((_, span)) = slot else { continue };
        if !matches!(kind.shape, Shape::Plain) {
            errors.at(
                *span,
                format!(
                    "`#[serde({name})]` cannot serve a nested or map patch, whose type differs from the model's; remove `nested` or `map` to patch the field whole"
                ),
            );
        }
    }
}
