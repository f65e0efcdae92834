//! Cutting oriented polygon rings to an axis-aligned rectangle, the fast path of tiling.
//!
//! The rectangle is applied one side at a time. Against one side, each ring splits into chains
//! that run inside, each starting where the ring crosses the side's line inwards and ending where
//! it crosses outwards. Along the line, the region's inside is a set of intervals, one between
//! each pair of crossings in order along the line; so each chain's exit is joined along the line
//! to the entry at the other end of its interval, and following these joins closes the new rings.
//! Rings that cross the same line several times are thus split into separate rings, with no
//! zero-width corridors along the edge.
//!
//! This needs the rings of a valid polygon, exteriors and holes oriented oppositely, and lines
//! that no vertex lies on: callers put the rectangle's sides half a unit off the integer grid.
//! When two crossings fall at the same place on a line anyway, or an interval's ends are not an
//! entry and an exit, the input was not as required: the cut returns `None`, and the caller takes
//! a full overlay instead.

use std::cmp::Ordering;

use geo::{Coord, Rect};

/// Cuts the rings (open, no repeated last point) to the rectangle; `None` when the input is
/// degenerate for this method.
///
/// ```
/// use geo::{Rect, coord};
/// use locality_atlas::render::tiles::clip::clip_rings;
/// // A U whose two arms cross the top of the window becomes two rings.
/// let u = vec![vec![
///     coord! { x: 2.0, y: 5.0 }, coord! { x: 2.0, y: -5.0 }, coord! { x: 4.0, y: -5.0 }, coord! { x: 4.0, y: 3.0 },
///     coord! { x: 6.0, y: 3.0 }, coord! { x: 6.0, y: -5.0 }, coord! { x: 8.0, y: -5.0 }, coord! { x: 8.0, y: 5.0 },
/// ]];
/// let window = Rect::new(coord! { x: -0.5, y: 3.5 }, coord! { x: 10.5, y: 10.5 });
/// assert_eq!(clip_rings(u.clone(), window).unwrap().len(), 1);
/// let below_the_bar = Rect::new(coord! { x: -0.5, y: -0.5 }, coord! { x: 10.5, y: 2.5 });
/// assert_eq!(clip_rings(u, below_the_bar).unwrap().len(), 2);
/// ```
pub fn clip_rings(rings: Vec<Vec<Coord<f64>>>, rect: Rect<f64>) -> Option<Vec<Vec<Coord<f64>>>> {
    let mut rings: Vec<Ring> = rings.into_iter().filter_map(Ring::new).collect();
    for side in
        [Side::Left(rect.min().x), Side::Right(rect.max().x), Side::Top(rect.min().y), Side::Bottom(rect.max().y)]
    {
        rings = clip_side(rings, side)?;
        if rings.is_empty() {
            break;
        }
    }
    Some(rings.into_iter().map(|ring| ring.points).collect())
}

/// A ring with its bounds, so that rings clear of a side's line pass it untouched.
struct Ring {
    points: Vec<Coord<f64>>,
    bounds: Rect<f64>,
}

impl Ring {
    fn new(points: Vec<Coord<f64>>) -> Option<Ring> {
        let first = *points.first()?;
        let (min, max) = points.iter().fold((first, first), |(min, max), c| {
            (Coord { x: min.x.min(c.x), y: min.y.min(c.y) }, Coord { x: max.x.max(c.x), y: max.y.max(c.y) })
        });
        Some(Ring { points, bounds: Rect::new(min, max) })
    }
}

/// One side of the rectangle: points strictly on the named side of the line are kept.
#[derive(Clone, Copy)]
enum Side {
    Left(f64),
    Right(f64),
    Top(f64),
    Bottom(f64),
}

