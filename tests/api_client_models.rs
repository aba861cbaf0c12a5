//! The derive on models of public Rust API clients (octocrab's issues, labels and reactions,
//! kube-core's `ObjectList`, twilight's `Member`, graphql_client's error, an Okta user as its
//! generated client writes it, a SCIM group), with their serde attributes as written, and on
//! shapes such clients use (borrowed request bodies, a generic resource, marker-typed IDs, a
//! recursive comment tree, non-ASCII keys): the patch's keys are the model's, and `diff`,
//! `apply` and the patch's JSON agree with serde's JSON of the model. Types of crates outside
//! the tree (chrono, url, twilight's `Id`) are local stand-ins with the same serde shape.
#![deny(warnings)]
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Diff, Field, FromPatch, Patch, Patchable};

#[macro_use]
#[path = "support/model_json.rs"]
mod model_json;

/// The laws on one pair of models, serde's JSON of the model being the oracle: the diff's JSON
/// merged (RFC 7396) into the base's JSON reads back as the target, the JSON reads back to the
/// same patch, `apply` reaches the target, and `from_patch(to_patch)` gives the target's
/// patched attributes back.
fn laws<M>(base: &M, target: &M) -> Value
where
    M: Patchable + Diff + FromPatch + Serialize + DeserializeOwned + Clone + PartialEq + Debug,
    M::Patch: Serialize + DeserializeOwned + PartialEq + Debug + Clone,
{
    let patch = base.diff(target);
    let json = serde_json::to_value(&patch).unwrap();
    let back: M::Patch = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, patch, "read back from {json}");
    let mut applied = base.clone();
    applied.apply(back).unwrap();
    assert_eq!(&applied, target, "apply of {json}");
    let mut merged = serde_json::to_value(base).unwrap();
    json_patch::merge(&mut merged, &json);
    let read: M = serde_json::from_value(merged.clone()).unwrap();
    assert_eq!(&read, target, "merged document of {json}");
    assert!(base.diff(base).is_empty());
    // Read-only attributes are the patch's to leave out: compared through the patch.
    let rebuilt = M::from_patch(target.to_patch()).unwrap();
    assert_eq!(rebuilt.to_patch(), target.to_patch());
    json
}

// --- stand-ins: chrono's `DateTime<Utc>` and url's `Url` are strings in JSON ---
pub type Url = String;
pub type DateTime = String;

