// The usual serde enum shape, `tag` and `content`: the derive says that an enum has no patch,
// and nothing of the attributes, which are right for an enum (they were refused with advice
// for a struct: "a tagged struct writes a tag attribute ...").
use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
enum Credential {
    Password { hash: String },
    Key(String),
}

fn main() {}
