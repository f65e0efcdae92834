//! Where an area sits in England's distribution of an indicator: the share of its residents in
//! England's most deprived 10% and 20% of LSOAs, its residents by national decile, and its mean
//! national rank percentile.
//!
//! These are the readings of published scores and ranks, which carry no sampling error: they
//! describe a position, they do not test a difference (the public health agencies'
//! guidance on benchmarks). Residents are Census 2021 usual residents, the same weights for both IoD editions.

use serde::Serialize;

use super::aggregate::{Member, national_decile, national_percentile};
use crate::atlas::schema::POPULATION_INDICATOR;
use crate::atlas::{Atlas, EnglandPosition, Indicator, ValueType};

/// What a position reading is, in words every output uses.
pub const DESCRIPTIVE: &str = "descriptive: no interval";

/// The shares of an area's residents in England's worst 10% and 20% of LSOAs, with the district's and
/// England's computed the same way.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Position {
    /// % of the area's residents in LSOAs among England's worst 10% for this indicator.
    pub share10: f64,
    /// % in England's worst 20%.
    pub share20: f64,
    /// The district's share in England's worst 10%.
    pub district_share10: f64,
    /// The district's share in England's worst 20%.
    pub district_share20: f64,
    /// England's share in its own worst 10% of LSOAs (about 10%, weighted by residents).
    pub england_share10: f64,
    /// England's share in its worst 20%.
    pub england_share20: f64,
}

/// An area's LSOAs and residents by national decile (index 0 = decile 1, the most deprived 10%).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DecileSpread {
    /// LSOAs (or parts of them) in each decile.
    pub lsoas: [f64; 10],
    /// % of the area's residents in each decile.
    pub residents: [f64; 10],
}

/// Each member's indicator value and Census 2021 residents (times its share), where both exist.
fn weighted_values(atlas: &Atlas, indicator: &Indicator, members: &[Member]) -> Vec<(f64, f64, f64)> {
    let values = atlas.observations(&indicator.id).unwrap_or_default();
    let people = atlas.observations(POPULATION_INDICATOR).unwrap_or_default();
    members
        .iter()
        .filter_map(|m| {
            let value = values.get(m.lsoa).copied().flatten()?.value?;
            let residents = people.get(m.lsoa).copied().flatten()?.value?;
            Some((value, residents * m.share, m.share))
        })
        .collect()
}

/// Census 2021 usual residents of the members (each times its share).
pub fn residents(atlas: &Atlas, members: &[Member]) -> f64 {
    let people = atlas.observations(POPULATION_INDICATOR).unwrap_or_default();
    members.iter().filter_map(|m| Some(people.get(m.lsoa).copied().flatten()?.value? * m.share)).sum()
}

/// % of the members' residents in England's worst 10% and 20% for the indicator.
pub fn shares_in_worst(
    atlas: &Atlas,
    indicator: &Indicator,
    members: &[Member],
    cut: &EnglandPosition,
) -> Option<(f64, f64)> {
    let values = weighted_values(atlas, indicator, members);
    let total: f64 = values.iter().map(|v| v.1).sum();
    if total <= 0.0 {
        return None;
    }
    let within = |tenths: u8| {
        values.iter().filter(|(v, ..)| cut.is_worst(*v, tenths, indicator.polarity)).map(|v| v.1).sum::<f64>() / total
            * 100.0
    };
    Some((within(1), within(2)))
}

/// The area's position in England for an indicator with published cut-points, beside the district's.
pub fn position(atlas: &Atlas, indicator: &Indicator, members: &[Member], city: &[Member]) -> Option<Position> {
    if indicator.district_figure {
        return None;
    }
    let cut = atlas.england_position(&indicator.id)?;
    let (share10, share20) = shares_in_worst(atlas, indicator, members, cut)?;
    let (district_share10, district_share20) = shares_in_worst(atlas, indicator, city, cut)?;
    Some(Position {
        share10,
        share20,
        district_share10,
        district_share20,
        england_share10: cut.england_share10,
        england_share20: cut.england_share20,
    })
}

/// The members by national decile, for ranks and deciles.
pub fn decile_spread(atlas: &Atlas, indicator: &Indicator, members: &[Member]) -> Option<DecileSpread> {
    let decile = |v: f64| match indicator.value_type {
        ValueType::Decile => Some(v),
        ValueType::Rank => indicator.national_areas.map(|_| national_decile(v, indicator)),
        _ => None,
    };
    let values = weighted_values(atlas, indicator, members);
    let total: f64 = values.iter().map(|v| v.1).sum();
    if values.is_empty() || total <= 0.0 {
        return None;
    }
    let mut spread = DecileSpread { lsoas: [0.0; 10], residents: [0.0; 10] };
    for (value, residents, share) in values {
        let d = decile(value).filter(|d| (1.0..=10.0).contains(d))? as usize - 1;
        spread.lsoas[d] += share;
        spread.residents[d] += residents / total * 100.0;
    }
    Some(spread)
}

/// The residents' mean national rank percentile (0 = England's most deprived LSOA, 100 the least).
pub fn mean_percentile(atlas: &Atlas, indicator: &Indicator, members: &[Member]) -> Option<f64> {
    let values = weighted_values(atlas, indicator, members);
    let (mut sum, mut weight) = (0.0, 0.0);
    for (rank, residents, _) in values {
        sum += national_percentile(rank, indicator)? * residents;
        weight += residents;
    }
    (weight > 0.0).then(|| sum / weight)
}
