//! The derive on model structs copied from public Rust API clients, with their serde
//! attributes as the crates write them, and every promise of the crate checked on each, on
//! concrete and on generated values: `apply(diff(a, b)) == b`; the patch's JSON merged by the
//! `json-patch` crate (RFC 7396) gives what `apply` gives; the RFC 6902 operations of
//! `to_json_patch`, applied by the `json-patch` crate, and the SCIM message of `to_scim_patch`,
//! applied by `apply_scim_patch`, give it too and read back as the patch
//! (`support/dialect_laws.rs`); the patch's JSON Schema accepts the patch's own JSON.
//!
//! The models: octocrab's webhook (`models/hooks.rs`) and gist (`models/gists.rs`),
//! megalodon's Mastodon account (`entities/account.rs`, a struct named `Field` beside the
//! crate's), rust-scim's user with its roles (`scim-protocol/src/resource/user/`),
//! aws_lambda_events' SQS message (`event/sqs/mod.rs`), a container of a kube custom resource
//! (k8s-openapi's `Container` as kube's CRD derive writes it), async-stripe's price, a
//! google-apis-rs calendar event (`google-calendar3`), and kube's generic `Object<P, U>`.
//! Types of crates outside the tree (chrono's `DateTime<Utc>`, url's `Url`, `Base64Data`,
//! `Quantity`) are stand-ins of the same JSON shape: strings, or a `Vec<u8>` for base64.
#![deny(warnings)]
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Diff, Patch, Patchable, ScimPatch};

#[path = "support/dialect_laws.rs"]
mod dialect_laws;
#[path = "support/json_schema.rs"]
mod json_schema;
#[macro_use]
#[path = "support/model_json.rs"]
mod model_json;
use dialect_laws::{check_any_operations, check_any_scim_message, check_laws};
use json_schema::{Validator, schema_of};

// --- stand-ins: chrono's `DateTime<Utc>` and url's `Url` are strings in JSON ---
pub type Url = String;
pub type DateTime = String;

/// Every promise on one base and one patch: the dialect laws, and the patch's JSON Schemas
/// (of reading and of writing) accepting the patch's JSON.
fn check_patch<M>(base: &M, patch: &M::Patch) -> Result<(), TestCaseError>
where
    M: Patchable + Diff + Clone + PartialEq + Debug + Serialize + DeserializeOwned,
    M::Patch: Patch<Model = M>
        + Clone
        + PartialEq
        + Debug
        + Serialize
        + DeserializeOwned
        + schemars::JsonSchema,
{
    let json = serde_json::to_value(patch).unwrap();
    for serialize in [false, true] {
        let schema = schema_of::<M::Patch>(serialize);
        prop_assert!(
            Validator::new(schema.clone()).accepts(&json),
            "the schema ({}) refuses {json}: {schema}",
            if serialize { "writing" } else { "reading" }
        );
    }
    check_laws(base, patch)
}

/// [`check_patch`] on `base.diff(target)`, which `apply` takes to `target`.
fn check_pair<M>(base: &M, target: &M) -> Result<(), TestCaseError>
where
    M: Patchable + Diff + Clone + PartialEq + Debug + Serialize + DeserializeOwned,
    M::Patch: Patch<Model = M>
        + Clone
        + PartialEq
        + Debug
        + Serialize
        + DeserializeOwned
        + schemars::JsonSchema,
{
    let patch = base.diff(target);
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    prop_assert_eq!(&applied, target, "apply of {:?}", patch);
    prop_assert!(base.diff(base).is_empty());
    check_patch(base, &patch)
}

/// [`check_patch`] on a merge patch made of some of `target`'s members (`removable` ones
/// sent as `null` at times), where the patch reads it.
fn check_members<M>(
    base: &M,
    target: &M,
    choices: u64,
    removable: &[&str],
) -> Result<(), TestCaseError>
where
    M: Patchable + Diff + Clone + PartialEq + Debug + Serialize + DeserializeOwned,
    M::Patch: Patch<Model = M>
        + Clone
        + PartialEq
        + Debug
        + Serialize
        + DeserializeOwned
        + schemars::JsonSchema,
{
    let json =
        model_json::some_members(serde_json::to_value(target).unwrap(), choices, 1, removable);
    let patch: M::Patch = serde_json::from_value(json.clone())
        .map_err(|error| TestCaseError::fail(format!("{json}: {error}")))?;
    check_patch(base, &patch)
}

fn text() -> impl Strategy<Value = String> {
    "[ab]{1,2}"
}

/// Keys of maps and keyed arrays that JSON Pointer escapes, that a SCIM filter quotes or
/// cannot say, or that look like its grammar.
fn odd_key() -> impl Strategy<Value = String> {
    proptest::sample::select(vec![
        "a",
        "b",
        "a.md",
        "app.kubernetes.io/name",
        "~1",
        "",
        "0",
        "-",
        "a\"b",
        "x]y",
        "p and q",
        "\\",
        "é",
    ])
    .prop_map(String::from)
}

