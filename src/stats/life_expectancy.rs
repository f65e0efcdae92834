//! Life expectancy: Chiang II abridged life table with Silcocks' variance for the last band.

use super::validate::{all_non_negative, all_positive, length};
use super::{Confidence, Estimate, Interval, Reported, StatsError, Suppression};

/// Start ages of the 20 bands: 0, 1–4, 5–9, …, 85–89, 90+.
pub const AGE_BAND_STARTS: [u32; 20] = [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

/// Areas with a total population at or below this get no life expectancy.
pub const MIN_POPULATION: f64 = 5000.0;

/// Values whose 95% interval is wider than this many years are withheld.
pub const MAX_CI95_WIDTH: f64 = 20.0;

const RADIX: f64 = 100_000.0;

/// Life expectancy at birth from deaths and populations in the 20 [`AGE_BAND_STARTS`] bands.
pub fn life_expectancy_at_birth(deaths: &[f64], populations: &[f64]) -> Result<Reported, StatsError> {
    // The table always has one entry per band, so index 0 exists once validation has passed.
    Ok(life_expectancy(deaths, populations)?[0])
}

/// Life expectancy at each start age in [`AGE_BAND_STARTS`], in that order.
pub fn life_expectancy(deaths: &[f64], populations: &[f64]) -> Result<Vec<Reported>, StatsError> {
    let bands = AGE_BAND_STARTS.len();
    length("age-band deaths", bands, deaths)?;
    length("age-band populations", bands, populations)?;
    all_non_negative("deaths", deaths)?;
    all_positive("population", populations)?;
    for (band, (&d, &p)) in deaths.iter().zip(populations).enumerate() {
        if d > p {
            return Err(StatsError::DeathsExceedPopulation { band, deaths: d, population: p });
        }
    }
    let population: f64 = populations.iter().sum();
    if population <= MIN_POPULATION {
        let reason = Suppression::PopulationAtMost5000 { population };
        return Ok(vec![Reported::Suppressed { reason }; bands]);
    }
    if deaths[bands - 1] == 0.0 {
        return Err(StatsError::Undefined("no deaths in the final (90+) age band, so its years lived are unbounded"));
    }
    let table = LifeTable::new(deaths, populations)?;
    Ok((0..bands).map(|i| table.reported(i)).collect())
}

/// The columns of the life table needed for eᵢ and its standard error.
struct LifeTable {
    survivors: Vec<f64>,
    expectancy: Vec<f64>,
    /// Σⱼ≥ᵢ Wⱼ, the Silcocks variance numerator.
    variance_sum: Vec<f64>,
}

impl LifeTable {
    fn new(deaths: &[f64], populations: &[f64]) -> Result<Self, StatsError> {
        let bands = deaths.len();
        let last = bands - 1;
        let mortality: Vec<f64> = deaths.iter().zip(populations).map(|(d, p)| d / p).collect();
        let width = |i: usize| f64::from(AGE_BAND_STARTS[i + 1] - AGE_BAND_STARTS[i]);
        let fraction = |i: usize| if i == 0 { 0.1 } else { 0.5 };

        let mut q = vec![1.0; bands];
        for i in 0..last {
            let (n, a, m) = (width(i), fraction(i), mortality[i]);
            q[i] = n * m / (1.0 + n * m * (1.0 - a));
            // PHEindicatormethods caps such bands at q = 1, leaving nobody alive for the later
            // bands and their intervals undefined; better to refuse than to return that table.
            if q[i] >= 1.0 {
                return Err(StatsError::Undefined("an age band's death rate implies everyone dies within it"));
            }
        }
        let mut l = vec![RADIX; bands + 1];
        for i in 0..bands {
            l[i + 1] = l[i] * (1.0 - q[i]);
        }
        let mut years_lived: Vec<f64> =
            (0..last).map(|i| width(i) * (l[i + 1] + fraction(i) * (l[i] - l[i + 1]))).collect();
        years_lived.push(l[last] / mortality[last]);

        let mut expectancy = vec![0.0; bands];
        let mut total = 0.0;
        for i in (0..bands).rev() {
            total += years_lived[i];
            expectancy[i] = total / l[i];
        }

        let mut variance_sum = vec![0.0; bands];
        let mut w_total = (l[last] / 2.0).powi(2) * 4.0 / (deaths[last] * mortality[last].powi(2));
        variance_sum[last] = w_total;
        for i in (0..last).rev() {
            let s2 = if deaths[i] == 0.0 { 0.0 } else { q[i].powi(2) * (1.0 - q[i]) / deaths[i] };
            let span = (1.0 - fraction(i)) * width(i) + expectancy[i + 1];
            w_total += s2 * l[i].powi(2) * span.powi(2);
            variance_sum[i] = w_total;
        }
        l.truncate(bands);
        Ok(LifeTable { survivors: l, expectancy, variance_sum })
    }

    fn reported(&self, i: usize) -> Reported {
        let e = self.expectancy[i];
        let se = self.variance_sum[i].sqrt() / self.survivors[i];
        let estimate = Estimate::with_intervals(e, |level: Confidence| Interval {
            lower: e - level.z() * se,
            upper: e + level.z() * se,
        });
        let width = estimate.ci95.width();
        if width > MAX_CI95_WIDTH {
            Reported::ValueWithheld {
                ci95: estimate.ci95,
                ci998: estimate.ci998,
                reason: Suppression::IntervalWiderThan20Years { width },
            }
        } else {
            Reported::Published(estimate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POPULATIONS: [f64; 20] = [
        7060.0, 35059.0, 46974.0, 48489.0, 43219.0, 38561.0, 46009.0, 57208.0, 61435.0, 55601.0, 50209.0, 56416.0,
        46411.0, 39820.0, 37978.0, 37039.0, 33288.0, 23306.0, 11936.0, 11936.0,
    ];
    const DEATHS: [f64; 20] = [
        17.0, 9.0, 4.0, 8.0, 20.0, 15.0, 24.0, 33.0, 50.0, 71.0, 100.0, 163.0, 263.0, 304.0, 536.0, 872.0, 1390.0,
        1605.0, 1936.0, 1937.0,
    ];

    fn assert_4dp(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 5e-5, "{actual} is not {expected} to 4 dp");
    }

    #[test]
    fn the_reference_case_gives_life_expectancy_at_birth_to_four_decimals() -> Result<(), StatsError> {
        let reported = life_expectancy_at_birth(&DEATHS, &POPULATIONS)?;
        let Some(e0) = reported.estimate() else {
            panic!("expected a published life expectancy, got {reported:?}");
        };
        assert_4dp(e0.value, 80.16960813);
        assert_4dp(e0.ci95.lower, 79.88268548);
        assert_4dp(e0.ci95.upper, 80.45653078);
        assert!(e0.ci998.lower < e0.ci95.lower && e0.ci998.upper > e0.ci95.upper);
        Ok(())
    }

    #[test]
    fn life_expectancy_falls_with_each_later_start_age() -> Result<(), StatsError> {
        let table = life_expectancy(&DEATHS, &POPULATIONS)?;
        let values: Vec<f64> = table.iter().filter_map(Reported::value).collect();
        assert_eq!(values.len(), 20);
        // Remaining years can rise after infancy, so compare from age 1 on.
        assert!(values[1..].windows(2).all(|w| w[0] > w[1]));
        Ok(())
    }

    #[test]
    fn a_population_of_5000_or_fewer_is_not_published() -> Result<(), StatsError> {
        let populations = [250.0; 20];
        let deaths = [1.0; 20];
        let reported = life_expectancy_at_birth(&deaths, &populations)?;
        assert_eq!(reported.reason(), Some(Suppression::PopulationAtMost5000 { population: 5000.0 }));
        assert_eq!(reported.interval(Confidence::P95), None);
        Ok(())
    }

    #[test]
    fn a_value_with_a_95_interval_wider_than_20_years_is_withheld_but_keeps_its_interval() -> Result<(), StatsError> {
        let populations = [300.0; 20];
        let mut deaths = [0.0; 20];
        deaths[19] = 1.0;
        let reported = life_expectancy_at_birth(&deaths, &populations)?;
        assert_eq!(reported.value(), None);
        let Some(ci) = reported.interval(Confidence::P95) else {
            panic!("expected the interval to be kept, got {reported:?}");
        };
        assert!(ci.width() > MAX_CI95_WIDTH);
        assert!(matches!(reported.reason(), Some(Suppression::IntervalWiderThan20Years { .. })));
        Ok(())
    }

    #[test]
    fn a_missing_age_band_is_an_error() {
        assert!(matches!(
            life_expectancy(&DEATHS[..19], &POPULATIONS[..19]),
            Err(StatsError::WrongLength { expected: 20, found: 19, .. })
        ));
    }

    #[test]
    fn more_deaths_than_people_in_a_band_is_an_error() {
        let mut deaths = DEATHS;
        deaths[3] = POPULATIONS[3] + 1.0;
        assert!(matches!(
            life_expectancy(&deaths, &POPULATIONS),
            Err(StatsError::DeathsExceedPopulation { band: 3, .. })
        ));
    }

    #[test]
    fn negative_deaths_and_empty_bands_are_errors() {
        let mut deaths = DEATHS;
        deaths[0] = -1.0;
        assert!(matches!(life_expectancy(&deaths, &POPULATIONS), Err(StatsError::Negative { .. })));
        let mut populations = POPULATIONS;
        populations[5] = 0.0;
        assert!(matches!(life_expectancy(&DEATHS, &populations), Err(StatsError::NotPositive { .. })));
    }

    #[test]
    fn no_deaths_in_the_final_band_is_an_error_not_an_infinite_value() {
        let mut deaths = DEATHS;
        deaths[19] = 0.0;
        assert!(matches!(life_expectancy(&deaths, &POPULATIONS), Err(StatsError::Undefined(_))));
    }
}
