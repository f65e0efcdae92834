//! `/api/localities` and `/api/lsoa`: the places of the atlas.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::error::ErrorBody;
use super::{ApiError, AppState, with_figures};
use crate::analysis::relative::rank_moves;
use crate::atlas::{Atlas, Lsoa};

/// `GET /api/localities`.
#[utoipa::path(
    get,
    path = "/api/localities",
    tag = "places",
    responses((status = 200, body = Object, description = "each locality's id, name and LSOAs, each LSOA with its `basis` and `confidence`; in an atlas of all England also `districts`, as `/api/districts` lists them"))
)]
pub async fn localities(State(state): State<Arc<AppState>>) -> Json<Value> {
    let atlas = &state.atlas;
    let localities: Vec<Value> = atlas
        .localities()
        .iter()
        .map(|locality| {
            let lsoas: Vec<Value> = locality
                .members
                .iter()
                .map(|m| {
                    let name = atlas.lsoa(&m.lsoa21_code).map(|l| l.name.as_str()).unwrap_or_default();
                    json!({ "code": m.lsoa21_code, "name": name, "basis": m.basis, "confidence": m.confidence })
                })
                .collect();
            json!({ "id": locality.id, "name": locality.name, "lsoa_count": lsoas.len(), "lsoas": lsoas })
        })
        .collect();
    let mut answer = json!({ "data_version": atlas.version, "localities": localities });
    if !atlas.districts().is_empty() {
        // An atlas of all England: its districts are picked as its localities are.
        answer["districts"] = Value::Array(district_list(atlas));
    }
    Json(answer)
}

/// `GET /api/districts`: the districts of an atlas of all England, each with its LSOA count and
/// bounds (west, south, east, north) to zoom to; an empty list in a district's atlas.
#[utoipa::path(
    get,
    path = "/api/districts",
    tag = "places",
    responses((status = 200, body = Object, description = "in an atlas of all England (`prepare --lad all`), each district's code, name, LSOA count, bounds (west, south, east, north) and profile link; none in a district's atlas"))
)]
pub async fn districts(State(state): State<Arc<AppState>>) -> Json<Value> {
    let atlas = &state.atlas;
    Json(json!({ "data_version": atlas.version, "place": atlas.place().name, "districts": district_list(atlas) }))
}

/// Each district of an atlas of all England with its LSOA count, bounds and profile link.
fn district_list(atlas: &Atlas) -> Vec<Value> {
    atlas
        .districts()
        .iter()
        .map(|d| {
            let (min, max) = (d.bounds.min(), d.bounds.max());
            json!({
                "code": d.code,
                "name": d.name,
                "lsoa_count": d.lsoas.len(),
                "bounds": [min.x, min.y, max.x, max.y],
                "profile": format!("/api/localities/{}/profile?level=district", d.code),
            })
        })
        .collect()
}

/// `GET /api/lsoa/{code}`.
#[utoipa::path(
    get,
    path = "/api/lsoa/{code}",
    tag = "places",
    params(("code" = String, Path, description = "an LSOA 2021 code of the district, e.g. `E01009631`")),
    responses(
        (status = 200, body = Object, description = "the LSOA: ward, localities, every indicator as it may be published, and its national rank percentile and decile in IoD2019 and IoD2025"),
        (status = 404, body = ErrorBody, description = "not one of the district's LSOAs"),
    )
)]
pub async fn lsoa(State(state): State<Arc<AppState>>, Path(code): Path<String>) -> Result<Json<Value>, ApiError> {
    let lsoa = state.atlas.lsoa(&code).ok_or_else(|| {
        let (place, n) = (&state.atlas.place().name, state.atlas.lsoas().len());
        ApiError::not_found("LSOA", format!("{code:?} is not one of {place}'s {n} LSOA 2021 codes"))
    })?;
    Ok(Json(describe(&state, lsoa)))
}

