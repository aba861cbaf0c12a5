// RFC 6902 has six operations and the crate reads all six; an extension may be read one day,
// so a match on the six alone does not compile: it needs a wildcard arm.
use sparse_patch::JsonPatchOperation;

fn path(operation: &JsonPatchOperation) -> &str {
    match operation {
        JsonPatchOperation::Add { path, .. }
        | JsonPatchOperation::Remove { path }
        | JsonPatchOperation::Replace { path, .. }
        | JsonPatchOperation::Move { path, .. }
        | JsonPatchOperation::Copy { path, .. }
        | JsonPatchOperation::Test { path, .. } => path,
    }
}

fn main() {
    let _ = path;
}
