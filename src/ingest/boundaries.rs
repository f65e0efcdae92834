//! Boundary files (GeoJSON or ESRI Shapefile) read into WGS84 polygons with their attributes.

use std::path::Path;

use geo::MultiPolygon;
use serde_json::{Map, Value};

use super::IngestError;

/// One area of a boundary file: its attributes and its (multi)polygon in WGS84 degrees.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The feature's attributes (GeoJSON properties or `.dbf` fields).
    pub properties: Map<String, Value>,
    /// The area in WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
}

impl Boundary {
    /// A text attribute, with numbers rendered as text (`.dbf` codes are sometimes numeric).
    pub fn text(&self, key: &str) -> Option<String> {
        match self.properties.get(key)? {
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Reads a boundary file by its extension: `.geojson`/`.json` (either gzipped as `.gz`) or `.shp`
/// (with `.dbf`, `.prj`).
pub fn read_boundaries(path: &Path) -> Result<Vec<Boundary>, IngestError> {
    let file = path.display().to_string();
    let name = file.strip_suffix(".gz").unwrap_or(&file);
    let extension = Path::new(name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("geojson" | "json") => {
            let text = String::from_utf8(super::table::file_bytes(path)?)
                .map_err(|e| IngestError::file(&file, format!("is not UTF-8 text: {e}")))?;
            read_geojson_str(&file, &text)
        }
        Some("shp") => super::shapefile::read(path),
        _ => Err(IngestError::file(file, "unknown boundary format: expected a .geojson, .json or .shp file")),
    }
}

/// Parses GeoJSON text; `file` names it in errors.
pub fn read_geojson_str(file: &str, text: &str) -> Result<Vec<Boundary>, IngestError> {
    super::geojson::parse(file, text)
}
