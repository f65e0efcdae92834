//! The static map figure: an indicator's choropleth over a locality or the city, with its legend, and
//! the open GP practices as points when asked for.

use std::collections::HashMap;

use geo::{BoundingRect, MultiPolygon, Simplify};

use super::{Cell, Drawn, Figure, FigureError, Sources, Table, caption};
use crate::analysis::{Area, Level, words};
use crate::atlas::ATTRIBUTION;
use crate::atlas::Indicator;
use crate::atlas::practices::ATTRIBUTION as PRACTICES_ATTRIBUTION;
use crate::charts::{Chart, LegendClass, MapArea, MapFigure, MapLegend, MapOutline, MapPoints};
use crate::classify::choropleth::{ChoroplethOptions, choropleth};

/// What is drawn over the choropleth besides the locality outlines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overlays {
    /// The open GP practices, as points (`practices=1`).
    pub practices: bool,
}

impl Overlays {
    /// Reads `practices=1` (or `0`, the default).
    pub fn from_parameters(p: &HashMap<String, String>) -> Result<Overlays, FigureError> {
        let practices = match p.get("practices").map(String::as_str) {
            None | Some("0") => false,
            Some("1") => true,
            Some(other) => {
                return Err(FigureError::bad(
                    "practices",
                    format!("{other:?}: use 1 to draw the open GP practices, 0 (the default) not to"),
                ));
            }
        };
        Ok(Overlays { practices })
    }
}

/// Legend label of the practices.
pub const PRACTICE_LABEL: &str = "GP practice (open)";
/// Colour of a practice's dot (the page's map uses the same).
pub const PRACTICE_COLOUR: &str = "#7B3294";

