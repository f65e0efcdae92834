//! Comparison chart: the three localities against Coventry and England, as dots with 95% interval whiskers.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::{self, Caption, Frame, Rect};
use super::legend::{self, Item, Key};
use super::marker::{self, Shape};
use super::palette::{GRID, INK, MUTED, WHISKER};
use super::scale::{self, Linear, Ticks, finite};
use super::{Significance, axis, format, whisker};

/// One area in the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// Area name, e.g. "Area A" or "England".
    pub label: String,
    /// The value; `None` (or non-finite) when suppressed or missing, shown as "No value".
    pub value: Option<f64>,
    /// The 95% interval as (lower, upper).
    pub interval: Option<(f64, f64)>,
    /// Comparison with the benchmark (ignored for benchmark rows).
    pub significance: Significance,
    /// True for comparator rows (Coventry, England): drawn as black diamonds below a rule.
    pub is_benchmark: bool,
}

/// Dot-and-whisker comparison of a few areas; rows are drawn in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Title, subtitle, axis titles and footer.
    pub caption: Caption,
    /// The areas, localities first and benchmarks last by convention.
    pub rows: Vec<ComparisonRow>,
    /// Suffix for value labels, e.g. "%".
    pub unit: String,
}

/// Logical width of the chart.
pub(crate) const WIDTH: f64 = 960.0;
const PITCH: f64 = 40.0;
const LABEL_SIZE: f64 = 13.0;
const RADIUS: f64 = 6.0;

/// Where everything goes; the drawing and the tests share it.
pub(crate) struct Layout {
    pub frame: Frame,
    pub height: f64,
    pub legend: Vec<Item>,
    pub legend_area: Rect,
    pub plot: Rect,
    pub scale: Linear,
    pub ticks: Ticks,
    pub label_width: f64,
    pub decimals: usize,
}

/// Lays the chart out, or says why it cannot be drawn.
pub(crate) fn layout(chart: &Comparison) -> Result<Layout, ChartError> {
    if chart.rows.is_empty() {
        return Err(ChartError::NoRows { chart: "comparison" });
    }
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for row in &chart.rows {
        let Some(value) = finite(row.value) else { continue };
        let (a, b) = whisker::ordered(row.interval).unwrap_or((value, value));
        low = low.min(value).min(a);
        high = high.max(value).max(b);
    }
    // Dots need no zero baseline; pad the range so end markers do not sit on the plot edge.
    let pad = if high > low { (high - low) * 0.08 } else { 0.0 };
    let ticks = scale::ticks(low - pad, high + pad, 6);
    let decimals = format::decimals_for_range(ticks.low, ticks.high);
    let frame = Frame::new(&chart.caption, WIDTH);
    let mut legend =
        legend::significance_items(chart.rows.iter().filter(|row| !row.is_benchmark).map(|row| row.significance));
    if chart.rows.iter().any(|row| row.is_benchmark) {
        legend.push(Item { key: Key::Marker(Shape::Diamond, INK), label: "Benchmark".to_owned() });
    }
    legend.push(Item { key: Key::Line(WHISKER, 1), label: "95% confidence interval".to_owned() });
    let probe = frame.body(f64::MAX);
    let legend_height = legend::height(&legend, probe.width());
    let rows_height = chart.rows.len() as f64 * PITCH;
    let height = frame.height_for(legend_height + rows_height + axis::X_AXIS_HEIGHT + 8.0);
    let body = frame.body(height);
    let label_style = TextStyleSpec::new(LABEL_SIZE).bold();
    let widest = chart.rows.iter().map(|row| label_style.width(&row.label)).fold(0.0, f64::max);
    let label_width = widest.min(body.width() * 0.25);
    let value_style = TextStyleSpec::new(12.0);
    let value_width = chart
        .rows
        .iter()
        .filter_map(|row| finite(row.value))
        .map(|v| value_style.width(&format::with_unit(v, decimals, &chart.unit)))
        .fold(value_style.width("No value"), f64::max);
    let top = body.top + legend_height + 8.0;
    let plot = Rect {
        left: body.left + label_width + 16.0,
        top,
        right: body.right - value_width - 12.0,
        bottom: top + rows_height,
    };
    let scale = Linear { low: ticks.low, high: ticks.high, start: plot.left, end: plot.right };
    let legend_area = Rect { left: body.left, top: body.top, right: body.right, bottom: body.top + legend_height };
    Ok(Layout { frame, height, legend, legend_area, plot, scale, ticks, label_width, decimals })
}

/// Draws the chart as an accessible SVG document.
pub(crate) fn svg(chart: &Comparison) -> Result<String, ChartError> {
    let layout = layout(chart)?;
    figure::document(&chart.caption, &layout.frame, layout.height, |canvas, body| draw(canvas, chart, &layout, body))
}

