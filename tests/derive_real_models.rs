//! The derive on model structs as real Rust API clients write them (octocrab's GitHub models,
//! kube's `ObjectMeta`, async-stripe, aws-sdk shapes, openapi-generator's Rust output, SCIM
//! crates): the patch compiles, its JSON is what serde's view of the model says, and
//! `apply`, `diff` and `from_patch` round-trip.
#![deny(warnings)]
#![allow(dead_code)]
// The models are written as their generators write them (a hand-written `Default`, a `cfg`
// that always holds).
#![allow(clippy::derivable_impls, clippy::non_minimal_cfg)]

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Diff, Field, FromPatch, Patch, Patchable};

#[macro_use]
#[path = "support/model_json.rs"]
mod model_json;
use model_json::without_nulls;

/// The laws on one pair of models: the diff's JSON merged into the base's JSON is the target's
/// JSON (serde's view), the JSON reads back to the same patch, `apply` reaches the target,
/// `from_patch(to_patch)` gives the target back, and the target's own JSON read as a patch
/// builds it too.
fn laws<M>(base: &M, target: &M) -> Value
where
    M: Patchable + Diff + FromPatch + Serialize + Clone + PartialEq + Debug,
    M::Patch: Serialize + DeserializeOwned + PartialEq + Debug + Clone,
{
    laws_except(base, target, &[])
}

/// [`laws`], where the attributes `whole` are plain fields whose JSON is an object (an enum, a
/// `replace`d map): the README says they are sent whole, and a server merges them, so they are
/// compared as sent rather than as merged.
fn laws_except<M>(base: &M, target: &M, whole: &[&str]) -> Value
where
    M: Patchable + Diff + FromPatch + Serialize + Clone + PartialEq + Debug,
    M::Patch: Serialize + DeserializeOwned + PartialEq + Debug + Clone,
{
    let patch = base.diff(target);
    let json = serde_json::to_value(&patch).unwrap();
    let mut doc = serde_json::to_value(base).unwrap();
    json_patch::merge(&mut doc, &json);
    let mut doc = without_nulls(doc);
    let target_json = serde_json::to_value(target).unwrap();
    let mut expected = without_nulls(target_json.clone());
    for key in whole {
        let sent = json.get(*key).cloned();
        assert!(
            sent.is_none() || sent == target_json.get(*key).cloned(),
            "{key} in {json}"
        );
        doc.as_object_mut().unwrap().remove(*key);
        expected.as_object_mut().unwrap().remove(*key);
    }
    assert_eq!(doc, expected, "merge of {json}");
    let back: M::Patch = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, patch, "read back from {json}");
    let mut applied = base.clone();
    applied.apply(back).unwrap();
    assert_eq!(&applied, target);
    assert!(base.diff(base).is_empty());
    assert_eq!(&M::from_patch(target.to_patch()).unwrap(), target);
    let whole: M::Patch = serde_json::from_value(serde_json::to_value(target).unwrap()).unwrap();
    assert_eq!(&M::from_patch(whole).unwrap(), target);
    json
}

any_schema!(
    models::Category,
    models::Tag,
    models::Status,
    OwnerReference,
    Repository,
    Permissions,
    Visibility,
    PaymentSource,
    Adjacent,
    External,
    MultiValued,
    Customer,
    Node,
    AwsTag
);

impl<T> schemars::JsonSchema for Expandable<T> {
    fn schema_name() -> Cow<'static, str> {
        "Expandable".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({})
    }
}

// --- openapi-generator's Rust client output (petstore) ---
mod models {
    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    #[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize, Patchable)]
    pub struct Category {
        #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
    }

    #[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize, Patchable)]
    pub struct Tag {
        #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
    }

    /// A pet for sale in the pet store
    #[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize, Patchable)]
    pub struct Pet {
        #[serde(rename = "id", skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "category", skip_serializing_if = "Option::is_none")]
        pub category: Option<Box<crate::models::Category>>,
        #[serde(rename = "name")]
        pub name: String,
        #[serde(rename = "photoUrls")]
        pub photo_urls: Vec<String>,
        #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<crate::models::Tag>>,
        /// pet status in the store
        #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
        pub status: Option<Status>,
        #[serde(rename = "owner")]
        pub owner: Box<crate::models::Category>,
    }

    /// pet status in the store
    #[derive(Clone, Copy, Debug, Eq, PartialEq, Ord, PartialOrd, Hash, Serialize, Deserialize)]
    pub enum Status {
        #[serde(rename = "available")]
        Available,
        #[serde(rename = "pending")]
        Pending,
        #[serde(rename = "sold")]
        Sold,
    }

    impl Default for Status {
        fn default() -> Status {
            Self::Available
        }
    }
}

#[test]
fn openapi_generator_petstore_pet() {
    use models::{Category, Pet, PetPatch, Status, Tag};
    let base = Pet {
        id: Some(10),
        category: Some(Box::new(Category {
            id: Some(1),
            name: Some("Dogs".into()),
        })),
        name: "doggie".into(),
        photo_urls: vec!["a.png".into()],
        tags: None,
        status: Some(Status::Available),
        owner: Box::default(),
    };
    let mut target = base.clone();
    target.category = None;
    target.tags = Some(vec![Tag {
        id: None,
        name: Some("good".into()),
    }]);
    target.status = Some(Status::Sold);
    target.owner.name = Some("Ann".into());
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"category": null, "tags": [{"name": "good"}], "status": "sold", "owner": {"name": "Ann"}})
    );
    let patch = PetPatch::new()
        .photo_urls(Vec::<String>::new())
        .clear_status();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"photoUrls": [], "status": null})
    );
    // The model's `skip_serializing_if` does not reach the patch: an empty category is sent.
    let patch = PetPatch::new().category(Box::new(Category::default()));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"category": {}})
    );
}

// --- openapi-generator: `Option<Option<T>>` with serde_with's double_option is a compile
// error (tests/ui/); its nullable-and-not-required fields written `Option<T>` work ---
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize, Patchable)]
pub struct NullableFields {
    #[serde(
        rename = "nullableString",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub nullable_string: Option<String>,
    #[serde(rename = "requiredNullable", deserialize_with = "Option::deserialize")]
    pub required_nullable: Option<String>,
}

#[test]
fn openapi_nullable_fields() {
    let base = NullableFields {
        nullable_string: Some("a".into()),
        required_nullable: Some("b".into()),
    };
    let target = NullableFields::default();
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"nullableString": null, "requiredNullable": null})
    );
}

// --- kube / k8s-openapi: ObjectMeta ---
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    pub api_version: String,
    pub block_owner_deletion: Option<bool>,
    pub controller: Option<bool>,
    pub kind: String,
    pub name: String,
    pub uid: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalizers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[patchable(key = "uid")]
    pub owner_references: Option<Vec<OwnerReference>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    #[serde(default)]
    #[patchable(nested)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
}

