//! The inequality view: the district's LSOAs grouped by national IMD 2025 decile (and by local
//! quintile), each group's value with its interval, the slope and relative index of inequality,
//! and where each locality's LSOAs sit.

use serde::Serialize;

use super::aggregate::{Member, aggregate};
use super::disclosure::Disclosure;
use crate::atlas::schema::POPULATION_INDICATOR;
use crate::atlas::{Atlas, District, Indicator, ValueType};
use crate::stats::{self, Estimate, InequalityGroup, Interval, StatsError};

/// The indicator that ranks LSOAs by deprivation.
pub const DECILE_INDICATOR: &str = "iod25_imd_decile";
/// The score that orders the district's LSOAs into local quintiles.
pub const SCORE_INDICATOR: &str = "iod25_imd_score";
/// Monte Carlo draws for the SII and RII intervals.
pub const DRAWS: usize = 10_000;
/// Seed of the Monte Carlo draws, fixed so answers are reproducible.
pub const SEED: u64 = 20_251_030;

/// One deprivation group of the gradient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Decile (1 = most deprived 10% nationally) or local quintile (1 = most deprived fifth of the district).
    pub group: u32,
    /// LSOAs in the group.
    pub lsoas: usize,
    /// Census 2021 usual residents in the group.
    pub population: f64,
    /// The group's value.
    pub value: Option<f64>,
    /// 95% interval.
    pub ci95: Option<Interval>,
    /// 99.8% interval.
    pub ci998: Option<Interval>,
    /// Why the value is withheld, if it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// Where a locality's LSOAs sit in the gradient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    /// Locality id.
    pub id: String,
    /// Locality name.
    pub name: String,
    /// LSOAs in national deciles 1..=10.
    pub by_national_decile: [usize; 10],
    /// LSOAs in local quintiles 1..=5.
    pub by_local_quintile: [usize; 5],
}

/// The full inequality answer for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InequalityReport {
    /// Indicator id.
    pub indicator: String,
    /// Unit.
    pub unit: String,
    /// Period.
    pub period: String,
    /// Groups by national IMD 2025 decile, most deprived first.
    pub by_national_decile: Vec<Group>,
    /// Groups by local quintile of the IMD 2025 score, most deprived first.
    pub by_local_quintile: Vec<Group>,
    /// Slope index of inequality across national deciles: the modelled gap from most to least deprived.
    pub sii: Option<Estimate>,
    /// Relative index of inequality: least over most deprived end of the slope, where that ratio
    /// means something (see [`relative_index`]).
    pub rii: Option<Estimate>,
    /// Why there is no RII where there is an SII.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rii_unavailable: Option<String>,
    /// Why there is no SII, if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sii_unavailable: Option<String>,
    /// Where each locality's LSOAs sit.
    pub localities: Vec<Placement>,
    /// How it was computed.
    pub method: String,
}

/// The RII of a slope, or why a ratio of its ends would mean nothing: the values are ranks, or the
/// Indices' scores (which MHCLG says are not read as ratios), or run below zero (a z-score's 0 is
/// England's average, not none), or the fitted line reaches zero or below at an end (a steep
/// gradient of a rate can cross zero before the least deprived end, and a negative rate has no
/// ratio). `values` are the LSOA values the slope was drawn from.
pub fn relative_index(
    indicator: &Indicator,
    slope: &stats::Inequality,
    values: &[Option<f64>],
) -> Result<Estimate, String> {
    let meaningless = "so a ratio of the slope's ends means nothing";
    if matches!(indicator.value_type, ValueType::Rank | ValueType::Decile) {
        return Err(format!("a rank or decile is an order, not an amount, {meaningless}"));
    }
    if indicator.is_index_score() {
        return Err(format!(
            "MHCLG's guidance is that an area with twice another's score is not twice as deprived, {meaningless}"
        ));
    }
    if values.iter().flatten().any(|v| *v < 0.0) {
        return Err(format!("its values run below zero (its zero is not \"none\"), {meaningless}"));
    }
    let [most, least] = slope.ends;
    match [("most", most), ("least", least)].into_iter().find(|(_, fitted)| *fitted <= 0.0) {
        Some((end, fitted)) => Err(format!(
            "the fitted slope falls to {} at the {end} deprived end, and a ratio needs both ends above zero",
            super::words::figure(fitted, indicator)
        )),
        None => Ok(slope.rii),
    }
}

