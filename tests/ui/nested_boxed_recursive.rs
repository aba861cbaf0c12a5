// openapi-generator's recursive model: a `Box` makes the model finite, but the patch would
// hold a patch of its own type, unboxed.
#[derive(sparse_patch::Patchable, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct TreeNode {
    #[serde(rename = "label")]
    pub label: String,
    #[serde(rename = "parent", skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub parent: Option<Box<TreeNode>>,
    #[patchable(nested)]
    pub root: std::sync::Arc<Self>,
}

fn main() {}
