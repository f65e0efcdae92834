//! Cutting snapped polygons to a tile's buffered window, in one walk around each ring and one
//! around the window's edge: the fast path of tiling.
//!
//! Each ring that crosses the window splits into chains that run inside it, each from the point
//! where the ring enters to the point where it leaves. Rings are oriented (exteriors one way, holes
//! the other), so the region always lies on the same side of its boundary; going round the window's
//! edge in that same sense, the stretch from a chain's exit to the next entry is inside the region.
//! Joining every exit to the next entry along the edge, through the corners passed on the way,
//! closes the new rings. A ring that meets the edge several times is thus split into separate
//! rings, with no zero-width corridors along the edge.
//!
//! The window's lines run half a unit outside the integer grid, so that no vertex lies on them; new
//! points are then rounded onto the window's edge. Everything is done in buffers a thread reuses
//! from tile to tile. When the input is not as required (two crossings at the same place on the
//! edge, or an exit followed by another exit), the cut gives up and the caller takes a full
//! overlay instead.
//!
//! The algorithms, by their usual names: each point's position against the window is its
//! Cohen–Sutherland outcode ([`Window::beyond`](super::plane::Window::beyond)), so a ring with every
//! outcode zero is inside at once and an edge whose two outcodes share a bit cannot cross; the
//! joining of exits to entries round the window's boundary is the boundary walk of Weiler and
//! Atherton (1977), "Hidden surface removal using polygon area sorting", specialised to a
//! rectangular clip window, where the walk needs only the order of crossings along the perimeter.

use std::ops::Range;

use super::plane::{GridPolygons, Point, Window, bounds_of, ring_contains, twice_area};
use super::simple::{Suspects, is_simple};

/// Polygons on the grid in flat buffers: points, rings as ranges of points, polygons as ranges of
/// rings with the exterior first.
#[derive(Debug, Default)]
pub struct Pieces {
    points: Vec<Point>,
    rings: Vec<Range<usize>>,
    polygons: Vec<Range<usize>>,
}

impl Pieces {
    /// Forgets every polygon, keeping the buffers.
    pub fn clear(&mut self) {
        self.points.clear();
        self.rings.clear();
        self.polygons.clear();
    }

    /// True when there is no polygon.
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// True when a point of some ring lies in the window.
    pub fn has_point_in(&self, window: Window) -> bool {
        self.points.iter().any(|&p| window.holds(p))
    }

    /// Every ring, polygon by polygon, each exterior before its holes.
    pub fn rings(&self) -> impl Iterator<Item = &[Point]> + Clone {
        self.rings.iter().map(|range| &self.points[range.clone()])
    }

    /// The polygons as nested vectors.
    pub fn to_polygons(&self) -> GridPolygons {
        self.polygons
            .iter()
            .map(|rings| self.rings[rings.clone()].iter().map(|r| self.points[r.clone()].to_vec()).collect())
            .collect()
    }

    /// True when the polygons are what a cut must leave: their rings simple together, each
    /// exterior turning one way and each hole the other, every point in the window.
    pub fn is_valid_in(&self, window: Window) -> bool {
        let rings: Vec<&[Point]> = self.rings().collect();
        is_simple(&rings)
            && self.polygons.iter().all(|polygon| {
                let mut rings = self.rings[polygon.clone()].iter().map(|r| &self.points[r.clone()]);
                rings.next().is_some_and(|exterior| twice_area(exterior) > 0) && rings.all(|hole| twice_area(hole) < 0)
            })
            && self.points.iter().all(|&p| window.holds(p))
    }

    /// Adds polygons given as rings, moved so that `origin` becomes (0, 0).
    pub fn extend_moved(&mut self, polygons: &[Vec<Vec<Point>>], origin: Point) {
        for polygon in polygons {
            self.begin_polygon();
            for ring in polygon {
                self.push_ring(ring.iter().map(|&(x, y)| (x - origin.0, y - origin.1)));
            }
        }
    }