// --- octocrab (`src/models.rs`, `src/models/issues.rs`), the issue trimmed to fields of std
// types, with GitHub's `reactions` rollup nested ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reactions {
    pub url: Url,
    pub total_count: u32,
    #[serde(rename = "+1")]
    pub plus_one: u32,
    #[serde(rename = "-1")]
    pub minus_one: u32,
    pub laugh: u32,
    pub confused: u32,
    pub heart: u32,
    pub hooray: u32,
    pub eyes: u32,
    pub rocket: u32,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Label {
    pub id: u64,
    pub node_id: String,
    pub url: Url,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub color: String,
    #[patchable(setter = "set_default")]
    pub default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueState {
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueStateReason {
    Completed,
    NotPlanned,
    Reopened,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Milestone {
    pub url: Url,
    pub id: u64,
    pub number: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_issues: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_on: Option<DateTime>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Issue {
    #[patchable(skip)]
    pub id: u64,
    pub node_id: String,
    pub url: Url,
    pub number: u64,
    pub state: IssueState,
    pub state_reason: Option<IssueStateReason>,
    pub title: String,
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
    #[patchable(nested)]
    pub reactions: Reactions,
    pub labels: Vec<Label>,
    pub assignees: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub milestone: Option<Milestone>,
    pub locked: bool,
    pub comments: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime>,
    pub created_at: DateTime,
}

any_schema!(IssueState, IssueStateReason, Label);

fn reactions() -> Reactions {
    Reactions {
        url: "https://api.github.com/r".into(),
        total_count: 3,
        plus_one: 2,
        minus_one: 1,
        laugh: 0,
        confused: 0,
        heart: 0,
        hooray: 0,
        eyes: 0,
        rocket: 0,
    }
}

fn issue() -> Issue {
    Issue {
        id: 1,
        node_id: "MDU6SXNzdWUx".into(),
        url: "https://api.github.com/repos/o/r/issues/1347".into(),
        number: 1347,
        state: IssueState::Open,
        state_reason: None,
        title: "Found a bug".into(),
        body: Some("I'm having a problem with this.".into()),
        body_text: None,
        reactions: reactions(),
        labels: vec![],
        assignees: vec!["octocat".into()],
        milestone: None,
        locked: false,
        comments: 0,
        closed_at: None,
        created_at: "2011-04-22T13:33:48Z".into(),
    }
}

#[test]
fn octocrab_reactions_keys_that_are_not_identifiers() {
    let base = reactions();
    let mut target = base.clone();
    target.plus_one = 5;
    target.minus_one = 0;
    let json = laws(&base, &target);
    assert_eq!(json, json!({"+1": 5, "-1": 0}));
    let read: ReactionsPatch = serde_json::from_value(json!({"+1": 7})).unwrap();
    assert_eq!(read, ReactionsPatch::new().plus_one(7_u32));
}

#[test]
fn octocrab_label_with_a_default_attribute() {
    let base = Label {
        id: 208045946,
        node_id: "MDU6TGFiZWwyMDgwNDU5NDY=".into(),
        url: "https://api.github.com/repos/o/r/labels/bug".into(),
        name: "bug".into(),
        description: Some("Something isn't working".into()),
        color: "f29513".into(),
        default: true,
    };
    let mut target = base.clone();
    target.default = false;
    target.description = None;
    let json = laws(&base, &target);
    assert_eq!(json, json!({"default": false, "description": null}));
    assert_eq!(
        LabelPatch::new().set_default(false).clear_description(),
        serde_json::from_value(json).unwrap()
    );
}

#[test]
fn octocrab_issue_closed_with_a_milestone() {
    let base = issue();
    let mut target = base.clone();
    target.state = IssueState::Closed;
    target.state_reason = Some(IssueStateReason::NotPlanned);
    target.closed_at = Some("2011-04-23T13:33:48Z".into());
    target.reactions.heart = 1;
    target.milestone = Some(Milestone {
        url: "https://api.github.com/repos/o/r/milestones/1".into(),
        id: 1002604,
        number: 1,
        state: Some("open".into()),
        title: "v1.0".into(),
        description: None,
        open_issues: Some(4),
        due_on: None,
    });
    let json = laws(&base, &target);
    assert_eq!(json["state"], json!("closed"));
    assert_eq!(json["state_reason"], json!("not_planned"));
    assert_eq!(json["reactions"], json!({"heart": 1}));
    let mut next = target.clone();
    next.milestone.as_mut().unwrap().title = "v1.1".into();
    next.milestone.as_mut().unwrap().open_issues = None;
    next.state_reason = None;
    let json = laws(&target, &next);
    assert_eq!(
        json,
        json!({"state_reason": null, "milestone": {"title": "v1.1", "open_issues": null}})
    );
}

// --- kube-core (`src/object.rs`): `ObjectList<T> where T: Clone`, whose field bound names
// serde's `'de` ---
#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continue_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_item_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_link: Option<String>,
}

#[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ObjectList<T>
where
    T: Clone,
{
    /// ListMeta - only really used for its `resourceVersion`
    #[patchable(nested)]
    pub metadata: ListMeta,
    /// The items we are actually interested in. In practice; `T := Resource<T,U>`.
    #[serde(bound(deserialize = "Vec<T>: Deserialize<'de>"))]
    pub items: Vec<T>,
}

#[test]
fn kube_object_list_with_a_bound_naming_de() {
    let base = ObjectList {
        metadata: ListMeta {
            resource_version: Some("1".into()),
            ..ListMeta::default()
        },
        items: vec![1_u8, 2, 3],
    };
    let mut target = base.clone();
    target.items.pop();
    target.metadata.resource_version = Some("2".into());
    target.metadata.continue_ = Some("tok".into());
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"metadata": {"continue": "tok", "resourceVersion": "2"}, "items": [1, 2]})
    );
}

