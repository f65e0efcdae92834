//! GeoJSON FeatureCollections of polygons, in WGS84 or British National Grid (`crs` member).

use geo::{Geometry, MultiPolygon};
use geojson::{FeatureCollection, GeoJson};

use super::{Boundary, Crs, IngestError, Location};

/// Parses a FeatureCollection of Polygon/MultiPolygon features and reprojects it to WGS84.
pub(super) fn parse(file: &str, text: &str) -> Result<Vec<Boundary>, IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::file(file, "the file is empty: expected a GeoJSON FeatureCollection"));
    }
    let geojson: GeoJson = text.parse().map_err(|e| IngestError::file(file, format!("not valid GeoJSON: {e}")))?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(IngestError::file(file, "expected a GeoJSON FeatureCollection"));
    };
    let crs =
        declared_crs(&collection).map_err(|message| IngestError::at(file, Location::Line(1), Some("crs"), message))?;
    let mut boundaries = Vec::with_capacity(collection.features.len());
    for (index, feature) in collection.features.into_iter().enumerate() {
        let at = Location::Feature(index + 1);
        let geometry =
            feature.geometry.ok_or_else(|| IngestError::at(file, at.clone(), Some("geometry"), "has no geometry"))?;
        let kind = geometry.value.type_name();
        if let Some(problem) = short_position(&geometry.value) {
            return Err(IngestError::at(file, at, Some("geometry"), problem));
        }
        let mut shape = match Geometry::<f64>::try_from(geometry) {
            Ok(Geometry::Polygon(polygon)) => MultiPolygon(vec![polygon]),
            Ok(Geometry::MultiPolygon(multi)) => multi,
            Ok(_) => {
                return Err(IngestError::at(
                    file,
                    at,
                    Some("geometry"),
                    format!("is a {kind}; expected a Polygon or MultiPolygon"),
                ));
            }
            Err(e) => return Err(IngestError::at(file, at, Some("geometry"), e.to_string())),
        };
        crs.to_wgs84(&mut shape).map_err(|m| IngestError::at(file, at.clone(), Some("geometry"), m))?;
        boundaries.push(Boundary { properties: feature.properties.unwrap_or_default(), geometry: shape });
    }
    Ok(boundaries)
}

/// The first position with fewer than two coordinates, described; GeoJSON positions are
/// `[x, y]` (or `[x, y, z]`), and a shorter one cannot become a point.
pub fn short_position(value: &geojson::GeometryValue) -> Option<String> {
    use geojson::GeometryValue as Value;
    let positions: Vec<&geojson::Position> = match value {
        Value::Point { coordinates } => vec![coordinates],
        Value::MultiPoint { coordinates } | Value::LineString { coordinates } => coordinates.iter().collect(),
        Value::MultiLineString { coordinates } | Value::Polygon { coordinates } => {
            coordinates.iter().flatten().collect()
        }
        Value::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().collect(),
        Value::GeometryCollection { geometries } => {
            return geometries.iter().find_map(|g| short_position(&g.value));
        }
    };
    positions.iter().position(|p| p.len() < 2).map(|i| {
        format!("position {} has {} coordinate(s); a position needs at least two ([x, y])", i + 1, positions[i].len())
    })
}

/// The CRS named by the legacy `crs` member; RFC 7946 GeoJSON without it is WGS84.
fn declared_crs(collection: &FeatureCollection) -> Result<Crs, String> {
    let Some(crs) = collection.foreign_members.as_ref().and_then(|m| m.get("crs")) else {
        return Ok(Crs::Wgs84);
    };
    let name = crs
        .pointer("/properties/name")
        .and_then(|n| n.as_str())
        .ok_or_else(|| "has no properties.name naming the CRS".to_owned())?;
    Crs::from_name(name)
}
