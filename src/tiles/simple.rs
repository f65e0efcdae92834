//! An exact test that integer rings are simple: the check every snapped tile polygon passes
//! before it is encoded.
//!
//! Snapping to the tile grid can make an edge touch or cross another one. On integer coordinates
//! the orientation test is exact in `i64`, so this needs no tolerance. The test is conservative:
//! rings that merely touch at a point (which OGC would allow between two rings) also fail it, and
//! the caller then takes the slower overlay path that rebuilds such rings.
//!
//! The algorithm is sort-and-sweep on x (the broad phase of collision detection): edges sorted by
//! their left end, each compared only with the still-active edges whose x range overlaps its own,
//! then the exact orientation predicate (the sign of a 2×2 determinant, as in Cormen et al.,
//! *Introduction to Algorithms*, §33.1) for crossing, touching and collinear overlap. It costs
//! O(n log n + k) for k pairs of overlapping x ranges: close to linear for the short edges of a
//! tile's rings, quadratic only for rings of long vertical-spanning edges.

use super::plane::{Point, Window};

/// One edge, its ends in order (so `b.0` is its greatest x), with its place in its ring.
struct Segment {
    a: Point,
    b: Point,
    ring: u32,
    ring_len: u32,
    index: u32,
}

/// True when no two edges of the open rings cross, overlap or touch, except consecutive edges of
/// one ring at their shared vertex (and those must not fold back on each other).
///
/// ```
/// use locality_atlas::tiles::simple::is_simple;
/// assert!(is_simple(&[vec![(0, 0), (4, 0), (4, 4), (0, 4)]]));
/// assert!(!is_simple(&[vec![(0, 0), (4, 4), (4, 0), (0, 4)]])); // a bow tie
/// ```
pub fn is_simple<R: AsRef<[Point]>>(rings: &[R]) -> bool {
    let Some(mut segments) = segments(rings) else { return false };
    segments.sort_unstable_by_key(|s| s.a.0);
    // Sweep left to right, comparing each edge only with edges whose x range overlaps it.
    let mut active: Vec<usize> = Vec::new();
    for (n, segment) in segments.iter().enumerate() {
        active.retain(|&k| segments[k].b.0 >= segment.a.0);
        for &k in &active {
            if conflict(&segments[k], segment) {
                return false;
            }
        }
        active.push(n);
    }
    true
}

/// The edges [`Suspects::simple_in_window`] compares, kept from call to call so that the check
/// allocates nothing.
#[derive(Default)]
pub struct Suspects {
    /// Edges with an end on the window's edge.
    edges: Vec<Segment>,
    /// Those of them that leave the window's edge (the others lie along it), with their boxes.
    leaving: Vec<(usize, Window)>,
}