    fn begin_polygon(&mut self) {
        self.polygons.push(self.rings.len()..self.rings.len());
    }

    /// Adds a ring to the last polygon.
    fn push_ring(&mut self, points: impl IntoIterator<Item = Point>) {
        let start = self.points.len();
        self.points.extend(points);
        self.rings.push(start..self.points.len());
        if let Some(polygon) = self.polygons.last_mut() {
            polygon.end = self.rings.len();
        }
    }
}

/// A side of the window.
#[derive(Clone, Copy)]
enum Side {
    Top,
    Right,
    Bottom,
    Left,
}

/// A run of a ring inside the window: its points (a range of [`Cutter::chain_points`]), and where
/// it enters and leaves, as positions round the window's edge.
struct Chain {
    points: Range<usize>,
    enter: f64,
    exit: f64,
}

/// Where a segment crosses one of the window's lines: the parameter along the segment, and the side.
type Crossing = (f64, Side);

/// How a segment meets the window.
enum Span {
    /// It misses the window.
    Misses,
    /// It only touches a corner: degenerate for the cut.
    Touches,
    /// It runs inside from the first crossing to the second.
    Through(Crossing, Crossing),
}

/// What walking a ring found.
enum Walk {
    /// Every point inside the window.
    Inside,
    /// No point inside, and no edge through the window.
    Outside,
    /// Chains were added.
    Crossed,
}

/// The window's lines, half a unit outside its integer edges, and its perimeter, walked clockwise
/// on screen (y down) from the top-left corner: top, right, bottom, left.
#[derive(Clone, Copy)]
struct Frame {
    window: Window,
    lo: (f64, f64),
    hi: (f64, f64),
    width: f64,
    height: f64,
}

impl Frame {
    fn new(window: Window) -> Frame {
        let lo = (window.min.0 as f64 - 0.5, window.min.1 as f64 - 0.5);
        let hi = (window.max.0 as f64 + 0.5, window.max.1 as f64 + 0.5);
        Frame { window, lo, hi, width: hi.0 - lo.0, height: hi.1 - lo.1 }
    }

    fn perimeter(&self) -> f64 {
        2.0 * (self.width + self.height)
    }

    /// The part of the segment a→b inside the window (parameter 0 at a, 1 at b).
    fn span(&self, a: Point, b: Point) -> Span {
        let (ax, ay) = (a.0 as f64, a.1 as f64);
        let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
        let mut enter = (0.0, Side::Top);
        let mut leave = (1.0, Side::Top);
        let mut limit = |d: f64, from: f64, lo: f64, hi: f64, low_side: Side, high_side: Side| {
            if d == 0.0 {
                return lo < from && from < hi;
            }
            let (t_lo, t_hi) = ((lo - from) / d, (hi - from) / d);
            let (t_in, side_in, t_out, side_out) =
                if d > 0.0 { (t_lo, low_side, t_hi, high_side) } else { (t_hi, high_side, t_lo, low_side) };
            if t_in > enter.0 {
                enter = (t_in, side_in);
            }
            if t_out < leave.0 {
                leave = (t_out, side_out);
            }
            true
        };
        let x_inside = limit(dx, ax, self.lo.0, self.hi.0, Side::Left, Side::Right);
        let y_inside = limit(dy, ay, self.lo.1, self.hi.1, Side::Top, Side::Bottom);
        if !x_inside || !y_inside || enter.0 > leave.0 {
            Span::Misses
        } else if enter.0 == leave.0 {
            Span::Touches
        } else {
            Span::Through(enter, leave)
        }
    }

