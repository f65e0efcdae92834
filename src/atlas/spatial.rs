//! An R-tree of bounding boxes over a list of areas: the first, cheap step of every spatial query.

use geo::{BoundingRect, MultiPolygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Bounding boxes of areas, indexed by their position in the caller's list.
pub struct BoxIndex {
    tree: RTree<Entry>,
}

impl BoxIndex {
    /// Bulk-loads the boxes of the geometries; position `i` in the iterator is data `i`.
    pub fn build<'a>(geometries: impl Iterator<Item = &'a MultiPolygon<f64>>) -> BoxIndex {
        let entries = geometries
            .enumerate()
            .filter_map(|(i, g)| {
                let rect = g.bounding_rect()?;
                Some(GeomWithData::new(Rectangle::from_corners(corner(rect.min()), corner(rect.max())), i))
            })
            .collect();
        BoxIndex { tree: RTree::bulk_load(entries) }
    }

    /// Areas whose box contains the point.
    pub fn at_point(&self, x: f64, y: f64) -> impl Iterator<Item = usize> + '_ {
        self.tree.locate_all_at_point(&[x, y]).map(|e| e.data)
    }

    /// Areas whose box intersects the rectangle.
    pub fn in_rect(&self, rect: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        let envelope = AABB::from_corners(corner(rect.min()), corner(rect.max()));
        self.tree.locate_in_envelope_intersecting(&envelope).map(|e| e.data)
    }

    /// Number of indexed areas.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn corner(c: geo::Coord<f64>) -> [f64; 2] {
    [c.x, c.y]
}
