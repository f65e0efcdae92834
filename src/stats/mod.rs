//! Public-health statistics as pure functions: the PHEindicatormethods method set used by Fingertips.
//!
//! Every estimate carries its 95% and 99.8% intervals. Invalid input is a [`StatsError`], never a
//! panic or a NaN; results that must not be published are a [`Reported`] with a [`Suppression`].

pub mod compare;
pub mod dsr;
pub mod error;
pub mod inequality;
pub mod isr;
pub mod life_expectancy;
pub mod mean;
pub mod neighbours;
pub mod quantiles;
pub mod rate;
pub mod ratio;
pub mod regression;
mod validate;
pub mod wilson;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use compare::{Comparison, Levels, Polarity, compare};
pub use dsr::{EUROPEAN_STANDARD_POPULATION_2013, dsr};
pub use error::StatsError;
pub use inequality::{Inequality, InequalityGroup, MIN_DRAWS, inequality};
pub use isr::{Isr, isr};
pub use life_expectancy::{AGE_BAND_STARTS, life_expectancy, life_expectancy_at_birth};
pub use mean::mean;
pub use quantiles::phe_quantiles;
pub use rate::{count_interval, crude_rate};
pub use ratio::{RateRatio, RatioMove, rate_ratio, ratio_move};
pub use wilson::{proportion, proportion_of_groups};

/// A two-sided confidence level; Fingertips publishes exactly these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Confidence {
    /// 95%, the level of one-level comparisons.
    #[serde(rename = "95")]
    P95,
    /// 99.8%, the outer level of two-level comparisons.
    #[serde(rename = "99.8")]
    P998,
}

impl Confidence {
    /// Both levels, in the order intervals are reported.
    pub const ALL: [Confidence; 2] = [Confidence::P95, Confidence::P998];

    /// The coverage as a fraction, e.g. 0.95.
    pub fn level(self) -> f64 {
        match self {
            Confidence::P95 => 0.95,
            Confidence::P998 => 0.998,
        }
    }

    /// The probability left in each tail, (1 − c)/2, computed as R computes it.
    pub fn tail(self) -> f64 {
        (1.0 - self.level()) / 2.0
    }

    /// The standard normal quantile Φ⁻¹(1 − tail).
    // Written out rather than computed so every method uses bit-identical values; a test checks
    // them against statrs' normal quantile.
    pub fn z(self) -> f64 {
        match self {
            Confidence::P95 => 1.959963984540054,
            Confidence::P998 => 3.090232306167813,
        }
    }
}

/// A closed interval `[lower, upper]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

impl Interval {
    /// Whether `x` lies inside the interval, limits included.
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    /// The distance between the limits.
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }

    fn scaled(self, factor: f64) -> Interval {
        Interval { lower: self.lower * factor, upper: self.upper * factor }
    }
}

/// A point estimate with its 95% and 99.8% confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// The 95% confidence interval.
    pub ci95: Interval,
    /// The 99.8% confidence interval.
    pub ci998: Interval,
}

impl Estimate {
    /// Builds an estimate from a value and a function giving the interval at each level.
    pub(crate) fn with_intervals(value: f64, mut interval: impl FnMut(Confidence) -> Interval) -> Self {
        Estimate { value, ci95: interval(Confidence::P95), ci998: interval(Confidence::P998) }
    }

    /// The interval at `level`.
    pub fn interval(&self, level: Confidence) -> Interval {
        match level {
            Confidence::P95 => self.ci95,
            Confidence::P998 => self.ci998,
        }
    }

    /// The estimate with value and limits multiplied by `factor` (e.g. 100 for a percentage).
    pub fn scaled(self, factor: f64) -> Estimate {
        Estimate { value: self.value * factor, ci95: self.ci95.scaled(factor), ci998: self.ci998.scaled(factor) }
    }
}

