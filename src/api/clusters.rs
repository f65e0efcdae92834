//! Clusters and spatial outliers of an indicator: `GET /api/indicators/{id}/clusters`.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};

use super::error::ErrorBody;
use super::indicators::{IndicatorId, find};
use super::{ApiError, AppState};
use crate::analysis::clusters::{
    ClusterError, ClusterParameters, ClusterReport, Correction, MAX_PERMUTATIONS, Method, WeightsKind,
    indicator_clusters,
};

/// Parses `method`, `weights`, `permutations`, `seed`, `correction` and `alpha`, with defaults.
fn parameters(query: &HashMap<String, String>) -> Result<ClusterParameters, ApiError> {
    let mut p = ClusterParameters::default();
    if let Some(method) = query.get("method") {
        p.method = match method.as_str() {
            "lisa" => Method::Lisa,
            "gi" => Method::Gi,
            other => return Err(ApiError::bad("method", format!("{other:?} is not a method; use lisa or gi"))),
        };
    }
    if let Some(weights) = query.get("weights") {
        p.weights = match weights.as_str() {
            "queen" => WeightsKind::Queen,
            "knn6" => WeightsKind::Knn6,
            other => {
                return Err(ApiError::bad("weights", format!("{other:?} is not a kind of weights; use queen or knn6")));
            }
        };
    }
    if let Some(n) = query.get("permutations") {
        p.permutations = n.parse().ok().filter(|n| (1..=MAX_PERMUTATIONS).contains(n)).ok_or_else(|| {
            ApiError::bad("permutations", format!("{n:?} is not a whole number from 1 to {MAX_PERMUTATIONS}"))
        })?;
    }
    if let Some(seed) = query.get("seed") {
        p.seed = seed
            .parse()
            .map_err(|_| ApiError::bad("seed", format!("{seed:?} is not a whole number from 0 to 2⁶⁴ − 1")))?;
    }
    if let Some(correction) = query.get("correction") {
        p.correction = Correction::from_str(correction).map_err(|e| ApiError::bad("correction", e))?;
    }
    if let Some(alpha) = query.get("alpha") {
        p.alpha = alpha
            .parse()
            .ok()
            .filter(|a: &f64| *a > 0.0 && *a < 1.0)
            .ok_or_else(|| ApiError::bad("alpha", format!("{alpha:?} is not a number between 0 and 1")))?;
    }
    Ok(p)
}

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
) -> Result<Json<ClusterReport>, ApiError> {
    report(&state, &id, &query).map(Json)
}

/// The cluster report of indicator `id` with the query's parameters, or the matching 400/404/422.
pub(super) fn report(state: &AppState, id: &str, query: &HashMap<String, String>) -> Result<ClusterReport, ApiError> {
    let indicator = find(&state.atlas, id)?;
    let parameters = parameters(query)?;
    indicator_clusters(&state.atlas, indicator, &state.disclosure, &state.weights, parameters).map_err(|e| match e {
        ClusterError::NoLsoaValues(detail) => ApiError::NotMapped { detail },
        ClusterError::Parameter(detail) => ApiError::bad("query", detail),
        other => ApiError::Unusable { detail: other.to_string() },
    })
}
