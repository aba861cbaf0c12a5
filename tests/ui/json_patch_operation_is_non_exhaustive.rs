// RFC 6902 has six operations and the crate writes three: matching on the three alone would
// break when `move`, `copy` or `test` are added, so a match needs a wildcard arm.
use sparse_patch::JsonPatchOperation;

fn path(operation: &JsonPatchOperation) -> &str {
    match operation {
        JsonPatchOperation::Add { path, .. }
        | JsonPatchOperation::Remove { path }
        | JsonPatchOperation::Replace { path, .. } => path,
    }
}

fn main() {
    let _ = path;
}
