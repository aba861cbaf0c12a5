//! Whether a schema takes `null`, and the same schema refusing it.

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::{definitions_ref_prefix, names_type};

/// Whether `schema` may accept `null`: each of its keywords that speaks of `null` (`type`,
/// `enum`, `const`, `not`, `anyOf`, `oneOf`, `allOf`, `$ref`) lets it through, and a schema that
/// says nothing of the type accepts it. A `$ref` is read in the generator's definitions:
/// a named field type's JSON can be `null` (a unit struct, a transparent newtype over an
/// `Option` or over `serde_json::Value`), and a patch's definition is an object.
pub(super) fn may_be_null(schema: &Value, generator: &SchemaGenerator) -> bool {
    takes_null(schema, generator, Verdict::May, 0)
}

/// Whether `schema` surely accepts `null`: the dual of [`may_be_null`], where a keyword
/// whose verdict on `null` is not read here (`if`, `$dynamicRef`) counts as refusing it.
/// Keywords of other instance types (`pattern`, `minimum`, `properties`, `format`, ...) and
/// annotations let `null` through (JSON Schema 2020-12, Validation §6 and §7.1: each applies
/// to its own type alone).
fn surely_takes_null(schema: &Value, generator: &SchemaGenerator) -> bool {
    takes_null(schema, generator, Verdict::Surely, 0)
}

/// Which answer a walk of a schema gives on `null`, where it cannot read the schema's own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Whether `null` may pass: what is not read here lets it through.
    May,
    /// Whether `null` surely passes: what is not read here refuses it.
    Surely,
}

/// The walk of [`may_be_null`] and [`surely_takes_null`]: both read `type`, `enum`, `const`,
/// `anyOf`, `allOf` and a `$ref`'s definition alike, and differ in what they make of a
/// keyword whose verdict is not read here and of a `$ref` to no definition (`verdict`), of a
/// `not` (the sure walk negates the other's verdict on it; the other reads as refusing `null`
/// only [`refuse_null`]'s own), and of a `oneOf` (sure of exactly one branch).
fn takes_null(schema: &Value, generator: &SchemaGenerator, verdict: Verdict, depth: usize) -> bool {
    // What a keyword whose verdict is not read here, or a `$ref` to no definition, says.
    let unread = verdict == Verdict::May;
    // Definitions that are `$ref`s to one another in a ring accept nothing of their own;
    // past a depth no schema reaches, `null` is taken as possible (refusing it costs only
    // a `not` that a required attribute obeys anyway), and as not sure.
    if depth > 32 {
        return unread;
    }
    let below =
        |schema: &Value, verdict: Verdict| takes_null(schema, generator, verdict, depth + 1);
    match schema {
        Value::Bool(accepts) => *accepts,
        Value::Object(object) => object
            .iter()
            .all(|(keyword, value)| match keyword.as_str() {
                "type" => names_type(object, "null"),
                "enum" => value
                    .as_array()
                    .is_some_and(|values| values.iter().any(Value::is_null)),
                "const" => value.is_null(),
                "not" => match verdict {
                    // Only the `not` that refuses `null` itself ([`refuse_null`]'s) is read as
                    // refusing it.
                    Verdict::May => *value != serde_json::json!({ "type": "null" }),
                    Verdict::Surely => !below(value, Verdict::May),
                },
                "anyOf" => value
                    .as_array()
                    .is_some_and(|branches| branches.iter().any(|branch| below(branch, verdict))),
                "oneOf" => value.as_array().is_some_and(|branches| match verdict {
                    Verdict::May => branches.iter().any(|branch| below(branch, Verdict::May)),
                    // Exactly one branch: one that surely takes `null`, the others surely not.
                    Verdict::Surely => branches.iter().enumerate().any(|(taker, branch)| {
                        below(branch, Verdict::Surely)
                            && branches.iter().enumerate().all(|(other, branch)| {
                                other == taker || !below(branch, Verdict::May)
                            })
                    }),
                }),
                "allOf" => value
                    .as_array()
                    .is_some_and(|branches| branches.iter().all(|branch| below(branch, verdict))),
                "$ref" => value
                    .as_str()
                    .and_then(|reference| definition(reference, generator))
                    .map_or(unread, |target| below(target, verdict)),
                "if" | "then" | "else" | "$dynamicRef" | "$recursiveRef" => unread,
                _ => true,
            }),
        _ => false,
    }
}

/// The definition that a `$ref` of the generator names (`#/$defs/Name`, the name
/// percent-encoded and escaped as a JSON Pointer's segment, as schemars writes it).
fn definition<'a>(reference: &str, generator: &'a SchemaGenerator) -> Option<&'a Value> {
    let name = reference.strip_prefix(&*definitions_ref_prefix(generator))?;
    let name = percent_decoded(name)?;
    let name = name.replace("~1", "/").replace("~0", "~");
    generator.definitions().get(&name)
}

