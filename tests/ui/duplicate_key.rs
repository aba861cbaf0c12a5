use sparse_patch::Patchable;

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contact {
    // Two fields renamed to one key.
    #[serde(rename = "mail")]
    email: Option<String>,
    #[serde(rename = "mail")]
    backup_email: Option<String>,
    // A rename onto another field's key, after `rename_all`.
    #[serde(rename = "givenName")]
    first: String,
    given_name: String,
    // Not refused: an alias onto another field's key (the first field reads it, as serde's
    // derive does), one key written by one field and read by the other, and fields compiled
    // under conditions that may exclude each other.
    #[serde(alias = "nickName")]
    display: Option<String>,
    nick_name: Option<String>,
    #[serde(rename(serialize = "phone"), skip_deserializing)]
    phone_out: Option<String>,
    #[serde(rename(deserialize = "phone"), skip_serializing)]
    phone_in: Option<String>,
    #[cfg(unix)]
    #[serde(rename = "home")]
    home_unix: Option<String>,
    #[cfg(not(unix))]
    #[serde(rename = "home")]
    home_other: Option<String>,
    // Refused: fields compiled under one condition are compiled together (`#[derive]` sees only
    // the fields whose conditions hold).
    #[cfg(all())]
    #[serde(rename = "work")]
    work_phone: Option<String>,
    #[cfg(all())]
    work: Option<String>,
    // Refused: one key written for both, though each is read under a key of its own.
    #[serde(rename(serialize = "fax", deserialize = "faxIn"))]
    fax_line: Option<String>,
    #[serde(rename(serialize = "fax", deserialize = "oldFax"))]
    old_fax: Option<String>,
}

fn main() {}
