//! Static choropleth of LSOAs with locality outlines, optional points (GP practices), a side legend, a scale bar
//! and a north arrow.
//!
//! Lon/lat is projected with a local equirectangular projection (longitude scaled by the cosine of the centre
//! latitude), accurate to well under 1% across a city. Holes are cut by joining each hole to its exterior
//! with a zero-width bridge and winding it the other way, so SVG's non-zero fill leaves it empty.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::{self, Caption, Frame, Rect};
use super::font;
use super::palette::{self, INK, MUTED, NO_DATA, PAPER};
use geo::{BoundingRect, InteriorPoint, MultiPolygon, Polygon};
use plotters::style::{Color, RGBColor};

/// One LSOA.
#[derive(Debug, Clone, PartialEq)]
pub struct MapArea {
    /// LSOA code.
    pub code: String,
    /// Boundary in WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
    /// Class colour as `#rrggbb`; `None` for suppressed or missing values (drawn in the no-data grey).
    pub fill: Option<String>,
}

/// A locality boundary drawn over the areas.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOutline {
    /// Locality name, printed inside it.
    pub name: String,
    /// Boundary in WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendClass {
    /// Colour as `#rrggbb`.
    pub colour: String,
    /// Class range, e.g. "18.0 to 24.5".
    pub label: String,
    /// Areas in the class.
    pub count: usize,
}

/// Places marked over the map (e.g. open GP practices), each as a dot with a paper-coloured ring.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoints {
    /// Legend label, e.g. "GP practice (open)".
    pub label: String,
    /// Dot colour as `#rrggbb`.
    pub colour: String,
    /// Positions in WGS84 longitude/latitude; the map's extent is set by the areas, not by these.
    pub points: Vec<geo::Point<f64>>,
}

/// The map legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLegend {
    /// Heading, e.g. "Adults who smoke (%) · quantiles, 5 classes".
    pub title: String,
    /// Classes, lowest first.
    pub classes: Vec<LegendClass>,
    /// The entry for suppressed or missing values, if any area has none.
    pub no_data: Option<LegendClass>,
}

/// A choropleth figure.
#[derive(Debug, Clone, PartialEq)]
pub struct MapFigure {
    /// Title, subtitle and footer (axis titles are not used).
    pub caption: Caption,
    /// The LSOAs.
    pub areas: Vec<MapArea>,
    /// Locality outlines.
    pub outlines: Vec<MapOutline>,
    /// Legend entries.
    pub legend: MapLegend,
    /// Points drawn over the areas and outlines, with their legend entry.
    pub points: Option<MapPoints>,
    /// Boundary data attribution, added to the footer, e.g. "Contains OS data © Crown copyright 2025".
    pub attribution: String,
}

/// Logical width of the figure.
pub(crate) const WIDTH: f64 = 960.0;
const LEGEND_WIDTH: f64 = 230.0;
const MAX_MAP_HEIGHT: f64 = 560.0;
/// Metres in one degree of latitude (mean; the variation is under 1% and invisible on a scale bar).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// Projection from lon/lat to figure pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Projection {
    cos_lat: f64,
    min_x: f64,
    max_y: f64,
    scale: f64,
    left: f64,
    top: f64,
}

impl Projection {
    /// Pixel position of a lon/lat coordinate.
    pub(crate) fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (self.left + (lon * self.cos_lat - self.min_x) * self.scale, self.top + (self.max_y - lat) * self.scale)
    }

    /// Pixels per metre on the ground.
    pub(crate) fn pixels_per_metre(&self) -> f64 {
        self.scale / METRES_PER_DEGREE
    }
}

/// Where everything goes; the drawing and the tests share it.
pub(crate) struct Layout {
    pub frame: Frame,
    pub height: f64,
    pub legend: Rect,
    pub projection: Projection,
}

fn bounds(figure: &MapFigure) -> Option<geo::Rect<f64>> {
    let geometries = figure.areas.iter().map(|a| &a.geometry).chain(figure.outlines.iter().map(|o| &o.geometry));
    geometries.filter_map(|g| g.bounding_rect()).filter(|r| r.min().x.is_finite() && r.max().y.is_finite()).reduce(
        |a, b| {
            geo::Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        },
    )
}

