//! The rows of `data/england_ranges.csv`: the spread of an indicator across England's local
//! authority districts, each district's figure computed from its LSOAs as the area's figure is
//! (the group-bys are [`ranges`](super::national::ranges)).

use polars::prelude::*;

use super::catalogue::Spec;
use super::comparators::tidy;
use crate::atlas::{EnglandRange, ValueType};

/// Whether an indicator has an England range: national LSOA figures that combine into a value
/// (not ranks or deciles, which combine as distributions, nor standardised ratios, which do not
/// combine).
pub fn ranged(spec: &Spec, national: bool) -> bool {
    national
        && !matches!(spec.indicator.value_type, ValueType::Rank | ValueType::Decile)
        && !spec.indicator.is_standardised_ratio()
}

/// The range row of an indicator from the [`ranges`](super::national::ranges::ranges) frame;
/// `districts` is the number of England's districts, `carried` true for IoD2019 figures.
pub fn range(order: u32, spec: &Spec, ranges: &DataFrame, districts: usize, carried: bool) -> Option<EnglandRange> {
    let id = spec.indicator.id.as_str();
    let indicators = ranges.column("indicator").ok()?.u32().ok()?;
    let row = (0..ranges.height()).find(|&i| indicators.get(i) == Some(order))?;
    let number = |name: &str| ranges.column(name).ok()?.f64().ok()?.get(row);
    Some(EnglandRange {
        indicator_id: id.to_owned(),
        areas: ranges.column("areas").ok()?.u32().ok()?.get(row)? as usize,
        lowest: tidy(number("lowest")?),
        q25: tidy(number("q25")?),
        q75: tidy(number("q75")?),
        highest: tidy(number("highest")?),
        basis: format!(
            "England's {districts} local authority districts (2024), each computed from its LSOAs as the area's figure is{}",
            if carried { " (IoD2019 figures carried from LSOA 2011 to 2021)" } else { "" }
        ),
    })
}