    /// The point at parameter `t` along a→b, which lies on `side`, with its position round the
    /// edge and rounded onto the window's edge.
    fn crossing(&self, a: Point, b: Point, (t, side): Crossing) -> (Point, f64) {
        let (ax, ay) = (a.0 as f64, a.1 as f64);
        let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
        let (x, y) = match side {
            Side::Top => (ax + t * dx, self.lo.1),
            Side::Bottom => (ax + t * dx, self.hi.1),
            Side::Left => (self.lo.0, ay + t * dy),
            Side::Right => (self.hi.0, ay + t * dy),
        };
        let along = match side {
            Side::Top => x - self.lo.0,
            Side::Right => self.width + (y - self.lo.1),
            Side::Bottom => self.width + self.height + (self.hi.0 - x),
            Side::Left => 2.0 * self.width + self.height + (self.hi.1 - y),
        };
        let along = along.clamp(0.0, self.perimeter());
        let w = &self.window;
        let snapped = ((x.round() as i64).clamp(w.min.0, w.max.0), (y.round() as i64).clamp(w.min.1, w.max.1));
        (snapped, if along >= self.perimeter() { 0.0 } else { along })
    }

    /// The window's corners with their positions round the edge, in order.
    fn corners(&self) -> [(f64, Point); 4] {
        let w = &self.window;
        [
            (0.0, w.min),
            (self.width, (w.max.0, w.min.1)),
            (self.width + self.height, w.max),
            (2.0 * self.width + self.height, (w.min.0, w.max.1)),
        ]
    }

    /// True when the ring (in global grid units) goes round the window's top-left corner: for a
    /// ring that neither enters the window nor crosses it, whether the window is inside it. The
    /// corner is half a unit off the grid, so no vertex is level with it.
    fn inside_ring(&self, ring: &[Point], origin: Point) -> bool {
        ring_contains(ring, origin, (2 * self.window.min.0 - 1, 2 * self.window.min.1 - 1))
    }
}

/// The buffers of a cut, reused from tile to tile; the result is [`Cutter::pieces`].
#[derive(Default)]
pub struct Cutter {
    chain_points: Vec<Point>,
    chains: Vec<Chain>,
    /// Chain ends round the edge: (position, chain, is the entry).
    ends: Vec<(f64, usize, bool)>,
    next: Vec<usize>,
    joined: Vec<bool>,
    /// Rings made by the cut, and holes kept whole: ranges of `ring_points`.
    ring_points: Vec<Point>,
    exteriors: Vec<Range<usize>>,
    holes: Vec<Range<usize>>,
    suspects: Suspects,
    /// Whether the last cut left the whole window and nothing else.
    covers: bool,
    /// The polygons left in the window.
    pub pieces: Pieces,
}

impl Cutter {
    /// Cuts oriented polygons on the grid to the window (in tile units, after moving `origin` to
    /// (0, 0)) into [`Cutter::pieces`]; `None` when the input is degenerate for this method.
    pub fn cut(&mut self, polygons: &GridPolygons, origin: Point, window: Window) -> Option<()> {
        self.covers = false;
        self.pieces.clear();
        self.chain_points.clear();
        self.chains.clear();
        self.ring_points.clear();
        self.exteriors.clear();
        self.holes.clear();
        let frame = Frame::new(window);
        let global = window.moved(origin);
        let mut around = false;
        let mut cut_any = false;
        for polygon in polygons {
            // A lone polygon is walked at once: the walk also finds one wholly inside or outside,
            // and callers cut only what crosses the window, so its bounds would cost a pass for
            // nothing.
            if polygons.len() > 1 {
                let Some(bounds) = bounds_of(&polygon[0]) else { continue };
                if global.misses(&bounds) {
                    continue;
                }
                if global.contains(&bounds) {
                    self.pieces.extend_moved(std::slice::from_ref(polygon), origin);
                    continue;
                }
            }
            cut_any = true;
            for (k, ring) in polygon.iter().enumerate() {
                match self.walk(ring, origin, &frame)? {
                    Walk::Crossed => {}
                    Walk::Inside => {
                        let start = self.ring_points.len();
                        self.ring_points.extend(ring.iter().map(|&(x, y)| (x - origin.0, y - origin.1)));
                        let kept = start..self.ring_points.len();
                        if k == 0 { self.exteriors.push(kept) } else { self.holes.push(kept) }
                    }
                    Walk::Outside => {
                        if frame.inside_ring(ring, origin) {
                            around = !around;
                        }
                    }
                }
            }
        }
        if !cut_any {
            return Some(());
        }
        if !self.chains.is_empty() {
            self.join(&frame)?;
        } else if around {
            self.covers = self.exteriors.is_empty() && self.holes.is_empty() && self.pieces.is_empty();
            let start = self.ring_points.len();
            self.ring_points.extend(frame.corners().map(|(_, corner)| corner));
            self.exteriors.push(start..self.ring_points.len());
        }
        self.assemble()?;
        // Polygons only moved keep the validity they were made with, but a cut ring has new
        // vertices on the window's edges, which rounding may have brought against another ring.
        self.suspects.simple_in_window(self.pieces.rings(), window).then_some(())
    }

