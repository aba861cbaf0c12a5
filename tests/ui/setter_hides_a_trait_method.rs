// Fields named like a method of a trait that the patch implements: the setter, an inherent
// method, would come before the trait's in `PopulationPatch::default()` and `patch.clone()`.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(derive(Hash))]
struct Population {
    // PingOne's populations have `default: bool`.
    default: bool,
    clone: Option<String>,
    then: Option<String>,
    eq: Option<u8>,
    deserialize: Option<u8>,
    to_json_patch: Option<u8>,
    from_scim_patch: Option<u8>,
    from_body: Option<u8>,
    // Only with `derive(Hash)`.
    hash: Option<String>,
    // Not refused: names of blanket impls' methods, and of the model's methods.
    into: Option<String>,
    from: Option<String>,
    apply: Option<String>,
    diff: Option<String>,
    // A `setter` that is itself reserved, or no identifier.
    #[patchable(setter = "is_empty")]
    empty: Option<bool>,
    #[patchable(setter = "type")]
    kind: Option<String>,
    #[patchable(setter = "set-name")]
    name: Option<String>,
}

fn main() {}
