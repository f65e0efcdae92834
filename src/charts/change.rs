//! Change over time: a dumbbell per area from the earlier value to the later one, with the direction of
//! change written out so it never depends on colour.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::{self, Caption, Frame, Rect};
use super::legend::{self, Item, Key};
use super::marker::{self, Shape};
use super::palette::{BENCHMARK, INK, MUTED, WHISKER};
use super::scale::{self, Linear, Ticks, finite};
use super::{axis, format, whisker};
use plotters::style::RGBColor;

pub use crate::analysis::RelativeDirection;

/// How a relative direction is drawn; its words come from the analysis.
fn colour(direction: RelativeDirection) -> RGBColor {
    match direction {
        RelativeDirection::RelativelyBetter => RGBColor(59, 130, 196),
        RelativeDirection::RelativelyWorse => RGBColor(213, 94, 0),
        RelativeDirection::AwayFromMostDeprived | RelativeDirection::TowardsMostDeprived => RGBColor(120, 80, 160),
        RelativeDirection::NoSignificantChange | RelativeDirection::NoMove | RelativeDirection::NotAssessed => {
            RGBColor(110, 110, 110)
        }
    }
}

/// One area's two values.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    /// Area name.
    pub label: String,
    /// Value in the earlier period.
    pub before: Option<f64>,
    /// Value in the later period.
    pub after: Option<f64>,
    /// 95% interval of the earlier value.
    pub before_interval: Option<(f64, f64)>,
    /// 95% interval of the later value.
    pub after_interval: Option<(f64, f64)>,
    /// Direction of the relative change, as the analysis decided it.
    pub direction: RelativeDirection,
}

/// A dumbbell chart of change between two periods; rows are drawn in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Title, subtitle, axis titles and footer.
    pub caption: Caption,
    /// The areas.
    pub rows: Vec<ChangeRow>,
    /// Name of the earlier period, e.g. "2019".
    pub before_label: String,
    /// Name of the later period, e.g. "2025".
    pub after_label: String,
    /// Suffix for value labels, e.g. "%" or "×".
    pub unit: String,
    /// A reference value drawn as a dashed line with its label, e.g. (1.0, "England = 1").
    pub reference: Option<(f64, String)>,
}

/// Logical width of the chart.
pub(crate) const WIDTH: f64 = 960.0;
const PITCH: f64 = 44.0;
const LABEL_SIZE: f64 = 13.0;
const RADIUS: f64 = 6.0;
const STATUS_WIDTH: f64 = 200.0;

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
}

/// Lays the chart out, or says why it cannot be drawn.
pub(crate) fn layout(chart: &Change) -> Result<Layout, ChartError> {
    if chart.rows.is_empty() {
        return Err(ChartError::NoRows { chart: "change" });
    }
    let (mut low, mut high) = chart.reference.as_ref().map_or((f64::INFINITY, f64::NEG_INFINITY), |r| (r.0, r.0));
    for row in &chart.rows {
        for (value, interval) in [(row.before, row.before_interval), (row.after, row.after_interval)] {
            let Some(value) = finite(value) else { continue };
            let (a, b) = whisker::ordered(interval).unwrap_or((value, value));
            low = low.min(a).min(value);
            high = high.max(b).max(value);
        }
    }
    let pad = if high > low { (high - low) * 0.08 } else { 0.0 };
    let ticks = scale::ticks(low - pad, high + pad, 6);
    let frame = Frame::new(&chart.caption, WIDTH);
    let mut legend = vec![
        Item { key: Key::Marker(Shape::Ring, INK), label: chart.before_label.clone() },
        Item { key: Key::Marker(Shape::Circle, INK), label: chart.after_label.clone() },
    ];
    if chart.rows.iter().any(|r| r.before_interval.is_some() || r.after_interval.is_some()) {
        legend.push(Item {
            key: Key::Line(WHISKER, 1),
            label: "95% confidence interval (earlier above, later below)".to_owned(),
        });
    }
    let probe = frame.body(f64::MAX);
    let legend_height = legend::height(&legend, probe.width());
    let rows_height = chart.rows.len() as f64 * PITCH;
    let height = frame.height_for(legend_height + 8.0 + rows_height + axis::X_AXIS_HEIGHT + 8.0);
    let body = frame.body(height);
    let style = TextStyleSpec::new(LABEL_SIZE).bold();
    let widest = chart.rows.iter().map(|row| style.width(&row.label)).fold(0.0, f64::max);
    let label_width = widest.min(body.width() * 0.22);
    let top = body.top + legend_height + 8.0;
    let plot = Rect {
        left: body.left + label_width + 16.0,
        top,
        right: body.right - STATUS_WIDTH - 16.0,
        bottom: top + rows_height,
    };
    let scale = Linear { low: ticks.low, high: ticks.high, start: plot.left, end: plot.right };
    let legend_area = Rect { left: body.left, top: body.top, right: body.right, bottom: body.top + legend_height };
    Ok(Layout { frame, height, legend, legend_area, plot, scale, ticks, label_width })
}

