// A map keyed by a type of the user's that lacks `Eq` and `Hash` (or `Ord`, for a `BTreeMap`):
// one error for each at the key, with rustc's advice to derive it. The key's bounds were the
// `MergeMap` impl's, reported again in each impl of the patch whose body needs them (`is_empty`
// through `Patch`, at the `#[derive]` line; an entry setter's `insert`; the check that no key is
// read twice): 7 errors for the `HashMap`. The models derive no `Deserialize` here: serde's derive
// reports the same keys of its own.
use std::collections::{BTreeMap, HashMap};

use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize, PartialEq, Clone)]
pub enum Locale {
    En,
    Fr,
}

#[derive(Patchable, serde::Serialize)]
pub struct Product {
    pub name: String,
    pub localized_names: HashMap<Locale, String>,
}

#[derive(Patchable, serde::Serialize)]
pub struct Catalog {
    pub counts: BTreeMap<Locale, u32>,
}

fn main() {}

// The schema of the feature `schemars` (on with `--all-features`), which this case is not about.
impl schemars::JsonSchema for Locale {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Locale".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "enum": ["En", "Fr"] })
    }
}
