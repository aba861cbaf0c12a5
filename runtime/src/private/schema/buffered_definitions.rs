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
//! definition instead, `Name_buffered`, without them, which the generator names as it names
//! the user's types (`Name_buffered2` beside a type of the user's named `Name_buffered`).

use std::collections::{BTreeMap, BTreeSet};

use schemars::SchemaGenerator;
use serde_json::Value;

use super::buffered_values::as_read_from_buffer;
use super::definitions_ref_prefix;
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
    let prefix = definitions_ref_prefix(generator);
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
    // Each copy's name, which schemars gives (see `BufferedCopy`).
    let originals: Vec<(String, Value)> = copied
        .iter()
        .map(|name| ((*name).to_owned(), definitions[*name].clone()))
        .collect();
    let mut to_copy = BTreeMap::new();
    let mut copies = Vec::new();
    for (name, definition) in originals {
        let copy_name = copy_name(generator, &name, &prefix);
        to_copy.insert(
            format!("{prefix}{}", encode_ref_name(&name)),
            format!("{prefix}{}", encode_ref_name(&copy_name)),
        );
        copies.push((copy_name, definition));
    }
    for (copy_name, mut definition) in copies {
        as_read_from_buffer(&mut definition);
        rewrite_refs(&mut definition, &to_copy);
        generator.definitions_mut().insert(copy_name, definition);
    }
    rewrite_refs(schema, &to_copy);
}

std::thread_local! {
    /// The name of the definition that [`BufferedCopy`] stands for while the generator
    /// names its copy.
    static COPY_OF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The copy of the definition named [`COPY_OF`], as a type of its own to schemars, so that
/// the generator names it as it names the user's types: `Name_buffered`, or
/// `Name_buffered2` where a type of the user's already holds that name, and keeps that name
/// from a type of the user's so named that it describes later (which then gets a number).
/// Its schema here is a placeholder, which [`refer_to_buffered_copies`] replaces.
struct BufferedCopy;

impl schemars::JsonSchema for BufferedCopy {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        COPY_OF.with_borrow(|name| format!("{name}_buffered").into())
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        // No Rust path starts so (it holds spaces): no type of the user's has this id.
        COPY_OF.with_borrow(|name| format!("sparse_patch buffered copy of {name}").into())
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> schemars::Schema {
        schemars::Schema::default()
    }
}

/// The name of the copy of the definition `name` in the generator's definitions: the one
/// that the generator gives [`BufferedCopy`] (the same on each call), or, where it writes
/// subschemas inline (`inline_subschemas`, whose definitions hold the recursive types alone),
/// `Name_buffered`.
fn copy_name(generator: &mut SchemaGenerator, name: &str, prefix: &str) -> String {
    COPY_OF.set(name.to_owned());
    let reference = generator.subschema_for::<BufferedCopy>();
    COPY_OF.take();
    let reference = reference.get("$ref").and_then(Value::as_str);
    generator
        .definitions()
        .keys()
        .find(|held| reference == Some(&format!("{prefix}{}", encode_ref_name(held))))
        .cloned()
        .unwrap_or_else(|| format!("{name}_buffered"))
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
