//! `GET /styles/{indicator}.json`: a MapLibre style per indicator, from the same classes as
//! `/api/indicators/{id}/classes`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::error::ErrorBody;
use super::indicators::{ChoroplethQuery, choropleth_options, classed, find};
use super::site::Site;
use super::{ApiError, AppState};
use crate::atlas::BaseGeography;
use crate::classify::style::{StyleSpec, maplibre_style};
use crate::tiles::{LOCALITY_LAYER, LSOA_LAYER, MSOA_LAYER, WARD_LAYER, tileset_attribution};

/// `GET /styles/{indicator}.json?scheme=&k=&palette=`.
#[utoipa::path(
    get,
    path = "/styles/{file}",
    tag = "maps",
    params(
        ("file" = String, Path, description = "`{indicator}.json`: the indicator's id, as `GET /api/indicators` lists it", pattern = r"^[^/]+\.json$"),
        ChoroplethQuery,
    ),
    responses(
        (status = 200, body = Object,
            description = "a MapLibre style (version 8) on the vector tiles: the indicator's LSOAs (or MSOAs) filled by a `step` expression over the breaks and colours of `/api/indicators/{id}/classes` for the same parameters, grey where no value is published, with outlines, wards and localities; loadable by MapLibre and by QGIS's vector-tile layer"),
        (status = 400, body = ErrorBody, description = "not `{indicator}.json`, or a bad `scheme`, `k` or `palette`"),
        (status = 404, body = ErrorBody, description = "no such indicator"),
        (status = 422, body = ErrorBody, description = "the indicator has no LSOA map"),
    )
)]
pub async fn style(
    State(state): State<Arc<AppState>>,
    State(site): State<Arc<Site>>,
    Path(file): Path<String>,
    Query(query): Query<ChoroplethQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let id = file
        .strip_suffix(".json")
        .ok_or_else(|| ApiError::bad("file", format!("{file:?} must be an indicator id followed by .json")))?;
    let indicator = find(&state.atlas, id)?;
    let map = classed(&state, indicator, &choropleth_options(&query)?)?;
    let colours: Vec<String> = map.classes.iter().map(|c| c.colour.clone()).collect();
    let tilejson_url = format!("{}/tiles/lsoa.json", site.base_url(&headers));
    let name = format!("{} ({}, {})", indicator.name, indicator.unit, indicator.period);
    let attribution = tileset_attribution();
    let metadata = json!({
        "locality-atlas:indicator": indicator.id,
        "locality-atlas:scheme": map.scheme,
        "locality-atlas:palette": map.palette,
        "locality-atlas:breaks": map.breaks,
        "locality-atlas:legend": map.classes,
        "locality-atlas:no_data": map.no_data,
        "locality-atlas:method": map.method,
    });
    Ok(Json(maplibre_style(&StyleSpec {
        name: &name,
        tilejson_url: &tilejson_url,
        attribution: &attribution,
        source_layer: if map.geography == BaseGeography::Msoa { MSOA_LAYER } else { LSOA_LAYER },
        property: &indicator.id,
        breaks: &map.breaks,
        colours: &colours,
        no_data: &map.no_data.colour,
        ward_layer: WARD_LAYER,
        locality_layer: LOCALITY_LAYER,
        metadata,
    })))
}
