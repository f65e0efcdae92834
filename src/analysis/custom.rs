//! Custom areas: a list of LSOA codes, or a GeoJSON polygon apportioned over the LSOAs by area.
//!
//! The same functions serve `POST /api/custom-area` and the command line.

use std::collections::BTreeSet;

use geo::{Area as _, BooleanOps, BoundingRect, Contains, Intersects, MultiPolygon, Validation};
use serde_json::Value;

use super::aggregate::Member;
use super::area::{Area, Level};
use crate::atlas::{Atlas, BoxIndex};

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most vertices accepted in a polygon.
pub const MAX_VERTICES: usize = 10_000;
/// Shares this close to 0 or 1 are noise of the overlay: overlaying shared edges in degrees
/// leaves slivers of about 1e-9 of an LSOA; 1e-6 of a typical LSOA is under one square metre.
const SHARE_TOLERANCE: f64 = 1e-6;

/// What a user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomAreaRequest {
    /// Whole LSOAs by code.
    Lsoas(Vec<String>),
    /// A polygon in WGS84.
    Polygon(MultiPolygon<f64>),
}

/// Why a custom area cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CustomAreaError {
    /// The body is not JSON of a known shape (400).
    #[error("{0}")]
    Malformed(String),
    /// The geometry is unusable (422).
    #[error("{0}")]
    Unusable(String),
    /// LSOA codes that are not in the atlas (404).
    #[error("unknown LSOA codes: {}", .0.join(", "))]
    UnknownLsoas(Vec<String>),
}