#[test]
fn kube_object_meta_labels_merge_key_by_key() {
    let base = ConfigMap {
        metadata: ObjectMeta {
            name: Some("cm".into()),
            labels: Some(BTreeMap::from([
                ("app".into(), "web".into()),
                ("tier".into(), "front".into()),
            ])),
            owner_references: Some(vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                name: "web".into(),
                uid: "u1".into(),
                ..OwnerReference::default()
            }]),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([("k".into(), "v".into())])),
        immutable: None,
    };
    let mut target = base.clone();
    let labels = target.metadata.labels.as_mut().unwrap();
    labels.remove("tier");
    labels.insert("env".into(), "prod".into());
    target.metadata.annotations = Some(BTreeMap::from([("a".into(), "b".into())]));
    target.data = None;
    target.immutable = Some(true);
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({
            "metadata": {"annotations": {"a": "b"}, "labels": {"env": "prod", "tier": null}},
            "data": null,
            "immutable": true
        })
    );
    // A label patch on a model without labels builds them.
    let mut bare = ConfigMap::default();
    let patch: ConfigMapPatch =
        serde_json::from_value(json!({"metadata": {"labels": {"app": "web", "x": null}}})).unwrap();
    bare.apply(patch).unwrap();
    assert_eq!(
        bare.metadata.labels,
        Some(BTreeMap::from([("app".into(), "web".into())]))
    );
}

// --- octocrab-like GitHub models: raw identifiers, `r#type`, nested boxes, Value ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[non_exhaustive]
pub struct Author {
    pub login: String,
    pub id: u64,
    pub node_id: String,
    pub avatar_url: String,
    #[serde(rename = "type")]
    pub r#type: String,
    pub site_admin: bool,
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[non_exhaustive]
pub struct Repository {
    pub id: u64,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub owner: Option<Author>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_repository: Option<Box<Repository>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<Value>,
    #[serde(default)]
    pub r#fork: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    #[serde(default)]
    pub admin: bool,
    pub push: bool,
    pub pull: bool,
}

fn author(login: &str) -> Author {
    Author {
        login: login.into(),
        id: 1,
        node_id: "MDQ6".into(),
        avatar_url: "https://a".into(),
        r#type: "User".into(),
        site_admin: false,
        email: None,
        patch_url: None,
    }
}

#[test]
fn octocrab_repository() {
    let base = Repository {
        id: 1296269,
        name: "Hello-World".into(),
        full_name: Some("octocat/Hello-World".into()),
        owner: Some(author("octocat")),
        private: Some(false),
        topics: Some(vec!["a".into()]),
        template_repository: None,
        permissions: None,
        license: Some(json!({"key": "mit", "name": "MIT License"})),
        r#fork: false,
    };
    let mut target = base.clone();
    target.owner.as_mut().unwrap().r#type = "Organization".into();
    target.owner.as_mut().unwrap().email = Some("o@example.com".into());
    target.template_repository = Some(Box::new(base.clone()));
    target.permissions = Some(Permissions {
        admin: true,
        push: true,
        pull: true,
    });
    target.license = Some(json!({"key": "apache-2.0", "name": "Apache"}));
    target.r#fork = true;
    let json = laws(&base, &target);
    assert_eq!(
        json["owner"],
        json!({"type": "Organization", "email": "o@example.com"})
    );
    assert_eq!(json["fork"], json!(true));
    assert_eq!(
        json["license"],
        json!({"key": "apache-2.0", "name": "Apache"})
    );
    // r#type's setter is `r#type`
    let patch = AuthorPatch::new().r#type("Bot");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"type": "Bot"})
    );
    // a GitHub answer with unknown keys reads as a patch
    let read: RepositoryPatch =
        serde_json::from_value(json!({"name": "x", "unknown_key": 1, "visibility": "public"}))
            .unwrap();
    assert_eq!(read.name.as_deref(), Some("x"));
}

