//! ESRI Shapefiles (`.shp` + `.shx` + `.dbf` + `.prj`), as ONS publishes its boundaries.

use std::io::Cursor;
use std::path::Path;

use geo::MultiPolygon;
use serde_json::{Map, Number, Value};
use shapefile::dbase::FieldValue;
use shapefile::{Reader, Shape, ShapeReader};

use super::{Boundary, Crs, IngestError, Location};

/// Reads every polygon record with its attributes; the CRS comes from the `.prj`.
pub(super) fn read(path: &Path) -> Result<Vec<Boundary>, IngestError> {
    let file = path.display().to_string();
    for companion in ["shx", "dbf", "prj"] {
        let sibling = path.with_extension(companion);
        if !sibling.exists() {
            return Err(IngestError::file(
                &file,
                format!("missing companion file {}: a shapefile needs .shp, .shx, .dbf and .prj", sibling.display()),
            ));
        }
    }
    let part = |extension: &str| {
        let part_path = path.with_extension(extension);
        std::fs::read(&part_path)
            .map_err(|e| IngestError::file(part_path.display().to_string(), format!("cannot read: {e}")))
    };
    let parts = ShapefileParts { shp: part("shp")?, shx: part("shx")?, dbf: part("dbf")?, prj: part("prj")? };
    read_parts(&file, &parts)
}

/// The four files of a shapefile, in memory.
pub struct ShapefileParts {
    /// The `.shp` geometry.
    pub shp: Vec<u8>,
    /// The `.shx` index.
    pub shx: Vec<u8>,
    /// The `.dbf` attributes.
    pub dbf: Vec<u8>,
    /// The `.prj` coordinate reference system (WKT).
    pub prj: Vec<u8>,
}

/// Reads every polygon record of a shapefile held in memory; `file` names it in errors.
pub fn read_parts(file: &str, parts: &ShapefileParts) -> Result<Vec<Boundary>, IngestError> {
    let companion = |extension: &str| match file.strip_suffix(".shp") {
        Some(stem) => format!("{stem}.{extension}"),
        None => format!("{file} (.{extension})"),
    };
    let prj_file = companion("prj");
    let prj = std::str::from_utf8(&parts.prj).map_err(|_| IngestError::file(&prj_file, "is not UTF-8 text"))?;
    let crs = Crs::from_wkt(prj).map_err(|m| IngestError::file(&prj_file, m))?;
    let unreadable = |e: shapefile::Error| IngestError::file(file, format!("not a readable shapefile: {e}"));
    let shapes = ShapeReader::with_shx(Cursor::new(&parts.shp), Cursor::new(&parts.shx)).map_err(unreadable)?;
    let records = shapefile::dbase::Reader::new(Cursor::new(&parts.dbf))
        .map_err(|e| IngestError::file(companion("dbf"), format!("not a readable dBase file: {e}")))?;
    let mut reader = Reader::new(shapes, records);
    let mut boundaries = Vec::new();
    for (index, item) in reader.iter_shapes_and_records().enumerate() {
        let at = Location::Record(index + 1);
        let (shape, record) = item.map_err(|e| {
            IngestError::at(file, at.clone(), None, format!("cannot be read (truncated or corrupt file?): {e}"))
        })?;
        let mut geometry = match shape {
            Shape::Polygon(polygon) => MultiPolygon::<f64>::try_from(polygon)
                .map_err(|e| IngestError::at(file, at.clone(), Some("geometry"), e.to_string()))?,
            other => {
                return Err(IngestError::at(
                    file,
                    at,
                    Some("geometry"),
                    format!("is a {}; expected a Polygon", other.shapetype()),
                ));
            }
        };
        crs.to_wgs84(&mut geometry).map_err(|m| IngestError::at(file, at.clone(), Some("geometry"), m))?;
        let properties = record.into_iter().map(|(name, value)| (name, json_value(value))).collect::<Map<_, _>>();
        boundaries.push(Boundary { properties, geometry });
    }
    if boundaries.is_empty() {
        return Err(IngestError::file(file, "the shapefile holds no records"));
    }
    Ok(boundaries)
}

/// A `.dbf` field as JSON, so shapefile and GeoJSON attributes look alike downstream.
fn json_value(value: FieldValue) -> Value {
    let number = |x: f64| Number::from_f64(x).map_or(Value::Null, Value::Number);
    match value {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => Value::String(s.trim().to_owned()),
        FieldValue::Numeric(Some(x)) | FieldValue::Double(x) | FieldValue::Currency(x) => number(x),
        FieldValue::Float(Some(x)) => number(f64::from(x)),
        FieldValue::Integer(i) => Value::from(i),
        FieldValue::Logical(Some(b)) => Value::Bool(b),
        _ => Value::Null,
    }
}
