//! The spine chart of a locality's profile: every indicator with a value, against England.

use super::{Drawn, Figure, FigureError, Sources, Table, caption, row_value, significance};
use crate::analysis::{Area, Method, profile};
use crate::charts::{Chart, Spine, SpineNeighbours, SpineRange, SpineRow};

/// Builds the chart and its table.
pub fn build(sources: &Sources, area: &Area) -> Result<Figure, FigureError> {
    let profile = profile(sources.atlas, area, sources.disclosure);
    let mut table = Table::new(
        &[
            "indicator_id",
            "indicator",
            "unit",
            "period",
            "numerator",
            "denominator",
            "value",
            "lower_95",
            "upper_95",
            "method",
            "england_value",
            "england_lowest",
            "england_q25",
            "england_q75",
            "england_highest",
            "similar_districts_mean",
            "similar_districts_lowest",
            "similar_districts_highest",
            "comparison_with_england",
            "comparison_with_district",
            "reading",
        ],
        vec![
            format!("Area profile of {} against England", profile.name),
            profile.comparison_levels.to_owned(),
            "England range: across England's local authority districts where the source publishes district figures"
                .to_owned(),
            format!(
                "Similar districts: {}'s statistical neighbours ({})",
                profile.district,
                crate::analysis::words::names(&profile.neighbours.iter().map(|n| n.name.as_str()).collect::<Vec<_>>())
            ),
        ]
        .into_iter()
        .chain(profile.neighbours_caution.clone())
        .collect(),
    );
    let mut rows = Vec::new();
    let mut drawn = Vec::new();
    // Indicators with an England value, latest edition only (the 2019 edition is in the change chart).
    let latest = |id: &str| {
        let indicator = sources.atlas.indicator(id);
        let later = indicator.and_then(|i| i.counterpart.as_deref()).and_then(|c| sources.atlas.indicator(c));
        match (indicator, later) {
            (Some(i), Some(other)) => i.period >= other.period,
            _ => true,
        }
    };
    for row in profile.indicators.iter().filter(|r| {
        // Counts are totals, not rates: against England's total they place nothing. Standardised
        // ratios without counts give an area no figure to place.
        !matches!(r.area.method, Method::Distribution | Method::Sum | Method::NotCombinable)
            && !r.district_figure
            && r.england.value.is_some()
            && latest(&r.id)
    }) {
        drawn.extend(sources.atlas.indicator(&row.id));
        let range = sources.atlas.england_range(&row.id).map(|r| SpineRange {
            low: r.lowest,
            q25: r.q25,
            q75: r.q75,
            high: r.highest,
        });
        table.push(vec![
            row.id.as_str().into(),
            row.name.as_str().into(),
            row.unit.as_str().into(),
            row.period.as_str().into(),
            row.area.numerator.into(),
            row.area.denominator.into(),
            row.area.value.into(),
            row.area.ci95.map(|c| c.lower).into(),
            row.area.ci95.map(|c| c.upper).into(),
            row.method_description.into(),
            row.england.value.into(),
            range.map(|r| r.low).into(),
            range.map(|r| r.q25).into(),
            range.map(|r| r.q75).into(),
            range.map(|r| r.high).into(),
            row.neighbours.as_ref().map(|n| n.mean).into(),
            row.neighbours.as_ref().map(|n| n.lowest).into(),
            row.neighbours.as_ref().map(|n| n.highest).into(),
            row.england.label.as_str().into(),
            row.district.label.as_str().into(),
            row.reading.text.as_str().into(),
        ]);
        let value_text = match (row.area.value, &row.area.suppressed) {
            (Some(v), _) => row_value(v, row),
            (None, Some(_)) => "Suppressed".to_owned(),
            (None, None) => "Not published".to_owned(),
        };
        rows.push(SpineRow {
            indicator: row.name.clone(),
            period: row.period.trim_start_matches("Census ").trim_start_matches("IoD").to_owned(),
            area_value_text: value_text,
            benchmark: row.england.value,
            range,
            area_value: row.area.value,
            significance: significance(row.england.comparison),
            polarity: row.polarity,
            neighbours: row.neighbours.as_ref().map(|n| SpineNeighbours {
                low: n.lowest,
                mean: n.mean,
                high: n.highest,
            }),
        });
    }
    if rows.is_empty() {
        return Err(FigureError::NothingToDraw(format!("{} has no indicator values", profile.name)));
    }
    let chart = Chart::Spine(Spine {
        caption: caption(
            sources,
            &Drawn::combined(drawn),
            format!("{}: area profile", profile.name),
            if profile.neighbours.is_empty() {
                "Each indicator against England (centre line) and the range across England's districts · 95% and 99.8% intervals".to_owned()
            } else {
                format!(
                    "Each indicator against England (centre line), the range across England's districts and {}'s {} most similar districts · 95% and 99.8% intervals",
                    profile.district,
                    profile.neighbours.len()
                )
            },
            "Position within the England range",
            "Indicator",
            format!("Spine chart of {} indicators for {}, each compared with England.", rows.len(), profile.name),
        ),
        rows,
        area_name: profile.name.clone(),
        benchmark_name: "England".to_owned(),
    });
    Ok(Figure { chart, table })
}