    /// True when the last cut left the whole window and nothing else: no ring enters the window,
    /// and the polygons go round it.
    pub fn covers_window(&self) -> bool {
        self.covers
    }

    /// Walks a ring (in global grid units), adding its chains inside the window.
    fn walk(&mut self, ring: &[Point], origin: Point, frame: &Frame) -> Option<Walk> {
        let moved = |(x, y): Point| (x - origin.0, y - origin.1);
        // Points are classified where they are, against the window moved to them.
        let global = frame.window.moved(origin);
        // Start outside, so that every chain is entered before it is left.
        let Some(start) = ring.iter().position(|&p| global.beyond(p) != 0) else { return Some(Walk::Inside) };
        let before = self.chains.len();
        let mut a = ring[start];
        let mut a_code = global.beyond(a);
        let mut open: Option<(usize, f64)> = None;
        for &b in ring[start + 1..].iter().chain(&ring[..=start]) {
            let b_code = global.beyond(b);
            match (a_code == 0, b_code == 0) {
                (true, true) => self.chain_points.push(moved(b)),
                (false, true) => {
                    let (a, b) = (moved(a), moved(b));
                    let Span::Through(enter, _) = frame.span(a, b) else { return None };
                    let (point, along) = frame.crossing(a, b, enter);
                    open = Some((self.chain_points.len(), along));
                    self.chain_points.push(point);
                    self.chain_points.push(b);
                }
                (true, false) => {
                    let (a, b) = (moved(a), moved(b));
                    let Span::Through(_, leave) = frame.span(a, b) else { return None };
                    let (point, along) = frame.crossing(a, b, leave);
                    let (begin, enter) = open.take()?;
                    self.chain_points.push(point);
                    self.chains.push(Chain { points: begin..self.chain_points.len(), enter, exit: along });
                }
                // Both ends outside: the edge may still cross the window (not when both ends lie
                // beyond the same side).
                (false, false) if a_code & b_code == 0 => match frame.span(moved(a), moved(b)) {
                    Span::Misses => {}
                    Span::Touches => return None,
                    Span::Through(enter, leave) => {
                        let (a, b) = (moved(a), moved(b));
                        let (entry, enter) = frame.crossing(a, b, enter);
                        let (exit, along) = frame.crossing(a, b, leave);
                        let begin = self.chain_points.len();
                        self.chain_points.extend([entry, exit]);
                        self.chains.push(Chain { points: begin..self.chain_points.len(), enter, exit: along });
                    }
                },
                (false, false) => {}
            }
            a = b;
            a_code = b_code;
        }
        Some(if self.chains.len() > before { Walk::Crossed } else { Walk::Outside })
    }

