//! The attention list: indicators significantly worse than Coventry or England, flagged where
//! they also got worse since IoD2019 (Fingertips' "red-red").

use serde::Serialize;

use super::change::Direction;
use super::profile::{Profile, ProfileRow};
use crate::stats::Comparison;

/// One indicator needing attention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    /// Indicator id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The area's value.
    pub value: Option<f64>,
    /// Unit.
    pub unit: String,
    /// Comparison with Coventry.
    pub vs_coventry: Comparison,
    /// Comparison with England.
    pub vs_england: Comparison,
    /// Direction since IoD2019, where known.
    pub since_2019: Option<Direction>,
    /// Worse than a benchmark and got worse: the first to look at.
    pub red_red: bool,
}

fn is_worse(c: Comparison) -> bool {
    matches!(c, Comparison::Worse | Comparison::Worst)
}

/// The attention list of a profile, red-red first, then the rest in catalogue order.
pub fn attention(profile: &Profile) -> Vec<Attention> {
    let mut list: Vec<Attention> = profile
        .indicators
        .iter()
        .filter(|r| is_worse(r.coventry.comparison) || is_worse(r.england.comparison))
        .map(entry)
        .collect();
    list.sort_by_key(|a| !a.red_red);
    list
}

fn entry(row: &ProfileRow) -> Attention {
    let since_2019 = row.change.as_ref().map(|c| c.direction);
    Attention {
        id: row.id.clone(),
        name: row.name.clone(),
        value: row.area.value,
        unit: row.unit.clone(),
        vs_coventry: row.coventry.comparison,
        vs_england: row.england.comparison,
        since_2019,
        red_red: matches!(since_2019, Some(Direction::Worsened | Direction::WorsenedSignificantly)),
    }
}