/// Builds the map and its table.
pub fn build(
    sources: &Sources,
    indicator: &Indicator,
    area: &Area,
    options: &ChoroplethOptions,
    overlays: Overlays,
) -> Result<Figure, FigureError> {
    let atlas = sources.atlas;
    let map = choropleth(atlas, indicator, sources.disclosure, options).map_err(|e| {
        if let crate::classify::ClassError::DistrictFigure { .. } = e {
            return FigureError::NothingToDraw(e.to_string());
        }
        let parameter = match e {
            crate::classify::ClassError::UnknownPalette { .. } | crate::classify::ClassError::PaletteSize { .. } => {
                "palette"
            }
            crate::classify::ClassError::ClassCount { .. } => "k",
            _ => "scheme",
        };
        FigureError::BadParameter { parameter, detail: e.to_string() }
    })?;
    let hex = |rgb: [u8; 3]| format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
    let mut counts = vec![0usize; map.classes.len()];
    let mut no_data = 0;
    // The areas drawn: the area's LSOAs, or for an indicator published for MSOAs the MSOAs the
    // area touches (its figures are never spread over LSOAs).
    let unit_name = if indicator.is_msoa() { "MSOA" } else { "LSOA" };
    let drawn: Vec<(usize, &str, &str, &MultiPolygon<f64>)> = if indicator.is_msoa() {
        let mut touched: Vec<usize> = area.members.iter().filter_map(|m| atlas.msoa_of(m.lsoa)).collect();
        touched.sort_unstable();
        touched.dedup();
        touched
            .into_iter()
            .map(|i| {
                let m = &atlas.msoas()[i];
                (i, m.code.as_str(), m.name.as_str(), &m.geometry)
            })
            .collect()
    } else {
        area.members
            .iter()
            .map(|m| {
                let l = &atlas.lsoas()[m.lsoa];
                (m.lsoa, l.code.as_str(), l.name.as_str(), &l.geometry)
            })
            .collect()
    };
    let values = if indicator.is_msoa() {
        atlas.msoa_observations(&indicator.id).unwrap_or_default()
    } else {
        atlas.observations(&indicator.id).unwrap_or_default()
    };
    let mut table = Table::new(
        &["area_code", "area_name", "value", "class", "class_label", "colour"],
        vec![
            format!("{} ({}), {}, {unit_name}s of {}", indicator.name, indicator.unit, indicator.period, area.name),
            format!(
                "Classes: {} (breaks set over all {} {unit_name}s); palette {}",
                map.method,
                sources.atlas.place().name,
                map.palette
            ),
        ],
    );
    let (low, high) = extent(drawn.iter().map(|d| d.3));
    let tolerance = simplify_tolerance(low, high);
    let mut areas = Vec::new();
    for &(index, code, name, geometry) in &drawn {
        let colour = hex(map.colour_of(index));
        let class = (!map.is_no_data(index)).then(|| map.classes.iter().position(|c| c.colour == colour)).flatten();
        match class {
            Some(c) => counts[c] += 1,
            None => no_data += 1,
        }
        let value = values.get(index).copied().flatten().and_then(|o| sources.disclosure.publish(indicator, &o).value);
        table.push(vec![
            code.into(),
            name.into(),
            value.into(),
            class.map_or(Cell::Empty, |c| Cell::Number(c as f64 + 1.0)),
            class.map_or_else(|| Cell::Text(map.no_data.label.clone()), |c| Cell::Text(map.classes[c].label.clone())),
            Cell::Text(colour.clone()),
        ]);
        areas.push(MapArea {
            code: code.to_owned(),
            geometry: geometry.simplify(tolerance),
            fill: class.map(|_| colour),
        });
    }
    let localities: Vec<_> = match area.level {
        Level::Locality => atlas.locality(&area.id).into_iter().collect(),
        _ => atlas.localities().iter().filter(|l| !l.is_context()).collect(),
    };
    let outlines = outlines(&localities);
    let legend = MapLegend {
        title: format!("{} ({}) · {}", indicator.name, indicator.unit, scheme_title(&map.method)),
        classes: map
            .classes
            .iter()
            .zip(&counts)
            .map(|(c, &count)| LegendClass { colour: c.colour.clone(), label: c.label.clone(), count })
            .collect(),
        no_data: (no_data > 0).then(|| LegendClass {
            colour: map.no_data.colour.clone(),
            label: map.no_data.label.clone(),
            count: no_data,
        }),
    };
    // Practices within the map's extent (the areas' bounds), so none is drawn off the map.
    let points = overlays.practices.then(|| {
        let on_map = |p: &geo::Point<f64>| low.x <= p.x() && p.x() <= high.x && low.y <= p.y() && p.y() <= high.y;
        let points: Vec<_> =
            atlas.gp_practices().iter().filter(|p| p.is_open()).map(|p| p.location).filter(on_map).collect();
        table.notes.push(format!(
            "{PRACTICE_LABEL}: {} drawn as points at their main site's postcode. {PRACTICES_ATTRIBUTION}",
            points.len()
        ));
        MapPoints { label: PRACTICE_LABEL.to_owned(), colour: PRACTICE_COLOUR.to_owned(), points }
    });
    let practices_alt =
        points.as_ref().map_or(String::new(), |p| format!(", and the {} open GP practices as points", p.points.len()));
    let attribution =
        if points.is_some() { format!("{ATTRIBUTION} {PRACTICES_ATTRIBUTION}") } else { ATTRIBUTION.to_owned() };
    let caption = caption(
        sources,
        &Drawn { indicators: vec![indicator], residents: false },
        format!("{} in {}", indicator.name, area.name),
        format!("{}, {} · by {unit_name} · {}", indicator.unit, indicator.period, map.method),
        "",
        "",
        format!(
            "Map of {} by {unit_name} in {}, shaded in {}{}{practices_alt}.",
            indicator.name,
            area.name,
            words::count_of(map.classes.len(), ("class", "classes"), ("", "")),
            if localities.is_empty() { "" } else { ", with locality outlines" },
        ),
    );
    let chart = Chart::Map(MapFigure { caption, areas, outlines, legend, points, attribution });
    Ok(Figure { chart, table })
}

/// Width of the map panel of the figure, in pixels at screen size (about).
const FIGURE_PIXELS: f64 = 650.0;

/// The corners of the bounds of `geometries` (lower left, upper right).
pub(super) fn extent<'a>(geometries: impl Iterator<Item = &'a MultiPolygon<f64>>) -> (geo::Coord, geo::Coord) {
    let (mut low, mut high) = (geo::coord! { x: f64::MAX, y: f64::MAX }, geo::coord! { x: f64::MIN, y: f64::MIN });
    for bounds in geometries.filter_map(|g| g.bounding_rect()) {
        low = geo::coord! { x: low.x.min(bounds.min().x), y: low.y.min(bounds.min().y) };
        high = geo::coord! { x: high.x.max(bounds.max().x), y: high.y.max(bounds.max().y) };
    }
    (low, high)
}

/// How far boundaries over this extent may be simplified: vertices closer than a third of a pixel of
/// the figure add drawing time and nothing visible.
pub(super) fn simplify_tolerance(low: geo::Coord, high: geo::Coord) -> f64 {
    let span = (high.x - low.x).max(high.y - low.y).max(0.0);
    span / FIGURE_PIXELS / 3.0
}

/// Each locality's outline, named.
pub(super) fn outlines(localities: &[&crate::atlas::Locality]) -> Vec<MapOutline> {
    localities.iter().map(|l| MapOutline { name: l.name.clone(), geometry: l.outline.clone() }).collect()
}

/// "quantiles, 5 classes" from the method sentence's opening words.
fn scheme_title(method: &str) -> String {
    method.split(" of ").next().unwrap_or(method).to_owned()
}
