//! The Web Mercator XYZ tile grid.

use std::f64::consts::PI;

use geo::{Coord, Rect, coord};

/// Deepest zoom served; beyond 16 tiles over-zoom by clipping the same boundaries.
pub const MAX_ZOOM: u8 = 22;
/// Deepest zoom that carries its own level of detail (TileJSON `maxzoom`).
pub const DETAIL_MAX_ZOOM: u8 = 16;
/// Tile coordinate extent (MVT).
pub const EXTENT: u32 = 4096;
/// Buffer around a tile, in extent units, so strokes do not break at tile edges.
pub const BUFFER: u32 = 64;

/// A tile address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    /// Zoom level.
    pub z: u8,
    /// Column, 0 at 180° W.
    pub x: u32,
    /// Row, 0 at the north edge.
    pub y: u32,
}

impl TileId {
    /// A tile address, checked against the grid.
    pub fn new(z: u32, x: u32, y: u32) -> Result<TileId, String> {
        if z > u32::from(MAX_ZOOM) {
            return Err(format!("zoom {z} is beyond the deepest zoom {MAX_ZOOM}"));
        }
        let n = 1u64 << z;
        if u64::from(x) >= n || u64::from(y) >= n {
            return Err(format!("tile {x}/{y} is outside zoom {z}, whose columns and rows run 0 to {}", n - 1));
        }
        Ok(TileId { z: z as u8, x, y })
    }

    /// The tile holding a WGS84 point at a zoom (the east and south edges belong to the next
    /// tile, the world's last column and row excepted).
    pub fn containing(z: u8, point: Coord<f64>) -> Result<TileId, String> {
        let n = (1u64 << z.min(MAX_ZOOM)) as f64;
        let c = world(point);
        let along = |v: f64| (v * n).floor().clamp(0.0, n - 1.0) as u32;
        TileId::new(u32::from(z), along(c.x), along(c.y))
    }

    /// Tiles per side at this zoom.
    pub fn tiles_per_side(self) -> f64 {
        (1u64 << self.z) as f64
    }

    /// The tile's bounds in WGS84 degrees.
    pub fn bounds(self) -> Rect<f64> {
        let n = self.tiles_per_side();
        let lon = |x: f64| x / n * 360.0 - 180.0;
        let lat = |y: f64| (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
        let (x, y) = (f64::from(self.x), f64::from(self.y));
        Rect::new(coord! { x: lon(x), y: lat(y + 1.0) }, coord! { x: lon(x + 1.0), y: lat(y) })
    }

    /// The bounds grown by `units` of the tile extent on every side, in degrees.
    pub fn buffered_bounds(self, units: u32) -> Rect<f64> {
        let margin = f64::from(units) / f64::from(EXTENT);
        let n = self.tiles_per_side();
        let lon = |x: f64| x / n * 360.0 - 180.0;
        let lat = |y: f64| (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
        let (x, y) = (f64::from(self.x), f64::from(self.y));
        Rect::new(
            coord! { x: lon(x - margin), y: lat(y + 1.0 + margin) },
            coord! { x: lon(x + 1.0 + margin), y: lat(y - margin) },
        )
    }

    /// Projects a WGS84 coordinate into this tile's pixel space scaled to `extent` (y down).
    pub fn project(self, c: Coord<f64>, extent: f64) -> Coord<f64> {
        self.from_world(world(c), extent)
    }

    /// Places a world coordinate (see [`world`]) in this tile's pixel space scaled to `extent`.
    pub fn from_world(self, c: Coord<f64>, extent: f64) -> Coord<f64> {
        let n = self.tiles_per_side();
        coord! { x: (c.x * n - f64::from(self.x)) * extent, y: (c.y * n - f64::from(self.y)) * extent }
    }

    /// The tile's square in world coordinates, grown by `units` of the extent on every side.
    pub fn world_bounds(self, units: u32) -> Rect<f64> {
        let n = self.tiles_per_side();
        let margin = f64::from(units) / f64::from(EXTENT);
        let (x, y) = (f64::from(self.x), f64::from(self.y));
        Rect::new(
            coord! { x: (x - margin) / n, y: (y - margin) / n },
            coord! { x: (x + 1.0 + margin) / n, y: (y + 1.0 + margin) / n },
        )
    }
}

/// Web Mercator "world" coordinates of a WGS84 point: the whole map is the unit square, x east
/// from 180° W and y south from 85.05° N. A tile at zoom z is then a square of side 2^-z, so
/// placing a point in a tile is a multiply and a subtract: the trigonometry happens once.
pub fn world(c: Coord<f64>) -> Coord<f64> {
    let lat = c.y.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    coord! { x: (c.x + 180.0) / 360.0, y: (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_tiles_are_refused() {
        assert!(TileId::new(23, 0, 0).is_err());
        assert!(TileId::new(2, 4, 0).is_err());
        assert!(TileId::new(0, 0, 0).is_ok());
    }

    #[test]
    fn the_tile_containing_a_point_is_found_at_every_zoom() {
        let coventry = coord! { x: -1.5197, y: 52.4068 };
        assert_eq!(TileId::containing(0, coventry), TileId::new(0, 0, 0));
        assert_eq!(TileId::containing(12, coventry), TileId::new(12, 2030, 1345));
        assert_eq!(TileId::containing(6, coord! { x: 180.0, y: -90.0 }), TileId::new(6, 63, 63));
        assert!(TileId::containing(23, coventry).is_err());
        for z in 0..=16 {
            let tile = TileId::containing(z, coventry).unwrap();
            let b = tile.bounds();
            assert!(
                b.min().x <= coventry.x && coventry.x < b.max().x && b.min().y < coventry.y && coventry.y <= b.max().y
            );
        }
    }

    #[test]
    fn a_tile_corner_projects_to_the_extent_corners() {
        let tile = TileId::new(12, 2030, 1340).unwrap();
        let b = tile.bounds();
        let top_left = tile.project(coord! { x: b.min().x, y: b.max().y }, 4096.0);
        let bottom_right = tile.project(coord! { x: b.max().x, y: b.min().y }, 4096.0);
        assert!(top_left.x.abs() < 1e-6 && top_left.y.abs() < 1e-6, "{top_left:?}");
        assert!((bottom_right.x - 4096.0).abs() < 1e-6 && (bottom_right.y - 4096.0).abs() < 1e-6, "{bottom_right:?}");
    }
}