/// Lays the figure out, keeping the map's aspect ratio, or says why it cannot be drawn.
pub(crate) fn layout(figure: &MapFigure) -> Result<Layout, ChartError> {
    if figure.areas.is_empty() {
        return Err(ChartError::NoRows { chart: "map" });
    }
    let bounds = bounds(figure).ok_or(ChartError::NoValues { chart: "map" })?;
    let centre_lat = (bounds.min().y + bounds.max().y) / 2.0;
    let cos_lat = centre_lat.to_radians().cos().abs().max(0.01);
    let (min_x, max_x) = (bounds.min().x * cos_lat, bounds.max().x * cos_lat);
    let (min_y, max_y) = (bounds.min().y, bounds.max().y);
    let frame = Frame::with_attribution(&figure.caption, WIDTH, &figure.attribution);
    let probe = frame.body(f64::MAX);
    let map_width = probe.width() - LEGEND_WIDTH - 16.0;
    // A single point or a line still gets a finite scale: pretend it spans a few metres.
    let span_x = (max_x - min_x).max(1e-5);
    let span_y = (max_y - min_y).max(1e-5);
    let scale = (map_width / span_x).min(MAX_MAP_HEIGHT / span_y);
    let map_height = (span_y * scale).max(legend_height(figure));
    let height = frame.height_for(map_height);
    let body = frame.body(height);
    let drawn_width = span_x * scale;
    let map = Rect { left: body.left, top: body.top, right: body.left + map_width, bottom: body.top + map_height };
    let projection = Projection {
        cos_lat,
        min_x,
        max_y,
        scale,
        left: map.left + (map_width - drawn_width) / 2.0,
        top: map.top + (map_height - span_y * scale) / 2.0,
    };
    let legend =
        Rect { left: body.right - LEGEND_WIDTH, top: body.top, right: body.right, bottom: body.top + map_height };
    Ok(Layout { frame, height, legend, projection })
}

/// Height the legend column needs: title, classes, outline and point keys, north arrow and scale bar.
fn legend_height(figure: &MapFigure) -> f64 {
    let title = font::wrap(&figure.legend.title, 12.0, font::Weight::Bold, LEGEND_WIDTH).len() as f64 * 16.0;
    let classes = (figure.legend.classes.len() + usize::from(figure.legend.no_data.is_some())) as f64 * 22.0;
    let points = if figure.points.is_some() { 22.0 } else { 0.0 };
    title + 8.0 + classes + 30.0 + points + 110.0
}

/// Radius of a point's dot, and of the paper ring round it, in pixels.
const DOT_RADIUS: f64 = 4.0;
const RING_RADIUS: f64 = 6.0;

/// A round scale-bar length (1, 2 or 5 × 10ⁿ metres) no longer than `max_metres`.
pub(crate) fn scale_bar_metres(max_metres: f64) -> f64 {
    if !(max_metres.is_finite() && max_metres > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(max_metres.log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|f| f * magnitude).find(|m| *m <= max_metres).unwrap_or(magnitude)
}

/// "500 m", "2 km", "1.5 km".
pub(crate) fn distance_label(metres: f64) -> String {
    if metres >= 1000.0 {
        let km = metres / 1000.0;
        if km.fract() == 0.0 { format!("{km:.0} km") } else { format!("{km} km") }
    } else {
        format!("{metres:.0} m")
    }
}

/// Draws the figure as an accessible SVG document.
pub(crate) fn svg(figure: &MapFigure) -> Result<String, ChartError> {
    let layout = layout(figure)?;
    figure::document(&figure.caption, &layout.frame, layout.height, |canvas, _| draw(canvas, figure, &layout))
}

fn no_data_colour(figure: &MapFigure) -> RGBColor {
    figure.legend.no_data.as_ref().and_then(|entry| palette::parse_hex(&entry.colour)).unwrap_or(NO_DATA)
}

fn draw(canvas: &Canvas, figure: &MapFigure, layout: &Layout) -> Result<(), ChartError> {
    let projection = &layout.projection;
    let missing = no_data_colour(figure);
    for area in &figure.areas {
        let fill = area.fill.as_deref().and_then(palette::parse_hex).unwrap_or(missing);
        for polygon in &area.geometry {
            canvas.polygon(&with_holes(polygon, projection), fill)?;
        }
    }
    // Thin paper-coloured borders separate neighbouring areas of the same class.
    for area in &figure.areas {
        for polygon in &area.geometry {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                canvas.line(&ring_pixels(ring, projection), PAPER, 1)?;
            }
        }
    }
    for outline in &figure.outlines {
        for polygon in &outline.geometry {
            canvas.line(&ring_pixels(polygon.exterior(), projection), INK, 3)?;
        }
    }
    if let Some(points) = &figure.points {
        let colour = palette::parse_hex(&points.colour).unwrap_or(INK);
        for point in &points.points {
            draw_dot(canvas, projection.project(point.x(), point.y()), colour)?;
        }
    }
    for outline in &figure.outlines {
        draw_outline_label(canvas, outline, projection)?;
    }
    draw_legend(canvas, figure, layout)
}

