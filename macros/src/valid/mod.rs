//! Rules across attributes and fields, one function per rule, each with the reason it exists
//! (after serde_derive's `check.rs`). Every rule runs, and all their errors are reported
//! together, in field order.

mod field;
mod model;
mod setters;

use crate::ast::Input;
use crate::errors::Errors;

use field::{
    flattened_has_keys, flattened_not_option, keyed_array_is_a_vec, map_values_not_optional,
    nested_is_not_the_model, nested_needs_struct, no_option_of_option, one_shape,
    pointer_hides_no_object, required_never_null, required_or_nullable, serde_functions_fit,
    skip_stands_alone,
};
use model::{
    derives_not_built_in, flattened_map_after_flattened_structs,
    no_higher_ranked_lifetime_named_de, no_lifetime_named_de,
    no_parameter_named_like_generated_ones, not_packed, patch_denial_without_flattened_map,
    patch_name_differs, serde_items_carry_over, skipped_flatten_beside_map, written_keys_unique,
};
use setters::{Setters, setters_unique};

/// Reports every inconsistency in `input`.
pub fn check(input: &Input<'_>, errors: &mut Errors) {
    serde_items_carry_over(input, errors);
    patch_name_differs(input, errors);
    not_packed(input, errors);
    no_lifetime_named_de(input, errors);
    no_higher_ranked_lifetime_named_de(input, errors);
    no_parameter_named_like_generated_ones(input, errors);
    derives_not_built_in(input, errors);
    skipped_flatten_beside_map(input, errors);
    patch_denial_without_flattened_map(input, errors);
    flattened_map_after_flattened_structs(input, errors);
    written_keys_unique(input, errors);
    let mut setters = Setters::new();
    for field in &input.fields {
        if skip_stands_alone(field, errors) {
            continue;
        }
        required_or_nullable(field, errors);
        one_shape(field, errors);
        let Some(kind) = &field.kind else { continue };
        let option_of_option = no_option_of_option(field, kind, errors);
        required_never_null(field, kind, errors);
        pointer_hides_no_object(input, field, kind, errors);
        map_values_not_optional(kind, errors);
        nested_needs_struct(field, kind, errors);
        nested_is_not_the_model(input, field, kind, errors);
        keyed_array_is_a_vec(field, kind, errors);
        flattened_has_keys(field, kind, errors);
        flattened_not_option(field, errors);
        // `Option<Option<T>>` is refused whole: its serde function (serde_with's
        // `double_option`) is no second mistake.
        if !option_of_option {
            serde_functions_fit(field, kind, errors);
        }
        setters_unique(input, field, kind, &mut setters, errors);
    }
}
