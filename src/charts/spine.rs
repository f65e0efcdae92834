//! Spine chart (area profile): one row per indicator, each scaled so the England value sits in the centre and
//! the farther end of the England range at the edge, with the worst end on the left. Where the district has
//! statistical neighbours, their range is a line under the England band with a diamond at their average.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::{self, Caption, Frame, Rect};
use super::legend::{self, Item, Key};
use super::marker;
use super::marker::Shape;
use super::palette::{BENCHMARK, INK, MUTED, NEIGHBOURS, RANGE_INNER, RANGE_OUTER};
use super::scale::Linear;
use super::{Significance, font};
use plotters::style::RGBColor;

use crate::stats::Polarity;

/// The spread of values across England's areas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpineRange {
    /// Lowest value in England.
    pub low: f64,
    /// 25th percentile.
    pub q25: f64,
    /// 75th percentile.
    pub q75: f64,
    /// Highest value in England.
    pub high: f64,
}

/// The statistical neighbours' figures of an indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpineNeighbours {
    /// Lowest of the neighbours' values.
    pub low: f64,
    /// Their average.
    pub mean: f64,
    /// Highest.
    pub high: f64,
}

/// One indicator of the profile.
#[derive(Debug, Clone, PartialEq)]
pub struct SpineRow {
    /// Indicator name.
    pub indicator: String,
    /// Time period, e.g. "2021/22".
    pub period: String,
    /// The area's value as the table shows it, e.g. "24.1%" or "Suppressed".
    pub area_value_text: String,
    /// The England value: the centre of the row's scale.
    pub benchmark: Option<f64>,
    /// England's range; `None` draws "no England range" instead of a spine.
    pub range: Option<SpineRange>,
    /// The area's value for the marker.
    pub area_value: Option<f64>,
    /// Comparison with England.
    pub significance: Significance,
    /// Which direction is good, which decides the worst end.
    pub polarity: Polarity,
    /// The statistical neighbours' range and average, where the district has them.
    pub neighbours: Option<SpineNeighbours>,
}

/// A spine chart; rows are drawn in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Spine {
    /// Title, subtitle and footer (axis titles are not used: the column headings carry them).
    pub caption: Caption,
    /// The indicators.
    pub rows: Vec<SpineRow>,
    /// Heading of the value column, e.g. "Area A".
    pub area_name: String,
    /// Name of the benchmark, e.g. "England".
    pub benchmark_name: String,
}

/// Logical width of the chart.
pub(crate) const WIDTH: f64 = 960.0;
const PITCH: f64 = 34.0;
const TEXT_SIZE: f64 = 12.0;
const HEADER: f64 = 40.0;
const INDICATOR_SHARE: f64 = 0.36;
const PERIOD_WIDTH: f64 = 80.0;
const VALUE_WIDTH: f64 = 116.0;
const NEUTRAL_NOTE: &str = "* Neither direction is better: lower values on the left";
const STRIPE: RGBColor = RGBColor(246, 246, 246);

/// Where everything goes; the drawing and the tests share it.
pub(crate) struct Layout {
    pub frame: Frame,
    pub height: f64,
    pub legend: Vec<Item>,
    pub legend_area: Rect,
    /// The table and spine rows, header excluded.
    pub rows: Rect,
    pub indicator_width: f64,
    /// Left and right x of the spines.
    pub spine: (f64, f64),
}

/// Lays the chart out, or says why it cannot be drawn.
/// Drawn where a row has no usable range (its value is still in the value column).
const NO_RANGE: &str = "–";

pub(crate) fn layout(chart: &Spine) -> Result<Layout, ChartError> {
    if chart.rows.is_empty() {
        return Err(ChartError::NoRows { chart: "spine" });
    }
    let frame = Frame::new(&chart.caption, WIDTH);
    let mut legend = legend::significance_items(chart.rows.iter().map(|row| row.significance));
    legend.push(Item { key: Key::Line(BENCHMARK, 2), label: format!("{} value", chart.benchmark_name) });
    legend.push(Item { key: Key::Swatch(RANGE_INNER), label: "25th to 75th percentile".to_owned() });
    legend.push(Item { key: Key::Swatch(RANGE_OUTER), label: format!("{} range", chart.benchmark_name) });
    if chart.rows.iter().any(|row| row.neighbours.is_some()) {
        legend.push(Item { key: Key::Line(NEIGHBOURS, 2), label: "Similar districts: range".to_owned() });
        legend.push(Item {
            key: Key::Marker(Shape::Diamond, NEIGHBOURS),
            label: "Similar districts: average".to_owned(),
        });
    }
    if chart.rows.iter().any(|row| row.polarity == Polarity::NoJudgement) {
        legend.push(Item { key: Key::Blank, label: NEUTRAL_NOTE.to_owned() });
    }
    if chart.rows.iter().any(|row| row_scale(row, (1.0, 2.0)).is_none()) {
        legend.push(Item { key: Key::Blank, label: format!("{NO_RANGE} no {} range published", chart.benchmark_name) });
    }
    let probe = frame.body(f64::MAX);
    let legend_height = legend::height(&legend, probe.width());
    let rows_height = chart.rows.len() as f64 * PITCH;
    let height = frame.height_for(legend_height + HEADER + rows_height + 8.0);
    let body = frame.body(height);
    let indicator_width = body.width() * INDICATOR_SHARE;
    // The gap leaves room for a marker clamped at the worst end without touching the value column.
    let spine_left = body.left + indicator_width + PERIOD_WIDTH + VALUE_WIDTH + 36.0;
    let top = body.top + legend_height + HEADER;
    Ok(Layout {
        frame,
        height,
        legend,
        legend_area: Rect { left: body.left, top: body.top, right: body.right, bottom: body.top + legend_height },
        rows: Rect { left: body.left, top, right: body.right, bottom: top + rows_height },
        indicator_width,
        spine: (spine_left, body.right - 8.0),
    })
}