/// A dot with a paper-coloured ring, which stands out on any class colour.
fn draw_dot(canvas: &Canvas, centre: (f64, f64), colour: RGBColor) -> Result<(), ChartError> {
    canvas.circle(centre, RING_RADIUS, PAPER.filled())?;
    canvas.circle(centre, DOT_RADIUS, colour.filled())
}

fn ring_pixels(ring: &geo::LineString<f64>, projection: &Projection) -> Vec<(f64, f64)> {
    ring.coords().filter(|c| c.x.is_finite() && c.y.is_finite()).map(|c| projection.project(c.x, c.y)).collect()
}

fn signed_area(points: &[(f64, f64)]) -> f64 {
    let pairs = points.iter().zip(points.iter().cycle().skip(1));
    pairs.map(|((x0, y0), (x1, y1))| x0 * y1 - x1 * y0).sum::<f64>() / 2.0
}

/// One point list for a polygon and its holes: each hole is entered and left along the same bridge from the
/// exterior's first point and wound against the exterior, so non-zero filling leaves the hole empty.
pub(crate) fn with_holes(polygon: &Polygon<f64>, projection: &Projection) -> Vec<(f64, f64)> {
    let mut exterior = ring_pixels(polygon.exterior(), projection);
    let Some(&start) = exterior.first() else { return exterior };
    let outward = signed_area(&exterior).signum();
    let mut points = std::mem::take(&mut exterior);
    if points.last() != Some(&start) {
        points.push(start);
    }
    for hole in polygon.interiors() {
        let mut ring = ring_pixels(hole, projection);
        if ring.len() < 3 {
            continue;
        }
        if signed_area(&ring).signum() == outward {
            ring.reverse();
        }
        if ring.last() != ring.first() {
            ring.extend(ring.first().copied());
        }
        points.extend(ring);
        points.push(start);
    }
    points
}

fn draw_outline_label(canvas: &Canvas, outline: &MapOutline, projection: &Projection) -> Result<(), ChartError> {
    // Label the largest part at a point guaranteed to lie inside it, so a crescent's label is not outside it.
    let largest = outline.geometry.iter().max_by(|a, b| {
        let area = |p: &Polygon<f64>| signed_area(&ring_pixels(p.exterior(), projection)).abs();
        area(a).total_cmp(&area(b))
    });
    let Some(point) = largest.and_then(|polygon| polygon.interior_point()) else { return Ok(()) };
    let (x, y) = projection.project(point.x(), point.y());
    let style = TextStyleSpec::new(12.0).bold().align(Align::Middle);
    let half = style.width(&outline.name) / 2.0 + 4.0;
    canvas.rect_styled((x - half, y - 9.0), (x + half, y + 9.0), PAPER.mix(0.85).filled())?;
    canvas.text(&outline.name, (x, y), style)
}

fn draw_legend(canvas: &Canvas, figure: &MapFigure, layout: &Layout) -> Result<(), ChartError> {
    let area = layout.legend;
    let mut y = area.top;
    let title_style = TextStyleSpec::new(12.0).bold();
    for line in font::wrap(&figure.legend.title, 12.0, title_style.weight, area.width()) {
        canvas.text(&line, (area.left, y + 8.0), title_style)?;
        y += 16.0;
    }
    y += 8.0;
    let text = TextStyleSpec::new(12.0);
    let entries = figure.legend.classes.iter().map(|c| (c, palette::parse_hex(&c.colour).unwrap_or(NO_DATA)));
    let no_data = figure.legend.no_data.iter().map(|c| (c, no_data_colour(figure)));
    for (entry, colour) in entries.chain(no_data) {
        canvas.rect((area.left, y + 3.0), (area.left + 22.0, y + 19.0), colour)?;
        canvas.rect_outline((area.left, y + 3.0), (area.left + 22.0, y + 19.0), MUTED)?;
        let label = format!("{} ({})", entry.label, entry.count);
        canvas.text(&font::fit(&label, 12.0, text.weight, area.width() - 30.0), (area.left + 30.0, y + 11.0), text)?;
        y += 22.0;
    }
    y += 8.0;
    // A key for the outlines only where some are drawn (a district's map has none).
    if !figure.outlines.is_empty() {
        canvas.line(&[(area.left, y + 11.0), (area.left + 22.0, y + 11.0)], INK, 3)?;
        canvas.text("Locality boundary", (area.left + 30.0, y + 11.0), text)?;
    }
    if let Some(points) = &figure.points {
        y += 22.0;
        let colour = palette::parse_hex(&points.colour).unwrap_or(INK);
        canvas.rect((area.left, y + 3.0), (area.left + 22.0, y + 19.0), NO_DATA)?;
        draw_dot(canvas, (area.left + 11.0, y + 11.0), colour)?;
        let label = format!("{} ({})", points.label, points.points.len());
        canvas.text(&font::fit(&label, 12.0, text.weight, area.width() - 30.0), (area.left + 30.0, y + 11.0), text)?;
    }
    draw_north_arrow(canvas, (area.left + 12.0, area.bottom - 80.0))?;
    draw_scale_bar(canvas, layout, (area.left, area.bottom - 20.0))
}