fn maybe_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

// --- octocrab `src/models/hooks.rs`, as written (`Default` and all) ---
#[derive(Patchable, Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Hook {
    #[serde(rename = "type")]
    pub typ: String,
    pub id: u64,
    pub name: String,
    pub events: Vec<String>,
    #[patchable(nested)]
    pub config: Config,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ping_url: Option<Url>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliveries_url: Option<Url>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime>,
}

#[derive(Patchable, Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Config {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insecure_ssl: Option<String>,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

fn hook() -> impl Strategy<Value = Hook> {
    (
        (
            text(),
            0u64..3,
            text(),
            proptest::collection::vec(text(), 0..3),
        ),
        (maybe_text(), maybe_text(), text(), maybe_text()),
        (maybe_text(), maybe_text()),
    )
        .prop_map(
            |((typ, id, name, events), (content_type, insecure_ssl, url, secret), (ping, at))| {
                Hook {
                    typ,
                    id,
                    name,
                    events,
                    config: Config {
                        content_type,
                        insecure_ssl,
                        url,
                        secret,
                    },
                    ping_url: ping,
                    deliveries_url: None,
                    updated_at: at.clone(),
                    created_at: at,
                }
            },
        )
}

#[test]
fn octocrab_hook_config_change() {
    let base = Hook {
        typ: "Repository".into(),
        id: 12_345_678,
        name: "web".into(),
        events: vec!["push".into()],
        config: Config {
            content_type: Some("json".into()),
            insecure_ssl: Some("0".into()),
            url: "https://example.com/webhook".into(),
            secret: None,
        },
        ..Hook::default()
    };
    let mut target = base.clone();
    target.config.content_type = None;
    target.config.secret = Some("********".into());
    target.events.push("pull_request".into());
    let patch = base.diff(&target);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({
            "events": ["push", "pull_request"],
            "config": {"content_type": null, "secret": "********"},
        })
    );
    check_pair(&base, &target).unwrap();
}

// --- octocrab `src/models/gists.rs` (`Deserialize` there; a user adds `Serialize`). GitHub's
// `PATCH /gists/{id}` is a merge patch of `files`: `"files": {"old.md": null}` deletes a file.
#[non_exhaustive]
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gist {
    pub comments: u64,
    pub comments_url: Url,
    pub created_at: DateTime,
    pub description: Option<String>,
    pub files: BTreeMap<String, GistFile>,
    pub html_url: Url,
    pub id: String,
    pub node_id: String,
    pub updated_at: DateTime,
}

#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GistFile {
    pub content: String,
    pub filename: String,
    pub language: Option<String>,
    pub r#type: String,
    pub raw_url: Url,
    pub size: u64,
    pub truncated: bool,
}

any_schema!(GistFile);

fn gist_file() -> impl Strategy<Value = GistFile> {
    (text(), maybe_text(), 0u64..3, any::<bool>()).prop_map(
        |(content, language, size, truncated)| GistFile {
            filename: content.clone(),
            content,
            language,
            r#type: "text/plain".into(),
            raw_url: "https://gist.example/raw".into(),
            size,
            truncated,
        },
    )
}

fn gist() -> impl Strategy<Value = Gist> {
    (
        0u64..3,
        maybe_text(),
        proptest::collection::btree_map(odd_key(), gist_file(), 0..3),
        text(),
    )
        .prop_map(|(comments, description, files, updated_at)| Gist {
            comments,
            comments_url: "https://api.github.com/gists/1/comments".into(),
            created_at: "2010-04-14T02:15:15Z".into(),
            description,
            files,
            html_url: "https://gist.github.com/1".into(),
            id: "aa5a315d61ae9438b18d".into(),
            node_id: "MDQ6R2lzdA==".into(),
            updated_at,
        })
}

#[test]
fn octocrab_gist_file_deleted_and_renamed() {
    let file = |name: &str| GistFile {
        content: "hello".into(),
        filename: name.into(),
        language: Some("Markdown".into()),
        r#type: "text/markdown".into(),
        raw_url: format!("https://gist.githubusercontent.com/raw/{name}"),
        size: 5,
        truncated: false,
    };
    let base = Gist {
        comments: 0,
        comments_url: "https://api.github.com/gists/1/comments".into(),
        created_at: "2010-04-14T02:15:15Z".into(),
        description: Some("Hello World Examples".into()),
        files: [("hello.md".to_owned(), file("hello.md"))].into(),
        html_url: "https://gist.github.com/1".into(),
        id: "aa5a315d61ae9438b18d".into(),
        node_id: "MDQ6R2lzdA==".into(),
        updated_at: "2010-04-14T02:15:15Z".into(),
    };
    let mut target = base.clone();
    target.files.remove("hello.md");
    target.files.insert("world.md".into(), file("world.md"));
    target.description = None;
    let patch = base.diff(&target);
    let json = serde_json::to_value(&patch).unwrap();
    assert_eq!(json["files"]["hello.md"], Value::Null, "{json}");
    assert_eq!(json["description"], Value::Null, "{json}");
    check_pair(&base, &target).unwrap();
}

