//! The spread of an indicator across England's local authority districts, each district's figure
//! computed from its LSOAs with [`combine`] as an area's own figure is: the England range of a
//! spine chart.

use super::catalogue::Spec;
use super::comparators::tidy;
use super::derive::Derived;
use super::england::England;
use crate::analysis::aggregate::combine;
use crate::atlas::{EnglandRange, ValueType};

/// The England range of an indicator with national LSOA figures (not ranks or deciles, which
/// combine as distributions); `None` for the others.
pub fn range(spec: &Spec, derived: &Derived, england: &England) -> Option<EnglandRange> {
    let indicator = &spec.indicator;
    if !derived.national || matches!(indicator.value_type, ValueType::Rank | ValueType::Decile) {
        return None;
    }
    let mut values: Vec<f64> = england
        .district_members
        .iter()
        .filter_map(|members| {
            combine(indicator, &england.contributions(&derived.lsoa21, members.iter().copied())).value
        })
        .collect();
    values.sort_by(f64::total_cmp);
    let (&lowest, &highest) = (values.first()?, values.last()?);
    Some(EnglandRange {
        indicator_id: indicator.id.clone(),
        areas: values.len(),
        lowest: tidy(lowest),
        q25: tidy(percentile(&values, 0.25)),
        q75: tidy(percentile(&values, 0.75)),
        highest: tidy(highest),
        basis: format!(
            "England's {} local authority districts (2024), each computed from its LSOAs as the area's figure is{}",
            england.districts.len(),
            if derived.lsoa11.is_some() { " (IoD2019 figures carried from LSOA 2011 to 2021)" } else { "" }
        ),
    })
}

/// The p-quantile of sorted values by linear interpolation between order statistics (Hyndman and
/// Fan type 7, the default of R and numpy).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lower, fraction) = (h.floor() as usize, h.fract());
    match sorted.get(lower + 1) {
        Some(next) => sorted[lower] + fraction * (next - sorted[lower]),
        None => sorted[lower],
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn quartiles_interpolate_between_order_statistics_like_numpy() {
        let values = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(percentile(&values, 0.25), 2.0);
        assert_eq!(percentile(&values, 0.75), 4.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
    }
}