// --- a generic model whose field is a projection of its parameter (`K::Spec`) ---
pub trait Resource {
    type Spec;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pod;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PodSpec {
    pub node_name: Option<String>,
}

impl Resource for Pod {
    type Spec = PodSpec;
}

any_schema!(PodSpec, Pod);

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Desired<K: Resource> {
    pub name: String,
    pub spec: K::Spec,
    pub previous: Option<K::Spec>,
    #[serde(skip)]
    pub kind: PhantomData<K>,
}

#[test]
fn associated_type_fields() {
    let base: Desired<Pod> = Desired {
        name: "web".into(),
        spec: PodSpec::default(),
        previous: None,
        kind: PhantomData,
    };
    let mut target = base.clone();
    target.spec.node_name = Some("node-1".into());
    target.previous = Some(PodSpec::default());
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"spec": {"node_name": "node-1"}, "previous": {"node_name": null}})
    );
}

// --- an Okta user as openapi-generator writes it: `_links` and `_embedded` named as in JSON, a
// profile with custom attributes flattened ---
#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    #[serde(flatten)]
    pub additional_properties: HashMap<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[allow(non_snake_case)]
pub struct OktaUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[patchable(skip)]
    pub id: Option<String>,
    #[serde(rename = "_embedded", skip_serializing_if = "Option::is_none")]
    pub _embedded: Option<HashMap<String, Value>>,
    #[serde(rename = "_links", skip_serializing_if = "Option::is_none")]
    pub _links: Option<HashMap<String, Value>>,
    #[serde(rename = "lastLogin", skip_serializing_if = "Option::is_none")]
    pub last_login: Option<DateTime>,
    #[serde(rename = "profile", skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub profile: Option<Box<UserProfile>>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<Value>,
}

#[test]
fn okta_user_links_and_custom_profile_attributes() {
    let base: OktaUser = serde_json::from_value(json!({
        "id": "00ub0oNGTSWTBKOLGLNR",
        "_links": {"self": {"href": "https://x/api/v1/users/00ub"}, "suspend": {"href": "s", "method": "POST"}},
        "profile": {"firstName": "Isaac", "login": "isaac@example.org", "costCenter": "10", "badges": [1]},
        "type": {"id": "otyfnjfba4ye7pgjB0g4"}
    }))
    .unwrap();
    let target: OktaUser = serde_json::from_value(json!({
        "id": "00ub0oNGTSWTBKOLGLNR",
        "_links": {"self": {"href": "https://x/api/v1/users/00ub"}, "unsuspend": {"href": "u", "method": "POST"}},
        "profile": {"firstName": "Isaac", "lastName": "Brock", "login": "isaac@example.org", "costCenter": "20"},
        "type": {"id": "otyfnjfba4ye7pgjB0g4"},
        "lastLogin": "2013-06-24T17:39:19.000Z"
    }))
    .unwrap();
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({
            "_links": {"suspend": null, "unsuspend": {"href": "u", "method": "POST"}},
            "lastLogin": "2013-06-24T17:39:19.000Z",
            "profile": {"lastName": "Brock", "costCenter": "20", "badges": null}
        })
    );
    let patch = OktaUserPatch::new().clear__links().clear_type();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"_links": null, "type": null})
    );
}

// --- twilight-model (`guild/member.rs`): IDs generic over a marker, written as strings ---
/// twilight's `Id<T>`, shared with the other tests of public API clients' models.
#[path = "support/marker_id.rs"]
mod marker_id;
use marker_id::Id;

