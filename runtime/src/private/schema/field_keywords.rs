//! The keywords that schemars 1's derive writes into a model field's schema from its
//! validation items (`#[schemars(length(...))]`, `#[validate(email)]`, ...) and its
//! `example` and `extend` items, written the same way into the patch's schema of the field's
//! values: the functions that the derive's
//! `@keywords(...)` closure calls. Each follows schemars 1.2's `_private` function of the same
//! use (`insert_validation_property`, `must_contain`, `apply_inner_validation`), so that a
//! value that the model's schema refuses, the patch's refuses too.

use schemars::Schema;
use serde_json::Value;

use super::names_type;

/// Writes `keyword: value` into `schema` when the schema's `type` names `instance_type`
/// (`"number"`: `"integer"` too), as schemars' derive does (a `$ref` or an `anyOf` gets none).
pub fn validation_keyword(
    schema: &mut Schema,
    instance_type: &str,
    keyword: &str,
    value: impl Into<Value>,
) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if names_type(object, instance_type)
        || (instance_type == "number" && names_type(object, "integer"))
    {
        object.insert(keyword.to_owned(), value.into());
    }
}

/// A string's `pattern`: `pattern(...)`'s or `regex(...)`'s, its text (a `Regex` or a
/// string).
pub fn pattern_keyword(schema: &mut Schema, pattern: &(impl std::fmt::Display + ?Sized)) {
    validation_keyword(schema, "string", "pattern", pattern.to_string());
}

/// `contains(...)`: a `pattern` that matches `substring` anywhere, its regex
/// metacharacters escaped.
pub fn contains_keyword(schema: &mut Schema, substring: &(impl std::fmt::Display + ?Sized)) {
    validation_keyword(schema, "string", "pattern", escaped(&substring.to_string()));
}

/// `email`, `url` (`uri`), `ip`, `ipv4`, `ipv6`: the schema's `format`, whatever its type,
/// as schemars' derive writes it.
pub fn format_keyword(schema: &mut Schema, format: &str) {
    schema.insert("format".to_owned(), format.into());
}

/// `inner(...)`: `keywords` written into an array's `items` schema (none where the schema
/// has no `items` schema).
pub fn inner_keywords(schema: &mut Schema, keywords: impl FnOnce(&mut Schema)) {
    if let Some(items) = schema
        .get_mut("items")
        .and_then(|items| <&mut Schema>::try_from(items).ok())
    {
        keywords(items);
    }
}

/// `example = value`, each: the schema's `examples`, those that serialize (schemars'
/// derive leaves out the others), in their order; each given as [`example`].
pub fn examples_keyword(schema: &mut Schema, examples: impl IntoIterator<Item = Option<Value>>) {
    let examples = examples.into_iter().flatten().collect();
    schema.insert("examples".to_owned(), Value::Array(examples));
}

/// One `example = value`'s JSON, `None` where it does not serialize.
pub fn example<T: serde::Serialize + ?Sized>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// `extend("key" = value)`: `key` is `value`, over what the schema said.
pub fn extension_keyword(schema: &mut Schema, key: &str, value: Value) {
    schema.insert(key.to_owned(), value);
}

/// `text` with every character that a regex reads as syntax escaped by a `\`: those that
/// `regex_syntax::escape` escapes, which schemars' derive uses for `contains`.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(character) {
            out.push('\\');
        }
        out.push(character);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn regex_syntax_is_escaped() {
        assert_eq!(escaped("a.b*c"), r"a\.b\*c");
        assert_eq!(escaped("[x]-{y}~#&"), r"\[x\]\-\{y\}\~\#\&");
        assert_eq!(escaped("plain text"), "plain text");
    }
}
