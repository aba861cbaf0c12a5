// openapi-generator boxes every referenced model (`Option<Box<models::Category>>`, and
// `Box<models::Category>` where it is required): `nested` takes the struct itself, and the
// message says how to write the field.
use sparse_patch::Patchable;

mod models {
    #[derive(sparse_patch::Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
    pub struct Category {
        pub id: Option<i64>,
        pub name: Option<String>,
    }
}

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pet {
    #[serde(rename = "category", skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub category: Option<Box<models::Category>>,
    #[patchable(nested)]
    pub owner: Box<models::Category>,
}

fn main() {}
