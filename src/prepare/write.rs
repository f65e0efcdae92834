//! Deterministic writers for the prepared files.

use std::path::Path;

use geo::{Geometry, MultiPolygon};
use serde_json::{Map, Value};

use super::comparators::ComparatorRow;
use super::derive::ValueRow;
use super::msoa::MsoaRow;
use crate::atlas::schema::{self, ComparatorRole, Indicator};
use crate::atlas::{EnglandPosition, EnglandRange, Neighbour, NeighbourFigure};
use crate::ingest::IngestError;

/// Writes one file under the output folder, creating its directory.
pub fn put(out: &Path, name: &str, contents: &str) -> Result<(), IngestError> {
    let path = out.join(name);
    let fail = |e: std::io::Error| IngestError::file(path.display().to_string(), format!("cannot write: {e}"));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    std::fs::write(&path, contents).map_err(fail)
}

/// A CSV document with RFC 4180 quoting and `\n` line ends.
pub fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| quote(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_owned() }
}

/// A number cell: shortest round-trip form, blank when missing.
fn number(x: Option<f64>) -> String {
    x.map(|x| if x == 0.0 { "0".to_owned() } else { x.to_string() }).unwrap_or_default()
}

/// `data/place.json`, pretty-printed.
pub fn place(place: &schema::Place) -> String {
    let mut text = serde_json::to_string_pretty(place).expect("the place serialises");
    text.push('\n');
    text
}

/// `data/catalogue.json`, pretty-printed.
pub fn catalogue(indicators: &[Indicator]) -> String {
    let mut text = serde_json::to_string_pretty(indicators).expect("catalogue serialises");
    text.push('\n');
    text
}

/// `data/indicators.csv`.
pub fn values(rows: &[ValueRow]) -> String {
    csv(
        &schema::VALUE_COLUMNS,
        rows.iter().map(|r| {
            vec![
                r.lsoa21_code.clone(),
                r.indicator_id.clone(),
                r.period.clone(),
                number(r.numerator),
                number(r.denominator),
                number(r.value),
            ]
        }),
    )
}

/// `data/msoa_indicators.csv`.
pub fn msoa_values(rows: &[MsoaRow]) -> String {
    csv(
        &schema::MSOA_VALUE_COLUMNS,
        rows.iter().map(|r| {
            vec![
                r.msoa21_code.clone(),
                r.indicator_id.clone(),
                r.period.clone(),
                number(Some(r.numerator)),
                number(Some(r.denominator)),
                number(Some(r.value)),
            ]
        }),
    )
}

/// `data/comparators.csv`.
pub fn comparators(rows: &[ComparatorRow]) -> String {
    csv(
        &schema::COMPARATOR_COLUMNS,
        rows.iter().map(|r| {
            vec![
                r.indicator_id.clone(),
                r.area_code.to_owned(),
                r.area_name.to_owned(),
                r.period.clone(),
                number(r.numerator),
                number(r.denominator),
                number(Some(r.value)),
                r.basis.clone(),
                match r.role {
                    ComparatorRole::Benchmark => "benchmark",
                    ComparatorRole::Published => "published",
                }
                .to_owned(),
            ]
        }),
    )
}

/// `data/england_positions.csv`.
pub fn positions(rows: &[EnglandPosition]) -> String {
    csv(
        &schema::POSITION_COLUMNS,
        rows.iter().map(|r| {
            let mut cells = vec![r.indicator_id.clone(), r.lsoas.to_string()];
            let figures =
                [r.worst10, r.worst20, r.england_share10, r.england_share20, r.district_share10, r.district_share20];
            cells.extend(figures.map(|f| number(Some(f))));
            cells.push(r.basis.clone());
            cells
        }),
    )
}

/// `data/neighbours.csv`: each district's block of rows, as (the district, a row).
pub fn neighbours<'a>(rows: impl Iterator<Item = (&'a str, &'a Neighbour)>) -> String {
    csv(
        &schema::NEIGHBOUR_COLUMNS,
        rows.map(|(of, r)| {
            let mut cells = vec![of.to_owned(), r.rank.to_string(), r.code.clone(), r.name.clone()];
            let figures = [
                r.distance,
                r.imd_score,
                r.income_rate,
                r.employment_rate,
                r.aged_65_plus,
                r.residents_per_km2,
                r.residents,
                r.far_out_fence,
            ];
            cells.extend(figures.map(|v| number(Some(v))));
            cells
        }),
    )
}

/// `data/neighbour_figures.csv`: each district's block of rows, as (the district, a row).
pub fn neighbour_figures<'a>(rows: impl Iterator<Item = (&'a str, &'a NeighbourFigure)>) -> String {
    csv(
        &schema::NEIGHBOUR_FIGURE_COLUMNS,
        rows.map(|(of, r)| {
            vec![
                of.to_owned(),
                r.indicator_id.clone(),
                r.neighbours.to_string(),
                number(Some(r.mean)),
                number(Some(r.lowest)),
                number(Some(r.highest)),
                r.basis.clone(),
            ]
        }),
    )
}

/// `data/england_ranges.csv`.
pub fn ranges(rows: &[EnglandRange]) -> String {
    csv(
        &schema::RANGE_COLUMNS,
        rows.iter().map(|r| {
            let mut cells = vec![r.indicator_id.clone(), r.areas.to_string()];
            cells.extend([r.lowest, r.q25, r.q75, r.highest].map(|q| number(Some(q))));
            cells.push(r.basis.clone());
            cells
        }),
    )
}

/// A GeoJSON FeatureCollection with one feature per line, so diffs stay readable.
pub fn feature_collection<'a>(features: impl Iterator<Item = (Map<String, Value>, &'a MultiPolygon<f64>)>) -> String {
    let lines: Vec<String> = features
        .map(|(properties, geometry)| {
            let shape = match geometry.0.as_slice() {
                [single] => Geometry::Polygon(single.clone()),
                _ => Geometry::MultiPolygon(geometry.clone()),
            };
            let feature = serde_json::json!({
                "type": "Feature",
                "properties": properties,
                "geometry": geojson::Geometry::from(&shape),
            });
            feature.to_string()
        })
        .collect();
    format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", lines.join(",\n"))
}
