//! A thin drawing surface over plotters' SVG backend, in floating-point pixels, with the bundled font.
//!
//! Charts lay themselves out in f64 and this is the one place that rounds to the backend's integer pixels.

use super::error::ChartError;
use super::font::{self, FAMILY, Weight};
use super::palette::INK;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Horizontal placement of text relative to its x position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextStyleSpec {
    /// Font size in px.
    pub size: f64,
    /// Regular or bold.
    pub weight: Weight,
    /// Fill colour.
    pub colour: RGBColor,
    /// Horizontal alignment.
    pub align: Align,
    /// Rotated a quarter turn anticlockwise (for vertical axis titles).
    pub vertical: bool,
}

impl TextStyleSpec {
    /// Regular ink text of `size` px, starting at x.
    pub(crate) fn new(size: f64) -> Self {
        TextStyleSpec { size, weight: Weight::Regular, colour: INK, align: Align::Start, vertical: false }
    }

    /// The same style in another colour.
    pub(crate) fn colour(self, colour: RGBColor) -> Self {
        TextStyleSpec { colour, ..self }
    }

    /// The same style aligned differently.
    pub(crate) fn align(self, align: Align) -> Self {
        TextStyleSpec { align, ..self }
    }

    /// The same style in bold.
    pub(crate) fn bold(self) -> Self {
        TextStyleSpec { weight: Weight::Bold, ..self }
    }

    /// The same style turned to read upwards.
    pub(crate) fn vertical(self) -> Self {
        TextStyleSpec { vertical: true, ..self }
    }

    /// Width of `text` in this style.
    pub(crate) fn width(&self, text: &str) -> f64 {
        font::text_width(text, self.size, self.weight)
    }
}

/// The drawing surface of one chart.
pub(crate) struct Canvas<'a, 'b> {
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
}

fn px(value: f64) -> i32 {
    // Saturating conversion: a wild value lands off the canvas rather than panicking.
    if value.is_finite() { value.round().clamp(-1e6, 1e6) as i32 } else { -100_000 }
}

fn point((x, y): (f64, f64)) -> (i32, i32) {
    (px(x), px(y))
}

fn draw_error<E: std::fmt::Debug>(error: E) -> ChartError {
    ChartError::Draw(format!("{error:?}"))
}

impl<'a, 'b> Canvas<'a, 'b> {
    /// Wraps a plotters drawing area.
    pub(crate) fn new(area: &'a DrawingArea<SVGBackend<'b>, Shift>) -> Self {
        Canvas { area }
    }

    /// A filled rectangle between two corners.
    pub(crate) fn rect(&self, from: (f64, f64), to: (f64, f64), fill: RGBColor) -> Result<(), ChartError> {
        self.area.draw(&Rectangle::new([point(from), point(to)], fill.filled())).map_err(draw_error)
    }

    /// A filled rectangle in any style, e.g. a translucent label backing.
    pub(crate) fn rect_styled(&self, from: (f64, f64), to: (f64, f64), style: ShapeStyle) -> Result<(), ChartError> {
        self.area.draw(&Rectangle::new([point(from), point(to)], style)).map_err(draw_error)
    }

    /// A rectangle outline between two corners.
    pub(crate) fn rect_outline(&self, from: (f64, f64), to: (f64, f64), stroke: RGBColor) -> Result<(), ChartError> {
        self.area.draw(&Rectangle::new([point(from), point(to)], stroke.stroke_width(1))).map_err(draw_error)
    }

    /// An open polyline.
    pub(crate) fn line(&self, points: &[(f64, f64)], stroke: RGBColor, width: u32) -> Result<(), ChartError> {
        let points: Vec<_> = points.iter().copied().map(point).collect();
        self.area.draw(&PathElement::new(points, stroke.stroke_width(width))).map_err(draw_error)
    }

    /// A dashed straight line, drawn as separate dashes so it rasterises the same everywhere.
    pub(crate) fn dashed(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        stroke: RGBColor,
        width: u32,
        dash: f64,
    ) -> Result<(), ChartError> {
        let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
        if !length.is_finite() || length == 0.0 {
            return Ok(());
        }
        let mut at = 0.0;
        while at < length {
            let stop = (at + dash).min(length);
            let along = |t: f64| (from.0 + (to.0 - from.0) * t / length, from.1 + (to.1 - from.1) * t / length);
            self.line(&[along(at), along(stop)], stroke, width)?;
            at += dash * 2.0;
        }
        Ok(())
    }

    /// A filled polygon (closed automatically).
    pub(crate) fn polygon(&self, points: &[(f64, f64)], fill: RGBColor) -> Result<(), ChartError> {
        let points: Vec<_> = points.iter().copied().map(point).collect();
        self.area.draw(&Polygon::new(points, fill.filled())).map_err(draw_error)
    }

    /// A circle, filled or outlined.
    pub(crate) fn circle(&self, centre: (f64, f64), radius: f64, style: ShapeStyle) -> Result<(), ChartError> {
        let radius = radius.round().clamp(1.0, 1e4) as u32;
        self.area.draw(&Circle::new(point(centre), radius, style)).map_err(draw_error)
    }

    /// A label of at most two lines centred on `y`, wrapped at spaces to `width` and ended with an ellipsis if
    /// it still does not fit, for row labels in a fixed-width column.
    pub(crate) fn label(
        &self,
        text: &str,
        (x, y): (f64, f64),
        style: TextStyleSpec,
        width: f64,
    ) -> Result<(), ChartError> {
        let lines = font::wrap(text, style.size, style.weight, width);
        let gap = style.size * 0.6;
        match lines.as_slice() {
            [] => Ok(()),
            [only] => self.text(&font::fit(only, style.size, style.weight, width), (x, y), style),
            [first, rest @ ..] => {
                self.text(&font::fit(first, style.size, style.weight, width), (x, y - gap), style)?;
                self.text(&font::fit(&rest.join(" "), style.size, style.weight, width), (x, y + gap), style)
            }
        }
    }

    /// One line of text whose vertical centre is at `y`.
    pub(crate) fn text(&self, text: &str, (x, y): (f64, f64), style: TextStyleSpec) -> Result<(), ChartError> {
        if text.is_empty() {
            return Ok(());
        }
        let h_pos = match style.align {
            Align::Start => HPos::Left,
            Align::Middle => HPos::Center,
            Align::End => HPos::Right,
        };
        let font_style = match style.weight {
            Weight::Regular => FontStyle::Normal,
            Weight::Bold => FontStyle::Bold,
        };
        // plotters writes font-size as size / 1.24 (its point-to-pixel convention), so scale up to get px.
        let mut text_style = TextStyle::from((FontFamily::Name(FAMILY), style.size * 1.24, font_style))
            .color(&style.colour)
            .pos(Pos::new(h_pos, VPos::Center));
        if style.vertical {
            text_style = text_style.transform(FontTransform::Rotate270);
        }
        self.area.draw_text(text, &text_style, point((x, y))).map_err(draw_error)
    }
}
