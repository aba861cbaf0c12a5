// openapi-generator's Rust output for an attribute that is both optional and nullable.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Incident {
    #[serde(rename = "title")]
    pub title: String,
    #[serde(
        rename = "customer_impact_end",
        default,
        with = "::serde_with::rust::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_impact_end: Option<Option<String>>,
}

fn main() {}
