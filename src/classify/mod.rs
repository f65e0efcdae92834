//! Map classes for choropleths: split indicator values into classes exactly as PySAL mapclassify does,
//! colour them from ColorBrewer palettes and label the legend. [`clusters`] colours and labels the
//! cluster classes of the spatial statistics the same way.
//!
//! Every scheme returns upper bounds (mapclassify's `bins`). Class j holds lower < y ≤ upper; the first
//! class is closed below at the minimum. Pure functions: no I/O, no global state.
//!
//! ```
//! use locality_atlas::classify::{Scheme, class_of, classify};
//!
//! let classes = classify(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], Scheme::EqualInterval, 3).unwrap();
//! assert_eq!(classes.breaks, [2.666666666666667, 4.333333333333334, 6.0]);
//! assert_eq!(class_of(&classes, 4.0), Some(1));
//! ```

pub mod choropleth;
pub mod clusters;
mod decile;
mod equal;
mod jenks;
mod legend;
mod palette;
mod quantile;
pub mod style;
#[cfg(test)]
mod testdata;

pub use legend::legend_labels;
pub use palette::{PaletteKind, is_colour_blind_safe, palette, palette_kind, palette_names};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Fewest classes `classify` makes (the decile scheme always makes 10).
pub const MIN_CLASSES: usize = 3;
/// Most classes `classify` makes (the decile scheme always makes 10).
pub const MAX_CLASSES: usize = 9;

/// How values are split into classes; serialised as `quantile`, `equal`, `jenks` or `decile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Equal-count classes from linear-interpolated percentiles (mapclassify `Quantiles`).
    Quantile,
    /// Equal-width classes between the minimum and the maximum (mapclassify `EqualInterval`).
    #[serde(rename = "equal")]
    EqualInterval,
    /// Natural breaks: the exact partition with least within-class squared deviation (mapclassify `FisherJenks`).
    #[serde(rename = "jenks")]
    FisherJenks,
    /// The national deciles themselves (values 1 to 10); always 10 classes, the requested k is ignored.
    Decile,
}

impl Scheme {
    /// Every scheme, in the order a menu offers them.
    pub const ALL: [Scheme; 4] = [Scheme::Quantile, Scheme::EqualInterval, Scheme::FisherJenks, Scheme::Decile];

    /// The scheme's name in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Quantile => "quantile",
            Scheme::EqualInterval => "equal",
            Scheme::FisherJenks => "jenks",
            Scheme::Decile => "decile",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scheme {
    type Err = ClassError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.as_str() == name)
            .ok_or_else(|| ClassError::UnknownScheme { name: name.to_owned() })
    }
}

/// The classes of one set of values: upper bounds, how many values fall in each, and the lower bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classes {
    /// The scheme that made these classes.
    pub scheme: Scheme,
    /// Upper bound of each class, ascending (mapclassify's `bins`); the last is the maximum.
    pub breaks: Vec<f64>,
    /// Number of values in each class (mapclassify's `counts`).
    pub counts: Vec<usize>,
    /// Lower bound of the first class: the smallest value (1 for deciles).
    pub min: f64,
}

impl Classes {
    /// Number of classes; fewer than requested when quantiles collapse on tied values.
    pub fn class_count(&self) -> usize {
        self.breaks.len()
    }
}

/// Why values could not be classified or coloured.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassError {
    /// The requested number of classes is outside 3..=9.
    #[error("cannot make {k} classes: choose between {MIN_CLASSES} and {MAX_CLASSES}")]
    ClassCount {
        /// The number requested.
        k: usize,
    },
    /// There is nothing to classify.
    #[error("no values to classify: the indicator has no values for these areas")]
    NoValues,
    /// A value is NaN or infinite.
    #[error("value {index} is {value}: only finite numbers can be classified, so drop missing values first")]
    NonFinite {
        /// Position of the value in the input.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Too few distinct values for the scheme to make k classes (as mapclassify refuses).
    #[error("only {distinct} distinct values, too few for {k} classes: choose fewer classes or the quantile scheme")]
    TooFewDistinct {
        /// Number of distinct values.
        distinct: usize,
        /// The number of classes requested.
        k: usize,
    },
    /// The decile scheme met a value that is not a whole number from 1 to 10.
    #[error("{value} is not a decile: the decile scheme needs whole numbers from 1 to 10")]
    NotADecile {
        /// The offending value.
        value: f64,
    },
    /// The indicator's LSOA values are one district figure copied to every LSOA, or modelled
    /// from the area's type: nothing to map.
    #[error("{name} has no LSOA map: {why}")]
    DistrictFigure {
        /// The indicator's name.
        name: String,
        /// Why not.
        why: &'static str,
    },
    /// The scheme name is not one of ours.
    #[error("unknown classification scheme '{name}': use quantile, equal, jenks or decile")]
    UnknownScheme {
        /// The name asked for.
        name: String,
    },
    /// The palette name is not one of ours.
    #[error("unknown palette '{name}': use one of {valid}")]
    UnknownPalette {
        /// The name asked for.
        name: String,
        /// The valid names, comma separated.
        valid: String,
    },
    /// Too many (or no) colours asked of a palette.
    #[error("cannot draw {k} colours from a palette: choose between 1 and {max}", max = palette::MAX_COLOURS)]
    PaletteSize {
        /// The number asked for.
        k: usize,
    },
}

