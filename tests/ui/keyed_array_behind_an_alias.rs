// A keyed array behind a type alias of an `Option`, marked `nullable`: the derive reads types
// as written and cannot see the `Vec`. The message said that `key` needs an
// `Option<Vec<T>>`, which the alias is; it now says that the alias hides it.
use sparse_patch::Patchable;

#[derive(serde::Serialize, serde::Deserialize)]
struct Email {
    r#type: String,
}

type Emails = Option<Vec<Email>>;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[patchable(key = "type", nullable)]
    emails: Emails,
}

fn main() {}
