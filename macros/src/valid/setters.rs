//! The rule on the setters that the fields give the patch: one name, one method.

use std::collections::BTreeMap;

use quote::format_ident;
use syn::ext::IdentExt;

use crate::ast::{Field, Input, Kind, Shape};
use crate::errors::Errors;

/// The setters already named, by name: the field that has each, and which of its setters it is.
pub(super) type Setters = BTreeMap<String, SetterOwner>;

/// A setter of a field: the field, whether it is the value setter (`setter = "..."` names it)
/// or one named after the field (`clear_x`, `x_entry`, `clear_x_entry`), and where a
/// `setter = "..."` that renames it goes.
pub(super) struct SetterOwner {
    field: String,
    role: &'static str,
    value_setter: bool,
}

/// Each setter is a method of the patch: two of one name, or one named like the patch's own
/// `new` or `is_empty`, did not compile, with an error far from the field; and one named like
/// a method of a trait that the patch implements hid that method (an inherent method comes
/// before a trait's), so that `UserPatch::default()` or `patch.clone()` called the setter, with
/// rustc's error at the call ("this function takes 2 arguments"). Each is reported at the field
/// whose `setter = "..."` resolves it.
pub(super) fn setters_unique(
    input: &Input<'_>,
    field: &Field<'_>,
    kind: &Kind,
    setters: &mut Setters,
    errors: &mut Errors,
) {
    let value = field.setter_ident().unraw().to_string();
    let mut names = vec![(value, "setter", true)];
    if kind.nullable() {
        names.push((
            format_ident!("clear_{}", field.unraw()).to_string(),
            "clear setter",
            false,
        ));
    }
    if matches!(
        kind.shape,
        Shape::Map {
            explicit: false,
            ..
        }
    ) {
        names.push((
            format_ident!("{}_entry", field.unraw()).to_string(),
            "entry setter",
            false,
        ));
        names.push((
            format_ident!("clear_{}_entry", field.unraw()).to_string(),
            "entry clear setter",
            false,
        ));
    }
    let span = field
        .attrs
        .setter
        .as_ref()
        .map_or_else(|| field.ident.span(), |(_, span)| *span);
    let patch = &input.patch;
    let rename = "name the setter with `#[patchable(setter = \"...\")]` on the field";
    for (name, role, value_setter) in names {
        if let Some(hidden) = reserved(input, &name) {
            // A derived name (`clear_x`, `x_entry`) is never reserved, as no reserved name
            // starts with `clear_` or ends with `_entry`; the value setter is renamed.
            errors.at(
                span,
                format!(
                    "this field's {role} would be called `{name}`, {}; {rename}, such as `setter = \"set_{name}\"` (the field and its JSON key keep their names)",
                    hidden.describe(patch)
                ),
            );
            continue;
        }
        let unraw = field.unraw().to_string();
        match setters.get(&name) {
            None => {
                setters.insert(
                    name,
                    SetterOwner {
                        field: unraw,
                        role,
                        value_setter,
                    },
                );
            }
            Some(other) => {
                let fix = if value_setter {
                    rename.to_owned()
                } else if other.value_setter {
                    format!(
                        "name the setter of `{}` with `#[patchable(setter = \"...\")]`",
                        other.field
                    )
                } else {
                    "rename one of the fields and keep its JSON key with `#[serde(rename = \"...\")]`"
                        .to_owned()
                };
                errors.at(
                    span,
                    format!(
                        "this field's {role} would be called `{name}`, as is the {} of `{}`: the patch cannot have two methods of one name; {fix}",
                        other.role, other.field
                    ),
                );
            }
        }
    }
}

