//! Change over time: IoD2019 (carried to LSOA 2021) against IoD2025 for the same area.

use serde::Serialize;

use super::aggregate::aggregate;
use super::area::Area;
use super::disclosure::Disclosure;
use crate::atlas::{Atlas, Indicator, Polarity};

/// Which way an indicator moved, judged by its polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Moved in the good direction, with non-overlapping 95% intervals.
    ImprovedSignificantly,
    /// Moved in the good direction; not significant or no intervals.
    Improved,
    /// No change.
    Unchanged,
    /// Moved in the bad direction; not significant or no intervals.
    Worsened,
    /// Moved in the bad direction, with non-overlapping 95% intervals.
    WorsenedSignificantly,
    /// The indicator has no polarity: the value rose or fell.
    Moved,
    /// A value is missing or suppressed.
    NotAssessed,
}

/// The change of one indicator in one area between the two IoD editions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The earlier indicator's id.
    pub from_indicator: String,
    /// Earlier period.
    pub from_period: String,
    /// Earlier value.
    pub from_value: Option<f64>,
    /// Later period.
    pub to_period: String,
    /// Later value.
    pub to_value: Option<f64>,
    /// Later minus earlier, in the unit.
    pub difference: Option<f64>,
    /// Whether both 95% intervals exist and do not overlap.
    pub significant: Option<bool>,
    /// Good or bad, by polarity.
    pub direction: Direction,
    /// Why the comparison needs care.
    pub note: &'static str,
}

const NOTE: &str = "IoD2019 figures are carried from LSOA 2011 to LSOA 2021 with the ONS lookup. The IoD2025 methods and inputs differ from IoD2019 (for example Universal Credit in the income domain), so a change can reflect the method as well as the place. Significance: the two 95% intervals do not overlap.";

/// The change for a 2025 indicator whose catalogue entry names a 2019 counterpart.
pub fn change(atlas: &Atlas, later: &Indicator, area: &Area, disclosure: &Disclosure) -> Option<Change> {
    let earlier = atlas.indicator(later.counterpart.as_deref()?)?;
    if later.period <= earlier.period {
        return None;
    }
    let before = aggregate(atlas, earlier, &area.members, disclosure);
    let after = aggregate(atlas, later, &area.members, disclosure);
    let difference = before.value.zip(after.value).map(|(a, b)| b - a);
    let significant = before.ci95.zip(after.ci95).map(|(a, b)| a.upper < b.lower || b.upper < a.lower);
    let direction = match (difference, later.polarity) {
        (None, _) => Direction::NotAssessed,
        (Some(0.0), _) => Direction::Unchanged,
        (Some(_), Polarity::NoJudgement) => Direction::Moved,
        (Some(d), polarity) => {
            let better = (d > 0.0) == (polarity == Polarity::HighIsGood);
            match (better, significant == Some(true)) {
                (true, true) => Direction::ImprovedSignificantly,
                (true, false) => Direction::Improved,
                (false, true) => Direction::WorsenedSignificantly,
                (false, false) => Direction::Worsened,
            }
        }
    };
    Some(Change {
        from_indicator: earlier.id.clone(),
        from_period: earlier.period.clone(),
        from_value: before.value,
        to_period: later.period.clone(),
        to_value: after.value,
        difference,
        significant,
        direction,
        note: NOTE,
    })
}