/// Markers: std's derives (as the model's derives of `Clone`, `Debug` and `PartialEq` ask of
/// a parameter), no serde, no schema.
#[derive(Clone, Debug, PartialEq)]
pub enum RoleMarker {}
#[derive(Clone, Debug, PartialEq)]
pub enum GuildMarker {}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    pub communication_disabled_until: Option<DateTime>,
    pub deaf: bool,
    pub flags: u64,
    pub joined_at: Option<DateTime>,
    pub mute: bool,
    pub nick: Option<String>,
    #[serde(default)]
    pub pending: bool,
    pub premium_since: Option<DateTime>,
    pub roles: Vec<Id<RoleMarker>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<Id<GuildMarker>>,
}

/// A generic model over a marker, as a client's wrapper of twilight's IDs writes it: the
/// marker has no serde, and `Id<M>` needs none, which `bound = ""` tells serde.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Mention<M> {
    pub id: Id<M>,
    pub previous: Option<Id<M>>,
    pub all: Vec<Id<M>>,
}

#[test]
fn twilight_member_with_marker_ids() {
    let base: Member = serde_json::from_value(json!({
        "communication_disabled_until": null, "deaf": false, "flags": 0,
        "joined_at": "2015-04-26T06:26:56.936000+00:00", "mute": false, "nick": "chunk",
        "premium_since": null, "roles": ["2"], "guild_id": "1"
    }))
    .unwrap();
    let mut target = base.clone();
    target.roles.push(Id::new(3));
    target.nick = None;
    target.pending = true;
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"nick": null, "pending": true, "roles": ["2", "3"]})
    );
}

#[test]
fn generic_over_a_marker_without_traits() {
    let base: Mention<RoleMarker> = Mention {
        id: Id::new(1),
        previous: None,
        all: vec![],
    };
    let target = Mention {
        id: Id::new(2),
        previous: Some(Id::new(1)),
        all: vec![Id::new(1)],
    };
    let json = laws(&base, &target);
    assert_eq!(json, json!({"id": "2", "previous": "1", "all": ["1"]}));
}

// --- graphql_client (`graphql_client/src/lib.rs`): an error's path of untagged fragments ---
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PathFragment {
    Key(String),
    Index(i32),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub line: i32,
    pub column: i32,
}

any_schema!(PathFragment, Location);

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphQlError {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<Location>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<PathFragment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extensions: Option<HashMap<String, Value>>,
}

#[test]
fn graphql_error_with_untagged_path() {
    let base: GraphQlError = serde_json::from_value(json!({
        "message": "Name for character with ID 1002 could not be fetched.",
        "locations": [{"line": 6, "column": 7}],
        "path": ["hero", "heroFriends", 1, "name"],
        "extensions": {"code": "CAN_NOT_FETCH_BY_ID", "timestamp": "Fri Feb 9 14:33:09 UTC 2018"}
    }))
    .unwrap();
    let target: GraphQlError = serde_json::from_value(json!({
        "message": "other",
        "path": ["hero", 2],
        "extensions": {"code": "CAN_NOT_FETCH_BY_ID", "retry": {"after": 3}}
    }))
    .unwrap();
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"message": "other", "locations": null, "path": ["hero", 2],
               "extensions": {"timestamp": null, "retry": {"after": 3}}})
    );
}

// --- SCIM (RFC 7643 §4.2, as scim-v2 and scim_proto write a group's member): `$ref`, `type` ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMember {
    pub value: String,
    #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
    pub r#ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub schemas: Vec<String>,
    #[patchable(skip)]
    pub id: Option<String>,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<GroupMember>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

any_schema!(GroupMember);

#[test]
fn scim_group_member_ref_and_type() {
    let member = GroupMember {
        value: "2819c223".into(),
        r#ref: Some("https://example.com/v2/Users/2819c223".into()),
        display: Some("Babs Jensen".into()),
        type_: Some("User".into()),
    };
    let mut other = member.clone();
    other.r#ref = None;
    other.type_ = Some("Group".into());
    let json = laws(&member, &other);
    assert_eq!(json, json!({"$ref": null, "type": "Group"}));
    assert_eq!(
        serde_json::to_value(GroupMemberPatch::new().r#ref("x").clear_type_()).unwrap(),
        json!({"$ref": "x", "type": null})
    );
    let base = Group {
        schemas: vec!["urn:ietf:params:scim:schemas:core:2.0:Group".into()],
        id: Some("e9e30dba".into()),
        display_name: "Tour Guides".into(),
        members: vec![member],
        external_id: None,
    };
    let mut target = base.clone();
    target.members.clear();
    target.display_name = "Guides".into();
    let json = laws(&base, &target);
    assert_eq!(json, json!({"displayName": "Guides", "members": []}));
}

/// A marker with no trait at all.
pub enum BareMarker {}

/// The model's own impls written by hand, as twilight writes `Id`'s: none asks anything of `M`.
#[derive(Patchable, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Bare<M> {
    pub id: Id<M>,
    pub previous: Option<Id<M>>,
}

