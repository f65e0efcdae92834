//! Confidence-interval whiskers with end caps.

use super::canvas::Canvas;
use super::error::ChartError;
use super::palette::WHISKER;

/// Cleans an interval: both ends finite, low first; `None` otherwise so nothing misleading is drawn.
pub(crate) fn ordered(interval: Option<(f64, f64)>) -> Option<(f64, f64)> {
    let (a, b) = interval?;
    (a.is_finite() && b.is_finite()).then(|| (a.min(b), a.max(b)))
}

/// A horizontal whisker from pixel `x0` to `x1` at height `y`, with caps `cap` px tall.
pub(crate) fn horizontal(canvas: &Canvas, x0: f64, x1: f64, y: f64, cap: f64) -> Result<(), ChartError> {
    canvas.line(&[(x0, y), (x1, y)], WHISKER, 1)?;
    canvas.line(&[(x0, y - cap / 2.0), (x0, y + cap / 2.0)], WHISKER, 1)?;
    canvas.line(&[(x1, y - cap / 2.0), (x1, y + cap / 2.0)], WHISKER, 1)
}

/// A vertical whisker from pixel `y0` to `y1` at `x`, with caps `cap` px wide.
pub(crate) fn vertical(canvas: &Canvas, x: f64, y0: f64, y1: f64, cap: f64) -> Result<(), ChartError> {
    canvas.line(&[(x, y0), (x, y1)], WHISKER, 1)?;
    canvas.line(&[(x - cap / 2.0, y0), (x + cap / 2.0, y0)], WHISKER, 1)?;
    canvas.line(&[(x - cap / 2.0, y1), (x + cap / 2.0, y1)], WHISKER, 1)
}
