use sparse_patch::{Field, Patchable};
use std::collections::BTreeMap;

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Name {
    given: Option<String>,
    family_name: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Photo {
    href: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    #[patchable(skip)]
    id: String,
    username: String,
    nickname: Option<String>,
    #[patchable(nested)]
    name: Option<Name>,
    #[patchable(nested)]
    photo: Option<Photo>,
    r#type: Option<String>,
    labels: BTreeMap<String, String>,
    #[serde(flatten)]
    custom: BTreeMap<String, serde_json::Value>,
}

#[test]
fn smoke() {
    let p = UserPatch::new().photo(PhotoPatch::new().href("x")).clear_nickname();
    assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"nickname":null,"photo":{"href":"x"}}"#);
    let back: UserPatch = serde_json::from_str(r#"{"nickname":null,"photo":{"href":"x"},"extra":null,"type":"a"}"#).unwrap();
    assert_eq!(back.custom.get("extra"), Some(&Field::Null));
    assert_eq!(back.r#type, Field::Value("a".into()));
    let e = serde_json::from_str::<UserPatch>(r#"{"username":null}"#).unwrap_err();
    println!("{e}");
    let mut u = User { id: "1".into(), username: "u".into(), nickname: Some("n".into()), name: None, photo: None, r#type: None, labels: BTreeMap::new(), custom: BTreeMap::new() };
    let target = { let mut t = u.clone(); t.name = Some(Name { given: Some("A".into()), family_name: None }); t.custom.insert("k".into(), serde_json::json!(1)); t };
    let d = u.diff(&target);
    println!("{}", serde_json::to_string(&d).unwrap());
    u.apply(d).unwrap();
    assert_eq!(u, target);
    println!("{:?}", UserPatch::new());
}
