//! Profiles, attention lists, inequality and custom areas.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use serde_json::{Value, json};

use super::error::ErrorBody;
use super::indicators::{IndicatorId, find};
use super::{ApiError, AppState};
use crate::analysis::clusters::HiddenPockets;
use crate::analysis::{self, Area, custom};
use crate::atlas::Atlas;

/// The area of a profile or attention list.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code, reason = "describes the parameter for the OpenAPI document; the handlers take it as a string")]
struct AreaId {
    /// A locality id (e.g. `wood-end-henley-green`), a ward code with `level=ward`, a district code in an atlas of all England (`level=district`, or alone), or `coventry` with `level=city`.
    id: String,
}

/// The kind of area `{id}` names.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, reason = "describes the parameter for the OpenAPI document; the handlers read it from a map")]
struct AreaLevel {
    /// `locality` (the default), `ward`, `district` (an atlas of all England) or `city`.
    level: Option<String>,
}

/// Resolves `{id}` with `?level=locality|ward|district|city` into an area, or a 400/404.
pub(super) fn resolve_area(atlas: &Atlas, id: &str, query: &HashMap<String, String>) -> Result<Area, ApiError> {
    match query.get("level").map(String::as_str).unwrap_or("locality") {
        "locality" => Area::named(atlas, id).ok_or_else(|| {
            let known: Vec<&str> = atlas.localities().iter().map(|l| l.id.as_str()).collect();
            let districts = if atlas.districts().is_empty() { "" } else { "; or a district code (see /api/districts)" };
            ApiError::not_found("locality", format!("no locality {id:?}; known: {}{districts}", known.join(", ")))
        }),
        "ward" => Area::ward(atlas, id)
            .ok_or_else(|| ApiError::not_found("ward", format!("no {} ward with code {id:?}", atlas.place().name))),
        "district" => Area::district(atlas, id).ok_or_else(|| match atlas.districts() {
            [] => ApiError::not_found(
                "district",
                format!("{} is one district: its areas are localities, wards and level=city", atlas.place().name),
            ),
            districts => ApiError::not_found(
                "district",
                format!(
                    "no district with code {id:?} among {}'s {} (see /api/districts)",
                    atlas.place().name,
                    districts.len()
                ),
            ),
        }),
        "city" if atlas.place().is_named(id) => Ok(Area::city(atlas)),
        "city" => {
            let place = atlas.place();
            let message = format!(
                "{id:?} is not {} ({}); use district, {} or {}",
                place.name,
                place.code,
                place.code,
                place.slug()
            );
            Err(ApiError::not_found("city", message))
        }
        other => Err(ApiError::bad("level", format!("{other:?} is not a level; use locality, ward, district or city"))),
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
#[utoipa::path(
    get,
    path = "/api/localities/{id}/profile",
    tag = "analysis",
    params(AreaId, AreaLevel),
    responses(
        (status = 200, body = Object, description = "every indicator for the area: count, denominator, value, 95% and 99.8% intervals, district and England benchmarks, a reading in words, positions in England, relative change since IoD2019; the age structure and the LSOAs"),
        (status = 400, body = ErrorBody, description = "`level` is not locality, ward or city"),
        (status = 404, body = ErrorBody, description = "no such area"),
    )
)]
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
#[utoipa::path(
    get,
    path = "/api/localities/{id}/attention",
    tag = "analysis",
    params(AreaId, AreaLevel),
    responses(
        (status = 200, body = Object, description = "the indicators significantly worse than the district or England, those also relatively worse than in 2019 first"),
        (status = 400, body = ErrorBody, description = "`level` is not locality, ward or city"),
        (status = 404, body = ErrorBody, description = "no such area"),
    )
)]
pub async fn attention(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let area = resolve_area(&state.atlas, &id, &query)?;
    let profile = analysis::profile(&state.atlas, &area, &state.disclosure);
    Ok(Json(json!({ "id": profile.id, "name": profile.name, "attention": analysis::attention(&profile) })))
}

/// Which LSOAs an inequality view is drawn across.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InequalityScope {
    /// In an atlas of all England, one district's code (`GET /api/districts`): the view across its
    /// own LSOAs, as its own atlas would draw it. Without it, across every LSOA of the atlas.
    pub district: Option<String>,
}

/// `GET /api/inequality/{indicator}`.
#[utoipa::path(
    get,
    path = "/api/inequality/{id}",
    tag = "analysis",
    params(IndicatorId, InequalityScope),
    responses(
        (status = 200, body = Object, description = "values by national IMD decile and local quintile with intervals, SII and RII with Monte Carlo intervals (RII only where a ratio of the slope's ends means something; rii_unavailable says why otherwise), and where each locality sits"),
        (status = 404, body = ErrorBody, description = "no such indicator, or no such district"),
    )
)]
pub async fn inequality(
    State(state): State<Arc<AppState>>,
    Path(IndicatorId { id }): Path<IndicatorId>,
    Query(InequalityScope { district }): Query<InequalityScope>,
) -> Result<Json<analysis::InequalityReport>, ApiError> {
    let indicator = find(&state.atlas, &id)?;
    let district = match district {
        Some(code) => Some(state.atlas.district(&code).ok_or_else(|| {
            ApiError::not_found(
                "district",
                format!("no district {code:?} in this atlas; GET /api/districts lists them"),
            )
        })?),
        None => None,
    };
    Ok(Json(analysis::inequality_in(&state.atlas, indicator, &state.disclosure, district)))
}

/// `POST /api/custom-area`: LSOA codes or a GeoJSON polygon → profile with overlap shares.
#[utoipa::path(
    post,
    path = "/api/custom-area",
    tag = "analysis",
    request_body(content = Object, content_type = "application/json",
        description = "`{\"lsoas\": [\"E01009631\", ...]}`, or a GeoJSON Polygon, MultiPolygon or Feature in WGS84 (at most 1 MB and 10,000 vertices)"),
    responses(
        (status = 200, body = Object, description = "the area's profile, as `/api/localities/{id}/profile` gives it, with each LSOA's overlap share; counts apportioned by area"),
        (status = 400, body = ErrorBody, description = "the body is not such JSON"),
        (status = 404, body = ErrorBody, description = "an LSOA code is not one of the district's"),
        (status = 413, body = ErrorBody, description = "the body is over 1 MB"),
        (status = 422, body = ErrorBody, description = "the polygon is unusable (invalid, too many vertices, or outside the district)"),
    )
)]
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
