//! The plane of a zoom's integer tile grid: points, windows (axis-aligned rectangles, edges
//! included), and exact ring arithmetic on them: the surveyor's formula for signed area and the
//! even–odd crossing test for containment, both in integers so that no tolerance is needed.
//!
//! The snapping, cutting and simplicity modules all work on these types, so imports run one way:
//! `plane` ← `simple` ← `clip` ← `shape` ← `layer`.

use geo::{Rect, coord};

/// A point of the tile grid.
pub type Point = (i64, i64);

/// Polygons on an integer grid: each polygon is its exterior ring then its holes, each ring open
/// (no repeated last point).
pub type GridPolygons = Vec<Vec<Vec<Point>>>;

/// A rectangle of the grid, edges included.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Smallest x and y inside.
    pub min: Point,
    /// Largest x and y inside.
    pub max: Point,
}

impl Window {
    /// True when the bounds lie within the window.
    pub fn contains(&self, bounds: &Window) -> bool {
        self.min.0 <= bounds.min.0
            && self.min.1 <= bounds.min.1
            && bounds.max.0 <= self.max.0
            && bounds.max.1 <= self.max.1
    }

    /// True when the point lies in the window.
    pub fn holds(&self, (x, y): Point) -> bool {
        self.min.0 <= x && x <= self.max.0 && self.min.1 <= y && y <= self.max.1
    }

    /// True when the bounds lie wholly outside the window.
    pub fn misses(&self, bounds: &Window) -> bool {
        bounds.max.0 < self.min.0 || bounds.max.1 < self.min.1 || self.max.0 < bounds.min.0 || self.max.1 < bounds.min.1
    }

    pub(super) fn rect(&self) -> Rect<f64> {
        Rect::new(
            coord! { x: self.min.0 as f64, y: self.min.1 as f64 },
            coord! { x: self.max.0 as f64, y: self.max.1 as f64 },
        )
    }

    /// Which sides of the window a grid point is beyond (0 inside). The frame's lines are off
    /// the grid, so no point is on them.
    pub(super) fn beyond(&self, (x, y): Point) -> u8 {
        u8::from(x < self.min.0)
            | u8::from(x > self.max.0) << 1
            | u8::from(y < self.min.1) << 2
            | u8::from(y > self.max.1) << 3
    }

    /// The window shifted by `by`.
    pub fn moved(&self, by: Point) -> Window {
        Window { min: (self.min.0 + by.0, self.min.1 + by.1), max: (self.max.0 + by.0, self.max.1 + by.1) }
    }
}

/// The bounds of some points; `None` when there are none.
pub fn bounds_of<'a>(points: impl IntoIterator<Item = &'a Point>) -> Option<Window> {
    let mut points = points.into_iter();
    let &first = points.next()?;
    Some(points.fold(Window { min: first, max: first }, |w, &(x, y)| Window {
        min: (w.min.0.min(x), w.min.1.min(y)),
        max: (w.max.0.max(x), w.max.1.max(y)),
    }))
}

/// Twice the signed area (surveyor's formula), exact on the integer grid.
pub fn twice_area(ring: &[Point]) -> i128 {
    let Some(&last) = ring.last() else { return 0 };
    let mut a = last;
    let mut sum = 0;
    for &b in ring {
        sum += i128::from(a.0) * i128::from(b.1) - i128::from(b.0) * i128::from(a.1);
        a = b;
    }
    sum
}

/// Even–odd test, exact: whether the ring, moved so that `origin` becomes (0, 0), goes round the
/// point whose coordinates doubled are `twice` (so that points half a unit off the grid can be
/// asked about). A point on the ring may go either way.
pub fn ring_contains(ring: &[Point], origin: Point, twice: Point) -> bool {
    let (cx, cy) = twice;
    let mut inside = false;
    let Some(&last) = ring.last() else { return false };
    let mut a = last;
    for &b in ring {
        let (ax, ay) = (2 * (a.0 - origin.0), 2 * (a.1 - origin.1));
        let (bx, by) = (2 * (b.0 - origin.0), 2 * (b.1 - origin.1));
        if (ay > cy) != (by > cy) {
            // The edge crosses the line y = cy to the right of the point when
            // ax + (cy - ay)(bx - ax)/(by - ay) > cx.
            let lhs = i128::from(ax - cx) * i128::from(by - ay) + i128::from(cy - ay) * i128::from(bx - ax);
            if (lhs > 0) == (by > ay) {
                inside = !inside;
            }
        }
        a = b;
    }
    inside
}