/// `GET /api/lsoa/at?lon=&lat=`: the LSOA containing a WGS84 point.
#[utoipa::path(
    get,
    path = "/api/lsoa/at",
    tag = "places",
    params(
        ("lon" = f64, Query, description = "longitude, decimal degrees (WGS84)", minimum = -180, maximum = 180),
        ("lat" = f64, Query, description = "latitude, decimal degrees (WGS84)", minimum = -90, maximum = 90),
    ),
    responses(
        (status = 200, body = Object, description = "the LSOA containing the point, as `/api/lsoa/{code}` gives it"),
        (status = 400, body = ErrorBody, description = "`lon` or `lat` missing or out of range"),
        (status = 404, body = ErrorBody, description = "the point is outside the district's LSOAs"),
    )
)]
pub async fn lsoa_at(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let lon = coordinate(&query, "lon", 180.0)?;
    let lat = coordinate(&query, "lat", 90.0)?;
    let lsoa = state.atlas.lsoa_at(lon, lat).ok_or_else(|| {
        let place = &state.atlas.place().name;
        ApiError::not_found("LSOA", format!("the point ({lon}, {lat}) is outside {place}'s LSOAs"))
    })?;
    Ok(Json(describe(&state, lsoa)))
}

/// A required longitude or latitude in decimal degrees within ±`limit`.
fn coordinate(query: &HashMap<String, String>, name: &'static str, limit: f64) -> Result<f64, ApiError> {
    let text =
        query.get(name).ok_or_else(|| ApiError::bad(name, format!("`{name}` is required (decimal degrees, WGS84)")))?;
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x.abs() <= limit => Ok(x),
        _ => Err(ApiError::bad(name, format!("{text:?} is not a number of degrees between -{limit} and {limit}"))),
    }
}

/// One LSOA with its ward, localities and every indicator as it may be published.
fn describe(state: &AppState, lsoa: &Lsoa) -> Value {
    let atlas: &Atlas = &state.atlas;
    let ward = atlas.ward(&lsoa.ward_code).map(|w| json!({ "code": w.code, "name": w.name }));
    let district = lsoa
        .district
        .as_deref()
        .and_then(|code| atlas.district(code))
        .map(|d| json!({ "code": d.code, "name": d.name }));
    let localities: Vec<Value> = atlas
        .localities_of(&lsoa.code)
        .map(|l| {
            let confidence = l.members.iter().find(|m| m.lsoa21_code == lsoa.code).map(|m| m.confidence.as_str());
            json!({ "id": l.id, "name": l.name, "confidence": confidence })
        })
        .collect();
    let indicators: Vec<Value> = atlas
        .catalogue()
        .iter()
        .filter_map(|indicator| {
            let mut entry =
                json!({ "id": indicator.id, "name": indicator.name, "unit": indicator.unit, "period": indicator.period });
            let observation = if indicator.is_msoa() {
                // The LSOA's MSOA's figure, said to be the MSOA's: MSOA figures are not LSOA data.
                let at = atlas.msoa_of(atlas.lsoa_index(&lsoa.code)?)?;
                let msoa = &atlas.msoas()[at];
                entry["msoa"] = json!({ "code": msoa.code, "name": msoa.name, "neighbourhood": msoa.neighbourhood });
                atlas.msoa_observations(&indicator.id)?.get(at).copied().flatten()?
            } else {
                atlas.observation(&indicator.id, &lsoa.code)?
            };
            Some(with_figures(entry, state.disclosure.publish(indicator, &observation)))
        })
        .collect();
    let mut described = json!({
        "code": lsoa.code,
        "name": lsoa.name,
        "ward": ward,
        "localities": localities,
        "interior_point": [lsoa.interior.x(), lsoa.interior.y()],
        "indicators": indicators,
        "since_2019": {
            "reading": "National rank as a percentile of England's LSOAs in each edition (0 = most deprived), and the decile move; levels are not compared because the methods changed",
            "ranks": rank_moves(atlas, &lsoa.code),
        },
    });
    if let Some(district) = district {
        // Only an atlas of all England has districts within it.
        described["district"] = district;
    }
    described
}