// --- enums as fields: unit with rename_all, internally tagged, adjacently tagged, untagged,
// externally tagged ---
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Visibility {
    Public,
    PrivateToOrg,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PaymentSource {
    Card { last4: String, exp_year: u16 },
    BankAccount { routing: String },
    Cash,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c")]
pub enum Adjacent {
    A(u8),
    B { x: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Expandable<T> {
    Id(String),
    Object(Box<T>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum External {
    Unit,
    Tuple(u8, u8),
    Struct { a: bool },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Customer {
    pub id: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct Charge {
    pub visibility: Visibility,
    pub maybe_visibility: Option<Visibility>,
    pub source: PaymentSource,
    pub other_source: Option<PaymentSource>,
    pub adjacent: Adjacent,
    pub customer: Option<Expandable<Customer>>,
    pub external: External,
    pub externals: Vec<External>,
}

#[test]
fn enums_as_fields_are_values_sent_whole() {
    let base = Charge {
        visibility: Visibility::Public,
        maybe_visibility: None,
        source: PaymentSource::Card {
            last4: "4242".into(),
            exp_year: 2030,
        },
        other_source: Some(PaymentSource::Cash),
        adjacent: Adjacent::A(1),
        customer: Some(Expandable::Id("cus_1".into())),
        external: External::Unit,
        externals: vec![External::Tuple(1, 2)],
    };
    let target = Charge {
        visibility: Visibility::PrivateToOrg,
        maybe_visibility: Some(Visibility::PrivateToOrg),
        source: PaymentSource::BankAccount {
            routing: "110".into(),
        },
        other_source: None,
        adjacent: Adjacent::B { x: "y".into() },
        customer: Some(Expandable::Object(Box::new(Customer {
            id: "cus_1".into(),
            email: None,
        }))),
        external: External::Struct { a: true },
        externals: vec![],
    };
    let json = laws_except(&base, &target, &["source", "adjacent", "external"]);
    assert_eq!(
        json,
        json!({
            "visibility": "PRIVATE_TO_ORG",
            "maybeVisibility": "PRIVATE_TO_ORG",
            "source": {"type": "bank_account", "routing": "110"},
            "otherSource": null,
            "adjacent": {"t": "B", "c": {"x": "y"}},
            "customer": {"id": "cus_1", "email": null},
            "external": {"Struct": {"a": true}},
            "externals": []
        })
    );
    // A source of the same variant with one attribute changed is still sent whole.
    let mut card = base.clone();
    card.source = PaymentSource::Card {
        last4: "4242".into(),
        exp_year: 2031,
    };
    assert_eq!(
        serde_json::to_value(base.diff(&card)).unwrap(),
        json!({"source": {"type": "card", "last4": "4242", "exp_year": 2031}})
    );
}

// --- every rename_all rule, against serde's own keys ---
macro_rules! renamed_model {
    ($name:ident, $patch:ident, $rule:literal) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
        #[serde(rename_all = $rule)]
        pub struct $name {
            pub user_name: String,
            pub ipv4_address: Option<String>,
            pub x: u8,
            pub a_b_c: Option<u8>,
            pub r#type: String,
            pub html_url_2: Option<bool>,
        }

        impl $name {
            fn sample(n: u8) -> Self {
                $name {
                    user_name: format!("u{n}"),
                    ipv4_address: Some(format!("10.0.0.{n}")),
                    x: n,
                    a_b_c: Some(n),
                    r#type: format!("t{n}"),
                    html_url_2: Some(n % 2 == 0),
                }
            }
        }
    };
}

renamed_model!(Lower, LowerPatch, "lowercase");
renamed_model!(Upper, UpperPatch, "UPPERCASE");
renamed_model!(Pascal, PascalPatch, "PascalCase");
renamed_model!(Camel, CamelPatch, "camelCase");
renamed_model!(Snake, SnakePatch, "snake_case");
renamed_model!(ScreamingSnake, ScreamingSnakePatch, "SCREAMING_SNAKE_CASE");
renamed_model!(Kebab, KebabPatch, "kebab-case");
renamed_model!(ScreamingKebab, ScreamingKebabPatch, "SCREAMING-KEBAB-CASE");

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[test]
fn every_rename_all_rule_gives_serdes_keys() {
    fn check<M>(a: M, b: M)
    where
        M: Patchable + Diff + FromPatch + Serialize + Clone + PartialEq + Debug,
        M::Patch: Serialize + DeserializeOwned + PartialEq + Debug + Clone,
    {
        let json = laws(&a, &b);
        assert_eq!(keys(&json), keys(&serde_json::to_value(&b).unwrap()));
        // nullable keys read `null` as clear, under serde's names
        let mut cleared = serde_json::to_value(&b).unwrap();
        for value in cleared.as_object_mut().unwrap().values_mut() {
            if !value.is_string() && !value.is_number() {
                *value = Value::Null;
            }
        }
        let patch: M::Patch = serde_json::from_value(cleared.clone()).unwrap();
        assert_eq!(serde_json::to_value(&patch).unwrap(), cleared);
    }
    check(Lower::sample(1), Lower::sample(2));
    check(Upper::sample(1), Upper::sample(2));
    check(Pascal::sample(1), Pascal::sample(2));
    check(Camel::sample(1), Camel::sample(2));
    check(Snake::sample(1), Snake::sample(2));
    check(ScreamingSnake::sample(1), ScreamingSnake::sample(2));
    check(Kebab::sample(1), Kebab::sample(2));
    check(ScreamingKebab::sample(1), ScreamingKebab::sample(2));
    assert_eq!(
        keys(&serde_json::to_value(Kebab::sample(1).to_patch()).unwrap()),
        [
            "a-b-c",
            "html-url-2",
            "ipv4-address",
            "type",
            "user-name",
            "x"
        ]
    );
    assert_eq!(
        keys(&serde_json::to_value(ScreamingKebab::sample(1).to_patch()).unwrap()),
        [
            "A-B-C",
            "HTML-URL-2",
            "IPV4-ADDRESS",
            "TYPE",
            "USER-NAME",
            "X"
        ]
    );
}

// Names that each rule treats in its own way: leading, trailing and doubled underscores, a
// digit after one, a field in camel case already (serde renames only snake case: `snake_case`
// keeps `camelField`), and a segment that starts with a letter outside ASCII (serde changes
// ASCII letters alone: `x_über` is `Xüber` in PascalCase, not `XÜber`). The derive's own serde
// code writes and reads these keys, so they are serde's or the patch is another document. (A
// field that starts with such a letter is not among them: serde's derive panics on it under
// camelCase.)
macro_rules! odd_names_model {
    ($name:ident, $rule:literal) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
        #[serde(rename_all = $rule)]
        #[allow(non_snake_case)]
        pub struct $name {
            pub _lead: u8,
            pub trail_: Option<u8>,
            pub a__b: u8,
            pub camelField: Option<u8>,
            pub x_über: u8,
            pub r#match: Option<u8>,
            pub x1_2y: u8,
        }

        impl $name {
            pub fn sample(n: u8) -> Self {
                $name {
                    _lead: n,
                    trail_: Some(n),
                    a__b: n,
                    camelField: (n % 2 == 0).then_some(n),
                    x_über: n,
                    r#match: Some(n),
                    x1_2y: n,
                }
            }
        }
    };
}

mod odd_names {
    use super::*;

    odd_names_model!(Lower, "lowercase");
    odd_names_model!(Upper, "UPPERCASE");
    odd_names_model!(Pascal, "PascalCase");
    odd_names_model!(Camel, "camelCase");
    odd_names_model!(Snake, "snake_case");
    odd_names_model!(ScreamingSnake, "SCREAMING_SNAKE_CASE");
    odd_names_model!(Kebab, "kebab-case");
    odd_names_model!(ScreamingKebab, "SCREAMING-KEBAB-CASE");
}

#[test]
fn every_rename_all_rule_gives_serdes_keys_for_odd_names() {
    fn check<M>(a: M, b: M) -> Vec<String>
    where
        M: Patchable + Diff + FromPatch + Serialize + DeserializeOwned + Clone + PartialEq + Debug,
        M::Patch: Serialize + DeserializeOwned + PartialEq + Debug + Clone,
    {
        let json = laws(&a, &b);
        let model = serde_json::to_value(&b).unwrap();
        assert_eq!(keys(&json), keys(&model));
        // The model's own document, read as a patch, sets every attribute.
        let whole: M::Patch = serde_json::from_value(model.clone()).unwrap();
        let mut applied = a.clone();
        applied.apply(whole).unwrap();
        assert_eq!(applied, b);
        keys(&json)
    }
    use odd_names::*;
    check(Lower::sample(1), Lower::sample(2));
    check(Upper::sample(1), Upper::sample(2));
    check(Camel::sample(1), Camel::sample(2));
    check(Snake::sample(1), Snake::sample(2));
    check(ScreamingSnake::sample(1), ScreamingSnake::sample(2));
    check(Kebab::sample(1), Kebab::sample(2));
    assert_eq!(
        check(Pascal::sample(1), Pascal::sample(2)),
        [
            "AB",
            "CamelField",
            "Lead",
            "Match",
            "Trail",
            "X12y",
            "Xüber"
        ]
    );
    assert_eq!(
        check(ScreamingKebab::sample(1), ScreamingKebab::sample(2)),
        [
            "-LEAD",
            "A--B",
            "CAMELFIELD",
            "MATCH",
            "TRAIL-",
            "X-üBER",
            "X1-2Y"
        ]
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename_all(serialize = "camelCase", deserialize = "kebab-case"))]
pub struct SplitNames {
    pub user_name: String,
    pub display_name: Option<String>,
    #[serde(rename(serialize = "ID", deserialize = "id"))]
    pub the_id: Option<u8>,
}

#[test]
fn split_rename_all_reads_and_writes_as_serde_does() {
    let patch: SplitNamesPatch =
        serde_json::from_value(json!({"user-name": "a", "display-name": null, "id": 3})).unwrap();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"userName": "a", "displayName": null, "ID": 3})
    );
    let model: SplitNames =
        serde_json::from_value(json!({"user-name": "a", "display-name": "d", "id": 3})).unwrap();
    assert_eq!(
        SplitNames::from_patch(patch.clone()).unwrap().user_name,
        model.user_name
    );
}

// --- defaults: `default = "path"`, struct default, skip_serializing_if on required fields ---
fn default_true() -> bool {
    true
}

fn default_page_size() -> u32 {
    30
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Webhook {
    pub url: String,
    #[serde(default = "default_true")]
    pub active: bool,
    #[serde(default = "default_page_size", rename = "per_page")]
    pub page_size: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub insecure_ssl: bool,
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub headers: HashMap<String, String>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub config: serde_json::Map<String, Value>,
}

#[test]
fn defaults_and_skip_serializing_if_on_required_fields() {
    let built = Webhook::from_patch(WebhookPatch::new().url("https://h")).unwrap();
    let read: Webhook = serde_json::from_value(json!({"url": "https://h"})).unwrap();
    assert_eq!(built, read);
    assert!(built.active);
    assert_eq!(built.page_size, 30);
    // Emptying a field that the model's JSON leaves out when empty is still sent: the server
    // must learn that the events are gone.
    let base = Webhook {
        url: "https://h".into(),
        active: true,
        page_size: 30,
        events: vec!["push".into()],
        secret: "s".into(),
        insecure_ssl: true,
        headers: HashMap::from([("a".into(), "b".into())]),
        config: serde_json::Map::from_iter([("k".into(), json!(1))]),
    };
    let target = read;
    assert_eq!(
        serde_json::to_value(base.diff(&target)).unwrap(),
        json!({"events": [], "secret": "", "insecure_ssl": false, "headers": {"a": null}, "config": {"k": null}})
    );
    let mut applied = base.clone();
    applied.apply(base.diff(&target)).unwrap();
    assert_eq!(applied, target);
    assert_eq!(Webhook::from_patch(target.to_patch()).unwrap(), target);
    let back: WebhookPatch =
        serde_json::from_value(serde_json::to_value(base.diff(&target)).unwrap()).unwrap();
    assert_eq!(back, base.diff(&target));
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(default)]
pub struct ListParams {
    pub page: u32,
    pub per_page: u32,
    pub sort: Option<String>,
}

impl Default for ListParams {
    fn default() -> Self {
        ListParams {
            page: 1,
            per_page: 30,
            sort: Some("created".into()),
        }
    }
}

fn default_region() -> Option<String> {
    Some("us-east-1".into())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct ClientConfig {
    #[serde(default = "default_region")]
    pub region: Option<String>,
    #[patchable(nested)]
    pub list: Option<ListParams>,
}

#[test]
fn struct_default_builds_missing_attributes() {
    let built = ListParams::from_patch(ListParamsPatch::new().page(3u32)).unwrap();
    let read: ListParams = serde_json::from_value(json!({"page": 3})).unwrap();
    assert_eq!(built, read);
    laws(
        &ListParams::default(),
        &ListParams {
            page: 2,
            per_page: 1,
            sort: None,
        },
    );
    // A `None` whose serde default is `Some` is built with `null`, at the top and in a nested
    // model that `apply` builds from nothing.
    let base = ClientConfig {
        region: Some("eu-west-1".into()),
        list: None,
    };
    let target = ClientConfig {
        region: None,
        list: Some(ListParams {
            page: 1,
            per_page: 30,
            sort: None,
        }),
    };
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"region": null, "list": {"page": 1, "per_page": 30, "sort": null}})
    );
    assert_eq!(
        serde_json::to_value(target.to_patch()).unwrap(),
        json!({"region": null, "list": {"page": 1, "per_page": 30, "sort": null}})
    );
    // A `None` whose default is `None` is still left out.
    assert_eq!(
        serde_json::to_value(
            Customer {
                id: "c".into(),
                email: None
            }
            .to_patch()
        )
        .unwrap(),
        json!({"id": "c"})
    );
}

// --- `with` modules, serialize_with / deserialize_with ---
mod unix_seconds {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &std::time::Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(value.as_secs())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<std::time::Duration, D::Error> {
        u64::deserialize(d).map(std::time::Duration::from_secs)
    }
}

mod comma_list {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &[String], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.join(","))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let text = String::deserialize(d)?;
        Ok(if text.is_empty() {
            Vec::new()
        } else {
            text.split(',').map(str::to_owned).collect()
        })
    }
}

