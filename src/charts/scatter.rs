//! Scatter chart of two indicators across LSOAs, grouped by locality, with the least-squares line.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::{self, Caption, Frame, Rect};
use super::legend::{self, Item, Key};
use super::marker::{self, Shape};
use super::palette::{GROUPS, INK, OTHER_GROUP, PAPER};
use super::scale::{self, Linear, Ticks};
use super::{axis, format};
use crate::stats::regression::{Fit, least_squares};
use plotters::style::RGBColor;

/// One area.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterPoint {
    /// Area label (kept for the caller's tables; points are not labelled on the chart).
    pub label: String,
    /// Value of the horizontal indicator.
    pub x: f64,
    /// Value of the vertical indicator.
    pub y: f64,
    /// Group name, e.g. the locality; `None` for areas outside every group.
    pub group: Option<String>,
}

/// A scatter chart; the first three groups by first appearance get their own colour and shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    /// Title, subtitle, axis titles and footer.
    pub caption: Caption,
    /// The areas.
    pub points: Vec<ScatterPoint>,
    /// Legend text for points outside the first three groups, e.g. "Rest of Coventry".
    pub other_label: String,
}

/// Logical width of the chart.
pub(crate) const WIDTH: f64 = 960.0;
const PLOT_HEIGHT: f64 = 420.0;
const SHAPES: [Shape; 3] = [Shape::Circle, Shape::Square, Shape::Diamond];
const FIT_COLOUR: RGBColor = INK;
const NOTE_SIZE: f64 = 12.0;

/// Where everything goes; the drawing and the tests share it.
pub(crate) struct Layout {
    pub frame: Frame,
    pub height: f64,
    pub legend: Vec<Item>,
    pub legend_area: Rect,
    pub plot: Rect,
    pub x: Linear,
    pub y: Linear,
    pub x_ticks: Ticks,
    pub y_ticks: Ticks,
    pub groups: Vec<String>,
    pub fit: Option<Fit>,
}

fn usable(point: &ScatterPoint) -> bool {
    point.x.is_finite() && point.y.is_finite()
}

/// The first three distinct group names in order of appearance.
fn groups(points: &[ScatterPoint]) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for name in points.iter().filter_map(|p| p.group.as_ref()) {
        if groups.len() < GROUPS.len() && !groups.contains(name) {
            groups.push(name.clone());
        }
    }
    groups
}

fn style_of(groups: &[String], point: &ScatterPoint) -> (Shape, RGBColor, f64) {
    match point.group.as_ref().and_then(|name| groups.iter().position(|g| g == name)) {
        Some(index) => (SHAPES[index], GROUPS[index], 4.5),
        None => (Shape::Circle, OTHER_GROUP, 3.5),
    }
}

