//! Value axes: grid lines, tick marks, tick labels and the axis title, outside the plot box.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::Rect;
use super::palette::{AXIS, GRID, INK, MUTED};
use super::scale::{Linear, Ticks};

/// Tick label size in px.
pub(crate) const TICK_SIZE: f64 = 12.0;
/// Axis title size in px.
pub(crate) const TITLE_SIZE: f64 = 13.0;
/// Height a horizontal axis takes below the plot: tick, label, gap, title.
pub(crate) const X_AXIS_HEIGHT: f64 = 46.0;

/// Width a vertical axis takes left of the plot for these tick labels and a title.
pub(crate) fn y_axis_width(ticks: &Ticks) -> f64 {
    let style = TextStyleSpec::new(TICK_SIZE);
    let widest = ticks.labels().iter().map(|label| style.width(label)).fold(0.0, f64::max);
    widest + 10.0 + TITLE_SIZE + 12.0
}

/// A horizontal value axis under `plot`, with vertical grid lines through the plot.
pub(crate) fn x_axis(
    canvas: &Canvas,
    plot: Rect,
    scale: &Linear,
    ticks: &Ticks,
    title: &str,
) -> Result<(), ChartError> {
    for (value, label) in ticks.values.iter().zip(ticks.labels()) {
        let x = scale.map(*value);
        canvas.line(&[(x, plot.top), (x, plot.bottom)], GRID, 1)?;
        canvas.line(&[(x, plot.bottom), (x, plot.bottom + 4.0)], AXIS, 1)?;
        let style = TextStyleSpec::new(TICK_SIZE).colour(MUTED).align(Align::Middle);
        canvas.text(&label, (x, plot.bottom + 14.0), style)?;
    }
    canvas.line(&[(plot.left, plot.bottom), (plot.right, plot.bottom)], AXIS, 1)?;
    let title_style = TextStyleSpec::new(TITLE_SIZE).colour(INK).align(Align::Middle);
    canvas.text(title, ((plot.left + plot.right) / 2.0, plot.bottom + 36.0), title_style)
}

/// A vertical value axis left of `plot`, with horizontal grid lines through the plot.
pub(crate) fn y_axis(
    canvas: &Canvas,
    plot: Rect,
    scale: &Linear,
    ticks: &Ticks,
    title: &str,
) -> Result<(), ChartError> {
    for (value, label) in ticks.values.iter().zip(ticks.labels()) {
        let y = scale.map(*value);
        canvas.line(&[(plot.left, y), (plot.right, y)], GRID, 1)?;
        canvas.line(&[(plot.left - 4.0, y), (plot.left, y)], AXIS, 1)?;
        canvas.text(&label, (plot.left - 7.0, y), TextStyleSpec::new(TICK_SIZE).colour(MUTED).align(Align::End))?;
    }
    canvas.line(&[(plot.left, plot.top), (plot.left, plot.bottom)], AXIS, 1)?;
    let x = plot.left - y_axis_width(ticks) + TITLE_SIZE / 2.0;
    let title_style = TextStyleSpec::new(TITLE_SIZE).colour(INK).align(Align::Middle).vertical();
    canvas.text(title, (x, (plot.top + plot.bottom) / 2.0), title_style)
}
