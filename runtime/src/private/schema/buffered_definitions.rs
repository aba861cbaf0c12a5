//! Named definitions as serde reads them from a flattened field's buffer: a copy of each
//! definition that reads there otherwise than directly, somewhere (an integer key, a 128-bit
//! integer, `buffered_values.rs`), which reads as the buffer does.
//!
//! serde reads a struct flattened into another from the parent's buffered entries (its
//! `Content`), whose map keys are strings that it reads into no integer type
//! (serde-rs/serde#1183), and which holds no 128-bit integer. A field type with a name (a
//! struct of the user's that derives `JsonSchema`) is a `$ref` to its definition, which
//! direct reading shares, and whose maps keyed by an integer (schemars' `patternProperties`
//! `^\d+$` or `^-?\d+$` beside `"additionalProperties": false`) take such keys, and whose
//! `i128` and `u128` take numbers. Read from the buffer, the schema refers to a copy of that
//! definition instead, `Name_buffered`, without them.

use std::collections::{BTreeMap, BTreeSet};

use schemars::SchemaGenerator;
use serde_json::Value;

use super::buffered_values::as_read_from_buffer;
use super::map_keys::for_each_subschema;

/// `schema`, the schema of a value that serde reads from a flattened field's buffer and
/// which [`as_read_from_buffer`] made so already, with each `$ref` to a definition of
/// `generator` that reads otherwise from the buffer (an integer key, a 128-bit integer),
/// itself or through the definitions it refers to (at any depth, its own recursion
/// included), made a `$ref` to a copy of it as read from the buffer, which this adds to the
/// generator's definitions (once: a later call refers to the same copy). A definition that
/// reads as directly is shared, and so is one that the generator is still writing (a `$ref`
/// to a type that holds this patch): its text is not there yet.
pub(super) fn refer_to_buffered_copies(schema: &mut Value, generator: &mut SchemaGenerator) {
    let prefix = definitions_prefix(generator);
    let definitions = generator.definitions();
    // The definitions reached from `schema`, by the `$ref` that names them.
    let by_ref: BTreeMap<String, &str> = definitions
        .keys()
        .map(|name| (format!("{prefix}{}", encode_ref_name(name)), name.as_str()))
        .collect();
    let mut reached: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut pending: Vec<&str> = refs_in(schema)
        .iter()
        .filter_map(|reference| by_ref.get(reference).copied())
        .collect();
    while let Some(name) = pending.pop() {
        if reached.contains_key(name) {
            continue;
        }
        let targets: BTreeSet<&str> = refs_in(&definitions[name])
            .iter()
            .filter_map(|reference| by_ref.get(reference).copied())
            .collect();
        pending.extend(&targets);
        reached.insert(name, targets);
    }
    // Those that read otherwise from the buffer themselves, then those that refer to one.
    let mut copied: BTreeSet<&str> = reached
        .keys()
        .copied()
        .filter(|name| {
            let mut copy = definitions[*name].clone();
            as_read_from_buffer(&mut copy);
            copy != definitions[*name]
        })
        .collect();
    loop {
        let more: Vec<&str> = reached
            .iter()
            .filter(|(name, targets)| {
                !copied.contains(*name) && targets.iter().any(|target| copied.contains(target))
            })
            .map(|(name, _)| *name)
            .collect();
        if more.is_empty() {
            break;
        }
        copied.extend(more);
    }
    if copied.is_empty() {
        return;
    }
    // Each copy's name: `Name_buffered`, or with a number where another definition holds
    // that name (a type of the user's so named).
    let copies: BTreeMap<String, (String, Value)> = copied
        .iter()
        .map(|name| {
            let definition = definitions[*name].clone();
            let base = format!("{name}_buffered");
            let mut copy_name = base.clone();
            let mut number = 2;
            while definitions
                .get(&copy_name)
                .is_some_and(|held| !same_copy(held, &definition))
            {
                copy_name = format!("{base}{number}");
                number += 1;
            }
            let reference = format!("{prefix}{}", encode_ref_name(name));
            (reference, (copy_name, definition))
        })
        .collect();
    let to_copy: BTreeMap<String, String> = copies
        .iter()
        .map(|(reference, (copy_name, _))| {
            (
                reference.clone(),
                format!("{prefix}{}", encode_ref_name(copy_name)),
            )
        })
        .collect();
    for (copy_name, mut definition) in copies.into_values() {
        as_read_from_buffer(&mut definition);
        rewrite_refs(&mut definition, &to_copy);
        generator.definitions_mut().insert(copy_name, definition);
    }
    rewrite_refs(schema, &to_copy);
}

/// Whether `held`, a definition of the generator, is the copy that
/// [`refer_to_buffered_copies`] writes of `definition`: its text as read from the buffer, but
/// for the `$ref`s, which name other copies.
fn same_copy(held: &Value, definition: &Value) -> bool {
    let mut copy = definition.clone();
    as_read_from_buffer(&mut copy);
    without_refs(&copy) == without_refs(held)
}

/// `schema` with every `$ref` of it and its subschemas empty.
fn without_refs(schema: &Value) -> Value {
    fn empty(schema: &mut Value) {
        let Value::Object(object) = schema else {
            return;
        };
        if let Some(reference) = object.get_mut("$ref") {
            *reference = Value::String(String::new());
        }
        for_each_subschema(object, empty);
    }
    let mut schema = schema.clone();
    empty(&mut schema);
    schema
}

/// The `$ref`s of `schema` and of its subschemas (those that [`as_read_from_buffer`]
/// reaches).
fn refs_in(schema: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    let mut schema = schema.clone();
    collect_refs(&mut schema, &mut refs);
    refs
}

fn collect_refs(schema: &mut Value, refs: &mut Vec<String>) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(Value::String(reference)) = object.get("$ref") {
        refs.push(reference.clone());
    }
    for_each_subschema(object, |child| collect_refs(child, refs));
}

/// `schema` with each `$ref` that `to_copy` maps made the one it maps to.
fn rewrite_refs(schema: &mut Value, to_copy: &BTreeMap<String, String>) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(Value::String(reference)) = object.get_mut("$ref")
        && let Some(copy) = to_copy.get(reference.as_str())
    {
        reference.clone_from(copy);
    }
    for_each_subschema(object, |child| rewrite_refs(child, to_copy));
}

/// The start of a `$ref` to one of the generator's definitions: `#/$defs/` by default,
/// `#/components/schemas/` under OpenAPI (its `definitions_path`, as schemars writes it).
fn definitions_prefix(generator: &SchemaGenerator) -> String {
    let path = &*generator.settings().definitions_path;
    let path = path.strip_prefix('#').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    format!("#{path}/")
}

/// A definition's name as a `$ref` writes it: a JSON Pointer segment (RFC 6901 §3: `~0`,
/// `~1`) in a URI fragment (RFC 3986 §3.5, percent-encoded), as schemars 1 encodes it
/// (`encoding::encode_ref_name`, which it does not export), so that the `$ref`s it writes
/// are found.
fn encode_ref_name(name: &str) -> String {
    let mut encoded = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b'~' => encoded.push_str("~0"),
            b'/' => encoded.push_str("~1"),
            b'!' | b'$' | b'&'..=b';' | b'=' | b'?'..=b'Z' | b'_' | b'a'..=b'z' => {
                encoded.push(char::from(byte));
            }
            // schemars' own padding (`{byte:2X}`): its `$ref`s are matched as it writes them.
            _ => encoded.push_str(&format!("%{byte:2X}")),
        }
    }
    encoded
}
