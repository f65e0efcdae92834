//! Slope and relative index of inequality (SII, RII) with Monte Carlo intervals.

use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64;
use rand_pcg::rand_core::SeedableRng;
use serde::Serialize;

use super::regression::Design;
use super::validate::{finite, non_negative, positive};
use super::{Confidence, Estimate, Interval, StatsError};

/// Fewest Monte Carlo draws accepted; fewer leave the 99.8% limits too noisy to publish.
pub const MIN_DRAWS: usize = 10_000;

/// One group (e.g. a deprivation decile), given in order from most to least deprived.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InequalityGroup {
    /// The group's population, which sets its share and mid-rank.
    pub population: f64,
    /// The indicator value for the group.
    pub value: f64,
    /// The standard error of `value`.
    pub standard_error: f64,
}

impl InequalityGroup {
    /// A group whose standard error is recovered from its 95% interval as (upper − lower)/(2z).
    pub fn from_ci95(population: f64, value: f64, ci95: Interval) -> Self {
        // PHEindicatormethods divides by 2·qnorm(0.975), not the rounded 1.96.
        let standard_error = ci95.width() / (2.0 * Confidence::P95.z());
        InequalityGroup { population, value, standard_error }
    }
}

/// The SII (slope across the population, most to least deprived) and RII (top over bottom).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Inequality {
    /// Slope index of inequality, β₁.
    pub sii: Estimate,
    /// Relative index of inequality, (β₀ + β₁)/β₀.
    pub rii: Estimate,
    /// The fitted values at the most and the least deprived ends, β₀ and β₀ + β₁: the RII is their
    /// ratio, which means something only when both are above zero.
    pub ends: [f64; 2],
}

/// SII and RII of `groups` with intervals from `draws` simulations seeded by `seed`.
///
/// The same groups, draws and seed always give the same intervals.
pub fn inequality(groups: &[InequalityGroup], draws: usize, seed: u64) -> Result<Inequality, StatsError> {
    if groups.len() < 2 {
        return Err(StatsError::TooFew { what: "an inequality slope (groups)", needed: 2, found: groups.len() });
    }
    if draws < MIN_DRAWS {
        return Err(StatsError::TooFew { what: "Monte Carlo intervals (draws)", needed: MIN_DRAWS, found: draws });
    }
    let mut noise = Vec::with_capacity(groups.len());
    for g in groups {
        positive("group population", g.population)?;
        finite("group value", g.value)?;
        let se = non_negative("group standard error", g.standard_error)?;
        noise.push(
            Normal::new(g.value, se)
                .map_err(|_| StatsError::Undefined("a normal distribution with this standard error"))?,
        );
    }
    let fit = rank_design(groups)?;
    let values: Vec<f64> = groups.iter().map(|g| g.value).collect();
    let (intercept, slope) = fit.line(&values);
    if intercept == 0.0 {
        return Err(StatsError::Undefined("the fitted value for the most deprived is zero"));
    }

    let mut rng = Pcg64::seed_from_u64(seed);
    let mut simulated = vec![0.0; groups.len()];
    let mut slopes = Vec::with_capacity(draws);
    let mut ratios = Vec::with_capacity(draws);
    for _ in 0..draws {
        for (y, normal) in simulated.iter_mut().zip(&noise) {
            *y = normal.sample(&mut rng);
        }
        let (b0, b1) = fit.line(&simulated);
        slopes.push(b1);
        ratios.push((b0 + b1) / b0);
    }
    Ok(Inequality {
        sii: percentile_estimate(slope, slopes),
        rii: percentile_estimate((intercept + slope) / intercept, ratios),
        ends: [intercept, intercept + slope],
    })
}

/// The weighted least-squares design of value on mid-rank: each group's mid-point in the cumulative
/// population share, weighted by its population.
fn rank_design(groups: &[InequalityGroup]) -> Result<Design, StatsError> {
    let total: f64 = groups.iter().map(|g| g.population).sum();
    let mut below = 0.0;
    let ranks: Vec<f64> = groups
        .iter()
        .map(|g| {
            let share = g.population / total;
            let mid = below + share / 2.0;
            below += share;
            mid
        })
        .collect();
    let populations: Vec<f64> = groups.iter().map(|g| g.population).collect();
    Design::new(&ranks, &populations).ok_or(StatsError::Undefined("a slope across groups of no spread"))
}

