//! Clusters and spatial outliers: where an indicator's values gather, and which areas differ from
//! their neighbours.
//!
//! Queen contiguity between LSOAs ([`weights`]) feeds global Moran's I ([`moran`]), local Moran's
//! I ([`lisa`]) and Getis-Ord Gi\* ([`getis_ord`]). Local p-values are corrected for testing every
//! LSOA at once ([`correction`]); the corrected result is the published classification.
//!
//! Only publishable values take part: an LSOA whose value is suppressed or missing is left out,
//! and its neighbours' weights are re-standardised over their remaining neighbours. An LSOA left
//! with no neighbour (an island) takes no part in global or local statistics and is listed as such.
//! Quadrants are turned by the indicator's polarity so that "high" always means "worse". An area's
//! hidden pockets, its LSOAs worse than their neighbours, come from [`pockets`].

pub mod correction;
pub mod getis_ord;
pub mod lisa;
pub mod moran;
pub mod pockets;
pub mod report;
mod sample;
pub mod weights;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

pub use correction::{Correction, significant};
pub use getis_ord::{GetisOrd, getis_ord_star};
pub use lisa::{LocalMoran, Quadrant, local_moran};
pub use moran::{GlobalMoran, global_moran};
pub use pockets::{HiddenPockets, PocketSearch};
pub use report::{ClusterReport, LsoaCluster, LsoaWeights, indicator_clusters, no_lsoa_clusters};
pub use weights::Weights;

use crate::stats::Polarity;

/// Why cluster statistics cannot be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClusterError {
    /// Fewer than four areas with a value and a neighbour.
    TooFewAreas {
        /// How many there are.
        areas: usize,
    },
    /// Every value is the same (or, for Gi\*, they sum to zero).
    NoVariation,
    /// A parameter is out of range.
    Parameter(String),
    /// The indicator has no distinct LSOA values to cluster.
    NoLsoaValues(String),
    /// A boundary cannot give a centroid in British National Grid.
    Geometry(String),
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterError::TooFewAreas { areas } => {
                let have = match areas {
                    0 => "no area has".to_owned(),
                    1 => "only 1 area has".to_owned(),
                    n => format!("only {n} areas have"),
                };
                write!(f, "{have} a value and a neighbour with a value; at least 4 are needed")
            }
            ClusterError::NoVariation => write!(f, "the values do not vary, so they cannot cluster"),
            ClusterError::Parameter(detail) | ClusterError::NoLsoaValues(detail) | ClusterError::Geometry(detail) => {
                write!(f, "{detail}")
            }
        }
    }
}

impl std::error::Error for ClusterError {}

/// Which local statistic classifies the areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Local Moran's I: clusters and spatial outliers.
    #[default]
    Lisa,
    /// Getis-Ord Gi\*: hot and cold spots.
    Gi,
}

impl Method {
    /// Every method, in the order the page offers them.
    pub const ALL: [Method; 2] = [Method::Lisa, Method::Gi];

    /// The method's name in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Lisa => "lisa",
            Method::Gi => "gi",
        }
    }

    /// The classes the method can publish, worse first.
    pub fn classes(self) -> &'static [Class] {
        match self {
            Method::Lisa => &[
                Class::WorseCluster,
                Class::WorseThanNeighbours,
                Class::BetterThanNeighbours,
                Class::BetterCluster,
                Class::NotSignificant,
            ],
            Method::Gi => &[Class::WorseCluster, Class::BetterCluster, Class::NotSignificant],
        }
    }
}

/// The published class of one area ("worse" reads "higher" for an indicator without a judged
/// direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// A worse value among worse neighbours (LISA high-high, or a Gi\* hot spot of worse values).
    WorseCluster,
    /// A better value among better neighbours (LISA low-low, or a Gi\* cold spot).
    BetterCluster,
    /// Worse than its neighbours: a hidden pocket that area averages hide (LISA high-low).
    WorseThanNeighbours,
    /// Better than its neighbours (LISA low-high).
    BetterThanNeighbours,
    /// Not significant after correction.
    NotSignificant,
}

