//! Aggregation of an indicator over any set of LSOAs (a locality, a ward, the city, a custom area).
//!
//! Proportions and rates are recomputed from summed numerators and denominators, never averaged
//! from LSOA percentages. Scores without counts are means weighted by Census 2021 usual
//! residents. Ranks and deciles become a distribution. Counts are sums. A member may count only
//! partly (`share` < 1) when a custom polygon covers part of an LSOA: its counts are apportioned.

use serde::Serialize;

use super::disclosure::Disclosure;
use crate::atlas::schema::POPULATION_INDICATOR;
use crate::atlas::{Atlas, Indicator, IntervalMethod, ValueType};
use crate::stats::{self, Interval};

/// One LSOA in a selection, and the share of it that counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Member {
    /// Index into [`Atlas::lsoas`].
    pub lsoa: usize,
    /// Share of the LSOA's counts that belong to the area (1 for whole LSOAs).
    pub share: f64,
}

/// How an aggregate was computed, for the reader of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Σ numerator ÷ Σ denominator, Wilson score interval.
    Wilson,
    /// Σ events ÷ Σ population, exact Poisson (< 10) or Byar's (≥ 10) interval.
    ByarExact,
    /// Σ numerator ÷ Σ denominator where the counts give no sampling interval.
    RatioOfSums,
    /// Mean of LSOA values weighted by Census 2021 usual residents; no interval.
    PopulationWeightedMean,
    /// Sum of LSOA counts.
    Sum,
    /// Number of LSOAs in each national decile.
    Distribution,
}

impl Method {
    /// A sentence for profiles and exports.
    pub fn describe(self) -> &'static str {
        match self {
            Method::Wilson => "summed numerators and denominators; Wilson score interval",
            Method::ByarExact => "summed counts and populations; exact Poisson (< 10) or Byar's (>= 10) interval",
            Method::RatioOfSums => "summed numerators and denominators; no interval",
            Method::PopulationWeightedMean => {
                "mean of LSOA values weighted by Census 2021 usual residents; no interval"
            }
            Method::Sum => "sum of LSOA counts",
            Method::Distribution => "number of LSOAs in each national decile",
        }
    }
}

/// An indicator aggregated over a selection of LSOAs, as it may be published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// Summed count, where the indicator has counts.
    pub numerator: Option<f64>,
    /// Summed denominator, where the indicator has one.
    pub denominator: Option<f64>,
    /// The area's value in the indicator's unit.
    pub value: Option<f64>,
    /// 95% confidence interval, where the method gives one.
    pub ci95: Option<Interval>,
    /// 99.8% confidence interval, where the method gives one.
    pub ci998: Option<Interval>,
    /// How it was computed.
    pub method: Method,
    /// LSOAs of the selection with a value.
    pub lsoas_used: usize,
    /// LSOAs of the selection without a published value.
    pub lsoas_missing: usize,
    /// For ranks and deciles: LSOAs (or shares of them) in national deciles 1..=10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<[f64; 10]>,
    /// Why the figures are withheld, when they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

impl Aggregate {
    /// The value with its intervals, when both are published.
    pub fn estimate(&self) -> Option<stats::Estimate> {
        Some(stats::Estimate { value: self.value?, ci95: self.ci95?, ci998: self.ci998? })
    }

    fn empty(method: Method, missing: usize) -> Aggregate {
        Aggregate {
            numerator: None,
            denominator: None,
            value: None,
            ci95: None,
            ci998: None,
            method,
            lsoas_used: 0,
            lsoas_missing: missing,
            distribution: None,
            suppressed: None,
        }
    }
}

/// The method an indicator aggregates with.
pub fn method_of(indicator: &Indicator) -> Method {
    match (indicator.value_type, indicator.interval_method) {
        (ValueType::Rank | ValueType::Decile, _) => Method::Distribution,
        (ValueType::Count, _) => Method::Sum,
        (_, IntervalMethod::Wilson) => Method::Wilson,
        (_, IntervalMethod::ByarExact) => Method::ByarExact,
        (ValueType::Score, _) => Method::PopulationWeightedMean,
        (ValueType::Proportion | ValueType::Rate, IntervalMethod::None) => Method::PopulationWeightedMean,
    }
}

