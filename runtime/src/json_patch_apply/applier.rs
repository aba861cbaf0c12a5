//! [`OperationApplier`]: one document's operations applied one at a time within the copy and
//! depth limits measured once, each failure named by its operation.

use serde_json::Value;

use crate::JsonPatchOperation;
use crate::json_patch_copy_budget::CopyBudget;
use crate::json_patch_depth_limit::DepthLimit;

use super::JsonPatchError;
use super::operations::{Fault, Limits, apply_one};

/// Applies the operations of one document one at a time, within the copy and depth limits
/// that [`apply_json_patch`] measures once, on the document and all the operations, before
/// the first. [`JsonPatchPlan`](crate::JsonPatchPlan) goes on past a failing operation with
/// the same limits (measuring them again after each failure made a plan of n failing
/// operations on a document of size d cost n × (n + d)).
///
/// [`apply_json_patch`]: super::apply_json_patch
pub(crate) struct OperationApplier {
    copy_budget: CopyBudget,
    depth_limit: DepthLimit,
}

impl OperationApplier {
    /// The limits of `operations` applied to `document`.
    pub(crate) fn new(document: &Value, operations: &[JsonPatchOperation]) -> Self {
        #[cfg(test)]
        LIMITS_MEASURED.with(|measured| measured.set(measured.get() + 1));
        OperationApplier {
            copy_budget: CopyBudget::new(document, operations),
            depth_limit: DepthLimit::new(document, operations),
        }
    }

    /// Applies `operation`, the one at `index` of the operations, to `document`.
    ///
    /// # Errors
    ///
    /// As [`apply_json_patch`]'s, for this operation; `document` is then as it was.
    ///
    /// [`apply_json_patch`]: super::apply_json_patch
    pub(crate) fn apply(
        &mut self,
        document: &mut Value,
        index: usize,
        operation: &JsonPatchOperation,
    ) -> Result<(), JsonPatchError> {
        let limits = Limits {
            copy_budget: &mut self.copy_budget,
            depth_limit: &mut self.depth_limit,
        };
        apply_one(document, operation, limits).map_err(|fault| match fault {
            Fault::At(fault) => {
                let (op, path, from) = names(operation);
                JsonPatchError::Operation {
                    index,
                    op,
                    path: path.to_owned(),
                    from: from.map(str::to_owned),
                    fault,
                }
            }
            Fault::CopyLimit { copied, limit } => JsonPatchError::CopyLimit {
                index,
                copied,
                limit,
            },
            Fault::DepthLimit { depth, limit } => JsonPatchError::DepthLimit {
                index,
                depth,
                limit,
            },
        })
    }
}

#[cfg(test)]
thread_local! {
    /// How many times this thread measured the limits of operations ([`OperationApplier::new`]
    /// walks the document and every operation's value): a plan's test counts them.
    pub(crate) static LIMITS_MEASURED: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

/// The `op`, `path` and `from` of an operation, for its error.
fn names(operation: &JsonPatchOperation) -> (&'static str, &str, Option<&str>) {
    match operation {
        JsonPatchOperation::Add { path, .. } => ("add", path, None),
        JsonPatchOperation::Remove { path } => ("remove", path, None),
        JsonPatchOperation::Replace { path, .. } => ("replace", path, None),
        JsonPatchOperation::Move { from, path } => ("move", path, Some(from)),
        JsonPatchOperation::Copy { from, path } => ("copy", path, Some(from)),
        JsonPatchOperation::Test { path, .. } => ("test", path, None),
    }
}
