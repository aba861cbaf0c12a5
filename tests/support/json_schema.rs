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

thread_local! {
    /// The compiled schemas, per patch type and direction (`true`: writing): a proptest law
    /// compiles each once.
    static VALIDATORS: std::cell::RefCell<
        std::collections::HashMap<(std::any::TypeId, bool), std::rc::Rc<Validator>>,
    > = std::cell::RefCell::default();
}

/// `T`'s schema of reading (`serialize: false`) or of writing, compiled once a thread.
pub fn validator_of<T: schemars::JsonSchema + 'static>(serialize: bool) -> std::rc::Rc<Validator> {
    VALIDATORS.with_borrow_mut(|validators| {
        validators
            .entry((std::any::TypeId::of::<T>(), serialize))
            .or_insert_with(|| std::rc::Rc::new(Validator::new(schema_of::<T>(serialize))))
            .clone()
    })
}

/// `T`'s schema of reading accepts `json` exactly when serde reads it, and what serde read
/// it writes as the schema of writing says; else what differs, as text.
pub fn serde_and_schemas_agree<T>(json: &Value) -> Result<(), String>
where
    T: schemars::JsonSchema + serde::de::DeserializeOwned + serde::Serialize + 'static,
{
    let name = std::any::type_name::<T>();
    let read = serde_json::from_value::<T>(json.clone());
    let schema = validator_of::<T>(false).accepts(json);
    if read.is_ok() != schema {
        let serde = read.is_ok();
        return Err(format!(
            "{name}: serde reads {serde}, schema accepts {schema}: {json}"
        ));
    }
    if let Ok(patch) = read {
        let written = serde_json::to_value(&patch).map_err(|error| error.to_string())?;
        if !validator_of::<T>(true).accepts(&written) {
            return Err(format!(
                "{name}: written {written} (read from {json}) does not validate"
            ));
        }
    }
    Ok(())
}
