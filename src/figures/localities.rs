//! The localities side by side with their district and England, for one indicator.

use super::{
    Benchmark, Cell, Drawn, Figure, FigureError, Sources, Table, benchmark_value, caption, comparison_words,
    significance, with_unit,
};
use crate::analysis::{Area, aggregate};
use crate::atlas::Indicator;
use crate::charts::{Chart, Comparison, ComparisonRow, Significance};
use crate::stats::{Levels, compare};

/// Builds the chart and its table.
pub fn build(sources: &Sources, indicator: &Indicator, benchmark: Benchmark) -> Result<Figure, FigureError> {
    if indicator.is_standardised_ratio() {
        return Err(FigureError::NothingToDraw(format!(
            "{} has no ratio for an area of several LSOAs: {}",
            indicator.name,
            crate::analysis::aggregate::NO_AREA_RATIO
        )));
    }
    let atlas = sources.atlas;
    let (benchmark_name, benchmark_figure) = benchmark_value(sources, indicator, benchmark);
    let mut areas: Vec<Area> =
        atlas.localities().iter().filter(|l| !l.is_context()).filter_map(|l| Area::locality(atlas, &l.id)).collect();
    let the_localities = super::counted(areas.len(), "locality", "localities");
    let names: Vec<String> = areas.iter().map(|a| a.name.replace('/', " / ")).collect();
    let place = atlas.place().name.clone();
    let mut table = Table::new(
        &[
            "area",
            "numerator",
            "denominator",
            "value",
            "lower_95",
            "upper_95",
            "method",
            "comparison_with",
            "comparison",
        ],
        vec![
            format!(
                "{} ({}), {}: {the_localities}, {place} and England",
                indicator.name, indicator.unit, indicator.period
            ),
            format!(
                "Comparison with {benchmark_name}: Similar when the benchmark lies inside the 95% interval; Best/Worst outside the 99.8% interval"
            ),
        ],
    );
    let mut rows = Vec::new();
    areas.push(Area::city(atlas));
    for area in &areas {
        let figures = aggregate(atlas, indicator, &area.members, sources.disclosure);
        let is_benchmark = benchmark == Benchmark::District && area.level == crate::analysis::Level::City;
        let comparison = if is_benchmark {
            crate::stats::Comparison::NotCompared
        } else {
            compare(figures.estimate().as_ref(), benchmark_figure, indicator.judged_polarity(), Levels::Two)
        };
        table.push(vec![
            area.name.as_str().into(),
            figures.numerator.into(),
            figures.denominator.into(),
            figures.value.into(),
            figures.ci95.map(|c| c.lower).into(),
            figures.ci95.map(|c| c.upper).into(),
            figures.method.describe().into(),
            benchmark_name.as_str().into(),
            comparison_words(comparison).into(),
        ]);
        rows.push(ComparisonRow {
            label: area.name.clone(),
            value: figures.value,
            interval: figures.ci95.map(|c| (c.lower, c.upper)),
            significance: significance(comparison),
            is_benchmark,
        });
    }
    let (_, england) = benchmark_value(sources, indicator, Benchmark::England);
    table.push(vec![
        "England".into(),
        Cell::Empty,
        Cell::Empty,
        england.into(),
        Cell::Empty,
        Cell::Empty,
        "published figure".into(),
        Cell::Empty,
        Cell::Empty,
    ]);
    rows.push(ComparisonRow {
        label: "England".to_owned(),
        value: england,
        interval: None,
        significance: Significance::NotCompared,
        is_benchmark: benchmark == Benchmark::England,
    });
    if rows.iter().all(|r| r.value.is_none()) {
        return Err(FigureError::NothingToDraw(format!("{} has no published value for any locality", indicator.name)));
    }
    let chart = Chart::Comparison(Comparison {
        caption: caption(
            sources,
            &Drawn::combined(vec![indicator]),
            format!("{}: {the_localities}", indicator.name),
            format!(
                "{}, {} · 95% confidence intervals · compared with {benchmark_name}",
                indicator.unit, indicator.period
            ),
            &with_unit(indicator),
            "Area",
            format!("{} for {}, {place} and England, with intervals.", indicator.name, names.join(", ")),
        ),
        rows,
        unit: indicator.unit.clone(),
    });
    Ok(Figure { chart, table })
}