mod display_fromstr {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer, T: std::fmt::Display>(
        value: &T,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: std::str::FromStr>(d: D) -> Result<T, D::Error>
    where
        T::Err: std::fmt::Display,
    {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Token {
    #[serde(with = "unix_seconds")]
    pub expires_in: std::time::Duration,
    #[serde(
        serialize_with = "comma_list::serialize",
        deserialize_with = "comma_list::deserialize"
    )]
    pub scopes: Vec<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub account: Option<String>,
    #[serde(with = "display_fromstr")]
    pub port: u16,
}

#[test]
fn with_modules_keep_their_wire_form() {
    let base = Token {
        expires_in: std::time::Duration::from_secs(60),
        scopes: vec!["read".into()],
        account: Some("a".into()),
        port: 80,
    };
    let target = Token {
        expires_in: std::time::Duration::from_secs(3600),
        scopes: vec!["read".into(), "write".into()],
        account: None,
        port: 8080,
    };
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"expires_in": 3600, "scopes": "read,write", "account": null, "port": "8080"})
    );
    let read: TokenPatch = serde_json::from_value(json!({"account": 42})).unwrap();
    assert_eq!(read.account, Field::Value("42".into()));
}

// --- lifetimes: Cow, &str, models borrowing their input ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Label<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow)]
    pub color: Option<Cow<'a, str>>,
    pub description: Option<Cow<'a, str>>,
    pub node: &'a str,
}

#[test]
fn cow_and_borrowed_models() {
    let base = Label {
        name: Cow::Borrowed("bug"),
        color: Some(Cow::Borrowed("f00")),
        description: None,
        node: "n1",
    };
    let target = Label {
        name: Cow::Owned("enhancement".into()),
        color: None,
        description: Some(Cow::Borrowed("new")),
        node: "n2",
    };
    let patch = base.diff(&target);
    let text = serde_json::to_string(&patch).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"name": "enhancement", "color": null, "description": "new", "node": "n2"})
    );
    let back: LabelPatch<'_> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, patch);
    let mut applied = base.clone();
    applied.apply(back).unwrap();
    assert_eq!(applied, target);
    assert_eq!(Label::from_patch(target.to_patch()).unwrap(), target);
    let text = String::from(r#"{"name":"x","node":"y"}"#);
    let patch: LabelPatch<'_> = serde_json::from_str(&text).unwrap();
    assert_eq!(patch.node, Some("y"));
}

// --- maps of every kind, tuples, Value and Map fields ---
/// An insertion-ordered map of the user's own (as `IndexMap` is), patched key by key through
/// `MergeMap` with `#[patchable(map)]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderedMap(Vec<(String, String)>);

impl Serialize for OrderedMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for OrderedMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // serde_json's Map without `preserve_order` sorts; good enough for the test.
        let map = BTreeMap::<String, String>::deserialize(d)?;
        Ok(OrderedMap(map.into_iter().collect()))
    }
}

impl schemars::JsonSchema for OrderedMap {
    fn schema_name() -> Cow<'static, str> {
        "OrderedMap".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object"})
    }
}

impl sparse_patch::MergeMap for OrderedMap {
    type Patch = BTreeMap<String, Field<String>>;

    fn merge(&mut self, patch: Self::Patch) {
        for (key, field) in patch {
            match field {
                Field::Absent => {}
                Field::Null => self.0.retain(|(k, _)| *k != key),
                Field::Value(value) => match self.0.iter_mut().find(|(k, _)| *k == key) {
                    Some(entry) => entry.1 = value,
                    None => self.0.push((key, value)),
                },
            }
        }
    }

    fn from_patch(patch: Self::Patch) -> Self {
        let mut map = OrderedMap::default();
        map.merge(patch);
        map
    }

    fn is_empty_patch(patch: &Self::Patch) -> bool {
        patch.values().all(Field::is_absent)
    }

    fn then_patch(first: &mut Self::Patch, next: Self::Patch) {
        first.extend(next.into_iter().filter(|(_, field)| field.is_present()));
    }
}

impl sparse_patch::DiffMap for OrderedMap {
    fn diff_map(&self, target: &Self) -> Self::Patch {
        let mut patch = BTreeMap::new();
        for (key, _) in &self.0 {
            if !target.0.iter().any(|(k, _)| k == key) {
                patch.insert(key.clone(), Field::Null);
            }
        }
        for (key, value) in &target.0 {
            if !self.0.iter().any(|(k, v)| k == key && v == value) {
                patch.insert(key.clone(), Field::Value(value.clone()));
            }
        }
        patch
    }