    /// Joins each chain's exit to the next entry round the edge, and closes the rings so made.
    fn join(&mut self, frame: &Frame) -> Option<()> {
        self.ends.clear();
        for (k, chain) in self.chains.iter().enumerate() {
            self.ends.push((chain.enter, k, true));
            self.ends.push((chain.exit, k, false));
        }
        self.ends.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        if self.ends.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        self.next.clear();
        self.next.resize(self.chains.len(), usize::MAX);
        for (i, &(_, k, entry)) in self.ends.iter().enumerate() {
            if entry {
                continue;
            }
            let (_, following, is_entry) = self.ends[if i + 1 == self.ends.len() { 0 } else { i + 1 }];
            if !is_entry {
                return None;
            }
            self.next[k] = following;
        }
        self.joined.clear();
        self.joined.resize(self.chains.len(), false);
        let corners = frame.corners();
        for first in 0..self.chains.len() {
            if self.joined[first] {
                continue;
            }
            let start = self.ring_points.len();
            let mut k = first;
            while !self.joined[k] {
                self.joined[k] = true;
                let chain = &self.chains[k];
                for i in chain.points.clone() {
                    push_new(&mut self.ring_points, start, self.chain_points[i]);
                }
                let next = self.next[k];
                // The corners passed going round from the exit to the entry.
                let (from, to) = (chain.exit, self.chains[next].enter);
                let wraps = to < from;
                let passed = corners
                    .iter()
                    .filter(|c| if wraps { c.0 > from } else { from < c.0 && c.0 < to })
                    .chain(corners.iter().filter(|c| wraps && c.0 < to));
                for &(_, corner) in passed {
                    push_new(&mut self.ring_points, start, corner);
                }
                k = next;
            }
            while self.ring_points.len() > start + 1 && self.ring_points.last() == self.ring_points.get(start) {
                self.ring_points.pop();
            }
            let ring = start..self.ring_points.len();
            match twice_area(&self.ring_points[ring.clone()]).signum() {
                1 => self.exteriors.push(ring),
                // Rounding onto the edge left a sliver without area.
                0 => self.ring_points.truncate(start),
                // Or turned the ring over.
                _ => return None,
            }
        }
        Some(())
    }

    /// Writes each exterior with the holes inside it into [`Cutter::pieces`]; `None` when a hole
    /// has no single exterior around it.
    fn assemble(&mut self) -> Option<()> {
        let mut owners = Vec::new();
        for hole in &self.holes {
            let point = self.ring_points[hole.start];
            let mut around = self.exteriors.iter().enumerate().filter(|(_, e)| {
                self.exteriors.len() == 1
                    || ring_contains(&self.ring_points[(*e).clone()], (0, 0), (2 * point.0, 2 * point.1))
            });
            let (Some((owner, _)), None) = (around.next(), around.next()) else { return None };
            owners.push(owner);
        }
        for (e, exterior) in self.exteriors.iter().enumerate() {
            self.pieces.begin_polygon();
            self.pieces.push_ring(self.ring_points[exterior.clone()].iter().copied());
            for (hole, _) in self.holes.iter().zip(&owners).filter(|(_, owner)| **owner == e) {
                self.pieces.push_ring(self.ring_points[hole.clone()].iter().copied());
            }
        }
        Some(())
    }
}

