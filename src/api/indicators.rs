//! `/api/indicators`: the catalogue, and one indicator's values by LSOA.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::ErrorBody;
use super::{ApiError, AppState, with_figures};
use crate::analysis::clusters::no_lsoa_clusters;
use crate::atlas::{Atlas, Indicator, Theme};
use crate::classify::choropleth::{Choropleth, ChoroplethOptions, choropleth};
use crate::classify::{self, ClassError};

/// The catalogue entry with its published comparators and, for an indicator without LSOA
/// clusters, why (`no_clusters`).
fn describe(atlas: &Atlas, indicator: &Indicator) -> Value {
    let mut entry = serde_json::to_value(indicator).unwrap_or(Value::Null);
    let comparators: Vec<_> = atlas.comparators(&indicator.id).collect();
    if let Value::Object(map) = &mut entry {
        map.insert("comparators".into(), json!(comparators));
        if let Some(why) = no_lsoa_clusters(indicator) {
            map.insert("no_clusters".into(), json!(why));
        }
    }
    entry
}

/// Looks an indicator up or answers 404.
pub(super) fn find<'a>(atlas: &'a Atlas, id: &str) -> Result<&'a Indicator, ApiError> {
    atlas
        .indicator(id)
        .ok_or_else(|| ApiError::not_found("indicator", format!("no indicator {id:?}; GET /api/indicators lists them")))
}

/// `GET /api/indicators`.
#[utoipa::path(
    get,
    path = "/api/indicators",
    tag = "indicators",
    responses((status = 200, body = Object,
        description = "the catalogue: `data_version`, `themes` (id, name, description) and `indicators` (each indicator's metadata, strategy theme and its district and England comparators), and `place` (the district)"))
)]
pub async fn list(State(state): State<Arc<AppState>>) -> Json<Value> {
    let atlas = &state.atlas;
    let indicators: Vec<Value> = atlas.catalogue().iter().map(|i| describe(atlas, i)).collect();
    let themes: Vec<Value> =
        Theme::ALL.iter().map(|t| json!({ "id": t, "name": t.name(), "description": t.description() })).collect();
    let palettes: Vec<Value> = classify::palette_names()
        .map(|name| {
            json!({
                "name": name,
                "kind": classify::palette_kind(name),
                "colour_blind_safe": classify::is_colour_blind_safe(name),
            })
        })
        .collect();
    Json(json!({
        "data_version": atlas.version,
        "place": atlas.place(),
        "gp_practices": atlas.gp_practices().len(),
        "attribution": crate::atlas::ATTRIBUTION,
        "themes": themes,
        "palettes": palettes,
        "indicators": indicators,
    }))
}

/// The `{id}` of an indicator.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IndicatorId {
    /// The indicator's id, as `GET /api/indicators` lists it (e.g. `iod25_income_rate`).
    pub id: String,
}

/// `GET /api/indicators/{id}`.
#[utoipa::path(
    get,
    path = "/api/indicators/{id}",
    tag = "indicators",
    params(IndicatorId),
    responses(
        (status = 200, body = Object, description = "the indicator's metadata and its comparators"),
        (status = 404, body = ErrorBody, description = "no such indicator"),
    )
)]
pub async fn one(
    State(state): State<Arc<AppState>>,
    Path(IndicatorId { id }): Path<IndicatorId>,
) -> Result<Json<Value>, ApiError> {
    let indicator = find(&state.atlas, &id)?;
    Ok(Json(describe(&state.atlas, indicator)))
}