// --- megalodon `src/entities/account.rs`, `field.rs`, `source.rs`, `emoji.rs`: a struct of
// the model's own named `Field`, beside sparse_patch's, and a recursive `moved` (sent whole).
mod megalodon {
    use super::DateTime;
    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Account {
        pub id: String,
        pub username: String,
        pub acct: String,
        pub display_name: String,
        pub locked: bool,
        pub created_at: DateTime,
        pub followers_count: usize,
        pub following_count: usize,
        pub statuses_count: usize,
        pub note: String,
        pub url: String,
        pub avatar: String,
        pub avatar_static: String,
        pub header: String,
        pub header_static: String,
        pub emojis: Vec<Emoji>,
        pub moved: Option<Box<Account>>,
        pub fields: Option<Vec<Field>>,
        pub bot: Option<bool>,
        #[patchable(nested)]
        pub source: Option<Source>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Field {
        pub name: String,
        pub value: String,
        pub verified_at: Option<DateTime>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Source {
        pub privacy: Option<String>,
        pub sensitive: Option<bool>,
        pub language: Option<String>,
        pub note: String,
        pub fields: Option<Vec<Field>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Emoji {
        pub shortcode: String,
        pub static_url: String,
        pub url: String,
        pub visible_in_picker: bool,
        pub category: Option<String>,
    }

    any_schema!(Account, Field, Emoji);
}

fn mastodon_fields() -> impl Strategy<Value = Option<Vec<megalodon::Field>>> {
    proptest::option::of(proptest::collection::vec(
        (text(), maybe_text()).prop_map(|(name, verified_at)| megalodon::Field {
            value: name.clone(),
            name,
            verified_at,
        }),
        0..2,
    ))
}

fn mastodon_account_of(
    moved: Option<Box<megalodon::Account>>,
) -> impl Strategy<Value = megalodon::Account> {
    (
        (text(), text(), any::<bool>(), 0usize..3, text()),
        mastodon_fields(),
        proptest::option::of(any::<bool>()),
        proptest::option::of((
            maybe_text(),
            proptest::option::of(any::<bool>()),
            text(),
            mastodon_fields(),
        )),
        proptest::collection::vec(
            (text(), maybe_text()).prop_map(|(shortcode, category)| megalodon::Emoji {
                static_url: format!("https://files.example/{shortcode}.png"),
                url: format!("https://files.example/{shortcode}.png"),
                shortcode,
                visible_in_picker: true,
                category,
            }),
            0..2,
        ),
    )
        .prop_map(
            move |((username, display_name, locked, count, note), fields, bot, source, emojis)| {
                megalodon::Account {
                    id: "109".into(),
                    acct: username.clone(),
                    username,
                    display_name,
                    locked,
                    created_at: "2022-11-05T00:00:00.000Z".into(),
                    followers_count: count,
                    following_count: count,
                    statuses_count: 0,
                    note,
                    url: "https://mastodon.example/@a".into(),
                    avatar: "https://files.example/a.png".into(),
                    avatar_static: "https://files.example/a.png".into(),
                    header: String::new(),
                    header_static: String::new(),
                    emojis,
                    moved: moved.clone(),
                    fields,
                    bot,
                    source: source.map(|(privacy, sensitive, note, fields)| megalodon::Source {
                        privacy,
                        sensitive,
                        language: None,
                        note,
                        fields,
                    }),
                }
            },
        )
}

fn mastodon_account() -> impl Strategy<Value = megalodon::Account> {
    proptest::option::of(mastodon_account_of(None))
        .prop_flat_map(|moved| mastodon_account_of(moved.map(Box::new)))
}

// --- rust-scim `scim-protocol/src/resource/user/{user,name,role}.rs`, the user trimmed to
// the attributes below; `groups` (readOnly, RFC 7643 §4.1.2) is `#[patchable(skip)]`, as the
// README tells a read-only attribute to be; `roles` keyed by `value`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimUser {
    pub user_name: String,
    #[patchable(nested)]
    pub name: Option<ScimName>,
    pub display_name: Option<String>,
    pub nick_name: Option<String>,
    pub title: Option<String>,
    pub user_type: Option<String>,
    pub locale: Option<String>,
    pub active: Option<bool>,
    #[serde(default)]
    pub emails: Vec<Role>,
    #[patchable(skip)]
    #[serde(default, skip_serializing)]
    pub groups: Vec<Role>,
    #[patchable(key = "value")]
    #[serde(default)]
    pub roles: Vec<Role>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(deny_unknown_fields)]
pub struct ScimName {
    pub formatted: Option<String>,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub honorific_prefix: Option<String>,
    pub honorific_suffix: Option<String>,
}

/// rust-scim's `Role` (its `Email` has the same shape).
#[derive(Clone, Deserialize, Serialize, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Role {
    #[serde(rename = "type")]
    pub value_type: Option<String>,
    #[serde(default)]
    pub primary: bool,
    pub display: Option<String>,
    pub value: String,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
}

any_schema!(Role);

/// Roles of distinct values, at most one of them primary (RFC 7643 §2.4: a SCIM service sets
/// the others' `primary` to false when a value is made primary, RFC 7644 §3.5.2).
fn roles() -> impl Strategy<Value = Vec<Role>> {
    (
        proptest::collection::btree_map(odd_key(), (maybe_text(), maybe_text()), 0..3),
        0usize..4,
    )
        .prop_map(|(roles, primary)| {
            roles
                .into_iter()
                .enumerate()
                .map(|(index, (value, (value_type, reference)))| Role {
                    value_type,
                    primary: index == primary,
                    display: None,
                    value,
                    reference,
                })
                .collect()
        })
}

fn scim_user() -> impl Strategy<Value = ScimUser> {
    (
        (
            text(),
            proptest::option::of((maybe_text(), maybe_text())),
            maybe_text(),
        ),
        (maybe_text(), proptest::option::of(any::<bool>())),
        (roles(), roles()),
    )
        .prop_map(
            |((user_name, name, display_name), (title, active), (emails, roles))| ScimUser {
                user_name,
                name: name.map(|(family_name, given_name)| ScimName {
                    formatted: None,
                    family_name,
                    given_name,
                    middle_name: None,
                    honorific_prefix: None,
                    honorific_suffix: None,
                }),
                display_name,
                nick_name: None,
                title,
                user_type: None,
                locale: None,
                active,
                emails,
                groups: vec![],
                roles,
            },
        )
}

// --- aws_lambda_events `src/event/sqs/mod.rs`, with its serde functions (`custom_serde`, in support/lambda_serde.rs). Its
// maps, read by `deserialize_lambda_map`, are sent whole (docs/attributes: a server keeps the
// keys that the map sent leaves out), so the generated messages hold the same keys.
#[path = "support/lambda_serde.rs"]
mod lambda_serde;
use lambda_serde::{deserialize_lambda_map, deserialize_lambda_string};

#[derive(Patchable, Clone, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqsMessage {
    #[serde(deserialize_with = "deserialize_lambda_string")]
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(deserialize_with = "deserialize_lambda_string")]
    #[serde(default)]
    pub receipt_handle: Option<String>,
    #[serde(deserialize_with = "deserialize_lambda_string")]
    #[serde(default)]
    pub body: Option<String>,
    #[serde(deserialize_with = "deserialize_lambda_string")]
    #[serde(default)]
    pub md5_of_body: Option<String>,
    #[serde(deserialize_with = "deserialize_lambda_map")]
    #[serde(default)]
    pub attributes: HashMap<String, String>,
    #[serde(deserialize_with = "deserialize_lambda_map")]
    #[serde(default)]
    pub message_attributes: HashMap<String, SqsMessageAttribute>,
    #[serde(deserialize_with = "deserialize_lambda_string")]
    #[serde(default)]
    #[serde(rename = "eventSourceARN")]
    pub event_source_arn: Option<String>,
    #[serde(deserialize_with = "deserialize_lambda_string")]
    #[serde(default)]
    pub aws_region: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqsMessageAttribute {
    pub string_value: Option<String>,
    pub binary_value: Option<Vec<u8>>,
    #[serde(default)]
    pub string_list_values: Vec<String>,
    #[serde(default)]
    pub binary_list_values: Vec<Vec<u8>>,
    #[serde(deserialize_with = "deserialize_lambda_string")]
    #[serde(default)]
    pub data_type: Option<String>,
}

