//! What `JsonPatchPlan` shows of a typed patch's `to_json_patch` against the model it applies
//! to, as docs/common_tasks' recipe "Find users by a filter, show the plan, then update them a
//! few at a time" reads it: one line per change, with the value the model holds now (`-`
//! cleared, `+` set, `~` replaced, `=` an empty value added where it already is, before its
//! `remove`), and no line for an attribute cleared that the model does not hold.

use serde::{Deserialize, Serialize};
use sparse_patch::{JsonPatchPlan, Patch, Patchable};

// Fields in sorted order: the operations follow the patch's members by name, or in the model's
// order where serde_json keeps insertion order (its `preserve_order`), which agree.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nickname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
}

fn plan(account: &Account, patch: &AccountPatch) -> String {
    let now = serde_json::to_value(account).unwrap();
    let operations = patch.to_json_patch(account).unwrap();
    JsonPatchPlan::new(&now, &operations).to_string()
}

/// Each sign the recipe names, and the `=` of an empty array that the model holds: a server
/// that stores no empty value may lack it, so it is added before its `remove` (RFC 6902
/// §4.2: the target must exist), and the plan shows both lines.
#[test]
fn each_change_is_one_line_with_the_value_held_now() {
    let account = Account {
        groups: Some(vec![]),
        mobile_phone: Some("+15555550100".into()),
        nickname: None,
        team: Some("QA".into()),
        title: None,
    };
    let patch = AccountPatch::new()
        .clear_groups()
        .clear_mobile_phone()
        .clear_nickname()
        .team("Ops")
        .title("Lead");
    assert_eq!(
        plan(&account, &patch).lines().collect::<Vec<_>>(),
        [
            "= /groups: []",
            "- /groups: []",
            r#"- /mobilePhone: "+15555550100""#,
            r#"~ /team: "QA" -> "Ops""#,
            r#"+ /title: "Lead""#,
        ]
    );
}

/// Clearing what the model does not hold, or setting what it already holds, shows nothing.
#[test]
fn a_change_that_changes_nothing_has_no_line() {
    let account = Account {
        groups: None,
        mobile_phone: None,
        nickname: None,
        team: Some("QA".into()),
        title: None,
    };
    let patch = AccountPatch::new()
        .clear_groups()
        .clear_mobile_phone()
        .clear_nickname()
        .team("QA")
        .clear_title();
    assert_eq!(plan(&account, &patch), "");
}
