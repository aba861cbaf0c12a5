//! The emulator with raw HTTP/1.1 requests: PingOne's statuses and error bodies, RFC 7396
//! merging, read-only attributes, 403s, faults, and 200 bodies checked against the reference
//! OpenAPI schema (`tests/data/pingone-user.openapi.json`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sparse_patch::pingone::emulator::{
    DEFAULT_TOKEN, Emulator, Fault, REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID, reference_user,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::usernames;

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request over a fresh connection, read to the end.
async fn raw(
    emulator: &Emulator,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    // The `Host` a client sends (RFC 9110 §7.2), port included: the answer's links name it.
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        emulator.addr()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|line| {
            let (k, v) = line.split_once(':').unwrap();
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn user_path(user: &str) -> String {
    format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users/{user}")
}

const AUTH: (&str, &str) = ("Authorization", "Bearer emulator-access-token");
const JSON: (&str, &str) = ("Content-Type", "application/json");
/// The content type of a token request's body (RFC 6749 §4.4.2).
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// The reference environment's token endpoint, under the auth base URL.
fn token_path() -> String {
    format!("/{REFERENCE_ENVIRONMENT_ID}/as/token")
}

/// A token request of the client credentials grant that sends no credentials.
async fn token_request_without_credentials(emulator: &Emulator) -> Answer {
    raw(
        emulator,
        "POST",
        &token_path(),
        &[FORM],
        "grant_type=client_credentials",
    )
    .await
}

async fn get(emulator: &Emulator) -> Answer {
    raw(emulator, "GET", &user_path(REFERENCE_USER_ID), &[AUTH], "").await
}

async fn patch(emulator: &Emulator, body: Value) -> Answer {
    raw(
        emulator,
        "PATCH",
        &user_path(REFERENCE_USER_ID),
        &[AUTH, JSON],
        &body.to_string(),
    )
    .await
}

fn assert_error(answer: &Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["id"].is_string() && body["message"].is_string(),
        "{body}"
    );
}

/// The targets of an error body's details, sorted; each detail must be `INVALID_VALUE`.
fn invalid_value_targets(body: &Value) -> Vec<String> {
    let mut targets: Vec<String> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["code"], "INVALID_VALUE", "{d}");
            d["target"].as_str().unwrap().to_owned()
        })
        .collect();
    targets.sort_unstable();
    targets
}

// ---- a small checker for the OpenAPI 3.0 schema objects of the reference ----

fn openapi() -> Value {
    serde_json::from_str(include_str!("data/pingone-user.openapi.json")).unwrap()
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/schemas/").unwrap();
            &root["components"]["schemas"][name]
        }
        None => schema,
    }
}

fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    text.len() >= 20
        && text.ends_with('Z')
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
}

fn check(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let Some(object) = value.as_object() else {
                return errors.push(format!("{at}: not an object"));
            };
            for name in schema["required"].as_array().into_iter().flatten() {
                if !object.contains_key(name.as_str().unwrap()) {
                    errors.push(format!("{at}: required {name} is missing"));
                }
            }
            for (key, item) in object {
                let path = format!("{at}.{key}");
                if let Some(property) = schema.get("properties").and_then(|p| p.get(key)) {
                    check(root, property, item, &path, errors);
                } else if let Some(extra) = schema.get("additionalProperties") {
                    check(root, extra, item, &path, errors);
                }
            }
        }
        Some("string") => match value.as_str() {
            None => errors.push(format!("{at}: not a string")),
            Some(text) => {
                let length = text.chars().count() as u64;
                if schema
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|min| length < min)
                    || schema
                        .get("maxLength")
                        .and_then(Value::as_u64)
                        .is_some_and(|max| length > max)
                {
                    errors.push(format!("{at}: length {length} out of range"));
                }
                if schema.get("format").and_then(Value::as_str) == Some("date-time")
                    && !is_date_time(text)
                {
                    errors.push(format!("{at}: {text} is not a date-time"));
                }
            }
        },
        Some("boolean") if !value.is_boolean() => errors.push(format!("{at}: not a boolean")),
        Some("integer") if !value.is_i64() && !value.is_u64() => {
            errors.push(format!("{at}: not an integer"))
        }
        Some("array") => match value.as_array() {
            None => errors.push(format!("{at}: not an array")),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check(root, &schema["items"], item, &format!("{at}[{i}]"), errors);
                }
            }
        },
        _ => {}
    }
}

/// Checks a 200 body against the `User` schema; every attribute must be one the schema
/// knows, except those in `custom`.
fn assert_user_schema(body: &Value, custom: &[&str]) {
    let root = openapi();
    let schema = &root["components"]["schemas"]["User"];
    let mut errors = Vec::new();
    check(&root, schema, body, "user", &mut errors);
    for key in body.as_object().unwrap().keys() {
        if schema["properties"].get(key).is_none() && !custom.contains(&key.as_str()) {
            errors.push(format!("user.{key}: not in the schema"));
        }
    }
    assert!(errors.is_empty(), "{errors:#?}\n{body:#}");
}

#[test]
fn the_schema_checker_catches_mistakes() {
    let root = openapi();
    let schema = &root["components"]["schemas"]["User"];
    let mut errors = Vec::new();
    let bad = json!({"username": "", "enabled": "yes", "photo": {}, "createdAt": "yesterday",
                     "verifyStatus": "MAYBE", "_links": {"self": {}}});
    check(&root, schema, &bad, "user", &mut errors);
    assert_eq!(errors.len(), 7, "{errors:#?}"); // email, username length, enabled, photo.href, createdAt, verifyStatus, _links.self.href
}

#[tokio::test]
async fn get_returns_the_reference_user_with_links_on_the_emulator() {
    let emulator = Emulator::start().unwrap();
    let answer = get(&emulator).await;
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let reference = include_str!("data/reference_response.json")
        .replace("https://api.pingone.com/v1", emulator.api_base_url());
    let reference: Value = serde_json::from_str(&reference).unwrap();
    assert_eq!(answer.json(), reference);
    assert_user_schema(&answer.json(), &[]);
}