/// A name that the patch has, or whose trait method a setter would hide.
enum Reserved {
    /// The patch's own inherent method.
    Own(&'static str),
    /// A trait's method (`Clone::clone`) and a call of it that the setter would take
    /// (`patch.clone()`; `{patch}` stands for the patch's name).
    Trait(&'static str, &'static str),
}

impl Reserved {
    fn describe(&self, patch: &syn::Ident) -> String {
        match self {
            Reserved::Own(name) => format!(
                "as is the patch's own `{patch}::{name}`, which the derive generates (two methods of one name do not compile)"
            ),
            Reserved::Trait(path, call) => {
                let call = call.replace("{patch}", &patch.to_string());
                format!(
                    "which would hide `{path}` of the patch: `{call}` would call the setter instead, as an inherent method comes before a trait's"
                )
            }
        }
    }
}

/// The patch's own methods, and the methods of the traits it implements (those of the traits
/// that `#[patchable(derive(...))]` asks for too), by name. The traits of blanket impls
/// (`Into::into`, `From::from`, `ToOwned::to_owned`) and schemars' `JsonSchema` (whose
/// functions generic code calls through the trait) are not among them: `from` names real
/// attributes (a message's sender), and a setter hides only calls of such a method on a
/// patch written out, which nothing needs.
fn reserved(input: &Input<'_>, name: &str) -> Option<Reserved> {
    const OWN: &[&str] = &["new", "is_empty"];
    const ALWAYS: &[(&str, &str)] = &[
        ("Default::default", "{patch}::default()"),
        ("Clone::clone", "patch.clone()"),
        ("Clone::clone_from", "patch.clone_from(&other)"),
        ("Debug::fmt", "patch.fmt(f)"),
        ("PartialEq::eq", "patch.eq(&other)"),
        ("PartialEq::ne", "patch.ne(&other)"),
        ("Serialize::serialize", "patch.serialize(serializer)"),
        (
            "Deserialize::deserialize",
            "{patch}::deserialize(deserializer)",
        ),
        ("Patch::then", "patch.then(next)"),
        ("Patch::check_then", "patch.check_then(&next)"),
        ("Patch::then_checked", "patch.then_checked(next)"),
        ("Patch::to_json_patch", "patch.to_json_patch(&base)"),
        (
            "Patch::from_json_patch",
            "{patch}::from_json_patch(&base, &operations)",
        ),
        ("Patch::to_scim_patch", "patch.to_scim_patch(&base)"),
        (
            "Patch::from_scim_patch",
            "{patch}::from_scim_patch(&base, &message)",
        ),
        (
            "Patch::from_body",
            "{patch}::from_body(dialect, body, &base)",
        ),
    ];
    const DERIVED: &[(&str, &[(&str, &str)])] = &[
        (
            "Hash",
            &[
                ("Hash::hash", "patch.hash(state)"),
                ("Hash::hash_slice", "{patch}::hash_slice(patches, state)"),
            ],
        ),
        (
            "PartialOrd",
            &[
                ("PartialOrd::partial_cmp", "patch.partial_cmp(&other)"),
                ("PartialOrd::lt", "patch.lt(&other)"),
                ("PartialOrd::le", "patch.le(&other)"),
                ("PartialOrd::gt", "patch.gt(&other)"),
                ("PartialOrd::ge", "patch.ge(&other)"),
            ],
        ),
        (
            "Ord",
            &[
                ("Ord::cmp", "patch.cmp(&other)"),
                ("Ord::max", "patch.max(other)"),
                ("Ord::min", "patch.min(other)"),
                ("Ord::clamp", "patch.clamp(low, high)"),
            ],
        ),
    ];
    if let Some(own) = OWN.iter().find(|own| **own == name) {
        return Some(Reserved::Own(own));
    }
    let derived = input.attrs.derives.iter().flat_map(|derive| {
        let last = derive
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default();
        DERIVED
            .iter()
            .filter(move |(name, _)| *name == last)
            .flat_map(|(_, methods)| methods.iter())
    });
    ALWAYS
        .iter()
        .chain(derived)
        // The method is the path's last segment (a setter's name holds no `::`).
        .find(|(path, _)| {
            path.strip_suffix(name)
                .is_some_and(|prefix| prefix.ends_with("::"))
        })
        .map(|(path, call)| Reserved::Trait(path, call))
}
