//! Indirectly standardised ratios and rates.

use serde::Serialize;

use super::rate::poisson_limits;
use super::validate::{all_non_negative, all_positive, length, positive};
use super::{Estimate, StatsError};

/// An indirectly standardised ratio with what it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Isr {
    /// Observed events, Σxᵢ.
    pub observed: f64,
    /// Expected events at the reference rates, Σ(refcountᵢ/refpopᵢ × nᵢ).
    pub expected: f64,
    /// The reference population's crude rate, Σrefcount/Σrefpop.
    pub reference_rate: f64,
    /// O/E with exact (O < 10) or Byar's limits of O divided by E; `scaled(100.0)` for ×100.
    pub ratio: Estimate,
}

impl Isr {
    /// The indirectly standardised rate per `multiplier`: the ratio times the reference rate.
    pub fn rate(&self, multiplier: f64) -> Estimate {
        self.ratio.scaled(self.reference_rate * multiplier)
    }
}

/// The ISR of age-banded `counts` and `populations` against reference counts and populations.
pub fn isr(
    counts: &[f64],
    populations: &[f64],
    reference_counts: &[f64],
    reference_populations: &[f64],
) -> Result<Isr, StatsError> {
    let bands = reference_populations.len();
    length("age-band counts", bands, counts)?;
    length("age-band populations", bands, populations)?;
    length("reference age-band counts", bands, reference_counts)?;
    all_non_negative("count", counts)?;
    all_non_negative("population", populations)?;
    all_non_negative("reference count", reference_counts)?;
    all_positive("reference population", reference_populations)?;

    let expected =
        reference_counts.iter().zip(reference_populations).zip(populations).map(|((c, p), n)| c / p * n).sum::<f64>();
    if expected <= 0.0 {
        return Err(StatsError::Undefined("no expected events: the reference rates or local populations are all zero"));
    }
    let observed: f64 = counts.iter().sum();
    let reference_rate = reference_counts.iter().sum::<f64>()
        / positive("total reference population", reference_populations.iter().sum())?;
    let ratio = Estimate::with_intervals(observed, |level| poisson_limits(observed, level)).scaled(1.0 / expected);
    Ok(Isr { observed, expected, reference_rate, ratio })
}

#[cfg(test)]
#[allow(clippy::excessive_precision, reason = "reference values keep every digit they were published or computed with")]
mod tests {
    use super::*;
    use crate::stats::testing::assert_close;

    // Reference values below were computed independently in 40-digit arithmetic.
    const REF_COUNTS: [f64; 3] = [500.0, 1200.0, 2400.0];
    const REF_POPULATIONS: [f64; 3] = [100_000.0, 110_000.0, 90_000.0];
    const POPULATIONS: [f64; 3] = [1000.0, 1500.0, 1200.0];

    #[test]
    fn sixty_five_events_use_byars_limits_over_the_expected_count() -> Result<(), StatsError> {
        let isr = isr(&[10.0, 20.0, 35.0], &POPULATIONS, &REF_COUNTS, &REF_POPULATIONS)?;
        assert_close(isr.expected, 53.363636363636363636, 1e-12);
        assert_close(isr.ratio.value, 1.2180579216354344123, 1e-12);
        assert_close(isr.ratio.ci95.lower, 0.94002566408015992542, 1e-9);
        assert_close(isr.ratio.ci95.upper, 1.5525392231777485995, 1e-9);
        assert_close(isr.ratio.ci998.lower, 0.80354834103284872853, 1e-9);
        assert_close(isr.ratio.ci998.upper, 1.7615045984454820097, 1e-9);
        let rate = isr.rate(100_000.0);
        assert_close(rate.value, 1664.6791595684270301, 1e-9);
        assert_close(rate.ci95.lower, 1284.7017409095518981, 1e-9);
        assert_close(rate.ci998.upper, 2407.3896178754920799, 1e-9);
        Ok(())
    }

    #[test]
    fn six_events_use_exact_limits_over_the_expected_count() -> Result<(), StatsError> {
        let isr = isr(&[1.0, 2.0, 3.0], &POPULATIONS, &REF_COUNTS, &REF_POPULATIONS)?;
        assert_close(isr.ratio.value, 0.11243611584327086882, 1e-12);
        assert_close(isr.ratio.ci95.lower, 0.041262072893354955586, 1e-9);
        assert_close(isr.ratio.ci95.upper, 0.24472608900801625094, 1e-9);
        assert_close(isr.ratio.ci998.lower, 0.020746424638521350663, 1e-9);
        assert_close(isr.ratio.ci998.upper, 0.33846338201395190599, 1e-9);
        assert_close(isr.ratio.scaled(100.0).value, 11.243611584327086882, 1e-12);
        Ok(())
    }

    #[test]
    fn mismatched_age_bands_are_an_error() {
        assert!(matches!(
            isr(&[1.0, 2.0], &POPULATIONS, &REF_COUNTS, &REF_POPULATIONS),
            Err(StatsError::WrongLength { expected: 3, found: 2, .. })
        ));
    }

    #[test]
    fn no_expected_events_is_an_error_not_an_infinite_ratio() {
        assert!(matches!(
            isr(&[1.0, 2.0, 3.0], &[0.0; 3], &REF_COUNTS, &REF_POPULATIONS),
            Err(StatsError::Undefined(_))
        ));
    }

    #[test]
    fn negative_counts_and_zero_reference_populations_are_errors() {
        assert!(matches!(
            isr(&[1.0, -2.0, 3.0], &POPULATIONS, &REF_COUNTS, &REF_POPULATIONS),
            Err(StatsError::Negative { .. })
        ));
        assert!(matches!(
            isr(&[1.0, 2.0, 3.0], &POPULATIONS, &REF_COUNTS, &[1.0, 0.0, 1.0]),
            Err(StatsError::NotPositive { .. })
        ));
    }
}