any_schema!(SqsMessageAttribute);

fn sqs_message() -> impl Strategy<Value = SqsMessage> {
    (
        (maybe_text(), maybe_text(), maybe_text()),
        (text(), text()),
        proptest::collection::vec(
            (maybe_text(), proptest::collection::vec(text(), 0..2)).prop_map(
                |(string_value, string_list_values)| SqsMessageAttribute {
                    string_value,
                    binary_value: None,
                    string_list_values,
                    binary_list_values: vec![],
                    data_type: Some("String".into()),
                },
            ),
            2,
        ),
    )
        .prop_map(
            |((message_id, body, aws_region), (count, sender), values)| SqsMessage {
                message_id,
                receipt_handle: None,
                body,
                md5_of_body: None,
                attributes: [
                    ("ApproximateReceiveCount".to_owned(), count),
                    ("SenderId".to_owned(), sender),
                ]
                .into(),
                message_attributes: ["a", "b"]
                    .map(String::from)
                    .into_iter()
                    .zip(values)
                    .collect(),
                event_source_arn: Some("arn:aws:sqs:us-east-2:123456789012:my-queue".into()),
                aws_region,
            },
        )
}

// --- k8s-openapi's `Container`, `EnvVar` and `ResourceRequirements` as kube's
// `CustomResource` users write them in a spec (`rename_all = "camelCase"`, `default` and
// `skip_serializing_if` on every optional attribute); `env` keyed by `name`, Kubernetes'
// own merge key for it.
#[derive(Patchable, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    #[patchable(key = "name")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<EnvVar>>,
    #[patchable(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

