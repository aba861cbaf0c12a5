//! The crate as an adopter with a REST API of their own (not PingOne) uses it, from the
//! public documentation alone: a GitHub issue, a Stripe customer, a Kubernetes deployment and
//! a generic envelope, through the derive, the setters, `diff`, `apply`, `then` and the three
//! dialects, checked against `json_patch::merge` / `json_patch::patch` on the models' JSON; and
//! the media types that such an adopter sends each dialect with.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Diff, FromPatch, Patch, Patchable};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueState {
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateReason {
    Completed,
    NotPlanned,
    Reopened,
}

macro_rules! schema {
    ($t:ty, $s:tt) => {
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($t).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($s)
            }
        }
    };
}
schema!(IssueState, {"enum": ["open", "closed"]});
schema!(StateReason, {"enum": ["completed", "not_planned", "reopened"]});
schema!(Container, {"type": "object"});

/// `PATCH /repos/{owner}/{repo}/issues/{number}`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    #[patchable(skip)]
    pub id: u64,
    pub title: String,
    pub body: Option<String>,
    pub assignees: Vec<String>,
    pub labels: Vec<String>,
    pub milestone: Option<u64>,
    pub state: IssueState,
    pub state_reason: Option<StateReason>,
    #[patchable(skip)]
    pub created_at: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub line1: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
}

/// A Stripe-like customer: `metadata` entries set and removed one by one, unknown keys kept.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    #[patchable(skip)]
    pub id: String,
    pub email: Option<String>,
    pub balance: i64,
    pub metadata: HashMap<String, String>,
    #[patchable(nested)]
    pub address: Option<Address>,
    pub discount_rate: f64,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub annotations: Option<BTreeMap<String, String>>,
    #[patchable(skip)]
    pub resource_version: Option<String>,
    #[patchable(skip)]
    pub creation_timestamp: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: String,
    pub args: Vec<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Strategy {
    pub max_surge: Option<u32>,
    pub max_unavailable: Option<u32>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    pub replicas: Option<i32>,
    #[patchable(nested)]
    pub strategy: Option<Strategy>,
    #[patchable(key = "name")]
    pub containers: Vec<Container>,
    pub paused: bool,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub api_version: String,
    pub kind: String,
    #[patchable(nested)]
    pub metadata: ObjectMeta,
    #[patchable(nested)]
    pub spec: DeploymentSpec,
}

/// A generic envelope around any patchable resource.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    #[patchable(nested)]
    pub data: T,
    pub etag: Option<String>,
}

/// `value` without `null` members, at any depth: a merge patch cannot tell them from missing.
fn strip(mut value: Value) -> Value {
    if let Value::Object(members) = &mut value {
        members.retain(|_, member| !member.is_null());
        for member in members.values_mut() {
            *member = strip(member.take());
        }
    }
    value
}

/// `base`'s JSON merged with `patch`'s, without `null` members.
fn merged<M: Serialize>(base: &M, patch: &impl Serialize) -> Value {
    let mut doc = serde_json::to_value(base).unwrap();
    json_patch::merge(&mut doc, &serde_json::to_value(patch).unwrap());
    strip(doc)
}

/// `patch`'s RFC 6902 operations applied to `base`'s JSON by `json_patch::patch` give what
/// `json_patch::merge` gives, and its SCIM output is built.
fn dialects_agree<M: Patchable + Serialize>(base: &M, patch: &M::Patch)
where
    M::Patch: Serialize,
{
    let operations = patch.to_json_patch(base).unwrap();
    let operations: json_patch::Patch =
        serde_json::from_value(serde_json::to_value(&operations).unwrap()).unwrap();
    let mut doc = serde_json::to_value(base).unwrap();
    json_patch::patch(&mut doc, &operations).unwrap();
    assert_eq!(strip(doc), merged(base, patch));
    patch.to_scim_patch(base).unwrap();
}

