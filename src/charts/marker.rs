//! Point markers: shapes that carry meaning without colour.

use super::canvas::Canvas;
use super::error::ChartError;
use super::palette::INK;
use plotters::style::{Color, RGBColor};

/// A marker's outline shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A filled circle.
    Circle,
    /// An empty circle.
    Ring,
    /// A triangle pointing up.
    Up,
    /// A triangle pointing down.
    Down,
    /// A square.
    Square,
    /// A diamond.
    Diamond,
}

/// Draws `shape` centred at `centre` with about `radius` px half-size, filled with `fill` and edged in ink so
/// light fills still stand out from white paper.
pub(crate) fn draw(
    canvas: &Canvas,
    shape: Shape,
    centre: (f64, f64),
    radius: f64,
    fill: RGBColor,
) -> Result<(), ChartError> {
    let (x, y) = centre;
    let r = radius;
    let outline = |points: &[(f64, f64)]| -> Result<(), ChartError> {
        canvas.polygon(points, fill)?;
        let mut closed = points.to_vec();
        closed.extend(points.first().copied());
        canvas.line(&closed, INK, 1)
    };
    match shape {
        Shape::Circle => {
            canvas.circle(centre, r, fill.filled())?;
            canvas.circle(centre, r, INK.stroke_width(1))
        }
        Shape::Ring => {
            canvas.circle(centre, r, plotters::style::WHITE.filled())?;
            canvas.circle(centre, r, INK.stroke_width(1))
        }
        // Triangles are drawn a little larger so their area matches the circle's.
        Shape::Up => outline(&[(x, y - r * 1.3), (x + r * 1.2, y + r * 0.8), (x - r * 1.2, y + r * 0.8)]),
        Shape::Down => outline(&[(x, y + r * 1.3), (x + r * 1.2, y - r * 0.8), (x - r * 1.2, y - r * 0.8)]),
        Shape::Square => outline(&[(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]),
        Shape::Diamond => outline(&[(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]),
    }
}
