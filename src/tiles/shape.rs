//! Polygons on the integer grid of a zoom: valid MVT polygon rings, made once per feature and
//! zoom, then cut to each tile.
//!
//! A zoom's grid has `EXTENT × 2^z` units across the world, so a tile is a square of `EXTENT` units
//! at a whole-number offset, and snapping to this grid once is the same as snapping in every tile.
//! [`snap_polygons`] rounds, checks and orients a feature's polygons once; [`clip_polygons`] cuts
//! them to one tile's buffered window.
//!
//! Both take a fast path where they can: the cut of [`super::clip`], snapping, and the exact
//! simplicity test of [`super::simple`]. Polygons the fast path cannot handle, or whose snapped
//! rings touch, go through a full overlay instead, which splits rings where they meet. Rings are
//! oriented as MVT requires: exterior rings with positive area in tile coordinates (clockwise on
//! screen), holes negative.

use geo::{Area, BooleanOps, BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect, Validation, coord};

use super::clip::Cutter;
use super::plane::{GridPolygons, Point, Window, twice_area};
use super::simple::is_simple;

/// A feature's polygons snapped to a zoom's grid.
pub struct Snapped {
    /// The polygons, valid and oriented.
    pub polygons: GridPolygons,
    /// True when every vertex is one of the feature's own vertices rounded to the grid, as it is
    /// unless rounding made rings meet: an overlay then rebuilds them, adding vertices where they
    /// met.
    pub rounded: bool,
}

/// Rounds polygons already in grid units to the grid, dropping repeated points and rings without
/// area, and makes them valid and oriented; `None` when nothing of area is left.
pub fn snap_polygons(geometry: &MultiPolygon<f64>) -> Option<Snapped> {
    let mut polygons: GridPolygons = Vec::with_capacity(geometry.0.len());
    for polygon in &geometry.0 {
        let Some(exterior) = snap_ring(polygon.exterior().0.iter().copied()) else { continue };
        let mut rings = vec![exterior];
        rings.extend(polygon.interiors().iter().filter_map(|hole| snap_ring(hole.0.iter().copied())));
        polygons.push(rings);
    }
    if polygons.is_empty() {
        return None;
    }
    if !is_simple(&rings_of(&polygons)) {
        let bounds = geometry.bounding_rect()?;
        return overlay_path(geometry, bounds).map(|polygons| Snapped { polygons, rounded: false });
    }
    for rings in &mut polygons {
        for (k, ring) in rings.iter_mut().enumerate() {
            if (twice_area(ring) > 0) != (k == 0) {
                ring.reverse();
            }
        }
    }
    Some(Snapped { polygons, rounded: true })
}

/// Cuts snapped, oriented polygons to the window (in tile units, after moving `origin` to (0, 0)),
/// leaving the result in `cutter.pieces`; `false` if nothing of area is left.
pub fn clip_polygons(polygons: &GridPolygons, origin: Point, window: Window, cutter: &mut Cutter) -> bool {
    if cutter.cut(polygons, origin, window).is_none() {
        cutter.pieces.clear();
        if let Some(rings) = clip_by_overlay(polygons, origin, window) {
            cutter.pieces.extend_moved(&rings, (0, 0));
        }
    }
    !cutter.pieces.is_empty()
}

/// Every ring of the polygons.
fn rings_of(polygons: &GridPolygons) -> Vec<&[Point]> {
    polygons.iter().flatten().map(Vec::as_slice).collect()
}

/// The general path of [`clip_polygons`].
pub(crate) fn clip_by_overlay(polygons: &GridPolygons, origin: Point, window: Window) -> Option<GridPolygons> {
    let ring = |points: &Vec<Point>| -> LineString<f64> {
        let mut line: LineString<f64> =
            points.iter().map(|&(x, y)| coord! { x: (x - origin.0) as f64, y: (y - origin.1) as f64 }).collect();
        line.close();
        line
    };
    let geometry = MultiPolygon(
        polygons.iter().map(|rings| Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())).collect(),
    );
    overlay_path(&geometry, window.rect())
}

/// Rounds a ring (open or closed) to the grid, dropping repeats and the closing point; `None`
/// when no area is left.
fn snap_ring(ring: impl ExactSizeIterator<Item = Coord<f64>>) -> Option<Vec<Point>> {
    let mut points: Vec<Point> = Vec::with_capacity(ring.len());
    for c in ring {
        let p = (c.x.round() as i64, c.y.round() as i64);
        if points.last() != Some(&p) {
            points.push(p);
        }
    }
    while points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    (points.len() >= 3 && twice_area(&points) != 0).then_some(points)
}

/// The general path: overlay clip, snap, and rebuild rings that touch after snapping.
fn overlay_path(geometry: &MultiPolygon<f64>, window: Rect<f64>) -> Option<GridPolygons> {
    let bounds = geometry.bounding_rect()?;
    let clipped =
        if contains_rect(&window, &bounds) { geometry.clone() } else { geometry.intersection(&window.to_polygon()) };
    let snapped = snap(&clipped).or_else(|| repair(&clipped))?;
    let oriented = geo::orient::Orient::orient(&snapped, geo::orient::Direction::Default);
    let rings = oriented
        .0
        .iter()
        .map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()).map(open_ring).collect())
        .collect();
    Some(rings)
}

