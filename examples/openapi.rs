//! The OpenAPI 3.1 document of a small axum service that accepts `PATCH /users/{id}` with a
//! `pingone::UserPatch` body (a JSON merge patch, RFC 7396), printed as JSON. The body's schema
//! is the patch's own (feature `schemars`): OpenAPI 3.1's schema objects are JSON Schema
//! 2020-12, so the schemas go into `components/schemas` as schemars writes them.
//!
//! ```text
//! cargo run --example openapi
//! ```
//!
//! It binds nothing and needs no network: the service is built, and its document printed.
//!
//! `UserPatch` takes every attribute that a PingOne user may hold: a key that it does not name
//! (`"titel"`, `"costCenter"`) is a custom attribute, and the read-only ones (`id`,
//! `createdAt`) are read and dropped, as the schema says (`additionalProperties`). That suits a
//! service that passes patches on to PingOne as they came. A service that takes bodies from
//! its own clients and lets them change some attributes only derives a model of its own with
//! those attributes and `#[patchable(deny_unknown_fields)]`: its patch refuses any other key
//! (``unknown field `titel`, expected one of ...``), and its schema says
//! `additionalProperties: false`.

#[macro_use]
#[path = "support/output.rs"]
mod output;

use axum::Router;
use axum::extract::{Json, Path};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};
use sparse_patch::pingone::UserPatch;

/// `PATCH /users/{id}`: reads the patch (serde refuses what its schema refuses) and accepts it.
async fn update_user(Path(id): Path<String>, Json(patch): Json<UserPatch>) -> StatusCode {
    let _ = (id, patch);
    StatusCode::NO_CONTENT
}

/// The service's OpenAPI document.
fn openapi() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.definitions_path = "#/components/schemas/".into();
            settings.meta_schema = None;
        })
        .for_deserialize()
        .into_generator();
    let body = generator.subschema_for::<UserPatch>().to_value();
    let schemas = generator.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "info": { "title": "users", "version": env!("CARGO_PKG_VERSION") },
        "paths": {
            "/users/{id}": {
                "patch": {
                    "operationId": "updateUser",
                    "summary": "Changes the attributes the body names; `null` removes a nullable one (RFC 7396)",
                    "parameters": [
                        { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {
                            "application/merge-patch+json": { "schema": body.clone() },
                            "application/json": { "schema": body }
                        }
                    },
                    "responses": {
                        "204": { "description": "The patch was applied." },
                        "422": { "description": "The body is not a `UserPatch`." }
                    }
                }
            }
        },
        "components": { "schemas": schemas }
    })
}

fn main() -> std::process::ExitCode {
    output::no_arguments();
    output::exit_status(run())
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let document = openapi();
    let served = document.clone();
    // The service: the route the document describes, and the document itself.
    let _service: Router = Router::new()
        .route("/users/{id}", patch(update_user))
        .route("/openapi.json", get(move || async move { Json(served) }));
    say!("{}", serde_json::to_string_pretty(&document)?);
    Ok(())
}
