//! JSON Schema helpers of the schema tests: a patch's schema under serde's reading or writing,
//! and a JSON Schema 2020-12 validator (`boon`) that this crate does not write.
#![allow(dead_code)]

use schemars::generate::SchemaSettings;
use serde_json::Value;

/// The schema of `T` under serde's reading (`Deserialize`) or writing (`Serialize`).
pub fn schema_of<T: schemars::JsonSchema>(serialize: bool) -> Value {
    let settings = SchemaSettings::draft2020_12();
    let settings = if serialize {
        settings.for_serialize()
    } else {
        settings.for_deserialize()
    };
    settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// A compiled schema, validating with `boon`.
pub struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    pub fn new(schema: Value) -> Self {
        Self::compiled(schema, false)
    }

    /// A validator that asserts `format` (`email`, `uri`, ...), an annotation alone by
    /// default in 2020-12 (Validation §7.2.1).
    pub fn asserting_formats(schema: Value) -> Self {
        Self::compiled(schema, true)
    }

    fn compiled(schema: Value, formats: bool) -> Self {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        if formats {
            compiler.enable_format_assertions();
        }
        compiler
            .add_resource("urn:sparse-patch:schema", schema)
            .expect("the schema is JSON");
        let index = compiler
            .compile("urn:sparse-patch:schema", &mut schemas)
            .expect("the generated schema is a valid JSON Schema 2020-12");
        Validator { schemas, index }
    }

    pub fn accepts(&self, instance: &Value) -> bool {
        self.schemas.validate(instance, self.index).is_ok()
    }
}
