//! Hidden pockets: an area's LSOAs that are significantly worse than their neighbours.
//!
//! A locality or city average hides an LSOA whose value is worse than the LSOAs around it: a
//! spatial outlier (local Moran's I high-low, "high" meaning worse) after the false discovery rate
//! correction. The cluster statistics are computed once over all of the district's LSOAs, with the
//! default choices, for each of [`POCKET_INDICATORS`]; an area's pockets are then its own LSOAs
//! among them. The locality profile and the locality report both read them from here.

use serde::Serialize;

use super::{Class, ClusterParameters, ClusterReport, LsoaWeights, indicator_clusters};
use crate::analysis::Disclosure;
use crate::atlas::Atlas;

/// Indicators whose hidden pockets a locality's profile and report look for: income and
/// employment deprivation, households deprived in two or more dimensions, and the overall
/// deprivation score. Each judges a direction: a pocket is "worse" than its neighbours, which a crude
/// rate of an age-related outcome cannot say (an LSOA of older residents would stand out by age).
pub const POCKET_INDICATORS: [&str; 4] =
    ["iod25_income_rate", "iod25_employment_rate", "census21_hh_deprived_2plus", "iod25_imd_score"];

/// One LSOA worse than its neighbours.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pocket {
    /// LSOA 2021 code.
    pub code: String,
    /// LSOA name.
    pub name: String,
    /// Its published value.
    pub value: f64,
    /// Its local Moran's Iᵢ (negative: unlike its neighbours).
    pub local_i: f64,
    /// Its pseudo p-value before the correction.
    pub p: f64,
}

/// The hidden pockets of one indicator within an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorPockets {
    /// Indicator id.
    pub indicator: String,
    /// Indicator name.
    pub name: String,
    /// The area's LSOAs worse than their neighbours, in code order.
    pub pockets: Vec<Pocket>,
    /// How many of the area's LSOAs are in a cluster of worse values (high-high).
    pub in_worse_clusters: usize,
    /// How many of the area's LSOAs took part (with a publishable value and a neighbour with one).
    pub lsoas_tested: usize,
    /// Global Moran's I of the indicator over all of the district.
    pub global_i: f64,
}

/// An indicator that could not be searched, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotSearched {
    /// Indicator id.
    pub indicator: String,
    /// Why.
    pub reason: String,
}

/// The hidden pockets of an area for every indicator considered, with the choices behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HiddenPockets {
    /// The choices: local Moran's I, queen contiguity, permutations, seed, correction, α.
    pub parameters: ClusterParameters,
    /// The method in words.
    pub method: String,
    /// One entry per indicator considered, in the order of [`POCKET_INDICATORS`].
    pub indicators: Vec<IndicatorPockets>,
    /// Indicators that could not be searched (absent from the data, or too few values).
    pub not_searched: Vec<NotSearched>,
}

/// The cluster statistics pockets are read from: each indicator considered, over all LSOAs.
#[derive(Debug, Clone, PartialEq)]
pub struct PocketSearch {
    /// The district's name, for the method's words.
    place: String,
    parameters: ClusterParameters,
    reports: Vec<ClusterReport>,
    not_searched: Vec<NotSearched>,
}

impl PocketSearch {
    /// Computes the cluster statistics of every indicator considered, with the default choices.
    pub fn run(atlas: &Atlas, disclosure: &Disclosure, weights: &LsoaWeights) -> PocketSearch {
        let parameters = ClusterParameters::default();
        let mut reports = Vec::new();
        let mut not_searched = Vec::new();
        for id in POCKET_INDICATORS {
            let Some(indicator) = atlas.indicator(id) else {
                not_searched.push(NotSearched { indicator: id.to_owned(), reason: "not in this data".to_owned() });
                continue;
            };
            if indicator.judged_polarity() == crate::stats::Polarity::NoJudgement {
                let reason = "it judges no direction (or is a crude rate of an age-related outcome), so no LSOA can be \"worse\" than its neighbours";
                not_searched.push(NotSearched { indicator: id.to_owned(), reason: reason.to_owned() });
                continue;
            }
            match indicator_clusters(atlas, indicator, disclosure, weights, parameters) {
                Ok(report) => reports.push(report),
                Err(e) => not_searched.push(NotSearched { indicator: id.to_owned(), reason: e.to_string() }),
            }
        }
        PocketSearch { place: atlas.place().name.clone(), parameters, reports, not_searched }
    }

    /// The pockets among `lsoas` (LSOA codes of an area).
    pub fn within(&self, lsoas: &[&str]) -> HiddenPockets {
        let member = |code: &str| lsoas.contains(&code);
        let indicators = self
            .reports
            .iter()
            .map(|report| {
                let own: Vec<_> = report.lsoas.iter().filter(|l| member(&l.code)).collect();
                IndicatorPockets {
                    indicator: report.indicator.clone(),
                    name: report.name.clone(),
                    pockets: own
                        .iter()
                        .filter(|l| l.local.class == Class::WorseThanNeighbours)
                        .map(|l| Pocket {
                            code: l.code.clone(),
                            name: l.name.clone(),
                            value: l.local.value,
                            local_i: l.local.statistic,
                            p: l.local.p,
                        })
                        .collect(),
                    in_worse_clusters: own.iter().filter(|l| l.local.class == Class::WorseCluster).count(),
                    lsoas_tested: own.len(),
                    global_i: report.global.i,
                }
            })
            .collect();
        HiddenPockets {
            parameters: self.parameters,
            method: format!(
                "Spatial outliers worse than their neighbours: {}, over all of {}'s LSOAs; suppressed values left out",
                self.parameters.words(),
                self.place,
            ),
            indicators,
            not_searched: self.not_searched.clone(),
        }
    }
}
