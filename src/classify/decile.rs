//! Decile classes for national decile indicators (IMD decile, domain deciles): the classes are the
//! deciles themselves, so a map of Coventry keeps England's cut points instead of re-ranking locally.

use super::ClassError;

/// The lowest decile, the lower bound of the first class.
pub(super) const FIRST: f64 = 1.0;

/// Breaks 1, 2, …, 10, so class j (0-based) holds decile j + 1 under the lower < y ≤ upper rule; refused
/// when a value is not a whole number from 1 to 10.
pub(super) fn breaks(values: &[f64]) -> Result<Vec<f64>, ClassError> {
    if let Some(&value) = values.iter().find(|&&v| !(FIRST..=10.0).contains(&v) || v.fract() != 0.0) {
        return Err(ClassError::NotADecile { value });
    }
    Ok((1..=10).map(f64::from).collect())
}

#[cfg(test)]
mod tests {
    use super::super::testdata::IMD_DECILE;
    use super::super::{ClassError, Scheme, class_of, classify};

    #[test]
    fn deciles_are_their_own_classes_whatever_k_is_asked_for() {
        for k in [0, 5, 10] {
            let classes = classify(&IMD_DECILE, Scheme::Decile, k).unwrap();
            assert_eq!(classes.breaks, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]);
            assert_eq!(classes.min, 1.0);
        }
    }

    #[test]
    fn coventry_decile_counts_match_mapclassify_user_defined_bins() {
        // mapclassify 2.10.0: UserDefined(iod25_imd_decile, bins=[1, 2, …, 10]).counts
        let classes = classify(&IMD_DECILE, Scheme::Decile, 10).unwrap();
        assert_eq!(classes.counts, [36, 27, 28, 22, 18, 15, 20, 13, 14, 10]);
    }

    #[test]
    fn each_decile_lands_in_the_class_with_its_own_number() {
        let classes = classify(&[3.0, 7.0], Scheme::Decile, 10).unwrap();
        for decile in 1..=10 {
            assert_eq!(class_of(&classes, f64::from(decile)), Some(decile as usize - 1));
        }
        assert_eq!(classes.counts, [0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn values_that_are_not_deciles_are_refused() {
        for value in [0.0, 11.0, 4.5, -1.0] {
            assert_eq!(classify(&[1.0, value], Scheme::Decile, 10), Err(ClassError::NotADecile { value }));
        }
    }
}
