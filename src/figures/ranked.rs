//! Ranked LSOA bars: one indicator across the LSOAs of a locality or the city, worst first, each
//! with its 95% interval and its comparison with the benchmark.

use super::{
    Benchmark, Cell, Drawn, Figure, FigureError, Sources, Table, benchmark_value, by_lsoa, caption, comparison_words,
    significance, with_unit,
};
use crate::analysis::{Area, Member, aggregate};
use crate::atlas::Indicator;
use crate::charts::{Chart, Ranked, RankedRow};
use crate::stats::{Levels, Polarity, compare};

/// Builds the chart and its table.
pub fn build(
    sources: &Sources,
    indicator: &Indicator,
    area: &Area,
    benchmark: Benchmark,
) -> Result<Figure, FigureError> {
    by_lsoa(indicator)?;
    let (benchmark_name, benchmark_value) = benchmark_value(sources, indicator, benchmark);
    let mut rows: Vec<(String, String, crate::analysis::Aggregate, crate::stats::Comparison)> = area
        .members
        .iter()
        .map(|m| {
            let lsoa = &sources.atlas.lsoas()[m.lsoa];
            let figures =
                aggregate(sources.atlas, indicator, &[Member { lsoa: m.lsoa, share: 1.0 }], sources.disclosure);
            let comparison =
                compare(figures.estimate().as_ref(), benchmark_value, indicator.judged_polarity(), Levels::One);
            (lsoa.code.clone(), lsoa.name.clone(), figures, comparison)
        })
        .collect();
    if rows.iter().all(|r| r.2.value.is_none()) {
        return Err(FigureError::NothingToDraw(format!(
            "{} has no published LSOA values in {}",
            indicator.name, area.name
        )));
    }
    // Worst first; missing values last.
    let worse_is_higher = indicator.polarity != Polarity::HighIsGood;
    rows.sort_by(|a, b| match (a.2.value, b.2.value) {
        (Some(x), Some(y)) => {
            if worse_is_higher {
                y.total_cmp(&x)
            } else {
                x.total_cmp(&y)
            }
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    });

    let mut table = Table::new(
        &[
            "lsoa_code",
            "lsoa_name",
            "numerator",
            "denominator",
            "value",
            "lower_95",
            "upper_95",
            "method",
            "benchmark",
            "benchmark_value",
            "comparison",
            "note",
        ],
        vec![
            format!("{} ({}), {}, LSOAs of {}", indicator.name, indicator.unit, indicator.period, area.name),
            format!(
                "Comparison with {benchmark_name} at 95%: similar when the benchmark lies inside the LSOA's interval"
            ),
        ],
    );
    let chart_rows =
        rows.iter()
            .map(|(code, name, figures, comparison)| {
                let note = figures.suppressed.clone().unwrap_or_else(|| {
                    if figures.value.is_none() { "not published".to_owned() } else { String::new() }
                });
                table.push(vec![
                    code.as_str().into(),
                    name.as_str().into(),
                    figures.numerator.into(),
                    figures.denominator.into(),
                    figures.value.into(),
                    figures.ci95.map(|c| c.lower).into(),
                    figures.ci95.map(|c| c.upper).into(),
                    figures.method.describe().into(),
                    benchmark_name.as_str().into(),
                    benchmark_value.into(),
                    comparison_words(*comparison).into(),
                    Cell::Text(note.clone()),
                ]);
                RankedRow {
                    label: format!("{code} {name}"),
                    value: figures.value,
                    interval: figures.ci95.map(|c| (c.lower, c.upper)),
                    significance: significance(*comparison),
                    note,
                }
            })
            .collect();
    let interval = if indicator.interval_method == crate::atlas::schema::IntervalMethod::None {
        "no interval (published score)"
    } else {
        "95% confidence intervals"
    };
    let chart = Chart::Ranked(Ranked {
        caption: caption(
            sources,
            &Drawn::combined(vec![indicator]),
            format!("{}: LSOAs of {}", indicator.name, area.name),
            format!("{}, {} · {interval} · compared with {benchmark_name}", indicator.unit, indicator.period),
            &with_unit(indicator),
            "LSOA",
            format!(
                "Bar chart of {} for the {} LSOAs of {}, worst first, with the {benchmark_name} value as a line.",
                indicator.name,
                rows.len(),
                area.name
            ),
        ),
        rows: chart_rows,
        benchmark: benchmark_value
            .map(|v| (format!("{benchmark_name} {}", super::format_value(v, &indicator.unit)), v)),
        unit: indicator.unit.clone(),
    });
    Ok(Figure { chart, table })
}
