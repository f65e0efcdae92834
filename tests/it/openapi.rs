//! `/api/openapi.json` describes every route the router serves, is a valid OpenAPI 3.1 document,
//! and its schemas describe what the routes answer.

use crate::common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use locality_atlas::api::routes;
use serde_json::{Value, json};

const OPENAPI_31_SCHEMA: &str = include_str!("../fixtures/openapi-3.1/schema.json");

async fn document() -> Value {
    let (status, document) = common::get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    document
}

/// Every (method, path) the document describes.
fn documented(document: &Value) -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
            if item.get(method).is_some() {
                operations.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    operations
}

#[tokio::test]
async fn every_routed_path_and_method_is_documented_and_nothing_else() {
    let routed: BTreeSet<(String, String)> =
        routes().iter().map(|r| (r.verb.method().to_string(), r.path.to_owned())).collect();
    assert!(routed.len() >= 22, "{routed:?}");
    assert_eq!(documented(&document().await), routed);
}

#[tokio::test]
async fn every_route_in_the_list_is_served_by_the_router() {
    // A template becomes a request by filling each parameter; what matters is that the router finds
    // a route (its JSON 404s name the thing missing, never "no route").
    for route in routes() {
        let uri = route
            .path
            .replace("{id}", "iod25_income_rate")
            .replace("{indicator}", "iod25_income_rate")
            .replace("{code}", "E01009631")
            .replace("{z}/{x}/{file}", "0/0/0.png")
            .replace("{file}", "x.json");
        let answer = match route.verb.method().as_str() {
            "POST" => common::post(&uri, json!({})).await,
            _ => common::get(&uri).await,
        };
        let detail = answer.1["detail"].as_str().unwrap_or_default().to_owned();
        assert!(!detail.starts_with("no route"), "{} {uri}: {detail}", route.verb.method());
    }
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1() {
    let document = document().await;
    assert_eq!(document["openapi"], "3.1.0");
    let schema: Value = serde_json::from_str(OPENAPI_31_SCHEMA).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the official schema");
    let errors: Vec<String> = validator.iter_errors(&document).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[tokio::test]
async fn the_official_schema_refuses_a_broken_document() {
    // The check above can fail: a document missing `info`, or with a response without its
    // description, is refused.
    let schema: Value = serde_json::from_str(OPENAPI_31_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut document = document().await;
    document.as_object_mut().unwrap().remove("info");
    assert!(!validator.is_valid(&document));
    let mut document = self::document().await;
    document["paths"]["/api/health"]["get"]["responses"]["200"].as_object_mut().unwrap().remove("description");
    assert!(!validator.is_valid(&document));
}

#[tokio::test]
async fn every_component_schema_is_a_valid_json_schema_2020_12() {
    let document = document().await;
    let schemas = document["components"]["schemas"].as_object().expect("component schemas");
    for name in ["Choropleth", "LegendClass", "NoData", "Scheme", "BaseGeography", "Health", "ErrorBody"] {
        assert!(schemas.contains_key(name), "{name} is missing from {:?}", schemas.keys().collect::<Vec<_>>());
    }
    for (name, schema) in schemas {
        let mut schema = schema.clone();
        schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        assert!(jsonschema::meta::validate(&schema).is_ok(), "{name}: {schema}");
    }
}

/// Validates an answer against the document's schema `name` (its `$ref`s resolved in the document).
fn assert_matches_schema(document: &Value, name: &str, answer: &Value) {
    let mut schema = document.clone();
    schema["$ref"] = json!(format!("#/components/schemas/{name}"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(answer).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

#[tokio::test]
async fn answers_match_the_schemas_the_document_gives_them() {
    let document = document().await;
    let (_, health) = common::get("/api/health").await;
    assert_matches_schema(&document, "Health", &health);
    let (_, classes) = common::get("/api/indicators/iod25_income_rate/classes?scheme=jenks&k=6").await;
    assert_matches_schema(&document, "Choropleth", &classes);
    let (status, error) = common::get("/api/indicators/nothing/classes").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_matches_schema(&document, "ErrorBody", &error);
    // And a schema can fail: the classes are not a health answer.
    let mut schema = document.clone();
    schema["$ref"] = json!("#/components/schemas/Health");
    assert!(!jsonschema::is_valid(&schema, &classes));
}

#[tokio::test]
async fn the_document_names_the_server_clients_reach() {
    let (_, document) = common::get_with("/api/openapi.json", &[("host", "atlas.test:8080")]).await;
    assert_eq!(document["servers"], json!([{ "url": "http://atlas.test:8080" }]));
}