    fn to_map_patch(&self) -> Self::Patch {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), Field::Value(v.clone())))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Ordered {
    #[patchable(map)]
    pub headers: OrderedMap,
    #[patchable(map)]
    pub maybe: Option<OrderedMap>,
}

#[test]
fn a_map_of_the_users_own_merges_key_by_key() {
    let base = Ordered {
        headers: OrderedMap(vec![("b".into(), "1".into()), ("a".into(), "2".into())]),
        maybe: None,
    };
    let target = Ordered {
        headers: OrderedMap(vec![("a".into(), "3".into())]),
        maybe: Some(OrderedMap(vec![("x".into(), "y".into())])),
    };
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"headers": {"a": "3", "b": null}, "maybe": {"x": "y"}})
    );
}

// --- recursive and self-referencing models (GitHub's `parent`/`source`, trees) ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Node {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<Self>>,
    #[serde(default)]
    pub children: Vec<Self>,
    pub source: Box<Option<Self>>,
}

#[test]
fn self_referencing_models_are_values() {
    let leaf = Node {
        name: "leaf".into(),
        parent: None,
        children: vec![],
        source: Box::new(None),
    };
    let mut target = leaf.clone();
    target.parent = Some(Box::new(leaf.clone()));
    target.children = vec![leaf.clone()];
    *target.source = Some(leaf.clone());
    let json = laws_except(&leaf, &target, &["parent", "source"]);
    assert_eq!(
        json["parent"],
        json!({"name": "leaf", "children": [], "source": null})
    );
}

// --- keys that are not identifiers: `$ref`, `x-kubernetes-...`, `@odata.type`, quotes ---
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
pub struct JsonSchemaProps {
    #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
    pub ref_path: Option<String>,
    #[serde(rename = "$schema")]
    pub schema: Option<String>,
    #[serde(rename = "x-kubernetes-preserve-unknown-fields")]
    pub x_kubernetes_preserve_unknown_fields: Option<bool>,
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    #[serde(rename = "with \"quote\" and \\ slash")]
    pub odd: Option<u8>,
    #[serde(rename = "ünïcödé ключ")]
    pub unicode: Option<u8>,
    #[serde(rename = "")]
    pub empty: Option<u8>,
    #[serde(rename = "r#raw")]
    pub raw: Option<u8>,
}

#[test]
fn keys_that_are_not_identifiers() {
    let base = JsonSchemaProps::default();
    let target = JsonSchemaProps {
        ref_path: Some("#/definitions/a".into()),
        schema: Some("s".into()),
        x_kubernetes_preserve_unknown_fields: Some(true),
        odata_type: Some("#microsoft.graph.user".into()),
        odd: Some(1),
        unicode: Some(2),
        empty: Some(3),
        raw: Some(4),
    };
    let json = laws(&base, &target);
    assert_eq!(json["with \"quote\" and \\ slash"], json!(1));
    assert_eq!(json["$ref"], json!("#/definitions/a"));
    assert_eq!(json[""], json!(3));
    assert_eq!(json["r#raw"], json!(4));
    let ops = serde_json::to_value(base.diff(&target).to_json_patch(&base).unwrap()).unwrap();
    assert!(ops.to_string().contains("/$ref"), "{ops}");
    laws(&target, &base);
}

// --- keyword field names (raw identifiers) and their setters ---
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct Keywords {
    pub r#type: Option<String>,
    pub r#ref: Option<String>,
    pub r#match: String,
    pub r#async: Option<bool>,
    pub r#override: Option<bool>,
    pub r#static: Option<u8>,
    pub r#in: Option<u8>,
    pub r#loop: HashMap<String, u8>,
    pub r#try: Option<u8>,
}

#[test]
fn keyword_fields() {
    let patch = KeywordsPatch::new()
        .r#type("t")
        .clear_ref()
        .r#match("m")
        .r#async(true)
        .clear_override()
        .r#static(1u8)
        .clear_in()
        .loop_entry("k", 1u8)
        .r#try(2u8);
    let json = serde_json::to_value(&patch).unwrap();
    assert_eq!(
        json,
        json!({"type": "t", "ref": null, "match": "m", "async": true, "override": null,
               "static": 1, "in": null, "loop": {"k": 1}, "try": 2})
    );
    let mut model = Keywords::default();
    model.apply(patch).unwrap();
    laws(&Keywords::default(), &model);
}

// --- borrowed nullable and generic models with bounds and PhantomData ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Borrowed<'a> {
    #[serde(borrow)]
    pub name: Option<&'a str>,
    pub bytes: Option<Cow<'a, [u8]>>,
}