impl Class {
    /// The class in words, for a legend: "worse" and "better" only where the indicator judges
    /// a direction, "high" and "low" otherwise.
    pub fn words(self, polarity: Polarity) -> &'static str {
        let judged = polarity != Polarity::NoJudgement;
        match (self, judged) {
            (Class::WorseCluster, true) => "cluster of worse values",
            (Class::WorseCluster, false) => "cluster of high values",
            (Class::BetterCluster, true) => "cluster of better values",
            (Class::BetterCluster, false) => "cluster of low values",
            (Class::WorseThanNeighbours, true) => "spatial outlier worse than its neighbours",
            (Class::WorseThanNeighbours, false) => "spatial outlier higher than its neighbours",
            (Class::BetterThanNeighbours, true) => "spatial outlier better than its neighbours",
            (Class::BetterThanNeighbours, false) => "spatial outlier lower than its neighbours",
            (Class::NotSignificant, _) => "not significant",
        }
    }
}

/// Which spatial weights link the LSOAs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightsKind {
    /// Queen contiguity: LSOAs sharing an edge or a corner.
    #[default]
    Queen,
    /// The six nearest LSOAs by centroid in British National Grid.
    Knn6,
}

/// The choices behind a cluster map, echoed in the output so a figure can be reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClusterParameters {
    /// Local statistic.
    pub method: Method,
    /// Spatial weights.
    pub weights: WeightsKind,
    /// Random permutations per test.
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
    /// Multiple-testing correction.
    pub correction: Correction,
    /// Significance level.
    pub alpha: f64,
}

/// Most permutations accepted per test.
pub const MAX_PERMUTATIONS: usize = 99_999;

impl Default for ClusterParameters {
    fn default() -> Self {
        ClusterParameters {
            method: Method::Lisa,
            weights: WeightsKind::Queen,
            permutations: 999,
            seed: 12345,
            correction: Correction::Fdr,
            alpha: 0.05,
        }
    }
}

impl ClusterParameters {
    /// Checks the ranges: 1 to [`MAX_PERMUTATIONS`] permutations, 0 < α < 1.
    pub fn validate(&self) -> Result<(), ClusterError> {
        if !(1..=MAX_PERMUTATIONS).contains(&self.permutations) {
            return Err(ClusterError::Parameter(format!(
                "permutations must be between 1 and {MAX_PERMUTATIONS}, not {}",
                self.permutations
            )));
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(ClusterError::Parameter(format!("alpha must lie between 0 and 1, not {}", self.alpha)));
        }
        Ok(())
    }
}

/// A cluster parameter that cannot be read, named so the caller can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParameter {
    /// The parameter's name in a query (`method`, `weights`, `permutations`, `seed`, `correction`, `alpha`).
    pub parameter: &'static str,
    /// What is wrong and what would be right.
    pub detail: String,
}

impl ClusterParameters {
    /// Reads `method`, `weights`, `permutations`, `seed`, `correction` and `alpha` from a query's
    /// pairs; an absent one keeps its default. Other keys are ignored.
    pub fn from_query(query: &HashMap<String, String>) -> Result<ClusterParameters, BadParameter> {
        let bad = |parameter, detail: String| BadParameter { parameter, detail };
        let mut p = ClusterParameters::default();
        if let Some(method) = query.get("method") {
            p.method = Method::ALL
                .into_iter()
                .find(|m| m.as_str() == method)
                .ok_or_else(|| bad("method", format!("{method:?} is not a method; use lisa or gi")))?;
        }
        if let Some(weights) = query.get("weights") {
            p.weights = match weights.as_str() {
                "queen" => WeightsKind::Queen,
                "knn6" => WeightsKind::Knn6,
                other => return Err(bad("weights", format!("{other:?} is not a kind of weights; use queen or knn6"))),
            };
        }
        if let Some(n) = query.get("permutations") {
            p.permutations = n.parse().ok().filter(|n| (1..=MAX_PERMUTATIONS).contains(n)).ok_or_else(|| {
                bad("permutations", format!("{n:?} is not a whole number from 1 to {MAX_PERMUTATIONS}"))
            })?;
        }
        if let Some(seed) = query.get("seed") {
            p.seed =
                seed.parse().map_err(|_| bad("seed", format!("{seed:?} is not a whole number from 0 to 2⁶⁴ − 1")))?;
        }
        if let Some(correction) = query.get("correction") {
            p.correction = Correction::from_str(correction).map_err(|e| bad("correction", e))?;
        }
        if let Some(alpha) = query.get("alpha") {
            p.alpha = alpha
                .parse()
                .ok()
                .filter(|a: &f64| *a > 0.0 && *a < 1.0)
                .ok_or_else(|| bad("alpha", format!("{alpha:?} is not a number between 0 and 1")))?;
        }
        Ok(p)
    }

