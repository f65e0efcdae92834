//! The ratio of two proportions (an area's rate ÷ a benchmark's rate) with the log-method interval,
//! and whether such a ratio moved between two periods.
//!
//! The log method (Katz et al., 1978): ln R is close to normal with standard error
//! √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂), so the limits are R·exp(∓z·SE). It is the interval of
//! `scipy.stats.contingency.relative_risk` and of Fingertips' ratio indicators. The two rates are
//! treated as independent; when the area is part of the benchmark (a locality within England) the
//! covariance is positive, so the interval is slightly wider than it need be: conservative.
//!
//! ```
//! use locality_atlas::stats::rate_ratio;
//! let r = rate_ratio(65.0, 100.0, 1300.0, 4000.0).unwrap();
//! assert_eq!(r.ratio.value, 2.0);
//! assert!((r.ratio.ci95.lower - 1.7203889999103283).abs() < 1e-12);
//! ```

use serde::Serialize;

use super::validate::{non_negative, positive};
use super::{Confidence, Estimate, Interval, StatsError};

/// An area's rate as a multiple of a benchmark's rate, with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RateRatio {
    /// The ratio and its 95% and 99.8% log-method intervals.
    pub ratio: Estimate,
    /// Standard error of ln(ratio), for comparing ratios.
    pub log_se: f64,
}

/// The ratio of `x1/n1` to `x2/n2` with log-method intervals; both counts must be above zero.
pub fn rate_ratio(x1: f64, n1: f64, x2: f64, n2: f64) -> Result<RateRatio, StatsError> {
    for (what, x, n) in [("area count", x1, n1), ("benchmark count", x2, n2)] {
        positive(what, non_negative(what, x)?)?;
        positive("denominator", n)?;
        if x > n {
            return Err(StatsError::NumeratorExceedsDenominator { numerator: x, denominator: n });
        }
    }
    let value = (x1 / n1) / (x2 / n2);
    let log_se = (1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2).max(0.0).sqrt();
    let ratio = Estimate::with_intervals(value, |level| {
        let spread = (level.z() * log_se).exp();
        Interval { lower: value / spread, upper: value * spread }
    });
    Ok(RateRatio { ratio, log_se })
}

/// How a ratio moved from an earlier period to a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RatioMove {
    /// Significantly higher at 95%.
    Higher,
    /// Significantly lower at 95%.
    Lower,
    /// The difference is within what chance gives at 95%.
    NoSignificantChange,
}

/// Compares two ratios on the log scale: z = (ln later − ln earlier) ÷ √(SE₁² + SE₂²), the two
/// periods' data being independent samples.
pub fn ratio_move(earlier: &RateRatio, later: &RateRatio) -> RatioMove {
    let se = (earlier.log_se.powi(2) + later.log_se.powi(2)).sqrt();
    let difference = later.ratio.value.ln() - earlier.ratio.value.ln();
    if se.is_nan() || se <= 0.0 || difference.abs() <= Confidence::P95.z() * se {
        RatioMove::NoSignificantChange
    } else if difference > 0.0 {
        RatioMove::Higher
    } else {
        RatioMove::Lower
    }
}

#[cfg(test)]
#[allow(clippy::excessive_precision, reason = "reference values keep every digit they were computed with")]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} vs {b}");
    }

    /// Reference values: scipy.stats.contingency.relative_risk(x1, n1, x2, n2).confidence_interval()
    /// at 95% and 99.8%: (x1, n1, x2, n2, ratio, [lower95, upper95, lower998, upper998]).
    const SCIPY: [(f64, f64, f64, f64, f64, [f64; 4]); 2] = [
        (
            65.0,
            100.0,
            1300.0,
            4000.0,
            2.0,
            [1.7203889999103283, 2.325055554417339, 1.5772843109843016, 2.5360044299837146],
        ),
        (
            7.0,
            250.0,
            52000.0,
            480000.0,
            0.25846153846153846,
            [0.12450549282638669, 0.5365415239716056, 0.0817075034210699, 0.8175793417606615],
        ),
    ];

    #[test]
    fn the_interval_is_the_log_method_of_scipy() {
        for (x1, n1, x2, n2, value, limits) in SCIPY {
            let r = rate_ratio(x1, n1, x2, n2).unwrap();
            close(r.ratio.value, value);
            let got = [r.ratio.ci95.lower, r.ratio.ci95.upper, r.ratio.ci998.lower, r.ratio.ci998.upper];
            for (g, l) in got.into_iter().zip(limits) {
                close(g, l);
            }
        }
    }

    #[test]
    fn a_zero_count_or_a_count_above_its_denominator_is_refused() {
        assert!(rate_ratio(0.0, 100.0, 10.0, 100.0).is_err());
        assert!(rate_ratio(10.0, 100.0, 0.0, 100.0).is_err());
        assert!(rate_ratio(101.0, 100.0, 10.0, 100.0).is_err());
        assert!(rate_ratio(f64::NAN, 100.0, 10.0, 100.0).is_err());
    }

    #[test]
    fn a_ratio_moves_only_beyond_chance() {
        let before = rate_ratio(300.0, 1000.0, 13_000.0, 100_000.0).unwrap();
        let same = rate_ratio(310.0, 1000.0, 13_000.0, 100_000.0).unwrap();
        let worse = rate_ratio(420.0, 1000.0, 13_000.0, 100_000.0).unwrap();
        assert_eq!(ratio_move(&before, &same), RatioMove::NoSignificantChange);
        assert_eq!(ratio_move(&before, &worse), RatioMove::Higher);
        assert_eq!(ratio_move(&worse, &before), RatioMove::Lower);
    }
}