#[tokio::test]
async fn patch_merges_bumps_updated_at_and_returns_the_whole_user() {
    let emulator = Emulator::start().unwrap();
    let before = get(&emulator).await.json();
    let answer = patch(
        &emulator,
        json!({"photo": {"href": "https://example.com/a.png"}, "name": {"middle": "J"},
               "nickname": "Dave", "tags": ["a", "b"], "prefs": {"x": 1, "y": 2}}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let after = answer.json();
    assert_user_schema(&after, &["tags", "prefs"]);
    assert_eq!(after["photo"]["href"], "https://example.com/a.png");
    assert_eq!(
        after["name"],
        json!({"given": "David", "middle": "J", "family": "Spanner"})
    );
    assert_eq!(after["createdAt"], before["createdAt"]);
    assert!(after["updatedAt"].as_str().unwrap() > before["updatedAt"].as_str().unwrap());
    assert_eq!(after["_links"], before["_links"]);
    assert_eq!(get(&emulator).await.json(), after);

    // null clears, nested objects merge, arrays are replaced.
    let answer = patch(
        &emulator,
        json!({"nickname": null, "name": {"given": null}, "tags": ["c"], "prefs": {"x": null, "z": 3}, "photo": null}),
    )
    .await;
    let after = answer.json();
    assert_user_schema(&after, &["tags", "prefs"]);
    assert!(after.get("nickname").is_none() && after.get("photo").is_none());
    assert_eq!(after["name"], json!({"middle": "J", "family": "Spanner"}));
    assert_eq!(after["tags"], json!(["c"]));
    assert_eq!(after["prefs"], json!({"y": 2, "z": 3}));
}

#[tokio::test]
async fn read_only_attributes_in_a_body_are_ignored() {
    let emulator = Emulator::start().unwrap();
    let before = get(&emulator).await.json();
    let answer = patch(
        &emulator,
        json!({"id": "00000000-0000-4000-8000-000000000000", "enabled": false, "mfaEnabled": true,
               "createdAt": "2000-01-01T00:00:00.000Z", "_links": {}, "population": {"id": "x"},
               "account": {"status": "LOCKED"}, "title": "T"}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let after = answer.json();
    for key in [
        "id",
        "enabled",
        "mfaEnabled",
        "createdAt",
        "_links",
        "population",
        "account",
    ] {
        assert_eq!(after[key], before[key], "{key}");
    }
    assert_eq!(after["title"], "T");
}

#[tokio::test]
async fn authentication_and_lookup_errors() {
    let emulator = Emulator::start().unwrap();
    let path = user_path(REFERENCE_USER_ID);
    for headers in [
        vec![],
        vec![("Authorization", "Bearer wrong")],
        vec![("Authorization", "Basic ZW11bGF0b3I=")],
        vec![("Authorization", DEFAULT_TOKEN)],
    ] {
        let answer = raw(&emulator, "GET", &path, &headers, "").await;
        assert_error(&answer, 401, "ACCESS_FAILED");
        assert_eq!(answer.json()["details"][0]["code"], "INVALID_TOKEN");
    }
    let unknown = user_path("00000000-0000-4000-8000-000000000000");
    assert_error(
        &raw(&emulator, "GET", &unknown, &[AUTH], "").await,
        404,
        "NOT_FOUND",
    );
    assert_error(
        &raw(&emulator, "PATCH", &unknown, &[AUTH, JSON], "{}").await,
        404,
        "NOT_FOUND",
    );
    let other_env =
        format!("/v1/environments/00000000-0000-4000-8000-000000000000/users/{REFERENCE_USER_ID}");
    assert_error(
        &raw(&emulator, "GET", &other_env, &[AUTH], "").await,
        404,
        "NOT_FOUND",
    );
    assert_error(
        &raw(&emulator, "GET", "/v1/elsewhere", &[AUTH], "").await,
        404,
        "NOT_FOUND",
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_415_or_400() {
    let emulator = Emulator::start().unwrap();
    let path = user_path(REFERENCE_USER_ID);
    let body = r#"{"title":"T"}"#;
    for content_type in [vec![], vec![("Content-Type", "text/plain")], vec![FORM]] {
        let mut headers = vec![AUTH];
        headers.extend(content_type);
        assert_error(
            &raw(&emulator, "PATCH", &path, &headers, body).await,
            415,
            "INVALID_REQUEST",
        );
    }
    let with_charset = [AUTH, ("Content-Type", "application/json; charset=utf-8")];
    assert_eq!(
        raw(&emulator, "PATCH", &path, &with_charset, body)
            .await
            .status,
        200
    );
    for bad in ["{", "[1]", "\"x\"", ""] {
        assert_error(
            &raw(&emulator, "PATCH", &path, &[AUTH, JSON], bad).await,
            400,
            "INVALID_REQUEST",
        );
    }
}

#[tokio::test]
async fn invalid_values_get_one_detail_per_attribute_with_its_target() {
    let emulator = Emulator::start().unwrap();
    let before = emulator.user(REFERENCE_USER_ID).unwrap();
    let answer = patch(
        &emulator,
        json!({
            "username": null,
            "email": "not-an-email",
            "nickname": "",
            "title": "t".repeat(257),
            "externalId": "x".repeat(1025),
            "timezone": "Los Angeles",
            "mobilePhone": "no digits",
            "primaryPhone": "1".repeat(33),
            "address": {"countryCode": "usa", "postalCode": "p".repeat(41)},
            "name": {"family": ""},
            "photo": {"href": "ftp://example.com/a.png"},
        }),
    )
    .await;
    assert_error(&answer, 400, "INVALID_DATA");
    let body = answer.json();
    let mut targets: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert!(d["code"].is_string() && d["message"].is_string(), "{d}");
            d["target"].as_str().unwrap()
        })
        .collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        [
            "address.countryCode",
            "address.postalCode",
            "email",
            "externalId",
            "mobilePhone",
            "name.family",
            "nickname",
            "photo.href",
            "primaryPhone",
            "timezone",
            "title",
            "username",
        ]
    );
    let username = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["target"] == "username")
        .unwrap();
    assert_eq!(username["code"], "REQUIRED_VALUE");
    let title = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["target"] == "title")
        .unwrap();
    assert_eq!(
        title["innerError"],
        json!({"rangeMinimumValue": 1, "rangeMaximumValue": 256})
    );
    // Nothing was changed.
    assert_eq!(emulator.user(REFERENCE_USER_ID).unwrap(), before);

    let answer = patch(&emulator, json!({"email": null})).await;
    assert_error(&answer, 400, "INVALID_DATA");
    assert_eq!(answer.json()["details"][0]["target"], "email");
    // A photo object without href, on a user without a photo.
    patch(&emulator, json!({"photo": null})).await;
    let answer = patch(&emulator, json!({"photo": {}})).await;
    assert_eq!(answer.json()["details"][0]["target"], "photo.href");
    // Valid values pass.
    let answer = patch(
        &emulator,
        json!({"timezone": "America/Los_Angeles", "mobilePhone": "+1 (555) 010-0100",
               "address": {"countryCode": "US"}, "email": "d.spanner+x@example.co.uk"}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_user_schema(&answer.json(), &[]);
}

#[tokio::test]
async fn control_characters_are_refused_where_the_schema_pattern_excludes_them() {
    // The reference schema's patterns (`^[\p{L}\p{M}\p{Zs}\p{S}\p{N}\p{P}]*$`, and for
    // streetAddress the same with `\n\r` and without symbols) admit no control character,
    // nor a line or paragraph separator: a value from a CSV export with a stray tab or `\r`
    // is refused by PingOne, and was accepted here.
    let emulator = Emulator::start().unwrap();
    let before = emulator.user(REFERENCE_USER_ID).unwrap();
    let answer = patch(
        &emulator,
        json!({
            "username": "dspanner\t",
            "nickname": "Dave\r",
            "title": "Boss\u{0}",
            "type": "a\u{2028}b",
            "locale": "en\n",
            "name": {"given": "Da\u{7f}ve", "middle": "\u{85}", "family": "Sp\u{1b}anner",
                     "formatted": "D\u{2029}S"},
            "address": {"locality": "\u{9}Denver", "region": "C\nO", "postalCode": "80\r202",
                        "streetAddress": "1 Main St\u{0}"},
        }),
    )
    .await;
    assert_error(&answer, 400, "INVALID_DATA");
    let targets = invalid_value_targets(&answer.json());
    assert_eq!(
        targets,
        [
            "address.locality",
            "address.postalCode",
            "address.region",
            "address.streetAddress",
            "locale",
            "name.family",
            "name.formatted",
            "name.given",
            "name.middle",
            "nickname",
            "title",
            "type",
            "username",
        ]
    );
    assert_eq!(emulator.user(REFERENCE_USER_ID).unwrap(), before);
    // A street address may hold lines; other text any letter, mark, symbol or emoji; the
    // attributes without a pattern (externalId, honorifics) anything.
    let answer = patch(
        &emulator,
        json!({
            "address": {"streetAddress": "1 Main St\r\nApt 2", "locality": "Zürich"},
            "nickname": "Dàvé 🚀 ☃",
            "name": {"given": "Zoë", "honorificSuffix": "III\t"},
            "externalId": "line1\nline2",
        }),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// The members of `name`, `address` and `photo` are the schema's
/// (`/work/shared/reference/pingone-user.openapi.json`: `User_name`, `User_address`,
/// `User_photo`), whatever custom attributes the environment has: a custom attribute is a
/// top-level attribute of the user (the reference's "custom attributes" row), never a member
/// of a core object. PingOne ignores an attribute that matches nothing in its schema (the
/// reference's "The operation"), so SCIM's `address.country` or `name.givenName` is lost
/// there. The default emulator (no custom attributes declared) kept them, stored them and
/// answered them back in its 200, so a client that sent SCIM's names passed against it.
///
/// The same with the environment's custom attributes declared, where the emulator already
/// ignored them.
#[tokio::test]
async fn unknown_members_of_name_address_and_photo_are_ignored_with_or_without_a_declared_schema() {
    let declared = Emulator::builder()
        .custom_attributes(["costCenter"])
        .start()
        .unwrap();
    for emulator in [&declared, &Emulator::start().unwrap()] {
        let answer = patch(
            emulator,
            json!({
                "address": {"country": "US", "locality": "Denver"},
                "name": {"givenName": "Dave", "family": "Spanner"},
                "photo": {"href": "https://example.com/a.png", "alt": "me"},
            }),
        )
        .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let body = answer.json();
        assert_eq!(body["address"], json!({"locality": "Denver"}), "{body}");
        assert_eq!(
            body["name"],
            json!({"given": "David", "family": "Spanner"}),
            "{body}"
        );
        assert_eq!(
            body["photo"],
            json!({"href": "https://example.com/a.png"}),
            "{body}"
        );
        let stored = emulator.user(REFERENCE_USER_ID).unwrap();
        assert!(stored["address"].get("country").is_none(), "{stored}");
        assert_user_schema(&body, &[]);
    }
    let emulator = Emulator::start().unwrap();
    patch(&emulator, json!({"address": {"locality": "Denver"}})).await;
    // An object whose members all match nothing is not created.
    let answer = patch(
        &emulator,
        json!({"address": {"country": "US"}, "costCenter": "42"}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let stored = emulator.user(REFERENCE_USER_ID).unwrap();
    assert_eq!(stored["address"], json!({"locality": "Denver"}), "{stored}");
    // A top-level custom attribute is still kept without a declaration.
    assert_eq!(stored["costCenter"], "42", "{stored}");
    // A member the user was seeded with stands for one the emulator does not know: kept.
    let mut seeded = sparse_patch::pingone::emulator::reference_user();
    seeded["name"]["pronunciation"] = json!("DAY-vid");
    let emulator = Emulator::builder().no_users().user(seeded).start().unwrap();
    let answer = patch(
        &emulator,
        json!({"name": {"pronunciation": "DAYV", "givenName": "Dave"}}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.json()["name"],
        json!({"given": "David", "family": "Spanner", "pronunciation": "DAYV"})
    );
}

/// The schema's patterns admit letters, marks, separators of `\p{Zs}`, symbols, numbers and
/// punctuation: not the invisible format characters (`\p{Cf}`: a zero-width space or joiner,
/// a bidi override, a byte order mark, a soft hyphen) nor private-use characters (`\p{Co}`),
/// which were accepted while a control character was refused.
#[tokio::test]
async fn format_and_private_use_characters_are_refused_where_the_schema_pattern_excludes_them() {
    let emulator = Emulator::start().unwrap();
    let before = emulator.user(REFERENCE_USER_ID).unwrap();
    let answer = patch(
        &emulator,
        json!({
            "username": "dspanner\u{200b}",
            "nickname": "\u{1f468}\u{200d}\u{1f469}",
            "title": "\u{202e}ssoB",
            "type": "\u{feff}Employee",
            "name": {"given": "Da\u{ad}ve", "family": "Sp\u{2066}anner"},
            "address": {"locality": "Denver\u{e000}", "streetAddress": "1 Main St\u{e0041}",
                        "postalCode": "\u{100000}"},
        }),
    )
    .await;
    assert_error(&answer, 400, "INVALID_DATA");
    let targets = invalid_value_targets(&answer.json());
    assert_eq!(
        targets,
        [
            "address.locality",
            "address.postalCode",
            "address.streetAddress",
            "name.family",
            "name.given",
            "nickname",
            "title",
            "type",
            "username",
        ]
    );
    assert_eq!(emulator.user(REFERENCE_USER_ID).unwrap(), before);
    // Marks stay allowed: a combining diaeresis, an emoji's variation selector.
    let answer = patch(
        &emulator,
        json!({"nickname": "Zoe\u{308} \u{2603}\u{fe0f}", "name": {"given": "Zoe\u{308}"}}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn attributes_the_token_may_not_update_get_403() {
    let emulator = Emulator::builder()
        .forbid("email")
        .forbid("name.given")
        .start()
        .unwrap();
    for body in [
        json!({"email": "x@example.com"}),
        json!({"name": {"given": "X"}}),
        json!({"name": null}),
    ] {
        let answer = patch(&emulator, body.clone()).await;
        assert_error(&answer, 403, "ACCESS_FAILED");
        let detail = &answer.json()["details"][0];
        assert_eq!(detail["code"], "INSUFFICIENT_PERMISSIONS");
        assert!(
            detail["target"] == "email"
                || detail["target"] == "name.given"
                || detail["target"] == "name",
            "{detail}"
        );
    }
    assert_eq!(
        patch(&emulator, json!({"name": {"family": "S"}}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn declared_custom_attributes_limit_what_is_kept() {
    let emulator = Emulator::builder()
        .custom_attributes(["favoriteColor"])
        .start()
        .unwrap();
    let after = patch(
        &emulator,
        json!({"favoriteColor": "red", "undeclared": "x", "1bad": "y"}),
    )
    .await
    .json();
    assert_eq!(after["favoriteColor"], "red");
    assert!(after.get("undeclared").is_none() && after.get("1bad").is_none());
}

#[tokio::test]
async fn faults_are_served_in_order_then_the_emulator_answers_correctly() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::RateLimited {
        retry_after: "3".into(),
    });
    emulator.inject(Fault::ServiceUnavailable {
        retry_after: Some("1".into()),
    });
    emulator.inject(Fault::BadGateway);
    emulator.inject(Fault::Slow(Duration::from_millis(300)));
    emulator.inject(Fault::TruncatedBody);
    emulator.inject(Fault::Status(504));
    assert_eq!(emulator.pending_faults(), 6);

    let answer = get(&emulator).await;
    assert_error(&answer, 429, "REQUEST_LIMITED");
    assert_eq!(answer.header("retry-after"), Some("3"));
    let answer = get(&emulator).await;
    assert_error(&answer, 503, "SERVICE_UNAVAILABLE");
    assert_eq!(answer.header("retry-after"), Some("1"));
    let answer = get(&emulator).await;
    assert_eq!(answer.status, 502);
    assert!(
        answer
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(serde_json::from_str::<Value>(&answer.body).is_err());
    let started = Instant::now();
    let answer = get(&emulator).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(answer.status, 200);
    let answer = get(&emulator).await;
    assert_eq!(answer.status, 200);
    assert!(
        serde_json::from_str::<Value>(&answer.body).is_err(),
        "{}",
        answer.body
    );
    assert!(answer.body.starts_with('{'));
    assert_error(&get(&emulator).await, 504, "UNEXPECTED_ERROR");

    assert_eq!(emulator.pending_faults(), 0);
    let answer = get(&emulator).await;
    assert_eq!(answer.status, 200);
    assert_user_schema(&answer.json(), &[]);
    assert_eq!(emulator.requests().len(), 7);
}

/// An injected status answers with the code PingOne gives it. (Mutation testing: a 429 with
/// `UNEXPECTED_ERROR`, the code of statuses without their own, went unnoticed.)
#[tokio::test]
async fn an_injected_status_carries_pingones_code_for_it() {
    let emulator = Emulator::start().unwrap();
    for (status, code) in [
        (400, "INVALID_REQUEST"),
        (401, "ACCESS_FAILED"),
        (403, "ACCESS_FAILED"),
        (404, "NOT_FOUND"),
        (408, "REQUEST_TIMEOUT"),
        (415, "INVALID_REQUEST"),
        (429, "REQUEST_LIMITED"),
        (500, "UNEXPECTED_ERROR"),
    ] {
        emulator.inject(Fault::Status(status));
        assert_error(&get(&emulator).await, status, code);
    }
}

/// PingOne's 429 carries `Retry-After` in seconds (the reference's error table), which a
/// client waits out; an injected `Fault::Status(429)` or `Fault::ApiError` 429, on a users
/// endpoint or the token endpoint, came without one, so that a client's handling of it went
/// untried (it retried on its backoff). It now carries `EmulatorBuilder::fault_retry_after`
/// seconds, 1 by default, and `Status(429)` the `LIMIT_EXCEEDED` detail of PingOne's answer.
#[tokio::test]
async fn an_injected_429_carries_a_retry_after_in_seconds() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::Status(429));
    let answer = get(&emulator).await;
    assert_error(&answer, 429, "REQUEST_LIMITED");
    assert_eq!(answer.header("retry-after"), Some("1"));
    assert_eq!(answer.json()["details"][0]["code"], "LIMIT_EXCEEDED");
    emulator.inject(Fault::ApiError {
        status: 429,
        code: "QUOTA_EXCEEDED".into(),
    });
    let answer = get(&emulator).await;
    assert_error(&answer, 429, "QUOTA_EXCEEDED");
    assert_eq!(answer.header("retry-after"), Some("1"));
    emulator.inject_token_fault(Fault::Status(429));
    let answer = token_request_without_credentials(&emulator).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), Some("1"));
    // No other status takes one.
    emulator.inject(Fault::Status(500));
    assert_eq!(get(&emulator).await.header("retry-after"), None);

    // Set, and waited out by the client as the wait the answer asked for.
    let emulator = Emulator::builder().fault_retry_after(2).start().unwrap();
    emulator.inject(Fault::Status(429));
    assert_eq!(get(&emulator).await.header("retry-after"), Some("2"));
    let emulator = Emulator::start().unwrap();
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = emulator_client::emulator_bearer_builder(&emulator)
        .retry_policy(
            sparse_patch::pingone::RetryPolicy::default()
                .max_attempts(2)
                .jitter(false)
                .on_retry({
                    let events = std::sync::Arc::clone(&events);
                    move |event| {
                        events.lock().unwrap().push((
                            event.status,
                            event.wait,
                            event.from_retry_after,
                        ));
                    }
                }),
        )
        .build()
        .unwrap();
    emulator.inject(Fault::Status(429));
    client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
    assert_eq!(
        *events.lock().unwrap(),
        [(Some(429), Duration::from_secs(1), true)]
    );
}

/// An injected 401 on a users endpoint is the endpoint's own refusal of an ended token, as
/// the emulator's guide says `Fault::Status(401)` plays it: the reference's `INVALID_TOKEN`
/// detail and the `WWW-Authenticate` challenge that RFC 9110 §15.5.2 requires of every 401
/// (a script that reads `error="invalid_token"` to fetch a new token). Before, it had neither
/// (review 157, driving the program with curl); `ApiError` with a 401 had no challenge either.
#[tokio::test]
async fn an_injected_401_is_the_refusal_of_an_ended_token_with_its_challenge() {
    let emulator = Emulator::start().unwrap();
    let refused = raw(
        &emulator,
        "GET",
        &user_path(REFERENCE_USER_ID),
        &[("Authorization", "Bearer ended")],
        "",
    )
    .await;
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    for path in [user_path(REFERENCE_USER_ID), list.clone()] {
        emulator.inject(Fault::Status(401));
        let injected = raw(&emulator, "GET", &path, &[AUTH], "").await;
        assert_error(&injected, 401, "ACCESS_FAILED");
        assert_eq!(
            injected.header("WWW-Authenticate"),
            refused.header("WWW-Authenticate"),
            "{path}"
        );
        let (mut body, mut own) = (injected.json(), refused.json());
        body.as_object_mut().unwrap().remove("id");
        own.as_object_mut().unwrap().remove("id");
        assert_eq!(body, own, "{path}");
    }
    emulator.inject_patch_fault(Fault::ApiError {
        status: 401,
        code: "ACCESS_FAILED".into(),
    });
    let injected = patch(&emulator, json!({"title": "Lead"})).await;
    assert_error(&injected, 401, "ACCESS_FAILED");
    assert_eq!(
        injected.header("WWW-Authenticate"),
        Some(r#"Bearer realm="PingOne", error="invalid_token""#)
    );
    // The token endpoint is no resource server: its injected 401 takes no Bearer challenge.
    emulator.inject_token_fault(Fault::Status(401));
    let token = token_request_without_credentials(&emulator).await;
    assert_eq!(token.status, 401);
    assert_eq!(token.header("WWW-Authenticate"), None);
}

/// A 1xx status is no final answer (RFC 9110 §15.2): the client would wait for the answer
/// that follows it, which never came, until its timeout. An injected 1xx is answered as 500,
/// as a number that is no HTTP status is.
#[tokio::test]
async fn an_injected_informational_status_is_answered_as_500() {
    let emulator = Emulator::start().unwrap();
    for status in [100, 101, 103, 199] {
        emulator.inject(Fault::Status(status));
        let answer = tokio::time::timeout(std::time::Duration::from_secs(10), get(&emulator))
            .await
            .unwrap_or_else(|_| panic!("no final answer to an injected {status}"));
        assert_error(&answer, 500, "UNEXPECTED_ERROR");
        emulator.inject(Fault::ApiError {
            status,
            code: "CUSTOM".into(),
        });
        let answer = tokio::time::timeout(std::time::Duration::from_secs(10), get(&emulator))
            .await
            .unwrap_or_else(|_| panic!("no final answer to an injected {status}"));
        assert_error(&answer, 500, "CUSTOM");
    }
}

/// 204, 205 and 304 carry no content (RFC 9110 §15.3.5, §15.3.6, §15.4.5): injected, they
/// were sent with the error body's `Content-Length` (99), which a 204 must not have and a 304
/// may have only as its representation's length (§8.6), and a 205 with the body itself. A
/// client that read a body of that length after a 204 on a kept-alive connection waited for
/// bytes that never came, or took the next answer's for them. They are answered with their
/// status and no content now; the API's and the token endpoint's alike.
#[tokio::test]
async fn an_injected_status_without_content_is_answered_without_content() {
    let emulator = Emulator::start().unwrap();
    for status in [204, 205, 304] {
        for fault in [
            Fault::Status(status),
            Fault::ApiError {
                status,
                code: "CUSTOM".into(),
            },
        ] {
            emulator.inject(fault.clone());
            let answer = get(&emulator).await;
            assert_no_content(&answer, status);
            emulator.inject_token_fault(fault);
            let answer = token_request_without_credentials(&emulator).await;
            assert_no_content(&answer, status);
        }
    }
}

/// `answer` has `status`, no content, and no `Content-Length` but a 205's `0`.
fn assert_no_content(answer: &Answer, status: u16) {
    assert_eq!(answer.status, status, "{:?}", answer.headers);
    assert_eq!(answer.body, "", "{status}");
    let length = answer.header("content-length");
    if status == 205 {
        assert!(matches!(length, None | Some("0")), "{status}: {length:?}");
    } else {
        assert_eq!(length, None, "{status}");
    }
}

/// A fault that cuts the body cuts a 200's only: the answer that the request gets anyway, an
/// error (here a 404 for an unknown user), is whole, as the faults' documentation says.
/// (Mutation testing: cutting error bodies too went unnoticed.)
#[tokio::test]
async fn a_cut_body_fault_leaves_an_error_answer_whole() {
    let emulator = Emulator::start().unwrap();
    let unknown = user_path("00000000-0000-4000-8000-0000000000aa");
    for fault in [Fault::TruncatedBody, Fault::ConnectionCut] {
        emulator.inject(fault.clone());
        let answer = raw(&emulator, "GET", &unknown, &[AUTH], "").await;
        assert_error(&answer, 404, "NOT_FOUND");
        assert_eq!(emulator.pending_faults(), 0, "{fault:?}");
    }
}

/// A `ConnectionCut` of a 200 drops the connection before its status line: the recorded
/// request holds no status, as `RecordedRequest::status` says, not the 200 that the client
/// never read. (Mutation testing: recording the 200 went unnoticed.)
#[tokio::test]
async fn a_cut_connection_of_a_200_records_no_status() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::ConnectionCut);
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{}: {}\r\n\r\n",
        user_path(REFERENCE_USER_ID),
        AUTH.0,
        AUTH.1
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut read = Vec::new();
    // The connection is cut: whatever arrived, and however it ended.
    let _ = stream.read_to_end(&mut read).await;
    let last = emulator.requests().pop().unwrap();
    assert_eq!(
        (last.status, last.fault),
        (None, Some(Fault::ConnectionCut))
    );
}

/// Random faults are drawn from all those given, not the first one alone. (Mutation testing:
/// always giving the first went unnoticed.)
#[tokio::test]
async fn random_faults_are_drawn_from_every_fault_given() {
    use sparse_patch::pingone::emulator::RandomFaults;
    let emulator = Emulator::builder()
        .random_faults(RandomFaults::new(
            7,
            1.0,
            vec![Fault::Status(500), Fault::Status(503), Fault::Status(504)],
        ))
        .start()
        .unwrap();
    let mut statuses = std::collections::BTreeSet::new();
    for _ in 0..60 {
        statuses.insert(get(&emulator).await.status);
    }
    assert_eq!(statuses, [500, 503, 504].into());
    assert_eq!(emulator.random_faults_given(), 60);
}

#[tokio::test]
async fn seeded_users_live_in_the_emulators_environment() {
    let emulator = Emulator::builder()
        .environment_id("11111111-1111-4111-8111-111111111111")
        .no_users()
        .user(json!({"id": "22222222-2222-4222-8222-222222222222", "username": "u", "email": "u@example.com"}))
        .start()
        .unwrap();
    let path = "/v1/environments/11111111-1111-4111-8111-111111111111/users/22222222-2222-4222-8222-222222222222";
    let answer = raw(&emulator, "GET", path, &[AUTH], "").await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(
        body["environment"]["id"],
        "11111111-1111-4111-8111-111111111111"
    );
    assert_user_schema(&body, &[]);
    assert!(emulator.user(REFERENCE_USER_ID).is_none());
}

/// A seeded user that the client could never reach (no ID, or one that is not a UUID) or
/// write back (an email that PingOne refuses) is refused when the emulator starts, with the
/// reason and what the ID must be, rather than by the first call of a test.
#[test]
fn seeded_users_that_the_client_cannot_use_are_refused_at_start() {
    let refused = [
        (
            json!({"id": "grace", "username": "grace", "email": "grace@example.com"}),
            "must be a PingOne ID",
        ),
        (
            json!({"id": "22222222-2222-4222-8222-222222222222", "username": "u", "email": "not an address"}),
            "breaks PingOne's rules",
        ),
        (json!(["not", "an", "object"]), "must be a JSON object"),
        // Without an `id`, or with one that is no string, the message says what it must be.
        (
            json!({"username": "u", "email": "u@example.com"}),
            "needs a string `id`, a PingOne ID (a UUID such as a38890a6-295a-4d58-9f6e-b72b05fba377), which the client can send: none",
        ),
        (
            json!({"id": 7, "username": "u", "email": "u@example.com"}),
            "needs a string `id`, a PingOne ID (a UUID such as a38890a6-295a-4d58-9f6e-b72b05fba377), which the client can send: 7",
        ),
    ];
    for (user, reason) in refused {
        let Err(error) = Emulator::builder().no_users().user(user.clone()).start() else {
            panic!("{user} was seeded");
        };
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{user}");
        assert!(error.to_string().contains(reason), "{user}: {error}");
    }
}

#[tokio::test]
async fn requests_are_recorded_by_default_and_not_when_turned_off() {
    let recording = Emulator::start().unwrap();
    let answer = get(&recording).await;
    assert_eq!(answer.status, 200);
    assert_eq!(recording.requests().len(), 1);

    let silent = Emulator::builder().record_requests(false).start().unwrap();
    for _ in 0..3 {
        let answer = get(&silent).await;
        assert_eq!(answer.status, 200);
        assert_user_schema(&answer.json(), &[]);
    }
    assert!(silent.requests().is_empty());
}

/// Issue 9 §1: the `Bearer` scheme is case-insensitive (RFC 9110 §11.1), followed by one or
/// more spaces.
#[tokio::test]
async fn the_bearer_scheme_is_read_in_any_case() {
    let emulator = Emulator::start().unwrap();
    let path = user_path(REFERENCE_USER_ID);
    for value in [
        format!("bearer {DEFAULT_TOKEN}"),
        format!("BEARER {DEFAULT_TOKEN}"),
        format!("BeArEr  {DEFAULT_TOKEN}"),
    ] {
        let answer = raw(&emulator, "GET", &path, &[("Authorization", &value)], "").await;
        assert_eq!(answer.status, 200, "{value}: {}", answer.body);
    }
    for value in [
        format!("Bearers {DEFAULT_TOKEN}"),
        format!("Bearer{DEFAULT_TOKEN}"),
        format!("bearer {DEFAULT_TOKEN}x"),
    ] {
        let answer = raw(&emulator, "GET", &path, &[("Authorization", &value)], "").await;
        assert_error(&answer, 401, "ACCESS_FAILED");
    }
}

/// Issue 9 §1: IDs are compared in any case and answered in lower case, seeded ones too.
#[tokio::test]
async fn ids_are_found_in_any_case_and_answered_in_lower_case() {
    let emulator = Emulator::builder()
        .environment_id("AAAAAAAA-1111-4111-8111-111111111111")
        .user(json!({"id": "BBBBBBBB-2222-4222-8222-222222222222", "username": "u", "email": "u@example.com"}))
        .start()
        .unwrap();
    assert_eq!(
        emulator.environment_id(),
        "aaaaaaaa-1111-4111-8111-111111111111"
    );
    for path in [
        "/v1/environments/aaaaaaaa-1111-4111-8111-111111111111/users/bbbbbbbb-2222-4222-8222-222222222222",
        "/v1/environments/AAAAAAAA-1111-4111-8111-111111111111/users/BBBBBBBB-2222-4222-8222-222222222222",
    ] {
        let answer = raw(&emulator, "GET", path, &[AUTH], "").await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        let body = answer.json();
        assert_eq!(body["id"], "bbbbbbbb-2222-4222-8222-222222222222");
        assert!(
            body["_links"]["self"]["href"]
                .as_str()
                .unwrap()
                .ends_with("/environments/aaaaaaaa-1111-4111-8111-111111111111/users/bbbbbbbb-2222-4222-8222-222222222222")
        );
    }
    let upper = user_path(&REFERENCE_USER_ID.to_uppercase()).replace(
        REFERENCE_ENVIRONMENT_ID,
        "AAAAAAAA-1111-4111-8111-111111111111",
    );
    let answer = raw(
        &emulator,
        "PATCH",
        &upper,
        &[AUTH, JSON],
        r#"{"title":"Dr"}"#,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        emulator.user(&REFERENCE_USER_ID.to_uppercase()).unwrap()["title"],
        "Dr"
    );
}

/// The `Basic` scheme of the token endpoint is read in any case too (RFC 9110 §11.1).
#[tokio::test]
async fn the_basic_scheme_of_the_token_endpoint_is_read_in_any_case() {
    let emulator = Emulator::start().unwrap();
    // base64("emulator-worker:emulator-worker-secret")
    let credentials = "ZW11bGF0b3Itd29ya2VyOmVtdWxhdG9yLXdvcmtlci1zZWNyZXQ=";
    let path = token_path();
    for scheme in ["Basic", "basic", "BASIC"] {
        let value = format!("{scheme} {credentials}");
        let answer = raw(
            &emulator,
            "POST",
            &path,
            &[("Authorization", &value), FORM],
            "grant_type=client_credentials",
        )
        .await;
        assert_eq!(answer.status, 200, "{scheme}: {}", answer.body);
        assert_eq!(answer.json()["access_token"], DEFAULT_TOKEN);
    }
}

/// The token endpoint reads the environment ID of its path in any case, as the API's routes
/// do (a client that sends the ID as the console shows it, or upper-cased, gets its token);
/// another environment's ID is 404 `Unknown environment.`.
#[tokio::test]
async fn the_token_endpoint_reads_the_environment_id_in_any_case() {
    let emulator = Emulator::start().unwrap();
    // base64("emulator-worker:emulator-worker-secret")
    let credentials = "Basic ZW11bGF0b3Itd29ya2VyOmVtdWxhdG9yLXdvcmtlci1zZWNyZXQ=";
    let other = "11111111-49eb-49f5-a5d9-80ad5c98f9f6";
    for (environment, status) in [
        (REFERENCE_ENVIRONMENT_ID.to_ascii_uppercase(), 200),
        (other.to_owned(), 404),
    ] {
        let answer = raw(
            &emulator,
            "POST",
            &format!("/{environment}/as/token"),
            &[("Authorization", credentials), FORM],
            "grant_type=client_credentials",
        )
        .await;
        assert_eq!(answer.status, status, "{environment}: {}", answer.body);
        if status == 404 {
            assert_eq!(answer.json()["error_description"], "Unknown environment.");
        }
    }
}

/// Issue 9 §2: the emulator writes its error bodies with the client's `ApiError` type, so every
/// error answer matches the `P1Error` schema and reads back as the same `ApiError`.
#[tokio::test]
async fn error_bodies_are_typed_p1_errors() {
    use sparse_patch::pingone::ApiError;

    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::RateLimited {
        retry_after: "7".into(),
    });
    let answers = [
        get(&emulator).await,
        raw(&emulator, "GET", &user_path(REFERENCE_USER_ID), &[], "").await,
        patch(
            &emulator,
            // In sorted order, which serde_json's `preserve_order` (the body's order) keeps too:
            // the details come in that order.
            json!({"address": {"countryCode": "usa"}, "email": "nope", "nickname": ""}),
        )
        .await,
        raw(&emulator, "GET", "/v1/elsewhere", &[AUTH], "").await,
    ];
    let root = openapi();
    let schema = &root["components"]["schemas"]["P1Error"];
    for answer in &answers {
        let body = answer.json();
        let mut errors = Vec::new();
        check(&root, schema, &body, "error", &mut errors);
        assert!(errors.is_empty(), "{errors:#?}\n{body:#}");
        let typed: ApiError = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(serde_json::to_value(&typed).unwrap(), body);
        assert!(typed.id.is_some() && typed.code.is_some() && typed.message.is_some());
    }
    let limited: ApiError = serde_json::from_value(answers[0].json()).unwrap();
    assert_eq!(limited.code.as_deref(), Some("REQUEST_LIMITED"));
    assert_eq!(
        limited.details[0].inner_error.as_ref().unwrap()["retryAfter"],
        "7"
    );
    let invalid: ApiError = serde_json::from_value(answers[2].json()).unwrap();
    let targets: Vec<_> = invalid
        .details
        .iter()
        .map(|detail| detail.target.as_deref().unwrap())
        .collect();
    assert_eq!(targets, ["address.countryCode", "email", "nickname"]);
    assert_eq!(
        invalid.details[0].inner_error.as_ref().unwrap()["allowedPattern"],
        "[A-Z]{2}"
    );
    assert_eq!(
        invalid.details[2].inner_error.as_ref().unwrap()["rangeMinimumValue"],
        1
    );
}

/// RFC 6749 §5.1 and §5.2: a token answer carries `Cache-Control: no-store` (and
/// `Pragma: no-cache`), and a 401 `invalid_client` to a client that authenticated with the
/// `Authorization` header carries `WWW-Authenticate` with that scheme. The emulator's answers
/// had neither, so a client tested against it would not see what PingOne sends.
#[tokio::test]
async fn token_answers_carry_no_store_and_a_401_names_its_scheme() {
    let emulator = Emulator::start().unwrap();
    let path = token_path();
    // base64("emulator-worker:emulator-worker-secret")
    let good = "Basic ZW11bGF0b3Itd29ya2VyOmVtdWxhdG9yLXdvcmtlci1zZWNyZXQ=";
    let answer = raw(
        &emulator,
        "POST",
        &path,
        &[("Authorization", good), FORM],
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(answer.header("pragma"), Some("no-cache"));
    // base64("emulator-worker:wrong")
    let answer = raw(
        &emulator,
        "POST",
        &path,
        &[
            ("Authorization", "Basic ZW11bGF0b3Itd29ya2VyOndyb25n"),
            FORM,
        ],
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert_eq!(answer.json()["error"], "invalid_client");
    assert!(
        answer
            .header("www-authenticate")
            .is_some_and(|value| value.starts_with("Basic")),
        "{:?}",
        answer.headers
    );
    assert_eq!(answer.header("cache-control"), Some("no-store"));
}

/// RFC 6749 §5.2: a 401 `invalid_client` to a client that authenticated with the
/// `Authorization` header names the scheme that client used. The emulator always answered
/// `Basic realm="PingOne"`, so a client sending `Authorization: Bearer …` (or any other
/// scheme) to the token endpoint was told about a scheme it had not used.
#[tokio::test]
async fn a_token_401_names_the_scheme_the_client_used() {
    let emulator = Emulator::start().unwrap();
    let path = token_path();
    for (authorization, expected) in [
        ("Bearer some-token", Some("Bearer realm=\"PingOne\"")),
        ("bearer some-token", Some("bearer realm=\"PingOne\"")),
        ("Digest username=\"x\"", Some("Digest realm=\"PingOne\"")),
        (
            "basic ZW11bGF0b3Itd29ya2VyOndyb25n",
            Some("basic realm=\"PingOne\""),
        ),
        ("Basic", Some("Basic realm=\"PingOne\"")),
        // Not a scheme (RFC 9110 §11.1 token): the endpoint names the one it takes.
        ("(nonsense)", Some("Basic realm=\"PingOne\"")),
    ] {
        let answer = raw(
            &emulator,
            "POST",
            &path,
            &[("Authorization", authorization), FORM],
            "grant_type=client_credentials",
        )
        .await;
        assert_eq!(answer.status, 401, "{authorization}: {}", answer.body);
        assert_eq!(answer.json()["error"], "invalid_client", "{authorization}");
        assert_eq!(
            answer.header("www-authenticate"),
            expected,
            "{authorization}: {:?}",
            answer.headers
        );
    }
    // No `Authorization` header (credentials in the form): no `WWW-Authenticate`.
    let answer = raw(
        &emulator,
        "POST",
        &path,
        &[FORM],
        "grant_type=client_credentials&client_id=emulator-worker&client_secret=wrong",
    )
    .await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert_eq!(
        answer.header("www-authenticate"),
        None,
        "{:?}",
        answer.headers
    );
}

/// A client that sends its credentials in `Authorization` without a scheme (the client secret
/// or a token pasted alone) had them sent back: the token endpoint's 401 named the header's
/// one word as the scheme the client used, `WWW-Authenticate: emulator-worker-secret
/// realm="PingOne"`, which any client that logs an answer's headers then wrote out. One word
/// is now a scheme only when it is a registered one; anything else gets `Basic`, and no part of
/// the answer holds what was sent.
#[tokio::test]
async fn a_token_401_never_sends_back_credentials_sent_without_a_scheme() {
    let emulator = Emulator::start().unwrap();
    let path = token_path();
    for (authorization, expected) in [
        (emulator.client_secret(), "Basic realm=\"PingOne\""),
        (emulator.token(), "Basic realm=\"PingOne\""),
        (
            "ZW11bGF0b3Itd29ya2VyOmVtdWxhdG9yLXdvcmtlci1zZWNyZXQ",
            "Basic realm=\"PingOne\"",
        ),
        // A registered scheme alone, with no credentials, is still named.
        ("Bearer", "Bearer realm=\"PingOne\""),
        ("dpop", "dpop realm=\"PingOne\""),
    ] {
        let answer = raw(
            &emulator,
            "POST",
            &path,
            &[("Authorization", authorization), FORM],
            "grant_type=client_credentials",
        )
        .await;
        assert_eq!(answer.status, 401, "{authorization}: {}", answer.body);
        assert_eq!(
            answer.header("www-authenticate"),
            Some(expected),
            "{authorization}"
        );
        if !expected.starts_with(authorization) {
            let whole = format!("{:?} {}", answer.headers, answer.body);
            assert!(!whole.contains(authorization), "{authorization}: {whole}");
        }
    }
}

/// A port in use gave "Address already in use (os error 98)", without saying which address
/// (`pingone-emulator --port 8080` printed "cannot start the emulator: Address already in
/// use"). The error now names it, and keeps its kind.
#[test]
fn a_port_in_use_is_named_in_the_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = Emulator::builder().port(port).start().err().unwrap();
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot listen on 127.0.0.1:{port}: ")),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_patches_of_one_user_lose_no_update() {
    // Each PATCH sets its own custom attribute: in any serial order the user ends with all
    // of them, so a missing one is an update that another PATCH overwrote.
    let emulator = std::sync::Arc::new(Emulator::start().unwrap());
    for round in 0..5 {
        let tasks: Vec<_> = (0..16)
            .map(|n| {
                let emulator = emulator.clone();
                tokio::spawn(async move {
                    let body = json!({ format!("c{round}x{n}"): "v" });
                    patch(&emulator, body).await.status
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), 200);
        }
        let user = get(&emulator).await.json();
        let missing: Vec<String> = (0..16)
            .map(|n| format!("c{round}x{n}"))
            .filter(|name| user.get(name).is_none())
            .collect();
        assert!(missing.is_empty(), "lost updates: {missing:?}");
    }
}

#[tokio::test]
async fn other_methods_get_405_with_allow_and_head_is_get_without_a_body() {
    let emulator = Emulator::start().unwrap();
    let path = user_path(REFERENCE_USER_ID);
    for method in ["PUT", "DELETE", "POST", "OPTIONS"] {
        let answer = raw(&emulator, method, &path, &[AUTH, JSON], "{}").await;
        assert_error(&answer, 405, "INVALID_REQUEST");
        let allow = answer
            .header("Allow")
            .unwrap_or_else(|| panic!("{method}: a 405 must carry Allow (RFC 9110 §15.5.6)"));
        let allowed: Vec<&str> = allow.split(',').map(str::trim).collect();
        for expected in ["GET", "HEAD", "PATCH"] {
            assert!(allowed.contains(&expected), "{method}: Allow: {allow}");
        }
    }
    let head = raw(&emulator, "HEAD", &path, &[AUTH], "").await;
    assert_eq!(head.status, 200, "{}", head.body);
    assert_eq!(head.body, "");
    assert_eq!(head.header("Content-Type"), Some("application/json"));
    let missing = raw(
        &emulator,
        "HEAD",
        &user_path("a38890a6-295a-4d58-9f6e-b72b05fba370"),
        &[AUTH],
        "",
    )
    .await;
    assert_eq!(missing.status, 404);
}

/// `Emulator::requests` keeps each request as it came, `RecordedRequest::method` its method:
/// a `HEAD` of the user list was recorded as `GET` (the handler wrote `GET` for every list
/// request), so a test of a client's own `HEAD` read the wrong method back.
#[tokio::test]
async fn a_head_of_the_list_is_recorded_as_head() {
    let emulator = Emulator::start().unwrap();
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let head = raw(&emulator, "HEAD", &list, &[AUTH], "").await;
    assert_eq!(head.status, 200, "{}", head.body);
    assert_eq!(head.body, "");
    let get = raw(&emulator, "GET", &list, &[AUTH], "").await;
    assert_eq!(get.status, 200, "{}", get.body);
    let methods: Vec<String> = emulator
        .requests()
        .into_iter()
        .map(|request| request.method)
        .collect();
    assert_eq!(methods, ["HEAD", "GET"]);
}

#[tokio::test]
async fn the_list_and_the_token_endpoint_answer_other_methods_with_a_pingone_405() {
    let emulator = Emulator::start().unwrap();
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let token = token_path();
    for (method, path, allow) in [
        ("POST", list.as_str(), "GET, HEAD"),
        ("DELETE", list.as_str(), "GET, HEAD"),
        ("GET", token.as_str(), "POST"),
        ("PUT", token.as_str(), "POST"),
    ] {
        let answer = raw(&emulator, method, path, &[AUTH, JSON], "{}").await;
        assert_error(&answer, 405, "INVALID_REQUEST");
        assert_eq!(answer.header("Allow"), Some(allow), "{method} {path}");
    }
}

/// A user's other method is 401 without a token, and 405 with one; the list's other methods
/// and an unknown path answered 405 and 404 to a request without any token, telling a caller
/// that may not see the API which paths and methods it serves. Every API path checks the
/// token first now; the token endpoint, which takes none, still answers its 405.
#[tokio::test]
async fn every_api_path_checks_the_token_before_its_404_or_405() {
    let emulator = Emulator::start().unwrap();
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let user = user_path(REFERENCE_USER_ID);
    let wrong = ("Authorization", "Bearer not-the-token");
    for (method, path, with_token) in [
        ("DELETE", user.as_str(), 405),
        ("POST", list.as_str(), 405),
        ("DELETE", list.as_str(), 405),
        ("GET", "/v1/elsewhere", 404),
        ("POST", "/v1/environments", 404),
        ("GET", "/", 404),
    ] {
        for headers in [&[JSON][..], &[wrong, JSON][..]] {
            let answer = raw(&emulator, method, path, headers, "{}").await;
            assert_error(&answer, 401, "ACCESS_FAILED");
            assert_eq!(answer.header("Allow"), None, "{method} {path}");
            assert!(
                answer
                    .header("WWW-Authenticate")
                    .is_some_and(|challenge| challenge.starts_with("Bearer")),
                "{method} {path}: {:?}",
                answer.headers
            );
        }
        let answer = raw(&emulator, method, path, &[AUTH, JSON], "{}").await;
        assert_eq!(
            answer.status, with_token,
            "{method} {path}: {}",
            answer.body
        );
    }
    let token = token_path();
    let answer = raw(&emulator, "GET", &token, &[], "").await;
    assert_error(&answer, 405, "INVALID_REQUEST");
}

#[tokio::test]
async fn a_body_too_large_to_read_gets_a_pingone_error_and_is_recorded() {
    let emulator = Emulator::start().unwrap();
    let path = user_path(REFERENCE_USER_ID);
    let big = format!(r#"{{"title":"{}"}}"#, "x".repeat(3 << 20));
    let answer = raw(&emulator, "PATCH", &path, &[AUTH, JSON], &big).await;
    assert_error(&answer, 413, "INVALID_REQUEST");
    assert_eq!(answer.json()["details"][0]["code"], "SIZE_LIMIT_EXCEEDED");
    assert_eq!(answer.header("Content-Type"), Some("application/json"));
    let recorded = emulator.requests();
    assert_eq!(recorded.len(), 1, "the request is in the log");
    assert_eq!(recorded[0].method, "PATCH");
    let token = token_path();
    let answer = raw(&emulator, "POST", &token, &[FORM], &big).await;
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(answer.json()["error"], "invalid_request");
    let title = get(&emulator).await.json()["title"].clone();
    assert!(title.as_str().is_none_or(|t| t.len() < 1000), "unchanged");
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_told_apart_in_the_message() {
    let emulator = Emulator::start().unwrap();
    let path = user_path(REFERENCE_USER_ID);
    for (body, says) in [
        (r#"{"title": }"#, "not valid JSON"),
        (r#"{"title": }"#, "line 1 column 11"),
        ("", "empty"),
        ("[1]", "an array"),
        ("null", "null"),
        ("\"x\"", "a string"),
    ] {
        let answer = raw(&emulator, "PATCH", &path, &[AUTH, JSON], body).await;
        assert_error(&answer, 400, "INVALID_REQUEST");
        let message = answer.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(says), "{body:?}: {message}");
    }
}

#[tokio::test]
async fn a_username_another_user_holds_gets_a_uniqueness_violation() {
    let other = "b38890a6-295a-4d58-9f6e-b72b05fba379";
    let emulator = Emulator::builder()
        .user(json!({"id": other, "username": "taken", "email": "taken@example.com"}))
        .start()
        .unwrap();
    for username in ["taken", "TAKEN"] {
        let answer = patch(&emulator, json!({"username": username, "title": "T"})).await;
        assert_error(&answer, 400, "INVALID_DATA");
        let detail = &answer.json()["details"][0];
        assert_eq!(detail["code"], "UNIQUENESS_VIOLATION", "{detail}");
        assert_eq!(detail["target"], "username", "{detail}");
        assert_ne!(get(&emulator).await.json()["title"], "T", "nothing changed");
    }
    // The user's own username, in another case, is no conflict.
    let answer = patch(&emulator, json!({"username": "DSpanner"})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // Once freed, a username may be taken.
    let path = user_path(other);
    let body = json!({"username": "freed"}).to_string();
    assert_eq!(
        raw(&emulator, "PATCH", &path, &[AUTH, JSON], &body)
            .await
            .status,
        200
    );
    assert_eq!(
        patch(&emulator, json!({"username": "taken"})).await.status,
        200
    );
}

/// A seeded user's `updatedAt` is any text the seed holds. One the clock could not read
/// without panicking (a fraction of non-ASCII letters sliced inside a character, a year so far
/// ahead that its milliseconds overflow) made the handler panic on the next PATCH, and the
/// client saw a dropped connection instead of the updated user. It is now moved forward as
/// far as it can be read, or set to the current time.
#[tokio::test]
async fn a_patch_answers_whatever_updated_at_the_seeded_user_holds() {
    for updated_at in [
        "2999-01-04T22:54:25.ééZ",
        "99999999999999-12-31T23:59:59.999Z",
        "2999-13-45T99:99:99.000Z",
    ] {
        let mut user = reference_user();
        user["updatedAt"] = json!(updated_at);
        let emulator = Emulator::builder().no_users().user(user).start().unwrap();
        let answer = patch(&emulator, json!({"title": "Dr"})).await;
        assert_eq!(answer.status, 200, "{updated_at}: {}", answer.body);
        let written = answer.json()["updatedAt"].as_str().unwrap().to_owned();
        assert_ne!(written, updated_at);
        assert!(written.ends_with('Z'), "{written}");
    }
}

/// `EmulatorBuilder::start` refuses a seeded user "that the client could not reach", where the
/// test that seeds it sees why. An environment ID that is not a UUID was taken as it was, and
/// then no call of the client could reach any user (`Error::InvalidInput` on every call).
#[test]
fn an_environment_id_that_is_not_a_uuid_is_refused_at_start() {
    for environment in ["test-env", "", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/.."] {
        let error = Emulator::builder()
            .environment_id(environment)
            .start()
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::InvalidInput,
            "{environment:?}"
        );
        assert!(error.to_string().contains("UUID"), "{error}");
    }
}

/// Dropping an emulator stopped it in the background: its port could still be held when
/// `drop` returned, so an emulator started again on that port (a test restarting "the
/// server") failed with "Address already in use", and a connection made right after the drop
/// could still be served. The drop now returns once the server is gone; a request that was
/// in flight (a slow one here) ends with a cut connection rather than hanging.
#[tokio::test]
async fn a_dropped_emulator_has_released_its_port() {
    for _ in 0..20 {
        let emulator = Emulator::start().unwrap();
        let port = emulator.addr().port();
        // Open connections, one of them with a request under way.
        let idle = tokio::net::TcpStream::connect(emulator.addr())
            .await
            .unwrap();
        let mut busy = tokio::net::TcpStream::connect(emulator.addr())
            .await
            .unwrap();
        emulator.inject(Fault::Slow(Duration::from_secs(3600)));
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {DEFAULT_TOKEN}\r\n\r\n",
            user_path(REFERENCE_USER_ID)
        );
        busy.write_all(request.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(emulator);
        assert!(
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_err(),
            "the dropped emulator still accepts connections"
        );
        let again = sparse_patch::pingone::emulator::EmulatorBuilder::default()
            .port(port)
            .start()
            .unwrap_or_else(|error| panic!("port {port} not released: {error}"));
        let mut rest = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), busy.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "the request in flight hangs");
        assert!(rest.is_empty());
        drop((idle, again));
    }
}

/// Two emulators at once are independent: their own users, faults and ports.
#[tokio::test]
async fn two_emulators_at_once_are_independent() {
    let a = Emulator::start().unwrap();
    let b = Emulator::start().unwrap();
    assert_ne!(a.addr(), b.addr());
    a.inject(Fault::ServiceUnavailable { retry_after: None });
    assert_eq!(get(&b).await.status, 200);
    assert_eq!(get(&a).await.status, 503);
    assert_eq!(
        patch(&b, json!({"title": "B"})).await.status,
        200,
        "b is not a's"
    );
    assert_eq!(b.user(REFERENCE_USER_ID).unwrap()["title"], "B");
    assert_ne!(
        a.user(REFERENCE_USER_ID).unwrap().get("title"),
        Some(&json!("B"))
    );
    drop(a);
    assert_eq!(get(&b).await.status, 200);
}

/// `/users/%FF` (an identifier whose percent-decoding is not UTF-8) got axum's plain-text
/// 400 `Invalid URL: Invalid UTF-8 in `user``, which a client reading PingOne errors cannot
/// parse; so did such an environment on the list and on the token endpoint. Such an
/// identifier names nothing: after the token check, 404 `NOT_FOUND` (the token endpoint's
/// OAuth 404 for an unknown environment), as for any unknown identifier; and `%61` still
/// decodes to `a`.
#[tokio::test]
async fn identifiers_that_do_not_decode_to_utf8_are_unknown_not_refused_in_plain_text() {
    let emulator = Emulator::start().unwrap();
    let env = REFERENCE_ENVIRONMENT_ID;
    for path in [
        user_path("%FF"),
        user_path(&format!("{REFERENCE_USER_ID}%C3")),
        format!("/v1/environments/%FF/users/{REFERENCE_USER_ID}"),
        "/v1/environments/%FF/users".to_owned(),
        format!("/v1/environments/{env}/users/%FF%FE"),
    ] {
        for method in ["GET", "PATCH"] {
            let answer = raw(&emulator, method, &path, &[AUTH, JSON], "{}").await;
            let expected = if path.ends_with("/users") && method == "PATCH" {
                405
            } else {
                404
            };
            assert_eq!(
                answer.header("Content-Type"),
                Some("application/json"),
                "{method} {path}"
            );
            assert_error(
                &answer,
                expected,
                if expected == 404 {
                    "NOT_FOUND"
                } else {
                    "INVALID_REQUEST"
                },
            );
            // The token is checked first, as for any identifier.
            if method == "GET" {
                let answer = raw(&emulator, method, &path, &[], "").await;
                assert_error(&answer, 401, "ACCESS_FAILED");
            }
        }
    }
    let answer = raw(
        &emulator,
        "POST",
        "/%FF/as/token",
        &[
            FORM,
            (
                "Authorization",
                "Basic ZW11bGF0b3Itd29ya2VyOmVtdWxhdG9yLXdvcmtlci1zZWNyZXQ=",
            ),
        ],
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert_eq!(answer.json()["error"], "invalid_request");
    // Percent-encoded text that is UTF-8 still names its user.
    let encoded = user_path(&format!("%61{}", &REFERENCE_USER_ID[1..]));
    assert_eq!(
        raw(&emulator, "GET", &encoded, &[AUTH], "").await.status,
        200
    );
}

/// A 401 of the users endpoints had no `WWW-Authenticate`, which RFC 9110 §15.5.2 requires
/// of every 401 and RFC 6750 §3 of a resource server refusing a missing or bad bearer token
/// (clients such as Python's `urllib` auth handlers read it). Now: `Bearer realm="PingOne"`,
/// with `error="invalid_token"` when a bearer token was sent; on the user, the list and a
/// PATCH alike.
#[tokio::test]
async fn a_401_of_the_users_endpoints_carries_a_bearer_challenge() {
    let emulator = Emulator::start().unwrap();
    let user = user_path(REFERENCE_USER_ID);
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let no_token = r#"Bearer realm="PingOne""#;
    let bad_token = r#"Bearer realm="PingOne", error="invalid_token""#;
    for (authorization, challenge) in [
        (None, no_token),
        (Some(""), no_token),
        (Some("Bearer"), no_token),
        (Some("Bearer "), no_token),
        (Some("Basic ZW11bGF0b3I="), no_token),
        (Some(DEFAULT_TOKEN), no_token),
        (Some("Bearer wrong"), bad_token),
        (Some("bearer  wrong"), bad_token),
    ] {
        for (method, path) in [("GET", &user), ("PATCH", &user), ("GET", &list)] {
            let mut headers = vec![JSON];
            headers.extend(authorization.map(|value| ("Authorization", value)));
            let answer = raw(&emulator, method, path, &headers, "{}").await;
            assert_error(&answer, 401, "ACCESS_FAILED");
            assert_eq!(
                answer.header("WWW-Authenticate"),
                Some(challenge),
                "{method} {path} with {authorization:?}"
            );
        }
    }
    let answer = raw(&emulator, "GET", &user, &[AUTH], "").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("WWW-Authenticate"), None);
}

/// Writes one request with a `Content-Length` body on `stream` (kept alive) while it reads
/// its answer (a server may answer before it has read the body): the status, the
/// `Connection` header and the body; `None` when the connection ends before a whole answer.
async fn exchange(
    stream: &mut tokio::net::TcpStream,
    method: &str,
    path: &str,
    body: &str,
) -> Option<(u16, Option<String>, String)> {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {DEFAULT_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (mut reader, mut writer) = stream.split();
    let write = async {
        let _ = writer.write_all(request.as_bytes()).await;
    };
    let read = async {
        let mut bytes = Vec::new();
        let mut buffer = [0_u8; 8192];
        let head_end = loop {
            if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            let read = reader.read(&mut buffer).await.ok()?;
            if read == 0 {
                return None;
            }
            bytes.extend_from_slice(&buffer[..read]);
        };
        let head = String::from_utf8(bytes[..head_end].to_vec()).unwrap();
        let header = |name: &str| {
            head.lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        };
        let length: usize = header("content-length").unwrap().parse().unwrap();
        while bytes.len() < head_end + length {
            let read = reader.read(&mut buffer).await.ok()?;
            if read == 0 {
                return None;
            }
            bytes.extend_from_slice(&buffer[..read]);
        }
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let body = String::from_utf8(bytes[head_end..head_end + length].to_vec()).unwrap();
        Some((status, header("connection"), body))
    };
    tokio::join!(write, read).1
}

/// The list, the 405s of the list and of the token endpoint, and the 404 of an unknown path
/// did not read the request's body: unless the whole body had already arrived, hyper then
/// closed the connection after the answer without `Connection: close`, so a client that
/// keeps connections alive (Python's `http.client`, any pool) failed on its next request
/// with a broken pipe. Now every handler reads the body, and the next request on the
/// connection is answered; a body that cannot be read (past 2 MB) still ends the
/// connection, and its answer says so.
#[tokio::test]
async fn a_connection_stays_usable_after_an_answer_that_ignores_the_body() {
    let emulator = Emulator::start().unwrap();
    let user = user_path(REFERENCE_USER_ID);
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let token = token_path();
    for size in [0, 1 << 20] {
        // A "create user" body, padded to a size that arrives in several reads.
        let create = format!(
            r#"{{"username": "newcomer", "email": "newcomer@example.com", "note": "{}"}}"#,
            "x".repeat(size)
        );
        for (method, path, status) in [
            ("POST", list.as_str(), 405),
            ("GET", list.as_str(), 200),
            ("GET", token.as_str(), 405),
            ("POST", "/v1/environments", 404),
            ("PUT", user.as_str(), 405),
            ("PATCH", user.as_str(), if size == 0 { 200 } else { 400 }),
        ] {
            let mut stream = tokio::net::TcpStream::connect(emulator.addr())
                .await
                .unwrap();
            let (first, connection, body) = exchange(&mut stream, method, path, &create)
                .await
                .unwrap_or_else(|| panic!("{method} {path}: no answer"));
            assert_eq!(first, status, "{method} {path}: {body}");
            assert_eq!(connection, None, "{method} {path}");
            let second = exchange(&mut stream, "GET", &user, "").await;
            assert_eq!(
                second.map(|(status, ..)| status),
                Some(200),
                "the request after {method} {path} with {size} bytes, on the same connection"
            );
        }
    }

    // Past 2 MB the body is not read whole: the answer says that the connection ends.
    let big = format!(r#"{{"title":"{}"}}"#, "x".repeat(3 << 20));
    for (method, path, status) in [
        ("PATCH", user.as_str(), 413),
        ("POST", token.as_str(), 413),
        ("POST", list.as_str(), 405),
        ("GET", list.as_str(), 200),
        ("POST", "/v1/environments", 404),
    ] {
        let mut stream = tokio::net::TcpStream::connect(emulator.addr())
            .await
            .unwrap();
        let answer = exchange(&mut stream, method, path, &big).await;
        let (first, connection, body) =
            answer.unwrap_or_else(|| panic!("{method} {path}: no answer"));
        assert_eq!(first, status, "{method} {path}: {body}");
        assert_eq!(connection.as_deref(), Some("close"), "{method} {path}");
    }
}

/// A token request whose body holds no `grant_type` form field (a JSON body, as
/// `requests.post(url, json=...)` sends, or an empty one) got `unsupported_grant_type`,
/// "Only client_credentials is supported.", although it asked for client_credentials.
/// RFC 6749 §5.2: a missing parameter is `invalid_request`; `unsupported_grant_type` stays
/// for a grant type that is given and not served; `grant_type=`, without a value, is as if
/// omitted (RFC 6749 §3.2).
#[tokio::test]
async fn a_token_request_without_a_grant_type_field_is_an_invalid_request() {
    let emulator = Emulator::start().unwrap();
    let token = token_path();
    let basic = (
        "Authorization",
        "Basic ZW11bGF0b3Itd29ya2VyOmVtdWxhdG9yLXdvcmtlci1zZWNyZXQ=",
    );
    for (content_type, body, error) in [
        (
            JSON,
            r#"{"grant_type": "client_credentials", "client_id": "emulator-worker"}"#,
            "invalid_request",
        ),
        (FORM, "", "invalid_request"),
        (FORM, "scope=openid", "invalid_request"),
        (FORM, "grant_type=password", "unsupported_grant_type"),
        // Without a value, as if omitted (RFC 6749 §3.2): missing.
        (FORM, "grant_type=", "invalid_request"),
    ] {
        let answer = raw(&emulator, "POST", &token, &[content_type, basic], body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.json()["error"], error, "{body}");
        assert_eq!(answer.header("Cache-Control"), Some("no-store"), "{body}");
    }
    let answer = raw(
        &emulator,
        "POST",
        &token,
        &[FORM, basic],
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// The reference's `email` is an RFC 2822 address (§3.4.1: `local-part "@" domain`, the
/// local part a dot-atom or a quoted string, the domain a dot-atom or a domain literal). The
/// check took any text with one `@` and a dotted domain, so characters that RFC 2822 allows
/// in no unquoted address (`<`, `>`, `,`, `;`, `:`, `\`, `"`, `(`, `)`, `[`, `]`) and dots at
/// the edges of the local part or doubled in it passed the emulator and the client's
/// pre-flight, and would be refused by PingOne. Now one `INVALID_VALUE` detail each; the
/// addresses RFC 2822 allows (a quoted local part, a domain literal, every `atext`
/// character) pass.
#[tokio::test]
async fn emails_that_rfc_2822_refuses_are_refused() {
    let emulator = Emulator::start().unwrap();
    for email in [
        "dave<spanner>@example.com",
        "Dave Spanner <dspanner@example.com>",
        "dave,spanner@example.com",
        "dave;spanner@example.com",
        "dave:spanner@example.com",
        "dave\\spanner@example.com",
        "dave\"spanner@example.com",
        "dave(spanner)@example.com",
        "dave[spanner]@example.com",
        ".dave@example.com",
        "dave.@example.com",
        "dave..spanner@example.com",
        "dave@exa<mple.com",
        "dave@example,com.au",
        "dave@[192.0.2.1",
        "\"dave\"x@example.com",
    ] {
        let answer = patch(&emulator, json!({ "email": email })).await;
        assert_error(&answer, 400, "INVALID_DATA");
        assert_eq!(invalid_value_targets(&answer.json()), ["email"], "{email}");
    }
    for email in [
        "d.spanner+x@example.co.uk",
        "!#$%&'*+-/=?^_`{|}~@example.com",
        "\"dave.spanner\"@example.com",
        "\"dave@home\"@example.com",
        "dave@[192.0.2.1]",
    ] {
        let answer = patch(&emulator, json!({ "email": email })).await;
        assert_eq!(answer.status, 200, "{email}: {}", answer.body);
        assert_eq!(answer.json()["email"], email);
    }
}

/// The reference's `photo.href` "must be a valid URL that starts with the HTTP or HTTPS
/// scheme". The check took any text that starts `https://` or `http://`, so a URL without a
/// host (`https://`, `https:///a.png`, `https://:443/a.png`), which names no resource, passed
/// the emulator and the client's pre-flight. Now `INVALID_VALUE` on `photo.href`.
#[tokio::test]
async fn a_photo_href_without_a_host_is_refused() {
    let emulator = Emulator::start().unwrap();
    for href in [
        "https://",
        "http://",
        "https:///a.png",
        "https://?a.png",
        "https://#a.png",
        "https://user@/a.png",
        "https://:443/a.png",
        // No whitespace in a URI (RFC 3986 §2), and the host follows the last `@` (no `@` in
        // a userinfo, RFC 3986 §3.2.1): here it is empty.
        "https://example.com/a b.png",
        "https://example.com/a.png ",
        "https://example.com/\ta.png",
        "https://a@b@/a.png",
        // An IP literal that is empty or does not close, or a bracket after an empty host
        // (RFC 3986 §3.2.2: `[` IPv6address `]`).
        "https://[]/a.png",
        "https://[::1/a.png",
        "https://:]/a.png",
    ] {
        let answer = patch(&emulator, json!({"photo": {"href": href}})).await;
        assert_error(&answer, 400, "INVALID_DATA");
        assert_eq!(
            invalid_value_targets(&answer.json()),
            ["photo.href"],
            "{href}"
        );
    }
    for href in [
        "https://example.com",
        "http://localhost:8080/a.png",
        "https://user@example.com/a.png?size=2#top",
        "https://[::1]/a.png",
        "https://[2001:db8::7]:8443/a.png",
        "https://user:pw@[::1]:443",
    ] {
        let answer = patch(&emulator, json!({"photo": {"href": href}})).await;
        assert_eq!(answer.status, 200, "{href}: {}", answer.body);
        assert_eq!(answer.json()["photo"]["href"], href);
    }
}

/// The reference: `locale` "must be a valid language tag as defined in RFC 5646" (`fr`,
/// `en-US`, `es-419`, `az-Arab`, `man-Nkoo-GN`), and `preferredLanguage` "must be a valid
/// language range and the same as the HTTP Accept-Language header field" (RFC 7231 §5.3.5:
/// `en-US, en-gb;q=0.8, en;q=0.7`). Only the characters and the length of `locale` were
/// checked, and of `preferredLanguage` only that it was not empty, so `"English (US)"`,
/// `"en_US"` or `"en-US; q=high"` passed the emulator and the client's pre-flight and would be
/// refused by PingOne. Now one `INVALID_VALUE` detail each.
#[tokio::test]
async fn locale_and_preferred_language_must_be_language_tags_and_ranges() {
    let emulator = Emulator::start().unwrap();
    for (locale, preferred) in [
        ("English (US)", "English (US)"),
        ("en_US", "en_US"),
        ("en-", "en-US; q=high"),
        ("-en", "en;q=1.5"),
        ("e", "en;q=0.1234"),
        ("en--US", "en US"),
        ("en-US-x", "en;q"),
        ("abcdefghi", "abcdefghi"),
        ("12", ";q=0.5"),
        ("en-a", "en-US,,;q=1"),
        // A weight whose byte 2 is inside a character: refused (the emulator's check of it
        // panicked on a slice of the text at byte 2).
        ("en_GB", "en;qé"),
    ] {
        let answer = patch(
            &emulator,
            json!({"locale": locale, "preferredLanguage": preferred}),
        )
        .await;
        assert_error(&answer, 400, "INVALID_DATA");
        assert_eq!(
            invalid_value_targets(&answer.json()),
            ["locale", "preferredLanguage"],
            "{locale} {preferred}"
        );
    }
    for (locale, preferred) in [
        ("fr", "en-US, en-gb;q=0.8, en;q=0.7"),
        ("en-US", "*"),
        ("es-419", "fr;q=1.000, *;q=0"),
        ("az-Arab", "de-CH\t;\tQ=0.5"),
        ("man-Nkoo-GN", "zh-Hant-TW"),
        ("zh-yue-HK", "en , fr"),
        ("de-DE-1996-u-co-phonebk-x-private", "i-klingon"),
        ("x-whatever", "x-whatever;q=0.001"),
        ("i-klingon", "EN-us"),
        ("en-GB-oed", "sgn-BE-FR"),
    ] {
        let answer = patch(
            &emulator,
            json!({"locale": locale, "preferredLanguage": preferred}),
        )
        .await;
        assert_eq!(answer.status, 200, "{locale} {preferred}: {}", answer.body);
    }
}

/// The reference's `innerError.allowedPattern` is "a regex pattern describing an acceptable
/// input pattern". The emulator put prose there for the rules that have no regex
/// (`"RFC 2822 address"` for `email`, `"at most 32 characters, one digit at least"` for the
/// phones), which a client that compiles `allowedPattern` (a form validator) took for a
/// regex matching that very text. Now those details say what the value must be in their
/// `message` and carry no `allowedPattern`; the schema's regexes (`timezone`,
/// `countryCode`) still do.
#[tokio::test]
async fn allowed_pattern_is_only_ever_a_regex() {
    let emulator = Emulator::start().unwrap();
    let answer = patch(
        &emulator,
        json!({"email": "not-an-email", "mobilePhone": "none", "primaryPhone": "none",
               "preferredLanguage": "en;q=2", "timezone": "Los Angeles",
               "address": {"countryCode": "usa"}}),
    )
    .await;
    assert_error(&answer, 400, "INVALID_DATA");
    let body = answer.json();
    let details = body["details"].as_array().unwrap();
    assert_eq!(details.len(), 6, "{body}");
    for detail in details {
        let target = detail["target"].as_str().unwrap();
        let pattern = &detail["innerError"]["allowedPattern"];
        match target {
            "timezone" => assert_eq!(pattern, r"^\w+\/\w+$"),
            "address.countryCode" => assert_eq!(pattern, "[A-Z]{2}"),
            _ => assert!(pattern.is_null(), "{detail}"),
        }
        assert!(
            detail["message"].as_str().unwrap().starts_with(target),
            "{detail}"
        );
    }
}

/// The reference's `name.family` admits "any Unicode letter, mark (for example, accent,
/// umlaut), space, dot, apostrophe, or hyphen" (`^[\p{L}\p{M}\p{N}' .-]*$`), and
/// `address.streetAddress` no symbol (`^[\p{L}\p{M}\p{N}\p{Zs}\p{P}\n\r]*$`, without the
/// `\p{S}` of the other text patterns). Only control and invisible characters were refused,
/// so a family name `"Jensen, III"` from an HR feed, or a street address `"1 Main St | Flat 2"`,
/// passed the emulator and the client's pre-flight and would be refused by PingOne. Now each
/// ASCII character outside the pattern is refused (`INVALID_VALUE` with the pattern as
/// `allowedPattern`); characters beyond ASCII are checked as before. `name.formatted` keeps
/// the looser check: the reference's own example of it, "Ms. Barbara J Jensen, III", breaks
/// its pattern.
#[tokio::test]
async fn family_names_and_street_addresses_keep_their_narrower_patterns() {
    let emulator = Emulator::start().unwrap();
    for (family, street) in [
        ("Jensen, III", "1 Main St | Flat 2"),
        ("Spanner (née Jones)", "1 Main St + Annex"),
        ("Spanner & Co", "Lot <4>"),
        ("Sp@nner", "$5 Street"),
        ("Spanner;", "1 Main St ~ Flat 2"),
    ] {
        let answer = patch(
            &emulator,
            json!({"name": {"family": family}, "address": {"streetAddress": street}}),
        )
        .await;
        assert_error(&answer, 400, "INVALID_DATA");
        let body = answer.json();
        assert_eq!(
            invalid_value_targets(&body),
            ["address.streetAddress", "name.family"],
            "{family} {street}"
        );
        let patterns: Vec<&Value> = body["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|detail| &detail["innerError"]["allowedPattern"])
            .collect();
        assert!(patterns.iter().all(|pattern| pattern.is_string()), "{body}");
    }
    let answer = patch(
        &emulator,
        json!({"name": {"family": "O'Brien-Smith Jr. 2", "formatted": "Ms. Barbara J Jensen, III"},
               "address": {"streetAddress": "1 Main St., Apt #2 (rear)\r\nc/o \"Spanner\"; Denver"}}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // Letters and marks beyond ASCII are in both patterns (`\p{L}`, `\p{M}`): the ASCII masks
    // must not read their UTF-8 bytes (ü is C3 BC, and 0xBC without its high bit is `<`).
    let answer = patch(
        &emulator,
        json!({"name": {"family": "Müller-Lüdenscheidt José"},
               "address": {"streetAddress": "Lüdenscheider Straße 1\nÅrhus"}}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// A user that PingOne answers always holds what PingOne sets when it creates one: `createdAt`,
/// `updatedAt`, `enabled` (`true`), `mfaEnabled` (`false`), `account`, `identityProvider`,
/// `lifecycle`, `population` and `verifyStatus`, as the reference user does. A seeded or
/// inserted user (the emulator program's generated users among them) held only what the seed
/// gave, so that a program that reads `enabled` or `createdAt` found them on PingOne and not on
/// the emulator. The seed's own values are kept, and `createdAt` is never after `updatedAt`.
#[tokio::test]
async fn a_seeded_user_holds_pingones_creation_defaults() {
    use sparse_patch::pingone::emulator::{DEFAULT_POPULATION_ID, generated_user};

    let reference = reference_user();
    let emulator = Emulator::builder()
        .user(generated_user(1))
        .user(json!({
            "id": "00000000-0000-4000-8000-000000000002",
            "username": "seeded",
            "email": "seeded@example.com",
            "enabled": false,
            "updatedAt": "2024-05-01T10:00:00.000Z",
            "population": {"id": "11111111-2222-4333-8444-555555555555"},
        }))
        .start()
        .unwrap();
    let generated = emulator
        .user("00000000-0000-4000-8000-000000000001")
        .unwrap();
    for name in [
        "account",
        "enabled",
        "identityProvider",
        "lifecycle",
        "mfaEnabled",
        "population",
        "verifyStatus",
    ] {
        assert_eq!(generated[name], reference[name], "{name}");
    }
    assert_eq!(generated["population"]["id"], DEFAULT_POPULATION_ID);
    let created = generated["createdAt"].as_str().unwrap();
    assert_eq!(generated["updatedAt"].as_str(), Some(created));
    assert!(is_date_time(created), "{created}");

    let seeded = emulator
        .user("00000000-0000-4000-8000-000000000002")
        .unwrap();
    assert_eq!(seeded["enabled"], false);
    assert_eq!(
        seeded["population"]["id"],
        "11111111-2222-4333-8444-555555555555"
    );
    assert_eq!(seeded["createdAt"], "2024-05-01T10:00:00.000Z");
    assert_eq!(seeded["updatedAt"], "2024-05-01T10:00:00.000Z");
    assert_eq!(seeded["mfaEnabled"], false);

    // Inserted later: the same defaults, and the answer keeps the reference's schema.
    emulator.insert_user(json!({
        "id": "00000000-0000-4000-8000-000000000003",
        "username": "inserted",
        "email": "inserted@example.com",
    }));
    let inserted = emulator
        .user("00000000-0000-4000-8000-000000000003")
        .unwrap();
    assert_eq!(inserted["lifecycle"], json!({"status": "ACCOUNT_OK"}));
    assert_eq!(inserted["enabled"], true);
    // The reference user, which holds them all, is stored as it is.
    let default = Emulator::start().unwrap();
    let mut stored = default.user(REFERENCE_USER_ID).unwrap();
    stored.as_object_mut().unwrap().remove("environment");
    let mut reference = reference;
    reference.as_object_mut().unwrap().remove("environment");
    assert_eq!(stored, reference);
}

/// A forbidden object covers every member of it and an empty object set on it: a token that
/// may not update `name` gets 403 for `{"name": {"given": "X"}}` (named `name.given`) and
/// for `{"name": {}}` (named `name`). (Mutation testing: both passed as 200, unnoticed.)
#[tokio::test]
async fn a_forbidden_object_covers_its_members_and_an_empty_object() {
    let emulator = Emulator::builder().forbid("name").start().unwrap();
    for (body, target) in [
        (json!({"name": {"given": "X"}}), "name.given"),
        (json!({"name": {}}), "name"),
    ] {
        let answer = patch(&emulator, body).await;
        assert_error(&answer, 403, "ACCESS_FAILED");
        assert_eq!(answer.json()["details"][0]["target"], target);
    }
}

/// Without a declared schema, a name that can be no custom attribute (`cost_centre`: a
/// letter, then letters, digits and hyphens), a core attribute in another case (`Title`) and
/// a core member in another case (`name.Given`) are ignored, as PingOne ignores what matches
/// nothing in its schema; an object left with no member it keeps is not created.
/// (Mutation testing: each was stored, unnoticed.)
#[tokio::test]
async fn names_that_match_nothing_in_the_schema_are_ignored() {
    let emulator = Emulator::start().unwrap();
    let answer = patch(&emulator, json!({"name": null})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let answer = patch(
        &emulator,
        json!({"cost_centre": "x", "Title": "CTO", "name": {"Given": "X"}, "costCentre": "y"}),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let stored = emulator.user(REFERENCE_USER_ID).unwrap();
    for key in ["cost_centre", "Title", "name"] {
        assert!(stored.get(key).is_none(), "{key}: {stored}");
    }
    assert_eq!(stored["costCentre"], "y", "{stored}");
}

/// PingOne's top-level message for 400 `INVALID_DATA` is one sentence whatever the details
/// hold: "The request could not be completed. One or more validation errors were in the
/// request." (the example of "Error codes",
/// <https://developer.pingidentity.com/pingone-api/platform/reference/error-codes.html>, and
/// the real answers the Terraform provider's guides quote). The emulator wrote
/// `Validation Error : ` and the details' messages joined, a message PingOne never sends, so a
/// client that shows, logs or matches PingOne's message saw another text offline. Each path to
/// `INVALID_DATA` is checked: a bad value, a username another user holds, a profile past
/// 16 KiB and a SCIM message that is not a PatchOp message.
#[tokio::test]
async fn invalid_data_answers_carry_pingones_documented_top_level_message() {
    const DOCUMENTED: &str =
        "The request could not be completed. One or more validation errors were in the request.";
    let other = "b38890a6-295a-4d58-9f6e-b72b05fba379";
    let emulator = Emulator::builder()
        .user(json!({"id": other, "username": "taken", "email": "taken@example.com"}))
        .start()
        .unwrap();
    let scim = [
        AUTH,
        ("Content-Type", sparse_patch::SCIM_PATCH_CONTENT_TYPE),
    ];
    let answers = [
        patch(&emulator, json!({"email": "nope", "nickname": ""})).await,
        patch(&emulator, json!({"username": "taken"})).await,
        patch(&emulator, json!({"notes": "x".repeat(17_000)})).await,
        raw(
            &emulator,
            "PATCH",
            &user_path(REFERENCE_USER_ID),
            &scim,
            r#"{"Operations": [{"op": "replace", "path": "title", "value": "T"}]}"#,
        )
        .await,
    ];
    for answer in &answers {
        assert_error(answer, 400, "INVALID_DATA");
        let body = answer.json();
        assert_eq!(body["message"], DOCUMENTED, "{body}");
        assert!(
            body["details"].as_array().is_some_and(|d| !d.is_empty()),
            "{body}"
        );
    }
}

/// "The following HTTP Headers are returned by every operation: … `Correlation-Id`"
/// (PingOne Platform APIs, "API responses",
/// <https://developer.pingidentity.com/pingone-api/foundations/conventions/pingone-api-responses.html>).
/// The emulator's answers had none, so a client that logs PingOne's `Correlation-Id` beside
/// its errors, to quote it to Ping's support, found nothing to log offline. Every answer of
/// the users API carries one now, its own for each request: a user, a PATCH, the list, an
/// error of each kind, a 405 and an unknown path.
#[tokio::test]
async fn every_users_api_answer_carries_a_correlation_id() {
    let emulator = Emulator::start().unwrap();
    let user = user_path(REFERENCE_USER_ID);
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let answers = [
        get(&emulator).await,
        patch(&emulator, json!({"title": "T"})).await,
        patch(&emulator, json!({"email": "nope"})).await,
        raw(&emulator, "GET", &list, &[AUTH], "").await,
        raw(&emulator, "GET", &user, &[], "").await,
        raw(
            &emulator,
            "GET",
            &user_path("00000000-0000-4000-8000-000000000000"),
            &[AUTH],
            "",
        )
        .await,
        raw(&emulator, "DELETE", &user, &[AUTH], "").await,
        raw(&emulator, "PATCH", &user, &[AUTH], "{}").await,
        raw(&emulator, "GET", "/v1/elsewhere", &[AUTH], "").await,
    ];
    let mut seen = std::collections::BTreeSet::new();
    for answer in &answers {
        let id = answer
            .header("Correlation-Id")
            .unwrap_or_else(|| panic!("no Correlation-Id: {} {}", answer.status, answer.body));
        assert!(!id.is_empty(), "{}", answer.status);
        assert!(seen.insert(id.to_owned()), "{id} given twice");
    }
}

/// "If there are previous pages of results available, the response includes a `prev` link
/// in the `_links` object" (PingOne Platform APIs, "Paging, ordering, and filtering
/// collections",
/// <https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-filtering-collections.html>).
/// The emulator's pages had `self` and `next` only, so a client that pages back (an admin
/// screen's "previous") had no link to follow offline. Every page after the first links the
/// one before it now, with or without a filter, and following `prev` from the last page
/// walks the pages back to the first, which has none.
/// A page size as large as a `usize` holds (`EmulatorBuilder::max_page_size(usize::MAX)`, a
/// way to say "no limit") lists every user: the previous page's bookkeeping added one to it
/// (an overflow panic) and reserved room for that many IDs (a capacity overflow), and the
/// connection dropped without an answer.
#[tokio::test]
async fn a_page_size_as_large_as_a_usize_lists_every_user() {
    for max in [usize::MAX, usize::MAX / 32] {
        let emulator = Emulator::builder().max_page_size(max).start().unwrap();
        let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
        for query in ["", "?filter=username%20sw%20%22d%22"] {
            let answer = raw(&emulator, "GET", &format!("{list}{query}"), &[AUTH], "").await;
            assert_eq!(answer.status, 200, "{max} {query}: {}", answer.body);
            let body = answer.json();
            assert_eq!(body["_embedded"]["users"].as_array().unwrap().len(), 1);
            assert!(body["_links"].get("prev").is_none(), "{body}");
        }
    }
}

#[tokio::test]
async fn a_page_after_the_first_links_the_previous_page() {
    let mut builder = Emulator::builder().no_users();
    for n in 0..7 {
        builder = builder.user(json!({
            "id": format!("5f2c1a3e-0000-4000-8000-{n:012}"),
            "username": format!("user{n}"),
            "email": format!("user{n}@example.com"),
        }));
    }
    let emulator = builder.start().unwrap();
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let page = |href: String| {
        let emulator = &emulator;
        async move {
            let path = href
                .split_once("/v1/")
                .map_or(href.clone(), |(_, rest)| format!("/v1/{rest}"));
            let answer = raw(emulator, "GET", &path, &[AUTH], "").await;
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            answer.json()
        }
    };
    for query in ["limit=3", "filter=username%20sw%20%22user%22&limit=3"] {
        let mut pages = vec![page(format!("{list}?{query}")).await];
        assert!(pages[0]["_links"].get("prev").is_none(), "{}", pages[0]);
        while let Some(next) = pages.last().unwrap()["_links"]["next"]["href"].as_str() {
            let next = page(next.to_owned()).await;
            pages.push(next);
        }
        assert_eq!(pages.len(), 3, "{query}");
        // Back from the last page, through every page, to the first.
        let mut back = pages.len() - 1;
        let mut at = pages[back].clone();
        while let Some(prev) = at["_links"]["prev"]["href"].as_str() {
            at = page(prev.to_owned()).await;
            back -= 1;
            assert_eq!(
                usernames(&at),
                usernames(&pages[back]),
                "{query}: page {back}"
            );
        }
        assert_eq!(back, 0, "{query}: prev stopped at page {back}");
    }
}

/// A whole profile is at most 16 KiB (the reference's "custom attributes" row), and a seeded
/// user keeps the rules a PATCH must keep, the 16 KiB profile among them
/// (`check_seeded_user`'s promise). A seed past 16 KiB was taken: the emulator then held a
/// user PingOne cannot hold, every PATCH of it that did not shrink it got
/// `SIZE_LIMIT_EXCEEDED`, and a test that seeded it could not see why. It is refused where
/// it is seeded now, by `check_seeded_user`, `EmulatorBuilder::start` and
/// `Emulator::insert_user` alike; a seed of 16 KiB is taken.
#[test]
fn a_seeded_user_past_the_16_kb_profile_is_refused() {
    use sparse_patch::pingone::MAX_PROFILE_BYTES;
    use sparse_patch::pingone::emulator::check_seeded_user;

    let user_of = |bytes: usize| {
        let mut user = json!({
            "id": "b38890a6-295a-4d58-9f6e-b72b05fba379",
            "username": "big",
            "email": "big@example.com",
            "bio": "",
        });
        // The user as the emulator keeps it: with PingOne's creation defaults.
        let emulator = Emulator::builder()
            .no_users()
            .user(user.clone())
            .start()
            .unwrap();
        let kept = emulator
            .user("b38890a6-295a-4d58-9f6e-b72b05fba379")
            .unwrap();
        let room = bytes - serde_json::to_vec(&kept).unwrap().len();
        user["bio"] = json!("b".repeat(room));
        // `createdAt` as the emulator gave it, so that the kept user has exactly `bytes`.
        user["createdAt"] = kept["createdAt"].clone();
        user
    };
    let exact = user_of(MAX_PROFILE_BYTES);
    assert!(check_seeded_user(&exact).is_ok());
    let emulator = Emulator::builder().no_users().user(exact).start().unwrap();
    let kept = emulator
        .user("b38890a6-295a-4d58-9f6e-b72b05fba379")
        .unwrap();
    assert_eq!(serde_json::to_vec(&kept).unwrap().len(), MAX_PROFILE_BYTES);

    let over = user_of(MAX_PROFILE_BYTES + 1);
    let error = check_seeded_user(&over).unwrap_err();
    assert!(error.contains("16384"), "{error}");
    let Err(error) = Emulator::builder().no_users().user(over.clone()).start() else {
        panic!("a seed past 16 KiB is refused");
    };
    assert!(error.to_string().contains("16384"), "{error}");
    let inserted = std::panic::catch_unwind(|| Emulator::start().unwrap().insert_user(over));
    assert!(inserted.is_err());
}

/// A seed at 16 KiB whose own `updatedAt` is shorter than the one a PATCH writes
/// (`2020-01-01T00:00:00Z`, 20 characters, against 24 with milliseconds) was taken, and a
/// PATCH that kept its size then stored a user past 16 KiB, after which every PATCH, `{}`
/// included, got `SIZE_LIMIT_EXCEEDED` (review 62). The PATCH now measures the user with its
/// new `updatedAt`, and the seed check measures a seed so too: such a seed is refused, and
/// one 4 bytes shorter is taken and patched.
#[tokio::test]
async fn a_seed_at_the_limit_is_measured_with_the_updated_at_a_patch_writes() {
    use sparse_patch::pingone::MAX_PROFILE_BYTES;
    use sparse_patch::pingone::emulator::check_seeded_user;

    let seed = |pad: usize| {
        let mut user = sparse_patch::pingone::emulator::reference_user();
        user["createdAt"] = json!("2020-01-01T00:00:00Z");
        user["updatedAt"] = json!("2020-01-01T00:00:00Z");
        user["pad"] = json!("p".repeat(pad));
        user
    };
    let kept_size = |emulator: &Emulator| {
        serde_json::to_vec(&emulator.user(REFERENCE_USER_ID).unwrap())
            .unwrap()
            .len()
    };
    let emulator = Emulator::builder()
        .no_users()
        .user(seed(0))
        .start()
        .unwrap();
    // The seed as kept, with its 20-character `updatedAt`, at exactly 16 KiB: refused.
    let pad = MAX_PROFILE_BYTES - kept_size(&emulator);
    let error = check_seeded_user(&seed(pad)).unwrap_err();
    assert!(error.contains("16388"), "{error}");
    // 4 bytes shorter: taken, and patched with nothing but its new `updatedAt`.
    let emulator = Emulator::builder()
        .no_users()
        .user(seed(pad - 4))
        .start()
        .unwrap();
    let answer = patch(&emulator, json!({})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(kept_size(&emulator), MAX_PROFILE_BYTES);
    // A byte more is refused, and the user is left at the limit.
    let answer = patch(&emulator, json!({"nickname": "Dave"})).await;
    assert_error(&answer, 400, "INVALID_DATA");
    assert!(
        answer.body.contains("SIZE_LIMIT_EXCEEDED"),
        "{}",
        answer.body
    );
    assert_eq!(kept_size(&emulator), MAX_PROFILE_BYTES);
}

/// `Emulator::remove_user` promises a 404 for the user's PATCH from then on; a PATCH read the
/// user under one lock and stored it under another, so one in flight as the user was removed
/// stored it again, whole, with its change (review 62). The user is read, patched and stored
/// as one step now, and a PATCH whose user went meanwhile is a 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patch_in_flight_does_not_bring_a_removed_user_back() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    sparse_patch::pingone::install_default_crypto_provider();
    let http = reqwest::Client::new();
    for round in 0..100 {
        let emulator = Emulator::start().unwrap();
        let url = format!("http://{}{}", emulator.addr(), user_path(REFERENCE_USER_ID));
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for writer in 0..4 {
            let (http, url, stop) = (http.clone(), url.clone(), Arc::clone(&stop));
            writers.push(tokio::spawn(async move {
                let mut sent = 0_u64;
                while !stop.load(Ordering::Relaxed) {
                    sent += 1;
                    let _ = http
                        .patch(&url)
                        .header(AUTH.0, AUTH.1)
                        .header(JSON.0, JSON.1)
                        .body(json!({"nickname": format!("w{writer}-{sent}")}).to_string())
                        .send()
                        .await;
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(
            emulator.remove_user(REFERENCE_USER_ID).is_some(),
            "round {round}"
        );
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.await.unwrap();
        }
        assert_eq!(emulator.user(REFERENCE_USER_ID), None, "round {round}");
        assert_eq!(
            patch(&emulator, json!({"nickname": "after"})).await.status,
            404
        );
    }
}

/// `href` is required inside `photo` (the reference's user document): a `photo` object sent
/// to a user without a photo must hold it. One that holds only members the schema lacks
/// (`{"photo": {"alt": "me"}}`) was dropped whole with those members, so the emulator
/// answered 200 and changed nothing, where the object sent has no `href`. It is refused with
/// `REQUIRED_VALUE` on `photo.href`, as `{"photo": {}}` is, with or without a declared schema;
/// on a user with a photo it changes nothing.
#[tokio::test]
async fn a_photo_of_unknown_members_only_still_needs_its_href() {
    for emulator in [
        Emulator::start().unwrap(),
        Emulator::builder()
            .custom_attributes(["costCenter"])
            .start()
            .unwrap(),
    ] {
        let before = emulator.user(REFERENCE_USER_ID).unwrap();
        let answer = patch(&emulator, json!({"photo": {"alt": "me"}})).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["photo"], before["photo"]);
        assert_eq!(patch(&emulator, json!({"photo": null})).await.status, 200);
        let without_photo = emulator.user(REFERENCE_USER_ID).unwrap();
        let answer = patch(&emulator, json!({"photo": {"alt": "me"}})).await;
        assert_error(&answer, 400, "INVALID_DATA");
        let detail = &answer.json()["details"][0];
        assert_eq!(detail["code"], "REQUIRED_VALUE", "{}", answer.body);
        assert_eq!(detail["target"], "photo.href", "{}", answer.body);
        assert_eq!(emulator.user(REFERENCE_USER_ID).unwrap(), without_photo);
    }
}

/// `timezone`'s pattern is `^\w+\/\w+$` (the `User` schema of the reference's OpenAPI
/// description), whose `\w` is `[A-Za-z0-9_]`: an OpenAPI pattern is an ECMA-262 regex, as
/// PingOne's own (Java) regexes read it, and IANA's names are ASCII. The emulator and the
/// client's pre-flight read `\w` as Rust's regex does, any Unicode letter or digit, so
/// `Europe/Zürich` or `Asia/東京` passed both and would get PingOne's 400. Both refuse them
/// now; ASCII names, digits and `_` pass as before.
#[tokio::test]
async fn a_timezone_word_is_ascii_as_the_schema_pattern_reads_it() {
    use sparse_patch::pingone::{UserPatch, check_patch};

    let emulator = Emulator::start().unwrap();
    for zone in ["Europe/Zürich", "Asia/東京", "Europe/Paris\u{0663}"] {
        let answer = patch(&emulator, json!({ "timezone": zone })).await;
        assert_error(&answer, 400, "INVALID_DATA");
        assert_eq!(answer.json()["details"][0]["target"], "timezone", "{zone}");
        assert!(
            check_patch(&UserPatch::new().timezone(zone)).is_err(),
            "pre-flight took {zone}"
        );
    }
    for zone in ["America/Los_Angeles", "Etc/GMT0", "Asia/Ho_Chi_Minh"] {
        let answer = patch(&emulator, json!({ "timezone": zone })).await;
        assert_eq!(answer.status, 200, "{zone}: {}", answer.body);
        assert!(
            check_patch(&UserPatch::new().timezone(zone)).is_ok(),
            "{zone}"
        );
    }
}

/// One request of [`each_recorded_request_holds_the_status_answered_and_its_fault`]: method,
/// path, headers, body, the fault injected before it, and the status it gets.
type StatusCase<'a> = (
    &'a str,
    String,
    Vec<(&'a str, &'a str)>,
    &'a str,
    Option<Fault>,
    u16,
);

/// `RecordedRequest` held what was asked, not what was answered (review 79): a test could not
/// assert that its application's PATCH got the 409 it meant to provoke. Now each entry holds
/// the status of its answer and the fault that gave or shaped it, on the user and the list,
/// for the token check (which comes after a fault, as a user's 404 does), 404s, 405s, 415,
/// 400s, 403, every fault that answers, and the faults that only slow or shape an answer
/// (which leave a status other than 200 as it is). A request that is not recorded (another
/// method on the list, an unknown path) adds no entry.
#[tokio::test]
async fn each_recorded_request_holds_the_status_answered_and_its_fault() {
    let emulator = Emulator::builder().forbid("title").start().unwrap();
    let user = user_path(REFERENCE_USER_ID);
    let unknown_user = user_path("00000000-0000-4000-8000-00000000000f");
    let other_environment =
        format!("/v1/environments/00000000-0000-4000-8000-0000000000ee/users/{REFERENCE_USER_ID}");
    let list = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let scim = ("Content-Type", sparse_patch::SCIM_PATCH_CONTENT_TYPE);
    let slow = Fault::Slow(Duration::from_millis(5));
    let conflict = Fault::ApiError {
        status: 409,
        code: "CONFLICT".into(),
    };
    #[rustfmt::skip]
    let cases: Vec<StatusCase> = vec![
        ("GET", user.clone(), vec![AUTH], "", None, 200),
        ("HEAD", user.clone(), vec![AUTH], "", None, 200),
        ("GET", user.clone(), vec![], "", None, 401),
        ("GET", user.clone(), vec![AUTH, AUTH], "", None, 400),
        ("GET", format!("{user}?access_token=x"), vec![AUTH], "", None, 400),
        ("GET", unknown_user.clone(), vec![AUTH], "", None, 404),
        ("GET", other_environment, vec![AUTH], "", None, 404),
        ("DELETE", user.clone(), vec![AUTH], "", None, 405),
        ("DELETE", user.clone(), vec![], "", None, 401),
        ("PATCH", user.clone(), vec![AUTH], "{}", None, 415),
        ("PATCH", user.clone(), vec![AUTH, JSON], "[]", None, 400),
        ("PATCH", user.clone(), vec![AUTH, JSON], r#"{"email":"no"}"#, None, 400),
        ("PATCH", user.clone(), vec![AUTH, JSON], r#"{"title":"x"}"#, None, 403),
        ("PATCH", user.clone(), vec![AUTH, scim], r#"{"Operations":[]}"#, None, 400),
        ("PATCH", user.clone(), vec![AUTH, JSON], r#"{"nickname":"x"}"#, None, 200),
        ("PATCH", unknown_user.clone(), vec![AUTH, JSON], "{}", None, 404),
        ("GET", list.clone(), vec![AUTH], "", None, 200),
        ("GET", format!("{list}?filter=bogus"), vec![AUTH], "", None, 400),
        ("GET", list.clone(), vec![], "", None, 401),
        ("PATCH", user.clone(), vec![AUTH, JSON], "{}", Some(conflict), 409),
        ("GET", list.clone(), vec![AUTH], "", Some(Fault::Status(503)), 503),
        ("GET", user.clone(), vec![AUTH], "", Some(Fault::BadGateway), 502),
        ("GET", user.clone(), vec![AUTH], "", Some(Fault::RateLimited { retry_after: "1".into() }), 429),
        ("GET", user.clone(), vec![AUTH], "", Some(Fault::ServiceUnavailable { retry_after: None }), 503),
        ("GET", user.clone(), vec![], "", Some(Fault::Status(500)), 500),
        ("GET", user.clone(), vec![AUTH], "", Some(slow.clone()), 200),
        ("GET", user.clone(), vec![], "", Some(slow), 401),
        ("GET", list.clone(), vec![AUTH], "", Some(Fault::TruncatedBody), 200),
        ("GET", unknown_user.clone(), vec![AUTH], "", Some(Fault::TruncatedBody), 404),
        ("GET", unknown_user.clone(), vec![AUTH], "", Some(Fault::ConnectionCut), 404),
    ];
    for (number, (method, path, headers, body, fault, status)) in cases.into_iter().enumerate() {
        if let Some(fault) = &fault {
            emulator.inject(fault.clone());
        }
        let answer = raw(&emulator, method, &path, &headers, body).await;
        assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
        let recorded = emulator.requests();
        assert_eq!(recorded.len(), number + 1, "{method} {path}");
        let last = &recorded[number];
        assert_eq!(
            (last.method.as_str(), last.path.as_str()),
            (method, path.split('?').next().unwrap())
        );
        assert_eq!(last.status, Some(status), "{method} {path}");
        assert_eq!(last.fault, fault, "{method} {path}");
    }
    let logged = emulator.requests().len();
    // Nor does either take a queued fault, which the next request to a users endpoint takes,
    // whatever its method (a DELETE of the user here).
    emulator.inject(Fault::Status(503));
    let answer = raw(&emulator, "POST", &list, &[AUTH, JSON], "{}").await;
    assert_eq!(answer.status, 405);
    let answer = raw(&emulator, "GET", "/v1/nothing", &[AUTH], "").await;
    assert_eq!(answer.status, 404);
    assert_eq!(emulator.requests().len(), logged, "neither is recorded");
    assert_eq!(emulator.pending_faults(), 1);
    let answer = raw(&emulator, "DELETE", &user, &[AUTH], "").await;
    assert_eq!(answer.status, 503);
    assert_eq!(emulator.pending_faults(), 0);
    assert_eq!(
        emulator.requests().pop().unwrap().fault,
        Some(Fault::Status(503))
    );
    // A body past 2 MB: recorded without its body, with the 413 it got.
    let big = format!(r#"{{"title":"{}"}}"#, "x".repeat(3 << 20));
    let answer = raw(&emulator, "PATCH", &user, &[AUTH, JSON], &big).await;
    assert_eq!(answer.status, 413);
    let last = emulator.requests().pop().unwrap();
    assert_eq!(
        (last.status, last.fault, last.body.len()),
        (Some(413), None, 0)
    );
}

/// The 429 of the emulator's own rate limit is recorded with its status and no fault (it
/// comes before any fault is taken: the fault queued stays for the next request).
#[tokio::test]
async fn a_request_over_the_rate_limit_is_recorded_as_429_without_a_fault() {
    let emulator = Emulator::builder().rate_limit(1).start().unwrap();
    emulator.inject(Fault::Status(500));
    assert_eq!(get(&emulator).await.status, 500);
    emulator.inject(Fault::Status(500));
    assert_eq!(get(&emulator).await.status, 429);
    let recorded = emulator.requests();
    assert_eq!(recorded[0].fault, Some(Fault::Status(500)));
    assert_eq!((recorded[1].status, &recorded[1].fault), (Some(429), &None));
    assert_eq!(emulator.pending_faults(), 1);
}

/// While a `Fault::Slow` answer waits, its entry is in the log with its fault and without a
/// status; once the answer is given, with it.
#[tokio::test]
async fn a_request_still_being_answered_has_no_status_yet() {
    let emulator = std::sync::Arc::new(Emulator::start().unwrap());
    emulator.inject(Fault::Slow(Duration::from_secs(1)));
    let in_flight = tokio::spawn({
        let emulator = std::sync::Arc::clone(&emulator);
        async move { get(&emulator).await.status }
    });
    let started = Instant::now();
    while emulator.requests().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the request never came"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(emulator.requests()[0].status, None);
    // The fault is written when it is taken (review 87).
    assert_eq!(
        emulator.requests()[0].fault,
        Some(Fault::Slow(Duration::from_secs(1)))
    );
    assert_eq!(in_flight.await.unwrap(), 200);
    let recorded = emulator.requests();
    assert_eq!(recorded[0].status, Some(200));
    assert_eq!(recorded[0].fault, Some(Fault::Slow(Duration::from_secs(1))));
}