/// The name of what an inequality view is drawn across: the district, or the atlas's place.
pub fn scope_name<'a>(atlas: &'a Atlas, district: Option<&'a District>) -> &'a str {
    district.map_or(atlas.place().name.as_str(), |d| d.name.as_str())
}

/// Builds the inequality view of an indicator across the atlas's LSOAs.
pub fn inequality(atlas: &Atlas, indicator: &Indicator, disclosure: &Disclosure) -> InequalityReport {
    inequality_in(atlas, indicator, disclosure, None)
}

/// Builds the inequality view of an indicator across one district of an atlas of all England
/// (its own LSOAs, its own local quintiles), as the district's own atlas would, or across the
/// whole atlas when `district` is `None`.
pub fn inequality_in(
    atlas: &Atlas,
    indicator: &Indicator,
    disclosure: &Disclosure,
    district: Option<&District>,
) -> InequalityReport {
    let place = scope_name(atlas, district);
    // The LSOAs the view is drawn across; every other LSOA's values are left out.
    let in_scope = |mut values: Vec<Option<f64>>| {
        if let Some(district) = district {
            let mut kept = vec![None; values.len()];
            for &i in &district.lsoas {
                kept[i] = values[i].take();
            }
            values = kept;
        }
        values
    };
    let deciles: Vec<Option<u32>> =
        in_scope(values(atlas, DECILE_INDICATOR)).into_iter().map(|v| v.map(|v| v as u32)).collect();
    let scores: Vec<Option<f64>> = in_scope(values(atlas, SCORE_INDICATOR));
    let quintiles = stats::phe_quantiles(&scores, 5, true).unwrap_or_else(|_| vec![None; scores.len()]);

    let population = values(atlas, POPULATION_INDICATOR);
    let lsoa_values = in_scope(values(atlas, &indicator.id));
    let by_national_decile = groups(atlas, indicator, &deciles, 10, &population, disclosure);
    let by_local_quintile = groups(atlas, indicator, &quintiles, 5, &population, disclosure);

    let held: Vec<&Group> = by_national_decile.iter().filter(|g| g.lsoas > 0).collect();
    let slope_groups: Result<Vec<InequalityGroup>, String> = if indicator.is_standardised_ratio() {
        Err(format!(
            "no group of LSOAs has a standardised ratio to draw a slope through: {}",
            super::aggregate::NO_AREA_RATIO
        ))
    } else if held.len() < 2 {
        // A slope needs two ends: a district whose LSOAs all sit in one national decile has none.
        Err(format!(
            "{place}'s LSOAs lie in {} national IMD decile{}, and a slope needs at least two",
            held.len(),
            if held.len() == 1 { "" } else { "s" }
        ))
    } else {
        held.iter().map(|g| slope_group(&deciles, &lsoa_values, &population, g)).collect()
    };
    let (sii, relative, sii_unavailable) = match slope_groups
        .and_then(|groups| stats::inequality(&groups, DRAWS, SEED).map_err(|e: StatsError| e.to_string()))
    {
        Ok(result) => (Some(result.sii), Some(relative_index(indicator, &result, &lsoa_values)), None),
        Err(reason) => (None, None, Some(reason)),
    };
    let rii = relative.as_ref().and_then(|r| r.as_ref().ok().copied());
    let rii_unavailable = relative.and_then(Result::err);

    let localities = atlas
        .localities()
        .iter()
        .map(|locality| {
            let mut by_national_decile = [0; 10];
            let mut by_local_quintile = [0; 5];
            for member in &locality.members {
                let Some(i) = atlas.lsoa_index(&member.lsoa21_code) else { continue };
                if let Some(d) = deciles[i].filter(|d| (1..=10).contains(d)) {
                    by_national_decile[d as usize - 1] += 1;
                }
                if let Some(q) = quintiles[i].filter(|q| (1..=5).contains(q)) {
                    by_local_quintile[q as usize - 1] += 1;
                }
            }
            Placement { id: locality.id.clone(), name: locality.name.clone(), by_national_decile, by_local_quintile }
        })
        .collect();

    InequalityReport {
        indicator: indicator.id.clone(),
        unit: indicator.unit.clone(),
        period: indicator.period.clone(),
        by_national_decile,
        by_local_quintile,
        sii,
        rii,
        rii_unavailable,
        sii_unavailable,
        localities,
        method: format!(
            "Groups: {} LSOAs by national IMD 2025 decile and by local quintile of the IMD 2025 score (PHE quantile method). \
             Group values: {}. SII and RII: weighted least squares of group value on the population mid-rank (most to least deprived), \
             intervals from {DRAWS} Monte Carlo draws (seed {SEED}) of each group's value from N(value, SE); SE from the 95% interval, \
             or for indicators without counts the standard error of the population-weighted mean of the group's LSOA values.",
            place,
            super::aggregate::method_of(indicator).describe()
        ),
    }
}