    /// The choices in words, for subtitles and notes: "local Moran's I, queen contiguity, 999
    /// permutations (seed 12345), false discovery rate at α = 0.05".
    pub fn words(&self) -> String {
        let method = match self.method {
            Method::Lisa => format!("local Moran's I, {} permutations (seed {})", self.permutations, self.seed),
            Method::Gi => "Getis-Ord Gi*".to_owned(),
        };
        let weights = match self.weights {
            WeightsKind::Queen => "queen contiguity",
            WeightsKind::Knn6 => "six nearest neighbours",
        };
        let correction = match self.correction {
            Correction::Fdr => "false discovery rate",
            Correction::Bonferroni => "Bonferroni",
            Correction::None => "no correction",
        };
        format!("{method}, {weights}, {correction} at α = {}", self.alpha)
    }
}

/// One area's local statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalResult {
    /// Position of the area in the caller's list.
    pub area: usize,
    /// Its value.
    pub value: f64,
    /// Local Moran's Iᵢ (LISA) or the Gi\* z-score (Gi).
    pub statistic: f64,
    /// LISA quadrant with "high" meaning worse (for no-judgement indicators, higher).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quadrant: Option<Quadrant>,
    /// Pseudo p-value (LISA) or normal p-value (Gi), before correction.
    pub p: f64,
    /// Significant after the correction.
    pub significant: bool,
    /// The published class.
    pub class: Class,
}

/// Cluster statistics of one indicator over a set of areas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clusters {
    /// Global Moran's I.
    pub global: GlobalMoran,
    /// Local statistics of every area taking part.
    pub local: Vec<LocalResult>,
    /// Areas with a value but no neighbour with a value: left out.
    pub islands: Vec<usize>,
    /// Areas with no publishable value: left out.
    pub missing: Vec<usize>,
    /// The choices made.
    pub parameters: ClusterParameters,
}