/// The row's value-to-pixel mapping: the benchmark in the centre, the farther range end at an edge, the worst
/// end on the left. `None` when there is no usable range.
pub(crate) fn row_scale(row: &SpineRow, (left, right): (f64, f64)) -> Option<Linear> {
    let range = row.range?;
    let ends = [range.low, range.high];
    if ends.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (low, high) = (range.low.min(range.high), range.low.max(range.high));
    let centre = row.benchmark.filter(|b| b.is_finite()).unwrap_or((low + high) / 2.0);
    let half = (high - centre).abs().max((centre - low).abs());
    if half <= 0.0 || !half.is_finite() {
        return None;
    }
    let (start, end) = match row.polarity {
        Polarity::LowIsGood => (right, left),
        Polarity::HighIsGood | Polarity::NoJudgement => (left, right),
    };
    Some(Linear { low: centre - half, high: centre + half, start, end })
}

/// Draws the chart as an accessible SVG document.
pub(crate) fn svg(chart: &Spine) -> Result<String, ChartError> {
    let layout = layout(chart)?;
    figure::document(&chart.caption, &layout.frame, layout.height, |canvas, _| draw(canvas, chart, &layout))
}

fn draw(canvas: &Canvas, chart: &Spine, layout: &Layout) -> Result<(), ChartError> {
    legend::draw(canvas, &layout.legend, layout.legend_area)?;
    draw_header(canvas, chart, layout)?;
    let rows = layout.rows;
    let (spine_left, spine_right) = layout.spine;
    let period_x = rows.left + layout.indicator_width + 12.0;
    let value_x = period_x + PERIOD_WIDTH + VALUE_WIDTH;
    let text = TextStyleSpec::new(TEXT_SIZE);
    for (i, row) in chart.rows.iter().enumerate() {
        let top = rows.top + i as f64 * PITCH;
        let y = top + PITCH / 2.0;
        if i % 2 == 1 {
            canvas.rect((rows.left, top), (rows.right, top + PITCH), STRIPE)?;
        }
        let name =
            if row.polarity == Polarity::NoJudgement { format!("{} *", row.indicator) } else { row.indicator.clone() };
        canvas.label(&name, (rows.left, y), text, layout.indicator_width)?;
        canvas.text(&font::fit(&row.period, TEXT_SIZE, text.weight, PERIOD_WIDTH - 6.0), (period_x, y), text)?;
        let value = font::fit(&row.area_value_text, TEXT_SIZE, text.weight, VALUE_WIDTH - 6.0);
        canvas.text(&value, (value_x, y), text.align(Align::End))?;
        let Some(scale) = row_scale(row, layout.spine) else {
            canvas.text(NO_RANGE, ((spine_left + spine_right) / 2.0, y), text.colour(MUTED).align(Align::Middle))?;
            continue;
        };
        let Some(range) = row.range else { continue };
        let band = |from: f64, to: f64, half: f64, colour| {
            let (a, b) = (scale.map(from), scale.map(to));
            canvas.rect((a.min(b), y - half), (a.max(b), y + half), colour)
        };
        band(range.low, range.high, 8.0, RANGE_OUTER)?;
        if range.q25.is_finite() && range.q75.is_finite() {
            band(range.q25, range.q75, 8.0, RANGE_INNER)?;
        }
        let centre = (scale.start + scale.end) / 2.0;
        canvas.line(&[(centre, y - 11.0), (centre, y + 11.0)], BENCHMARK, 2)?;
        if let Some(n) = row.neighbours.filter(|n| [n.low, n.mean, n.high].iter().all(|v| v.is_finite())) {
            let (a, b) = (scale.map_clamped(n.low), scale.map_clamped(n.high));
            canvas.line(&[(a, y + 12.0), (b, y + 12.0)], NEIGHBOURS, 2)?;
            marker::draw(canvas, Shape::Diamond, (scale.map_clamped(n.mean), y + 12.0), 3.5, NEIGHBOURS)?;
        }
        if let Some(value) = row.area_value.filter(|v| v.is_finite()) {
            let x = scale.map_clamped(value);
            marker::draw(canvas, row.significance.shape(), (x, y), 6.0, row.significance.colour())?;
        }
    }
    Ok(())
}

