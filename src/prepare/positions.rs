//! Where England's worst 10% and 20% of LSOAs begin for an indicator, and how many of England's
//! and Coventry's residents live there: how published scores, which carry no sampling error, are
//! placed in England's distribution.
//!
//! The N English LSOAs with a value (LSOA 2011 for IoD2019, LSOA 2021 otherwise) are ordered worst
//! first: the highest values first when low is good, the lowest first when high is good (ranks:
//! rank 1 is the most deprived). The worst 10% are the first ⌊N ÷ 10⌋, which for ranks is MHCLG's
//! decile 1; the cut-point is the value of the last of them, and any LSOA whose value is at least
//! as bad as the cut-point counts as inside (so ties at the cut are in). The worst 20% likewise
//! with ⌊N ÷ 5⌋.

use super::catalogue::Spec;
use super::comparators::{thousands, tidy};
use super::derive::Derived;
use super::england::England;
use crate::analysis::aggregate::{Method, method_of};
use crate::atlas::{EnglandPosition, Polarity, ValueType};

/// The worst-10% and worst-20% cut-points of the values under the polarity; `None` when there
/// are fewer than ten values or no direction is worse.
pub fn cuts(values: &[f64], polarity: Polarity) -> Option<(f64, f64)> {
    let mut worst_first = values.to_vec();
    match polarity {
        Polarity::LowIsGood => worst_first.sort_by(|a, b| b.total_cmp(a)),
        Polarity::HighIsGood => worst_first.sort_by(f64::total_cmp),
        Polarity::NoJudgement => return None,
    }
    let n = worst_first.len();
    if n < 10 {
        return None;
    }
    Some((worst_first[n / 10 - 1], worst_first[n / 5 - 1]))
}

/// England's worst 10% and 20% of an indicator: for ranks, and for indicators combined as
/// population-weighted means that have national LSOA figures and are neither district figures nor
/// modelled (placing single LSOAs by a figure modelled from their type would rank them by it).
pub fn position(spec: &Spec, derived: &Derived, england: &England) -> Option<EnglandPosition> {
    let indicator = &spec.indicator;
    let placed = indicator.value_type == ValueType::Rank
        || (method_of(indicator) == Method::PopulationWeightedMean
            && !indicator.district_figure
            && !indicator.modelled);
    if !derived.national || !placed {
        return None;
    }
    let published: Vec<f64> = derived.published().iter().filter_map(|o| o.and_then(|o| o.value)).collect();
    let (worst10, worst20) = cuts(&published, indicator.polarity)?;
    let mut position = cut_at(&indicator.id, published.len(), worst10, worst20);
    let shares = |members: &mut dyn Iterator<Item = usize>| {
        let (mut all, mut worst10, mut worst20) = (0.0, 0.0, 0.0);
        for i in members {
            let Some(value) = derived.lsoa21[i].and_then(|o| o.value) else { continue };
            let people = england.residents[i];
            all += people;
            if position.is_worst(value, 1, indicator.polarity) {
                worst10 += people;
            }
            if position.is_worst(value, 2, indicator.polarity) {
                worst20 += people;
            }
        }
        if all > 0.0 { (tidy(worst10 / all * 100.0), tidy(worst20 / all * 100.0)) } else { (0.0, 0.0) }
    };
    let england_shares = shares(&mut (0..england.lsoa21.len()));
    let coventry_shares = shares(&mut england.coventry.iter().copied());
    (position.england_share10, position.england_share20) = england_shares;
    (position.coventry_share10, position.coventry_share20) = coventry_shares;
    position.basis = basis(derived, published.len(), indicator.polarity);
    Some(position)
}

/// A position with its cut-points alone: the shares and basis are filled in afterwards.
fn cut_at(indicator_id: &str, lsoas: usize, worst10: f64, worst20: f64) -> EnglandPosition {
    EnglandPosition {
        indicator_id: indicator_id.to_owned(),
        lsoas,
        worst10,
        worst20,
        england_share10: 0.0,
        england_share20: 0.0,
        coventry_share10: 0.0,
        coventry_share20: 0.0,
        basis: String::new(),
    }
}

/// How the cut-points and shares were computed, in words.
fn basis(derived: &Derived, n: usize, polarity: Polarity) -> String {
    let order = match polarity {
        Polarity::HighIsGood => "lowest first (rank 1 is the most deprived)",
        _ => "highest first",
    };
    let (geography, carried) = match derived.lsoa11 {
        Some(_) => {
            ("LSOA 2011", "; each LSOA 2021 carries its 2011 parent's value (merged areas the mean of their parents')")
        }
        None => ("LSOA 2021", ""),
    };
    format!(
        "Cut-points: England's {} {geography} values ordered {order}; worst10 is the value at position {} (N ÷ 10, rounded down) and worst20 at position {} (N ÷ 5), and a value at least as bad as the cut counts as inside. Shares: Census 2021 usual residents of the LSOAs 2021 whose value is at the cut or worse, as % of the residents of LSOAs with a value{carried}",
        thousands(n),
        thousands(n / 10),
        thousands(n / 5),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_is_the_last_of_the_worst_tenth_when_low_is_good() {
        let values: Vec<f64> = (1..=25).map(f64::from).collect();
        // N = 25: the worst 10% are the 2 highest, the worst 20% the 5 highest.
        assert_eq!(cuts(&values, Polarity::LowIsGood), Some((24.0, 21.0)));
    }

    #[test]
    fn the_cut_is_the_last_of_the_lowest_tenth_for_ranks() {
        let ranks: Vec<f64> = (1..=33_755).map(f64::from).collect();
        assert_eq!(cuts(&ranks, Polarity::HighIsGood), Some((3375.0, 6751.0)));
        let ranks: Vec<f64> = (1..=32_844).map(f64::from).collect();
        assert_eq!(cuts(&ranks, Polarity::HighIsGood), Some((3284.0, 6568.0)));
    }

    #[test]
    fn values_tied_with_the_cut_count_as_inside() {
        // N = 20: the worst 10% are the 2 worst, but three LSOAs share the second-worst value.
        let mut values = vec![9.0, 8.0, 8.0, 8.0];
        values.extend([1.0; 16]);
        let (worst10, worst20) = cuts(&values, Polarity::LowIsGood).unwrap();
        assert_eq!((worst10, worst20), (8.0, 8.0));
        let position = cut_at("", values.len(), worst10, worst20);
        let inside = values.iter().filter(|&&v| position.is_worst(v, 1, Polarity::LowIsGood)).count();
        assert_eq!(inside, 4);

        // Ranks with a published tie at the cut: two LSOAs share rank 2.
        let mut ranks = vec![1.0, 2.0, 2.0];
        ranks.extend((4..=20).map(f64::from));
        let (worst10, worst20) = cuts(&ranks, Polarity::HighIsGood).unwrap();
        assert_eq!((worst10, worst20), (2.0, 4.0));
        let position = cut_at("", ranks.len(), worst10, worst20);
        let inside = ranks.iter().filter(|&&r| position.is_worst(r, 1, Polarity::HighIsGood)).count();
        assert_eq!(inside, 3);
    }

    #[test]
    fn too_few_values_or_no_direction_give_no_cut() {
        assert_eq!(cuts(&[1.0, 2.0, 3.0], Polarity::LowIsGood), None);
        assert_eq!(cuts(&[1.0; 20], Polarity::NoJudgement), None);
    }
}
