//! ESRI Shapefiles (`.shp` + `.shx` + `.dbf` + `.prj`), as ONS publishes its boundaries.

use std::path::Path;

use geo::MultiPolygon;
use serde_json::{Map, Number, Value};
use shapefile::dbase::FieldValue;
use shapefile::{Reader, Shape};

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
    let prj_path = path.with_extension("prj");
    let prj = std::fs::read_to_string(&prj_path)
        .map_err(|e| IngestError::file(prj_path.display().to_string(), format!("cannot read: {e}")))?;
    let crs = Crs::from_wkt(&prj).map_err(|m| IngestError::file(prj_path.display().to_string(), m))?;

    let mut reader =
        Reader::from_path(path).map_err(|e| IngestError::file(&file, format!("not a readable shapefile: {e}")))?;
    let mut boundaries = Vec::new();
    for (index, item) in reader.iter_shapes_and_records().enumerate() {
        let at = Location::Record(index + 1);
        let (shape, record) = item.map_err(|e| {
            IngestError::at(&file, at.clone(), None, format!("cannot be read (truncated or corrupt file?): {e}"))
        })?;
        let mut geometry = match shape {
            Shape::Polygon(polygon) => MultiPolygon::<f64>::try_from(polygon)
                .map_err(|e| IngestError::at(&file, at.clone(), Some("geometry"), e.to_string()))?,
            other => {
                return Err(IngestError::at(
                    &file,
                    at,
                    Some("geometry"),
                    format!("is a {}; expected a Polygon", other.shapetype()),
                ));
            }
        };
        crs.to_wgs84(&mut geometry).map_err(|m| IngestError::at(&file, at.clone(), Some("geometry"), m))?;
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