fn draw_header(canvas: &Canvas, chart: &Spine, layout: &Layout) -> Result<(), ChartError> {
    let rows = layout.rows;
    let y = rows.top - HEADER / 2.0;
    let head = TextStyleSpec::new(TEXT_SIZE).bold();
    let period_x = rows.left + layout.indicator_width + 12.0;
    canvas.text("Indicator", (rows.left, y), head)?;
    canvas.text("Period", (period_x, y), head)?;
    let value_head = font::fit(&chart.area_name, TEXT_SIZE, head.weight, VALUE_WIDTH + 20.0);
    canvas.text(&value_head, (period_x + PERIOD_WIDTH + VALUE_WIDTH, y), head.align(Align::End))?;
    let (left, right) = layout.spine;
    let small = TextStyleSpec::new(11.0).colour(MUTED);
    canvas.text("◀ Worse", (left, y - 8.0), small)?;
    canvas.text("Better ▶", (right, y - 8.0), small.align(Align::End))?;
    let centre = format!("{} value", chart.benchmark_name);
    canvas.text(&centre, ((left + right) / 2.0, y + 8.0), small.align(Align::Middle))?;
    canvas.line(&[(rows.left, rows.top), (rows.right, rows.top)], INK, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette;
    use crate::charts::testkit::{self, assert_frame, has_text, number, with_attr};

    fn row(name: &str, polarity: Polarity, value: Option<f64>) -> SpineRow {
        SpineRow {
            indicator: name.into(),
            period: "2023".into(),
            area_value_text: value.map_or("Suppressed".into(), |v| format!("{v:.1}")),
            benchmark: Some(50.0),
            range: Some(SpineRange { low: 20.0, q25: 40.0, q75: 60.0, high: 90.0 }),
            area_value: value,
            significance: Significance::Similar,
            polarity,
            neighbours: None,
        }
    }

    fn chart(rows: Vec<SpineRow>) -> Spine {
        Spine { caption: testkit::caption(), rows, area_name: "Area A".into(), benchmark_name: "England".into() }
    }

    #[test]
    fn the_benchmark_is_central_and_the_farther_end_at_the_edge() {
        let high_good = row("High is good", Polarity::HighIsGood, Some(70.0));
        let scale = row_scale(&high_good, (100.0, 500.0)).expect("has a scale");
        assert_eq!(scale.map(50.0), 300.0);
        assert_eq!(scale.map(90.0), 500.0);
        assert_eq!(scale.map(70.0), 400.0);
        let low_good = row("Low is good", Polarity::LowIsGood, Some(70.0));
        let flipped = row_scale(&low_good, (100.0, 500.0)).expect("has a scale");
        assert_eq!(flipped.map(90.0), 100.0, "the worst (highest) end is on the left");
    }

    #[test]
    fn markers_sit_at_their_scaled_positions_and_missing_ranges_are_said() {
        let mut no_range = row("No range", Polarity::NoJudgement, Some(3.0));
        no_range.range = None;
        let spine = chart(vec![
            row("Smoking", Polarity::LowIsGood, Some(70.0)),
            no_range,
            row("S", Polarity::HighIsGood, None),
        ]);
        let layout = layout(&spine).expect("lays out");
        let svg = svg(&spine).expect("draws");
        let doc = testkit::parse(&svg);
        assert_frame(&doc);
        assert!(has_text(&doc, "No range *") && has_text(&doc, NEUTRAL_NOTE));
        assert!(has_text(&doc, "Smoking") && has_text(&doc, "70.0") && has_text(&doc, "Suppressed"));
        assert!(has_text(&doc, NO_RANGE) && has_text(&doc, "– no England range published"));
        let expected = row_scale(&spine.rows[0], layout.spine).expect("scale").map(70.0);
        let row_y = layout.rows.top + PITCH / 2.0;
        let circles = with_attr(&doc, "circle", "fill", &palette::hex(Significance::Similar.colour()));
        let marker = circles.iter().find(|c| (number(c, "cy") - row_y).abs() <= 1.0).expect("row marker");
        assert!((number(marker, "cx") - expected).abs() <= 1.0);
        // Two rows with ranges, two outer bands.
        assert_eq!(with_attr(&doc, "rect", "fill", &palette::hex(RANGE_OUTER)).len(), 2 + 1);
    }

    #[test]
    fn degenerate_ranges_do_not_panic() {
        let mut flat = row("Flat", Polarity::HighIsGood, Some(5.0));
        flat.range = Some(SpineRange { low: 5.0, q25: 5.0, q75: 5.0, high: 5.0 });
        flat.benchmark = Some(5.0);
        assert!(row_scale(&flat, (0.0, 100.0)).is_none());
        let mut nan = row("NaN", Polarity::LowIsGood, Some(f64::NAN));
        nan.benchmark = Some(f64::NAN);
        assert!(svg(&chart(vec![flat, nan])).is_ok());
        assert!(svg(&chart(vec![])).is_err());
    }
}