impl<M> Clone for Bare<M> {
    fn clone(&self) -> Self {
        Bare {
            id: self.id,
            previous: self.previous,
        }
    }
}
impl<M> PartialEq for Bare<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.previous == other.previous
    }
}
impl<M> Debug for Bare<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bare({:?}, {:?})", self.id, self.previous)
    }
}

#[test]
fn generic_over_a_bare_marker() {
    let base: Bare<BareMarker> = Bare {
        id: Id::new(1),
        previous: None,
    };
    let target = Bare {
        id: Id::new(2),
        previous: Some(Id::new(1)),
    };
    let json = laws(&base, &target);
    assert_eq!(json, json!({"id": "2", "previous": "1"}));
}

// --- kube-core's `DynamicObject`-like generic: a flattened generic nested body, boxed data ---
#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecretData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default)]
    pub immutable: bool,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource2<T> {
    pub api_version: String,
    #[serde(flatten)]
    #[patchable(nested)]
    pub data: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[patchable(nested)]
    pub previous: Option<Box<T>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

#[test]
fn flattened_generic_body() {
    let base = Resource2 {
        api_version: "v1".into(),
        data: SecretData {
            token: Some("a".into()),
            immutable: false,
        },
        previous: None,
        annotations: BTreeMap::from([("a/b".to_owned(), "1".to_owned())]),
    };
    let mut target = base.clone();
    target.data.token = None;
    target.data.immutable = true;
    target.previous = Some(Box::new(base.data.clone()));
    target.annotations.clear();
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"token": null, "immutable": true, "previous": {"token": "a", "immutable": false},
               "annotations": {"a/b": null}})
    );
}

// --- borrowed request bodies (octocrab's and reqwest users' `&'a str` fields) ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateComment<'a, T> {
    pub body: &'a str,
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<&'a str>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub path: Option<Cow<'a, str>>,
    pub extra: T,
    pub labels: Vec<&'a str>,
    pub name: Box<str>,
    pub shared: Arc<str>,
    pub maybe: Option<Arc<str>>,
}

#[test]
fn borrowed_request_body() {
    let base = CreateComment {
        body: "Great stuff",
        title: Cow::Borrowed("t"),
        in_reply_to: None,
        path: Some(Cow::Borrowed("file1.txt")),
        extra: 1_u8,
        labels: vec!["a"],
        name: "n".into(),
        shared: "s".into(),
        maybe: None,
    };
    let mut target = base.clone();
    target.body = "Better";
    target.in_reply_to = Some("426899381");
    target.path = None;
    target.title = Cow::Owned("u".into());
    target.labels = vec![];
    target.name = "m".into();
    target.maybe = Some("x".into());
    let patch = base.diff(&target);
    let text = serde_json::to_string(&patch).unwrap();
    assert_eq!(
        text,
        r#"{"body":"Better","title":"u","in_reply_to":"426899381","path":null,"labels":[],"name":"m","maybe":"x"}"#
    );
    let back: CreateCommentPatch<'_, u8> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, patch);
    let mut applied = base.clone();
    applied.apply(back).unwrap();
    assert_eq!(applied, target);
}

// --- `serde(default)` on the struct, a nested required attribute that takes it ---
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    pub retries: u32,
    #[patchable(nested)]
    pub limits: Limits,
    #[serde(alias = "time_out", alias = "timeOut")]
    pub timeout_ms: u64,
}

