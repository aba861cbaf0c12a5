use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize)]
struct Opaque(u8);

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct Holder {
    opaque: Opaque,
}

fn main() {
    let a = Holder { opaque: Opaque(1) };
    let b = Holder { opaque: Opaque(2) };
    let _ = a.diff(&b);
}

// The schema of the feature `schemars` (on with `--all-features`), which this case is not about.
impl schemars::JsonSchema for Opaque {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Opaque".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer" })
    }
}