/// `diff`, `apply`, the JSON read back and the dialects, from `base` to `target`.
fn laws<M>(base: &M, target: &M) -> Value
where
    M: Patchable + Diff + FromPatch + Serialize + Clone + PartialEq + Debug,
    M::Patch: Serialize + serde::de::DeserializeOwned + PartialEq + Debug + Clone,
{
    let patch = base.diff(target);
    let json = serde_json::to_value(&patch).unwrap();
    assert_eq!(
        merged(base, &patch),
        strip(serde_json::to_value(target).unwrap())
    );
    let read: M::Patch = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(read, patch);
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    assert_eq!(&applied, target);
    dialects_agree(base, &patch);
    json
}

fn issue() -> Issue {
    Issue {
        id: 1,
        title: "Crash".into(),
        body: Some("it crashes".into()),
        assignees: vec!["octocat".into()],
        labels: vec!["bug".into()],
        milestone: Some(3),
        state: IssueState::Open,
        state_reason: None,
        created_at: "2024-01-01T00:00:00Z".into(),
    }
}

#[test]
fn github_issue_closed_as_not_planned() {
    let base = issue();
    let mut target = base.clone();
    target.state = IssueState::Closed;
    target.state_reason = Some(StateReason::NotPlanned);
    target.body = None;
    target.milestone = None;
    target.assignees.clear();
    assert_eq!(
        laws(&base, &target),
        json!({"body": null, "assignees": [], "milestone": null, "state": "closed", "state_reason": "not_planned"})
    );
    let typed = IssuePatch::new()
        .state(IssueState::Closed)
        .state_reason(StateReason::NotPlanned)
        .clear_body()
        .clear_milestone()
        .assignees(Vec::new());
    assert_eq!(typed, base.diff(&target));
}

fn customer() -> Customer {
    Customer {
        id: "cus_1".into(),
        email: Some("a@example.com".into()),
        balance: 0,
        metadata: HashMap::from([
            ("order".into(), "6735".into()),
            ("tier".into(), "gold".into()),
        ]),
        address: None,
        discount_rate: 0.1,
        extra: BTreeMap::from([("livemode".into(), json!(false))]),
    }
}

#[test]
fn stripe_customer_metadata_entries_and_composition() {
    let base = customer();
    let mut target = base.clone();
    target.metadata.remove("tier");
    target.metadata.insert("vip".into(), "yes".into());
    target.address = Some(Address {
        line1: None,
        city: Some("Berlin".into()),
        postal_code: None,
    });
    target.discount_rate = 0.25;
    target
        .extra
        .insert("preferred_locales".into(), json!(["de"]));
    let first = base.diff(&target);
    assert_eq!(
        laws(&base, &target),
        json!({
            "metadata": {"tier": null, "vip": "yes"},
            "address": {"city": "Berlin"},
            "discount_rate": 0.25,
            "preferred_locales": ["de"]
        })
    );
    let next = CustomerPatch::new()
        .metadata_entry("k", "v")
        .clear_metadata_entry("order")
        .balance(5i64);
    let both = first.clone().then(next.clone()).unwrap();
    let mut in_turn = base.clone();
    in_turn.apply(first.clone()).unwrap();
    in_turn.apply(next.clone()).unwrap();
    let mut at_once = base.clone();
    at_once.apply(both.clone()).unwrap();
    assert_eq!(in_turn, at_once);
    let mut doc = serde_json::to_value(&base).unwrap();
    json_patch::merge(&mut doc, &serde_json::to_value(&first).unwrap());
    json_patch::merge(&mut doc, &serde_json::to_value(&next).unwrap());
    assert_eq!(strip(doc), merged(&base, &both));
    dialects_agree(&base, &both);
    // The server's whole answer read as a patch: the read-only `id` is dropped, not kept as
    // an unknown key.
    let answer: CustomerPatch =
        serde_json::from_value(serde_json::to_value(&base).unwrap()).unwrap();
    assert!(!answer.extra.contains_key("id"));
    assert_eq!(Customer::from_patch(answer).unwrap().id, "");
}

fn deployment() -> Deployment {
    Deployment {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        metadata: ObjectMeta {
            name: "web".into(),
            namespace: Some("default".into()),
            labels: BTreeMap::from([("app.kubernetes.io/name".into(), "web".into())]),
            annotations: None,
            resource_version: Some("12".into()),
            creation_timestamp: Some("2024-01-01T00:00:00Z".into()),
        },
        spec: DeploymentSpec {
            replicas: Some(2),
            strategy: None,
            containers: vec![
                Container {
                    name: "app".into(),
                    image: "web:1".into(),
                    args: vec![],
                },
                Container {
                    name: "sidecar".into(),
                    image: "envoy:1".into(),
                    args: vec!["-v".into()],
                },
            ],
            paused: false,
        },
    }
}

