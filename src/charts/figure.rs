//! The frame every chart shares: title, subtitle, body and footer, output sizes, and the SVG document itself.

use super::accessible;
use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::font::{self, Weight};
use super::palette::{GRID, MUTED, PAPER};
use plotters::prelude::*;

/// The words around a chart, all supplied by the caller so the chart knows nothing about the atlas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caption {
    /// What the chart shows, as a sentence-case headline.
    pub title: String,
    /// Indicator, period, interval method and comparator.
    pub subtitle: String,
    /// Horizontal axis title with its unit, e.g. "Adults who smoke (%)".
    pub x_label: String,
    /// Vertical axis title with its unit.
    pub y_label: String,
    /// Data source, e.g. "OHID Fingertips; ONS mid-year estimates".
    pub source: String,
    /// Licence of the data, e.g. "Open Government Licence v3.0".
    pub licence: String,
    /// Date the figure was produced, already formatted.
    pub produced: String,
    /// A description of the chart for screen readers (becomes the SVG `<desc>`).
    pub alt: String,
}

/// Output pixel size of a PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    /// The chart's logical size in CSS pixels.
    Screen,
    /// Twice the logical size, for high-density screens.
    Double,
    /// 300 dpi across A4 text width (160 mm = 1890 px), height in proportion.
    Print,
}

/// Pixel width of a `Size::Print` image: 160 mm at 300 dpi.
pub const PRINT_WIDTH_PX: f64 = 1890.0;

impl std::str::FromStr for Size {
    type Err = String;

    /// `screen`, `2x` or `print`, as URLs and the command line name them.
    fn from_str(text: &str) -> Result<Size, String> {
        match text {
            "screen" => Ok(Size::Screen),
            "2x" => Ok(Size::Double),
            "print" => Ok(Size::Print),
            other => Err(format!("{other:?} is not a size; use screen, 2x or print")),
        }
    }
}

impl Size {
    /// Factor from logical pixels to output pixels for a chart `logical_width` px wide.
    pub fn scale(self, logical_width: f64) -> f64 {
        match self {
            Size::Screen => 1.0,
            Size::Double => 2.0,
            Size::Print if logical_width > 0.0 => PRINT_WIDTH_PX / logical_width,
            Size::Print => 1.0,
        }
    }
}

/// An axis-aligned box in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Rect {
    /// Width of the box.
    pub(crate) fn width(&self) -> f64 {
        self.right - self.left
    }
}

/// Space around the whole figure.
pub(crate) const MARGIN: f64 = 24.0;
const TITLE: TextLine = TextLine { size: 20.0, height: 26.0, weight: Weight::Bold };
const SUBTITLE: TextLine = TextLine { size: 13.0, height: 18.0, weight: Weight::Regular };
const FOOTER: TextLine = TextLine { size: 11.0, height: 15.0, weight: Weight::Regular };
/// Gap between the subtitle and the body, and between the body and the footer rule.
const GAP: f64 = 14.0;

struct TextLine {
    size: f64,
    height: f64,
    weight: Weight,
}

/// The caption text of a chart broken into lines for its width.
pub(crate) struct Frame {
    width: f64,
    title: Vec<String>,
    subtitle: Vec<String>,
    footer: Vec<String>,
}

impl Frame {
    /// Wraps the caption's title, subtitle and footer to fit a figure `width` px wide.
    pub(crate) fn new(caption: &Caption, width: f64) -> Self {
        Frame::with_attribution(caption, width, "")
    }

    /// Like [`Frame::new`], with an attribution (e.g. map data copyright) as a last footer paragraph.
    pub(crate) fn with_attribution(caption: &Caption, width: f64, attribution: &str) -> Self {
        let measure = width - 2.0 * MARGIN;
        let wrap = |text: &str, line: &TextLine| font::wrap(text, line.size, line.weight, measure);
        let footer_text = [
            (!caption.source.is_empty()).then(|| format!("Source: {}.", caption.source.trim_end_matches('.'))),
            (!caption.licence.is_empty()).then(|| format!("Licence: {}.", caption.licence.trim_end_matches('.'))),
            (!caption.produced.is_empty()).then(|| format!("Produced {}.", caption.produced.trim_end_matches('.'))),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        Frame {
            width,
            title: wrap(&caption.title, &TITLE),
            subtitle: wrap(&caption.subtitle, &SUBTITLE),
            footer: [wrap(&footer_text, &FOOTER), wrap(attribution, &FOOTER)].concat(),
        }
    }

    fn header_height(&self) -> f64 {
        MARGIN + self.title.len() as f64 * TITLE.height + self.subtitle.len() as f64 * SUBTITLE.height + GAP
    }

    fn footer_height(&self) -> f64 {
        GAP + self.footer.len() as f64 * FOOTER.height + MARGIN * 0.75
    }

    /// Total figure height for a body `body_height` px tall.
    pub(crate) fn height_for(&self, body_height: f64) -> f64 {
        (self.header_height() + body_height + self.footer_height()).ceil()
    }

    /// The box left for the chart itself in a figure `height` px tall.
    pub(crate) fn body(&self, height: f64) -> Rect {
        Rect {
            left: MARGIN,
            top: self.header_height(),
            right: self.width - MARGIN,
            bottom: (height - self.footer_height()).max(self.header_height()),
        }
    }

    fn draw(&self, canvas: &Canvas, height: f64) -> Result<(), ChartError> {
        let mut y = MARGIN;
        let mut lines = |lines: &[String], line: &TextLine, colour: RGBColor| -> Result<(), ChartError> {
            let mut style = TextStyleSpec::new(line.size).colour(colour).align(Align::Start);
            style.weight = line.weight;
            for text in lines {
                canvas.text(text, (MARGIN, y + line.height / 2.0), style)?;
                y += line.height;
            }
            Ok(())
        };
        lines(&self.title, &TITLE, super::palette::INK)?;
        lines(&self.subtitle, &SUBTITLE, MUTED)?;
        let rule = height - self.footer_height() + GAP / 2.0;
        canvas.line(&[(MARGIN, rule), (self.width - MARGIN, rule)], GRID, 1)?;
        let mut y = rule + GAP / 2.0;
        for text in &self.footer {
            canvas.text(text, (MARGIN, y + FOOTER.height / 2.0), TextStyleSpec::new(FOOTER.size).colour(MUTED))?;
            y += FOOTER.height;
        }
        Ok(())
    }
}

/// Draws a complete figure: paper, caption frame, then the chart body via `body`, and returns the accessible
/// SVG document. `width` and `height` are logical pixels.
pub(crate) fn document(
    caption: &Caption,
    frame: &Frame,
    height: f64,
    body: impl FnOnce(&Canvas, Rect) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let width = frame.width.round().clamp(1.0, 20_000.0) as u32;
    let height_px = height.round().clamp(1.0, 100_000.0) as u32;
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height_px)).into_drawing_area();
        area.fill(&PAPER).map_err(|error| ChartError::Draw(error.to_string()))?;
        let canvas = Canvas::new(&area);
        frame.draw(&canvas, height)?;
        body(&canvas, frame.body(height))?;
        area.present().map_err(|error| ChartError::Draw(error.to_string()))?;
    }
    Ok(accessible::label(&svg, &caption.title, &caption.alt))
}
