use sparse_patch::Patchable;

type Text = String;
type Count = u8;

// Each field marked `nullable` whose type is not an `Option` behind its alias is reported at
// the field too, not only at the `#[derive]`: two such fields were two errors at one line.
#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(nullable)]
    nickname: Text,
    name: Option<String>,
    #[patchable(nullable)]
    logins: Count,
}

fn main() {}