/// Draws the chart as an accessible SVG document.
pub(crate) fn svg(chart: &Change) -> Result<String, ChartError> {
    let layout = layout(chart)?;
    figure::document(&chart.caption, &layout.frame, layout.height, |canvas, body| draw(canvas, chart, &layout, body))
}

fn draw(canvas: &Canvas, chart: &Change, layout: &Layout, body: Rect) -> Result<(), ChartError> {
    let Layout { plot, scale, ticks, .. } = layout;
    legend::draw(canvas, &layout.legend, layout.legend_area)?;
    axis::x_axis(canvas, *plot, scale, ticks, &chart.caption.x_label)?;
    // Ratios are read to two decimals (2.71× against 2.27×); other units by the axis range.
    let decimals = if chart.unit == "×" { 2 } else { format::decimals_for_range(ticks.low, ticks.high) };
    let value = |v: Option<f64>| {
        finite(v).map_or("–".to_owned(), |v| format!("{}{}", format::number(v, decimals), chart.unit))
    };
    let status_x = body.right - STATUS_WIDTH;
    if let Some((at, label)) = chart.reference.as_ref().filter(|r| r.0.is_finite()) {
        let x = scale.map(*at);
        canvas.dashed((x, plot.top - 4.0), (x, plot.bottom), BENCHMARK, 2, 5.0)?;
        canvas.text(label, (x + 4.0, plot.top - 8.0), TextStyleSpec::new(12.0).colour(MUTED))?;
    }
    for (i, row) in chart.rows.iter().enumerate() {
        let y = plot.top + (i as f64 + 0.5) * PITCH;
        let label_style = TextStyleSpec::new(LABEL_SIZE).bold().align(Align::End);
        canvas.label(&row.label, (body.left + layout.label_width, y), label_style, layout.label_width)?;
        let colour = colour(row.direction);
        if let (Some(before), Some(after)) = (finite(row.before), finite(row.after)) {
            arrow(canvas, scale.map(before), scale.map(after), y, colour)?;
        }
        if let Some((low, high)) = whisker::ordered(row.before_interval).filter(|_| finite(row.before).is_some()) {
            whisker::horizontal(canvas, scale.map(low), scale.map(high), y - 11.0, 5.0)?;
        }
        if let Some((low, high)) = whisker::ordered(row.after_interval).filter(|_| finite(row.after).is_some()) {
            whisker::horizontal(canvas, scale.map(low), scale.map(high), y + 11.0, 5.0)?;
        }
        if let Some(before) = finite(row.before) {
            marker::draw(canvas, Shape::Ring, (scale.map(before), y), RADIUS, INK)?;
        }
        if let Some(after) = finite(row.after) {
            marker::draw(canvas, Shape::Circle, (scale.map(after), y), RADIUS, colour)?;
        }
        let status = TextStyleSpec::new(12.0).bold().colour(INK);
        canvas.text(row.direction.short_label(), (status_x, y - 7.0), status)?;
        let values = format!("{} → {}", value(row.before), value(row.after));
        canvas.text(&values, (status_x, y + 8.0), TextStyleSpec::new(12.0).colour(MUTED))?;
    }
    Ok(())
}

