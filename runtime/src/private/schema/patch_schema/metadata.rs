//! The model's and the next field's metadata: description, title, validation items, and
//! `deprecated`.

use schemars::Schema;
use serde_json::{Map, Value};

use super::super::field_schema::integer_ranges;
use super::{PatchSchema, SchemaKeys};

impl PatchSchema<'_> {
    /// The patch's description: the model's doc comment.
    pub fn describe(&mut self, description: &'static str) {
        self.description = Some(description);
    }

    /// The model's `#[schemars(title = ...)]`: the patch's `title`, over the doc comment's
    /// `# Title` (an empty one: none), as schemars' derive gives it to the model's schema.
    pub fn title(&mut self, title: impl Into<String>) {
        self.metadata.title = Some(title.into());
    }

    /// The model's `#[schemars(description = ...)]`: the patch's `description`, over the doc
    /// comment's (an empty one: none), as schemars' derive gives it to the model's schema.
    pub fn description(&mut self, description: impl Into<String>) {
        self.metadata.description = Some(description.into());
    }

    /// The next field's `#[schemars(title = ...)]`: its keys' `title`, over its doc
    /// comment's.
    pub fn field_title(&mut self, title: impl Into<String>) {
        self.field_metadata.title = Some(title.into());
    }

    /// The next field's `#[schemars(description = ...)]`: its keys' `description`, over its
    /// doc comment's.
    pub fn field_description(&mut self, description: impl Into<String>) {
        self.field_metadata.description = Some(description.into());
    }

    /// The next field's validation items (`#[schemars(length(min = 1))]`,
    /// `#[validate(email)]`, `#[garde(pattern(...))]`, ...), as `keywords`, which writes them
    /// into a schema: schemars' derive writes them into the model's schema of the field, and
    /// the patch's schema of the field's values gets them the same way, before `null` is
    /// refused (a required attribute) or the keys described. A flattened field has no schema
    /// of its own that takes them (nor has the model's: schemars' derive drops them there).
    pub fn field_keywords(&mut self, keywords: impl FnOnce(&mut Schema) + 'static) {
        self.field_keywords = Some(Box::new(keywords));
    }

    /// `schema` with the field's validation items written in (see
    /// [`field_keywords`](Self::field_keywords)), which it takes: a second call writes none.
    /// An integer type's range stays the type's where the items state a wider one (see
    /// [`integer_ranges`]).
    pub(super) fn with_field_keywords(&mut self, mut schema: Schema) -> Schema {
        if let Some(keywords) = self.field_keywords.take() {
            keywords(&mut schema);
            schema = integer_ranges(schema, self.generator);
        }
        schema
    }

    /// The model is `#[deprecated]`: so is the patch's schema, `"deprecated": true` (JSON
    /// Schema 2020-12, Validation §9.3), as schemars' derive says of the model's.
    pub fn deprecated(&mut self) {
        self.deprecated = true;
    }

    /// The field under `keys`, described just before, is `#[deprecated]`: its properties say
    /// `"deprecated": true` (JSON Schema 2020-12, Validation §9.3), as schemars' derive says
    /// of the model's; a key of `keys` that a field before it names is that field's and keeps
    /// its own. A flattened field has no property of its own to mark.
    pub fn deprecated_field(&mut self, _keys: SchemaKeys) {
        for name in &self.last_keys {
            if let Some(Value::Object(property)) = self.properties.get_mut(*name) {
                property.insert("deprecated".to_owned(), Value::Bool(true));
            }
        }
    }
}

/// schemars' `title` and `description` items (`#[schemars(title = ..., description = ...)]`),
/// each over the doc comment's part, as schemars' derive reads them.
#[derive(Default)]
pub(super) struct Metadata {
    title: Option<String>,
    description: Option<String>,
}

impl Metadata {
    pub(super) fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none()
    }
}

/// Puts a doc comment's text (`doc`, as the derive reads it: lines joined by line breaks,
/// trimmed) in `object` as schemars' derive does a model's: a first line `# Title` (any number
/// of `#`) is the `title` and the rest the `description`, other text is the `description`
/// whole; schemars' own `title` and `description` items (`metadata`) stand in for either part;
/// an empty one is left out (JSON Schema 2020-12, Validation §9.1). Source: schemars 1,
/// `_private::get_title_and_description` and its derive's `CommonAttrs::add_mutators`.
pub(super) fn insert_title_and_description(
    object: &mut Map<String, Value>,
    doc: Option<&str>,
    metadata: &Metadata,
) {
    let (doc_title, doc_description) = doc.map_or(("", ""), title_and_description);
    let title = metadata.title.as_deref().unwrap_or(doc_title);
    let description = metadata.description.as_deref().unwrap_or(doc_description);
    if !title.is_empty() {
        object.insert("title".to_owned(), title.into());
    }
    if !description.is_empty() {
        object.insert("description".to_owned(), description.into());
    }
}

/// `doc` split into its title (a first line that starts with `#`, without the `#`s) and its
/// description (the rest), each trimmed of ASCII white space.
fn title_and_description(doc: &str) -> (&str, &str) {
    let doc = doc.trim_ascii();
    if doc.starts_with('#') {
        let (title, description) = doc.split_at(doc.find('\n').unwrap_or(doc.len()));
        (
            title.trim_start_matches('#').trim_ascii(),
            description.trim_ascii(),
        )
    } else {
        ("", doc)
    }
}