#[test]
fn borrowed_nullable_fields() {
    let text = String::from(r#"{"name":"n","bytes":[1,2]}"#);
    let patch: BorrowedPatch<'_> = serde_json::from_str(&text).unwrap();
    assert_eq!(patch.name, Field::Value("n"));
    let model = Borrowed::from_patch(patch).unwrap();
    let cleared: BorrowedPatch<'_> = serde_json::from_str(r#"{"name":null}"#).unwrap();
    let mut applied = model.clone();
    applied.apply(cleared).unwrap();
    assert_eq!(applied.name, None);
    assert_eq!(
        serde_json::to_value(model.diff(&applied)).unwrap(),
        json!({"name": null})
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: DeserializeOwned"))]
pub struct Page<T, M = ()>
where
    T: Clone,
{
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    #[serde(skip)]
    pub marker: std::marker::PhantomData<M>,
    pub extra: Option<T>,
}

#[test]
fn bounded_generic_page() {
    let base: Page<u8> = Page {
        items: vec![1],
        next_cursor: Some("c".into()),
        marker: std::marker::PhantomData,
        extra: None,
    };
    let target = Page {
        items: vec![],
        next_cursor: None,
        marker: std::marker::PhantomData,
        extra: Some(3),
    };
    let json = laws(&base, &target);
    assert_eq!(json, json!({"items": [], "next_cursor": null, "extra": 3}));
}

// --- Value-heavy models (Slack blocks, GraphQL variables) ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Message {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, Value>,
}

#[test]
fn value_fields_merge_by_rfc7396() {
    let base: Message = serde_json::from_value(json!({
        "text": "hi", "metadata": {"event_type": "a", "event_payload": {"x": 1, "y": 2}},
        "ts": "1.0", "thread": {"a": 1, "b": 2}
    }))
    .unwrap();
    let target: Message = serde_json::from_value(json!({
        "text": "hi", "blocks": [{"type": "section"}],
        "metadata": {"event_type": "a", "event_payload": {"x": 1}},
        "thread": {"a": 1}
    }))
    .unwrap();
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"blocks": [{"type": "section"}], "metadata": {"event_payload": {"y": null}},
               "ts": null, "thread": {"b": null}})
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Bag {
    pub hash: HashMap<String, u32>,
    pub btree: Option<BTreeMap<String, Vec<String>>>,
    pub int_keys: BTreeMap<u16, String>,
    pub values: HashMap<String, Value>,
    pub any: Value,
    pub maybe_any: Option<Value>,
    pub object: serde_json::Map<String, Value>,
    pub maybe_object: Option<serde_json::Map<String, Value>>,
    pub pair: (String, u32),
    pub point: Option<(f64, f64)>,
    #[patchable(replace)]
    pub whole: HashMap<String, String>,
    pub std_path: std::collections::HashMap<String, bool>,
}

fn bag(n: u32) -> Bag {
    Bag {
        hash: HashMap::from([("a".into(), n), (format!("k{n}"), 1)]),
        btree: Some(BTreeMap::from([("x".into(), vec![n.to_string()])])),
        int_keys: BTreeMap::from([(n as u16, "v".into()), (7, format!("{n}"))]),
        values: HashMap::from([(
            "obj".into(),
            json!({"a": n, "keep": true, "n": {"deep": n}}),
        )]),
        any: json!({"a": [n], "b": {"c": n}}),
        maybe_any: Some(json!(n)),
        object: serde_json::Map::from_iter([(format!("o{n}"), json!(n))]),
        maybe_object: if n == 1 {
            None
        } else {
            Some(serde_json::Map::from_iter([("m".into(), json!({"n": n}))]))
        },
        pair: (format!("p{n}"), n),
        point: Some((n as f64, 0.5)),
        whole: HashMap::from([(format!("w{n}"), "x".into())]),
        std_path: HashMap::from([(format!("s{n}"), true)]),
    }
}

#[test]
fn maps_values_and_tuples() {
    let json = laws_except(&bag(1), &bag(2), &["whole"]);
    assert_eq!(json["whole"], json!({"w2": "x"}));
    assert_eq!(json["hash"], json!({"a": 2, "k1": null, "k2": 1}));
    assert_eq!(json["pair"], json!(["p2", 2]));
    assert_eq!(json["std_path"], json!({"s1": null, "s2": true}));
    laws_except(&bag(2), &bag(1), &["whole"]);
    let mut b = bag(1);
    b.maybe_any = None;
    b.point = None;
    b.btree = None;
    laws_except(&bag(2), &b, &["whole"]);
    laws_except(&b, &bag(2), &["whole"]);
}

// --- aws-sdk style: non_exhaustive models with builders, doc(hidden) and cfg fields ---
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AwsTag {
    /// <p>One part of a key-value pair that makes up a tag.</p>
    pub key: Option<String>,
    /// <p>The optional part of a key-value pair.</p>
    pub value: Option<String>,
    #[doc(hidden)]
    pub _request_id: Option<String>,
    #[cfg(any())]
    pub never_compiled: NotAType,
    #[cfg(all())]
    pub always_compiled: Option<u8>,
    #[cfg_attr(all(), serde(rename = "Renamed"))]
    pub renamed_by_cfg_attr: Option<u8>,
}

impl AwsTag {
    pub fn builder() -> AwsTagBuilder {
        AwsTagBuilder::default()
    }
}

#[derive(Default)]
pub struct AwsTagBuilder {
    key: Option<String>,
    value: Option<String>,
}

impl AwsTagBuilder {
    pub fn key(mut self, input: impl Into<String>) -> Self {
        self.key = Some(input.into());
        self
    }
    pub fn value(mut self, input: impl Into<String>) -> Self {
        self.value = Some(input.into());
        self
    }
    pub fn build(self) -> AwsTag {
        AwsTag {
            key: self.key,
            value: self.value,
            ..AwsTag::default()
        }
    }
}

#[test]
fn aws_style_tag() {
    let base = AwsTag::builder().key("env").value("dev").build();
    let mut target = AwsTag::builder().key("env").build();
    target._request_id = Some("r".into());
    target.always_compiled = Some(1);
    target.renamed_by_cfg_attr = Some(2);
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"Value": null, "RequestId": "r", "AlwaysCompiled": 1, "Renamed": 2})
    );
}

// --- generic wrappers: pagination envelopes and Stripe's List<T> ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct List<T> {
    pub data: Vec<T>,
    pub has_more: bool,
    pub total_count: Option<u64>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Envelope<T: Patchable> {
    #[patchable(nested)]
    pub data: T,
    pub meta: Option<HashMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Wrapper<T> {
    pub item: Option<T>,
    pub extra: BTreeMap<String, T>,
}

#[test]
fn generic_wrappers() {
    let base = List {
        data: vec![Customer {
            id: "c".into(),
            email: None,
        }],
        has_more: false,
        total_count: Some(1),
        url: "/v1/customers".into(),
    };
    let mut target = base.clone();
    target.data.clear();
    target.total_count = None;
    let json = laws(&base, &target);
    assert_eq!(json, json!({"data": [], "total_count": null}));

    let base = Envelope {
        data: Customer {
            id: "c".into(),
            email: None,
        },
        meta: None,
    };
    let mut target = base.clone();
    target.data.email = Some("e@example.com".into());
    target.meta = Some(HashMap::from([("a".into(), "b".into())]));
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"data": {"email": "e@example.com"}, "meta": {"a": "b"}})
    );

    let base: Wrapper<u8> = Wrapper {
        item: Some(1),
        extra: BTreeMap::from([("a".into(), 1)]),
    };
    let target = Wrapper {
        item: None,
        extra: BTreeMap::from([("b".into(), 2)]),
    };
    let json = laws(&base, &target);
    assert_eq!(json, json!({"item": null, "extra": {"a": null, "b": 2}}));
}

// --- models inside macro_rules! (generated API crates) ---
macro_rules! api_model {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
        $(#[$meta])*
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty),*
        }
    };
}

api_model!(
    #[serde(rename_all = "camelCase")]
    Project {
        project_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        labels: HashMap<String, String>,
        settings: Option<Value>,
        #[patchable(nested)]
        lead: Option<Customer>,
    }
);

#[test]
fn macro_rules_models() {
    let base = Project {
        project_name: "p".into(),
        description: None,
        labels: HashMap::new(),
        settings: Some(json!({"a": 1})),
        lead: None,
    };
    let target = Project {
        project_name: "q".into(),
        description: Some("d".into()),
        labels: HashMap::from([("x".into(), "y".into())]),
        settings: Some(json!({"a": 2, "b": [1]})),
        lead: Some(Customer {
            id: "c".into(),
            email: None,
        }),
    };
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({
            "projectName": "q",
            "description": "d",
            "labels": {"x": "y"},
            "settings": {"a": 2, "b": [1]},
            "lead": {"id": "c"}
        })
    );
    let patch = ProjectPatch::new()
        .clear_description()
        .labels_entry("x", "z")
        .clear_lead();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"description": null, "labels": {"x": "z"}, "lead": null})
    );
}

// --- SCIM crates: the core User with the enterprise extension and keyed multi-valued
// attributes ---
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct ScimName {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct MultiValued {
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(rename = "type")]
    pub r#type: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_center: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct ScimUser {
    pub schemas: Vec<String>,
    #[patchable(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub user_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub name: Option<ScimName>,
    #[serde(default)]
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[patchable(key = "type")]
    pub emails: Option<Vec<MultiValued>>,
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        skip_serializing_if = "Option::is_none"
    )]
    #[patchable(nested)]
    pub enterprise: Option<EnterpriseUser>,
}

