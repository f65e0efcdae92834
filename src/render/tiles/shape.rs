//! Turning polygons already in tile units into valid MVT polygon rings.
//!
//! The fast path clips each ring with Sutherland–Hodgman, snaps to the integer grid and checks
//! the result exactly; polygons it cannot handle (a ring leaving the tile more than once, a hole
//! across the edge) or whose snapped rings touch go through a full overlay instead, which splits
//! rings where they meet. Rings are then oriented as MVT requires: exterior rings with positive
//! area in tile coordinates (clockwise on screen), holes negative.

use geo::{
    Area, BooleanOps, BoundingRect, Coord, Intersects, LineString, MultiPolygon, Polygon, Rect, Validation, coord,
};

use super::clip::clip_ring;
use super::simple::is_simple;

/// Polygons of one feature in integer tile coordinates; each ring is open (no repeated last point).
pub type TileRings = Vec<Vec<Vec<(i32, i32)>>>;

/// The part of `geometry` (in tile units) inside the tile grown by `buffer` units, snapped and
/// oriented, or `None` if nothing of it is left.
pub fn tile_polygons(geometry: &MultiPolygon<f64>, buffer: f64) -> Option<TileRings> {
    let extent = f64::from(super::grid::EXTENT);
    let window = Rect::new(coord! { x: -buffer, y: -buffer }, coord! { x: extent + buffer, y: extent + buffer });
    fast_path(geometry, window).unwrap_or_else(|| overlay_path(geometry, window))
}

/// Clip, snap and check; `None` when the overlay path must decide.
fn fast_path(geometry: &MultiPolygon<f64>, window: Rect<f64>) -> Option<Option<TileRings>> {
    let mut polygons: TileRings = Vec::with_capacity(geometry.0.len());
    for polygon in &geometry.0 {
        let Some(bounds) = polygon.bounding_rect() else { continue };
        if !window.intersects(&bounds) {
            continue;
        }
        let inside = window.contains_rect(&bounds);
        let exterior = open(polygon.exterior());
        let exterior = if inside {
            exterior
        } else {
            let clipped = clip_ring(&exterior, window);
            if clipped.exits > 1 {
                return None;
            }
            clipped.ring
        };
        let Some(exterior) = snap_ring(&exterior) else { continue };
        let mut rings = vec![exterior];
        for hole in polygon.interiors() {
            let Some(hole_bounds) = hole.bounding_rect() else { continue };
            if !window.intersects(&hole_bounds) {
                continue;
            }
            if !window.contains_rect(&hole_bounds) {
                return None;
            }
            rings.extend(snap_ring(&open(hole)));
        }
        polygons.push(rings);
    }
    if polygons.is_empty() {
        return Some(None);
    }
    let all: Vec<Vec<(i64, i64)>> =
        polygons.iter().flatten().map(|r| r.iter().map(|&(x, y)| (i64::from(x), i64::from(y))).collect()).collect();
    if !is_simple(&all) {
        return None;
    }
    for rings in &mut polygons {
        for (k, ring) in rings.iter_mut().enumerate() {
            let exterior = k == 0;
            if (twice_area(ring) > 0) != exterior {
                ring.reverse();
            }
        }
    }
    Some(Some(polygons))
}

/// The ring without its closing point.
fn open(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    let mut points = ring.0.clone();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    points
}

/// Rounds an open ring to the grid, dropping repeats; `None` when no area is left.
fn snap_ring(ring: &[Coord<f64>]) -> Option<Vec<(i32, i32)>> {
    let mut points: Vec<(i32, i32)> = Vec::with_capacity(ring.len());
    for c in ring {
        let p = (c.x.round() as i32, c.y.round() as i32);
        if points.last() != Some(&p) {
            points.push(p);
        }
    }
    while points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    (points.len() >= 3 && twice_area(&points) != 0).then_some(points)
}

/// Twice the signed area (surveyor's formula), exact on the integer grid.
fn twice_area(ring: &[(i32, i32)]) -> i64 {
    (0..ring.len())
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}

/// The general path: overlay clip, snap, and rebuild rings that touch after snapping.
fn overlay_path(geometry: &MultiPolygon<f64>, window: Rect<f64>) -> Option<TileRings> {
    let bounds = geometry.bounding_rect()?;
    let clipped =
        if window.contains_rect(&bounds) { geometry.clone() } else { geometry.intersection(&window.to_polygon()) };
    let snapped = snap(&clipped).or_else(|| repair(&clipped))?;
    let oriented = geo::orient::Orient::orient(&snapped, geo::orient::Direction::Default);
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
