//! Change between IoD2019 and IoD2025, per locality and for Coventry, in relative terms only: a
//! rate as a ratio to England's rate of the same edition, a rank or score as the share of residents
//! in England's most deprived 10%. The two editions' levels are never drawn against each other.

use super::{Drawn, Figure, FigureError, Sources, Table, caption};
use crate::analysis::relative::{editions, relative_change};
use crate::analysis::{Area, LEVELS_NOT_COMPARABLE, RelativeChange, words};
use crate::atlas::Indicator;
use crate::charts::{Change, ChangeRow, Chart};

/// Builds the chart and its table: each locality, then the whole district, or `district` (one
/// of England's, in England's atlas, whose whole is England: a ratio of 1 by definition).
pub fn build(sources: &Sources, indicator: &Indicator, district: Option<Area>) -> Result<Figure, FigureError> {
    let atlas = sources.atlas;
    let (earlier, later) = editions(atlas, indicator).ok_or_else(|| {
        FigureError::NothingToDraw(format!(
            "{} has no counterpart in the other edition that can be compared in relative terms",
            indicator.name
        ))
    })?;
    let mut areas: Vec<Area> =
        atlas.localities().iter().filter(|l| !l.is_context()).filter_map(|l| Area::locality(atlas, &l.id)).collect();
    areas.push(district.unwrap_or_else(|| Area::city(atlas)));
    let whole = areas.last().map_or_else(String::new, |a| a.name.clone());
    let each = if areas.len() > 1 { "each locality and " } else { "" };
    let changes: Vec<(Area, RelativeChange)> = areas
        .into_iter()
        .filter_map(|area| relative_change(atlas, later, &area, sources.disclosure).map(|c| (area, c)))
        .collect();
    let Some((_, first)) = changes.first() else {
        return Err(FigureError::NothingToDraw(format!(
            "{} cannot be compared across editions in relative terms (no ratio to England or position in England)",
            later.name
        )));
    };
    let ratio = first.measure == "ratio_to_england";
    let (measure, unit, reference) = if ratio {
        ("ratio to England's rate of the same edition", "×", Some((1.0, "England = 1".to_owned())))
    } else {
        ("% of residents in England's most deprived 10%", "%", None)
    };
    let mut table = Table::new(
        &[
            "area",
            "measure",
            "period_before",
            "value_before",
            "lower_95_before",
            "upper_95_before",
            "period_after",
            "value_after",
            "lower_95_after",
            "upper_95_after",
            "relative_change",
            "level_before",
            "level_after",
            "levels",
        ],
        vec![
            format!("{}: relative position in {} and {}", later.name, earlier.period, later.period),
            format!("Measure: {measure}. {}", first.method),
            format!("Levels are shown for reference only: {LEVELS_NOT_COMPARABLE}."),
        ],
    );
    let mut rows = Vec::new();
    for (area, change) in &changes {
        let (before, after, before_interval, after_interval, levels) = match (&change.ratios, &change.positions) {
            (Some([b, a]), _) => (
                b.to_england.map(|r| r.ratio.value),
                a.to_england.map(|r| r.ratio.value),
                b.to_england.map(|r| (r.ratio.ci95.lower, r.ratio.ci95.upper)),
                a.to_england.map(|r| (r.ratio.ci95.lower, r.ratio.ci95.upper)),
                (b.value, a.value),
            ),
            (_, Some([b, a])) => (b.share10, a.share10, None, None, (None, None)),
            _ => continue,
        };
        table.push(vec![
            area.name.as_str().into(),
            measure.into(),
            earlier.period.as_str().into(),
            before.into(),
            before_interval.map(|i| i.0).into(),
            before_interval.map(|i| i.1).into(),
            later.period.as_str().into(),
            after.into(),
            after_interval.map(|i| i.0).into(),
            after_interval.map(|i| i.1).into(),
            change.vs_england.label().into(),
            levels.0.into(),
            levels.1.into(),
            LEVELS_NOT_COMPARABLE.into(),
        ]);
        rows.push(ChangeRow {
            label: area.name.clone(),
            before,
            after,
            before_interval,
            after_interval,
            direction: change.vs_england,
        });
    }
    if rows.iter().all(|r| r.before.is_none() && r.after.is_none()) {
        return Err(FigureError::NothingToDraw(format!("{} has no published values to compare", later.name)));
    }
    let subtitle = if ratio {
        "Each edition's rate divided by England's rate of the same edition · 95% intervals · a ratio moved only when the two ratios differ significantly · levels not comparable: methods changed"
    } else {
        "Share of residents in England's most deprived 10% in each edition · ranks carry no interval: moves are described, not tested · levels not comparable: methods changed"
    };
    let chart = Chart::Change(Change {
        caption: caption(
            sources,
            // Positions are shares of residents; ratios come from the editions' own counts.
            &Drawn { indicators: vec![earlier, later], residents: !ratio },
            format!("{}: position relative to England, {} and {}", later.name, earlier.period, later.period),
            subtitle.to_owned(),
            &words::capitalise(measure),
            "Area",
            format!(
                "Dumbbell chart of {} as {} in {} and {} for {each}{whole}.",
                later.name, measure, earlier.period, later.period
            ),
        ),
        rows,
        before_label: earlier.period.clone(),
        after_label: later.period.clone(),
        unit: unit.to_owned(),
        reference,
    });
    Ok(Figure { chart, table })
}
