//! The attention list: indicators significantly worse than the district or England, flagged where
//! they also got relatively worse since IoD2019 (Fingertips' "red-red").
//!
//! "Worsening" is judged only in relative terms: the area's rate as a ratio to England's rate of
//! the same edition moved significantly in the bad direction. A level difference between IoD2019
//! and IoD2025 (where the methods changed) never makes an indicator "worsening".

use serde::Serialize;

use super::profile::{Profile, ProfileRow};
use super::relative::RelativeDirection;
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
    /// Comparison with the district.
    pub vs_district: Comparison,
    /// Comparison with England.
    pub vs_england: Comparison,
    /// The two comparisons in words.
    pub words: String,
    /// Relative change since IoD2019 (ratio to England), where the indicator has one.
    pub since_2019: Option<RelativeDirection>,
    /// That direction in a few words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_2019_label: Option<&'static str>,
    /// The relative change in full, with both editions' ratios.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_2019_words: Option<String>,
    /// Worse than a benchmark and relatively worse than in 2019: the first to look at.
    pub red_red: bool,
    /// The red-red flag in words, when it is raised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<&'static str>,
}

/// The words of the red-red flag.
pub const RED_RED: &str = "Worse than a benchmark and relatively worse than in 2019";

fn is_worse(c: Comparison) -> bool {
    matches!(c, Comparison::Worse | Comparison::Worst)
}

/// The attention list of a profile, red-red first, then the rest in catalogue order. Rows of the
/// earlier IoD edition are left out: their IoD2025 counterpart carries the relative change.
pub fn attention(profile: &Profile) -> Vec<Attention> {
    let superseded = |row: &ProfileRow| {
        profile.indicators.iter().any(|r| r.since_2019.as_ref().is_some_and(|c| c.earlier == row.id))
    };
    let mut list: Vec<Attention> = profile
        .indicators
        .iter()
        .filter(|r| (is_worse(r.district.comparison) || is_worse(r.england.comparison)) && !superseded(r))
        .map(|row| entry(row, profile.level.is_whole_district()))
        .collect();
    list.sort_by_key(|a| !a.red_red);
    list
}

/// One row's entry; a whole district is its own district figure, so it is set against England alone.
fn entry(row: &ProfileRow, whole_district: bool) -> Attention {
    let since_2019 = row.since_2019.as_ref().map(|c| c.vs_england);
    Attention {
        id: row.id.clone(),
        name: row.name.clone(),
        value: row.area.value,
        unit: row.unit.clone(),
        vs_district: row.district.comparison,
        vs_england: row.england.comparison,
        words: if whole_district {
            format!("England: {}", row.england.label)
        } else {
            format!("{}: {}; England: {}", row.district.name, row.district.label, row.england.label)
        },
        since_2019,
        since_2019_label: since_2019.map(RelativeDirection::label),
        since_2019_words: row.since_2019.as_ref().map(|c| c.words.clone()),
        red_red: since_2019.is_some_and(RelativeDirection::is_relatively_worse),
        flag: since_2019.is_some_and(RelativeDirection::is_relatively_worse).then_some(RED_RED),
    }
}