/// Splits `values` into `k` classes (3..=9) by `scheme`, with the same breaks as PySAL mapclassify.
///
/// Quantile classes may number fewer than `k` when ties make percentiles coincide; the decile scheme
/// ignores `k` and always makes the 10 national deciles.
pub fn classify(values: &[f64], scheme: Scheme, k: usize) -> Result<Classes, ClassError> {
    if scheme != Scheme::Decile && !(MIN_CLASSES..=MAX_CLASSES).contains(&k) {
        return Err(ClassError::ClassCount { k });
    }
    if values.is_empty() {
        return Err(ClassError::NoValues);
    }
    if let Some((index, &value)) = values.iter().enumerate().find(|(_, value)| !value.is_finite()) {
        return Err(ClassError::NonFinite { index, value });
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (breaks, min) = match scheme {
        Scheme::Quantile => (quantile::breaks(&sorted, k), sorted[0]),
        Scheme::EqualInterval => (equal::breaks(&sorted, k)?, sorted[0]),
        Scheme::FisherJenks => (jenks::breaks(&sorted, k)?, sorted[0]),
        Scheme::Decile => (decile::breaks(&sorted)?, decile::FIRST),
    };
    let mut classes = Classes { scheme, counts: vec![0; breaks.len()], breaks, min };
    for &value in values {
        if let Some(class) = class_of(&classes, value) {
            classes.counts[class] += 1;
        }
    }
    Ok(classes)
}

/// The index of the class holding `value` (lower < value ≤ upper), or `None` above the last break or if
/// not finite.
///
/// As in mapclassify, everything at or below the first break is in class 0, even below `min`.
pub fn class_of(classes: &Classes, value: f64) -> Option<usize> {
    if !value.is_finite() {
        return None;
    }
    let class = classes.breaks.partition_point(|&upper| upper < value);
    (class < classes.breaks.len()).then_some(class)
}

/// `len` values of `numpy.arange(start, …, step)`, rounded exactly as numpy fills them, so breaks built
/// from it match mapclassify to the last bit: element 1 is `start + step`, later ones `start + i·delta`
/// with `delta = (start + step) − start`.
fn numpy_arange(start: f64, step: f64, len: usize) -> Vec<f64> {
    let delta = (start + step) - start;
    (0..len)
        .map(|i| match i {
            0 => start,
            1 => start + step,
            _ => start + i as f64 * delta,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts breaks agree with reference breaks to 1e-9 relative, the project's tolerance for closed-form methods.
    pub(super) fn assert_breaks(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() <= 1e-9 * e.abs(), "{actual:?} vs {expected:?}");
        }
    }

    fn small() -> Classes {
        classify(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], Scheme::EqualInterval, 3).unwrap()
    }

    #[test]
    fn a_value_on_a_break_belongs_to_the_class_below() {
        let classes = small();
        assert_eq!(class_of(&classes, classes.breaks[0]), Some(0));
        assert_eq!(class_of(&classes, classes.breaks[0] + 1e-9), Some(1));
        assert_eq!(class_of(&classes, 6.0), Some(2));
    }

    #[test]
    fn the_minimum_is_in_the_first_class_and_values_beyond_the_maximum_in_none() {
        let classes = small();
        assert_eq!(class_of(&classes, 1.0), Some(0));
        assert_eq!(class_of(&classes, 6.000001), None);
        assert_eq!(class_of(&classes, f64::NAN), None);
        assert_eq!(class_of(&classes, f64::INFINITY), None);
    }

    #[test]
    fn counts_agree_with_class_of_for_every_value() {
        let values = testdata::INCOME_RATE;
        for scheme in [Scheme::Quantile, Scheme::EqualInterval, Scheme::FisherJenks] {
            let classes = classify(&values, scheme, 6).unwrap();
            let mut counts = vec![0; classes.class_count()];
            values.iter().for_each(|&v| counts[class_of(&classes, v).unwrap()] += 1);
            assert_eq!(counts, classes.counts, "{scheme}");
            assert_eq!(classes.min, 1.4);
        }
    }

    #[test]
    fn class_counts_outside_three_to_nine_are_refused() {
        for k in [0, 1, 2, 10] {
            assert_eq!(classify(&[1.0, 2.0], Scheme::Quantile, k), Err(ClassError::ClassCount { k }));
        }
    }

    #[test]
    fn empty_input_and_non_finite_values_are_refused() {
        assert_eq!(classify(&[], Scheme::FisherJenks, 5), Err(ClassError::NoValues));
        let error = classify(&[1.0, f64::INFINITY], Scheme::Quantile, 5).unwrap_err();
        assert_eq!(error, ClassError::NonFinite { index: 1, value: f64::INFINITY });
        assert!(matches!(classify(&[f64::NAN], Scheme::Decile, 5), Err(ClassError::NonFinite { index: 0, .. })));
    }

    #[test]
    fn schemes_parse_and_serialise_by_their_short_names() {
        for (scheme, name) in Scheme::ALL.into_iter().zip(["quantile", "equal", "jenks", "decile"]) {
            assert_eq!(name.parse::<Scheme>(), Ok(scheme));
            assert_eq!(scheme.to_string(), name);
            assert_eq!(serde_json::to_string(&scheme).unwrap(), format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Scheme>(&format!("\"{name}\"")).unwrap(), scheme);
        }
        let error = "natural".parse::<Scheme>().unwrap_err();
        assert_eq!(error.to_string(), "unknown classification scheme 'natural': use quantile, equal, jenks or decile");
    }

    #[test]
    fn numpy_arange_reproduces_numpys_rounding() {
        // numpy 2.4.6: np.arange(100 / 6, 100 + 100 / 6, 100 / 6).tolist()
        let expected =
            [16.666666666666668, 33.333333333333336, 50.0, 66.66666666666667, 83.33333333333334, 100.00000000000001];
        assert_eq!(numpy_arange(100.0 / 6.0, 100.0 / 6.0, 6), expected);
    }
}
