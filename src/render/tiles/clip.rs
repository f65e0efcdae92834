//! Clipping a ring to an axis-aligned rectangle (Sutherland–Hodgman), the fast path of tiling.
//!
//! Sutherland–Hodgman against a convex window returns one ring. When the input leaves the window
//! more than once, that ring can run out and back along the window edge (zero-width corridors),
//! which is not a valid polygon. So the caller uses it only for rings that leave the window at
//! most once, where the result is exactly the intersection, and falls back to a full overlay
//! otherwise.

use geo::{Coord, Rect};

/// A ring clipped to a rectangle.
pub struct Clipped {
    /// The clipped ring, open (no repeated last point); empty when nothing is inside.
    pub ring: Vec<Coord<f64>>,
    /// How many times the original ring went from inside the rectangle to outside it.
    pub exits: usize,
}

/// Clips an open ring to the rectangle.
///
/// ```
/// use geo::{Rect, coord};
/// use locality_atlas::render::tiles::clip::clip_ring;
/// let square = [coord! { x: -1.0, y: -1.0 }, coord! { x: 1.0, y: -1.0 }, coord! { x: 1.0, y: 1.0 }, coord! { x: -1.0, y: 1.0 }];
/// let clipped = clip_ring(&square, Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 2.0, y: 2.0 }));
/// assert_eq!(clipped.exits, 1);
/// assert_eq!(clipped.ring.len(), 4);
/// ```
pub fn clip_ring(ring: &[Coord<f64>], rect: Rect<f64>) -> Clipped {
    let inside =
        |c: &Coord<f64>| rect.min().x <= c.x && c.x <= rect.max().x && rect.min().y <= c.y && c.y <= rect.max().y;
    let exits = (0..ring.len()).filter(|&i| inside(&ring[i]) && !inside(&ring[(i + 1) % ring.len()])).count();
    let mut points = ring.to_vec();
    for edge in
        [Edge::Left(rect.min().x), Edge::Right(rect.max().x), Edge::Top(rect.min().y), Edge::Bottom(rect.max().y)]
    {
        points = clip_to(&points, edge);
        if points.is_empty() {
            break;
        }
    }
    Clipped { ring: points, exits }
}

/// One side of the window: points on the named side of the line are kept.
#[derive(Clone, Copy)]
enum Edge {
    Left(f64),
    Right(f64),
    Top(f64),
    Bottom(f64),
}

impl Edge {
    fn keeps(self, c: Coord<f64>) -> bool {
        match self {
            Edge::Left(x) => c.x >= x,
            Edge::Right(x) => c.x <= x,
            Edge::Top(y) => c.y >= y,
            Edge::Bottom(y) => c.y <= y,
        }
    }

    /// Where the segment a–b crosses the edge's line; only called when it does.
    fn crossing(self, a: Coord<f64>, b: Coord<f64>) -> Coord<f64> {
        match self {
            Edge::Left(x) | Edge::Right(x) => {
                let t = (x - a.x) / (b.x - a.x);
                Coord { x, y: a.y + t * (b.y - a.y) }
            }
            Edge::Top(y) | Edge::Bottom(y) => {
                let t = (y - a.y) / (b.y - a.y);
                Coord { x: a.x + t * (b.x - a.x), y }
            }
        }
    }
}

fn clip_to(ring: &[Coord<f64>], edge: Edge) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(ring.len() + 4);
    let Some(&last) = ring.last() else { return out };
    let mut previous = last;
    for &current in ring {
        match (edge.keeps(previous), edge.keeps(current)) {
            (true, true) => out.push(current),
            (true, false) => out.push(edge.crossing(previous, current)),
            (false, true) => {
                out.push(edge.crossing(previous, current));
                out.push(current);
            }
            (false, false) => {}
        }
        previous = current;
    }
    out
}

#[cfg(test)]
mod tests {
    use geo::coord;

    use super::*;

    fn window() -> Rect<f64> {
        Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 10.0, y: 10.0 })
    }

    fn area(ring: &[Coord<f64>]) -> f64 {
        (0..ring.len())
            .map(|i| ring[i].x * ring[(i + 1) % ring.len()].y - ring[(i + 1) % ring.len()].x * ring[i].y)
            .sum::<f64>()
            / 2.0
    }

    #[test]
    fn a_ring_across_a_corner_keeps_the_corner() {
        let ring = [
            coord! { x: 5.0, y: 5.0 },
            coord! { x: 15.0, y: 5.0 },
            coord! { x: 15.0, y: 15.0 },
            coord! { x: 5.0, y: 15.0 },
        ];
        let clipped = clip_ring(&ring, window());
        assert_eq!(clipped.exits, 1);
        assert!((area(&clipped.ring).abs() - 25.0).abs() < 1e-12);
        assert!(clipped.ring.contains(&coord! { x: 10.0, y: 10.0 }));
    }

    #[test]
    fn a_ring_around_the_window_becomes_the_window() {
        let ring = [
            coord! { x: -5.0, y: -5.0 },
            coord! { x: 15.0, y: -5.0 },
            coord! { x: 15.0, y: 15.0 },
            coord! { x: -5.0, y: 15.0 },
        ];
        let clipped = clip_ring(&ring, window());
        assert_eq!(clipped.exits, 0);
        assert!((area(&clipped.ring).abs() - 100.0).abs() < 1e-12);
    }

    #[test]
    fn a_u_shape_leaving_twice_is_counted() {
        // A U whose two arms cross the top of the window.
        let ring = [
            coord! { x: 2.0, y: 5.0 },
            coord! { x: 8.0, y: 5.0 },
            coord! { x: 8.0, y: -5.0 },
            coord! { x: 6.0, y: -5.0 },
            coord! { x: 6.0, y: 3.0 },
            coord! { x: 4.0, y: 3.0 },
            coord! { x: 4.0, y: -5.0 },
            coord! { x: 2.0, y: -5.0 },
        ];
        assert_eq!(clip_ring(&ring, window()).exits, 2);
    }

    #[test]
    fn a_ring_outside_the_window_leaves_nothing_of_area() {
        let ring = [coord! { x: 20.0, y: 20.0 }, coord! { x: 30.0, y: 20.0 }, coord! { x: 30.0, y: 30.0 }];
        let clipped = clip_ring(&ring, window());
        assert_eq!(clipped.exits, 0);
        assert!(area(&clipped.ring).abs() < 1e-12);
    }
}
