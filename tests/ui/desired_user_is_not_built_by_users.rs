// A `DesiredUser` comes from `parse_line`, which keeps its patch and its attributes in step;
// its fields are read, not written in a struct expression, so that one can be added.
use sparse_patch::pingone::UserPatch;
use sparse_patch::pingone::sync::{DesiredUser, MatchKey};

fn main() {
    let _ = DesiredUser {
        line: 1,
        key: MatchKey::Username("ada".to_owned()),
        patch: UserPatch::default(),
        attributes: serde_json::Map::new(),
    };
}
