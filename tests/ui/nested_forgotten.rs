// A struct that derives `Patchable`, held by a plain field: `nested` forgotten. With the
// feature `schemars` the first error is the missing schema, and its note points at `nested`.
use sparse_patch::Patchable;

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct Spec {
    replicas: u32,
}

#[derive(Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
struct Deployment {
    name: String,
    spec: Spec,
}

fn main() {}