any_schema!(EnvVar);

#[derive(Patchable, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirements {
    /// `Quantity` is a string in JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<BTreeMap<String, String>>,
}

fn quantities() -> impl Strategy<Value = Option<BTreeMap<String, String>>> {
    proptest::option::of(proptest::collection::btree_map(
        proptest::sample::select(vec!["cpu".to_owned(), "memory".to_owned()]),
        proptest::sample::select(vec!["1".to_owned(), "500m".to_owned(), "1Gi".to_owned()]),
        0..3,
    ))
}

fn container() -> impl Strategy<Value = Container> {
    (
        (
            text(),
            maybe_text(),
            proptest::option::of(proptest::collection::vec(text(), 0..2)),
        ),
        proptest::option::of(proptest::collection::btree_map(
            odd_key(),
            maybe_text(),
            0..3,
        )),
        proptest::option::of((quantities(), quantities())),
    )
        .prop_map(|((name, image, args), env, resources)| Container {
            name,
            image,
            image_pull_policy: None,
            args,
            env: env.map(|env| {
                env.into_iter()
                    .map(|(name, value)| EnvVar { name, value })
                    .collect()
            }),
            resources: resources
                .map(|(limits, requests)| ResourceRequirements { limits, requests }),
            working_dir: None,
        })
}

// --- async-stripe's `Price` (`src/resources/generated/price.rs`), trimmed: `product` and
// `currency_options` dropped; its enums of unit variants are strings, sent whole.
#[derive(Patchable, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Price {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_scheme: Option<PriceBillingScheme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default)]
    pub deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub livemode: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring: Option<Recurring>,
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_: Option<PriceType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_amount_decimal: Option<String>,
}

#[derive(Patchable, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Recurring {
    pub interval: RecurringInterval,
    pub interval_count: u64,
    pub usage_type: RecurringUsageType,
}

#[derive(Copy, Clone, Debug, Deserialize, Serialize, Eq, PartialEq, Default)]
#[serde(rename_all = "snake_case")]
pub enum PriceBillingScheme {
    #[default]
    PerUnit,
    Tiered,
}

#[derive(Copy, Clone, Debug, Deserialize, Serialize, Eq, PartialEq, Default)]
#[serde(rename_all = "snake_case")]
pub enum PriceType {
    #[default]
    OneTime,
    Recurring,
}

#[derive(Copy, Clone, Debug, Deserialize, Serialize, Eq, PartialEq, Default)]
#[serde(rename_all = "snake_case")]
pub enum RecurringInterval {
    Day,
    #[default]
    Month,
    Week,
    Year,
}

#[derive(Copy, Clone, Debug, Deserialize, Serialize, Eq, PartialEq, Default)]
#[serde(rename_all = "snake_case")]
pub enum RecurringUsageType {
    Metered,
    #[default]
    Licensed,
}

any_schema!(
    PriceBillingScheme,
    PriceType,
    RecurringInterval,
    RecurringUsageType
);

fn price() -> impl Strategy<Value = Price> {
    (
        (
            proptest::option::of(any::<bool>()),
            proptest::option::of(prop_oneof![
                Just(PriceBillingScheme::PerUnit),
                Just(PriceBillingScheme::Tiered)
            ]),
            any::<bool>(),
            maybe_text(),
        ),
        proptest::collection::hash_map("[ab]", text(), 0..3),
        proptest::option::of((
            prop_oneof![
                Just(RecurringInterval::Month),
                Just(RecurringInterval::Year)
            ],
            1u64..3,
        )),
        (
            proptest::option::of(prop_oneof![Just(-1i64), Just(0), Just(i64::MAX)]),
            maybe_text(),
        ),
    )
        .prop_map(
            |(
                (active, billing_scheme, deleted, nickname),
                metadata,
                recurring,
                (amount, decimal),
            )| {
                Price {
                    id: "price_1".into(),
                    active,
                    billing_scheme,
                    created: Some(1_680_000_000),
                    currency: Some("eur".into()),
                    deleted,
                    livemode: Some(false),
                    lookup_key: None,
                    metadata,
                    nickname,
                    type_: Some(if recurring.is_some() {
                        PriceType::Recurring
                    } else {
                        PriceType::OneTime
                    }),
                    recurring: recurring.map(|(interval, interval_count)| Recurring {
                        interval,
                        interval_count,
                        usage_type: RecurringUsageType::Licensed,
                    }),
                    unit_amount: amount,
                    unit_amount_decimal: decimal,
                }
            },
        )
}

