//! Access to a service from where an area's residents live: the mean, over a regular grid of points
//! inside the area, of the straight-line distance to the nearest service point, and of the number of
//! service points within a radius.
//!
//! Without population-weighted centroids, residents are taken as spread evenly over the area and the
//! grid stands in for them. Coordinates are planar and in metres (British National Grid for the
//! atlas), so distances are Euclidean.
//!
//! - **Grid**: the points ((i + ½)·s, (j + ½)·s) for whole numbers i and j: the centres of the s × s
//!   squares of a grid anchored at the coordinate origin (British National Grid's false origin), so
//!   the grid is the same for every area and does not move with its boundary.
//! - **Inside**: a point in the interior of the area (geo's `Contains`); a point exactly on the
//!   boundary is in neither neighbour.
//! - **At least one point**: an area that holds no grid point (smaller than a square, or a sliver)
//!   is represented by its interior point (geo's `InteriorPoint`).
//!
//! ```
//! use geo::{MultiPolygon, Point, polygon};
//! use locality_atlas::analysis::access::access;
//!
//! // A 200 m square holds 4 points of a 100 m grid, at 50 and 150 m; one site at its centre is
//! // √(50² + 50²) ≈ 70.7 m from each of them, and within 100 m of all four.
//! let square = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 200.0, y: 0.0), (x: 200.0, y: 200.0), (x: 0.0, y: 200.0)]]);
//! let found = access(&square, &[Point::new(100.0, 100.0)], 100.0, 100.0).unwrap();
//! assert_eq!(found.points, 4);
//! assert!((found.mean_nearest - 50.0 * 2f64.sqrt()).abs() < 1e-9);
//! assert_eq!(found.mean_within, 4.0 / 4.0);
//! ```

use geo::{BoundingRect, Contains, Distance, Euclidean, InteriorPoint, MultiPolygon, Point};

/// The grid spacing the atlas uses, in metres: about 200 points in a typical Coventry LSOA and 36 in
/// the smallest.
pub const GRID_SPACING_M: f64 = 50.0;

/// The radius within which the atlas counts service points, in metres.
pub const NEAR_RADIUS_M: f64 = 1000.0;

/// How near one area's residents are to a set of service points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Access {
    /// Mean over the resident points of the distance to the nearest service point, in the
    /// coordinates' unit (metres).
    pub mean_nearest: f64,
    /// Mean over the resident points of the number of service points within the radius (a point at
    /// exactly the radius counts).
    pub mean_within: f64,
    /// Number of resident points the means are taken over.
    pub points: usize,
}

/// The points standing for an area's residents: the grid points of spacing `spacing` inside the
/// area, south to north and west to east, or its interior point when none is inside; empty only for
/// an empty geometry or a spacing that is not a positive number.
pub fn resident_points(area: &MultiPolygon<f64>, spacing: f64) -> Vec<Point<f64>> {
    let Some(bounds) = area.bounding_rect() else { return Vec::new() };
    if !(spacing.is_finite() && spacing > 0.0) {
        return Vec::new();
    }
    // Grid index k sits at (k + ½)·s, so the first index at or past `low` is ⌈low/s − ½⌉.
    let first = |low: f64| (low / spacing - 0.5).ceil() as i64;
    let last = |high: f64| (high / spacing - 0.5).floor() as i64;
    let at = |k: i64| (k as f64 + 0.5) * spacing;
    let mut points = Vec::new();
    for j in first(bounds.min().y)..=last(bounds.max().y) {
        for i in first(bounds.min().x)..=last(bounds.max().x) {
            let point = Point::new(at(i), at(j));
            if area.contains(&point) {
                points.push(point);
            }
        }
    }
    if points.is_empty() {
        points.extend(area.interior_point());
    }
    points
}