/// Lays the chart out, or says why it cannot be drawn.
pub(crate) fn layout(chart: &Scatter) -> Result<Layout, ChartError> {
    if chart.points.is_empty() {
        return Err(ChartError::NoRows { chart: "scatter" });
    }
    let usable_points: Vec<_> = chart.points.iter().filter(|p| usable(p)).collect();
    if usable_points.is_empty() {
        return Err(ChartError::NoValues { chart: "scatter" });
    }
    let bounds = |value: fn(&ScatterPoint) -> f64| {
        usable_points
            .iter()
            .map(|p| value(p))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let (x_low, x_high) = bounds(|p| p.x);
    let (y_low, y_high) = bounds(|p| p.y);
    let x_ticks = scale::ticks(x_low, x_high, 7);
    let y_ticks = scale::ticks(y_low, y_high, 6);
    let groups = groups(&chart.points);
    let fit = least_squares(&usable_points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>());
    let frame = Frame::new(&chart.caption, WIDTH);
    let mut legend: Vec<Item> = groups
        .iter()
        .enumerate()
        .map(|(i, name)| Item { key: Key::Marker(SHAPES[i], GROUPS[i]), label: name.clone() })
        .collect();
    if usable_points.iter().any(|p| style_of(&groups, p).1 == OTHER_GROUP) {
        legend.push(Item { key: Key::Marker(Shape::Circle, OTHER_GROUP), label: chart.other_label.clone() });
    }
    if fit.is_some() {
        legend.push(Item { key: Key::Line(FIT_COLOUR, 2), label: "Least-squares line (all areas)".to_owned() });
    }
    let probe = frame.body(f64::MAX);
    let legend_height = legend::height(&legend, probe.width());
    let height = frame.height_for(legend_height + 10.0 + PLOT_HEIGHT + axis::X_AXIS_HEIGHT);
    let body = frame.body(height);
    let top = body.top + legend_height + 10.0;
    let plot =
        Rect { left: body.left + axis::y_axis_width(&y_ticks), top, right: body.right, bottom: top + PLOT_HEIGHT };
    let x = Linear { low: x_ticks.low, high: x_ticks.high, start: plot.left, end: plot.right };
    let y = Linear { low: y_ticks.low, high: y_ticks.high, start: plot.bottom, end: plot.top };
    let legend_area = Rect { left: body.left, top: body.top, right: body.right, bottom: body.top + legend_height };
    Ok(Layout { frame, height, legend, legend_area, plot, x, y, x_ticks, y_ticks, groups, fit })
}

/// The equation and R² as printed on the chart.
pub(crate) fn fit_text(fit: &Fit) -> [String; 2] {
    let decimals = |v: f64| {
        if v.abs() >= 100.0 {
            0
        } else if v.abs() >= 1.0 {
            2
        } else {
            3
        }
    };
    let sign = if fit.slope < 0.0 { "−" } else { "+" };
    [
        format!(
            "y = {} {sign} {}·x",
            format::number(fit.intercept, decimals(fit.intercept)),
            format::number(fit.slope.abs(), decimals(fit.slope))
        ),
        format!("R² = {}  (n = {})", format::number(fit.r_squared, 2), format::number(fit.n as f64, 0)),
    ]
}

/// The corner box for the fit text that covers the fewest points (ties go to the top left, where readers look
/// first), so the annotation hides as little data as possible.
pub(crate) fn annotation_box(chart: &Scatter, layout: &Layout, lines: &[String; 2]) -> Rect {
    let style = TextStyleSpec::new(NOTE_SIZE);
    let width = lines.iter().map(|line| style.width(line)).fold(0.0, f64::max) + 16.0;
    let height = 44.0;
    let plot = layout.plot;
    let corners = [
        (plot.left + 8.0, plot.top + 8.0),
        (plot.right - 8.0 - width, plot.top + 8.0),
        (plot.left + 8.0, plot.bottom - 8.0 - height),
        (plot.right - 8.0 - width, plot.bottom - 8.0 - height),
    ];
    let boxes = corners.map(|(left, top)| Rect { left, top, right: left + width, bottom: top + height });
    let covered = |area: &Rect| {
        let margin = 6.0;
        chart
            .points
            .iter()
            .filter(|p| usable(p))
            .filter(|p| {
                let (x, y) = (layout.x.map(p.x), layout.y.map(p.y));
                x >= area.left - margin
                    && x <= area.right + margin
                    && y >= area.top - margin
                    && y <= area.bottom + margin
            })
            .count()
    };
    boxes.into_iter().min_by_key(covered).unwrap_or(boxes[0])
}

/// Draws the chart as an accessible SVG document.
pub(crate) fn svg(chart: &Scatter) -> Result<String, ChartError> {
    let layout = layout(chart)?;
    figure::document(&chart.caption, &layout.frame, layout.height, |canvas, _| draw(canvas, chart, &layout))
}

fn draw(canvas: &Canvas, chart: &Scatter, layout: &Layout) -> Result<(), ChartError> {
    let Layout { plot, x, y, .. } = layout;
    legend::draw(canvas, &layout.legend, layout.legend_area)?;
    axis::y_axis(canvas, *plot, y, &layout.y_ticks, &chart.caption.y_label)?;
    axis::x_axis(canvas, *plot, x, &layout.x_ticks, &chart.caption.x_label)?;
    // Ungrouped points first so the groups of interest sit on top.
    let ordered = chart.points.iter().filter(|p| usable(p)).filter(|p| style_of(&layout.groups, p).1 == OTHER_GROUP);
    let grouped = chart.points.iter().filter(|p| usable(p)).filter(|p| style_of(&layout.groups, p).1 != OTHER_GROUP);
    for point in ordered.chain(grouped) {
        let (shape, colour, radius) = style_of(&layout.groups, point);
        marker::draw(canvas, shape, (x.map(point.x), y.map(point.y)), radius, colour)?;
    }
    if let Some(fit) = layout.fit {
        let ends = [x.low, x.high].map(|v| (x.map(v), y.map(fit.intercept + fit.slope * v)));
        let clipped = clip_to(ends, *plot);
        if let Some(segment) = clipped {
            canvas.line(&segment, FIT_COLOUR, 2)?;
        }
        let lines = fit_text(&fit);
        let area = annotation_box(chart, layout, &lines);
        canvas.rect((area.left, area.top), (area.right, area.bottom), PAPER)?;
        let style = TextStyleSpec::new(NOTE_SIZE).align(Align::Start);
        canvas.text(&lines[0], (area.left + 8.0, area.top + 13.0), style)?;
        canvas.text(&lines[1], (area.left + 8.0, area.top + 31.0), style)?;
    }
    Ok(())
}

/// Clips a line segment to the plot box (Liang–Barsky), so a steep fit never runs over the axes.
fn clip_to([(x0, y0), (x1, y1)]: [(f64, f64); 2], area: Rect) -> Option<[(f64, f64); 2]> {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, x0 - area.left), (dx, area.right - x0), (-dy, y0 - area.top), (dy, area.bottom - y0)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 { t0 = t0.max(t) } else { t1 = t1.min(t) }
        }
    }
    (t0 <= t1).then_some([(x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette;
    use crate::charts::testkit::{self, assert_frame, has_text, with_attr};

    fn point(x: f64, y: f64, group: Option<&str>) -> ScatterPoint {
        ScatterPoint { label: format!("{x},{y}"), x, y, group: group.map(str::to_owned) }
    }

    fn chart() -> Scatter {
        let mut points = vec![
            point(1.0, 2.0, Some("Area A")),
            point(2.0, 4.0, Some("Area A")),
            point(3.0, 5.0, Some("Area B")),
            point(4.0, 4.0, Some("Area D")),
            point(5.0, 5.0, Some("Elsewhere")),
        ];
        points.push(point(f64::NAN, 3.0, None));
        Scatter { caption: testkit::caption(), points, other_label: "Rest of Coventry".into() }
    }

    #[test]
    fn points_groups_and_the_fit_are_drawn_and_labelled() {
        let chart = chart();
        let svg = svg(&chart).expect("draws");
        let doc = testkit::parse(&svg);
        assert_frame(&doc);
        for text in ["X label (%)", "Y label (%)", "Area A", "Area B", "Area D", "Rest of Coventry"] {
            assert!(has_text(&doc, text), "missing {text}");
        }
        assert!(has_text(&doc, "y = 2.20 + 0.600·x"));
        assert!(has_text(&doc, "R² = 0.60  (n = 5)"));
        // Two Area A circles plus the legend key; one grey "other" point plus its key.
        assert_eq!(with_attr(&doc, "circle", "fill", &palette::hex(GROUPS[0])).len(), 3);
        assert_eq!(with_attr(&doc, "circle", "fill", &palette::hex(OTHER_GROUP)).len(), 2);
    }

    #[test]
    fn the_equation_covers_no_point_when_a_corner_is_free() {
        let chart = chart();
        let layout = layout(&chart).expect("lays out");
        let fit = layout.fit.expect("fit");
        let area = annotation_box(&chart, &layout, &fit_text(&fit));
        for p in chart.points.iter().filter(|p| usable(p)) {
            let (x, y) = (layout.x.map(p.x), layout.y.map(p.y));
            assert!(!(x >= area.left && x <= area.right && y >= area.top && y <= area.bottom));
        }
    }

    #[test]
    fn odd_input_is_an_error_or_a_chart_never_a_panic() {
        let mut odd = chart();
        odd.points = vec![point(1.0, 1.0, None)];
        assert!(svg(&odd).is_ok());
        odd.points = vec![point(f64::NAN, 1.0, None)];
        assert!(matches!(svg(&odd), Err(ChartError::NoValues { .. })));
        odd.points.clear();
        assert!(matches!(svg(&odd), Err(ChartError::NoRows { .. })));
        odd.points = vec![point(2.0, 1.0, Some("A")), point(2.0, 5.0, Some("B")), point(2.0, 3.0, Some("C"))];
        assert!(svg(&odd).is_ok());
    }
}