/// Parses a request body: `{"lsoas": [...]}`, `{"geometry": {...}}`, a GeoJSON Feature or a bare
/// Polygon/MultiPolygon.
pub fn parse_request(body: &[u8]) -> Result<CustomAreaRequest, CustomAreaError> {
    let json: Value =
        serde_json::from_slice(body).map_err(|e| CustomAreaError::Malformed(format!("the body is not JSON: {e}")))?;
    if let Some(list) = json.get("lsoas") {
        let codes = list
            .as_array()
            .ok_or_else(|| CustomAreaError::Malformed("`lsoas` must be an array of LSOA codes".into()))?
            .iter()
            .map(|c| {
                c.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| CustomAreaError::Malformed("every LSOA code must be a string".into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if codes.is_empty() {
            return Err(CustomAreaError::Unusable("`lsoas` is empty: name at least one LSOA".into()));
        }
        return Ok(CustomAreaRequest::Lsoas(codes));
    }
    let geometry = json.get("geometry").unwrap_or(&json);
    polygon_from_geojson(geometry).map(CustomAreaRequest::Polygon)
}

/// Checks a GeoJSON Polygon/MultiPolygon ring by ring before it becomes a geometry, because the
/// conversion would silently close an open ring.
fn polygon_from_geojson(geometry: &Value) -> Result<MultiPolygon<f64>, CustomAreaError> {
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let coordinates = geometry.get("coordinates").ok_or_else(|| {
        CustomAreaError::Malformed(
            "expected {\"lsoas\": [...]} or a GeoJSON Polygon or MultiPolygon with coordinates".into(),
        )
    })?;
    let polygons: Vec<&Value> = match kind {
        "Polygon" => vec![coordinates],
        "MultiPolygon" => coordinates.as_array().map(|a| a.iter().collect()).unwrap_or_default(),
        other => {
            return Err(CustomAreaError::Unusable(format!(
                "a {other:?} geometry cannot be an area; send a Polygon or MultiPolygon"
            )));
        }
    };
    let mut vertices = 0;
    for (p, polygon) in polygons.iter().enumerate() {
        let rings = polygon
            .as_array()
            .ok_or_else(|| CustomAreaError::Malformed(format!("polygon {} is not an array of rings", p + 1)))?;
        if rings.is_empty() {
            return Err(CustomAreaError::Unusable(format!("polygon {} has no rings", p + 1)));
        }
        for (r, ring) in rings.iter().enumerate() {
            let points = ring.as_array().ok_or_else(|| {
                CustomAreaError::Malformed(format!("ring {} of polygon {} is not an array", r + 1, p + 1))
            })?;
            vertices += points.len();
            if vertices > MAX_VERTICES {
                return Err(CustomAreaError::Unusable(format!("the geometry has more than {MAX_VERTICES} vertices")));
            }
            if points.len() < 4 {
                return Err(CustomAreaError::Unusable(format!(
                    "ring {} of polygon {} has {} positions; a ring needs at least 4",
                    r + 1,
                    p + 1,
                    points.len()
                )));
            }
            if points.first() != points.last() {
                return Err(CustomAreaError::Unusable(format!(
                    "ring {} of polygon {} is not closed: its last position must repeat the first",
                    r + 1,
                    p + 1
                )));
            }
        }
    }
    let parsed: geojson::Geometry = serde_json::from_value(geometry.clone())
        .map_err(|e| CustomAreaError::Malformed(format!("not valid GeoJSON: {e}")))?;
    if let Some(problem) = crate::ingest::short_position(&parsed.value) {
        return Err(CustomAreaError::Malformed(problem));
    }
    let shape = geo::Geometry::<f64>::try_from(parsed).map_err(|e| CustomAreaError::Malformed(e.to_string()))?;
    let multi = match shape {
        geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
        geo::Geometry::MultiPolygon(m) => m,
        _ => return Err(CustomAreaError::Unusable("send a Polygon or MultiPolygon".into())),
    };
    if let Some(c) = geo::CoordsIter::coords_iter(&multi).find(|c| !(c.x.abs() <= 180.0 && c.y.abs() <= 90.0)) {
        return Err(CustomAreaError::Unusable(format!("position ({}, {}) is not WGS84 longitude/latitude", c.x, c.y)));
    }
    if let Err(problem) = multi.check_validation() {
        return Err(CustomAreaError::Unusable(format!("invalid polygon: {problem}")));
    }
    Ok(multi)
}

/// The share of each area's surface inside the polygon, for areas that overlap it.
///
/// The R-tree gives candidates; an area wholly inside counts 1 without an overlay; the rest are
/// intersected exactly. Shares are ratios of planar areas in degrees, which at one latitude are
/// the same ratios as on the ground.
pub fn overlap_shares<'a>(
    index: &BoxIndex,
    geometry_of: impl Fn(usize) -> &'a MultiPolygon<f64>,
    polygon: &MultiPolygon<f64>,
) -> Vec<Member> {
    let Some(bounds) = polygon.bounding_rect() else { return Vec::new() };
    let candidates: BTreeSet<usize> = index.in_rect(bounds).collect();
    candidates
        .into_iter()
        .filter_map(|i| {
            let area = geometry_of(i);
            if !polygon.intersects(area) {
                return None;
            }
            if polygon.contains(area) {
                return Some(Member { lsoa: i, share: 1.0 });
            }
            let whole = area.unsigned_area();
            let inside = polygon.intersection(area).unsigned_area();
            let share = if whole > 0.0 { inside / whole } else { 0.0 };
            match share {
                s if s <= SHARE_TOLERANCE => None,
                s if s >= 1.0 - SHARE_TOLERANCE => Some(Member { lsoa: i, share: 1.0 }),
                s => Some(Member { lsoa: i, share: s }),
            }
        })
        .collect()
}

/// Turns a request into an area of the atlas.
pub fn custom_area(atlas: &Atlas, request: &CustomAreaRequest) -> Result<Area, CustomAreaError> {
    let members = match request {
        CustomAreaRequest::Lsoas(codes) => {
            let unknown: Vec<String> = codes.iter().filter(|c| atlas.lsoa(c).is_none()).cloned().collect();
            if !unknown.is_empty() {
                return Err(CustomAreaError::UnknownLsoas(unknown));
            }
            let unique: BTreeSet<usize> = codes.iter().filter_map(|c| atlas.lsoa_index(c)).collect();
            unique.into_iter().map(|lsoa| Member { lsoa, share: 1.0 }).collect()
        }
        CustomAreaRequest::Polygon(polygon) => {
            let members = overlap_shares(atlas.spatial_index(), |i| &atlas.lsoas()[i].geometry, polygon);
            if members.is_empty() {
                let place = &atlas.place().name;
                return Err(CustomAreaError::Unusable(format!("the polygon does not overlap any {place} LSOA")));
            }
            members
        }
    };
    Ok(Area { id: "custom".into(), name: "Custom area".into(), level: Level::Custom, members })
}