fn draw_north_arrow(canvas: &Canvas, (x, y): (f64, f64)) -> Result<(), ChartError> {
    canvas.polygon(&[(x, y - 16.0), (x + 8.0, y + 10.0), (x, y + 5.0)], INK)?;
    canvas.polygon(&[(x, y - 16.0), (x - 8.0, y + 10.0), (x, y + 5.0)], RGBColor(160, 160, 160))?;
    canvas.text("N", (x, y - 26.0), TextStyleSpec::new(12.0).bold().align(Align::Middle))
}

fn draw_scale_bar(canvas: &Canvas, layout: &Layout, (x, y): (f64, f64)) -> Result<(), ChartError> {
    let per_metre = layout.projection.pixels_per_metre();
    let metres = scale_bar_metres((layout.legend.width() - 20.0) * 0.8 / per_metre);
    let length = metres * per_metre;
    let half = length / 2.0;
    canvas.rect((x, y - 4.0), (x + half, y + 2.0), INK)?;
    canvas.rect((x + half, y - 4.0), (x + length, y + 2.0), PAPER)?;
    canvas.rect_outline((x, y - 4.0), (x + length, y + 2.0), INK)?;
    let style = TextStyleSpec::new(11.0).colour(INK).align(Align::Middle);
    canvas.text("0", (x, y - 14.0), style)?;
    canvas.text(&distance_label(metres), (x + length, y - 14.0), style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testkit::{self, assert_frame, has_text, number, points, with_attr};
    use geo::polygon;

    fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![(x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)]])
    }

    fn figure() -> MapFigure {
        let donut = polygon!(
            exterior: [(x: -1.56, y: 52.40), (x: -1.50, y: 52.40), (x: -1.50, y: 52.44), (x: -1.56, y: 52.44)],
            interiors: [[(x: -1.54, y: 52.41), (x: -1.52, y: 52.41), (x: -1.52, y: 52.43), (x: -1.54, y: 52.43)]],
        );
        MapFigure {
            caption: testkit::caption(),
            areas: vec![
                MapArea { code: "E01000001".into(), geometry: MultiPolygon(vec![donut]), fill: Some("#FEE5D9".into()) },
                MapArea {
                    code: "E01000002".into(),
                    geometry: square(-1.54, 52.41, 0.02),
                    fill: Some("#A50F15".into()),
                },
                MapArea { code: "E01000003".into(), geometry: square(-1.50, 52.40, 0.04), fill: None },
            ],
            outlines: vec![MapOutline { name: "Area A".into(), geometry: square(-1.56, 52.40, 0.1) }],
            legend: MapLegend {
                title: "Adults who smoke (%)".into(),
                classes: vec![
                    LegendClass { colour: "#FEE5D9".into(), label: "10.0 to 20.0".into(), count: 1 },
                    LegendClass { colour: "#A50F15".into(), label: "20.0 to 30.0".into(), count: 1 },
                ],
                no_data: Some(LegendClass { colour: "#BDBDBD".into(), label: "Suppressed".into(), count: 1 }),
            },
            points: None,
            attribution: "Contains OS data © Crown copyright".into(),
        }
    }

    #[test]
    fn every_area_is_filled_and_the_legend_counts_them() {
        let svg = svg(&figure()).expect("draws");
        let doc = testkit::parse(&svg);
        assert_frame(&doc);
        assert_eq!(with_attr(&doc, "polygon", "fill", "#FEE5D9").len(), 1);
        assert_eq!(with_attr(&doc, "polygon", "fill", "#A50F15").len(), 1);
        assert_eq!(with_attr(&doc, "polygon", "fill", "#BDBDBD").len(), 1, "no data uses the legend's grey");
        for text in ["Area A", "10.0 to 20.0 (1)", "Suppressed (1)", "N", "Locality boundary"] {
            assert!(has_text(&doc, text), "missing {text}");
        }
        assert!(testkit::texts(&doc).iter().any(|t| t.contains("Contains OS data")));
        assert!(testkit::texts(&doc).iter().any(|t| t.ends_with(" km") || t.ends_with(" m")));
    }

    #[test]
    fn a_map_without_outlines_has_no_key_for_them() {
        let mut bare = figure();
        bare.outlines.clear();
        let svg = svg(&bare).expect("draws");
        let doc = testkit::parse(&svg);
        assert!(has_text(&doc, "10.0 to 20.0 (1)"));
        assert!(!has_text(&doc, "Locality boundary"));
    }

    #[test]
    fn points_are_dots_on_the_map_with_a_legend_entry() {
        let mut with_points = figure();
        with_points.points = Some(MapPoints {
            label: "GP practice (open)".into(),
            colour: "#7B3294".into(),
            points: vec![geo::Point::new(-1.55, 52.41), geo::Point::new(-1.51, 52.43)],
        });
        let doc_text = svg(&with_points).expect("draws");
        let doc = testkit::parse(&doc_text);
        assert!(has_text(&doc, "GP practice (open) (2)"));
        // Two map dots and the legend's, each in a paper ring.
        assert_eq!(with_attr(&doc, "circle", "fill", "#7B3294").len(), 3);
        assert_eq!(with_attr(&doc, "circle", "fill", "#FFFFFF").len(), 3);
        let layout = layout(&with_points).expect("lays out");
        let (x, y) = layout.projection.project(-1.55, 52.41);
        let dots = with_attr(&doc, "circle", "fill", "#7B3294");
        assert!(dots.iter().any(|d| (number(d, "cx") - x).abs() <= 1.0 && (number(d, "cy") - y).abs() <= 1.0));
        assert!(!svg(&figure()).unwrap().contains("GP practice"), "no points, no entry");
    }

    #[test]
    fn holes_wind_against_the_exterior_so_they_stay_empty() {
        let layout = layout(&figure()).expect("lays out");
        let donut = &figure().areas[0].geometry.0[0];
        let points = with_holes(donut, &layout.projection);
        // Exterior (4 + closing) + bridge back, hole (4 + closing), bridge to the start.
        assert_eq!(points.len(), 5 + 5 + 1);
        let exterior = signed_area(&points[..5]);
        let hole = signed_area(&points[5..10]);
        assert!(exterior * hole < 0.0);
        let doc_text = svg(&figure()).expect("draws");
        let doc = testkit::parse(&doc_text);
        let drawn = with_attr(&doc, "polygon", "fill", "#FEE5D9");
        assert_eq!(points_count(&drawn[0]), 11);
    }

    fn points_count(node: &roxmltree::Node) -> usize {
        points(node).len()
    }

    #[test]
    fn the_projection_keeps_distances_in_proportion() {
        let layout = layout(&figure()).expect("lays out");
        let p = &layout.projection;
        let (x0, y0) = p.project(-1.55, 52.42);
        let (x1, _) = p.project(-1.55 + 0.01 / 52.42f64.to_radians().cos(), 52.42);
        let (_, y1) = p.project(-1.55, 52.43);
        // 0.01° of latitude and the same ground distance east come out the same length in pixels.
        assert!(((x1 - x0) - (y0 - y1)).abs() < 0.5);
        let rightmost = figure()
            .areas
            .iter()
            .flat_map(|a| a.geometry.0.iter().flat_map(|p| p.exterior().coords().copied().collect::<Vec<_>>()))
            .map(|c| p.project(c.x, c.y).0)
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(rightmost <= layout.legend.left, "the legend sits beside the map, not on it");
    }

    #[test]
    fn scale_bars_are_round() {
        assert_eq!(scale_bar_metres(3_400.0), 2_000.0);
        assert_eq!(scale_bar_metres(780.0), 500.0);
        assert_eq!(scale_bar_metres(10_000.0), 10_000.0);
        assert_eq!(distance_label(2_000.0), "2 km");
        assert_eq!(distance_label(500.0), "500 m");
    }

    #[test]
    fn odd_input_does_not_panic() {
        let mut odd = figure();
        odd.areas[0].fill = Some("not a colour".into());
        odd.outlines.clear();
        assert!(svg(&odd).is_ok());
        odd.areas = vec![MapArea { code: "x".into(), geometry: MultiPolygon(vec![]), fill: None }];
        assert!(matches!(svg(&odd), Err(ChartError::NoValues { .. })));
        odd.areas = vec![MapArea { code: "x".into(), geometry: square(0.0, 0.0, 0.0), fill: None }];
        assert!(svg(&odd).is_ok());
        odd.areas.clear();
        assert!(svg(&odd).is_err());
    }
}