impl Side {
    /// Whether a ring within these bounds is wholly kept (`Some(true)`), wholly dropped
    /// (`Some(false)`), or crosses the line (`None`).
    fn sorts(self, bounds: Rect<f64>) -> Option<bool> {
        let (low, high) = match self {
            Side::Left(_) | Side::Right(_) => (bounds.min().x, bounds.max().x),
            Side::Top(_) | Side::Bottom(_) => (bounds.min().y, bounds.max().y),
        };
        let (a, b) = (self.keeps_value(low), self.keeps_value(high));
        (a == b).then_some(a)
    }

    fn keeps_value(self, v: f64) -> bool {
        match self {
            Side::Left(line) | Side::Top(line) => v > line,
            Side::Right(line) | Side::Bottom(line) => v < line,
        }
    }

    fn keeps(self, c: Coord<f64>) -> bool {
        match self {
            Side::Left(x) => c.x > x,
            Side::Right(x) => c.x < x,
            Side::Top(y) => c.y > y,
            Side::Bottom(y) => c.y < y,
        }
    }

    /// Where the segment a–b crosses the line; only called when it does.
    fn crossing(self, a: Coord<f64>, b: Coord<f64>) -> Coord<f64> {
        match self {
            Side::Left(x) | Side::Right(x) => Coord { x, y: a.y + (x - a.x) / (b.x - a.x) * (b.y - a.y) },
            Side::Top(y) | Side::Bottom(y) => Coord { x: a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x), y },
        }
    }

    /// Position of a point of the line along it.
    fn along(self, c: Coord<f64>) -> f64 {
        match self {
            Side::Left(_) | Side::Right(_) => c.y,
            Side::Top(_) | Side::Bottom(_) => c.x,
        }
    }
}