/// Aggregates one indicator over the members, applying disclosure control to the result.
pub fn aggregate(atlas: &Atlas, indicator: &Indicator, members: &[Member], disclosure: &Disclosure) -> Aggregate {
    let method = method_of(indicator);
    let observations = atlas.observations(&indicator.id).unwrap_or_default();
    let present: Vec<(Member, crate::atlas::Observation)> =
        members.iter().filter_map(|m| observations.get(m.lsoa).copied().flatten().map(|o| (*m, o))).collect();
    let missing = members.len() - present.len();
    let mut result = Aggregate::empty(method, missing);
    result.lsoas_used = present.len();
    if present.is_empty() {
        return result;
    }
    match method {
        Method::Wilson | Method::ByarExact | Method::RatioOfSums => {
            let counted: Vec<_> =
                present.iter().filter_map(|(m, o)| Some((o.numerator? * m.share, o.denominator? * m.share))).collect();
            result.lsoas_used = counted.len();
            result.lsoas_missing = members.len() - counted.len();
            let numerator: f64 = counted.iter().map(|c| c.0).sum();
            let denominator: f64 = counted.iter().map(|c| c.1).sum();
            result.numerator = Some(numerator);
            result.denominator = Some(denominator);
            let estimate = match method {
                Method::Wilson => stats::proportion(numerator, denominator).ok(),
                _ => stats::crude_rate(numerator, denominator, 1.0).ok(),
            };
            if let Some(e) = estimate.map(|e| e.scaled(indicator.multiplier)) {
                result.value = Some(e.value);
                result.ci95 = Some(e.ci95);
                result.ci998 = Some(e.ci998);
            }
        }
        Method::Sum => {
            result.numerator = Some(present.iter().filter_map(|(m, o)| Some(o.numerator? * m.share)).sum());
            result.value = result.numerator;
        }
        Method::PopulationWeightedMean => {
            let weights = atlas.observations(POPULATION_INDICATOR).unwrap_or_default();
            let (mut sum, mut weight) = (0.0, 0.0);
            for (m, o) in &present {
                let population = weights.get(m.lsoa).copied().flatten().and_then(|p| p.value).unwrap_or(0.0);
                if let Some(v) = o.value {
                    sum += v * population * m.share;
                    weight += population * m.share;
                }
            }
            result.value = (weight > 0.0).then(|| sum / weight);
        }
        Method::Distribution => {
            let mut deciles = [0.0; 10];
            for (m, o) in &present {
                let decile = match indicator.value_type {
                    ValueType::Decile => o.value,
                    _ => o.value.map(|rank| national_decile(rank, &indicator.unit)),
                };
                if let Some(d) = decile.filter(|d| (1.0..=10.0).contains(d)) {
                    deciles[d as usize - 1] += m.share;
                }
            }
            result.distribution = Some(deciles);
        }
    }
    suppress(result, disclosure)
}

/// The national decile of a rank, from the number of areas ranked (in the unit, e.g. `rank of 33,755`).
fn national_decile(rank: f64, unit: &str) -> f64 {
    let areas: f64 = unit.rsplit(' ').next().and_then(|n| n.replace(',', "").parse().ok()).unwrap_or(f64::NAN);
    (rank / areas * 10.0).ceil().clamp(1.0, 10.0)
}

/// Withholds a small summed count and everything derived from it.
fn suppress(mut result: Aggregate, disclosure: &Disclosure) -> Aggregate {
    if let Some(reason) = result.numerator.and_then(|n| disclosure.reason(n)) {
        result.numerator = None;
        result.value = None;
        result.ci95 = None;
        result.ci998 = None;
        result.suppressed = Some(reason);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::national_decile;

    #[test]
    fn a_rank_falls_in_its_national_decile() {
        assert_eq!(national_decile(1.0, "rank of 33,755"), 1.0);
        assert_eq!(national_decile(3375.0, "rank of 33,755"), 1.0);
        assert_eq!(national_decile(3376.0, "rank of 33,755"), 2.0);
        assert_eq!(national_decile(33755.0, "rank of 33,755"), 10.0);
    }
}