/// `text` with its `%XX` escapes decoded; `None` when that is not UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        let escaped = (byte == b'%')
            .then(|| tail.get(..2))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) => {
                bytes.push(decoded);
                rest = &tail[2..];
            }
            None => {
                bytes.push(byte);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// `schema`, or `null`: a nullable attribute's values after the field's own items
/// (`#[schemars(extend("enum" = [...]))]`, `transform = ...`), which may have left `null`
/// out, whereas the patch reads and writes `null` as a clear of the attribute whatever they
/// say (RFC 7396 §2). A schema that surely takes `null` already stays as it is; another is
/// the first branch of an `anyOf` whose second is `null` (JSON Schema 2020-12, Core
/// §10.2.1.2), as schemars writes an `Option` of a schema that it cannot add `null` to.
pub(super) fn admit_null(schema: Schema, generator: &mut SchemaGenerator) -> Schema {
    if surely_takes_null(schema.as_value(), generator) {
        return schema;
    }
    let null = <() as schemars::JsonSchema>::json_schema(generator);
    Schema::from(
        [(
            "anyOf".to_owned(),
            Value::Array(vec![schema.to_value(), null.to_value()]),
        )]
        .into_iter()
        .collect::<Map<String, Value>>(),
    )
}

/// `schema`, and not `null`.
pub(super) fn refuse_null(schema: Schema) -> Schema {
    let mut object = match schema.to_value() {
        Value::Object(object) if !object.contains_key("not") => object,
        Value::Bool(true) => Map::new(),
        other => {
            let mut object = Map::new();
            object.insert("allOf".to_owned(), Value::Array(vec![other]));
            object
        }
    };
    object.insert("not".to_owned(), serde_json::json!({ "type": "null" }));
    Schema::from(object)
}

#[cfg(test)]
mod tests {
    use schemars::SchemaGenerator;
    use serde_json::json;

    use super::{may_be_null, surely_takes_null};

    #[test]
    fn null_may_pass_unless_a_keyword_refuses_it() {
        let generator = SchemaGenerator::default();
        let may = |schema| may_be_null(&schema, &generator);
        for schema in [
            json!(true),
            json!({}),
            json!({"minLength": 2, "format": "email"}),
            json!({"type": ["string", "null"]}),
            json!({"enum": ["a", null]}),
            json!({"const": null}),
            // Only the `not` that `refuse_null` writes is read.
            json!({"not": {"const": null}}),
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            json!({"oneOf": [{"type": "string"}, {}]}),
            json!({"allOf": [{}, {"type": "null"}]}),
            json!({"if": {"type": "null"}, "then": false}),
            // A definition that the generator does not hold.
            json!({"$ref": "#/$defs/Missing"}),
        ] {
            assert!(may(schema.clone()), "{schema}");
        }
        for schema in [
            json!(false),
            json!({"type": "string"}),
            json!({"enum": ["a"]}),
            json!({"const": 3}),
            json!({"not": {"type": "null"}}),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            json!({"oneOf": []}),
            json!({"allOf": [{"type": "null"}, {"type": "string"}]}),
            json!({"type": ["string", "null"], "const": "a"}),
        ] {
            assert!(!may(schema.clone()), "{schema}");
        }
    }

    #[test]
    fn null_is_sure_only_where_every_keyword_takes_it() {
        let generator = SchemaGenerator::default();
        let sure = |schema| surely_takes_null(&schema, &generator);
        assert!(sure(json!(true)));
        assert!(sure(json!({"type": ["string", "null"], "minLength": 2})));
        assert!(sure(
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
        ));
        assert!(sure(
            json!({"oneOf": [{"type": "string"}, {"const": null}]})
        ));
        assert!(sure(json!({"not": {"type": "string"}})));
        assert!(!sure(
            json!({"type": ["string", "null"], "enum": ["a", "b"]})
        ));
        assert!(!sure(json!({"const": 3})));
        // Two branches that take `null`: `oneOf` refuses it.
        assert!(!sure(json!({"oneOf": [{"type": "null"}, {}]})));
        assert!(!sure(json!({"not": {"const": null}})));
        assert!(!sure(json!({"if": {"type": "null"}, "then": false})));
        // A definition that the generator does not hold.
        assert!(!sure(json!({"$ref": "#/$defs/Missing"})));
    }

    /// The sure walk reads a `not` by whether its schema may take `null` (a schema that
    /// may take it, with an `if` it does not read, is not surely refused), and each branch of
    /// an `anyOf` by the sure walk: a branch that only may take `null` makes no sure `anyOf`.
    #[test]
    fn null_is_sure_of_a_not_and_an_any_of_only_by_what_they_surely_say() {
        let generator = SchemaGenerator::default();
        let sure = |schema| surely_takes_null(&schema, &generator);
        let unread = json!({"if": {"type": "null"}, "then": false});
        assert!(may_be_null(&unread, &generator));
        assert!(!sure(json!({"not": unread.clone()})));
        assert!(!sure(json!({"anyOf": [unread, {"type": "string"}]})));
    }

    /// Definitions that are `$ref`s to one another are followed as deep as a model's go (a
    /// chain of five reaches its `null`); a ring, which accepts nothing of its own, is past a
    /// depth taken as possibly `null` and not surely.
    #[test]
    fn definitions_are_followed_and_a_ring_of_them_is_not_sure() {
        let mut generator = SchemaGenerator::default();
        let definitions = generator.definitions_mut();
        for (name, target) in [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")] {
            definitions.insert(name.into(), json!({"$ref": format!("#/$defs/{target}")}));
        }
        definitions.insert("E".into(), json!({"type": ["string", "null"]}));
        definitions.insert("Ring1".into(), json!({"$ref": "#/$defs/Ring2"}));
        definitions.insert("Ring2".into(), json!({"$ref": "#/$defs/Ring1"}));
        let chain = json!({"$ref": "#/$defs/A"});
        assert!(surely_takes_null(&chain, &generator));
        assert!(may_be_null(&chain, &generator));
        let ring = json!({"$ref": "#/$defs/Ring1"});
        assert!(!surely_takes_null(&ring, &generator));
        assert!(may_be_null(&ring, &generator));
    }
}
