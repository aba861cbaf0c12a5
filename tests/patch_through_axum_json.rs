//! docs/from_other_crates, "A server handler that took the old struct through axum's `Json`
//! extractor can take the derived patch so": axum reads `application/merge-patch+json` as JSON
//! (a `+json` media type), answers a body that the patch refuses with 422, serde's message in
//! its text, and one that is no JSON with 400. Pinned through the extractor itself, as a
//! handler's `Json(patch): Json<ProjectPatch>` runs it.
#![allow(dead_code)]

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::FromRequest;
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use sparse_patch::{Field, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[patchable(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
struct Project {
    #[patchable(skip)]
    id: String,
    name: String,
    description: Option<String>,
}

/// What `Json<ProjectPatch>` makes of `body` sent as `content_type`: the patch, or the status
/// and text of axum's answer.
async fn extract(content_type: &str, body: &str) -> Result<ProjectPatch, (StatusCode, String)> {
    let request = Request::builder()
        .method("PATCH")
        .uri("/projects/p1")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_owned()))
        .unwrap();
    match Json::<ProjectPatch>::from_request(request, &()).await {
        Ok(Json(patch)) => Ok(patch),
        Err(rejection) => {
            let response = rejection.into_response();
            let status = response.status();
            let text = to_bytes(response.into_body(), 16 * 1024).await.unwrap();
            Err((status, String::from_utf8(text.to_vec()).unwrap()))
        }
    }
}

const MERGE_PATCH: &str = "application/merge-patch+json";

#[tokio::test]
async fn a_merge_patch_body_is_read_as_json() {
    let patch = extract(MERGE_PATCH, r#"{"name": "Artemis", "description": null}"#)
        .await
        .unwrap();
    assert_eq!(
        patch,
        ProjectPatch::new().name("Artemis").clear_description()
    );
    assert_eq!(
        extract(MERGE_PATCH, "{}").await.unwrap().description,
        Field::Absent
    );
}

#[tokio::test]
async fn a_body_the_patch_refuses_is_a_422_with_serdes_message() {
    for (body, message) in [
        (
            r#"{"name": null}"#,
            "invalid value: null for `name`, a required attribute that cannot be cleared",
        ),
        (
            r#"{"nmae": "x"}"#,
            "unknown field `nmae`, expected `name` or `description`",
        ),
        (
            r#"{"id": "p2"}"#,
            "unknown field `id`, expected `name` or `description`",
        ),
        (
            r#"{"name": 5}"#,
            "invalid type: integer `5`, expected a string",
        ),
    ] {
        let (status, text) = extract(MERGE_PATCH, body).await.unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {text}");
        assert!(text.contains(message), "{body}: {text}");
    }
}

#[tokio::test]
async fn a_body_that_is_no_json_is_a_400() {
    for body in ["not json", r#"{"name": "Artemis""#, ""] {
        let (status, text) = extract(MERGE_PATCH, body).await.unwrap_err();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}: {text}");
    }
}
