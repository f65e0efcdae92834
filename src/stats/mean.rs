//! Means with Student's t intervals.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::validate::finite;
use super::{Estimate, Interval, StatsError};

/// The mean of `values` ± t(n − 1)·s/√n, with s the sample standard deviation.
pub fn mean(values: &[f64]) -> Result<Estimate, StatsError> {
    if values.len() < 2 {
        return Err(StatsError::TooFew { what: "a mean's interval (values)", needed: 2, found: values.len() });
    }
    for &v in values {
        finite("value", v)?;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    // Two passes rather than Σx² − n·x̄², which cancels badly when the spread is small.
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let standard_error = (variance / n).sqrt();
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .map_err(|_| StatsError::Undefined("Student's t with these degrees of freedom"))?;
    Ok(Estimate::with_intervals(mean, |level| {
        let half = t.inverse_cdf(1.0 - level.tail()) * standard_error;
        Interval { lower: mean - half, upper: mean + half }
    }))
}

#[cfg(test)]
#[allow(clippy::excessive_precision, reason = "reference values keep every digit they were published or computed with")]
mod tests {
    use super::*;
    use crate::stats::testing::assert_close;

    #[test]
    fn seven_values_match_the_high_precision_t_interval() -> Result<(), StatsError> {
        // Reference limits from 40-digit arithmetic (t quantile by bisection on the beta function).
        let m = mean(&[12.5, 14.25, 9.75, 11.0, 13.5, 10.25, 15.0])?;
        assert_close(m.value, 12.321428571428571429, 1e-12);
        assert_close(m.ci95.lower, 10.434944027379602736, 1e-9);
        assert_close(m.ci95.upper, 14.207913115477540121, 1e-9);
        assert_close(m.ci998.lower, 8.3065285635094779762, 1e-9);
        assert_close(m.ci998.upper, 16.336328579347664881, 1e-9);
        Ok(())
    }

    #[test]
    fn identical_values_give_a_zero_width_interval() -> Result<(), StatsError> {
        let m = mean(&[4.0, 4.0, 4.0])?;
        assert_eq!((m.ci95.lower, m.ci95.upper), (4.0, 4.0));
        Ok(())
    }

    #[test]
    fn fewer_than_two_values_is_an_error() {
        assert!(matches!(mean(&[1.0]), Err(StatsError::TooFew { .. })));
        assert!(matches!(mean(&[]), Err(StatsError::TooFew { .. })));
    }

    #[test]
    fn a_missing_value_is_an_error() {
        assert!(matches!(mean(&[1.0, f64::NAN]), Err(StatsError::NotFinite { .. })));
    }
}
