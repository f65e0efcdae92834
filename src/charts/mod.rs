//! Publication-quality charts for the atlas: each chart is drawn once as SVG (plotters' SVG backend) and the
//! PNG is that SVG rasterised by resvg with the bundled DejaVu Sans, so both formats match on every machine.
//!
//! Every figure carries a title, a subtitle, axis titles, a footer (source, licence, date) and alt text as the
//! SVG `<title>`/`<desc>`. Significance is shown by colour and by marker shape (▲ better, ● similar,
//! ▼ worse, ○ not compared), explained in a legend that never covers the data.
//!
//! ```
//! use locality_atlas::charts::{Caption, Chart, Format, Ranked, RankedRow, Significance, Size, render};
//!
//! let chart = Chart::Ranked(Ranked {
//!     caption: Caption { title: "Adults who smoke".into(), ..Caption::default() },
//!     rows: vec![RankedRow {
//!         label: "Coventry 007A".into(),
//!         value: Some(24.1),
//!         interval: Some((20.3, 28.2)),
//!         significance: Significance::Similar,
//!         note: String::new(),
//!     }],
//!     benchmark: Some(("Coventry 22.0%".into(), 22.0)),
//!     unit: "%".into(),
//! });
//! let png = render(&chart, Format::Png, Size::Screen).unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! ```

mod accessible;
mod axis;
mod canvas;
mod change;
mod comparison;
mod error;
mod figure;
mod font;
mod format;
mod gradient;
mod legend;
mod map;
mod marker;
mod palette;
mod ranked;
mod raster;
mod scale;
mod scatter;
mod significance;
mod spine;
#[cfg(test)]
mod testkit;
mod whisker;

pub use change::{Change, ChangeRow, RelativeDirection};
pub use comparison::{Comparison, ComparisonRow};
pub use error::ChartError;
pub use figure::{Caption, PRINT_WIDTH_PX, Size};
pub use gradient::{Gradient, GradientFit, GradientPoint};
pub use map::{LegendClass, MapArea, MapFigure, MapLegend, MapOutline, MapPoints};
pub use ranked::{Ranked, RankedRow};
pub use raster::png;
pub use scatter::{Scatter, ScatterPoint};
pub use significance::Significance;
pub use spine::{Spine, SpineNeighbours, SpineRange, SpineRow};

/// Output format of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// SVG text (UTF-8), the same for every `Size`.
    Svg,
    /// PNG bytes rasterised from the SVG at the requested `Size`.
    Png,
}

/// Any chart the atlas draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// LSOAs ranked by one indicator.
    Ranked(Ranked),
    /// Localities against Coventry and England.
    Comparison(Comparison),
    /// An area profile across many indicators.
    Spine(Spine),
    /// An indicator by IMD decile with the SII line.
    Gradient(Gradient),
    /// Change between two periods as dumbbells.
    Change(Change),
    /// Two indicators across areas with a least-squares line.
    Scatter(Scatter),
    /// A static choropleth map.
    Map(MapFigure),
}

impl Chart {
    /// Its title, subtitle, sources and alternative text.
    pub fn caption(&self) -> &Caption {
        match self {
            Chart::Ranked(chart) => &chart.caption,
            Chart::Comparison(chart) => &chart.caption,
            Chart::Spine(chart) => &chart.caption,
            Chart::Gradient(chart) => &chart.caption,
            Chart::Change(chart) => &chart.caption,
            Chart::Scatter(chart) => &chart.caption,
            Chart::Map(chart) => &chart.caption,
        }
    }
}

/// Draws `chart` as an accessible SVG document in logical pixels.
pub fn svg(chart: &Chart) -> Result<String, ChartError> {
    match chart {
        Chart::Ranked(chart) => ranked::svg(chart),
        Chart::Comparison(chart) => comparison::svg(chart),
        Chart::Spine(chart) => spine::svg(chart),
        Chart::Gradient(chart) => gradient::svg(chart),
        Chart::Change(chart) => change::svg(chart),
        Chart::Scatter(chart) => scatter::svg(chart),
        Chart::Map(chart) => map::svg(chart),
    }
}

/// Draws `chart` in `format`; `size` only affects PNG output.
pub fn render(chart: &Chart, format: Format, size: Size) -> Result<Vec<u8>, ChartError> {
    let svg = svg(chart)?;
    match format {
        Format::Svg => Ok(svg.into_bytes()),
        Format::Png => png(&svg, size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width and height from a PNG's IHDR chunk, read with the `png` decoder.
    fn png_size(bytes: &[u8]) -> (u32, u32) {
        let decoder = png::Decoder::new(bytes);
        let reader = decoder.read_info().expect("valid PNG header");
        let info = reader.info();
        (info.width, info.height)
    }

    fn example() -> Chart {
        Chart::Ranked(Ranked {
            caption: testkit::caption(),
            rows: vec![RankedRow {
                label: "Coventry 007A".into(),
                value: Some(24.1),
                interval: Some((20.3, 28.2)),
                significance: Significance::Similar,
                note: String::new(),
            }],
            benchmark: None,
            unit: "%".into(),
        })
    }

    #[test]
    fn png_sizes_follow_the_logical_size() {
        let svg = svg(&example()).expect("draws");
        let doc = testkit::parse(&svg);
        let width = testkit::number(&doc.root_element(), "width");
        let height = testkit::number(&doc.root_element(), "height");
        let (w, h) = png_size(&png(&svg, Size::Screen).expect("screen PNG"));
        assert_eq!((f64::from(w), f64::from(h)), (width, height));
        let (w2, h2) = png_size(&png(&svg, Size::Double).expect("double PNG"));
        assert_eq!((w2, h2), (w * 2, h * 2));
        let (wp, hp) = png_size(&png(&svg, Size::Print).expect("print PNG"));
        assert_eq!(wp, 1890);
        assert!((f64::from(hp) - height * 1890.0 / width).abs() <= 1.0);
    }

    #[test]
    fn svg_format_is_the_svg_text() {
        let bytes = render(&example(), Format::Svg, Size::Print).expect("renders");
        assert_eq!(bytes, svg(&example()).expect("draws").into_bytes());
    }

    #[test]
    fn garbage_svg_is_an_error_not_a_panic() {
        assert!(matches!(png("not svg", Size::Screen), Err(ChartError::Parse(_))));
    }
}
