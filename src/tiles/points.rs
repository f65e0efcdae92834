//! A layer of point features (GP practices) for the vector tiles.
//!
//! Each point is projected to world coordinates once, and its property values encoded once. A tile
//! from the layer's first zoom on writes the points that lie in it or its buffer as MVT `POINT`
//! features: one MoveTo of one point each, relative to the tile's corner; keys and values are
//! numbered afresh per tile, each written once. The points are also kept in order of their world x, so
//! a tile looks only at those in its band of x (England's atlas labels thousands of wards).

use std::collections::HashMap;

use geo::{Coord, Point};

use super::grid::{BUFFER, EXTENT, TileId, world};
use super::protobuf::{self as pb, zigzag};
use super::tags::{TagValue, key_entry, value_entry};

/// A point ready for tiling.
struct PointFeature {
    id: u64,
    /// Position in world coordinates (see [`world`]).
    world: Coord<f64>,
    /// (key number, encoded `Layer.values` entry).
    tags: Vec<(u32, Vec<u8>)>,
}

/// A named layer of points shown from a zoom on.
pub struct PointLayer {
    name: String,
    min_zoom: u8,
    /// Each distinct key, encoded as a `Layer.keys` entry, in order of first use.
    keys: Vec<Vec<u8>>,
    features: Vec<PointFeature>,
    /// Positions in `features`, in order of world x.
    by_x: Vec<usize>,
}

/// The command integer of a MoveTo of one point.
const MOVE_TO_ONE: u64 = 1 | (1 << 3);

impl PointLayer {
    /// Prepares points given as (id, WGS84 point, properties), written in tiles of zoom `min_zoom`
    /// and deeper.
    pub fn new(
        name: &str,
        min_zoom: u8,
        points: impl IntoIterator<Item = (u64, Point<f64>, Vec<(String, TagValue)>)>,
    ) -> PointLayer {
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let features = points
            .into_iter()
            .map(|(id, point, properties)| {
                let tags = properties
                    .into_iter()
                    .map(|(key, value)| {
                        let entry = key_entry(&key);
                        let number = keys.iter().position(|k| *k == entry).unwrap_or_else(|| {
                            keys.push(entry);
                            keys.len() - 1
                        });
                        (number as u32, value_entry(value))
                    })
                    .collect();
                PointFeature { id, world: world(point.0), tags }
            })
            .collect::<Vec<PointFeature>>();
        let mut by_x: Vec<usize> = (0..features.len()).collect();
        by_x.sort_by(|&a, &b| features[a].world.x.total_cmp(&features[b].world.x));
        PointLayer { name: name.to_owned(), min_zoom, keys, features, by_x }
    }