/// A line from the earlier to the later value with an arrowhead at the later end; too short an arrow would be
/// hidden under the markers, so then only the markers show.
fn arrow(canvas: &Canvas, from: f64, to: f64, y: f64, colour: RGBColor) -> Result<(), ChartError> {
    let length = (to - from).abs();
    if length < RADIUS * 3.0 {
        return Ok(());
    }
    let sign = (to - from).signum();
    let tip = to - sign * (RADIUS + 1.0);
    canvas.line(&[(from + sign * RADIUS, y), (tip - sign * 6.0, y)], colour, 2)?;
    canvas.polygon(&[(tip, y), (tip - sign * 8.0, y - 4.5), (tip - sign * 8.0, y + 4.5)], colour)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testkit::{self, assert_frame, has_text, number, with_attr};

    fn row(label: &str, before: Option<f64>, after: Option<f64>, direction: RelativeDirection) -> ChangeRow {
        ChangeRow {
            label: label.into(),
            before,
            after,
            before_interval: before.map(|v| (v - 1.0, v + 1.0)),
            after_interval: after.map(|v| (v - 1.0, v + 1.0)),
            direction,
        }
    }

    fn chart(rows: Vec<ChangeRow>) -> Change {
        Change {
            caption: testkit::caption(),
            rows,
            before_label: "2019".into(),
            after_label: "2025".into(),
            unit: "×".into(),
            reference: Some((1.0, "England = 1".into())),
        }
    }

    #[test]
    fn each_area_has_both_markers_and_its_direction_in_words() {
        let change = chart(vec![
            row("Area A", Some(3.0), Some(2.4), RelativeDirection::RelativelyBetter),
            row("Area B", Some(2.0), Some(2.6), RelativeDirection::RelativelyWorse),
            row("Area D", Some(2.2), None, RelativeDirection::NotAssessed),
        ]);
        let layout = layout(&change).expect("lays out");
        let svg = svg(&change).expect("draws");
        let doc = testkit::parse(&svg);
        assert_frame(&doc);
        for text in [
            "Area A",
            RelativeDirection::RelativelyBetter.short_label(),
            RelativeDirection::RelativelyWorse.short_label(),
            "Not assessed",
            "3.00× → 2.40×",
            "2.20× → –",
            "2019",
            "England = 1",
        ] {
            assert!(has_text(&doc, text), "missing {text}");
        }
        let y = layout.plot.top + PITCH / 2.0;
        let after = with_attr(
            &doc,
            "circle",
            "fill",
            &crate::charts::palette::hex(colour(RelativeDirection::RelativelyBetter)),
        );
        let dot = after.iter().find(|c| (number(c, "cy") - y).abs() <= 1.0).expect("after dot");
        assert!((number(dot, "cx") - layout.scale.map(2.4)).abs() <= 1.0);
        // Hollow "before" rings: three rows plus the legend key.
        assert_eq!(with_attr(&doc, "circle", "fill", "#FFFFFF").len(), 3 + 1);
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert!(svg(&chart(vec![])).is_err());
        assert!(svg(&chart(vec![row("None", None, None, RelativeDirection::NotAssessed)])).is_ok());
        assert!(svg(&chart(vec![row("Same", Some(5.0), Some(5.0), RelativeDirection::NoMove)])).is_ok());
        assert!(
            svg(&chart(vec![row("NaN", Some(f64::NAN), Some(-2.0), RelativeDirection::NoSignificantChange)])).is_ok()
        );
    }
}
