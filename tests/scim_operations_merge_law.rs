//! A law of the emulator's SCIM operations (RFC 7644 §3.5.2), with the `json-patch` crate's
//! RFC 7396 merge as the oracle: hand-written operations at plain paths (`attr`, `attr.sub`,
//! none) do what the merge patch that names the same place does.
//!
//! - `replace` at `attr` with `X` is the merge patch `{"attr": X}`, and at `attr.sub` it is
//!   `{"attr": {"sub": X}}` where `attr` is absent or an object (RFC 7644 §3.5.2.3: a complex
//!   attribute's sub-attributes are replaced, those not given are kept; an array is replaced
//!   whole; a `null` inside a value is unassigned, RFC 7643 §2.5), and 400 `INVALID_DATA`
//!   (`invalidPath`) where `attr` is a simple value or an array;
//! - `replace` with no path and an object value is the value as a merge patch;
//! - `add` is `replace` where no array is involved (arrays get elements instead);
//! - `remove` at `attr` is `{"attr": null}`, and at `attr.sub` it is `{"attr": {"sub": null}}`
//!   where `attr` is an object, and changes nothing where `attr` is absent (the merge patch
//!   would leave `{}` there).
//!
//! Each operation is sent alone to a user that holds the base's custom attributes, and the
//! stored user is compared with the base merged with the patch.

use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sparse_patch::pingone::emulator::{Emulator, reference_user};
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource};
use sparse_patch::{ScimOp, ScimOperation, ScimPatch};

const USER: &str = "0a1b2c3d-0000-4000-8000-0000000000aa";

/// Custom attribute names, and the members below them.
const NAMES: &[&str] = &["alpha", "beta", "gamma"];
const MEMBERS: &[&str] = &["x", "y", "z-1"];

fn leaf(arrays: bool) -> BoxedStrategy<Value> {
    let mut leaves = vec![
        Just(json!("text")).boxed(),
        Just(json!("Text")).boxed(),
        Just(json!(7)).boxed(),
        // Numbers that an equality gets wrong (`7.0` is not `7` to serde_json's `==`) or
        // that a conversion loses (`-0.0`, past `i64::MAX`).
        Just(json!(7.0)).boxed(),
        Just(json!(-0.0)).boxed(),
        Just(json!(u64::MAX)).boxed(),
        Just(json!(true)).boxed(),
        Just(json!("")).boxed(),
    ];
    if arrays {
        leaves.push(Just(json!(["a", "b"])).boxed());
        leaves.push(Just(json!([{"x": 1}])).boxed());
        leaves.push(Just(json!([{"x": 1.0}, {}])).boxed());
    }
    proptest::strategy::Union::new(leaves).boxed()
}

/// A value of a custom attribute: a leaf, or an object of leaves and objects, `null` members
/// among them in a patch's value (`with_nulls`).
fn value(arrays: bool, with_nulls: bool) -> BoxedStrategy<Value> {
    leaf(arrays)
        .prop_recursive(2, 8, 3, move |inner| {
            let member = if with_nulls {
                prop_oneof![3 => inner, 1 => Just(Value::Null)].boxed()
            } else {
                inner
            };
            proptest::collection::btree_map(proptest::sample::select(MEMBERS), member, 0..3)
                .prop_map(|members| {
                    Value::Object(
                        members
                            .into_iter()
                            .map(|(name, value)| (name.to_owned(), value))
                            .collect(),
                    )
                })
        })
        .boxed()
}

/// The base's custom attributes: no `null` member (a stored user holds none).
fn base(arrays: bool) -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(proptest::sample::select(NAMES), value(arrays, false), 0..3)
        .prop_map(|map| {
            map.into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect()
        })
}

/// One operation at a plain path, and the merge patch it is expected to be; `None` where it is
/// expected to be refused.
#[derive(Debug, Clone)]
struct Case {
    operation: ScimOperation,
    expected: Option<Value>,
}