#[test]
fn kube_deployment_labels_annotations_and_spec() {
    let base = deployment();
    let mut target = base.clone();
    target.metadata.labels.insert("tier".into(), "front".into());
    target.metadata.labels.remove("app.kubernetes.io/name");
    target.metadata.annotations = Some(BTreeMap::from([("a/b".into(), "c~d".into())]));
    target.spec.replicas = Some(3);
    target.spec.containers[0].image = "web:2".into();
    target.spec.strategy = Some(Strategy {
        max_surge: Some(1),
        max_unavailable: None,
    });
    laws(&base, &target);
    let operations = base.diff(&target).to_json_patch(&base).unwrap();
    assert!(
        operations.contains(&sparse_patch::JsonPatchOperation::Remove {
            path: "/metadata/labels/app.kubernetes.io~1name".into()
        })
    );

    // A refused apply (two containers named alike) changes nothing, not even `kind`.
    let mut model = base.clone();
    let twins = vec![
        Container {
            name: "a".into(),
            image: "i".into(),
            args: vec![],
        };
        2
    ];
    let bad = DeploymentPatch::new()
        .kind("X")
        .spec(DeploymentSpecPatch::new().containers(twins));
    let error = model.apply(bad).unwrap_err();
    assert!(error.to_string().contains("spec.containers"), "{error}");
    assert_eq!(model, base);

    // The annotations map: absent, empty and filled, each way.
    let maps = [
        None,
        Some(BTreeMap::new()),
        Some(BTreeMap::from([("a".into(), "b".into())])),
    ];
    for from in &maps {
        for to in &maps {
            let mut a = base.clone();
            a.metadata.annotations = from.clone();
            let mut b = base.clone();
            b.metadata.annotations = to.clone();
            laws(&a, &b);
        }
    }
}

#[test]
fn generic_envelope() {
    let mut target = deployment();
    target.spec.paused = true;
    target.metadata.namespace = None;
    let base = Envelope {
        data: deployment(),
        etag: Some("e1".into()),
    };
    let target = Envelope {
        data: target,
        etag: None,
    };
    assert_eq!(
        laws(&base, &target),
        json!({"data": {"metadata": {"namespace": null}, "spec": {"paused": true}}, "etag": null})
    );
    let schema = schemars::schema_for!(EnvelopePatch<Deployment>).to_value();
    assert_eq!(
        schema["properties"]["data"]["$ref"],
        "#/$defs/DeploymentPatch"
    );
}

#[test]
fn each_dialect_has_its_media_type() {
    assert_eq!(
        sparse_patch::MERGE_PATCH_CONTENT_TYPE,
        "application/merge-patch+json"
    );
    assert_eq!(
        sparse_patch::JSON_PATCH_CONTENT_TYPE,
        "application/json-patch+json"
    );
    assert_eq!(sparse_patch::SCIM_CONTENT_TYPE, "application/scim+json");
    assert_ne!(
        sparse_patch::SCIM_PATCH_CONTENT_TYPE,
        sparse_patch::SCIM_CONTENT_TYPE
    );
}

/// A read-only attribute marked only `#[serde(skip_serializing)]`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueWithNumber {
    #[serde(skip_serializing)]
    pub number: u64,
    pub title: String,
}

#[test]
fn a_skip_serializing_field_stays_in_the_patch_but_not_in_its_json() {
    let base = IssueWithNumber {
        number: 7,
        title: "Crash".into(),
    };
    let target = IssueWithNumber {
        number: 8,
        ..base.clone()
    };
    let patch = base.diff(&target);
    // As the README's known limits and `Patch::is_empty` say.
    assert!(!patch.is_empty());
    assert_eq!(serde_json::to_string(&patch).unwrap(), "{}");
    assert!(patch.to_json_patch(&base).unwrap().is_empty());
}
