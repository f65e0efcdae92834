//! Turning WGS84 polygons into valid MVT polygon rings for one tile.
//!
//! Order matters: project into tile units, clip to the buffered tile, simplify for the zoom
//! (topology-preserving, so rings never cross), snap to the integer grid, then drop what the snap
//! made degenerate and orient rings as MVT requires.

use geo::orient::{Direction, Orient};
use geo::{
    Area, BooleanOps, BoundingRect, Coord, Intersects, LineString, MapCoords, MultiPolygon, Polygon, Rect,
    SimplifyVwPreserve, Validation, coord,
};

use super::grid::{BUFFER, EXTENT, TileId};

/// Area (in squared extent units) below which a simplification step may drop a vertex:
/// a quarter of a unit square, invisible at any display size.
const SIMPLIFY_AREA: f64 = 0.25;

/// Zooms from which geometry is not simplified.
const SIMPLIFY_BELOW_ZOOM: u8 = 14;

/// Polygons of one feature in integer tile coordinates; each ring is open (no repeated last point).
pub type TileRings = Vec<Vec<Vec<(i32, i32)>>>;

/// The part of `geometry` inside the buffered tile, ready for the encoder, or `None` if nothing
/// of it is left.
pub fn tile_polygons(geometry: &MultiPolygon<f64>, tile: TileId) -> Option<TileRings> {
    let extent = f64::from(EXTENT);
    let projected = geometry.map_coords(|c| tile.project(c, extent));
    let buffer = f64::from(BUFFER);
    let window = Rect::new(coord! { x: -buffer, y: -buffer }, coord! { x: extent + buffer, y: extent + buffer });
    let bounds = projected.bounding_rect()?;
    let clipped = if window.contains_rect(&bounds) {
        projected
    } else {
        if !window.intersects(&bounds) {
            return None;
        }
        projected.intersection(&window.to_polygon())
    };
    // From zoom 14 a tile unit is under a metre, finer than the 5-decimal source coordinates, so
    // simplifying would remove nothing and only cost time.
    let snapped =
        if tile.z >= SIMPLIFY_BELOW_ZOOM { snap(&clipped) } else { snap(&clipped.simplify_vw_preserve(SIMPLIFY_AREA)) };
    let snapped = snapped.or_else(|| snap(&clipped)).or_else(|| repair(&clipped))?;
    let oriented = snapped.orient(Direction::Default);
    let rings = oriented
        .0
        .iter()
        .map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()).map(open_ring).collect())
        .collect();
    Some(rings)
}

trait ContainsRect {
    fn contains_rect(&self, other: &Rect<f64>) -> bool;
}

impl ContainsRect for Rect<f64> {
    fn contains_rect(&self, other: &Rect<f64>) -> bool {
        self.min().x <= other.min().x
            && self.min().y <= other.min().y
            && self.max().x >= other.max().x
            && self.max().y >= other.max().y
    }
}

/// Rounds to the integer grid, removes repeated vertices and zero-area rings; `None` when the
/// result is empty or no longer a valid polygon.
fn snap(geometry: &MultiPolygon<f64>) -> Option<MultiPolygon<f64>> {
    let result = round(geometry);
    (!result.0.is_empty() && result.is_valid()).then_some(result)
}

/// Where snapping makes two vertices of a ring meet (the ring touches itself), rebuilds the
/// rings with an overlay, which splits them at the touching point, and snaps again.
fn repair(geometry: &MultiPolygon<f64>) -> Option<MultiPolygon<f64>> {
    let rounded = round(geometry);
    let rebuilt = rounded.union(&MultiPolygon::<f64>(vec![]));
    snap(&rebuilt)
}

/// Rounds every vertex to the integer grid, dropping repeats and rings without area.
fn round(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let rounded = |ring: &LineString<f64>| -> Option<LineString<f64>> {
        let mut points: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
        for c in &ring.0 {
            let p = coord! { x: c.x.round(), y: c.y.round() };
            if points.last() != Some(&p) {
                points.push(p);
            }
        }
        let ring = LineString::new(points);
        (ring.0.len() >= 4 && Polygon::new(ring.clone(), vec![]).unsigned_area() > 0.0).then_some(ring)
    };
    let polygons: Vec<Polygon<f64>> = geometry
        .0
        .iter()
        .filter_map(|p| {
            let exterior = rounded(p.exterior())?;
            Some(Polygon::new(exterior, p.interiors().iter().filter_map(rounded).collect()))
        })
        .collect();
    MultiPolygon(polygons)
}

fn open_ring(ring: &LineString<f64>) -> Vec<(i32, i32)> {
    let mut points: Vec<(i32, i32)> = ring.0.iter().map(|c| (c.x as i32, c.y as i32)).collect();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    points
}
