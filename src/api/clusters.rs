//! Clusters and spatial outliers of an indicator: `GET /api/indicators/{id}/clusters`, with the
//! map's colour and legend label of each class.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};

use super::indicators::find;
use super::{ApiError, AppState};
use crate::analysis::clusters::{ClusterError, ClusterParameters, ClusterReport, indicator_clusters};
use crate::classify::clusters::ClusterMap;

/// `GET /api/indicators/{id}/clusters?method=lisa|gi&weights=queen|knn6&permutations=999&seed=12345&correction=fdr|bonferroni|none&alpha=0.05`.
pub async fn clusters(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ClusterMap>, ApiError> {
    report(&state, &id, &query).map(|report| Json(ClusterMap::new(report)))
}

/// The cluster report of indicator `id` with the query's parameters, or the matching 400/404/422.
fn report(state: &AppState, id: &str, query: &HashMap<String, String>) -> Result<ClusterReport, ApiError> {
    let indicator = find(&state.atlas, id)?;
    let parameters = ClusterParameters::from_query(query)
        .map_err(|e| ApiError::BadParameter { parameter: e.parameter, detail: e.detail })?;
    indicator_clusters(&state.atlas, indicator, &state.disclosure, &state.weights, parameters).map_err(|e| match e {
        ClusterError::NoLsoaValues(detail) => ApiError::NotMapped { detail },
        ClusterError::Parameter(detail) => ApiError::bad("query", detail),
        other => ApiError::Unusable { detail: other.to_string() },
    })
}
