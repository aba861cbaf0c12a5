// serde's items written inside `#[patchable(...)]`, as peer derives take them in their own
// attribute (partially's `rename`, struct-patch's `attribute(...)`): the patch carries the
// model's `#[serde(...)]`, and the message says so.
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[patchable(rename_all = "camelCase", attribute(derive(Eq)))]
#[patchable(expecting = "a user", default)]
struct User {
    #[patchable(rename = "nick")]
    nickname: Option<String>,
    #[patchable(flatten)]
    extra: std::collections::HashMap<String, String>,
    #[patchable(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[patchable(attributes(serde(default)), alias = "given_name")]
    given: Option<String>,
}

fn main() {}
