//! Profiles, attention lists, inequality and custom areas.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use serde_json::{Value, json};

use super::indicators::find;
use super::{ApiError, AppState};
use crate::analysis::clusters::HiddenPockets;
use crate::analysis::{self, Area, custom};
use crate::atlas::Atlas;
use crate::atlas::schema::COVENTRY_CODE;

/// Resolves `{id}` with `?level=locality|ward|city` into an area, or a 400/404.
pub(super) fn resolve_area(atlas: &Atlas, id: &str, query: &HashMap<String, String>) -> Result<Area, ApiError> {
    match query.get("level").map(String::as_str).unwrap_or("locality") {
        "locality" => Area::locality(atlas, id).ok_or_else(|| {
            let known: Vec<&str> = atlas.localities().iter().map(|l| l.id.as_str()).collect();
            ApiError::not_found("locality", format!("no locality {id:?}; known: {}", known.join(", ")))
        }),
        "ward" => Area::ward(atlas, id)
            .ok_or_else(|| ApiError::not_found("ward", format!("no Coventry ward with code {id:?}"))),
        "city" if id == COVENTRY_CODE || id.eq_ignore_ascii_case("coventry") => Ok(Area::city(atlas)),
        "city" => Err(ApiError::not_found("city", format!("{id:?} is not Coventry ({COVENTRY_CODE})"))),
        other => Err(ApiError::bad("level", format!("{other:?} is not a level; use locality, ward or city"))),
    }
}

/// An area's profile with its hidden pockets.
#[derive(Serialize)]
pub struct AreaProfile {
    /// Every indicator for the area.
    #[serde(flatten)]
    profile: analysis::Profile,
    /// The area's LSOAs worse than their neighbours, per indicator considered.
    hidden_pockets: HiddenPockets,
}

/// `GET /api/localities/{id}/profile?level=locality|ward|city`.
pub async fn profile(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<AreaProfile>, ApiError> {
    let area = resolve_area(&state.atlas, &id, &query)?;
    let profile = analysis::profile(&state.atlas, &area, &state.disclosure);
    let members: Vec<&str> = profile.lsoas.iter().map(|l| l.code.as_str()).collect();
    let hidden_pockets = state.pockets().within(&members);
    Ok(Json(AreaProfile { profile, hidden_pockets }))
}

/// `GET /api/localities/{id}/attention?level=...`: significantly worse indicators, red-red first.
pub async fn attention(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let area = resolve_area(&state.atlas, &id, &query)?;
    let profile = analysis::profile(&state.atlas, &area, &state.disclosure);
    Ok(Json(json!({ "id": profile.id, "name": profile.name, "attention": analysis::attention(&profile) })))
}

/// `GET /api/inequality/{indicator}`.
pub async fn inequality(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<analysis::InequalityReport>, ApiError> {
    let indicator = find(&state.atlas, &id)?;
    Ok(Json(analysis::inequality(&state.atlas, indicator, &state.disclosure)))
}

/// `POST /api/custom-area`: LSOA codes or a GeoJSON polygon → profile with overlap shares.
pub async fn custom_area(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<analysis::Profile>, ApiError> {
    let body = body.map_err(|e| match e {
        BytesRejection::FailedToBufferBody(_) => {
            ApiError::TooLarge { detail: format!("the body must be at most {} bytes", custom::MAX_BODY_BYTES) }
        }
        other => ApiError::bad("body", other.body_text()),
    })?;
    let request = custom::parse_request(&body)?;
    let area = custom::custom_area(&state.atlas, &request)?;
    Ok(Json(analysis::profile(&state.atlas, &area, &state.disclosure)))
}
