//! Statistical significance against a benchmark, and how every chart shows it: colour plus shape.

use super::marker::Shape;
use plotters::style::RGBColor;

/// How an area's value compares with the benchmark, as the caller's statistics decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Significance {
    /// Significantly better than the benchmark.
    Better,
    /// Not significantly different from the benchmark.
    Similar,
    /// Significantly worse than the benchmark.
    Worse,
    /// Not compared (no polarity, no interval, or the benchmark itself).
    NotCompared,
}

impl Significance {
    /// Every category, in legend order.
    pub const ALL: [Significance; 4] =
        [Significance::Better, Significance::Similar, Significance::Worse, Significance::NotCompared];

    /// Fill colour: blue, amber and vermillion stay apart for red-green colour-blind readers because they
    /// differ in lightness as well as hue; grey for not compared.
    pub(crate) fn colour(self) -> RGBColor {
        match self {
            Significance::Better => RGBColor(59, 130, 196),
            Significance::Similar => RGBColor(242, 193, 46),
            Significance::Worse => RGBColor(213, 94, 0),
            Significance::NotCompared => RGBColor(189, 189, 189),
        }
    }

    /// Marker shape, the cue that survives greyscale printing and colour blindness.
    pub(crate) fn shape(self) -> Shape {
        match self {
            Significance::Better => Shape::Up,
            Significance::Similar => Shape::Circle,
            Significance::Worse => Shape::Down,
            Significance::NotCompared => Shape::Ring,
        }
    }

    /// The legend's words for the category.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Significance::Better => "Better (significant)",
            Significance::Similar => "Similar (not significant)",
            Significance::Worse => "Worse (significant)",
            Significance::NotCompared => "Not compared",
        }
    }
}
