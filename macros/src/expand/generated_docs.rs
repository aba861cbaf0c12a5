//! The rustdoc of the generated items, read from the expansion: what each setter says the patch
//! sends, the model's field docs as the patch carries them, and the model's `#[doc(hidden)]`,
//! `#[deprecated]` and `#[non_exhaustive]` on the items made from it.

use super::derive;

/// The expansion of `#[derive(Patchable)]` on `model`, as text.
fn expand(model: &str) -> String {
    let input = syn::parse_str(model).expect("a struct");
    derive(&input).expect("an expansion").to_string()
}

/// The doc attribute and header of the generated item whose header holds `item`
/// (`fn clear_note`), as text from the preceding `#[doc]` on.
fn item_with_attrs<'e>(expansion: &'e str, item: &str) -> &'e str {
    let at = expansion
        .find(item)
        .unwrap_or_else(|| panic!("no `{item}` in {expansion}"));
    let start = expansion[..at].rfind("# [doc").expect("a doc attribute");
    &expansion[start..at + item.len()]
}

#[test]
fn a_flattened_fields_setter_says_its_attributes_sit_in_the_patch() {
    let expansion = expand(
        "struct User {
            name: Option<String>,
            #[serde(flatten)]
            #[patchable(nested)]
            meta: Meta,
            #[serde(flatten)]
            custom: std::collections::BTreeMap<String, serde_json::Value>,
        }",
    );
    for setter in ["fn custom (", "fn meta ("] {
        let doc = item_with_attrs(&expansion, setter);
        assert!(!doc.contains("\\\"custom\\\": value"), "{doc}");
        assert!(!doc.contains("\\\"meta\\\": value"), "{doc}");
        assert!(doc.contains("flatten"), "{doc}");
    }
    let doc = item_with_attrs(&expansion, "fn clear_custom_entry (");
    assert!(doc.contains("among"), "{doc}");
}

/// `.clear_labels().labels_entry("env", "prod")` sends `{"labels": {"env": "prod"}}`, which
/// merges into the map that the target holds: the entry setter drops the pending `null`, and
/// its doc said only that it kept the patch's other entries.
#[test]
fn a_nullable_maps_entry_setters_say_what_becomes_of_a_clear() {
    let expansion = expand(
        "struct User {
            labels: Option<std::collections::BTreeMap<String, String>>,
            tags: std::collections::BTreeMap<String, String>,
        }",
    );
    for setter in ["fn labels_entry (", "fn clear_labels_entry ("] {
        let doc = item_with_attrs(&expansion, setter);
        assert!(doc.contains("clear_labels()"), "{doc}");
        assert!(doc.contains("in a patch of its own"), "{doc}");
    }
    let doc = item_with_attrs(&expansion, "fn tags_entry (");
    assert!(!doc.contains("clear_tags()"), "{doc}");
}

#[test]
fn a_never_written_fields_setters_do_not_say_the_patch_sends_it() {
    let expansion = expand(
        "struct User {
            #[serde(skip_serializing)]
            password: Option<String>,
        }",
    );
    for setter in ["fn password (", "fn clear_password ("] {
        let doc = item_with_attrs(&expansion, setter);
        assert!(!doc.contains("sends"), "{doc}");
        assert!(doc.contains("skip_serializing"), "{doc}");
    }
}

#[test]
fn a_hidden_model_has_a_hidden_patch_and_a_hidden_field_hidden_setters() {
    let expansion = expand(
        "#[doc(hidden)]
        pub struct Internal {
            pub name: Option<String>,
        }",
    );
    let patch = item_with_attrs(&expansion, "pub struct InternalPatch");
    assert!(patch.contains("doc (hidden)"), "{patch}");
    let expansion = expand(
        "#[doc(alias = \"internal\", hidden)]
        pub struct Internal {
            pub name: Option<String>,
        }",
    );
    let patch = item_with_attrs(&expansion, "pub struct InternalPatch");
    assert!(patch.contains("hidden"), "{patch}");

    let expansion = expand(
        "pub struct User {
            pub name: Option<String>,
            #[doc(hidden)]
            pub internal: Option<String>,
        }",
    );
    for setter in ["fn internal (", "fn clear_internal ("] {
        let doc = item_with_attrs(&expansion, setter);
        assert!(doc.contains("doc (hidden)"), "{doc}");
    }
    let doc = item_with_attrs(&expansion, "fn clear_name (");
    assert!(!doc.contains("hidden"), "{doc}");
}

