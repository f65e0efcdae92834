//! Proportions with Wilson score intervals.

use super::validate::{non_negative, positive};
use super::{Confidence, Estimate, Interval, StatsError};

/// The proportion `x / n` (0–1) with Wilson score intervals; `x` may be fractional.
pub fn proportion(x: f64, n: f64) -> Result<Estimate, StatsError> {
    non_negative("numerator", x)?;
    positive("denominator", n)?;
    if x > n {
        return Err(StatsError::NumeratorExceedsDenominator { numerator: x, denominator: n });
    }
    Ok(Estimate::with_intervals(x / n, |level| wilson(x, n, level)))
}

/// The proportion of several `(x, n)` groups taken together: sums first, then one interval.
pub fn proportion_of_groups(groups: &[(f64, f64)]) -> Result<Estimate, StatsError> {
    let mut total = (0.0, 0.0);
    for &(x, n) in groups {
        // Checked per group so that a negative entry cannot hide inside a valid-looking sum.
        total.0 += non_negative("numerator", x)?;
        total.1 += non_negative("denominator", n)?;
    }
    proportion(total.0, total.1)
}

fn wilson(x: f64, n: f64, level: Confidence) -> Interval {
    let z = level.z();
    let z2 = z * z;
    let centre = 2.0 * x + z2;
    let spread = z * (z2 + 4.0 * x * (1.0 - x / n)).sqrt();
    let denominator = 2.0 * (n + z2);
    // At x = 0 or x = n the formula lands on 0 or 1 only up to rounding; clamp so a limit is never
    // a hair outside the possible range.
    Interval { lower: ((centre - spread) / denominator).max(0.0), upper: ((centre + spread) / denominator).min(1.0) }
}

#[cfg(test)]
#[allow(clippy::excessive_precision, reason = "reference values keep every digit they were published or computed with")]
mod tests {
    use super::*;
    use crate::stats::testing::assert_close;

    fn assert_interval(actual: Interval, lower: f64, upper: f64) {
        assert_close(actual.lower, lower, 1e-9);
        assert_close(actual.upper, upper, 1e-9);
    }

    #[test]
    fn sixty_five_in_a_hundred_matches_the_reference_limits() -> Result<(), StatsError> {
        let p = proportion(65.0, 100.0)?;
        assert_close(p.value, 0.65, 1e-12);
        assert_interval(p.ci95, 0.55254443296887967, 0.73635751756902468);
        assert_interval(p.ci998, 0.49549465740704313, 0.77835406140896968);
        Ok(())
    }

    #[test]
    fn one_in_a_hundred_matches_the_reference_limits() -> Result<(), StatsError> {
        let p = proportion(1.0, 100.0)?;
        assert_interval(p.ci95, 0.0017674320641406511, 0.054486196178705294);
        assert_interval(p.ci998, 0.000873065697299977, 0.10455445283705821);
        Ok(())
    }

    #[test]
    fn grouped_input_is_summed_before_the_interval_is_computed() -> Result<(), StatsError> {
        let grouped = proportion_of_groups(&[(40.0, 60.0), (25.0, 40.0)])?;
        assert_eq!(grouped, proportion(65.0, 100.0)?);
        Ok(())
    }

    #[test]
    fn none_and_all_give_limits_inside_zero_to_one() -> Result<(), StatsError> {
        let none = proportion(0.0, 20.0)?;
        let all = proportion(20.0, 20.0)?;
        assert_eq!(none.ci95.lower, 0.0);
        assert_eq!(all.ci998.upper, 1.0);
        assert!(none.ci95.upper > 0.0 && all.ci95.lower < 1.0);
        Ok(())
    }

    #[test]
    fn a_numerator_above_the_denominator_is_an_error() {
        assert!(matches!(proportion(11.0, 10.0), Err(StatsError::NumeratorExceedsDenominator { .. })));
    }

    #[test]
    fn a_zero_denominator_is_an_error() {
        assert!(matches!(proportion(0.0, 0.0), Err(StatsError::NotPositive { .. })));
        assert!(matches!(proportion_of_groups(&[]), Err(StatsError::NotPositive { .. })));
    }

    #[test]
    fn negative_or_missing_counts_are_errors() {
        assert!(matches!(proportion(-1.0, 10.0), Err(StatsError::Negative { .. })));
        assert!(matches!(proportion(f64::NAN, 10.0), Err(StatsError::NotFinite { .. })));
        assert!(matches!(proportion_of_groups(&[(5.0, 10.0), (-2.0, 10.0)]), Err(StatsError::Negative { .. })));
    }
}