    /// Writes the points in the tile or its buffer as a `Tile.layers` entry; `false` (and nothing
    /// written) below the layer's first zoom or when no point is there.
    pub fn write_layer(&self, tile: TileId, out: &mut Vec<u8>) -> bool {
        if tile.z < self.min_zoom {
            return false;
        }
        let window = tile.world_bounds(BUFFER);
        let x = |i: &usize| self.features[*i].world.x;
        let band =
            self.by_x.partition_point(|i| x(i) < window.min().x)..self.by_x.partition_point(|i| x(i) <= window.max().x);
        let mut found: Vec<usize> = self.by_x[band]
            .iter()
            .copied()
            .filter(|&i| (window.min().y..=window.max().y).contains(&self.features[i].world.y))
            .collect();
        if found.is_empty() {
            return false;
        }
        // In the layer's order, as a scan of the whole list would find them.
        found.sort_unstable();
        let inside = found.iter().map(|&i| &self.features[i]);
        let mut layer = Vec::new();
        pb::varint_field(pb::LAYER_VERSION, 2, &mut layer);
        pb::bytes_field(pb::LAYER_NAME, self.name.as_bytes(), &mut layer);
        let mut values: Vec<&[u8]> = Vec::new();
        let mut numbers: HashMap<&[u8], u64> = HashMap::new();
        let (mut feature, mut tags, mut geometry) = (Vec::new(), Vec::new(), Vec::new());
        for point in inside {
            tags.clear();
            for (key, value) in &point.tags {
                let number = *numbers.entry(value.as_slice()).or_insert_with(|| {
                    values.push(value.as_slice());
                    values.len() as u64 - 1
                });
                pb::varint(u64::from(*key), &mut tags);
                pb::varint(number, &mut tags);
            }
            let at = tile.from_world(point.world, f64::from(EXTENT));
            geometry.clear();
            pb::varint(MOVE_TO_ONE, &mut geometry);
            pb::varint(zigzag(at.x.round() as i64), &mut geometry);
            pb::varint(zigzag(at.y.round() as i64), &mut geometry);
            feature.clear();
            pb::varint_field(pb::FEATURE_ID, point.id, &mut feature);
            pb::bytes_field(pb::FEATURE_TAGS, &tags, &mut feature);
            pb::varint_field(pb::FEATURE_TYPE, pb::POINT, &mut feature);
            pb::bytes_field(pb::FEATURE_GEOMETRY, &geometry, &mut feature);
            pb::bytes_field(pb::LAYER_FEATURES, &feature, &mut layer);
        }
        for key in &self.keys {
            layer.extend_from_slice(key);
        }
        for value in values {
            layer.extend_from_slice(value);
        }
        pb::varint_field(pb::LAYER_EXTENT, u64::from(EXTENT), &mut layer);
        pb::bytes_field(pb::TILE_LAYERS, &layer, out);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;
    use mvt_reader::Reader;
    use mvt_reader::feature::Value;

    fn layer() -> PointLayer {
        let text = |t: &str| TagValue::Text(t.to_owned());
        let tags =
            |code: &str, status: &str| vec![("code".to_owned(), text(code)), ("status".to_owned(), text(status))];
        PointLayer::new(
            "gp_practices",
            11,
            [
                (1, Point::new(-1.5124, 52.4081), tags("A", "open")),
                (2, Point::new(-1.5101, 52.4066), tags("B", "closed")),
                (3, Point::new(-1.4600, 52.3877), tags("C", "open")),
            ],
        )
    }

    #[test]
    fn points_in_the_tile_come_back_as_mvt_points_with_their_properties() {
        let tile = TileId::containing(14, coord! { x: -1.512, y: 52.408 }).unwrap();
        let mut bytes = Vec::new();
        assert!(layer().write_layer(tile, &mut bytes));
        let reader = Reader::new(bytes).unwrap();
        assert_eq!(reader.get_layer_names().unwrap(), ["gp_practices"]);
        let features = reader.get_features(0).unwrap();
        assert_eq!(features.len(), 2, "C is kilometres away");
        for (feature, (id, code, status, lon, lat)) in
            features.iter().zip([(1, "A", "open", -1.5124, 52.4081), (2, "B", "closed", -1.5101, 52.4066)])
        {
            assert_eq!(feature.id, Some(id));
            let properties = feature.properties.as_ref().unwrap();
            assert_eq!(properties["code"], Value::String(code.into()));
            assert_eq!(properties["status"], Value::String(status.into()));
            let geo::Geometry::MultiPoint(points) = &feature.geometry else {
                panic!("{:?} is not a point", feature.geometry)
            };
            let expected = tile.project(coord! { x: lon, y: lat }, 4096.0);
            let got = points.0[0];
            assert!((f64::from(got.x()) - expected.x).abs() <= 0.5, "{got:?} against {expected:?}");
            assert!((f64::from(got.y()) - expected.y).abs() <= 0.5, "{got:?} against {expected:?}");
        }
    }

    #[test]
    fn no_points_are_written_below_the_first_zoom_or_away_from_them() {
        let city = coord! { x: -1.512, y: 52.408 };
        let mut bytes = Vec::new();
        assert!(!layer().write_layer(TileId::containing(10, city).unwrap(), &mut bytes));
        assert!(layer().write_layer(TileId::containing(11, city).unwrap(), &mut bytes));
        let mut far = Vec::new();
        assert!(!layer().write_layer(TileId::containing(14, coord! { x: 0.0, y: 51.5 }).unwrap(), &mut far));
        assert!(far.is_empty());
    }

    #[test]
    fn a_tile_finds_the_points_a_scan_of_the_whole_list_finds_in_the_layers_order() {
        // A 40 × 40 grid over Coventry, listed from east to west, so that layer order and x order differ.
        let at = |i: u64| Point::new(-1.40 - (i % 40) as f64 * 0.005, 52.35 + (i / 40) as f64 * 0.003);
        let points = PointLayer::new("p", 11, (0..1600).map(|i| (i, at(i), Vec::new())));
        let mut largest = 0;
        for z in [11, 13, 15] {
            let centre = TileId::containing(z, coord! { x: -1.5, y: 52.41 }).unwrap();
            for tile in [centre, TileId::new(u32::from(z), centre.x + 1, centre.y + 1).unwrap()] {
                let window = tile.world_bounds(BUFFER);
                let scanned: Vec<u64> = (0..1600)
                    .filter(|&i| {
                        let c = world(at(i).0);
                        window.min().x <= c.x && c.x <= window.max().x && window.min().y <= c.y && c.y <= window.max().y
                    })
                    .collect();
                let mut bytes = Vec::new();
                assert_eq!(points.write_layer(tile, &mut bytes), !scanned.is_empty());
                let found: Vec<u64> = match scanned.is_empty() {
                    true => Vec::new(),
                    false => {
                        Reader::new(bytes).unwrap().get_features(0).unwrap().iter().map(|f| f.id.unwrap()).collect()
                    }
                };
                assert_eq!(found, scanned, "zoom {z}");
                largest = largest.max(found.len());
            }
        }
        assert!(largest > 100, "no tile held many points: {largest}");
    }

    #[test]
    fn a_point_in_the_buffer_is_in_both_tiles() {
        let tile = TileId::containing(16, coord! { x: -1.512, y: 52.408 }).unwrap();
        let east = TileId::new(16, tile.x + 1, tile.y).unwrap();
        let b = tile.bounds();
        let lat = (b.min().y + b.max().y) / 2.0;
        // Points 10 and 100 units west of the tile's east edge: the first is in the east
        // neighbour's 64-unit buffer, the second is not.
        let west_of_edge = |units: f64| b.max().x - b.width() * units / 4096.0;
        let points = PointLayer::new(
            "p",
            11,
            [
                (1, Point::new(west_of_edge(10.0), lat), Vec::new()),
                (2, Point::new(west_of_edge(100.0), lat), Vec::new()),
            ],
        );
        let mut bytes = Vec::new();
        assert!(points.write_layer(east, &mut bytes));
        let features = Reader::new(bytes).unwrap().get_features(0).unwrap();
        assert_eq!(features.iter().map(|f| f.id).collect::<Vec<_>>(), [Some(1)]);
        let geo::Geometry::MultiPoint(at) = &features[0].geometry else { panic!("not a point") };
        assert_eq!(at.0[0].x(), -10.0, "west of the neighbour's corner");
        let mut own = Vec::new();
        assert!(points.write_layer(tile, &mut own));
        assert_eq!(Reader::new(own).unwrap().get_features(0).unwrap().len(), 2);
    }
}
