//! Quantiles of small areas by the PHE method (PHEindicatormethods' `phe_quantile`).

use super::StatsError;
use super::validate::finite;

/// Assigns each area with a value a quantile 1..=`quantiles`; missing values get none.
///
/// Ranks run ascending (ties share the lowest rank), so quantile `quantiles` holds the highest
/// values; with `invert` the order flips and quantile 1 holds the highest. When fewer areas than
/// `quantiles` have a value, none gets a quantile.
pub fn phe_quantiles(values: &[Option<f64>], quantiles: u32, invert: bool) -> Result<Vec<Option<u32>>, StatsError> {
    if quantiles == 0 {
        return Err(StatsError::TooFew { what: "quantiles", needed: 1, found: 0 });
    }
    let key = |v: f64| if invert { -v } else { v };
    let mut sorted = Vec::with_capacity(values.len());
    for v in values.iter().flatten() {
        sorted.push(key(finite("value to rank", *v)?));
    }
    let n = sorted.len();
    if n < quantiles as usize {
        return Ok(vec![None; values.len()]);
    }
    sorted.sort_by(f64::total_cmp);

    let q = f64::from(quantiles);
    let per_quantile = n as f64 / q;
    let assign = |v: f64| {
        // Ties take the minimum rank: one plus the number of strictly smaller keys.
        let rank = (sorted.partition_point(|&s| s < key(v)) + 1) as f64;
        let quantile = ((q + 1.0) - (((n as f64 + 1.0) - rank) / per_quantile).ceil()).floor();
        // Quantile is in 0..=q by construction; 0 can only arise from rounding and means 1.
        quantile.max(1.0) as u32
    };
    Ok(values.iter().map(|v| v.map(assign)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_case_assigns_inverted_deciles() -> Result<(), StatsError> {
        let values = [
            118.7460481,
            131.2778276,
            137.1098640,
            137.7256526,
            138.9005229,
            143.2633020,
            145.5966707,
            146.6971262,
            153.6912833,
            155.7630810,
            157.1222286,
            171.2170455,
        ];
        let given: Vec<Option<f64>> = values.iter().copied().map(Some).collect();
        let deciles = phe_quantiles(&given, 10, true)?;
        let expected = [10, 9, 8, 7, 6, 6, 5, 4, 3, 2, 1, 1];
        assert_eq!(deciles, expected.map(Some).to_vec());
        Ok(())
    }

    #[test]
    fn without_invert_the_highest_values_get_the_top_quantile() -> Result<(), StatsError> {
        let given = [Some(1.0), Some(2.0), Some(3.0), Some(4.0)];
        assert_eq!(phe_quantiles(&given, 4, false)?, vec![Some(1), Some(2), Some(3), Some(4)]);
        Ok(())
    }

    #[test]
    fn tied_values_share_a_quantile() -> Result<(), StatsError> {
        let given = [Some(5.0), Some(5.0), Some(1.0), Some(9.0)];
        let q = phe_quantiles(&given, 2, false)?;
        assert_eq!(q[0], q[1]);
        Ok(())
    }

    #[test]
    fn missing_values_get_no_quantile_and_do_not_count() -> Result<(), StatsError> {
        let given = [Some(1.0), None, Some(2.0), Some(3.0), Some(4.0)];
        assert_eq!(phe_quantiles(&given, 4, false)?, vec![Some(1), None, Some(2), Some(3), Some(4)]);
        Ok(())
    }

    #[test]
    fn fewer_areas_than_quantiles_get_none() -> Result<(), StatsError> {
        let given = [Some(1.0), Some(2.0), Some(3.0)];
        assert_eq!(phe_quantiles(&given, 5, false)?, vec![None; 3]);
        Ok(())
    }

    #[test]
    fn zero_quantiles_or_a_nan_value_is_an_error() {
        assert!(matches!(phe_quantiles(&[Some(1.0)], 0, false), Err(StatsError::TooFew { .. })));
        assert!(matches!(phe_quantiles(&[Some(f64::NAN)], 1, false), Err(StatsError::NotFinite { .. })));
    }
}
