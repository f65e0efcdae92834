//! Aggregation of an indicator over any set of LSOAs (a locality, a ward, the city, a custom area).
//!
//! Proportions and rates are recomputed from summed numerators and denominators, never averaged
//! from LSOA percentages. Scores without counts are means weighted by Census 2021 usual
//! residents. Ranks and deciles become a distribution. Counts are sums. Standardised ratios
//! published without their counts give an area no figure: an area's ratio is its observed over
//! its expected count, and no mean of LSOA ratios is that. A member may count only
//! partly (`share` < 1) when a custom polygon covers part of an LSOA: its counts are apportioned.

use serde::Serialize;

use super::disclosure::Disclosure;
use crate::atlas::schema::POPULATION_INDICATOR;
use crate::atlas::{Atlas, Indicator, IntervalMethod, Observation, ValueType};
use crate::stats::{self, Interval};

/// Why an area of several LSOAs has no standardised ratio (see [`Method::NotCombinable`]).
pub const NO_AREA_RATIO: &str = "the ratios are published for LSOAs without their observed and expected counts, and an area's ratio is its observed over its expected count, which no mean of LSOA ratios gives";

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
    /// None: standardised ratios published for LSOAs without their observed and expected counts.
    /// An area's ratio is Σ observed ÷ Σ expected; a mean of LSOA ratios is not it (weighted by
    /// residents, England's own comes out well above the 100 it is by construction). An area of one
    /// LSOA has that LSOA's published ratio.
    NotCombinable,
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
            Method::NotCombinable => "the LSOA's published ratio; none for several LSOAs (see the notes)",
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
    /// For indicators published for MSOAs: which MSOAs the figures come from, and how.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msoa: Option<MsoaBasis>,
}

/// How an area's figure of an MSOA indicator was made from MSOAs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MsoaBasis {
    /// MSOAs the area touches.
    pub msoas: usize,
    /// True when the area is a union of whole MSOAs, so the figure is exact.
    pub exact: bool,
    /// `exact` or `apportioned` (lower: counts are shared by residents, as if evenly spread).
    pub confidence: &'static str,
    /// The basis in words.
    pub basis: String,
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
            msoa: None,
        }
    }
}

/// The method an indicator aggregates with.
pub fn method_of(indicator: &Indicator) -> Method {
    match (indicator.value_type, indicator.interval_method) {
        (ValueType::Rank | ValueType::Decile, _) => Method::Distribution,
        (ValueType::Count, _) => Method::Sum,
        _ if indicator.is_standardised_ratio() => Method::NotCombinable,
        (_, IntervalMethod::Wilson) => Method::Wilson,
        (_, IntervalMethod::ByarExact) => Method::ByarExact,
        (ValueType::Score, _) => Method::PopulationWeightedMean,
        (ValueType::Proportion | ValueType::Rate, IntervalMethod::None) => Method::PopulationWeightedMean,
    }
}

/// One LSOA's part in an area: its figures, its Census 2021 usual residents (the weight of
/// population-weighted means) and the share of it that belongs to the area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contribution {
    /// The LSOA's published or derived figures.
    pub observation: Observation,
    /// Census 2021 usual residents of the whole LSOA.
    pub population: f64,
    /// Share of the LSOA that counts (1 for whole LSOAs).
    pub share: f64,
}

/// The 95% interval of one area's published figures, by the method its aggregates use (Wilson for
/// proportions, Byar's for rates); `None` for scores, ranks and counts, which have none.
pub fn interval_of(indicator: &Indicator, observation: &Observation) -> Option<Interval> {
    let one = Contribution { observation: *observation, population: 0.0, share: 1.0 };
    combine(indicator, &[one]).ci95
}

/// Aggregates one indicator over the members, applying disclosure control to the result.
pub fn aggregate(atlas: &Atlas, indicator: &Indicator, members: &[Member], disclosure: &Disclosure) -> Aggregate {
    if indicator.is_msoa() {
        return suppress(from_msoas(atlas, indicator, members), disclosure);
    }
    let observations = atlas.observations(&indicator.id).unwrap_or_default();
    let weights = atlas.observations(POPULATION_INDICATOR).unwrap_or_default();
    let contributions: Vec<Contribution> = members
        .iter()
        .filter_map(|m| {
            let observation = observations.get(m.lsoa).copied().flatten()?;
            let population = weights.get(m.lsoa).copied().flatten().and_then(|p| p.value).unwrap_or(0.0);
            Some(Contribution { observation, population, share: m.share })
        })
        .collect();
    let mut result = combine(indicator, &contributions);
    result.lsoas_missing += members.len() - contributions.len();
    suppress(result, disclosure)
}

