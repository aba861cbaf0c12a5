//! The derive's reports of mistakes in its attributes: every mistake of one attribute, values
//! of the wrong kind, raw names, and the items after a mistake or a list still read.

use crate::expand::derive;
/// The messages of the errors that the derive reports for `source`.
fn errors_of(source: &str) -> Vec<String> {
    let input = syn::parse_str::<syn::DeriveInput>(source).expect("a struct");
    match derive(&input) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|error| error.to_string()).collect(),
    }
}

#[test]
fn every_mistake_inside_one_patchable_attribute_is_reported() {
    let errors = errors_of(
        "#[patchable(nme = \"UserPatch\", name = \"1x\", crat = \"x\")]
         struct User {
             #[patchable(skp, nested = 1, frobnicate(x), map)]
             nickname: Option<String>,
         }",
    );
    for expected in [
        "`nme`",
        "`name` must be a struct name",
        "`crat`",
        "`skp`",
        "`nested` takes no value",
        "`frobnicate`",
    ] {
        assert!(
            errors.iter().any(|error| error.contains(expected)),
            "no error about {expected} among {errors:#?}"
        );
    }
}

#[test]
fn a_raw_patch_name_is_written_without_its_r_hash() {
    let input = syn::parse_str::<syn::DeriveInput>(
        "#[patchable(name = \"r#Patch\")] struct User { a: Option<String> }",
    )
    .expect("a struct");
    let expansion = derive(&input).expect("an expansion").to_string();
    // `Debug`, serde's struct name, the `expecting` message and the schema's name.
    assert!(!expansion.contains("\"r#Patch"), "{expansion}");
    assert!(expansion.contains("\"Patch\""), "{expansion}");
}

#[test]
fn a_value_of_the_wrong_kind_is_reported_with_the_items_after_it() {
    let errors = errors_of(
        "#[patchable(name = 1, derive(1), crate, unknown)]
         struct User {
             #[patchable(key = 1, nested = 1, frobnicate)]
             tags: Vec<Tag>,
         }",
    );
    for expected in [
        "`name` takes a string: write `name = \"UserPatch\"`",
        "`derive` takes a list of traits: write `derive(Eq, Hash)`",
        "`crate` takes a string: write `crate = \"::sparse_patch\"`",
        "`unknown`",
        "`key` takes a string: write `key = \"type\"`",
        "`nested` takes no value",
        "`frobnicate`",
    ] {
        assert!(
            errors.iter().any(|error| error.contains(expected)),
            "no error about {expected} among {errors:#?}"
        );
    }
}

#[test]
fn raw_names_are_compared_as_the_names_they_spell() {
    let errors = errors_of("#[patchable(name = \"r#User\")] struct User { a: u8 }");
    assert!(
        errors
            .iter()
            .any(|error| error.contains("a name other than the model's")),
        "{errors:#?}"
    );
    let errors = errors_of("struct User<'r#de> { a: &'r#de str }");
    assert!(
        errors.iter().any(|error| error.contains("`'de`")),
        "{errors:#?}"
    );
}

#[test]
fn a_list_value_does_not_hide_the_items_after_it() {
    let errors = errors_of(
        "struct User {
             #[patchable(frobnicate(x), key = type, map = (a, b), wrong)]
             tags: Vec<Tag>,
         }",
    );
    assert!(
        !errors
            .iter()
            .any(|error| error.contains("unexpected token")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|error| error.contains("`wrong`")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|error| error.contains("`key` takes a string")),
        "{errors:#?}"
    );
}

#[test]
fn doc_hidden_after_a_list_hides_the_setters() {
    let input = syn::parse_str::<syn::DeriveInput>(
        "struct User { #[doc(cfg(feature = \"x\"), hidden)] a: Option<u8> }",
    )
    .expect("a struct");
    let expansion = derive(&input).expect("an expansion").to_string();
    let setter = expansion.find("fn clear_a").expect("a clear setter");
    let before = &expansion[..setter];
    let doc = before.rfind("# [doc =").expect("a doc");
    assert!(before[doc..].contains("hidden"), "{}", &before[doc..]);
}

/// `#[schemars(with = ...)]` on a field, which this derive reads for the patch's schema: where
/// the model does not derive `JsonSchema` (the attribute serving the patch alone), no other
/// derive reads it, and a value that is no type (`"Vec<"`, `5`) or a second `with` was dropped
/// without a word, the patch's schema then the field type's own.
#[test]
fn a_malformed_schemars_with_is_reported() {
    let errors = errors_of(
        "struct User {
             #[schemars(with = \"Vec<\")]
             a: u8,
             #[schemars(with = 5, description = \"kept\")]
             b: u8,
             #[schemars(with = \"u8\", with = \"String\")]
             c: u8,
             #[schemars(with)]
             d: u8,
             #[schemars(description = \"x\", with = \"Option<u8>\", extend(\"x\" = 1))]
             e: Option<u8>,
         }",
    );
    for expected in [
        "`Vec<` is not a type",
        "`with` takes a type in a string",
        "duplicate schemars attribute `with`",
    ] {
        assert!(
            errors.iter().any(|error| error.contains(expected)),
            "no error about {expected} among {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 4, "{errors:#?}");
}

/// schemars' `#[schemars(schema_with = "function")]` is read as `with` is: a value that is no
/// path in a string, or a second item beside `with`, is a compile error (the field's schema is
/// one type's or one function's), and a well-formed one is none.
#[test]
fn a_malformed_schemars_schema_with_is_reported() {
    let errors = errors_of(
        "struct User {
             #[schemars(schema_with = \"not a path\")]
             a: u8,
             #[schemars(schema_with = conditions)]
             b: u8,
             #[schemars(with = \"u8\", schema_with = \"conditions\")]
             c: u8,
             #[schemars(schema_with = \"crate::schemas::conditions\")]
             d: Vec<u8>,
         }",
    );
    for expected in [
        "`not a path` is not a function's path",
        "`schema_with` takes a function's path in a string",
        "duplicate schemars attribute `schema_with`",
    ] {
        assert!(
            errors.iter().any(|error| error.contains(expected)),
            "no error about {expected} among {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

/// schemars' `example = "function"` (its 0.8 form) and `transform = "function"`, which
/// schemars 1's derive refuses, are refused here too, with its advice: where the model does
/// not derive `JsonSchema`, this derive is their only reader, and a function's name would
/// have been the example (or the transform dropped) without a word.
#[test]
fn a_string_where_schemars_wants_an_expression_is_reported() {
    let errors = errors_of(
        "struct User {
             #[schemars(example = \"make_name\", example = \"Ada Lovelace\", transform = \"mark\")]
             name: String,
         }",
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].contains("write `example = make_name()`"),
        "{errors:#?}"
    );
    assert!(
        errors[1].contains("write `transform = function`"),
        "{errors:#?}"
    );
}
