//! Clusters and spatial outliers of an indicator: `GET /api/indicators/{id}/clusters`, with the
//! map's colour and legend label of each class.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};

use super::error::ErrorBody;
use super::indicators::{IndicatorId, find};
use super::{ApiError, AppState};
use crate::analysis::clusters::{ClusterError, ClusterParameters, ClusterReport, indicator_clusters};
use crate::classify::clusters::ClusterMap;

/// `GET /api/indicators/{id}/clusters?method=lisa|gi&weights=queen|knn6&permutations=999&seed=12345&correction=fdr|bonferroni|none&alpha=0.05`.
#[utoipa::path(
    get,
    path = "/api/indicators/{id}/clusters",
    tag = "analysis",
    params(
        IndicatorId,
        ("method" = Option<String>, Query, description = "`lisa` (local Moran's I, the default) or `gi` (Getis-Ord Gi*)"),
        ("weights" = Option<String>, Query, description = "`queen` contiguity (the default) or `knn6` (six nearest neighbours)"),
        ("permutations" = Option<u32>, Query, description = "conditional permutations for the pseudo p-values (999 by default)", minimum = 1),
        ("seed" = Option<u64>, Query, description = "seed of the permutations, so a figure can be reproduced (12345 by default)"),
        ("correction" = Option<String>, Query, description = "`fdr` (the default), `bonferroni` or `none`"),
        ("alpha" = Option<f64>, Query, description = "significance level, between 0 and 1 (0.05 by default)"),
    ),
    responses(
        (status = 200, body = Object, description = "global Moran's I with its z and permutation p in words; per LSOA the local statistic, quadrant, pseudo p, significance after the correction and class; islands and LSOAs left out; the parameters"),
        (status = 400, body = ErrorBody, description = "a bad parameter"),
        (status = 404, body = ErrorBody, description = "no such indicator"),
        (status = 422, body = ErrorBody, description = "the indicator has no LSOA values"),
    )
)]
pub async fn clusters(
    State(state): State<Arc<AppState>>,
    Path(IndicatorId { id }): Path<IndicatorId>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ClusterMap>, ApiError> {
    report(&state, &id, &query).map(|report| Json(ClusterMap::new(report)))
}

/// The cluster report of indicator `id` with the query's parameters, or the matching 400/404/422.
fn report(state: &AppState, id: &str, query: &HashMap<String, String>) -> Result<ClusterReport, ApiError> {
    let indicator = find(&state.atlas, id)?;
    let parameters = ClusterParameters::from_query(query)
        .map_err(|e| ApiError::BadParameter { parameter: e.parameter, detail: e.detail })?;
    indicator_clusters(&state.atlas, indicator, &state.disclosure, state.weights(), parameters).map_err(|e| match e {
        ClusterError::NoLsoaValues(detail) => ApiError::NotMapped { detail },
        ClusterError::Parameter(detail) => ApiError::bad("query", detail),
        other => ApiError::Unusable { detail: other.to_string() },
    })
}
