//! Deprivation gradient: an indicator by national IMD decile, placed at each decile's cumulative population
//! rank, with 95% intervals and the slope index of inequality (SII) line.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::{self, Caption, Frame, Rect};
use super::legend::{self, Item, Key};
use super::marker::{self, Shape};
use super::palette::{AXIS, GRID, GROUPS, INK, MUTED, WHISKER};
use super::scale::{self, Linear, Ticks};
use super::{axis, whisker};

/// One decile's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradientPoint {
    /// National IMD decile, 1 = most deprived.
    pub decile: u8,
    /// Mid-point of the decile's cumulative population rank, 0 (most deprived) to 1.
    pub rank_mid: f64,
    /// The value; `None` (or non-finite) leaves the decile without a point.
    pub value: Option<f64>,
    /// The 95% interval as (lower, upper).
    pub interval: Option<(f64, f64)>,
}

/// The fitted SII line: value = intercept + slope · rank, over rank 0 to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientFit {
    /// Value at rank 0 (the most deprived end).
    pub intercept: f64,
    /// Change in value from rank 0 to rank 1 (the SII, sign as fitted).
    pub slope: f64,
    /// How the legend states the SII, e.g. "SII 14.2 percentage points (95% CI 11.0 to 17.4)".
    pub sii_text: String,
}

/// A deprivation gradient chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradient {
    /// Title, subtitle, axis titles and footer.
    pub caption: Caption,
    /// The deciles, in any order.
    pub points: Vec<GradientPoint>,
    /// The SII line, if fitted.
    pub fit: Option<GradientFit>,
    /// Deciles to mark, e.g. those holding the locality's own LSOAs.
    pub highlight: Vec<u8>,
    /// Legend text for the highlighted deciles, e.g. "Deciles with Area A LSOAs".
    pub highlight_label: String,
}

/// Logical size of the chart.
pub(crate) const WIDTH: f64 = 960.0;
const PLOT_HEIGHT: f64 = 360.0;
const RADIUS: f64 = 5.5;
const FIT: plotters::style::RGBColor = GROUPS[1];

/// Where everything goes; the drawing and the tests share it.
pub(crate) struct Layout {
    pub frame: Frame,
    pub height: f64,
    pub legend: Vec<Item>,
    pub legend_area: Rect,
    pub plot: Rect,
    pub x: Linear,
    pub y: Linear,
    pub ticks: Ticks,
}

fn usable(point: &GradientPoint) -> Option<f64> {
    point.value.filter(|v| v.is_finite() && point.rank_mid.is_finite())
}

fn usable_fit(fit: &Option<GradientFit>) -> Option<&GradientFit> {
    fit.as_ref().filter(|fit| fit.intercept.is_finite() && fit.slope.is_finite())
}

/// Lays the chart out, or says why it cannot be drawn.
pub(crate) fn layout(chart: &Gradient) -> Result<Layout, ChartError> {
    if chart.points.is_empty() {
        return Err(ChartError::NoRows { chart: "gradient" });
    }
    // A zero baseline keeps the gradient's size honest for rates and percentages; negative data extends below.
    let (mut low, mut high) = (0.0f64, 0.0f64);
    for point in &chart.points {
        let Some(value) = usable(point) else { continue };
        let (a, b) = whisker::ordered(point.interval).unwrap_or((value, value));
        low = low.min(a).min(value);
        high = high.max(b).max(value);
    }
    if let Some(fit) = usable_fit(&chart.fit) {
        for end in [fit.intercept, fit.intercept + fit.slope] {
            low = low.min(end);
            high = high.max(end);
        }
    }
    let ticks = scale::ticks(low, high, 6);
    let frame = Frame::new(&chart.caption, WIDTH);
    let mut legend = vec![Item { key: Key::Marker(Shape::Circle, GROUPS[0]), label: "Decile value".to_owned() }];
    let highlighted = chart.points.iter().any(|p| chart.highlight.contains(&p.decile) && usable(p).is_some());
    if highlighted {
        legend.push(Item { key: Key::Marker(Shape::Square, INK), label: chart.highlight_label.clone() });
    }
    legend.push(Item { key: Key::Line(WHISKER, 1), label: "95% confidence interval".to_owned() });
    if let Some(fit) = usable_fit(&chart.fit) {
        legend.push(Item { key: Key::Line(FIT, 2), label: fit.sii_text.clone() });
    }
    let probe = frame.body(f64::MAX);
    let legend_height = legend::height(&legend, probe.width());
    let height = frame.height_for(legend_height + 10.0 + PLOT_HEIGHT + axis::X_AXIS_HEIGHT + 24.0);
    let body = frame.body(height);
    let top = body.top + legend_height + 10.0;
    let plot = Rect { left: body.left + axis::y_axis_width(&ticks), top, right: body.right, bottom: top + PLOT_HEIGHT };
    // Inset the rank axis so the end deciles' markers and caps stay inside the plot.
    let x = Linear { low: 0.0, high: 1.0, start: plot.left + 16.0, end: plot.right - 16.0 };
    let y = Linear { low: ticks.low, high: ticks.high, start: plot.bottom, end: plot.top };
    let legend_area = Rect { left: body.left, top: body.top, right: body.right, bottom: body.top + legend_height };
    Ok(Layout { frame, height, legend, legend_area, plot, x, y, ticks })
}

