// serde reads a flattened `Option` of a struct (`None` when none of its keys is there), a
// pattern of API models with optional groups of attributes.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Geo {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Place {
    pub name: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub geo: Option<Geo>,
}

// An `Option` behind an alias, marked `nullable`, is one too.
pub type MaybeGeo = Option<Geo>;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
pub struct Site {
    #[serde(flatten)]
    #[patchable(nullable, nested)]
    pub geo: MaybeGeo,
}

fn main() {}
