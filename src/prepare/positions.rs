//! The rows of `data/england_positions.csv`: where England's worst 10% and 20% of LSOAs begin for
//! an indicator, and the shares of England's and the district's residents living there (the
//! cut-points and shares are computed in [`positions`](super::national::positions)).

use polars::prelude::*;

use super::catalogue::Spec;
use super::comparators::{thousands, tidy};
use crate::analysis::aggregate::{Method, method_of};
use crate::atlas::{EnglandPosition, Polarity, ValueType};

/// Whether an indicator is placed in England's distribution: ranks, and indicators combined as
/// population-weighted means or not combined at all (standardised ratios) that have national LSOA figures and are neither district figures nor
/// modelled (placing single LSOAs by a figure modelled from their type would rank them by it).
pub fn placed(spec: &Spec, national: bool) -> bool {
    let indicator = &spec.indicator;
    let placed = indicator.value_type == ValueType::Rank
        || (matches!(method_of(indicator), Method::PopulationWeightedMean | Method::NotCombinable)
            && !indicator.district_figure
            && !indicator.modelled);
    national && placed && indicator.polarity != Polarity::NoJudgement
}

/// The position row of an indicator from the cut-points and the shares of the areas `(England,
/// the atlas)`; `carried` is true for IoD2019 figures.
pub fn position(
    order: u32,
    spec: &Spec,
    cuts: &DataFrame,
    shares: &DataFrame,
    areas: (&str, &str),
    carried: bool,
) -> Option<EnglandPosition> {
    let id = spec.indicator.id.as_str();
    let row = find(cuts, order, None)?;
    let lsoas = cuts.column("lsoas").ok()?.u32().ok()?.get(row)? as usize;
    let cut = |name: &str| cuts.column(name).ok()?.f64().ok()?.get(row);
    let share = |area: &str| -> (f64, f64) {
        let Some(i) = find(shares, order, Some(area)) else { return (0.0, 0.0) };
        let get = |c: &str| shares.column(c).ok().and_then(|s| s.f64().ok()?.get(i)).unwrap_or(0.0);
        (tidy(get("share10")), tidy(get("share20")))
    };
    let (england_share10, england_share20) = share(areas.0);
    let (district_share10, district_share20) = share(areas.1);
    Some(EnglandPosition {
        indicator_id: id.to_owned(),
        lsoas,
        worst10: cut("worst10")?,
        worst20: cut("worst20")?,
        england_share10,
        england_share20,
        district_share10,
        district_share20,
        basis: basis(carried, lsoas, spec.indicator.polarity),
    })
}

/// The row of an indicator (and area, when given).
fn find(frame: &DataFrame, order: u32, area: Option<&str>) -> Option<usize> {
    let indicator = frame.column("indicator").ok()?.u32().ok()?;
    let areas = frame.column("area").ok().and_then(|c| c.str().ok().cloned());
    (0..frame.height()).find(|&i| {
        indicator.get(i) == Some(order) && area.is_none_or(|k| areas.as_ref().and_then(|a| a.get(i)) == Some(k))
    })
}

/// How the cut-points and shares were computed, in words.
fn basis(carried: bool, n: usize, polarity: Polarity) -> String {
    let order = match polarity {
        Polarity::HighIsGood => "lowest first (rank 1 is the most deprived)",
        _ => "highest first",
    };
    let (geography, carried) = if carried {
        ("LSOA 2011", "; each LSOA 2021 carries its 2011 parent's value (merged areas the mean of their parents')")
    } else {
        ("LSOA 2021", "")
    };
    format!(
        "Cut-points: England's {} {geography} values ordered {order}; worst10 is the value at position {} (N ÷ 10, rounded down) and worst20 at position {} (N ÷ 5), and a value at least as bad as the cut counts as inside. Shares: Census 2021 usual residents of the LSOAs 2021 whose value is at the cut or worse, as % of the residents of LSOAs with a value{carried}",
        thousands(n),
        thousands(n / 10),
        thousands(n / 5),
    )
}