/// Cluster statistics of `values` (aligned with `weights`; `None` = missing or suppressed).
///
/// The global and local permutations draw from generators seeded by `parameters.seed`, so the same
/// values, weights and parameters always give the same output.
pub fn clusters(
    values: &[Option<f64>],
    weights: &Weights,
    polarity: Polarity,
    parameters: ClusterParameters,
) -> Result<Clusters, ClusterError> {
    parameters.validate()?;
    let present: Vec<bool> =
        (0..weights.len()).map(|i| values.get(i).copied().flatten().is_some_and(f64::is_finite)).collect();
    let missing: Vec<usize> = (0..weights.len()).filter(|&i| !present[i]).collect();
    let (with_values, kept) = weights.restrict(&present);
    let islands_local = with_values.islands();
    let islands: Vec<usize> = islands_local.iter().map(|&i| kept[i]).collect();
    let mut connected = vec![true; with_values.len()];
    for &i in &islands_local {
        connected[i] = false;
    }
    let (w, positions) = with_values.restrict(&connected);
    let areas: Vec<usize> = positions.iter().map(|&i| kept[i]).collect();
    let y: Vec<f64> = areas.iter().filter_map(|&i| values[i]).collect();

    let global = global_moran(&y, &w, parameters.permutations, parameters.seed, parameters.alpha)?;
    // High means worse: flip the values' sign when high is good.
    let worse_sign = if polarity == Polarity::HighIsGood { -1.0 } else { 1.0 };
    let local = match parameters.method {
        Method::Lisa => {
            let lisa = local_moran(&y, &w, parameters.permutations, parameters.seed.wrapping_add(1))?;
            let sig = significant(&lisa.p, parameters.alpha, parameters.correction);
            let lag = w.lag(&y);
            let mean = y.iter().sum::<f64>() / y.len() as f64;
            (0..y.len())
                .map(|k| {
                    let quadrant = Quadrant::of(worse_sign * (y[k] - mean), worse_sign * (lag[k] - mean));
                    let class = match (sig[k], quadrant) {
                        (false, _) => Class::NotSignificant,
                        (true, Quadrant::HighHigh) => Class::WorseCluster,
                        (true, Quadrant::LowLow) => Class::BetterCluster,
                        (true, Quadrant::HighLow) => Class::WorseThanNeighbours,
                        (true, Quadrant::LowHigh) => Class::BetterThanNeighbours,
                    };
                    LocalResult {
                        area: areas[k],
                        value: y[k],
                        statistic: lisa.i[k],
                        quadrant: Some(quadrant),
                        p: lisa.p[k],
                        significant: sig[k],
                        class,
                    }
                })
                .collect()
        }
        Method::Gi => {
            let gi = getis_ord_star(&y, &w)?;
            let sig = significant(&gi.p, parameters.alpha, parameters.correction);
            (0..y.len())
                .map(|k| {
                    let class = match (sig[k], worse_sign * gi.z[k] > 0.0) {
                        (false, _) => Class::NotSignificant,
                        (true, true) => Class::WorseCluster,
                        (true, false) => Class::BetterCluster,
                    };
                    LocalResult {
                        area: areas[k],
                        value: y[k],
                        statistic: gi.z[k],
                        quadrant: None,
                        p: gi.p[k],
                        significant: sig[k],
                        class,
                    }
                })
                .collect()
        }
    };
    Ok(Clusters { global, local, islands, missing, parameters })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Queen contiguity of a 3×3 grid of unit squares, numbered row by row from the corner 0.
    fn grid() -> Weights {
        Weights::queen(&weights::tests::grid(3))
    }

    /// 9 in the corner square 0, 0 elsewhere: mean 1, deviations dᵢ = 8 and −1 (Σd² = 72).
    const CORNER: [f64; 9] = [9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];

    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() <= 1e-12, "{actual} is not {expected}");
    }

    #[test]
    fn global_moran_of_a_high_corner_is_the_hand_computed_value() -> Result<(), ClusterError> {
        // Row-standardised, S₀ = n = 9, so I = Σ dᵢ·lagᵢ / Σ d²:
        //   square 0 (neighbours 1, 3, 4):        8 × (−1)               = −8
        //   squares 1 and 3 (5 neighbours, one 0): −1 × (8 − 4)/5 each    = −0.8 − 0.8
        //   centre 4 (8 neighbours):              −1 × (8 − 7)/8         = −0.125
        //   squares 2, 5, 6, 7, 8 (not touching): −1 × (−1) each          = +5
        // I = −4.725 / 72 = −0.065625; E[I] = −1/8. z_rand is PySAL's for the same grid.
        let moran = global_moran(&CORNER, &grid(), 99, 1, 0.05)?;
        close(moran.i, -0.065625);
        close(moran.expected, -0.125);
        assert!((moran.z - 0.932770443267461).abs() < 1e-12, "z = {}", moran.z);
        Ok(())
    }

    #[test]
    fn local_moran_of_the_high_corner_is_minus_eight_ninths() -> Result<(), ClusterError> {
        // σ = √(72/9) = 2√2, so z₀ = 8/(2√2) = 2√2 and its neighbours' mean z is −1/(2√2);
        // Σz² = n = 9, so I₀ = (n − 1) z₀ lag₀ / Σz² = 8 × 2√2 × (−1/(2√2)) / 9 = −8/9.
        let lisa = local_moran(&CORNER, &grid(), 99, 1)?;
        close(lisa.i[0], -8.0 / 9.0);
        assert_eq!(lisa.quadrant[0], Quadrant::HighLow);
        assert_eq!(lisa.quadrant[1], Quadrant::LowHigh);
        assert_eq!(lisa.quadrant[8], Quadrant::LowLow);
        // Its neighbours are drawn from eight equal values, so every permutation ties with it:
        // nothing is as rare as esda's p = 1/(permutations + 1) would say.
        assert_eq!(lisa.p[0], 1.0);
        Ok(())
    }

    #[test]
    fn getis_ord_of_the_high_corner_is_root_five_over_two() -> Result<(), ClusterError> {
        // Square 0 with itself and neighbours 1, 3, 4: W = 4, G* = 9/9 = 1, E = 4/9.
        // ȳ = 1, s² = 81/9 − 1 = 8, Var = 4 × 5 / (8 × 81) × 8 / 1 = 20/81,
        // z = (5/9) / (√20/9) = √5/2.
        let gi = getis_ord_star(&CORNER, &grid())?;
        close(gi.z[0], 5f64.sqrt() / 2.0);
        Ok(())
    }

    #[test]
    fn the_same_seed_gives_the_same_p_values_and_another_seed_may_not() -> Result<(), ClusterError> {
        let y = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0];
        let one = local_moran(&y, &grid(), 999, 7)?;
        assert_eq!(one, local_moran(&y, &grid(), 999, 7)?);
        let other = local_moran(&y, &grid(), 999, 8)?;
        assert_ne!(one.p, other.p);
        Ok(())
    }

    #[test]
    fn a_missing_value_leaves_the_area_out_and_re_standardises_its_neighbours() -> Result<(), ClusterError> {
        let mut values: Vec<Option<f64>> = CORNER.iter().copied().map(Some).collect();
        values[4] = None;
        let out = clusters(&values, &grid(), Polarity::LowIsGood, ClusterParameters::default())?;
        assert_eq!(out.missing, vec![4]);
        assert!(out.local.iter().all(|l| l.area != 4));
        // Without the centre, square 0 has neighbours 1 and 3 (weights 1/2 each); the eight values
        // have mean 9/8, so d₀ = 63/8, d₁ = d₃ = −9/8, σ² = (63² + 7 × 9²)/8/64 = 567/64 = 8.859375,
        // and I₀ = 7 × (d₀/σ)(−9/8)/σ / 8 = −7 × 63 × 9 / (64 × 8 × 8.859375).
        let expected = -7.0 * 63.0 * 9.0 / (64.0 * 8.0 * 8.859375);
        close(out.local[0].statistic, expected);
        Ok(())
    }

    #[test]
    fn an_area_whose_neighbours_are_all_missing_is_an_island() -> Result<(), ClusterError> {
        let values = [Some(9.0), None, Some(1.0), None, None, Some(2.0), Some(3.0), Some(4.0), Some(5.0)];
        let out = clusters(&values, &grid(), Polarity::LowIsGood, ClusterParameters::default())?;
        assert_eq!(out.islands, vec![0]);
        assert_eq!(out.local.len(), 5);
        Ok(())
    }

    #[test]
    fn when_high_is_good_a_low_value_among_high_ones_is_worse_than_its_neighbours() -> Result<(), ClusterError> {
        // A low corner among higher values that differ (equal ones would tie in every permutation).
        let values: Vec<Option<f64>> = [1.0, 9.0, 9.5, 8.5, 9.2, 8.8, 9.1, 8.9, 9.3].into_iter().map(Some).collect();
        let parameters = ClusterParameters { correction: Correction::None, alpha: 0.99, ..Default::default() };
        let out = clusters(&values, &grid(), Polarity::HighIsGood, parameters)?;
        assert_eq!(out.local[0].quadrant, Some(Quadrant::HighLow));
        assert_eq!(out.local[0].class, Class::WorseThanNeighbours);
        Ok(())
    }

    #[test]
    fn classes_speak_of_worse_and_better_only_when_the_indicator_judges_a_direction() {
        assert_eq!(Class::WorseThanNeighbours.words(Polarity::LowIsGood), "spatial outlier worse than its neighbours");
        assert_eq!(
            Class::WorseThanNeighbours.words(Polarity::NoJudgement),
            "spatial outlier higher than its neighbours"
        );
        assert_eq!(Class::BetterCluster.words(Polarity::HighIsGood), "cluster of better values");
    }

    #[test]
    fn out_of_range_parameters_are_errors() {
        let values = [Some(1.0); 9];
        let zero = ClusterParameters { permutations: 0, ..Default::default() };
        assert!(matches!(clusters(&values, &grid(), Polarity::LowIsGood, zero), Err(ClusterError::Parameter(_))));
        let alpha = ClusterParameters { alpha: 1.5, ..Default::default() };
        assert!(matches!(clusters(&values, &grid(), Polarity::LowIsGood, alpha), Err(ClusterError::Parameter(_))));
        assert_eq!(
            clusters(&values, &grid(), Polarity::LowIsGood, ClusterParameters::default()),
            Err(ClusterError::NoVariation)
        );
    }
}