/// Draws the chart as an accessible SVG document.
pub(crate) fn svg(chart: &Gradient) -> Result<String, ChartError> {
    let layout = layout(chart)?;
    figure::document(&chart.caption, &layout.frame, layout.height, |canvas, _| draw(canvas, chart, &layout))
}

fn draw(canvas: &Canvas, chart: &Gradient, layout: &Layout) -> Result<(), ChartError> {
    let Layout { plot, x, y, .. } = layout;
    legend::draw(canvas, &layout.legend, layout.legend_area)?;
    axis::y_axis(canvas, *plot, y, &layout.ticks, &chart.caption.y_label)?;
    canvas.line(&[(plot.left, plot.bottom), (plot.right, plot.bottom)], AXIS, 1)?;
    let tick = TextStyleSpec::new(axis::TICK_SIZE).colour(MUTED).align(Align::Middle);
    for point in &chart.points {
        if !point.rank_mid.is_finite() {
            continue;
        }
        let px = x.map_clamped(point.rank_mid);
        canvas.line(&[(px, plot.bottom), (px, plot.bottom + 4.0)], AXIS, 1)?;
        canvas.text(&point.decile.to_string(), (px, plot.bottom + 14.0), tick)?;
    }
    let ends = TextStyleSpec::new(11.0).colour(MUTED);
    canvas.text("◀ Most deprived", (plot.left, plot.bottom + 56.0), ends)?;
    canvas.text("Least deprived ▶", (plot.right, plot.bottom + 56.0), ends.align(Align::End))?;
    let title = TextStyleSpec::new(axis::TITLE_SIZE).colour(INK).align(Align::Middle);
    canvas.text(&chart.caption.x_label, ((plot.left + plot.right) / 2.0, plot.bottom + 36.0), title)?;
    if let Some(fit) = usable_fit(&chart.fit) {
        let from = (x.map(0.0), y.map(fit.intercept));
        let to = (x.map(1.0), y.map(fit.intercept + fit.slope));
        canvas.line(&[from, to], FIT, 2)?;
    }
    for point in &chart.points {
        let Some(value) = usable(point) else { continue };
        let px = x.map_clamped(point.rank_mid);
        if let Some((low, high)) = whisker::ordered(point.interval) {
            whisker::vertical(canvas, px, y.map(low), y.map(high), 10.0)?;
        }
        if chart.highlight.contains(&point.decile) {
            marker::draw(canvas, Shape::Square, (px, y.map(value)), RADIUS + 1.0, INK)?;
        } else {
            marker::draw(canvas, Shape::Circle, (px, y.map(value)), RADIUS, GROUPS[0])?;
        }
    }
    canvas.line(&[(plot.left, plot.top), (plot.right, plot.top)], GRID, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette;
    use crate::charts::testkit::{self, assert_frame, has_text, number, points, with_attr};

    fn chart() -> Gradient {
        let points = (1..=10u8)
            .map(|decile| {
                let value = 30.0 - 2.0 * f64::from(decile);
                GradientPoint {
                    decile,
                    rank_mid: (f64::from(decile) - 0.5) / 10.0,
                    value: Some(value),
                    interval: Some((value - 1.0, value + 1.5)),
                }
            })
            .collect();
        Gradient {
            caption: testkit::caption(),
            points,
            fit: Some(GradientFit { intercept: 29.0, slope: -20.0, sii_text: "SII −20.0 points".into() }),
            highlight: vec![1, 2],
            highlight_label: "Deciles with Area A LSOAs".into(),
        }
    }

    #[test]
    fn points_sit_at_their_rank_and_value() {
        let chart = chart();
        let layout = layout(&chart).expect("lays out");
        let doc_text = svg(&chart).expect("draws");
        let doc = testkit::parse(&doc_text);
        assert_frame(&doc);
        assert!(has_text(&doc, "X label (%)") && has_text(&doc, "Y label (%)") && has_text(&doc, "SII −20.0 points"));
        assert!(has_text(&doc, "◀ Most deprived") && has_text(&doc, "10"));
        let circles = with_attr(&doc, "circle", "fill", &palette::hex(GROUPS[0]));
        // Eight plain deciles plus the legend key.
        assert_eq!(circles.len(), 8 + 1);
        let decile_5 = circles.iter().find(|c| (number(c, "cx") - layout.x.map(0.45)).abs() <= 1.0).expect("decile 5");
        assert!((number(decile_5, "cy") - layout.y.map(20.0)).abs() <= 1.0);
        let fit = with_attr(&doc, "polyline", "stroke", &palette::hex(FIT))
            .iter()
            .map(points)
            .find(|p| p.len() == 2 && (p[0].0 - layout.x.map(0.0)).abs() <= 1.0)
            .expect("fit line");
        assert!((fit[0].1 - layout.y.map(29.0)).abs() <= 1.0);
        assert!((fit[1].1 - layout.y.map(9.0)).abs() <= 1.0);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let mut odd = chart();
        odd.points[0].value = Some(f64::NAN);
        odd.points[1].rank_mid = f64::INFINITY;
        odd.fit = Some(GradientFit { intercept: f64::NAN, slope: 1.0, sii_text: String::new() });
        assert!(svg(&odd).is_ok());
        odd.points.iter_mut().for_each(|p| p.value = None);
        assert!(svg(&odd).is_ok());
        odd.points.clear();
        assert!(svg(&odd).is_err());
    }
}
