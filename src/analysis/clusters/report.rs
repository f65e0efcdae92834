//! Cluster statistics of one atlas indicator, named by LSOA code and ready to publish.

use serde::Serialize;

use geo::{Centroid, MultiPolygon};

use super::{
    ClusterError, ClusterParameters, Correction, GlobalMoran, LocalResult, Method, Weights, WeightsKind, clusters,
};
use crate::analysis::Disclosure;
use crate::atlas::{Atlas, Indicator};
use crate::ingest::crs::Crs;
use crate::stats::Polarity;

/// One LSOA's local statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LsoaCluster {
    /// LSOA 2021 code.
    pub code: String,
    /// LSOA name.
    pub name: String,
    /// Value, statistic, quadrant, p-value, significance and class.
    #[serde(flatten)]
    pub local: LocalResult,
    /// The class in words.
    pub class_words: &'static str,
}

/// Clusters and spatial outliers of an indicator across Coventry's LSOAs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterReport {
    /// Indicator id.
    pub indicator: String,
    /// Indicator name.
    pub name: String,
    /// The choices behind the figures (method, weights, permutations, seed, correction, α).
    pub parameters: ClusterParameters,
    /// Global Moran's I.
    pub global: GlobalMoran,
    /// Local statistics of every LSOA taking part, in code order.
    pub lsoas: Vec<LsoaCluster>,
    /// LSOAs with a value but no neighbour with one: left out.
    pub islands: Vec<String>,
    /// LSOAs without a publishable value (suppressed or not published): left out.
    pub missing: Vec<String>,
    /// The direction read as worse: "high" in a quadrant or class means worse unless this is
    /// `no_judgement`, where it means higher.
    pub polarity: Polarity,
    /// How significance was judged, in words.
    pub note: String,
}

/// The spatial weights between the atlas's LSOAs, built once per data version.
#[derive(Debug, Clone, PartialEq)]
pub struct LsoaWeights {
    /// Queen contiguity.
    pub queen: Weights,
    /// Six nearest neighbours by centroid in British National Grid.
    pub knn6: Weights,
}

impl LsoaWeights {
    /// Builds both from the atlas's LSOA boundaries; centroids that cannot be projected are an error.
    pub fn build(atlas: &Atlas) -> Result<LsoaWeights, ClusterError> {
        let boundaries: Vec<(&str, &MultiPolygon<f64>)> =
            atlas.lsoas().iter().map(|l| (l.code.as_str(), &l.geometry)).collect();
        LsoaWeights::from_boundaries(&boundaries)
    }

    /// Builds both from boundaries in WGS84 longitude/latitude, each named by its code for errors.
    pub fn from_boundaries(boundaries: &[(&str, &MultiPolygon<f64>)]) -> Result<LsoaWeights, ClusterError> {
        let mut points = Vec::with_capacity(boundaries.len());
        for &(code, geometry) in boundaries {
            let mut projected = geometry.clone();
            Crs::BritishNationalGrid.project_wgs84(&mut projected).map_err(ClusterError::Geometry)?;
            let centre = projected
                .centroid()
                .ok_or_else(|| ClusterError::Geometry(format!("LSOA {code} has an empty boundary")))?;
            points.push([centre.x(), centre.y()]);
        }
        Ok(LsoaWeights { queen: Weights::queen(boundaries.iter().map(|&(_, g)| g)), knn6: Weights::nearest(points, 6) })
    }

    /// The weights of one kind.
    pub fn get(&self, kind: WeightsKind) -> &Weights {
        match kind {
            WeightsKind::Queen => &self.queen,
            WeightsKind::Knn6 => &self.knn6,
        }
    }
}

/// Why `indicator` has no LSOA clusters, or `None` when it has distinct values by LSOA.
pub fn no_lsoa_clusters(indicator: &Indicator) -> Option<String> {
    let why = indicator.why_no_lsoa_values()?;
    Some(format!("{} has no LSOA clusters: {why}", indicator.name))
}

/// Below this many areas tested, Gi\*'s note warns that its normal p-values are rough.
const GI_FEW_AREAS: usize = 30;

/// Cluster statistics of `indicator` over the atlas's LSOAs with publishable values.
///
/// Fails with [`ClusterError::NoLsoaValues`] for an indicator without distinct LSOA values
/// (published for MSOAs, one district figure, or modelled).
pub fn indicator_clusters(
    atlas: &Atlas,
    indicator: &Indicator,
    disclosure: &Disclosure,
    weights: &LsoaWeights,
    parameters: ClusterParameters,
) -> Result<ClusterReport, ClusterError> {
    if let Some(why) = no_lsoa_clusters(indicator) {
        return Err(ClusterError::NoLsoaValues(why));
    }
    let observations = atlas.observations(&indicator.id).unwrap_or_default();
    let values: Vec<Option<f64>> = (0..atlas.lsoas().len())
        .map(|i| observations.get(i).copied().flatten().and_then(|o| disclosure.publish(indicator, &o).value))
        .collect();
    let polarity = indicator.judged_polarity();
    let out = clusters(&values, weights.get(parameters.weights), polarity, parameters)?;
    let lsoas = atlas.lsoas();
    let codes = |list: &[usize]| list.iter().map(|&i| lsoas[i].code.clone()).collect();
    let note = format!(
        "Significant at α = {} after {}; p-values from {} over {} seeded with {}.",
        parameters.alpha,
        match parameters.correction {
            Correction::Fdr => "controlling the false discovery rate (Benjamini–Hochberg)",
            Correction::Bonferroni => "Bonferroni correction",
            Correction::None => "no correction for testing every LSOA",
        },
        match parameters.method {
            Method::Lisa => format!("{} conditional permutations", parameters.permutations),
            Method::Gi => "the normal approximation".to_owned(),
        },
        match parameters.weights {
            WeightsKind::Queen => "queen contiguity",
            WeightsKind::Knn6 => "the six nearest neighbours",
        },
        parameters.seed,
    );
    // Gi*'s p-values lean on a normal approximation that a handful of areas does not support.
    let tested = out.local.len();
    let note = if parameters.method == Method::Gi && tested < GI_FEW_AREAS {
        format!(
            "{note} Only {tested} LSOAs have a value and a neighbour with one: with fewer than {GI_FEW_AREAS}, the normal approximation behind these p-values is rough, so read the classes with care."
        )
    } else {
        note
    };
    Ok(ClusterReport {
        indicator: indicator.id.clone(),
        name: indicator.name.clone(),
        parameters,
        lsoas: out
            .local
            .iter()
            .map(|l| LsoaCluster {
                code: lsoas[l.area].code.clone(),
                name: lsoas[l.area].name.clone(),
                local: l.clone(),
                class_words: l.class.words(polarity),
            })
            .collect(),
        islands: codes(&out.islands),
        missing: codes(&out.missing),
        global: out.global,
        polarity,
        note,
    })
}
