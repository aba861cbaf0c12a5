use sparse_patch::Patchable;

fn write_upper<S: serde::Serializer>(value: &Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&value.as_deref().unwrap_or_default().to_uppercase())
}

#[derive(Patchable, serde::Serialize, serde::Deserialize)]
struct User {
    #[serde(serialize_with = "write_upper")]
    nickname: Option<String>,
}

fn main() {}