/// An MSOA indicator over an area of LSOAs: each MSOA counts with the share of its Census 2021
/// usual residents that live in the area's LSOAs (1 for an MSOA wholly inside). The figure is
/// exact when every share is 0 or 1; otherwise counts are apportioned, as if spread evenly over
/// the MSOA's residents, and the basis says so.
fn from_msoas(atlas: &Atlas, indicator: &Indicator, members: &[Member]) -> Aggregate {
    let people = atlas.observations(POPULATION_INDICATOR).unwrap_or_default();
    let residents = |lsoa: usize| people.get(lsoa).copied().flatten().and_then(|p| p.value).unwrap_or(0.0);
    let msoas = atlas.msoas();
    let mut inside = vec![0.0; msoas.len()];
    for m in members {
        if let Some(msoa) = atlas.msoa_of(m.lsoa) {
            inside[msoa] += residents(m.lsoa) * m.share;
        }
    }
    let observations = atlas.msoa_observations(&indicator.id).unwrap_or_default();
    let mut contributions = Vec::new();
    let mut touched = Vec::new();
    for (i, msoa) in msoas.iter().enumerate().filter(|(i, _)| inside[*i] > 0.0) {
        let total: f64 = msoa.lsoas.iter().map(|&l| residents(l)).sum();
        let share = if total > 0.0 { (inside[i] / total).min(1.0) } else { 0.0 };
        touched.push((msoa, share));
        if let Some(observation) = observations.get(i).copied().flatten() {
            contributions.push(Contribution { observation, population: total, share });
        }
    }
    let mut result = combine(indicator, &contributions);
    result.lsoas_missing =
        members.len().saturating_sub(members.iter().filter(|m| atlas.msoa_of(m.lsoa).is_some()).count());
    let exact = touched.iter().all(|(_, s)| (s - 1.0).abs() < 1e-9);
    let names: Vec<String> = touched.iter().map(|(m, _)| format!("{} ({})", m.name, m.neighbourhood)).collect();
    result.msoa = Some(MsoaBasis {
        msoas: touched.len(),
        exact,
        confidence: if exact { "exact" } else { "apportioned" },
        basis: if exact {
            format!("published for MSOAs; this area is made of whole MSOAs: {}", names.join(", "))
        } else {
            let parts: Vec<String> = touched.iter().map(|(m, s)| format!("{} {:.0}%", m.name, s * 100.0)).collect();
            format!(
                "published for MSOAs; this area holds parts of them, so counts are apportioned by Census 2021 usual residents (lower confidence): {}",
                parts.join(", ")
            )
        },
    });
    result
}

/// Combines LSOA figures into an area's figures by the indicator's method, before disclosure
/// control: the one computation behind every area, Coventry and England figure.
pub fn combine(indicator: &Indicator, contributions: &[Contribution]) -> Aggregate {
    let method = method_of(indicator);
    let mut result = Aggregate::empty(method, 0);
    result.lsoas_used = contributions.len();
    if contributions.is_empty() {
        return result;
    }
    match method {
        Method::Wilson | Method::ByarExact | Method::RatioOfSums => {
            let counted: Vec<_> = contributions
                .iter()
                .filter_map(|c| Some((c.observation.numerator? * c.share, c.observation.denominator? * c.share)))
                .collect();
            result.lsoas_used = counted.len();
            result.lsoas_missing = contributions.len() - counted.len();
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
            result.numerator =
                Some(contributions.iter().filter_map(|c| Some(c.observation.numerator? * c.share)).sum());
            result.value = result.numerator;
        }
        Method::PopulationWeightedMean => {
            let (mut sum, mut weight) = (0.0, 0.0);
            for c in contributions {
                if let Some(v) = c.observation.value {
                    sum += v * c.population * c.share;
                    weight += c.population * c.share;
                }
            }
            result.value = (weight > 0.0).then(|| sum / weight);
        }
        Method::Distribution => {
            let mut deciles = [0.0; 10];
            for c in contributions {
                let decile = match indicator.value_type {
                    ValueType::Decile => c.observation.value,
                    _ => c.observation.value.map(|rank| national_decile(rank, indicator)),
                };
                if let Some(d) = decile.filter(|d| (1.0..=10.0).contains(d)) {
                    deciles[d as usize - 1] += c.share;
                }
            }
            result.distribution = Some(deciles);
        }
        Method::NotCombinable => {
            // One LSOA (or a part of one, its events spread evenly) has its own published ratio.
            if let [one] = contributions {
                result.value = one.observation.value;
            }
        }
    }
    result
}

/// The national decile of a rank: MHCLG's deciles are the ranks cut into ten equal bands
/// (⌈rank ÷ areas × 10⌉ reproduces every published IoD2019 and IoD2025 decile).
pub fn national_decile(rank: f64, indicator: &Indicator) -> f64 {
    let areas = indicator.national_areas.map_or(f64::NAN, f64::from);
    (rank / areas * 10.0).ceil().clamp(1.0, 10.0)
}

/// A rank as a percentile of the edition's LSOAs: 0 is the most deprived, 100 the least.
pub fn national_percentile(rank: f64, indicator: &Indicator) -> Option<f64> {
    indicator.national_areas.map(|areas| rank / f64::from(areas) * 100.0)
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
    use crate::atlas::{Indicator, IntervalMethod, Polarity, ValueType};

    fn rank_of(areas: u32) -> Indicator {
        Indicator {
            id: "rank".into(),
            name: "rank".into(),
            topic: String::new(),
            theme: crate::atlas::Theme::Population,
            definition: String::new(),
            unit: "rank".into(),
            value_type: ValueType::Rank,
            polarity: Polarity::HighIsGood,
            multiplier: 1.0,
            interval_method: IntervalMethod::None,
            source: String::new(),
            licence: String::new(),
            period: String::new(),
            geography: String::new(),
            notes: String::new(),
            counterpart: None,
            national_areas: Some(areas),
            age_sensitive: false,
            district_figure: false,
            modelled: false,
            base: crate::atlas::BaseGeography::Lsoa,
        }
    }

    #[test]
    fn a_rank_falls_in_its_national_decile() {
        let ranks = rank_of(33_755);
        assert_eq!(national_decile(1.0, &ranks), 1.0);
        assert_eq!(national_decile(3375.0, &ranks), 1.0);
        assert_eq!(national_decile(3376.0, &ranks), 2.0);
        assert_eq!(national_decile(33755.0, &ranks), 10.0);
        // IoD2019: deciles of 3,284 or 3,285 LSOAs.
        assert_eq!(national_decile(3284.0, &rank_of(32_844)), 1.0);
        assert_eq!(national_decile(3285.0, &rank_of(32_844)), 2.0);
    }
}