// --- google-apis-rs `google-calendar3` (`src/api.rs`, generated): every attribute an
// `Option` with an explicit `rename`, int64 as a string through serde_with's
// `DisplayFromStr` (written below as `serde_as` rewrites it: `with` and `default`).
#[derive(Patchable, Default, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "anyoneCanAddSelf")]
    pub anyone_can_add_self: Option<bool>,
    #[patchable(key = "email")]
    pub attendees: Option<Vec<EventAttendee>>,
    #[serde(rename = "colorId")]
    pub color_id: Option<String>,
    pub description: Option<String>,
    #[patchable(nested)]
    pub end: Option<EventDateTime>,
    #[serde(rename = "eventType")]
    pub event_type: Option<String>,
    #[serde(rename = "extendedProperties")]
    #[patchable(nested)]
    pub extended_properties: Option<EventExtendedProperties>,
    pub id: Option<String>,
    pub location: Option<String>,
    #[serde(with = "serde_with::As::<Option<serde_with::DisplayFromStr>>", default)]
    pub sequence: Option<i64>,
    #[patchable(nested)]
    pub start: Option<EventDateTime>,
    pub summary: Option<String>,
}

#[derive(Default, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventAttendee {
    #[serde(rename = "displayName")]
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub optional: Option<bool>,
    #[serde(rename = "responseStatus")]
    pub response_status: Option<String>,
}

any_schema!(EventAttendee);

#[derive(Patchable, Default, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDateTime {
    /// `chrono::NaiveDate`, a string.
    pub date: Option<String>,
    #[serde(rename = "dateTime")]
    pub date_time: Option<DateTime>,
    #[serde(rename = "timeZone")]
    pub time_zone: Option<String>,
}

#[derive(Patchable, Default, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventExtendedProperties {
    pub private: Option<HashMap<String, String>>,
    pub shared: Option<HashMap<String, String>>,
}

fn event_date_time() -> impl Strategy<Value = Option<EventDateTime>> {
    proptest::option::of(
        (maybe_text(), maybe_text()).prop_map(|(date_time, time_zone)| EventDateTime {
            date: None,
            date_time,
            time_zone,
        }),
    )
}

fn event() -> impl Strategy<Value = Event> {
    (
        (
            maybe_text(),
            maybe_text(),
            proptest::option::of(prop_oneof![Just(0i64), Just(i64::MIN)]),
        ),
        proptest::option::of(proptest::collection::btree_map(
            odd_key(),
            (maybe_text(), proptest::option::of(any::<bool>())),
            0..3,
        )),
        (event_date_time(), event_date_time()),
        proptest::option::of((
            proptest::option::of(proptest::collection::hash_map("[ab]", text(), 0..2)),
            proptest::option::of(proptest::collection::hash_map("[ab]", text(), 0..2)),
        )),
    )
        .prop_map(
            |((summary, color_id, sequence), attendees, (start, end), extended)| Event {
                anyone_can_add_self: None,
                attendees: attendees.map(|attendees| {
                    attendees
                        .into_iter()
                        .map(|(email, (response_status, optional))| EventAttendee {
                            display_name: None,
                            email: Some(email),
                            optional,
                            response_status,
                        })
                        .collect()
                }),
                color_id,
                description: None,
                end,
                event_type: Some("default".into()),
                extended_properties: extended
                    .map(|(private, shared)| EventExtendedProperties { private, shared }),
                id: Some("evt1".into()),
                location: None,
                sequence,
                start,
                summary,
            },
        )
}

// --- kube-core's `Object<P, U>` (`src/object.rs`): a generic resource, its `TypeMeta`
// flattened, `spec` a type parameter patched attribute by attribute. kube writes
// `#[serde(flatten, default)] types: Option<TypeMeta>`, which the derive refuses at the type
// ("a flattened field cannot be an `Option`: its attributes sit in the parent object, so they
// cannot be null together; flatten the struct itself, ..."): flattened as the message says,
// with serde's `default` for a document without `apiVersion` and `kind`.
#[derive(Patchable, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeMeta {
    pub api_version: String,
    pub kind: String,
}

#[derive(Patchable, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Object<P, U>
where
    P: Clone,
    U: Clone,
{
    #[serde(flatten, default)]
    #[patchable(nested)]
    pub types: TypeMeta,
    #[patchable(nested)]
    pub metadata: ObjectMeta,
    #[patchable(nested)]
    pub spec: P,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<U>,
}