impl Suspects {
    /// [`is_simple`] for rings that lie in the closed window and are known to be simple except at
    /// points on its edge, as cut rings are: their new vertices all lie there.
    ///
    /// Only edges with an end on the window's edge (suspects) can meet wrongly. Every other edge
    /// lies strictly inside the window, so it can only meet the suspects that leave the edge, not
    /// those along it: suspects are compared with each other, and the rest with those leaving.
    /// Those reach into the window no further than their longest side, so the rest are compared
    /// only if they come as near the window's edge.
    pub fn simple_in_window<'a, I>(&mut self, rings: I, window: Window) -> bool
    where
        I: Iterator<Item = &'a [Point]> + Clone,
    {
        let on_x = |x: i64| x == window.min.0 || x == window.max.0;
        let on_y = |y: i64| y == window.min.1 || y == window.max.1;
        let on_edge = |(x, y): Point| on_x(x) || on_y(y);
        let along = |s: &Segment| (s.a.0 == s.b.0 && on_x(s.a.0)) || (s.a.1 == s.b.1 && on_y(s.a.1));
        self.edges.clear();
        self.leaving.clear();
        // How far into the window the leaving edges' boxes reach.
        let mut reach = 0;
        for (r, ring) in rings.clone().enumerate() {
            if ring.len() < 3 {
                return false;
            }
            // Edge i runs from point i - 1 (the last point for the first edge) to point i.
            let mut a = ring[ring.len() - 1];
            let mut a_on = on_edge(a);
            for (i, &b) in ring.iter().enumerate() {
                let b_on = on_edge(b);
                if a == b {
                    return false;
                }
                if a_on || b_on {
                    let s = Segment::new(a, b, r, ring.len(), i);
                    if !along(&s) {
                        let bounds = s.bounds();
                        reach = reach.max(bounds.max.0 - bounds.min.0).max(bounds.max.1 - bounds.min.1);
                        self.leaving.push((self.edges.len(), bounds));
                    }
                    self.edges.push(s);
                }
                (a, a_on) = (b, b_on);
            }
        }
        let meet = |s: &Segment, t: &Segment| t.b.0 >= s.a.0 && s.b.0 >= t.a.0 && conflict(s, t);
        for (k, s) in self.edges.iter().enumerate() {
            if self.edges[k + 1..].iter().any(|t| meet(s, t)) {
                return false;
            }
        }
        if self.leaving.is_empty() {
            return true;
        }
        // Every leaving edge's box has a point on the window's edge, so it lies within `reach`
        // of that edge: an edge whose box lies further in meets none of them.
        let inner = Window {
            min: (window.min.0 + reach + 1, window.min.1 + reach + 1),
            max: (window.max.0 - reach - 1, window.max.1 - reach - 1),
        };
        for (r, ring) in rings.enumerate() {
            let mut a = ring[ring.len() - 1];
            let mut a_on = on_edge(a);
            for (i, &b) in ring.iter().enumerate() {
                let b_on = on_edge(b);
                let t = Window { min: (a.0.min(b.0), a.1.min(b.1)), max: (a.0.max(b.0), a.1.max(b.1)) };
                if !(a_on || b_on || inner.contains(&t)) {
                    for (k, s) in &self.leaving {
                        if !s.misses(&t) && conflict(&self.edges[*k], &Segment::new(a, b, r, ring.len(), i)) {
                            return false;
                        }
                    }
                }
                (a, a_on) = (b, b_on);
            }
        }
        true
    }
}

impl Segment {
    /// Edge `index` of ring `ring` (of `ring_len` points), from a to b.
    fn new(a: Point, b: Point, ring: usize, ring_len: usize, index: usize) -> Segment {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        Segment { a, b, ring: ring as u32, ring_len: ring_len as u32, index: index as u32 }
    }

    fn bounds(&self) -> Window {
        Window { min: (self.a.0, y_min(self)), max: (self.b.0, y_max(self)) }
    }
}

/// Edge `i` of ring `r`, from point `i` to the next, with its ends in order; `None` when the ring
/// has fewer than three points or the edge has no length.
fn edge(ring: &[Point], r: usize, i: usize) -> Option<Segment> {
    if ring.len() < 3 {
        return None;
    }
    let (a, b) = (ring[i], ring[if i + 1 == ring.len() { 0 } else { i + 1 }]);
    (a != b).then(|| Segment::new(a, b, r, ring.len(), i))
}

/// Every edge of the rings, each with its ends in order; `None` when a ring has fewer than three
/// points or a repeated point.
fn segments<R: AsRef<[Point]>>(rings: &[R]) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        let ring = ring.as_ref();
        if ring.len() < 3 {
            return None;
        }
        for i in 0..ring.len() {
            segments.push(edge(ring, r, i)?);
        }
    }
    Some(segments)
}

/// True when two edges meet in a way a simple ring does not allow.
fn conflict(s: &Segment, t: &Segment) -> bool {
    if y_max(s) < y_min(t) || y_max(t) < y_min(s) {
        return false;
    }
    if s.ring == t.ring {
        let n = s.ring_len;
        let (i, j) = (s.index, t.index);
        if (i + 1) % n == j || (j + 1) % n == i {
            return folds_back(s, t);
        }
    }
    intersects(s.a, s.b, t.a, t.b)
}

fn y_min(s: &Segment) -> i64 {
    s.a.1.min(s.b.1)
}

fn y_max(s: &Segment) -> i64 {
    s.a.1.max(s.b.1)
}

/// Consecutive edges sharing a vertex must not run back over each other (a spike). A ring of
/// three points has every pair consecutive, so the shared vertex is found, not assumed.
fn folds_back(s: &Segment, t: &Segment) -> bool {
    let shared = [s.a, s.b].into_iter().find(|p| *p == t.a || *p == t.b);
    let Some(v) = shared else { return intersects(s.a, s.b, t.a, t.b) };
    let p = if s.a == v { s.b } else { s.a };
    let q = if t.a == v { t.b } else { t.a };
    if p == q {
        return true;
    }
    orientation(v, p, q) == 0 && (p.0 - v.0) * (q.0 - v.0) + (p.1 - v.1) * (q.1 - v.1) > 0
}

