// Stripe-style objects name their type in a tag; on a struct serde writes it as a key.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(tag = "object", rename = "customer")]
pub struct Customer {
    pub email: Option<String>,
}

fn main() {}