fn values(atlas: &Atlas, id: &str) -> Vec<Option<f64>> {
    let observations = atlas.observations(id).unwrap_or_default();
    (0..atlas.lsoas().len()).map(|i| observations.get(i).copied().flatten().and_then(|o| o.value)).collect()
}

fn members_of(assignments: &[Option<u32>], group: u32) -> Vec<Member> {
    assignments
        .iter()
        .enumerate()
        .filter(|(_, g)| **g == Some(group))
        .map(|(lsoa, _)| Member { lsoa, share: 1.0 })
        .collect()
}

fn groups(
    atlas: &Atlas,
    indicator: &Indicator,
    assignments: &[Option<u32>],
    n: u32,
    population: &[Option<f64>],
    disclosure: &Disclosure,
) -> Vec<Group> {
    (1..=n)
        .map(|group| {
            let members = members_of(assignments, group);
            let figures = aggregate(atlas, indicator, &members, disclosure);
            Group {
                group,
                lsoas: members.len(),
                population: members.iter().filter_map(|m| population[m.lsoa]).sum(),
                value: figures.value,
                ci95: figures.ci95,
                ci998: figures.ci998,
                suppressed: figures.suppressed,
            }
        })
        .collect()
}

/// A group for the slope: SE from its interval, or from the spread of its LSOA values.
fn slope_group(
    deciles: &[Option<u32>],
    lsoa_values: &[Option<f64>],
    population: &[Option<f64>],
    g: &Group,
) -> Result<InequalityGroup, String> {
    let value = g.value.ok_or_else(|| format!("decile {} has no value (missing or suppressed)", g.group))?;
    if let Some(ci95) = g.ci95 {
        return Ok(InequalityGroup::from_ci95(g.population, value, ci95));
    }
    let pairs: Vec<(f64, f64)> =
        members_of(deciles, g.group).iter().filter_map(|m| Some((lsoa_values[m.lsoa]?, population[m.lsoa]?))).collect();
    let standard_error = weighted_standard_error(&pairs)
        .ok_or_else(|| format!("decile {} has too few LSOAs for a standard error", g.group))?;
    Ok(InequalityGroup { population: g.population, value, standard_error })
}

/// Standard error of a weighted mean, with Kish's effective sample size.
fn weighted_standard_error(pairs: &[(f64, f64)]) -> Option<f64> {
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if pairs.len() < 2 || total <= 0.0 {
        return None;
    }
    let mean = pairs.iter().map(|(v, w)| v * w).sum::<f64>() / total;
    let variance = pairs.iter().map(|(v, w)| w * (v - mean).powi(2)).sum::<f64>() / total;
    let effective_n = total.powi(2) / pairs.iter().map(|p| p.1 * p.1).sum::<f64>();
    (effective_n > 1.0).then(|| (variance * effective_n / (effective_n - 1.0) / effective_n).sqrt())
}

#[cfg(test)]
mod tests {
    use super::weighted_standard_error;

    #[test]
    fn equal_weights_give_the_ordinary_standard_error_of_the_mean() {
        let pairs = [(1.0, 5.0), (2.0, 5.0), (3.0, 5.0), (4.0, 5.0)];
        // s = sqrt(5/3), se = s / 2
        let expected = (5.0_f64 / 3.0).sqrt() / 2.0;
        assert!((weighted_standard_error(&pairs).unwrap() - expected).abs() < 1e-12);
        assert_eq!(weighted_standard_error(&pairs[..1]), None);
    }
}