#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Limits {
    pub per_second: u32,
    pub burst: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            retries: 3,
            limits: Limits::default(),
            timeout_ms: 30_000,
        }
    }
}

#[test]
fn struct_default_with_aliases() {
    let from_empty = Settings::from_patch(serde_json::from_value(json!({})).unwrap()).unwrap();
    assert_eq!(
        from_empty,
        serde_json::from_value::<Settings>(json!({})).unwrap()
    );
    // A nested patch without its required attribute fails, as serde's reading of the model
    // does: the struct's default is not merged into.
    let read: SettingsPatch =
        serde_json::from_value(json!({"time_out": 5, "limits": {"burst": 2}})).unwrap();
    assert_eq!(
        Settings::from_patch(read).unwrap_err().path(),
        "limits.per_second"
    );
    let read: SettingsPatch = serde_json::from_value(json!({"timeOut": 5})).unwrap();
    assert_eq!(
        Settings::from_patch(read).unwrap(),
        serde_json::from_value::<Settings>(json!({"timeOut": 5})).unwrap()
    );
    let mut target = Settings::default();
    target.limits.burst = Some(9);
    target.timeout_ms = 1;
    let json = laws(&Settings::default(), &target);
    assert_eq!(json, json!({"limits": {"burst": 9}, "timeoutMs": 1}));
}

// --- non-ASCII and empty keys ---
#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Größen {
    pub größe_in_cm: Option<u32>,
    #[serde(rename = "")]
    pub empty: Option<String>,
    #[serde(rename = "ключ")]
    pub key: String,
}

#[test]
fn non_ascii_and_empty_keys() {
    let base = Größen::default();
    let target = Größen {
        größe_in_cm: Some(180),
        empty: Some("e".into()),
        key: "к".into(),
    };
    let json = laws(&base, &target);
    assert_eq!(json, json!({"größeInCm": 180, "": "e", "ключ": "к"}));
    let patch = GrößenPatch::new().clear_größe_in_cm().clear_empty();
    assert_eq!(
        serde_json::to_value(patch).unwrap(),
        json!({"größeInCm": null, "": null})
    );
}

// --- GitHub answers `"labels": null` at times: read as empty, as octocrab-like clients do ---
fn deserialize_null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    T: Default + Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PullRequestLabels<'a, T>
where
    T: Clone + 'a,
{
    #[serde(default, deserialize_with = "deserialize_null_default")]
    pub labels: Vec<String>,
    pub reviewers: Cow<'a, [T]>,
    pub by_team: HashMap<String, T>,
    #[serde(rename(serialize = "headRef"), alias = "head")]
    pub head_ref: Option<String>,
}

#[test]
fn null_read_as_default_and_borrowed_slices() {
    let base: PullRequestLabels<'static, u32> = PullRequestLabels {
        labels: vec!["bug".into()],
        reviewers: Cow::Owned(vec![1, 2]),
        by_team: HashMap::from([("core".to_owned(), 1)]),
        head_ref: Some("main".into()),
    };
    let patch: PullRequestLabelsPatch<'_, u32> =
        serde_json::from_value(json!({"labels": null, "head": "dev"})).unwrap();
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    assert_eq!(applied.labels, Vec::<String>::new());
    assert_eq!(applied.head_ref.as_deref(), Some("dev"));
    let target = PullRequestLabels {
        labels: vec![],
        reviewers: Cow::Owned(vec![3]),
        by_team: HashMap::from([("docs".to_owned(), 2)]),
        head_ref: None,
    };
    let diff = base.diff(&target);
    let json = serde_json::to_value(&diff).unwrap();
    assert_eq!(
        json,
        json!({"labels": [], "reviewers": [3], "by_team": {"core": null, "docs": 2}, "headRef": null})
    );
    let mut applied = base.clone();
    applied.apply(diff).unwrap();
    assert_eq!(applied, target);
}

