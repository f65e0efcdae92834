//! Crude rates and Poisson limits for counts: exact below 10 events, Byar's from 10.

use statrs::distribution::{Continuous, ContinuousCDF, Gamma};
use statrs::function::gamma::{gamma_lr, gamma_ur};

use super::validate::{non_negative, positive};
use super::{Confidence, Estimate, Interval, StatsError};

/// Counts below this use exact Poisson limits; from it on, Byar's approximation.
pub const EXACT_BELOW: f64 = 10.0;

/// The crude rate `x / n × multiplier` with Poisson intervals.
pub fn crude_rate(x: f64, n: f64, multiplier: f64) -> Result<Estimate, StatsError> {
    non_negative("count", x)?;
    positive("denominator", n)?;
    positive("multiplier", multiplier)?;
    let per_unit = Estimate::with_intervals(x, |level| poisson_limits(x, level));
    Ok(per_unit.scaled(multiplier / n))
}

/// Limits of a Poisson count `x` at `level`: exact when `x < 10`, Byar's otherwise.
pub fn count_interval(x: f64, level: Confidence) -> Result<Interval, StatsError> {
    non_negative("count", x)?;
    Ok(poisson_limits(x, level))
}

/// Limits of a count already checked to be finite and non-negative.
pub(crate) fn poisson_limits(x: f64, level: Confidence) -> Interval {
    if x < EXACT_BELOW { exact_limits(x, level) } else { byar_limits(x, level) }
}

/// Byar's approximation; callers guarantee `x > 0`.
pub(crate) fn byar_limits(x: f64, level: Confidence) -> Interval {
    let z = level.z();
    let lower = x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3);
    let y = x + 1.0;
    let upper = y * (1.0 - 1.0 / (9.0 * y) + z / (3.0 * y.sqrt())).powi(3);
    Interval { lower, upper }
}

/// Exact limits χ²⁻¹(α; 2x)/2 and χ²⁻¹(1 − α; 2x + 2)/2, written as gamma quantiles with shape x
/// and x + 1, which is the same thing without the halving.
fn exact_limits(x: f64, level: Confidence) -> Interval {
    let tail = level.tail();
    let lower = if x > 0.0 { gamma_quantile(x, tail, Tail::Lower) } else { 0.0 };
    Interval { lower, upper: gamma_quantile(x + 1.0, tail, Tail::Upper) }
}

#[derive(Clone, Copy)]
enum Tail {
    Lower,
    Upper,
}

/// The point of a Gamma(shape, 1) distribution with probability `alpha` in the given tail.
// statrs' inverse CDF stops its Newton iteration at about 1e-11 relative in the upper tail
// (χ²⁻¹(0.975; 2) is 7e-11 off), because it solves CDF = 1 − α where the CDF has lost digits.
// That is inside 1e-9 but leaves little margin, so we polish it with Newton steps on the tail
// probability itself (lower regularised gamma below, upper above), which statrs computes to
// near machine precision; two or three steps reach the last digit.
fn gamma_quantile(shape: f64, alpha: f64, tail: Tail) -> f64 {
    let Ok(gamma) = Gamma::new(shape, 1.0) else {
        return f64::NAN; // unreachable: callers pass shape > 0
    };
    let mut x = match tail {
        Tail::Lower => gamma.inverse_cdf(alpha),
        Tail::Upper => gamma.inverse_cdf(1.0 - alpha),
    };
    for _ in 0..4 {
        let excess = match tail {
            Tail::Lower => gamma_lr(shape, x) - alpha,
            Tail::Upper => alpha - gamma_ur(shape, x),
        };
        let step = excess / gamma.pdf(x);
        if !step.is_finite() || x - step <= 0.0 {
            break;
        }
        x -= step;
        if step.abs() <= x * f64::EPSILON {
            break;
        }
    }
    x
}

#[cfg(test)]
#[allow(clippy::excessive_precision, reason = "reference values keep every digit they were published or computed with")]
mod tests {
    use super::*;
    use crate::stats::testing::assert_close;

    #[test]
    fn one_death_in_a_hundred_uses_exact_limits() -> Result<(), StatsError> {
        let rate = crude_rate(1.0, 100.0, 100_000.0)?;
        assert_close(rate.value, 1000.0, 1e-12);
        assert_close(rate.ci95.lower, 25.317807984289896, 1e-9);
        assert_close(rate.ci95.upper, 5571.6433909388979, 1e-9);
        Ok(())
    }

    #[test]
    fn sixty_five_in_a_hundred_uses_byars_limits() -> Result<(), StatsError> {
        let rate = crude_rate(65.0, 100.0, 100.0)?;
        assert_close(rate.value, 65.0, 1e-12);
        assert_close(rate.ci95.lower, 50.163187710459454, 1e-9);
        assert_close(rate.ci95.upper, 82.849138545939837, 1e-9);
        Ok(())
    }

    #[test]
    fn exact_limits_agree_with_high_precision_gamma_quantiles() -> Result<(), StatsError> {
        // (x, level, lower, upper) from 40-digit bisection on the regularised incomplete gamma.
        let cases = [
            (0.0, Confidence::P95, 0.0, 3.6888794541139363),
            (1.0, Confidence::P998, 0.0010005003335835335, 9.2334134764515857),
            (4.0, Confidence::P998, 0.42855241362842297, 14.794149222537209),
            (6.0, Confidence::P95, 2.2018942534908508, 13.059474022518685),
            (9.0, Confidence::P95, 4.1153730973783324, 17.08480345141917),
        ];
        for (x, level, lower, upper) in cases {
            let interval = count_interval(x, level)?;
            if lower == 0.0 {
                assert_eq!(interval.lower, 0.0);
            } else {
                assert_close(interval.lower, lower, 1e-13);
            }
            assert_close(interval.upper, upper, 1e-13);
        }
        Ok(())
    }

    #[test]
    fn a_zero_count_has_a_zero_lower_limit() -> Result<(), StatsError> {
        let rate = crude_rate(0.0, 500.0, 1000.0)?;
        assert_eq!((rate.value, rate.ci95.lower, rate.ci998.lower), (0.0, 0.0, 0.0));
        assert!(rate.ci998.upper > rate.ci95.upper);
        Ok(())
    }

    #[test]
    fn negative_counts_and_zero_denominators_are_errors() {
        assert!(matches!(crude_rate(-1.0, 100.0, 1.0), Err(StatsError::Negative { .. })));
        assert!(matches!(crude_rate(1.0, 0.0, 1.0), Err(StatsError::NotPositive { .. })));
        assert!(matches!(crude_rate(1.0, 10.0, 0.0), Err(StatsError::NotPositive { .. })));
        assert!(matches!(count_interval(f64::INFINITY, Confidence::P95), Err(StatsError::NotFinite { .. })));
    }
}