fn clip_side(rings: Vec<Ring>, side: Side) -> Option<Vec<Ring>> {
    let mut out = Vec::with_capacity(rings.len());
    // The runs of rings inside the side, each from its entry crossing to its exit crossing: one
    // buffer of points holds them all, and each run is a range of it.
    let mut runs: Vec<Coord<f64>> = Vec::new();
    let mut chains: Vec<std::ops::Range<usize>> = Vec::new();
    for ring in rings {
        match side.sorts(ring.bounds) {
            Some(true) => {
                out.push(ring);
                continue;
            }
            Some(false) => continue,
            None => {}
        }
        let ring = ring.points;
        let n = ring.len();
        let inside = |i: usize| side.keeps(ring[i]);
        let Some(start) = (0..n).find(|&i| inside(i) && !inside((i + n - 1) % n)) else {
            // Wholly inside, or wholly outside.
            if n > 0 && inside(0) {
                out.extend(Ring::new(ring));
            }
            continue;
        };
        runs.reserve(n + 4);
        // Where the chain being walked starts in `runs`.
        let mut current: Option<usize> = None;
        for step in 0..n {
            let i = (start + step) % n;
            let previous = (i + n - 1) % n;
            match (inside(previous), inside(i)) {
                (false, true) => {
                    current = Some(runs.len());
                    runs.push(side.crossing(ring[previous], ring[i]));
                    runs.push(ring[i]);
                }
                (true, true) => {
                    current?;
                    runs.push(ring[i]);
                }
                (true, false) => {
                    let begin = current.take()?;
                    runs.push(side.crossing(ring[previous], ring[i]));
                    chains.push(begin..runs.len());
                }
                (false, false) => {}
            }
        }
        // The walk began at an entry, so it ends having closed every chain.
        if current.is_some() {
            return None;
        }
    }
    if chains.is_empty() {
        return Some(out);
    }
    // Chain ends along the line: (position, chain, is the entry).
    let mut ends: Vec<(f64, usize, bool)> = Vec::with_capacity(chains.len() * 2);
    for (k, chain) in chains.iter().enumerate() {
        ends.push((side.along(runs[chain.start]), k, true));
        ends.push((side.along(runs[chain.end - 1]), k, false));
    }
    ends.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal));
    if ends.windows(2).any(|w| w[0].0 == w[1].0 || w[0].0.is_nan()) {
        return None;
    }
    // Each interval joins the exit at one end to the entry at the other.
    let mut next = vec![usize::MAX; chains.len()];
    for pair in ends.chunks(2) {
        let [a, b] = pair else { return None };
        match (a.2, b.2) {
            (true, false) => next[b.1] = a.1,
            (false, true) => next[a.1] = b.1,
            _ => return None,
        }
    }
    let mut used = vec![false; chains.len()];
    for first in 0..chains.len() {
        if used[first] {
            continue;
        }
        let mut ring = Vec::new();
        let mut k = first;
        while !used[k] {
            used[k] = true;
            ring.extend_from_slice(&runs[chains[k].clone()]);
            k = next[k];
            if k == usize::MAX {
                return None;
            }
        }
        if k != first {
            return None;
        }
        out.extend(Ring::new(ring));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use geo::coord;

    use super::*;

    fn window() -> Rect<f64> {
        Rect::new(coord! { x: -0.5, y: -0.5 }, coord! { x: 10.5, y: 10.5 })
    }

    fn area(ring: &[Coord<f64>]) -> f64 {
        (0..ring.len())
            .map(|i| ring[i].x * ring[(i + 1) % ring.len()].y - ring[(i + 1) % ring.len()].x * ring[i].y)
            .sum::<f64>()
            / 2.0
    }

    fn ring(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
        points.iter().map(|&(x, y)| coord! { x: x, y: y }).collect()
    }

    #[test]
    fn a_ring_across_a_corner_keeps_the_corner() {
        let clipped = clip_rings(vec![ring(&[(5.0, 5.0), (15.0, 5.0), (15.0, 15.0), (5.0, 15.0)])], window()).unwrap();
        assert_eq!(clipped.len(), 1);
        assert!((area(&clipped[0]) - 5.5 * 5.5).abs() < 1e-12);
        assert!(clipped[0].contains(&coord! { x: 10.5, y: 10.5 }));
    }

    #[test]
    fn a_ring_around_the_window_becomes_the_window() {
        let clipped =
            clip_rings(vec![ring(&[(-5.0, -5.0), (15.0, -5.0), (15.0, 15.0), (-5.0, 15.0)])], window()).unwrap();
        assert_eq!(clipped.len(), 1);
        assert!((area(&clipped[0]) - 121.0).abs() < 1e-12);
    }

    #[test]
    fn a_comb_leaving_three_times_becomes_three_rings_with_its_area() {
        // Three teeth hanging from a bar above the window.
        let comb = ring(&[
            (0.0, -5.0),
            (9.0, -5.0),
            (9.0, 4.0),
            (7.0, 4.0),
            (7.0, -2.0),
            (5.0, -2.0),
            (5.0, 4.0),
            (3.0, 4.0),
            (3.0, -2.0),
            (1.0, -2.0),
            (1.0, 4.0),
            (0.0, 4.0),
        ]);
        let clipped = clip_rings(vec![comb], window()).unwrap();
        assert_eq!(clipped.len(), 3);
        let total: f64 = clipped.iter().map(|r| area(r)).sum();
        // Teeth of widths 1, 2 and 2, each 4.5 deep below the line y = -0.5.
        assert!((total - 4.5 * 5.0).abs() < 1e-9, "{total}");
        assert!(clipped.iter().all(|r| area(r) > 0.0));
    }

    #[test]
    fn a_hole_across_the_edge_opens_the_exterior() {
        let exterior = ring(&[(-5.0, 0.0), (5.0, 0.0), (5.0, 10.0), (-5.0, 10.0)]);
        let hole = ring(&[(-2.0, 2.0), (-2.0, 8.0), (2.0, 8.0), (2.0, 2.0)]);
        let clipped = clip_rings(vec![exterior, hole], window()).unwrap();
        assert_eq!(clipped.len(), 1);
        assert!((area(&clipped[0]) - (5.5 * 10.0 - 2.5 * 6.0)).abs() < 1e-9);
    }

    #[test]
    fn a_ring_outside_the_window_leaves_nothing() {
        let clipped = clip_rings(vec![ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)])], window()).unwrap();
        assert!(clipped.is_empty());
    }
}