fn orientation(a: Point, b: Point, c: Point) -> i64 {
    ((b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)).signum()
}

/// True when c lies on the segment a–b, given that the three are collinear.
fn on_segment(a: Point, b: Point, c: Point) -> bool {
    a.0.min(b.0) <= c.0 && c.0 <= a.0.max(b.0) && a.1.min(b.1) <= c.1 && c.1 <= a.1.max(b.1)
}

/// Closed-segment intersection, touching included.
fn intersects(a: Point, b: Point, c: Point, d: Point) -> bool {
    let (d1, d2) = (orientation(c, d, a), orientation(c, d, b));
    let (d3, d4) = (orientation(a, b, c), orientation(a, b, d));
    if d1 * d2 < 0 && d3 * d4 < 0 {
        return true;
    }
    (d1 == 0 && on_segment(c, d, a))
        || (d2 == 0 && on_segment(c, d, b))
        || (d3 == 0 && on_segment(a, b, c))
        || (d4 == 0 && on_segment(a, b, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_a_window_only_edges_at_its_edge_are_compared() {
        let window = Window { min: (0, 0), max: (10, 10) };
        let mut suspects = Suspects::default();
        let check =
            |suspects: &mut Suspects, rings: &[&[Point]]| suspects.simple_in_window(rings.iter().copied(), window);
        // A bow tie with a corner on the window's edge is caught; one inside it is taken as simple.
        assert!(!check(&mut suspects, &[&[(0, 2), (4, 6), (4, 2), (0, 6)]]));
        assert!(check(&mut suspects, &[&[(1, 2), (4, 6), (4, 2), (1, 6)]]), "edges inside the window are trusted");
        assert!(check(&mut suspects, &[&[(0, 0), (10, 0), (10, 10), (0, 10)]]));
        // A ring pushed against another one along the edge, and an edge leaving the edge across
        // another ring, are caught.
        let left: &[Point] = &[(0, 0), (3, 0), (3, 4), (0, 4)];
        assert!(!check(&mut suspects, &[left, &[(0, 4), (3, 5), (0, 8)]]), "two rings touching at (0, 4)");
        assert!(!check(&mut suspects, &[&[(0, 2), (8, 9), (0, 9)], &[(5, 3), (6, 8), (4, 8)]]));
        assert!(check(&mut suspects, &[&[(0, 2), (8, 9), (0, 9)], &[(5, 3), (7, 4), (6, 5)]]));
    }

    #[test]
    fn a_square_with_a_hole_is_simple() {
        assert!(is_simple(&[vec![(0, 0), (10, 0), (10, 10), (0, 10)], vec![(2, 2), (2, 8), (8, 8), (8, 2)]]));
    }

    #[test]
    fn a_hole_touching_the_shell_is_not() {
        assert!(!is_simple(&[vec![(0, 0), (10, 0), (10, 10), (0, 10)], vec![(0, 5), (5, 8), (5, 2)]]));
    }

    #[test]
    fn a_ring_touching_itself_at_a_vertex_is_not() {
        // A figure of eight through (5, 5).
        assert!(!is_simple(&[vec![(0, 0), (5, 5), (10, 0), (10, 10), (5, 5), (0, 10)]]));
    }

    #[test]
    fn a_spike_is_not() {
        assert!(!is_simple(&[vec![(0, 0), (10, 0), (10, 10), (10, 4)]]));
        assert!(!is_simple(&[vec![(0, 0), (10, 0), (5, 0)]]));
    }

    #[test]
    fn collinear_consecutive_edges_going_on_are_fine() {
        assert!(is_simple(&[vec![(0, 0), (5, 0), (10, 0), (10, 10)]]));
    }

    #[test]
    fn overlapping_rings_of_two_parts_are_caught() {
        assert!(!is_simple(&[vec![(0, 0), (10, 0), (10, 10), (0, 10)], vec![(5, 5), (15, 5), (15, 15), (5, 15)]]));
    }
}