fn percentile_estimate(value: f64, mut draws: Vec<f64>) -> Estimate {
    draws.sort_by(f64::total_cmp);
    Estimate::with_intervals(value, |level: Confidence| {
        let upper = level.level() + level.tail();
        Interval { lower: order_statistic(&draws, 1.0 - upper), upper: order_statistic(&draws, upper) }
    })
}

/// The draw at 1-based position round(n·p), R rounding half to even, as PHEindicatormethods
/// picks its limits (no interpolation).
fn order_statistic(sorted: &[f64], p: f64) -> f64 {
    let position = (sorted.len() as f64 * p).round_ties_even() as usize;
    sorted[position.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
#[allow(clippy::excessive_precision, reason = "reference values keep every digit they were published or computed with")]
mod tests {
    use super::*;
    use crate::stats::testing::assert_close;

    fn deciles() -> Vec<InequalityGroup> {
        let populations = [7291.0, 7997.0, 6105.0, 7666.0, 5790.0, 6934.0, 5918.0, 5974.0, 7147.0, 7534.0];
        let values = [
            75.9334590103081,
            78.3442382727843,
            83.8360631041654,
            83.6375399664931,
            80.4655031529559,
            81.1156759857022,
            81.6930835718562,
            84.1900062060987,
            80.5955641081472,
            86.2894349578624,
        ];
        let ses = [1.638472, 1.578193, 1.513436, 1.775491, 1.701339, 1.564121, 1.368115, 1.400142, 2.432846, 1.566518];
        (0..10)
            .map(|i| InequalityGroup { population: populations[i], value: values[i], standard_error: ses[i] })
            .collect()
    }

    #[test]
    fn the_reference_deciles_give_the_published_sii_and_rii() -> Result<(), StatsError> {
        let result = inequality(&deciles(), MIN_DRAWS, 1)?;
        assert_close(result.sii.value, 6.9346164736688189, 1e-9);
        assert_close(result.rii.value, 1.0888180804446217, 1e-9);
        Ok(())
    }

    #[test]
    fn the_monte_carlo_sii_interval_matches_the_reference_within_five_hundredths() -> Result<(), StatsError> {
        // A million draws: at 100,000 the 2.5th percentile still wanders by about ±0.03.
        let sii = inequality(&deciles(), 1_000_000, 2024)?.sii;
        assert!((sii.ci95.lower - 3.13).abs() <= 0.05, "lower {}", sii.ci95.lower);
        assert!((sii.ci95.upper - 10.76).abs() <= 0.05, "upper {}", sii.ci95.upper);
        // The SII is linear in the draws, so its limits converge on SII ± z·SD(β₁) exactly:
        // 3.0898954842549538 – 10.779337463082683 for these deciles.
        assert!((sii.ci95.lower - 3.0898954842549538).abs() <= 0.02);
        assert!((sii.ci95.upper - 10.779337463082683).abs() <= 0.02);
        assert!(sii.ci998.lower < sii.ci95.lower && sii.ci998.upper > sii.ci95.upper);
        Ok(())
    }

    #[test]
    fn the_same_seed_gives_the_same_intervals_and_another_seed_does_not() -> Result<(), StatsError> {
        let first = inequality(&deciles(), MIN_DRAWS, 7)?;
        assert_eq!(first, inequality(&deciles(), MIN_DRAWS, 7)?);
        assert_ne!(first.sii.ci95, inequality(&deciles(), MIN_DRAWS, 8)?.sii.ci95);
        Ok(())
    }

    #[test]
    fn a_standard_error_can_come_from_a_95_interval() {
        let group = InequalityGroup::from_ci95(100.0, 80.0, Interval { lower: 76.0, upper: 84.0 });
        assert_close(group.standard_error, 4.0 / 1.959963984540054, 1e-12);
    }

    #[test]
    fn fewer_than_ten_thousand_draws_is_an_error() {
        assert!(matches!(inequality(&deciles(), MIN_DRAWS - 1, 1), Err(StatsError::TooFew { needed: MIN_DRAWS, .. })));
    }

    #[test]
    fn a_single_group_or_an_empty_group_is_an_error() {
        let groups = deciles();
        assert!(matches!(inequality(&groups[..1], MIN_DRAWS, 1), Err(StatsError::TooFew { .. })));
        let mut groups = deciles();
        groups[4].population = 0.0;
        assert!(matches!(inequality(&groups, MIN_DRAWS, 1), Err(StatsError::NotPositive { .. })));
        groups[4].population = 10.0;
        groups[4].standard_error = -1.0;
        assert!(matches!(inequality(&groups, MIN_DRAWS, 1), Err(StatsError::Negative { .. })));
    }
}