fn draw(canvas: &Canvas, chart: &Comparison, layout: &Layout, body: Rect) -> Result<(), ChartError> {
    let Layout { plot, scale, ticks, decimals, .. } = layout;
    legend::draw(canvas, &layout.legend, layout.legend_area)?;
    axis::x_axis(canvas, *plot, scale, ticks, &chart.caption.x_label)?;
    let mut previous_benchmark = true;
    for (i, row) in chart.rows.iter().enumerate() {
        let y = plot.top + (i as f64 + 0.5) * PITCH;
        if row.is_benchmark && !previous_benchmark {
            // A rule separates the areas being judged from the comparators they are judged against.
            let rule = plot.top + i as f64 * PITCH;
            canvas.line(&[(body.left, rule), (plot.right, rule)], GRID, 1)?;
        }
        previous_benchmark = row.is_benchmark;
        let mut label_style = TextStyleSpec::new(LABEL_SIZE).align(Align::End);
        if !row.is_benchmark {
            label_style = label_style.bold();
        }
        canvas.label(&row.label, (body.left + layout.label_width, y), label_style, layout.label_width)?;
        let Some(value) = finite(row.value) else {
            canvas.text("No value", (plot.left + 6.0, y), TextStyleSpec::new(12.0).colour(MUTED))?;
            continue;
        };
        let mut label_x = scale.map(value) + RADIUS;
        if let Some((low, high)) = whisker::ordered(row.interval) {
            whisker::horizontal(canvas, scale.map(low), scale.map(high), y, 12.0)?;
            label_x = label_x.max(scale.map(high));
        }
        let (shape, colour) = if row.is_benchmark {
            (Shape::Diamond, INK)
        } else {
            (row.significance.shape(), row.significance.colour())
        };
        marker::draw(canvas, shape, (scale.map(value), y), RADIUS, colour)?;
        let text = format::with_unit(value, *decimals, &chart.unit);
        canvas.text(&text, (label_x + 6.0, y), TextStyleSpec::new(12.0).colour(INK))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette;
    use crate::charts::testkit::{self, assert_frame, has_text, points, with_attr};

    fn row(label: &str, value: Option<f64>, significance: Significance, is_benchmark: bool) -> ComparisonRow {
        ComparisonRow {
            label: label.into(),
            value,
            interval: value.map(|v| (v - 1.5, v + 2.0)),
            significance,
            is_benchmark,
        }
    }

    fn chart() -> Comparison {
        Comparison {
            caption: testkit::caption(),
            rows: vec![
                row("Area A", Some(28.4), Significance::Worse, false),
                row("Area D", None, Significance::NotCompared, false),
                row("Area B", Some(18.1), Significance::Better, false),
                row("Coventry", Some(22.0), Significance::NotCompared, true),
                row("England", Some(11.6), Significance::NotCompared, true),
            ],
            unit: "%".into(),
        }
    }

    #[test]
    fn every_area_is_labelled_and_values_are_printed() {
        let svg = svg(&chart()).expect("draws");
        let doc = testkit::parse(&svg);
        assert_frame(&doc);
        for label in ["Area A", "Area D", "Area B", "Coventry", "England", "28.4%", "No value", "X label (%)"] {
            assert!(has_text(&doc, label), "missing {label}");
        }
        // Worse is a down triangle (a three-point polygon) in the worse colour: one in the legend, one in the row.
        let worse = with_attr(&doc, "polygon", "fill", &palette::hex(Significance::Worse.colour()));
        assert_eq!(worse.len(), 2);
    }

    #[test]
    fn whisker_ends_match_the_axis() {
        let chart = chart();
        let layout = layout(&chart).expect("lays out");
        let svg = svg(&chart).expect("draws");
        let doc = testkit::parse(&svg);
        let y = layout.plot.top + 0.5 * PITCH;
        let line = with_attr(&doc, "polyline", "stroke", &palette::hex(palette::WHISKER))
            .iter()
            .map(points)
            .find(|p| p.len() == 2 && p[0].1 == p[1].1 && (p[0].1 - y).abs() <= 1.0 && p[0].0 != p[1].0)
            .expect("a whisker in the first row");
        assert!((line[0].0 - layout.scale.map(26.9)).abs() <= 1.0);
        assert!((line[1].0 - layout.scale.map(30.4)).abs() <= 1.0);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let mut odd = chart();
        odd.rows.truncate(1);
        odd.rows[0].value = Some(f64::NAN);
        assert!(svg(&odd).is_ok());
        odd.rows[0].value = Some(-3.0);
        odd.rows[0].interval = Some((-3.0, -3.0));
        assert!(svg(&odd).is_ok());
        odd.rows.clear();
        assert!(svg(&odd).is_err());
    }
}