fn labels() -> impl Strategy<Value = Option<BTreeMap<String, String>>> {
    proptest::option::of(proptest::collection::btree_map(odd_key(), text(), 0..3))
}

fn object() -> impl Strategy<Value = Object<Container, String>> {
    (labels(), labels(), maybe_text(), container(), maybe_text()).prop_map(
        |(annotations, labels, name, spec, status)| Object {
            types: TypeMeta {
                api_version: "example.com/v1".into(),
                kind: "Runner".into(),
            },
            metadata: ObjectMeta {
                annotations,
                labels,
                name,
                namespace: Some("default".into()),
                resource_version: None,
            },
            spec,
            status,
        },
    )
}

/// RFC 6902 operations of any kind on `paths`, with values of `values`.
fn json_operations(
    paths: &'static [&'static str],
    values: Vec<Value>,
) -> impl Strategy<Value = Vec<Value>> {
    let path = proptest::sample::select(paths);
    // Mostly `add`, `remove` and `replace`: a `move`, `copy` or `test` between random paths
    // mostly fails, which reads nothing.
    let kind = prop_oneof![4 => Just(0u8), 2 => Just(1u8), 2 => Just(2u8), 1 => 3u8..6];
    let operation = (kind, path.clone(), path, proptest::sample::select(values)).prop_map(
        |(kind, path, from, value)| match kind {
            0 => json!({"op": "add", "path": path, "value": value}),
            1 => json!({"op": "remove", "path": path}),
            2 => json!({"op": "replace", "path": path, "value": value}),
            3 => json!({"op": "move", "from": from, "path": path}),
            4 => json!({"op": "copy", "from": from, "path": path}),
            _ => json!({"op": "test", "path": path, "value": value}),
        },
    );
    proptest::collection::vec(operation, 1..4)
}

/// SCIM PatchOp messages of any operations on `paths` (or none), with values of `values`, as
/// identity providers write them (`Replace`, `Add`, ...).
fn scim_messages(
    paths: &'static [&'static str],
    values: Vec<Value>,
) -> impl Strategy<Value = ScimPatch> {
    let operation = (
        proptest::sample::select(&["add", "remove", "replace", "Replace", "Add", "Remove"][..]),
        proptest::option::weighted(0.9, proptest::sample::select(paths)),
        proptest::sample::select(values),
    )
        .prop_map(|(op, path, value)| {
            let mut operation = json!({"op": op});
            if let Some(path) = path {
                operation["path"] = json!(path);
            }
            if !op.eq_ignore_ascii_case("remove") || path.is_none() {
                operation["value"] = value;
            }
            operation
        });
    proptest::collection::vec(operation, 1..4).prop_map(|operations| {
        serde_json::from_value(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": operations,
        }))
        .unwrap()
    })
}

const OBJECT_PATHS: &[&str] = &[
    "/apiVersion",
    "/kind",
    "/metadata/labels",
    "/metadata/labels/app.kubernetes.io~1name",
    "/metadata/labels/a",
    "/metadata/annotations",
    "/metadata/name",
    "/spec/image",
    "/spec/args",
    "/spec/args/-",
    "/spec/args/0",
    "/spec/env",
    "/spec/env/0",
    "/spec/env/0/value",
    "/spec/env/-",
    "/spec/resources",
    "/spec/resources/limits/cpu",
    "/status",
];

fn object_values() -> Vec<Value> {
    vec![
        json!("a"),
        json!("500m"),
        json!(null),
        json!(1),
        json!(["x"]),
        json!({"a": "b"}),
        json!({"name": "A", "value": "v"}),
        json!([{"name": "B"}]),
        json!({"limits": {"memory": "1Gi"}}),
        json!({}),
    ]
}

/// Not `groups`: an operation on a read-only (`skip`) attribute is ignored, as a merge patch's
/// read-only key is (docs/attributes: refused under `deny_unknown_fields` only), where the
/// `json-patch` crate's document holds it.
const SCIM_USER_PATHS: &[&str] = &[
    "/userName",
    "/name",
    "/name/givenName",
    "/displayName",
    "/active",
    "/emails",
    "/emails/0/value",
    "/roles",
    "/roles/-",
    "/roles/0/primary",
    "/roles/1/$ref",
];

const SCIM_USER_SCIM_PATHS: &[&str] = &[
    "userName",
    "USERNAME",
    "name",
    "name.givenName",
    "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
    "displayName",
    "active",
    "title",
    "emails",
    "emails[type eq \"t\"].value",
    "roles",
    "roles[value eq \"a\"]",
    "roles[value eq \"b\"].primary",
    "roles[value eq \"c\"].$ref",
    "roles[primary eq true]",
];

fn scim_user_values() -> Vec<Value> {
    vec![
        json!("a"),
        json!("True"),
        json!(false),
        json!(null),
        json!({"givenName": "g"}),
        json!({"value": "c", "type": "t"}),
        json!([{"value": "a", "primary": true}]),
        json!({"displayName": "d", "name.givenName": "g", "active": "False"}),
        json!([]),
    ]
}