#[test]
fn a_deprecated_fields_setters_and_a_deprecated_models_patch_are_deprecated() {
    let expansion = expand(
        "pub struct User {
            #[deprecated = \"use name\"]
            pub old_name: Option<String>,
            pub name: Option<String>,
        }",
    );
    for item in ["fn old_name (", "fn clear_old_name (", "pub old_name :"] {
        let doc = item_with_attrs(&expansion, item);
        assert!(doc.contains("deprecated = \"use name\""), "{doc}");
    }
    let doc = item_with_attrs(&expansion, "fn clear_name (");
    assert!(!doc.contains("deprecated ="), "{doc}");

    let expansion = expand(
        "#[deprecated(note = \"use User\")]
        pub struct OldUser {
            pub name: Option<String>,
        }",
    );
    let patch = item_with_attrs(&expansion, "pub struct OldUserPatch");
    assert!(
        patch.contains("deprecated (note = \"use User\")"),
        "{patch}"
    );
}

#[test]
fn a_fields_doc_links_through_self_name_the_model_in_the_patch() {
    let expansion = expand(
        "pub struct Linked<T> {
            /// Checked by [`Self::validate`], [Self::check](Self::check) and [`Self`]; see
            /// [`Linked::validate`], and `Self::value` in code.
            ///
            /// [check]: Self::check
            pub email: Option<T>,
        }",
    );
    let start = expansion.find("pub struct LinkedPatch").expect("the patch");
    let end = start + expansion[start..].find("pub email :").expect("the field");
    let field = &expansion[start..end];
    assert!(!field.contains("[`Self"), "{field}");
    assert!(!field.contains("(Self::"), "{field}");
    assert!(!field.contains("]: Self::"), "{field}");
    assert!(field.contains("[`Linked::validate`]"), "{field}");
    assert!(field.contains("[Linked::check](Linked::check)"), "{field}");
    assert!(field.contains("[`Linked`]"), "{field}");
    assert!(field.contains("[check]: Linked::check"), "{field}");
    assert!(field.contains("`Self::value` in code"), "{field}");
}

#[test]
fn a_non_exhaustive_models_patch_is_non_exhaustive() {
    let expansion = expand(
        "#[non_exhaustive]
        pub struct User {
            pub name: Option<String>,
        }",
    );
    let patch = item_with_attrs(&expansion, "pub struct UserPatch");
    assert!(patch.contains("# [non_exhaustive]"), "{patch}");
}

/// A field doc written with `concat!` (clap's and poem-openapi's users build docs so, poem#1147):
/// its `Self` links were carried into the patch as written, where `Self` is the patch
/// (rustdoc: "unresolved link to `Self::check`: the struct `UserPatch` has no field or
/// associated item named `check`", an error under `-D warnings`), and its text was missing
/// from the schema's description.
#[test]
fn a_concat_doc_has_its_self_links_named_after_the_model() {
    let expansion = expand(
        "pub struct User {
            #[doc = concat!(\"Checked by [`Self::check`], \", 3, \" times; [`Self\", \"::name`].\")]
            pub email: Option<String>,
            #[doc = concat!(\"From \", env!(\"CARGO_PKG_NAME\"), \", see [`Self::check`].\")]
            pub name: Option<String>,
            #[doc = include_str!(\"name.md\")]
            pub other: Option<String>,
        }",
    );
    let start = expansion.find("pub struct UserPatch").expect("the patch");
    let email = start + expansion[start..].find("pub email :").expect("the field");
    let doc = &expansion[start..email];
    assert!(
        doc.contains("\"Checked by [`User::check`], 3 times; [`User::name`].\""),
        "{doc}"
    );
    let name = start + expansion[start..].find("pub name :").expect("the field");
    let doc = &expansion[email..name];
    assert!(doc.contains("env ! (\"CARGO_PKG_NAME\")"), "{doc}");
    assert!(doc.contains("\", see [`User::check`].\""), "{doc}");
    assert!(!doc.contains("Self"), "{doc}");
    let other = start + expansion[start..].find("pub other :").expect("the field");
    assert!(
        expansion[name..other].contains("include_str ! (\"name.md\")"),
        "{}",
        &expansion[name..other]
    );
    // The schema's description of the key: the joined text, as rustdoc reads it.
    assert!(
        expansion.contains("\"Checked by [`Self::check`], 3 times; [`Self::name`].\" =>"),
        "{expansion}"
    );
}