#[test]
fn scim_user_with_enterprise_extension() {
    let base = ScimUser {
        schemas: vec!["urn:ietf:params:scim:schemas:core:2.0:User".into()],
        id: None,
        external_id: None,
        user_name: "bjensen".into(),
        name: Some(ScimName {
            given_name: Some("Barbara".into()),
            ..ScimName::default()
        }),
        active: true,
        emails: Some(vec![
            MultiValued {
                value: "b@example.com".into(),
                display: None,
                r#type: "work".into(),
                primary: true,
            },
            MultiValued {
                value: "h@example.com".into(),
                display: None,
                r#type: "home".into(),
                primary: false,
            },
        ]),
        enterprise: None,
    };
    let mut target = base.clone();
    target.name.as_mut().unwrap().family_name = Some("Jensen".into());
    target.emails.as_mut().unwrap().pop();
    target.emails.as_mut().unwrap()[0].primary = false;
    target.enterprise = Some(EnterpriseUser {
        employee_number: Some("701984".into()),
        cost_center: None,
    });
    target.active = false;
    let json = laws(&base, &target);
    assert_eq!(
        json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        json!({"employeeNumber": "701984"})
    );
    let scim = base.diff(&target).to_scim_patch(&base).unwrap();
    let scim = serde_json::to_value(&scim).unwrap();
    let paths: Vec<&str> = scim["Operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["path"].as_str().unwrap_or(""))
        .collect();
    assert!(
        paths
            .contains(&"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber")
            || paths.contains(&"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
        "{scim}"
    );
    assert!(paths.contains(&"emails[type eq \"home\"]"), "{scim}");
}

// --- flattened custom attributes (Stripe's metadata-like extra keys) ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Product {
    #[patchable(skip)]
    pub id: String,
    #[patchable(skip)]
    pub object: String,
    pub name: String,
    pub active: Option<bool>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
    #[serde(flatten)]
    pub extra: HashMap<String, Value>,
}

#[test]
fn stripe_product_with_extra_keys() {
    let base: Product = serde_json::from_value(json!({
        "id": "prod_1", "object": "product", "name": "T-shirt", "active": true,
        "metadata": {"size": "M"}, "livemode": false, "images": ["a"]
    }))
    .unwrap();
    let mut target = base.clone();
    target.metadata.insert("color".into(), "red".into());
    target.extra.insert("images".into(), json!([]));
    target.extra.remove("livemode");
    target.active = None;
    let patch = base.diff(&target);
    let json = serde_json::to_value(&patch).unwrap();
    assert_eq!(
        json,
        json!({"active": null, "metadata": {"color": "red"}, "livemode": null, "images": []})
    );
    let back: ProductPatch = serde_json::from_value(json).unwrap();
    assert_eq!(back, patch);
    // A whole answer read as a patch does not put the read-only keys into the extra map.
    let read: ProductPatch = serde_json::from_value(serde_json::to_value(&base).unwrap()).unwrap();
    let text = serde_json::to_value(&read).unwrap();
    assert!(
        text.get("id").is_none() && text.get("object").is_none(),
        "{text}"
    );
}

// --- async-stripe: type aliases for maps and timestamps, the struct's own serde name and
// crate path ---
pub type Metadata = HashMap<String, String>;
pub type Timestamp = i64;
pub type OptionalMetadata = Option<Metadata>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(rename = "subscription", crate = "serde")]
pub struct Subscription {
    pub created: Timestamp,
    #[patchable(map)]
    pub metadata: Metadata,
    #[patchable(map, nullable)]
    pub extra_metadata: OptionalMetadata,
    pub counts: HashMap<Visibility, u32>,
    pub by_id: BTreeMap<u64, bool>,
}

#[test]
fn stripe_aliases_and_enum_keyed_maps() {
    let base = Subscription {
        created: 1,
        metadata: HashMap::from([("a".into(), "1".into())]),
        extra_metadata: None,
        counts: HashMap::from([(Visibility::Public, 1)]),
        by_id: BTreeMap::from([(1, true)]),
    };
    let target = Subscription {
        created: 2,
        metadata: HashMap::from([("b".into(), "2".into())]),
        extra_metadata: Some(HashMap::from([("c".into(), "3".into())])),
        counts: HashMap::from([(Visibility::PrivateToOrg, 2)]),
        by_id: BTreeMap::from([(2, false)]),
    };
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({
            "created": 2,
            "metadata": {"a": null, "b": "2"},
            "extra_metadata": {"c": "3"},
            "counts": {"PUBLIC": null, "PRIVATE_TO_ORG": 2},
            "by_id": {"1": null, "2": false}
        })
    );
    laws(&target, &base);
    let ops = serde_json::to_value(base.diff(&target).to_json_patch(&base).unwrap()).unwrap();
    assert!(ops.to_string().contains("/counts/PRIVATE_TO_ORG"), "{ops}");
}

// --- borrowed map keys and values ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Headers<'a> {
    #[serde(borrow)]
    pub map: BTreeMap<&'a str, &'a str>,
    pub owned: BTreeMap<Cow<'a, str>, Value>,
}

#[test]
fn borrowed_map_keys() {
    let text = String::from(r#"{"map":{"a":"1","b":null},"owned":{"k":{"x":1}}}"#);
    let patch: HeadersPatch<'_> = serde_json::from_str(&text).unwrap();
    let mut model = Headers {
        map: BTreeMap::from([("b", "2"), ("c", "3")]),
        owned: BTreeMap::from([(Cow::Borrowed("k"), json!({"y": 2}))]),
    };
    model.apply(patch).unwrap();
    assert_eq!(model.map, BTreeMap::from([("a", "1"), ("c", "3")]));
    assert_eq!(model.owned[&Cow::Borrowed("k")], json!({"x": 1, "y": 2}));
    let back = Headers::from_patch(model.to_patch()).unwrap();
    assert_eq!(back, model);
}

// --- `use serde_json::{Map, Value}`: an imported `Map<String, Value>` is untyped JSON, merged by
// RFC 7396 (a server merges it), also flattened ---
mod imported_map {
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value, json};
    use sparse_patch::Patchable;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
    pub struct Settings {
        pub name: String,
        pub settings: Map<String, Value>,
        pub maybe: Option<Map<String, Value>>,
        #[serde(flatten)]
        pub extra: Map<String, Value>,
    }

    #[test]
    fn an_imported_map_merges_key_by_key() {
        let base: Settings = serde_json::from_value(json!({
            "name": "a", "settings": {"a": 1, "b": {"c": 2, "d": 3}}, "maybe": {"m": 1},
            "x": 1, "y": 2
        }))
        .unwrap();
        let target: Settings = serde_json::from_value(json!({
            "name": "a", "settings": {"a": 1, "b": {"c": 2}}, "maybe": null, "x": 1
        }))
        .unwrap();
        let json = super::laws(&base, &target);
        assert_eq!(
            json,
            json!({"settings": {"b": {"d": null}}, "maybe": null, "y": null})
        );
    }
}

// --- an empty object that appears is sent as `{}`, nested or a map, and a required `null`
// is refused by the attribute's path ---
#[test]
fn empty_objects_that_appear_are_sent() {
    let base = ConfigMap::default();
    let mut target = base.clone();
    target.data = Some(BTreeMap::new());
    target.metadata.labels = Some(BTreeMap::new());
    let json = laws(&base, &target);
    assert_eq!(json, json!({"data": {}, "metadata": {"labels": {}}}));

    let mut user = ScimUser {
        schemas: vec![],
        id: None,
        external_id: None,
        user_name: "u".into(),
        name: None,
        active: false,
        emails: None,
        enterprise: None,
    };
    let mut target = user.clone();
    target.name = Some(ScimName::default());
    target.enterprise = Some(EnterpriseUser::default());
    let json = laws(&user, &target);
    assert_eq!(
        json,
        json!({"name": {}, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {}})
    );
    user.apply(serde_json::from_value(json).unwrap()).unwrap();
    assert_eq!(user, target);

    let error = serde_json::from_value::<ConfigMapPatch>(json!({"metadata": null})).unwrap_err();
    assert!(error.to_string().contains("`metadata`"), "{error}");
    let error = serde_json::from_value::<ConfigMapPatch>(
        json!({"metadata": {"ownerReferences": [{"kind": "A", "uid": 1}]}}),
    )
    .unwrap_err();
    assert!(!error.to_string().is_empty());
}

