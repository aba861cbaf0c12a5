// The runtime's path does not resolve, as when `sparse-patch` is renamed in Cargo.toml and
// `#[patchable(crate = "...")]` is missing or wrong: one error per derive, at the path, not a
// wall of follow-on errors at the `#[derive]` line (`__S::Ok`, `Self::Patch` ...). A patch
// with serde's derives adds rustc's own note that `#[serde]` has no derive.
use sparse_patch::Patchable;

/// A patch with the derive's own serde code.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(crate = "::sparse_patch_renamed")]
pub struct Own {
    pub name: String,
    pub nick: Option<String>,
    pub labels: std::collections::HashMap<String, String>,
}

/// A patch with serde's derives.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(crate = "::sparse_patch_renamed")]
pub struct Derived<T> {
    pub name: T,
    pub labels: std::collections::HashMap<String, T>,
    #[patchable(nested)]
    pub inner: Option<Own>,
}

fn main() {}
