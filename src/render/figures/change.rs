//! Change between the 2019 and 2025 editions of an indicator, per locality and for Coventry.

use super::{Figure, FigureError, Sources, Table, caption, with_unit};
use crate::analysis::{Area, aggregate, change};
use crate::atlas::Indicator;
use crate::render::charts::{Change, ChangeRow, Chart};

/// Builds the chart and its table.
pub fn build(sources: &Sources, indicator: &Indicator) -> Result<Figure, FigureError> {
    let atlas = sources.atlas;
    let counterpart = indicator.counterpart.as_deref().and_then(|id| atlas.indicator(id)).ok_or_else(|| {
        FigureError::NothingToDraw(format!("{} has no counterpart in the other edition", indicator.name))
    })?;
    // Either edition may be named: the change always runs from the earlier period to the later.
    let (earlier, indicator) =
        if counterpart.period <= indicator.period { (counterpart, indicator) } else { (indicator, counterpart) };
    let mut areas: Vec<Area> =
        atlas.localities().iter().filter(|l| !l.is_context()).filter_map(|l| Area::locality(atlas, &l.id)).collect();
    areas.push(Area::city(atlas));
    let mut table = Table::new(
        &["area", "period_before", "value_before", "lower_95_before", "upper_95_before", "period_after", "value_after", "lower_95_after", "upper_95_after", "difference", "direction"],
        vec![
            format!("{} ({}): {} to {}", indicator.name, indicator.unit, earlier.period, indicator.period),
            "IoD2019 values carried to 2021 LSOAs with the ONS lookup; significant when the 95% intervals do not overlap".to_owned(),
        ],
    );
    let mut rows = Vec::new();
    for area in &areas {
        let before = aggregate(atlas, earlier, &area.members, sources.disclosure);
        let after = aggregate(atlas, indicator, &area.members, sources.disclosure);
        let Some(moved) = change(atlas, indicator, area, sources.disclosure) else { continue };
        let direction =
            serde_json::to_value(moved.direction).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        table.push(vec![
            area.name.as_str().into(),
            earlier.period.as_str().into(),
            before.value.into(),
            before.ci95.map(|c| c.lower).into(),
            before.ci95.map(|c| c.upper).into(),
            indicator.period.as_str().into(),
            after.value.into(),
            after.ci95.map(|c| c.lower).into(),
            after.ci95.map(|c| c.upper).into(),
            moved.difference.into(),
            direction.into(),
        ]);
        rows.push(ChangeRow {
            label: area.name.clone(),
            before: before.value,
            after: after.value,
            before_interval: before.ci95.map(|c| (c.lower, c.upper)),
            after_interval: after.ci95.map(|c| (c.lower, c.upper)),
            direction: moved.direction,
        });
    }
    if rows.iter().all(|r| r.before.is_none() && r.after.is_none()) {
        return Err(FigureError::NothingToDraw(format!("{} has no published values to compare", indicator.name)));
    }
    let chart = Chart::Change(Change {
        caption: caption(
            sources,
            format!("{}: change from {} to {}", indicator.name, earlier.period, indicator.period),
            format!(
                "{} · the three localities and Coventry · 95% intervals · significant when they do not overlap",
                indicator.unit
            ),
            &with_unit(indicator),
            "Area",
            format!(
                "Dumbbell chart of {} in {} and {} for each locality and Coventry.",
                indicator.name, earlier.period, indicator.period
            ),
        ),
        rows,
        before_label: earlier.period.clone(),
        after_label: indicator.period.clone(),
        unit: indicator.unit.clone(),
    });
    Ok(Figure { chart, table })
}