/// `GET /api/indicators/{id}/values?level=lsoa`.
#[utoipa::path(
    get,
    path = "/api/indicators/{id}/values",
    tag = "indicators",
    params(
        IndicatorId,
        ("level" = Option<String>, Query, description = "`lsoa` or `msoa`: the geography the indicator is published for, which is the default; the other is refused (values are never spread to another geography)"),
    ),
    responses(
        (status = 200, body = Object, description = "numerator, denominator and value of every LSOA (or MSOA) with a publishable figure; suppressed figures are withheld with the reason"),
        (status = 400, body = ErrorBody, description = "`level` is not the indicator's geography"),
        (status = 404, body = ErrorBody, description = "no such indicator"),
    )
)]
pub async fn values(
    State(state): State<Arc<AppState>>,
    Path(IndicatorId { id }): Path<IndicatorId>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let atlas = &state.atlas;
    let indicator = find(atlas, &id)?;
    // Values are given for the geography the publisher gives them for, never spread to another.
    let own = if indicator.is_msoa() { "msoa" } else { "lsoa" };
    match query.get("level").map(String::as_str).unwrap_or(own) {
        level if level == own => {}
        "lsoa" | "msoa" => {
            return Err(ApiError::bad(
                "level",
                format!("{} is published for {own} areas only; use level={own}", indicator.name),
            ));
        }
        other => return Err(ApiError::bad("level", format!("{other:?} is not a level; use level={own}"))),
    }
    // Each published value carries its own 95% interval, by the method its areas' figures use.
    let publish = |observation: &Option<crate::atlas::Observation>, area: Value| {
        let observation = observation.as_ref()?;
        let published = state.disclosure.publish(indicator, observation);
        let ci95 = published.value.and_then(|_| crate::analysis::aggregate::interval_of(indicator, observation));
        let mut entry = with_figures(area, published);
        if let (Some(ci), Value::Object(map)) = (ci95, &mut entry) {
            map.insert("ci95".to_owned(), json!({ "lower": ci.lower, "upper": ci.upper }));
        }
        Some(entry)
    };
    let values: Vec<Value> = if indicator.is_msoa() {
        let observations = atlas.msoa_observations(&indicator.id).unwrap_or_default();
        atlas
            .msoas()
            .iter()
            .zip(observations)
            .filter_map(|(m, o)| {
                publish(o, json!({ "code": m.code, "name": m.name, "neighbourhood": m.neighbourhood }))
            })
            .collect()
    } else {
        let observations = atlas.observations(&indicator.id).unwrap_or_default();
        atlas
            .lsoas()
            .iter()
            .zip(observations)
            .filter_map(|(l, o)| publish(o, json!({ "code": l.code, "name": l.name })))
            .collect()
    };
    Ok(Json(json!({
        "indicator": indicator.id,
        "name": indicator.name,
        "unit": indicator.unit,
        "period": indicator.period,
        "level": own,
        "suppression_threshold": state.disclosure.threshold,
        "values": values,
    })))
}

/// How a map is classed and coloured: `?scheme=&k=&palette=`, each optional.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChoroplethQuery {
    /// Classification scheme: `quantile`, `equal`, `jenks` or `decile`; deciles for national
    /// deciles and quantiles otherwise by default.
    #[param(value_type = Option<crate::classify::Scheme>)]
    pub scheme: Option<String>,
    /// Number of classes, 3 to 9 (5 by default; the decile scheme always makes 10).
    #[param(value_type = Option<u32>, minimum = 3, maximum = 9)]
    pub k: Option<String>,
    /// ColorBrewer or matplotlib palette name (`YlOrRd`, `Blues`, `RdBu`, `Viridis`, ...); by default
    /// `YlOrRd` running towards the worse end, or `PuBu` where no end is worse.
    pub palette: Option<String>,
}

/// Reads `scheme`, `k` and `palette` from a query.
pub(super) fn choropleth_options(query: &ChoroplethQuery) -> Result<ChoroplethOptions, ApiError> {
    ChoroplethOptions::parse(query.scheme.as_deref(), query.k.as_deref(), query.palette.as_deref())
        .map_err(|e| ApiError::bad(e.parameter, e.detail))
}

/// Builds an indicator's choropleth, or a 400 saying which option is wrong.
pub(super) fn classed(
    state: &AppState,
    indicator: &Indicator,
    options: &ChoroplethOptions,
) -> Result<Choropleth, ApiError> {
    choropleth(&state.atlas, indicator, &state.disclosure, options).map_err(|e| {
        if let ClassError::DistrictFigure { .. } = e {
            return ApiError::NotMapped { detail: e.to_string() };
        }
        let parameter = match e {
            ClassError::UnknownPalette { .. } | ClassError::PaletteSize { .. } => "palette",
            ClassError::ClassCount { .. } => "k",
            _ => "scheme",
        };
        ApiError::bad(parameter, e.to_string())
    })
}

/// `GET /api/indicators/{id}/classes?scheme=&k=&palette=`: breaks, counts, colours and labels.
#[utoipa::path(
    get,
    path = "/api/indicators/{id}/classes",
    tag = "maps",
    params(IndicatorId, ChoroplethQuery),
    responses(
        (status = 200, body = Choropleth, description = "the map classes: breaks as PySAL mapclassify makes them, counts, colours, legend labels and the grey no-data class"),
        (status = 400, body = ErrorBody, description = "a bad `scheme`, `k` or `palette`"),
        (status = 404, body = ErrorBody, description = "no such indicator"),
        (status = 422, body = ErrorBody, description = "the indicator has no LSOA map (a district figure, or modelled from the area's type)"),
    )
)]
pub async fn classes(
    State(state): State<Arc<AppState>>,
    Path(IndicatorId { id }): Path<IndicatorId>,
    Query(query): Query<ChoroplethQuery>,
) -> Result<Json<Choropleth>, ApiError> {
    let indicator = find(&state.atlas, &id)?;
    let options = choropleth_options(&query)?;
    Ok(Json(classed(&state, indicator, &options)?))
}