const PRICE_PATHS: &[&str] = &[
    "/active",
    "/nickname",
    "/metadata",
    "/metadata/a",
    "/metadata/order_id",
    "/recurring",
    "/recurring/interval",
    "/recurring/interval_count",
    "/type",
    "/unit_amount",
    "/deleted",
];

fn price_values() -> Vec<Value> {
    vec![
        json!("a"),
        json!("year"),
        json!("recurring"),
        json!(null),
        json!(2),
        json!(true),
        json!({"a": "b"}),
        json!({"interval": "month", "interval_count": 1, "usage_type": "licensed"}),
        json!({"interval_count": 3}),
    ]
}

const EVENT_PATHS: &[&str] = &[
    "/summary",
    "/colorId",
    "/sequence",
    "/start",
    "/start/dateTime",
    "/end/timeZone",
    "/attendees",
    "/attendees/0/responseStatus",
    "/attendees/-",
    "/extendedProperties/private/a",
    "/extendedProperties/shared",
];

const EVENT_SCIM_PATHS: &[&str] = &[
    "summary",
    "colorId",
    "sequence",
    "start",
    "start.dateTime",
    "end.timeZone",
    "attendees",
    "attendees[email eq \"a@x\"].responseStatus",
    "attendees[email eq \"b@x\"]",
    "extendedProperties.private",
    "extendedProperties.shared.a",
];

fn event_values() -> Vec<Value> {
    vec![
        json!("a"),
        json!("2"),
        json!(null),
        json!({"dateTime": "2024-01-01T00:00:00Z"}),
        json!({"email": "a@x", "responseStatus": "accepted"}),
        json!([{"email": "b@x"}]),
        json!({"a": "b"}),
    ]
}

const GIST_PATHS: &[&str] = &[
    "/description",
    "/files",
    "/files/a.md",
    "/files/a.md/content",
    "/files/b.md/language",
    "/comments",
];

fn gist_values() -> Vec<Value> {
    vec![
        json!("a"),
        json!(null),
        json!(1),
        json!({"content": "c", "filename": "c.md", "language": null, "type": "t", "raw_url": "u", "size": 1, "truncated": false}),
        json!({}),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn octocrab_hook(base in hook(), target in hook(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["ping_url", "updated_at", "created_at"])?;
    }

    #[test]
    fn octocrab_gist(base in gist(), target in gist(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["description"])?;
    }

    #[test]
    fn megalodon_account(base in mastodon_account(), target in mastodon_account(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["moved", "fields", "bot", "source"])?;
    }

    #[test]
    fn rust_scim_user(base in scim_user(), target in scim_user(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["name", "displayName", "title", "active"])?;
    }

    #[test]
    fn aws_lambda_events_sqs_message(base in sqs_message(), target in sqs_message(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &[])?;
    }

    #[test]
    fn kube_container(base in container(), target in container(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["image", "args", "env", "resources"])?;
    }

    #[test]
    fn async_stripe_price(base in price(), target in price(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["active", "nickname", "recurring", "unit_amount"])?;
    }

    #[test]
    fn google_calendar_event(base in event(), target in event(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["attendees", "colorId", "start", "sequence", "extendedProperties"])?;
    }

    #[test]
    fn kube_generic_object(base in object(), target in object(), choices in any::<u64>()) {
        check_pair(&base, &target)?;
        check_members(&base, &target, choices, &["status"])?;
    }

    #[test]
    fn kube_object_json_patch(base in object(), operations in json_operations(OBJECT_PATHS, object_values())) {
        check_any_operations(&base, operations)?;
    }

    #[test]
    fn rust_scim_user_json_patch(base in scim_user(), operations in json_operations(SCIM_USER_PATHS, scim_user_values())) {
        check_any_operations(&base, operations)?;
    }

    #[test]
    fn rust_scim_user_scim_message(base in scim_user(), message in scim_messages(SCIM_USER_SCIM_PATHS, scim_user_values())) {
        check_any_scim_message(&base, &message)?;
    }

    #[test]
    fn async_stripe_price_json_patch(base in price(), operations in json_operations(PRICE_PATHS, price_values())) {
        check_any_operations(&base, operations)?;
    }

    #[test]
    fn google_calendar_event_json_patch(base in event(), operations in json_operations(EVENT_PATHS, event_values())) {
        check_any_operations(&base, operations)?;
    }

    #[test]
    fn google_calendar_event_scim_message(base in event(), message in scim_messages(EVENT_SCIM_PATHS, event_values())) {
        check_any_scim_message(&base, &message)?;
    }

    #[test]
    fn octocrab_gist_json_patch(base in gist(), operations in json_operations(GIST_PATHS, gist_values())) {
        check_any_operations(&base, operations)?;
    }
}