/// Appends a point to the ring begun at `start` unless it repeats the last one.
fn push_new(points: &mut Vec<Point>, start: usize, p: Point) {
    if points.len() == start || points.last() != Some(&p) {
        points.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Window = Window { min: (0, 0), max: (10, 10) };

    /// Cuts one polygon given as rings, oriented here: the exterior positive, holes negative.
    fn cut(rings: &[&[Point]]) -> Option<GridPolygons> {
        let mut polygon: Vec<Vec<Point>> = rings.iter().map(|r| r.to_vec()).collect();
        for (k, ring) in polygon.iter_mut().enumerate() {
            if (twice_area(ring) > 0) != (k == 0) {
                ring.reverse();
            }
        }
        let mut cutter = Cutter::default();
        cutter.cut(&vec![polygon], (0, 0), WINDOW)?;
        Some(cutter.pieces.to_polygons())
    }

    #[test]
    fn a_ring_across_a_corner_keeps_the_corner() {
        let pieces = cut(&[&[(5, 5), (15, 5), (15, 15), (5, 15)]]).unwrap();
        assert_eq!(pieces, vec![vec![vec![(5, 10), (5, 5), (10, 5), (10, 10)]]]);
    }

    #[test]
    fn only_a_cut_that_leaves_the_whole_window_alone_covers_it() {
        let covers = |rings: &[&[Point]]| {
            let polygon: Vec<Vec<Point>> = rings.iter().map(|r| r.to_vec()).collect();
            let mut cutter = Cutter::default();
            cutter.cut(&vec![polygon], (0, 0), WINDOW).map(|()| cutter.covers_window())
        };
        let around: &[Point] = &[(-5, -5), (15, -5), (15, 15), (-5, 15)];
        assert_eq!(covers(&[around]), Some(true));
        assert_eq!(covers(&[around, &[(2, 2), (2, 8), (8, 8), (8, 2)]]), Some(false), "a hole inside");
        assert_eq!(covers(&[&[(5, 5), (15, 5), (15, 15), (5, 15)]]), Some(false), "across a corner");
        assert_eq!(covers(&[&[(20, 20), (30, 20), (30, 30)]]), Some(false), "outside");
    }

    #[test]
    fn a_ring_around_the_window_becomes_the_window() {
        let pieces = cut(&[&[(-5, -5), (15, -5), (15, 15), (-5, 15)]]).unwrap();
        assert_eq!(pieces, vec![vec![vec![(0, 0), (10, 0), (10, 10), (0, 10)]]]);
    }

    #[test]
    fn a_hole_around_the_window_leaves_nothing_and_one_inside_it_is_kept() {
        let exterior: &[Point] = &[(-20, -20), (30, -20), (30, 30), (-20, 30)];
        assert_eq!(cut(&[exterior, &[(-5, -5), (-5, 15), (15, 15), (15, -5)]]).unwrap(), Vec::<Vec<Vec<Point>>>::new());
        let inside = cut(&[exterior, &[(2, 2), (2, 8), (8, 8), (8, 2)]]).unwrap();
        assert_eq!(inside, vec![vec![vec![(0, 0), (10, 0), (10, 10), (0, 10)], vec![(2, 2), (2, 8), (8, 8), (8, 2)]]]);
    }

    #[test]
    fn an_edge_through_the_window_between_two_outside_points_cuts_it() {
        // A triangle with every vertex outside the window; its long edge, on the line y = x + 5,
        // crosses the window from the left side to the bottom, and the bottom-left corner is inside.
        let pieces = cut(&[&[(-10, -5), (-10, 25), (20, 25)]]).unwrap();
        assert_eq!(pieces.len(), 1);
        let mut ring = pieces[0][0].clone();
        ring.sort();
        // (-0.5, 4.5) and (5.5, 10.5) on the window's lines, rounded onto its edge, and the corner.
        assert_eq!(ring, vec![(0, 5), (0, 10), (6, 10)]);
    }

    #[test]
    fn a_comb_leaving_three_times_becomes_three_rings_with_its_area() {
        // Three teeth hanging from a bar above the window, each reaching 4 units into it.
        let comb: &[Point] =
            &[(0, -5), (9, -5), (9, 4), (7, 4), (7, -2), (5, -2), (5, 4), (3, 4), (3, -2), (1, -2), (1, 4), (0, 4)];
        let pieces = cut(&[comb]).unwrap();
        assert_eq!(pieces.len(), 3);
        let mut areas: Vec<i128> = pieces.iter().map(|p| twice_area(&p[0])).collect();
        areas.sort();
        assert_eq!(areas, vec![2 * 4, 2 * 2 * 4, 2 * 2 * 4]);
    }

    #[test]
    fn a_u_across_the_edge_twice_stays_one_ring() {
        // A U whose arms cross the top edge: the bar and both arms stay joined.
        let u: &[Point] = &[(2, 5), (8, 5), (8, -5), (6, -5), (6, 3), (4, 3), (4, -5), (2, -5)];
        let pieces = cut(&[u]).unwrap();
        assert_eq!(pieces.len(), 1);
        assert_eq!(twice_area(&pieces[0][0]), 2 * (6 * 2 + 2 * 3 + 2 * 3));
    }

    #[test]
    fn a_hole_across_the_edge_opens_the_exterior() {
        let exterior: &[Point] = &[(-5, 0), (5, 0), (5, 10), (-5, 10)];
        let hole: &[Point] = &[(-2, 2), (-2, 8), (2, 8), (2, 2)];
        let pieces = cut(&[exterior, hole]).unwrap();
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].len(), 1);
        assert_eq!(twice_area(&pieces[0][0]), 2 * (5 * 10 - 2 * 6));
    }

    #[test]
    fn a_ring_outside_the_window_leaves_nothing() {
        assert_eq!(cut(&[&[(20, 20), (30, 20), (30, 30)]]).unwrap(), Vec::<Vec<Vec<Point>>>::new());
    }

    #[test]
    fn an_edge_only_touching_a_corner_is_left_to_the_overlay() {
        // The edge from (-3, 2) to (2, -3) passes through (-0.5, -0.5), the window's corner line.
        assert!(cut(&[&[(-3, 2), (2, -3), (-10, -10)]]).is_none());
    }

    #[test]
    fn random_polygons_are_cut_as_the_overlay_cuts_them() {
        use geo::{Coord, LineString, MultiPolygon, Polygon};
        use rand_distr::{Distribution, Uniform};
        use rand_pcg::Pcg64;
        use rand_pcg::rand_core::SeedableRng;

        use crate::tiles::shape::{clip_by_overlay, snap_polygons};

        let window = Window { min: (0, 0), max: (1000, 1000) };
        let mut rng = Pcg64::seed_from_u64(2021);
        let unit = Uniform::new(0.0, 1.0).unwrap();
        // A ring round a centre, its points at jittered even angles and random radii, so that it
        // is simple and holds the disc of 0.7 times its least radius.
        let mut star = |centre: Coord<f64>, radii: (f64, f64), n: usize| -> LineString<f64> {
            (0..n)
                .map(|k| {
                    let angle = (k as f64 + 0.4 * unit.sample(&mut rng)) * std::f64::consts::TAU / n as f64;
                    let r = radii.0 + (radii.1 - radii.0) * unit.sample(&mut rng);
                    Coord { x: centre.x + r * angle.cos(), y: centre.y + r * angle.sin() }
                })
                .collect()
        };
        let mut cutter = Cutter::default();
        let (mut cuts, mut declined, mut crossing) = (0, 0, 0);
        for case in 0..3000 {
            let centre = Coord {
                x: -300.0 + 1600.0 * (case % 41) as f64 / 40.0,
                y: -300.0 + 1600.0 * (case % 37) as f64 / 36.0,
            };
            let least = 60.0 + (case % 13) as f64 * 60.0;
            let exterior = star(centre, (least, least * 1.8), 6 + case % 35);
            let holes =
                if case % 2 == 0 { vec![star(centre, (least * 0.1, least * 0.6), 5 + case % 9)] } else { vec![] };
            let Some(grid) = snap_polygons(&MultiPolygon(vec![Polygon::new(exterior, holes)])).map(|s| s.polygons)
            else {
                continue;
            };
            let expected: f64 = clip_by_overlay(&grid, (0, 0), window)
                .map_or(0.0, |p| p.iter().flatten().map(|r| twice_area(r) as f64 / 2.0).sum());
            if cutter.cut(&grid, (0, 0), window).is_none() {
                declined += 1;
                continue;
            }
            cuts += 1;
            crossing += usize::from(!cutter.chains.is_empty());
            assert!(cutter.pieces.is_valid_in(window), "case {case}: {:?}", cutter.pieces.to_polygons());
            // The cut runs half a unit outside the window, the overlay on its edge.
            let got: f64 = cutter.pieces.rings().map(|r| twice_area(r) as f64 / 2.0).sum();
            assert!((got - expected).abs() <= 0.5 * 4.0 * 1001.0, "case {case}: {got} against {expected}");
        }
        assert!(cuts > 2500 && crossing > 2000, "{cuts} cuts, {crossing} across the window's edge");
        assert!(declined * 100 <= cuts, "{declined} of {cuts} cuts left to the overlay");
    }
}