fn case(
    base: &Map<String, Value>,
    op: ScimOp,
    path: Option<(&str, Option<&str>)>,
    value: Value,
) -> Case {
    let Some((attribute, sub)) = path else {
        return Case {
            operation: ScimOperation {
                op,
                path: None,
                value: Some(value.clone()),
            },
            expected: Some(value),
        };
    };
    let text = match sub {
        Some(sub) => format!("{attribute}.{sub}"),
        None => attribute.to_owned(),
    };
    let current = base.get(attribute);
    let change = if op == ScimOp::Remove {
        Value::Null
    } else {
        value.clone()
    };
    let expected = match (sub, current) {
        (None, _) => Some(json!({ attribute: change })),
        // Below an absent attribute, a `remove` has nothing to remove.
        (Some(_), None) if op == ScimOp::Remove => Some(json!({})),
        (Some(sub), None | Some(Value::Object(_))) => Some(json!({ attribute: { sub: change } })),
        // A sub-attribute of a simple value does not exist (invalidPath).
        (Some(_), Some(_)) => None,
    };
    let operation = match op {
        ScimOp::Remove => ScimOperation::remove(text),
        ScimOp::Add => ScimOperation::add(text, value),
        _ => ScimOperation::replace(text, value),
    };
    Case {
        operation,
        expected,
    }
}

fn path() -> impl Strategy<Value = Option<(&'static str, Option<&'static str>)>> {
    prop_oneof![
        1 => Just(None),
        3 => proptest::sample::select(NAMES).prop_map(|name| Some((name, None))),
        3 => (proptest::sample::select(NAMES), proptest::sample::select(MEMBERS))
            .prop_map(|(name, member)| Some((name, Some(member)))),
    ]
}

/// A base, and an operation on it. `add` and its base hold no array, where SCIM appends.
fn base_and_case() -> impl Strategy<Value = (Map<String, Value>, Case)> {
    prop_oneof![
        Just(ScimOp::Add),
        Just(ScimOp::Replace),
        Just(ScimOp::Remove)
    ]
    .prop_flat_map(|op| {
        let arrays = op != ScimOp::Add;
        // A `value` that is not `null`: an object with no path.
        (Just(op), base(arrays), path(), value(arrays, true))
    })
    .prop_filter("an object value with no path", |(op, _, path, value)| {
        path.is_some() || (*op != ScimOp::Remove && value.is_object())
    })
    .prop_map(|(op, base, path, value)| {
        let case = case(&base, op, path, value);
        (base, case)
    })
}

/// One client of [`emulator`], for every case.
fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder()
            .api_base_url(emulator().api_base_url())
            .token(TokenSource::bearer(emulator().token()))
            .retry_policy(RetryPolicy::never())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    })
}

fn user_with(attributes: &Map<String, Value>) -> Value {
    let mut user = reference_user();
    let object = user.as_object_mut().unwrap();
    object.extend(attributes.clone());
    object.insert("id".into(), json!(USER));
    user
}

/// The stored user without what every change moves.
fn stored(emulator: &Emulator) -> Value {
    let mut user = emulator.user(USER).unwrap();
    user.as_object_mut().unwrap().remove("updatedAt");
    user
}

/// One emulator for every case, which replaces the user each time.
fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| Emulator::builder().no_users().start().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn plain_path_operations_do_what_the_merge_patch_does((base, case) in base_and_case()) {
        let emulator = emulator();
        emulator.insert_user(user_with(&base));
        let before = stored(emulator);
        let client = client();
        let env = emulator.environment_id().to_owned();
        let message = ScimPatch::new(vec![case.operation.clone()]);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let answer = runtime.block_on(client.update_user_scim_patch::<Value>(&env, USER, &message));
        match case.expected {
            Some(patch) => {
                prop_assert!(answer.is_ok(), "{:?}: {:?}", case.operation, answer);
                let mut want = before;
                json_patch::merge(&mut want, &patch);
                prop_assert_eq!(stored(emulator), want, "{:?}", case.operation);
            }
            None => {
                // Refused as the module's rustdoc says: `attr` holds a simple value, which
                // has no `sub`, or an array, whose values a filter selects (any 400 passed
                // before, whatever it said).
                let refused = matches!(&answer, Err(Error::Api { status: 400, error, .. })
                    if error.code.as_deref() == Some("INVALID_DATA")
                        && (error.to_string().contains("is not a complex attribute")
                            || error.to_string().contains("is multi-valued"))
                        && error.to_string().contains("(invalidPath)"));
                prop_assert!(refused, "{:?}: {:?}", case.operation, answer);
                prop_assert_eq!(stored(emulator), before);
            }
        }
    }
}
