//! Directly standardised rates with Dobson intervals.

use super::rate::byar_limits;
use super::validate::{all_non_negative, all_positive, length, positive};
use super::{Estimate, Interval, Reported, StatsError, Suppression};

/// European Standard Population 2013 weights for the 19 bands 0–4, 5–9, …, 85–89, 90+.
pub const EUROPEAN_STANDARD_POPULATION_2013: [f64; 19] = [
    5000.0, 5500.0, 5500.0, 5500.0, 6000.0, 6000.0, 6500.0, 7000.0, 7000.0, 7000.0, 7000.0, 6500.0, 6000.0, 5500.0,
    5000.0, 4000.0, 2500.0, 1500.0, 1000.0,
];

/// Fewer total events than this and a DSR is not published.
pub const MIN_EVENTS: f64 = 10.0;

/// The DSR per `multiplier` of age-banded `counts` over `populations`, weighted by `standard`.
///
/// All three slices are per age band and must have the same length.
pub fn dsr(counts: &[f64], populations: &[f64], standard: &[f64], multiplier: f64) -> Result<Reported, StatsError> {
    length("age-band counts", standard.len(), counts)?;
    length("age-band populations", standard.len(), populations)?;
    all_non_negative("count", counts)?;
    all_positive("population", populations)?;
    all_non_negative("standard population weight", standard)?;
    positive("multiplier", multiplier)?;
    let total_weight = positive("total standard population", standard.iter().sum())?;

    let observed: f64 = counts.iter().sum();
    if observed < MIN_EVENTS {
        return Ok(Reported::Suppressed { reason: Suppression::FewerThanTenEvents { observed } });
    }
    let bands = || counts.iter().zip(populations).zip(standard);
    let rate = bands().map(|((x, n), w)| x * w / n).sum::<f64>() / total_weight;
    let variance = bands().map(|((x, n), w)| x * (w / n).powi(2)).sum::<f64>() / total_weight.powi(2);
    // Dobson: stretch the Poisson limits of the total count onto the DSR's own scale.
    let spread = (variance / observed).sqrt();
    let estimate = Estimate::with_intervals(rate, |level| {
        let o = byar_limits(observed, level);
        Interval { lower: rate + spread * (o.lower - observed), upper: rate + spread * (o.upper - observed) }
    });
    Ok(Reported::Published(estimate.scaled(multiplier)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testing::assert_close;

    const POPULATIONS: [f64; 19] = [
        636.0, 558.0, 609.0, 543.0, 384.0, 594.0, 669.0, 843.0, 660.0, 576.0, 606.0, 522.0, 426.0, 273.0, 300.0, 288.0,
        153.0, 123.0, 207.0,
    ];
    const COUNTS: [f64; 19] = [
        127.0, 25.0, 18.0, 21.0, 12.0, 27.0, 48.0, 27.0, 29.0, 32.0, 32.0, 34.0, 45.0, 65.0, 38.0, 68.0, 74.0, 82.0,
        91.0,
    ];

    #[test]
    fn the_reference_case_matches_dobson_limits() -> Result<(), StatsError> {
        let reported = dsr(&COUNTS, &POPULATIONS, &EUROPEAN_STANDARD_POPULATION_2013, 100_000.0)?;
        let Some(estimate) = reported.estimate() else {
            panic!("expected a published DSR, got {reported:?}");
        };
        assert_close(estimate.value, 10430.247991469423, 1e-9);
        assert_close(estimate.ci95.lower, 9717.709067985681, 1e-9);
        assert_close(estimate.ci95.upper, 11178.94091547925, 1e-9);
        assert!(estimate.ci998.lower < estimate.ci95.lower);
        assert!(estimate.ci998.upper > estimate.ci95.upper);
        Ok(())
    }

    #[test]
    fn fewer_than_ten_events_are_suppressed_with_a_reason() -> Result<(), StatsError> {
        let mut counts = [0.0; 19];
        counts[18] = 9.0;
        let reported = dsr(&counts, &POPULATIONS, &EUROPEAN_STANDARD_POPULATION_2013, 100_000.0)?;
        assert_eq!(reported, Reported::Suppressed { reason: Suppression::FewerThanTenEvents { observed: 9.0 } });
        Ok(())
    }

    #[test]
    fn the_wrong_number_of_age_bands_is_an_error() {
        let result = dsr(&COUNTS[..18], &POPULATIONS, &EUROPEAN_STANDARD_POPULATION_2013, 1.0);
        assert!(matches!(result, Err(StatsError::WrongLength { expected: 19, found: 18, .. })));
    }

    #[test]
    fn negative_counts_and_zero_populations_are_errors() {
        let mut counts = COUNTS;
        counts[3] = -1.0;
        let esp = EUROPEAN_STANDARD_POPULATION_2013;
        assert!(matches!(dsr(&counts, &POPULATIONS, &esp, 1.0), Err(StatsError::Negative { .. })));
        let mut populations = POPULATIONS;
        populations[0] = 0.0;
        assert!(matches!(dsr(&COUNTS, &populations, &esp, 1.0), Err(StatsError::NotPositive { .. })));
    }
}