// --- aws-sdk's generated shapes spell every type with its full path ---
#[non_exhaustive]
#[derive(
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::std::fmt::Debug,
    ::serde::Serialize,
    ::serde::Deserialize,
    ::sparse_patch::Patchable,
)]
#[serde(rename_all = "PascalCase")]
pub struct SecretListEntry {
    /// <p>The Amazon Resource Name (ARN) of the secret.</p>
    pub arn: ::std::option::Option<::std::string::String>,
    pub name: ::std::option::Option<::std::string::String>,
    pub rotation_enabled: ::std::option::Option<bool>,
    pub tags: ::std::option::Option<::std::vec::Vec<crate::AwsTag>>,
    pub secret_versions_to_stages: ::std::option::Option<
        ::std::collections::HashMap<::std::string::String, ::std::vec::Vec<::std::string::String>>,
    >,
    pub owning_service: ::core::option::Option<::std::string::String>,
    pub extra: ::std::option::Option<serde_json::Map<::std::string::String, ::serde_json::Value>>,
}

#[test]
fn aws_full_paths() {
    let base = SecretListEntry {
        arn: Some("arn:aws:secretsmanager:1".into()),
        name: Some("db".into()),
        rotation_enabled: None,
        tags: None,
        secret_versions_to_stages: Some(::std::collections::HashMap::from([(
            "v1".into(),
            vec!["AWSCURRENT".into()],
        )])),
        owning_service: None,
        extra: None,
    };
    let target = SecretListEntry {
        arn: None,
        rotation_enabled: Some(true),
        tags: Some(vec![AwsTag::builder().key("k").build()]),
        secret_versions_to_stages: Some(::std::collections::HashMap::from([(
            "v2".into(),
            vec!["AWSPENDING".into()],
        )])),
        extra: Some(serde_json::Map::from_iter([("a".into(), json!(1))])),
        ..base.clone()
    };
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({
            "Arn": null, "RotationEnabled": true, "Tags": [{"Key": "k", "Value": null, "RequestId": null, "AlwaysCompiled": null, "Renamed": null}],
            "SecretVersionsToStages": {"v1": null, "v2": ["AWSPENDING"]},
            "Extra": {"a": 1}
        })
    );
    let patch = SecretListEntryPatch::new()
        .clear_name()
        .secret_versions_to_stages_entry("v3", vec!["X".to_owned()]);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"Name": null, "SecretVersionsToStages": {"v3": ["X"]}})
    );
}

// --- a struct default that fills maps and untyped JSON: an empty one is still built empty ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
#[serde(default)]
pub struct Defaults {
    pub labels: HashMap<String, String>,
    pub config: serde_json::Map<String, Value>,
    pub any: Value,
    #[patchable(nested)]
    pub name: ScimName,
    pub list: Vec<u8>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            labels: HashMap::from([("team".into(), "blue".into())]),
            config: serde_json::Map::from_iter([("a".into(), json!(1))]),
            any: json!({"b": 2}),
            name: ScimName {
                given_name: Some("G".into()),
                ..ScimName::default()
            },
            list: vec![1],
        }
    }
}

#[test]
fn struct_default_with_filled_maps() {
    let empty = Defaults {
        labels: HashMap::new(),
        config: serde_json::Map::new(),
        any: json!({}),
        name: ScimName::default(),
        list: vec![],
    };
    laws(&Defaults::default(), &empty);
    laws(&empty, &Defaults::default());
}

// --- a borrowing model nested in a borrowing model ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Commit<'a> {
    #[serde(borrow)]
    pub sha: Cow<'a, str>,
    #[serde(borrow)]
    #[patchable(nested)]
    pub author: Option<Label<'a>>,
    #[serde(borrow)]
    #[patchable(nested)]
    pub committer: Label<'a>,
}

#[test]
fn nested_borrowing_models() {
    let label = |name: &'static str| Label {
        name: Cow::Borrowed(name),
        color: None,
        description: None,
        node: "n",
    };
    let base = Commit {
        sha: Cow::Borrowed("abc"),
        author: None,
        committer: label("a"),
    };
    let target = Commit {
        sha: Cow::Borrowed("abd"),
        author: Some(label("b")),
        committer: label("c"),
    };
    let patch = base.diff(&target);
    let text = serde_json::to_string(&patch).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"sha": "abd", "author": {"name": "b", "node": "n"}, "committer": {"name": "c"}})
    );
    let back: CommitPatch<'_> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, patch);
    let mut applied = base.clone();
    applied.apply(back).unwrap();
    assert_eq!(applied, target);
    assert_eq!(Commit::from_patch(target.to_patch()).unwrap(), target);
}

// --- kube's dynamic `Object<P, U>`: generic nested spec and status, flattened type meta ---
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
#[serde(rename_all = "camelCase")]
pub struct TypeMeta {
    pub api_version: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Patchable)]
pub struct Object<P, U>
where
    P: Clone,
    U: Clone,
{
    #[serde(flatten)]
    #[patchable(nested)]
    pub types: TypeMeta,
    #[patchable(nested)]
    pub metadata: ObjectMeta,
    #[patchable(nested)]
    pub spec: P,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub status: Option<U>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
pub struct FooSpec {
    pub replicas: i32,
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
pub struct FooStatus {
    pub ready: bool,
    pub conditions: Vec<String>,
}

#[test]
fn kube_dynamic_object() {
    let base: Object<FooSpec, FooStatus> = Object {
        types: TypeMeta {
            api_version: "example.com/v1".into(),
            kind: "Foo".into(),
        },
        metadata: ObjectMeta {
            name: Some("foo".into()),
            ..ObjectMeta::default()
        },
        spec: FooSpec {
            replicas: 1,
            image: Some("nginx".into()),
        },
        status: None,
    };
    let mut target = base.clone();
    target.spec.replicas = 3;
    target.spec.image = None;
    target.status = Some(FooStatus {
        ready: true,
        conditions: vec![],
    });
    target.types.kind = "Bar".into();
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"kind": "Bar", "spec": {"replicas": 3, "image": null},
               "status": {"ready": true, "conditions": []}})
    );
}

// --- openapi-generator's required nullable attribute through an alias of `Option` ---
pub type NullableString = Option<String>;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Patchable)]
pub struct AliasedNullable {
    #[patchable(nullable)]
    #[serde(deserialize_with = "Option::deserialize")]
    pub note: NullableString,
}

#[test]
fn generic_deserialize_with_through_an_option_alias() {
    let patch: AliasedNullablePatch = serde_json::from_value(json!({"note": null})).unwrap();
    assert_eq!(patch.note, Field::Null);
    let patch: AliasedNullablePatch = serde_json::from_value(json!({"note": "n"})).unwrap();
    assert_eq!(patch.note, Field::Value("n".into()));
    laws(
        &AliasedNullable::default(),
        &AliasedNullable {
            note: Some("n".into()),
        },
    );
}