/// Access from an area to the service points `sites`, with residents on a grid of spacing
/// `spacing` (see the module notes) and service points counted within `radius`; `None` when there
/// are no sites or the area has no points.
pub fn access(area: &MultiPolygon<f64>, sites: &[Point<f64>], spacing: f64, radius: f64) -> Option<Access> {
    let points = resident_points(area, spacing);
    if sites.is_empty() || points.is_empty() {
        return None;
    }
    let (mut nearest, mut within) = (0.0, 0usize);
    for point in &points {
        let distances = sites.iter().map(|site| Euclidean.distance(*point, *site));
        let (closest, near) =
            distances.fold((f64::INFINITY, 0), |(closest, near), d| (closest.min(d), near + usize::from(d <= radius)));
        nearest += closest;
        within += near;
    }
    let n = points.len() as f64;
    Some(Access { mean_nearest: nearest / n, mean_within: within as f64 / n, points: points.len() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64, side: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![(x: x, y: y), (x: x + side, y: y), (x: x + side, y: y + side), (x: x, y: y + side)]])
    }

    #[test]
    fn a_square_holds_the_centres_of_the_grid_squares_inside_it() {
        // 1 km square at (1000, 2000): 20 × 20 points of a 50 m grid, from (1025, 2025) to (1975, 2975).
        let points = resident_points(&square(1000.0, 2000.0, 1000.0), 50.0);
        assert_eq!(points.len(), 400);
        assert_eq!(points[0], Point::new(1025.0, 2025.0));
        assert_eq!(points[399], Point::new(1975.0, 2975.0));
        // The grid is anchored at the origin, not at the area: shifted by 10 m it still holds 20 × 20.
        let shifted = resident_points(&square(1010.0, 2010.0, 1000.0), 50.0);
        assert_eq!((shifted.len(), shifted[0]), (400, Point::new(1025.0, 2025.0)));
    }

    #[test]
    fn a_square_and_two_practices_give_the_hand_computed_means() {
        // A 200 m square from (0, 0) on a 100 m grid: points (50, 50), (150, 50), (50, 150), (150, 150).
        // Practice A at (50, -50), 100 m south of the first point; practice B at (1150, 150), 1 km east
        // of the last point.
        let area = square(0.0, 0.0, 200.0);
        let sites = [Point::new(50.0, -50.0), Point::new(1150.0, 150.0)];
        let found = access(&area, &sites, 100.0, 1000.0).unwrap();
        assert_eq!(found.points, 4);
        // Nearest: (50, 50) → A 100; (150, 50) → A √(100² + 100²); (50, 150) → A 200;
        // (150, 150) → A √(100² + 200²) = 223.6 against B 1000, so A.
        let nearest = [100.0, 20_000f64.sqrt(), 200.0, 50_000f64.sqrt()];
        assert!((found.mean_nearest - nearest.iter().sum::<f64>() / 4.0).abs() < 1e-9, "{found:?}");
        // Within 1 km: A from every point (at most 223.6 m); B (1150, 150) from (150, 150) exactly at
        // 1000 m (counted), from (150, 50) at √(1000² + 100²) and the western points beyond: 5 of 8.
        assert_eq!(found.mean_within, 5.0 / 4.0);
    }

    #[test]
    fn an_area_smaller_than_a_grid_square_is_its_interior_point() {
        // A 20 m square from 130 to 150 m, between the grid points at 125 and 175 m: its interior
        // point stands for it.
        let area = square(130.0, 130.0, 20.0);
        let points = resident_points(&area, 50.0);
        assert_eq!(points, vec![Point::new(140.0, 140.0)]);
        let found = access(&area, &[Point::new(140.0, 440.0)], 50.0, 1000.0).unwrap();
        assert_eq!((found.points, found.mean_nearest, found.mean_within), (1, 300.0, 1.0));
    }

    #[test]
    fn holes_and_boundaries_are_not_inside() {
        // A 300 m square with a 100 m hole in the middle, on a 100 m grid: 9 centres less the one in the hole.
        let ring = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 300.0, y: 0.0), (x: 300.0, y: 300.0), (x: 0.0, y: 300.0)],
            interiors: [[(x: 100.0, y: 100.0), (x: 200.0, y: 100.0), (x: 200.0, y: 200.0), (x: 100.0, y: 200.0)]],
        );
        assert_eq!(resident_points(&MultiPolygon(vec![ring]), 100.0).len(), 8);
        // A square whose west and east edges run through grid points (x = 50 and 250) holds only the
        // points strictly inside, at x = 150.
        let strictly = vec![Point::new(150.0, 50.0), Point::new(150.0, 150.0)];
        assert_eq!(resident_points(&square(50.0, 0.0, 200.0), 100.0), strictly);
    }

    #[test]
    fn no_sites_or_no_area_give_nothing() {
        assert_eq!(access(&square(0.0, 0.0, 100.0), &[], 50.0, 1000.0), None);
        assert_eq!(access(&MultiPolygon(vec![]), &[Point::new(0.0, 0.0)], 50.0, 1000.0), None);
        assert!(resident_points(&square(0.0, 0.0, 100.0), 0.0).is_empty());
    }
}