/// True when the inner rectangle lies within the outer one, edges included.
pub(super) fn contains_rect(outer: &Rect<f64>, inner: &Rect<f64>) -> bool {
    outer.min().x <= inner.min().x
        && outer.min().y <= inner.min().y
        && outer.max().x >= inner.max().x
        && outer.max().y >= inner.max().y
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

fn open_ring(ring: &LineString<f64>) -> Vec<Point> {
    let mut points: Vec<Point> = ring.0.iter().map(|c| (c.x as i64, c.y as i64)).collect();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    points
}

#[cfg(test)]
mod tests {
    use geo::polygon;

    use super::*;

    fn window(size: i64) -> Window {
        Window { min: (0, 0), max: (size, size) }
    }

    fn clip(polygons: &GridPolygons, origin: Point, window: Window) -> Option<GridPolygons> {
        let mut cutter = Cutter::default();
        clip_polygons(polygons, origin, window, &mut cutter).then(|| cutter.pieces.to_polygons())
    }

    #[test]
    fn snapping_orients_exteriors_positive_and_holes_negative() {
        let square = MultiPolygon(vec![polygon!(
            exterior: [(x: 0.2, y: 0.1), (x: 0.0, y: 10.2), (x: 10.4, y: 9.9), (x: 10.0, y: 0.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 8.0, y: 2.0), (x: 8.0, y: 8.0), (x: 2.0, y: 8.0)]],
        )]);
        let snapped = snap_polygons(&square).unwrap().polygons;
        assert!(snapped[0][0].contains(&(0, 0)) && snapped[0][0].contains(&(10, 10)));
        assert!(twice_area(&snapped[0][0]) > 0);
        assert!(twice_area(&snapped[0][1]) < 0);
    }

    #[test]
    fn a_sliver_thinner_than_a_unit_snaps_to_nothing() {
        let sliver = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.1), (x: 0.0, y: 0.2)]]);
        assert!(snap_polygons(&sliver).is_none());
    }

    #[test]
    fn a_polygon_inside_the_window_is_only_moved() {
        let square = vec![vec![vec![(100, 100), (110, 100), (110, 110), (100, 110)]]];
        let clipped = clip(&square, (100, 100), window(50)).unwrap();
        assert_eq!(clipped, vec![vec![vec![(0, 0), (10, 0), (10, 10), (0, 10)]]]);
    }

    #[test]
    fn a_polygon_across_the_edge_is_cut_to_it() {
        let square = vec![vec![vec![(-10, -10), (10, -10), (10, 10), (-10, 10)]]];
        let clipped = clip(&square, (0, 0), window(50)).unwrap();
        assert_eq!(clipped.len(), 1);
        assert_eq!(twice_area(&clipped[0][0]), 200);
        assert!(clipped[0][0].iter().all(|&(x, y)| (0..=10).contains(&x) && (0..=10).contains(&y)));
    }

    #[test]
    fn a_u_shape_across_the_edge_twice_keeps_its_area_in_one_polygon() {
        // A U whose two arms cross the top edge of the window: the bar (6 × 2) and two arms
        // (2 × 3 each) are left, as one polygon.
        let u = MultiPolygon(vec![polygon![
            (x: 2.0, y: 5.0), (x: 8.0, y: 5.0), (x: 8.0, y: -5.0), (x: 6.0, y: -5.0),
            (x: 6.0, y: 3.0), (x: 4.0, y: 3.0), (x: 4.0, y: -5.0), (x: 2.0, y: -5.0),
        ]]);
        let clipped = clip(&snap_polygons(&u).unwrap().polygons, (0, 0), window(10)).unwrap();
        assert_eq!(clipped.len(), 1);
        assert_eq!(twice_area(&clipped[0][0]).abs(), 2 * (6 * 2 + 2 * 3 + 2 * 3));
    }

    #[test]
    fn a_hole_inside_the_window_stays_with_its_piece_of_the_exterior() {
        // A bar across the window's top edge with two arms hanging down; a hole in the left arm.
        let shape = MultiPolygon(vec![polygon!(
            exterior: [(x: 0.0, y: -10.0), (x: 40.0, y: -10.0), (x: 40.0, y: 30.0), (x: 30.0, y: 30.0), (x: 30.0, y: -5.0),
                       (x: 10.0, y: -5.0), (x: 10.0, y: 30.0), (x: 0.0, y: 30.0)],
            interiors: [[(x: 3.0, y: 10.0), (x: 7.0, y: 10.0), (x: 7.0, y: 20.0), (x: 3.0, y: 20.0)]],
        )]);
        let snapped = snap_polygons(&shape).unwrap().polygons;
        let clipped = clip(&snapped, (0, 0), window(50)).unwrap();
        assert_eq!(clipped.len(), 2);
        let with_hole: Vec<_> = clipped.iter().filter(|p| p.len() == 2).collect();
        assert_eq!(with_hole.len(), 1);
        assert!(with_hole[0][0].iter().all(|&(x, _)| x <= 10));
        assert!(twice_area(&with_hole[0][1]) < 0);
    }

    #[test]
    fn a_polygon_outside_the_window_leaves_nothing() {
        let square = vec![vec![vec![(100, 100), (110, 100), (110, 110), (100, 110)]]];
        assert!(clip(&square, (0, 0), window(50)).is_none());
    }
}