/// Why a statistic, or its value, is not published.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Suppression {
    /// A DSR rests on fewer than 10 events.
    FewerThanTenEvents {
        /// The total observed count.
        observed: f64,
    },
    /// Life expectancy for a population of 5,000 or fewer.
    PopulationAtMost5000 {
        /// The population from the starting age upwards.
        population: f64,
    },
    /// Life expectancy whose 95% interval is wider than 20 years.
    IntervalWiderThan20Years {
        /// The width of the 95% interval in years.
        width: f64,
    },
}

impl fmt::Display for Suppression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Suppression::FewerThanTenEvents { observed } => {
                write!(f, "fewer than 10 events ({observed})")
            }
            Suppression::PopulationAtMost5000 { population } => {
                write!(f, "population of 5,000 or fewer ({population})")
            }
            Suppression::IntervalWiderThan20Years { width } => {
                write!(f, "95% confidence interval wider than 20 years ({width:.1})")
            }
        }
    }
}

/// A statistic as it may be published: in full, with only its intervals, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Reported {
    /// Value and intervals may be shown.
    Published(Estimate),
    /// The intervals may be shown but the value is withheld.
    ValueWithheld {
        /// The 95% confidence interval.
        ci95: Interval,
        /// The 99.8% confidence interval.
        ci998: Interval,
        /// Why the value is withheld.
        reason: Suppression,
    },
    /// Nothing may be shown.
    Suppressed {
        /// Why the statistic is suppressed.
        reason: Suppression,
    },
}

impl Reported {
    /// The full estimate, when it is published.
    pub fn estimate(&self) -> Option<&Estimate> {
        match self {
            Reported::Published(estimate) => Some(estimate),
            _ => None,
        }
    }

    /// The point value, when it is published.
    pub fn value(&self) -> Option<f64> {
        self.estimate().map(|e| e.value)
    }

    /// The interval at `level`, when it may be shown.
    pub fn interval(&self, level: Confidence) -> Option<Interval> {
        match self {
            Reported::Published(estimate) => Some(estimate.interval(level)),
            Reported::ValueWithheld { ci95, ci998, .. } => Some(match level {
                Confidence::P95 => *ci95,
                Confidence::P998 => *ci998,
            }),
            Reported::Suppressed { .. } => None,
        }
    }

    /// Why something is withheld, if anything is.
    pub fn reason(&self) -> Option<Suppression> {
        match self {
            Reported::Published(_) => None,
            Reported::ValueWithheld { reason, .. } | Reported::Suppressed { reason } => Some(*reason),
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    /// Asserts `actual` is within `rel` relative error of `expected`.
    pub(crate) fn assert_close(actual: f64, expected: f64, rel: f64) {
        let error = ((actual - expected) / expected).abs();
        assert!(error <= rel, "{actual} differs from {expected} by {error:e} (relative), more than {rel:e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn the_z_values_are_the_normal_quantiles_of_each_level() {
        let normal = Normal::standard();
        for level in Confidence::ALL {
            testing::assert_close(level.z(), normal.inverse_cdf(1.0 - level.tail()), 1e-15);
        }
    }

    #[test]
    fn a_withheld_value_keeps_its_intervals_and_reason() {
        let ci = Interval { lower: 60.0, upper: 85.0 };
        let reason = Suppression::IntervalWiderThan20Years { width: 25.0 };
        let reported = Reported::ValueWithheld { ci95: ci, ci998: ci, reason };
        assert_eq!(reported.value(), None);
        assert_eq!(reported.interval(Confidence::P95), Some(ci));
        assert_eq!(reported.reason(), Some(reason));
    }

    #[test]
    fn reported_results_serialise_with_a_status_and_a_reason() -> Result<(), serde_json::Error> {
        let reported = Reported::Suppressed { reason: Suppression::FewerThanTenEvents { observed: 7.0 } };
        assert_eq!(
            serde_json::to_string(&reported)?,
            r#"{"status":"suppressed","reason":{"kind":"fewer_than_ten_events","observed":7.0}}"#
        );
        Ok(())
    }
}
