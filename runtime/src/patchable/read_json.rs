//! A model or patch read from JSON, its errors naming the attribute's path.

/// `T` read from `value`; with `boolean_strings`, a `bool` also from `"True"` or `"False"` in
/// any case (SCIM: Microsoft Entra ID writes booleans so), as
/// [`from_value_with_boolean_strings`](crate::boolean_strings::from_value_with_boolean_strings)
/// reads it.
///
/// An error names the attribute's path first (``at `title`: invalid type: ...``), as
/// [`error_path::named`](crate::error_path::named) writes it.
pub(super) fn read_json<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    boolean_strings: bool,
) -> Result<T, serde_json::Error> {
    if boolean_strings {
        crate::boolean_strings::from_value_with_boolean_strings(value.clone()).map_err(|error| {
            crate::error_path::named::<T, _>(crate::boolean_strings::BooleanStrings(value), error)
        })
    } else {
        // Read from the borrowed document, which the error's path reads again.
        T::deserialize(&value).map_err(|error| crate::error_path::named::<T, _>(&value, error))
    }
}
