//! A layer of polygon features prepared once for tiling at any zoom.
//!
//! Preparing means: project every geometry to world coordinates once (so a tile needs no
//! trigonometry), index the boxes, and simplify each feature for a zoom the first time a tile at
//! that zoom needs it, keeping the result. Tiles themselves are not kept here: that is the
//! cache's job, and a tile is still cut, snapped, checked and encoded on every request.

use std::sync::OnceLock;

use geo::{
    Area, BoundingRect, Coord, CoordsIter, Intersects, MapCoords, MultiPolygon, Point, Rect, SimplifyVwPreserve,
};

use super::grid::{BUFFER, EXTENT, TileId, world};
use super::shape::{TileRings, tile_polygons};
use crate::atlas::spatial::BoxIndex;

/// Zooms from which geometry is not simplified: from zoom 14 a tile unit is under a metre, finer
/// than the 5-decimal source coordinates, so simplifying would remove nothing and only cost time.
pub const SIMPLIFY_BELOW_ZOOM: u8 = 14;

/// Area (in squared extent units) below which a simplification step may drop a vertex: a quarter
/// of a unit square, invisible at any display size.
const SIMPLIFY_AREA: f64 = 0.25;

/// Features smaller than this (in squared extent units) at a zoom are left out of its tiles: one
/// pixel of a tile drawn 512 pixels wide. Only low zooms of a national layer ever meet it.
const MIN_FEATURE_AREA: f64 = 64.0;

/// One property value of a feature.
#[derive(Debug, Clone)]
pub enum TagValue {
    /// A string property.
    Text(String),
    /// A numeric property.
    Number(f64),
}

/// A feature ready for tiling.
pub struct LayerFeature {
    /// The feature id written to the tile.
    pub id: u64,
    /// Properties, in order.
    pub tags: Vec<(String, TagValue)>,
    /// Geometry in world coordinates.
    geometry: MultiPolygon<f64>,
    /// Area in world units squared.
    area: f64,
    /// The geometry simplified for each zoom below [`SIMPLIFY_BELOW_ZOOM`], in that zoom's global
    /// extent units (world × extent × 2^zoom), made when first needed.
    levels: [OnceLock<MultiPolygon<f64>>; SIMPLIFY_BELOW_ZOOM as usize],
}

/// A named layer of features with a box index over their world geometry.
pub struct FeatureLayer {
    name: String,
    features: Vec<LayerFeature>,
    index: BoxIndex,
}

impl FeatureLayer {
    /// Prepares features given as (id, WGS84 geometry, properties).
    pub fn new<'a>(
        name: &str,
        features: impl IntoIterator<Item = (u64, &'a MultiPolygon<f64>, Vec<(String, TagValue)>)>,
    ) -> FeatureLayer {
        let features: Vec<LayerFeature> = features
            .into_iter()
            .map(|(id, geometry, tags)| {
                let geometry = geometry.map_coords(world);
                let area = geometry.unsigned_area();
                LayerFeature { id, tags, geometry, area, levels: Default::default() }
            })
            .collect();
        let index = BoxIndex::build(features.iter().map(|f| &f.geometry));
        FeatureLayer { name: name.to_owned(), features, index }
    }

    /// The layer name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The features, in the order given.
    pub fn features(&self) -> &[LayerFeature] {
        &self.features
    }

    /// Features whose geometry meets the tile itself (edges included; the buffer does not count),
    /// in layer order.
    pub fn in_tile(&self, tile: TileId) -> Vec<usize> {
        let rect = tile.world_bounds(0);
        let mut found: Vec<usize> =
            self.index.in_rect(rect).filter(|&i| meets(&self.features[i].geometry, rect)).collect();
        found.sort_unstable();
        found
    }

    /// The feature's polygons in tile units, clipped to the buffered tile and simplified for the
    /// zoom; `None` when the feature is below a pixel at this zoom or nothing of area is left.
    pub fn rings(&self, i: usize, tile: TileId) -> Option<TileRings> {
        let feature = &self.features[i];
        let scale = f64::from(EXTENT) * tile.tiles_per_side();
        if feature.area * scale * scale < MIN_FEATURE_AREA {
            return None;
        }
        let origin = Coord { x: f64::from(tile.x) * f64::from(EXTENT), y: f64::from(tile.y) * f64::from(EXTENT) };
        let in_tile = match feature.levels.get(usize::from(tile.z)) {
            Some(level) => {
                let simplified = level.get_or_init(|| {
                    feature
                        .geometry
                        .map_coords(|c| Coord { x: c.x * scale, y: c.y * scale })
                        .simplify_vw_preserve(SIMPLIFY_AREA)
                });
                simplified.map_coords(|c| c - origin)
            }
            None => feature.geometry.map_coords(|c| tile.from_world(c, f64::from(EXTENT))),
        };
        tile_polygons(&in_tile, f64::from(BUFFER))
    }
}

/// True when the geometry meets the closed rectangle: a vertex inside it, an edge across it, or
/// the rectangle inside the geometry.
fn meets(geometry: &MultiPolygon<f64>, rect: Rect<f64>) -> bool {
    let Some(bounds) = geometry.bounding_rect() else { return false };
    if !rect.intersects(&bounds) {
        return false;
    }
    let contains =
        |c: Coord<f64>| rect.min().x <= c.x && c.x <= rect.max().x && rect.min().y <= c.y && c.y <= rect.max().y;
    if contains(bounds.min()) && contains(bounds.max()) || geometry.coords_iter().any(contains) {
        return true;
    }
    let crosses = geometry
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .any(|ring| ring.lines().any(|line| segment_meets(line.start, line.end, rect)));
    crosses || geometry.intersects(&Point(rect.min()))
}

/// Liang–Barsky: does the segment a–b meet the closed rectangle?
fn segment_meets(a: Coord<f64>, b: Coord<f64>, rect: Rect<f64>) -> bool {
    let d = b - a;
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in
        [(-d.x, a.x - rect.min().x), (d.x, rect.max().x - a.x), (-d.y, a.y - rect.min().y), (d.y, rect.max().y - a.y)]
    {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use geo::{coord, polygon};

    use super::*;

    fn unit() -> Rect<f64> {
        Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 1.0 })
    }

    #[test]
    fn a_segment_across_a_corner_meets_the_rectangle() {
        assert!(segment_meets(coord! { x: -0.5, y: 0.5 }, coord! { x: 0.5, y: -0.5 }, unit()));
        assert!(!segment_meets(coord! { x: -0.6, y: 0.5 }, coord! { x: 0.4, y: -0.6 }, unit()));
        assert!(segment_meets(coord! { x: 1.0, y: 2.0 }, coord! { x: 1.0, y: -1.0 }, unit()));
    }

    #[test]
    fn a_polygon_around_the_rectangle_meets_it_and_a_ring_around_a_hole_does_not() {
        let around =
            MultiPolygon(vec![polygon![(x: -5.0, y: -5.0), (x: 5.0, y: -5.0), (x: 5.0, y: 5.0), (x: -5.0, y: 5.0)]]);
        assert!(meets(&around, unit()));
        let with_hole = MultiPolygon(vec![polygon!(
            exterior: [(x: -5.0, y: -5.0), (x: 5.0, y: -5.0), (x: 5.0, y: 5.0), (x: -5.0, y: 5.0)],
            interiors: [[(x: -2.0, y: -2.0), (x: -2.0, y: 2.0), (x: 2.0, y: 2.0), (x: 2.0, y: -2.0)]],
        )]);
        assert!(!meets(&with_hole, unit()));
    }
}
