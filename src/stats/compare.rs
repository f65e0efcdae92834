//! Comparing an area with a benchmark, as Fingertips does. The words a reader sees for each
//! outcome are the product's, in `analysis::words`; here they are only values.

use serde::{Deserialize, Serialize};

use super::{Confidence, Estimate};

/// Which direction of an indicator is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Higher values are better (e.g. life expectancy).
    HighIsGood,
    /// Lower values are better (e.g. mortality).
    LowIsGood,
    /// Neither direction is better; differences are only Lower or Higher.
    NoJudgement,
}

/// How many significance levels a comparison distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Levels {
    /// Significance at 95%: Better / Similar / Worse.
    One,
    /// Adds 99.8%: Best / Better / Similar / Worse / Worst.
    Two,
}

/// The outcome of comparing an area with a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Significantly better at 95% (and, with two levels, not at 99.8%).
    Better,
    /// The benchmark lies inside the 95% interval.
    Similar,
    /// Significantly worse at 95% (and, with two levels, not at 99.8%).
    Worse,
    /// Significantly better at 99.8% (two levels only).
    Best,
    /// Significantly worse at 99.8% (two levels only).
    Worst,
    /// Significantly lower at 95%, for an indicator without polarity.
    Lower,
    /// Significantly higher at 95%, for an indicator without polarity.
    Higher,
    /// The value or benchmark is missing or suppressed.
    NotCompared,
}

/// Compares `area` with `benchmark`; `None` for either (missing or suppressed) is NotCompared.
///
/// Indicators without polarity are judged at 95% whatever `levels` says, as Fingertips shows
/// only Lower / Similar / Higher for them.
pub fn compare(area: Option<&Estimate>, benchmark: Option<f64>, polarity: Polarity, levels: Levels) -> Comparison {
    let (Some(area), Some(benchmark)) = (area, benchmark) else {
        return Comparison::NotCompared;
    };
    let finite = [area.value, area.ci95.lower, area.ci95.upper, benchmark];
    if !finite.iter().all(|v| v.is_finite()) {
        return Comparison::NotCompared;
    }
    let Some(higher) = direction(area, benchmark, Confidence::P95) else {
        return Comparison::Similar;
    };
    let strongly = levels == Levels::Two && direction(area, benchmark, Confidence::P998).is_some();
    let good = match polarity {
        Polarity::HighIsGood => higher,
        Polarity::LowIsGood => !higher,
        Polarity::NoJudgement if higher => return Comparison::Higher,
        Polarity::NoJudgement => return Comparison::Lower,
    };
    match (good, strongly) {
        (true, false) => Comparison::Better,
        (true, true) => Comparison::Best,
        (false, false) => Comparison::Worse,
        (false, true) => Comparison::Worst,
    }
}

/// `Some(true)` if the area is significantly above the benchmark at `level`, `Some(false)` if
/// below, `None` if the benchmark lies inside the interval.
fn direction(area: &Estimate, benchmark: f64, level: Confidence) -> Option<bool> {
    let interval = area.interval(level);
    if interval.contains(benchmark) { None } else { Some(interval.lower > benchmark) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Interval;

    /// An area valued 50 with 95% interval 45–55 and 99.8% interval 42–58.
    fn area() -> Estimate {
        Estimate {
            value: 50.0,
            ci95: Interval { lower: 45.0, upper: 55.0 },
            ci998: Interval { lower: 42.0, upper: 58.0 },
        }
    }

    fn one(benchmark: f64, polarity: Polarity) -> Comparison {
        compare(Some(&area()), Some(benchmark), polarity, Levels::One)
    }

    fn two(benchmark: f64, polarity: Polarity) -> Comparison {
        compare(Some(&area()), Some(benchmark), polarity, Levels::Two)
    }

    #[test]
    fn a_benchmark_inside_the_95_interval_is_similar() {
        assert_eq!(one(52.0, Polarity::HighIsGood), Comparison::Similar);
        assert_eq!(one(55.0, Polarity::LowIsGood), Comparison::Similar);
        assert_eq!(two(45.0, Polarity::NoJudgement), Comparison::Similar);
    }

    #[test]
    fn one_level_judges_direction_by_polarity() {
        assert_eq!(one(40.0, Polarity::HighIsGood), Comparison::Better);
        assert_eq!(one(60.0, Polarity::HighIsGood), Comparison::Worse);
        assert_eq!(one(40.0, Polarity::LowIsGood), Comparison::Worse);
        assert_eq!(one(60.0, Polarity::LowIsGood), Comparison::Better);
    }

    #[test]
    fn two_levels_separate_95_from_99_8_significance() {
        assert_eq!(two(44.0, Polarity::HighIsGood), Comparison::Better);
        assert_eq!(two(40.0, Polarity::HighIsGood), Comparison::Best);
        assert_eq!(two(57.0, Polarity::HighIsGood), Comparison::Worse);
        assert_eq!(two(60.0, Polarity::HighIsGood), Comparison::Worst);
        assert_eq!(two(40.0, Polarity::LowIsGood), Comparison::Worst);
        assert_eq!(two(60.0, Polarity::LowIsGood), Comparison::Best);
    }

    #[test]
    fn indicators_without_polarity_are_lower_or_higher() {
        assert_eq!(one(40.0, Polarity::NoJudgement), Comparison::Higher);
        assert_eq!(two(60.0, Polarity::NoJudgement), Comparison::Lower);
    }

    #[test]
    fn a_missing_value_or_benchmark_is_not_compared() {
        let levels = Levels::Two;
        assert_eq!(compare(None, Some(1.0), Polarity::HighIsGood, levels), Comparison::NotCompared);
        assert_eq!(compare(Some(&area()), None, Polarity::HighIsGood, levels), Comparison::NotCompared);
        let nan = Estimate { value: f64::NAN, ..area() };
        assert_eq!(compare(Some(&nan), Some(1.0), Polarity::LowIsGood, levels), Comparison::NotCompared);
    }

    #[test]
    fn polarity_and_comparison_use_the_fingertips_words() -> Result<(), serde_json::Error> {
        assert_eq!(serde_json::to_string(&Polarity::NoJudgement)?, r#""no_judgement""#);
        assert_eq!(serde_json::from_str::<Polarity>(r#""low_is_good""#)?, Polarity::LowIsGood);
        assert_eq!(serde_json::to_string(&Comparison::NotCompared)?, r#""not_compared""#);
        Ok(())
    }
}