// --- Hacker News' and Reddit's clients: a comment tree, recursive through `Self` ---
#[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HnItem {
    pub by: String,
    #[serde(default)]
    pub kids: Vec<Self>,
    pub parent: Option<Box<Self>>,
    #[serde(default)]
    pub by_id: BTreeMap<String, Self>,
    pub text: Option<String>,
}

any_schema!(HnItem);

#[test]
fn recursive_model_sent_whole() {
    let leaf = HnItem {
        by: "pg".into(),
        ..HnItem::default()
    };
    let base = HnItem {
        by: "dhouston".into(),
        kids: vec![leaf.clone()],
        ..HnItem::default()
    };
    let mut target = base.clone();
    target.parent = Some(Box::new(leaf.clone()));
    target.by_id.insert("8863".into(), leaf.clone());
    target.kids.clear();
    target.text = Some("<i>or</i> HTML".into());
    let json = laws(&base, &target);
    assert_eq!(json["parent"]["by"], "pg");
    assert_eq!(json["by_id"]["8863"]["by"], "pg");
    assert_eq!(json["kids"], json!([]));
    let patch = HnItemPatch::new()
        .parent(Box::new(leaf.clone()))
        .by_id_entry("1", leaf);
    assert!(!patch.is_empty());
}

// --- a k8s-style generic resource whose patch is on serde's derives (a generic model with a
// map field, a serde function, `derive(Eq)`) ---
#[derive(Patchable, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[patchable(derive(Eq, Hash))]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    pub resource_version: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[patchable(derive(Eq))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deployment<S> {
    #[patchable(skip)]
    #[serde(default)]
    pub uid: String,
    #[serde(alias = "meta")]
    #[patchable(nested)]
    pub metadata: Meta,
    #[patchable(nested)]
    pub spec: S,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "deserialize_null_default")]
    pub finalizers: Vec<String>,
    pub replicas: Option<i32>,
    #[serde(rename = "x-extra", default)]
    pub extra: HashMap<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[patchable(derive(Eq))]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    pub min_ready_seconds: Option<i32>,
    pub paused: bool,
}

#[test]
fn generic_resource_on_serdes_derives() {
    let base: Deployment<DeploymentSpec> = Deployment {
        uid: "u".into(),
        metadata: Meta {
            name: Some("web".into()),
            ..Meta::default()
        },
        spec: DeploymentSpec {
            min_ready_seconds: Some(1),
            paused: false,
        },
        annotations: BTreeMap::from([("a".to_owned(), "1".to_owned())]),
        finalizers: vec!["f".into()],
        replicas: Some(1),
        extra: HashMap::from([("k".to_owned(), json!({"a": 1, "b": 2}))]),
    };
    let mut target = base.clone();
    target.metadata.labels.insert("app".into(), "web".into());
    target.spec.min_ready_seconds = None;
    target.annotations.clear();
    target.finalizers.clear();
    target.replicas = None;
    target.extra.insert("k".into(), json!({"a": 1}));
    let json = laws(&base, &target);
    assert_eq!(
        json,
        json!({"metadata": {"labels": {"app": "web"}}, "spec": {"minReadySeconds": null},
               "annotations": {"a": null}, "finalizers": [], "replicas": null,
               "x-extra": {"k": {"b": null}}})
    );
    let read: DeploymentPatch<DeploymentSpec> =
        serde_json::from_value(json!({"meta": {"name": "w"}, "finalizers": null})).unwrap();
    assert_eq!(
        read.metadata.as_ref().unwrap().name,
        Field::Value("w".into())
    );
    assert_eq!(read.finalizers, Some(vec![]));
    let error = serde_json::from_value::<DeploymentPatch<DeploymentSpec>>(json!({"uid": "x"}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown field `uid`"), "{error}");
    for refused in [r#"{"annotations": {"a": "1", "a": null}}"#, "[]"] {
        assert!(
            serde_json::from_str::<DeploymentPatch<DeploymentSpec>>(refused).is_err(),
            "{refused}"
        );
    }
    // `derive(Eq)` through the nested generic patch (`S::Patch: Eq`).
    fn total<T: Eq>(_: &T) {}
    total(&read);
}
