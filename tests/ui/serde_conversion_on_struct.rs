// serde's container items that read or write the model as another type (`from`, `try_from`,
// `into`) or derive for a type of another crate (`remote`): the patch cannot know that type's
// attributes, so each is refused at the item.
use sparse_patch::Patchable;

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Wire {
    email: Option<String>,
}

#[derive(Patchable, Clone, serde::Serialize, serde::Deserialize)]
#[serde(from = "Wire", into = "Wire")]
struct Converted {
    email: Option<String>,
}

impl From<Wire> for Converted {
    fn from(wire: Wire) -> Self {
        Converted { email: wire.email }
    }
}

impl From<Converted> for Wire {
    fn from(model: Converted) -> Self {
        Wire { email: model.email }
    }
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Wire")]
struct Checked {
    email: Option<String>,
}

impl TryFrom<Wire> for Checked {
    type Error = String;

    fn try_from(wire: Wire) -> Result<Self, String> {
        Ok(Checked { email: wire.email })
    }
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(remote = "Wire")]
struct WireDef {
    email: Option<String>,
}

fn main() {}
