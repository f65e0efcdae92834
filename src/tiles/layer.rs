//! A layer of polygon features prepared once for tiling at any zoom.
//!
//! Preparing means: project every geometry to world coordinates once (so a tile needs no
//! trigonometry), index the boxes, and encode each distinct property key and value once. The first tile at a
//! zoom that needs a feature also makes the feature's geometry for that zoom: simplified, snapped
//! to the zoom's integer grid, checked valid, oriented, and encoded as MVT geometry commands. A
//! tile then copies those commands for features that lie within it and cuts only the features
//! across its edge. Tiles themselves are not kept here: that is the cache's job.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use geo::{
    Area, BoundingRect, Coord, CoordsIter, Intersects, MapCoords, MultiPolygon, Point, Rect, SimplifyVwPreserve,
};

use super::clip::Cutter;
use super::grid::{BUFFER, EXTENT, MAX_ZOOM, TileId, world};
use super::plane::{GridPolygons, Point as GridPoint, Window, bounds_of};
use super::protobuf::{self as pb, zigzag};
use super::shape::{Snapped, clip_polygons, contains_rect, snap_polygons};
use super::tags::{Entries, Renumbering, TagValue, key_entry, write_value_entry};
use crate::atlas::spatial::BoxIndex;

/// Zooms from which geometry is not simplified: from zoom 14 a tile unit is under a metre, finer
/// than the 5-decimal source coordinates, so simplifying would remove nothing and only cost time.
pub const SIMPLIFY_BELOW_ZOOM: u8 = 14;

/// Area (in squared extent units) below which a simplification step may drop a vertex from zoom
/// [`COARSER_BELOW_ZOOM`] up: a quarter of a unit square, invisible at any display size.
const SIMPLIFY_AREA: f64 = 0.25;

/// Below this zoom the simplification area grows fourfold a zoom (as a feature's area does from one
/// zoom to the next), up to [`SIMPLIFY_AREA_MAX`]: a tile there spans whole counties, and keeping
/// vertices a quarter of a unit apart would fill it with detail no one can see.
pub const COARSER_BELOW_ZOOM: u8 = 10;

/// The largest simplification area: one pixel of a tile drawn 512 pixels wide (8 × 8 units).
const SIMPLIFY_AREA_MAX: f64 = 64.0;

/// The simplification area at a zoom (see [`SIMPLIFY_AREA`] and [`COARSER_BELOW_ZOOM`]).
fn simplify_area(z: u8) -> f64 {
    let steps = i32::from(COARSER_BELOW_ZOOM.saturating_sub(z));
    (SIMPLIFY_AREA * 4f64.powi(steps)).min(SIMPLIFY_AREA_MAX)
}

/// Features smaller than this (in squared extent units) at a zoom are left out of its tiles: one
/// square of the zoom's integer grid, an eighth of a pixel across on a tile drawn 512 pixels wide,
/// which snapping could not hold anyway. Anything larger is drawn, however small: an LSOA in a city
/// is a pixel or two across at zoom 6, and leaving out what is under a pixel would leave every city
/// a gap in the national overview (57% of England's LSOAs at zoom 6, 81% at zoom 5). Only zoom 4
/// and below of a national layer meet it.
const MIN_FEATURE_AREA: f64 = 1.0;

/// Which of a layer's properties a tile carries (see [`FeatureLayer::choose`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyChoice {
    /// For each layer key, whether it is kept.
    keep: Vec<bool>,
}

/// A feature ready for tiling.
struct LayerFeature {
    /// The feature id written to the tile.
    id: u64,
    /// The numbers of the values only this feature uses (in the layer's table of distinct
    /// values), one for each of its properties whose value no other property has.
    own: Range<u32>,
    /// The keys of those properties, in the same order: a list in [`FeatureLayer::key_lists`].
    own_keys: u32,
    /// Its other properties, as (key, value), with values others use too.
    shared: Vec<(u32, u32)>,
    /// Its greatest key number: a tile writes every property when it writes that key.
    last_key: u32,
    /// Geometry in world coordinates.
    geometry: MultiPolygon<f64>,
    /// Its bounds.
    bounds: Rect<f64>,
    /// Area in world units squared.
    area: f64,
}

/// A feature's geometry on one zoom's integer grid (`EXTENT × 2^z` units across the world).
struct Level {
    polygons: GridPolygons,
    /// True when every vertex is one of the feature's own, rounded (see [`Snapped`]).
    rounded: bool,
    bounds: Window,
    /// The first point, the parameter of the first MoveTo, which is relative to the tile.
    first: (i64, i64),
    /// The geometry commands after the first MoveTo's parameters, as packed varints: every later
    /// parameter is relative to the point before, so these bytes are the same in every tile.
    tail: Vec<u8>,
}

/// Every feature's geometry at one zoom, each made when first needed.
type ZoomLevels = Box<[OnceLock<Option<Level>>]>;

/// A named layer of features with a box index over their world geometry.
pub struct FeatureLayer {
    name: String,
    /// Each distinct key, encoded as a `Layer.keys` entry, in order of the shallowest zoom whose
    /// tiles carry it: a tile numbers its keys as the layer does, and writes those of its zoom,
    /// which come first.
    keys: Entries,
    /// For each key, the shallowest zoom whose tiles carry it (in order).
    key_zooms: Vec<u8>,
    /// Each key's name, in the same order.
    key_names: Vec<String>,
    /// Each distinct value, encoded as a `Layer.values` entry.
    values: Entries,
    features: Vec<LayerFeature>,
    /// Each distinct list of keys of features' own values (most features have the same list, so
    /// a tile reads it once).
    key_lists: Vec<Vec<u32>>,
    /// For each zoom, every feature's geometry at that zoom, each made when first needed (`None`
    /// when nothing is left of it). A zoom's geometries lie together, apart from the features'
    /// other fields, so that a tile reads few cache lines.
    levels: [OnceLock<ZoomLevels>; MAX_ZOOM as usize + 1],
    /// For each key, a column of each feature's value number ([`NO_VALUE`] where it has none,
    /// [`SHARED`] added where other features use the value too), made when a tile first chooses
    /// properties: a tile carrying a few keys then reads just their columns, in feature order.
    values_by_key: OnceLock<Box<[u32]>>,
    index: BoxIndex,
}

impl FeatureLayer {
    /// Prepares features given as (id, WGS84 geometry, properties).
    ///
    /// A national layer has millions of properties, so each is held as a number (its key) and the
    /// place of its encoded value in one buffer: no allocation per property.
    pub fn new<'a, K: AsRef<str>>(
        name: &str,
        features: impl IntoIterator<Item = (u64, &'a MultiPolygon<f64>, Vec<(K, TagValue)>)>,
    ) -> FeatureLayer {
        let mut keys = Entries::default();
        let mut key_numbers: HashMap<String, u32> = HashMap::new();
        let mut key_names: Vec<String> = Vec::new();
        // Every property's value as its `Layer.values` entry, side by side, in the order given.
        let mut given = Entries::default();
        /// A feature with its keys numbered and its values' places in `given`.
        type Encoded = (u64, MultiPolygon<f64>, Vec<(u32, u32)>);
        let encoded: Vec<Encoded> = features
            .into_iter()
            .map(|(id, geometry, properties)| {
                let tags = properties
                    .into_iter()
                    .map(|(key, value)| {
                        let key = key.as_ref();
                        let number = match key_numbers.get(key) {
                            Some(&number) => number,
                            None => {
                                let number = keys.len() as u32;
                                keys.push(&key_entry(key));
                                key_names.push(key.to_owned());
                                key_numbers.insert(key.to_owned(), number);
                                number
                            }
                        };
                        let place = given.len() as u32;
                        given.push_with(|bytes| write_value_entry(&value, bytes));
                        (number, place)
                    })
                    .collect();
                (id, geometry.map_coords(world), tags)
            })
            .collect();
        let mut uses: HashMap<&[u8], u32> = HashMap::new();
        for place in 0..given.len() {
            *uses.entry(given.get(place)).or_default() += 1;
        }
        // A feature's own values (those no other tag uses) are numbered first, together and in
        // the order of its tags, so that a tile writes them as one block. The shared values come
        // after all of them, key by key, so that a tile carrying one key looks up its shared
        // values in one stretch of the table.
        let mut values = Entries::default();
        let mut features = Vec::with_capacity(encoded.len());
        let mut key_lists = Vec::new();
        let mut list_numbers: HashMap<Vec<u32>, u32> = HashMap::new();
        for (id, geometry, tags) in encoded {
            let Some(bounds) = geometry.bounding_rect() else { continue };
            let (own_tags, shared): (Vec<_>, Vec<_>) =
                tags.into_iter().partition(|&(_, place)| uses[given.get(place as usize)] == 1);
            let own_start = values.len() as u32;
            let mut own_keys = Vec::with_capacity(own_tags.len());
            for (key, place) in own_tags {
                values.push(given.get(place as usize));
                own_keys.push(key);
            }
            let next = key_lists.len() as u32;
            let own_keys = *list_numbers.entry(own_keys).or_insert_with_key(|keys| {
                key_lists.push(keys.clone());
                next
            });
            let own = own_start..values.len() as u32;
            let area = geometry.unsigned_area();
            // `shared` holds each value's place in `given` until the values are numbered below.
            features.push(LayerFeature { id, own, own_keys, shared, last_key: 0, geometry, bounds, area });
        }
        let mut by_key: Vec<(u32, usize, usize)> = (features.iter().enumerate())
            .flat_map(|(f, feature)| feature.shared.iter().enumerate().map(move |(t, &(key, _))| (key, f, t)))
            .collect();
        by_key.sort_unstable();
        let mut shared_numbers: HashMap<&[u8], u32> = HashMap::new();
        for (_, f, t) in by_key {
            let value = given.get(features[f].shared[t].1 as usize);
            let next = values.len() as u32;
            features[f].shared[t].1 = *shared_numbers.entry(value).or_insert_with(|| {
                values.push(value);
                next
            });
        }
        let index = BoxIndex::build(features.iter().map(|f| &f.geometry));
        let key_zooms = vec![0; keys.len()];
        let mut layer = FeatureLayer {
            name: name.to_owned(),
            keys,
            key_zooms,
            key_names,
            values,
            features,
            key_lists,
            levels: Default::default(),
            values_by_key: OnceLock::new(),
            index,
        };
        layer.find_last_keys();
        layer
    }

    /// Sets each feature's greatest key number.
    fn find_last_keys(&mut self) {
        for feature in &mut self.features {
            let own_keys = &self.key_lists[feature.own_keys as usize];
            feature.last_key =
                own_keys.iter().chain(feature.shared.iter().map(|(key, _)| key)).copied().max().unwrap_or(0);
        }
    }

    /// Writes the property `key` only in tiles of zoom `z` and deeper: a label no one can point
    /// at need not weigh down the tiles where its feature is a few pixels across.
    pub fn from_zoom(mut self, key: &str, z: u8) -> FeatureLayer {
        let entry = key_entry(key);
        let Some(k) = (0..self.keys.len()).find(|&k| self.keys.get(k) == entry.as_slice()) else { return self };
        self.key_zooms[k] = z;
        // The keys are numbered again, so any columns made by their old numbers go.
        self.values_by_key = OnceLock::new();
        // Number the keys again in order of zoom, and the features' keys with them.
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_by_key(|&k| self.key_zooms[k]);
        let mut renumbered = vec![0; order.len()];
        let mut keys = Entries::default();
        for (new, &old) in order.iter().enumerate() {
            renumbered[old] = new as u32;
            keys.push(self.keys.get(old));
        }
        self.key_zooms = order.iter().map(|&k| self.key_zooms[k]).collect();
        self.key_names = order.iter().map(|&k| self.key_names[k].clone()).collect();
        self.keys = keys;
        let all_keys = self.key_lists.iter_mut().flatten();
        for key in all_keys.chain(self.features.iter_mut().flat_map(|f| f.shared.iter_mut().map(|(key, _)| key))) {
            *key = renumbered[*key as usize];
        }
        self.find_last_keys();
        self
    }

    /// Features whose geometry meets the tile itself (edges included; the buffer does not count),
    /// in layer order.
    pub fn in_tile(&self, tile: TileId) -> Vec<usize> {
        let rect = tile.world_bounds(0);
        let mut found = Vec::new();
        self.boxes_meeting(rect, &mut found, &mut Vec::new());
        found.retain(|&i| meets(&self.features[i].geometry, self.features[i].bounds, rect));
        found
    }

    /// Puts the features whose boxes meet the rectangle into `found`, in layer order. Many of them
    /// (a low-zoom tile holds thousands) are put in order through `marks`, a bit per feature of
    /// the layer, which costs a pass over the bits instead of a sort.
    fn boxes_meeting(&self, rect: Rect<f64>, found: &mut Vec<usize>, marks: &mut Vec<u64>) {
        found.clear();
        found.extend(self.index.in_rect(rect));
        if found.len() < self.features.len() / 64 {
            found.sort_unstable();
            return;
        }
        marks.clear();
        marks.resize(self.features.len().div_ceil(64), 0);
        for &i in found.iter() {
            marks[i / 64] |= 1 << (i % 64);
        }
        found.clear();
        for (word, &bits) in marks.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                found.push(word * 64 + bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
        }
    }

    /// The properties a tile of this layer carries when only the keys `keep` accepts are wanted.
    pub fn choose(&self, keep: impl Fn(&str) -> bool) -> KeyChoice {
        KeyChoice { keep: self.key_names.iter().map(|name| keep(name)).collect() }
    }

    /// Writes the layer's features in the tile as a `Tile.layers` entry; `false` (and nothing
    /// written) when none of them has anything left in it.
    ///
    /// Every key of the tile's zoom is written once, and only the values the tile's features use,
    /// each once.
    pub fn write_layer(&self, tile: TileId, out: &mut Vec<u8>) -> bool {
        self.write_layer_choosing(tile, None, out)
    }

    /// [`write_layer`](Self::write_layer) with only the properties `choice` keeps (all when `None`).
    pub fn write_layer_choosing(&self, tile: TileId, choice: Option<&KeyChoice>, out: &mut Vec<u8>) -> bool {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.write_layer_with(tile, choice, out, &mut scratch),
            Err(_) => self.write_layer_with(tile, choice, out, &mut Scratch::default()),
        })
    }

    fn write_layer_with(
        &self,
        tile: TileId,
        choice: Option<&KeyChoice>,
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
    ) -> bool {
        let Scratch { geometry, tags, values, cutter, candidates, marks, kept_keys } = scratch;
        values.reset(self.values.len());
        // The keys carried at this zoom, and, for a choice of them, those it keeps (a kept key's
        // number in the tile is its place in that list).
        let keys = self.key_zooms.partition_point(|&from| from <= tile.z) as u32;
        let chosen = choice.map(|choice| {
            kept_keys.clear();
            kept_keys.extend((0..keys).filter(|&k| choice.keep[k as usize]));
            &*kept_keys
        });
        let room = out.len();
        out.resize(room + LAYER_HEADER_ROOM, 0);
        let body = out.len();
        pb::varint_field(pb::LAYER_VERSION, 2, out);
        pb::bytes_field(pb::LAYER_NAME, self.name.as_bytes(), out);
        let features_start = out.len();
        let origin = (i64::from(tile.x) * i64::from(EXTENT), i64::from(tile.y) * i64::from(EXTENT));
        let rect = tile.world_bounds(0);
        self.boxes_meeting(rect, candidates, marks);
        for &i in candidates.iter() {
            let feature = &self.features[i];
            let Some(level) = self.level(i, tile.z) else { continue };
            // A feature inside the buffered tile has its commands ready but for the first point;
            // one across its edge is cut and its commands written here. Either is left out
            // unless it meets the tile itself: a vertex of the level's, or of the cut's, tells
            // that for most.
            let whole = TILE_WINDOW.moved(origin).contains(&level.bounds);
            let first = (zigzag(level.first.0 - origin.0), zigzag(level.first.1 - origin.1));
            let geometry_len = if whole {
                let inset = TILE_INSET.moved(origin);
                if !feature.meets(rect, level, || level.polygons.iter().flatten().flatten().any(|&p| inset.holds(p))) {
                    continue;
                }
                pb::varint_len(MOVE_TO_ONE) + pb::varint_len(first.0) + pb::varint_len(first.1) + level.tail.len()
            } else {
                // Unsimplified, the level is the feature rounded: when it goes round the window
                // and no edge of it comes in, no edge of the feature reaches the tile either.
                let unsimplified = tile.z >= SIMPLIFY_BELOW_ZOOM;
                if !clip_polygons(&level.polygons, origin, TILE_WINDOW, cutter)
                    || !feature.meets(rect, level, || {
                        cutter.pieces.has_point_in(TILE_INSET) || (unsimplified && cutter.covers_window())
                    })
                {
                    continue;
                }
                geometry.clear();
                write_commands(cutter.pieces.rings(), geometry);
                geometry.len()
            };
            match chosen {
                Some(kept) => self.write_chosen_properties(i, kept, values, tags),
                None => self.write_properties(feature, keys, values, tags),
            }
            let id_field = 1 + pb::varint_len(feature.id);
            let tags_field = 1 + pb::varint_len(tags.len() as u64) + tags.len();
            let type_field = 2;
            let geometry_field = 1 + pb::varint_len(geometry_len as u64) + geometry_len;
            pb::bytes_header(pb::LAYER_FEATURES, id_field + tags_field + type_field + geometry_field, out);
            pb::varint_field(pb::FEATURE_ID, feature.id, out);
            pb::bytes_field(pb::FEATURE_TAGS, tags, out);
            pb::varint_field(pb::FEATURE_TYPE, pb::POLYGON, out);
            pb::bytes_header(pb::FEATURE_GEOMETRY, geometry_len, out);
            if whole {
                pb::varint(MOVE_TO_ONE, out);
                pb::varint(first.0, out);
                pb::varint(first.1, out);
                out.extend_from_slice(&level.tail);
            } else {
                out.extend_from_slice(geometry);
            }
        }
        if out.len() == features_start {
            out.truncate(room);
            return false;
        }
        match chosen {
            Some(kept) => {
                for &k in kept {
                    out.extend_from_slice(self.keys.get(k as usize));
                }
            }
            None => out.extend_from_slice(if keys == 0 { &[] } else { self.keys.range(&(0..keys)) }),
        }
        for v in &values.order {
            out.extend_from_slice(self.values.range(v));
        }
        pb::varint_field(pb::LAYER_EXTENT, u64::from(EXTENT), out);
        // The entry's key and length, in the room left for them: the entry moves only when its
        // length takes other than two bytes.
        let header = tags;
        header.clear();
        pb::bytes_header(pb::TILE_LAYERS, out.len() - body, header);
        let end = out.len();
        if header.len() > LAYER_HEADER_ROOM {
            let more = header.len() - LAYER_HEADER_ROOM;
            out.resize(end + more, 0);
            out.copy_within(body..end, body + more);
        } else if header.len() < LAYER_HEADER_ROOM {
            let less = LAYER_HEADER_ROOM - header.len();
            out.copy_within(body..end, body - less);
            out.truncate(end - less);
        }
        out[room..room + header.len()].copy_from_slice(header);
        true
    }

    /// Writes a feature's properties whose keys are among the first `keys` (packed key and value
    /// numbers, without the field key) into `tags`, numbering its values in the tile.
    fn write_properties(&self, feature: &LayerFeature, keys: u32, values: &mut Renumbering, tags: &mut Vec<u8>) {
        tags.clear();
        let own_keys = &self.key_lists[feature.own_keys as usize];
        if feature.last_key < keys {
            // Every property is written, and the feature's own values are new to the tile: they
            // take the next numbers as a block.
            let first = values.push_block(feature.own.clone());
            for (n, &key) in (first..).zip(own_keys) {
                pb::varint(u64::from(key), tags);
                pb::varint(n, tags);
            }
        } else {
            for (value, &key) in feature.own.clone().zip(own_keys) {
                if key < keys {
                    pb::varint(u64::from(key), tags);
                    pb::varint(values.number(value), tags);
                }
            }
        }
        for &(key, value) in &feature.shared {
            if key < keys {
                pb::varint(u64::from(key), tags);
                pb::varint(values.number(value), tags);
            }
        }
    }

    /// Writes the properties of feature `i` whose keys the tile carries (`kept`: the layer keys, in
    /// order, each numbered in the tile by its place in the list), numbering its values in the tile.
    /// A value only this feature uses is new to the tile, so it takes the next number without a
    /// lookup.
    fn write_chosen_properties(&self, i: usize, kept: &[u32], values: &mut Renumbering, tags: &mut Vec<u8>) {
        tags.clear();
        let columns = self.values_by_key();
        let height = self.features.len();
        for (number, &key) in (0u64..).zip(kept) {
            let entry = columns[key as usize * height + i];
            let value = match entry {
                NO_VALUE => continue,
                shared if shared & SHARED != 0 => values.number(shared & !SHARED),
                own => values.push_block(own..own + 1),
            };
            pb::varint(number, tags);
            pb::varint(value, tags);
        }
    }

    /// Each key's column of value numbers, made the first time a tile asks for it.
    fn values_by_key(&self) -> &[u32] {
        self.values_by_key.get_or_init(|| {
            let height = self.features.len();
            let mut columns = vec![NO_VALUE; self.keys.len() * height].into_boxed_slice();
            for (i, feature) in self.features.iter().enumerate() {
                let own_keys = &self.key_lists[feature.own_keys as usize];
                for (value, &key) in feature.own.clone().zip(own_keys) {
                    columns[key as usize * height + i] = value;
                }
                for &(key, value) in &feature.shared {
                    columns[key as usize * height + i] = value | SHARED;
                }
            }
            columns
        })
    }

    /// A feature's geometry at a zoom, made the first time it is asked for.
    fn level(&self, feature: usize, z: u8) -> Option<&Level> {
        let zoom =
            self.levels.get(usize::from(z))?.get_or_init(|| self.features.iter().map(|_| OnceLock::new()).collect());
        zoom[feature].get_or_init(|| self.features[feature].make_level(z)).as_ref()
    }
}

/// Buffers a thread reuses from tile to tile, so that a tile allocates only its own bytes.
#[derive(Default)]
struct Scratch {
    /// The features whose boxes meet the tile.
    candidates: Vec<usize>,
    /// A bit per feature, to put many candidates in order.
    marks: Vec<u64>,
    geometry: Vec<u8>,
    tags: Vec<u8>,
    values: Renumbering,
    cutter: Cutter,
    /// The layer keys a choice keeps, in order.
    kept_keys: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

impl LayerFeature {
    /// True when the feature meets the tile (`rect`, in world coordinates): when its bounds lie
    /// in the tile, when `vertex_in_inset` finds one of the level's vertices (or of its cut) in
    /// the tile less a unit on every side, asked only of a level of rounded vertices, or else
    /// when the full test on its geometry says so.
    ///
    /// A rounded vertex is within half a unit of the feature's own, so one in that inset shows
    /// that the feature's own vertex is in the tile. A cut adds vertices only on the buffered
    /// window's edge, outside the tile.
    fn meets(&self, rect: Rect<f64>, level: &Level, vertex_in_inset: impl FnOnce() -> bool) -> bool {
        contains_rect(&rect, &self.bounds)
            || (level.rounded && vertex_in_inset())
            || meets(&self.geometry, self.bounds, rect)
    }

    fn make_level(&self, z: u8) -> Option<Level> {
        let scale = f64::from(EXTENT) * (1u64 << z) as f64;
        if self.area * scale * scale < MIN_FEATURE_AREA {
            return None;
        }
        let scaled = self.geometry.map_coords(|c| Coord { x: c.x * scale, y: c.y * scale });
        let source = if z < SIMPLIFY_BELOW_ZOOM { scaled.simplify_vw_preserve(simplify_area(z)) } else { scaled };
        let Snapped { polygons, rounded } = snap_polygons(&source)?;
        let bounds = bounds_of(polygons.iter().flatten().flatten())?;
        let first = polygons[0][0][0];
        let mut encoded = Vec::new();
        write_commands(polygons.iter().flatten().map(Vec::as_slice), &mut encoded);
        let head = pb::varint_len(MOVE_TO_ONE) + pb::varint_len(zigzag(first.0)) + pb::varint_len(zigzag(first.1));
        let tail = encoded.split_off(head);
        Some(Level { polygons, rounded, bounds, first, tail })
    }
}

/// In [`FeatureLayer::values_by_key`], a feature with no value for the key.
const NO_VALUE: u32 = u32::MAX;

/// In [`FeatureLayer::values_by_key`], the mark of a value other features use too. Value numbers
/// stay below it: 2³¹ distinct values would take tens of gigabytes.
const SHARED: u32 = 1 << 31;

/// A tile's square grown by the buffer, in tile units.
const TILE_WINDOW: Window = Window {
    min: (-(BUFFER as i64), -(BUFFER as i64)),
    max: (EXTENT as i64 + BUFFER as i64, EXTENT as i64 + BUFFER as i64),
};

/// The tile's square less a unit on every side, in tile units: a rounded vertex in it shows
/// that the vertex it was rounded from lies in the tile.
const TILE_INSET: Window = Window { min: (1, 1), max: (EXTENT as i64 - 1, EXTENT as i64 - 1) };

/// Room for a `Tile.layers` key (one byte) and length (a varint, three bytes for the 16 KiB to
/// 2 MiB of a large layer): a large layer, which would cost the most to move, stays where it is
/// written, and only a small one moves back a byte or two.
const LAYER_HEADER_ROOM: usize = 4;

/// The command integer of a MoveTo of one point.
const MOVE_TO_ONE: u64 = 1 | (1 << 3);
/// The command integer of a ClosePath.
const CLOSE_PATH: u64 = 7 | (1 << 3);

/// Writes polygons as MVT geometry commands (packed varints): per ring a MoveTo, a LineTo of the
/// other points, and a ClosePath, every parameter relative to the point before, starting at (0, 0).
fn write_commands<'a>(rings: impl Iterator<Item = &'a [GridPoint]>, out: &mut Vec<u8>) {
    let mut cursor = (0i64, 0i64);
    for ring in rings {
        let Some(&first) = ring.first() else { continue };
        pb::varint(MOVE_TO_ONE, out);
        pb::varint(zigzag(first.0 - cursor.0), out);
        pb::varint(zigzag(first.1 - cursor.1), out);
        cursor = first;
        pb::varint(2 | ((ring.len() as u64 - 1) << 3), out);
        for &point in &ring[1..] {
            pb::varint(zigzag(point.0 - cursor.0), out);
            pb::varint(zigzag(point.1 - cursor.1), out);
            cursor = point;
        }
        pb::varint(CLOSE_PATH, out);
    }
}

/// True when the geometry meets the closed rectangle: a vertex inside it, an edge across it, or
/// the rectangle inside the geometry.
fn meets(geometry: &MultiPolygon<f64>, bounds: Rect<f64>, rect: Rect<f64>) -> bool {
    if !rect.intersects(&bounds) {
        return false;
    }
    let contains =
        |c: Coord<f64>| rect.min().x <= c.x && c.x <= rect.max().x && rect.min().y <= c.y && c.y <= rect.max().y;
    if contains_rect(&rect, &bounds) || geometry.coords_iter().any(contains) {
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
    fn a_property_from_a_zoom_is_written_only_from_that_zoom() {
        let square = MultiPolygon(vec![polygon![
            (x: -1.52, y: 52.40), (x: -1.50, y: 52.40), (x: -1.50, y: 52.42), (x: -1.52, y: 52.42)
        ]]);
        let tags = vec![
            ("code".to_owned(), TagValue::Text("E01009577".into())),
            ("name".to_owned(), TagValue::Text("Coventry 001A".into())),
        ];
        let layer = FeatureLayer::new("lsoa", [(1, &square, tags)]).from_zoom("name", 8);
        let holds = |bytes: &[u8], text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
        for (z, named) in [(6, false), (7, false), (8, true), (12, true)] {
            let tile = TileId::containing(z, coord! { x: -1.51, y: 52.41 }).unwrap();
            let mut bytes = Vec::new();
            assert!(layer.write_layer(tile, &mut bytes), "zoom {z}");
            assert!(holds(&bytes, "E01009577"), "zoom {z} carries the code");
            assert_eq!(holds(&bytes, "Coventry 001A") || holds(&bytes, "name"), named, "zoom {z}");
        }
    }

    #[test]
    fn a_feature_round_a_tile_is_in_it_unless_a_hole_takes_the_whole_tile() {
        let tile = TileId::containing(15, coord! { x: -1.51, y: 52.41 }).unwrap();
        let b = tile.bounds();
        // A square reaching a tile beyond the tile on every side, with a hole a little larger or
        // a little smaller than the tile.
        let (w, h) = (b.width(), b.height());
        let square = |grow: f64| {
            let (x0, y0, x1, y1) =
                (b.min().x - grow * w, b.min().y - grow * h, b.max().x + grow * w, b.max().y + grow * h);
            geo::LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
        };
        let with_hole = |hole: Option<f64>| {
            MultiPolygon(vec![geo::Polygon::new(square(1.0), hole.map(square).into_iter().collect())])
        };
        for (geometry, expected) in
            [(with_hole(None), true), (with_hole(Some(0.01)), false), (with_hole(Some(-0.01)), true)]
        {
            let layer = FeatureLayer::new("lsoa", [(1, &geometry, Vec::<(&str, TagValue)>::new())]);
            assert_eq!(layer.in_tile(tile).len() == 1, expected, "the full test");
            assert_eq!(layer.write_layer(tile, &mut Vec::new()), expected, "{:?}", geometry.0[0].interiors());
        }
    }

    #[test]
    fn a_layer_written_after_others_has_its_length_in_as_many_bytes_as_it_needs() {
        use mvt_reader::Reader;

        // Layers of one square whose name takes 10, 1,000 and 20,000 bytes: their lengths take one,
        // two and three bytes, and each layer is written after the one before, as in a tile.
        let square = MultiPolygon(vec![polygon![
            (x: -1.52, y: 52.40), (x: -1.50, y: 52.40), (x: -1.50, y: 52.42), (x: -1.52, y: 52.42)
        ]]);
        let tile = TileId::containing(12, coord! { x: -1.51, y: 52.41 }).unwrap();
        let mut bytes = Vec::new();
        let mut lengths = Vec::new();
        for (n, size) in [10, 1_000, 20_000].into_iter().enumerate() {
            let tags = vec![("name".to_owned(), TagValue::Text("x".repeat(size)))];
            let layer = FeatureLayer::new(&format!("layer{n}"), [(1, &square, tags)]);
            let start = bytes.len();
            assert!(layer.write_layer(tile, &mut bytes));
            let mut alone = Vec::new();
            layer.write_layer(tile, &mut alone);
            assert_eq!(&bytes[start..], alone.as_slice(), "a layer's bytes do not depend on what comes before");
            // The key of `Tile.layers`, then the length as a varint, then exactly that many bytes.
            assert_eq!(alone[0], 0x1a);
            let (mut length, mut shift, mut at) = (0usize, 0, 1);
            loop {
                length |= usize::from(alone[at] & 0x7f) << shift;
                shift += 7;
                at += 1;
                if alone[at - 1] & 0x80 == 0 {
                    break;
                }
            }
            assert_eq!(at - 1 + length, alone.len() - 1, "layer {n}");
            lengths.push(at - 1);
        }
        assert_eq!(lengths, [1, 2, 3]);
        let reader = Reader::new(bytes).unwrap();
        assert_eq!(reader.get_layer_names().unwrap(), ["layer0", "layer1", "layer2"]);
        for n in 0..3 {
            assert_eq!(reader.get_features(n).unwrap().len(), 1);
        }
    }

    #[test]
    fn own_shared_and_missing_values_come_back_to_their_features_at_every_zoom() {
        use mvt_reader::Reader;
        use mvt_reader::feature::Value;

        let square = |x: f64| {
            MultiPolygon(vec![polygon![
                (x: x, y: 52.40), (x: x + 0.01, y: 52.40), (x: x + 0.01, y: 52.41), (x: x, y: 52.41)
            ]])
        };
        let (a, b, c) = (square(-1.52), square(-1.51), square(-1.50));
        let text = |t: &str| TagValue::Text(t.to_owned());
        // Ward W1 and the number 2 are shared; B has no "rate" (suppressed); C's rate equals A's count.
        let features = [
            (
                1,
                &a,
                vec![
                    ("code", text("A")),
                    ("name", text("Alpha")),
                    ("ward", text("W1")),
                    ("rate", TagValue::Number(2.0)),
                ],
            ),
            (2, &b, vec![("code", text("B")), ("name", text("Beta")), ("ward", text("W1"))]),
            (
                3,
                &c,
                vec![
                    ("code", text("C")),
                    ("ward", text("W2")),
                    ("rate", TagValue::Number(2.0)),
                    ("count", TagValue::Number(7.0)),
                ],
            ),
        ];
        let layer = FeatureLayer::new(
            "lsoa",
            features
                .iter()
                .map(|(id, g, tags)| (*id, *g, tags.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())),
        );
        // A tile chosen before the keys are numbered again makes columns by the old numbers.
        let early = TileId::containing(12, coord! { x: -1.51, y: 52.405 }).unwrap();
        assert!(layer.write_layer_choosing(early, Some(&layer.choose(|key| key == "rate")), &mut Vec::new()));
        let layer = layer.from_zoom("name", 8);
        // Every property, then choices of them (the chosen path reads each key's column).
        let choices: [Option<&[&str]>; 4] =
            [None, Some(&["code", "rate"]), Some(&["ward", "name"]), Some(&["rate", "count"])];
        for (z, keys) in [6, 8, 12].into_iter().flat_map(|z| choices.iter().map(move |keys| (z, *keys))) {
            let tile = TileId::containing(z, coord! { x: -1.51, y: 52.405 }).unwrap();
            let kept = |key: &str| keys.is_none_or(|keys| keys.contains(&key));
            let choice = keys.map(|_| layer.choose(kept));
            let mut bytes = Vec::new();
            assert!(layer.write_layer_choosing(tile, choice.as_ref(), &mut bytes), "zoom {z}");
            let decoded = Reader::new(bytes.clone()).unwrap().get_features(0).unwrap();
            assert_eq!(decoded.len(), 3, "zoom {z}");
            for (feature, (id, _, tags)) in decoded.iter().zip(&features) {
                assert_eq!(feature.id, Some(*id));
                let got = feature.properties.as_ref().unwrap();
                let expected: HashMap<String, Value> = tags
                    .iter()
                    .filter(|(key, _)| (*key != "name" || z >= 8) && kept(key))
                    .map(|(key, value)| {
                        let value = match value {
                            TagValue::Text(t) => Value::String(t.clone()),
                            TagValue::Number(n) => Value::Double(*n),
                        };
                        (key.to_string(), value)
                    })
                    .collect();
                assert_eq!(got, &expected, "zoom {z}, {keys:?}, feature {id}");
            }
            let count = |text: &[u8]| bytes.windows(text.len()).filter(|w| *w == text).count();
            let expected_once = |kept: bool| usize::from(kept);
            assert_eq!(count(b"W1"), expected_once(kept("ward")), "zoom {z}: a shared value is written once");
            assert_eq!(count(b"ward"), expected_once(kept("ward")), "zoom {z}: and so is a key");
            let two = 2.0f64.to_le_bytes();
            assert_eq!(count(&two), expected_once(kept("rate")), "zoom {z}: a shared number is written once");
        }
    }

    #[test]
    fn candidates_come_in_layer_order_whether_sorted_or_marked() {
        // A 20 × 20 grid of squares, numbered row by row from the north west, in a shuffled
        // layer order; a small rectangle holds a few (sorted), a large one most (marked).
        let square = |i: usize| {
            let (x, y) = (-1.6 + (i % 20) as f64 * 0.01, 52.5 - (i / 20) as f64 * 0.01);
            MultiPolygon(vec![polygon![
                (x: x, y: y), (x: x + 0.008, y: y), (x: x + 0.008, y: y + 0.008), (x: x, y: y + 0.008)
            ]])
        };
        let order: Vec<usize> = (0..400).map(|i| (i * 149) % 400).collect();
        let squares: Vec<MultiPolygon<f64>> = order.iter().map(|&i| square(i)).collect();
        let layer = FeatureLayer::new(
            "cells",
            squares.iter().enumerate().map(|(n, g)| (n as u64, g, Vec::<(&str, TagValue)>::new())),
        );
        let world_rect = |west: f64, south: f64, east: f64, north: f64| {
            let (a, b) = (world(coord! { x: west, y: south }), world(coord! { x: east, y: north }));
            Rect::new(a, b)
        };
        for (rect, least) in
            [(world_rect(-1.599, 52.491, -1.585, 52.505), 4), (world_rect(-1.7, 52.355, -1.3, 52.6), 300)]
        {
            let mut found = Vec::new();
            layer.boxes_meeting(rect, &mut found, &mut Vec::new());
            let expected: Vec<usize> =
                (0..layer.features.len()).filter(|&i| rect.intersects(&layer.features[i].bounds)).collect();
            assert!(expected.len() >= least, "{} found", expected.len());
            assert_eq!(found, expected);
        }
    }

    #[test]
    fn the_one_pass_cut_agrees_with_the_overlay_on_the_tiles_over_coventry() {
        use crate::atlas::{embedded_files, load};
        use crate::tiles::archive::tiles_over_city;
        use crate::tiles::plane::twice_area;
        use crate::tiles::shape::clip_by_overlay;
        use crate::tiles::simple::is_simple;

        let atlas = load(&embedded_files()).unwrap();
        let lsoas = FeatureLayer::new(
            "lsoa",
            atlas.lsoas().iter().enumerate().map(|(i, l)| (i as u64, &l.geometry, Vec::<(&str, TagValue)>::new())),
        );
        let wards = FeatureLayer::new(
            "wards",
            atlas.wards().iter().enumerate().map(|(i, w)| (i as u64, &w.geometry, Vec::<(&str, TagValue)>::new())),
        );
        let mut cutter = Cutter::default();
        let (mut cuts, mut declined) = (0, 0);
        let area =
            |rings: &mut dyn Iterator<Item = &[GridPoint]>| rings.map(|r| twice_area(r) as f64 / 2.0).sum::<f64>();
        for tile in tiles_over_city(&atlas, 10, 14) {
            let origin = (i64::from(tile.x) * i64::from(EXTENT), i64::from(tile.y) * i64::from(EXTENT));
            for layer in [&lsoas, &wards] {
                for i in layer.in_tile(tile) {
                    let Some(level) = layer.level(i, tile.z) else { continue };
                    if TILE_WINDOW.moved(origin).contains(&level.bounds) {
                        continue;
                    }
                    let overlay = clip_by_overlay(&level.polygons, origin, TILE_WINDOW);
                    let expected = overlay.as_ref().map_or(0.0, |p| area(&mut p.iter().flatten().map(Vec::as_slice)));
                    if cutter.cut(&level.polygons, origin, TILE_WINDOW).is_none() {
                        declined += 1;
                        continue;
                    }
                    cuts += 1;
                    let polygons = cutter.pieces.to_polygons();
                    let rings: Vec<&[GridPoint]> = polygons.iter().flatten().map(Vec::as_slice).collect();
                    assert!(is_simple(&rings), "{tile:?}, feature {i}");
                    for polygon in &polygons {
                        assert!(twice_area(&polygon[0]) > 0, "{tile:?}, feature {i}: exteriors turn one way");
                        assert!(
                            polygon[1..].iter().all(|hole| twice_area(hole) < 0),
                            "{tile:?}, feature {i}: holes the other"
                        );
                    }
                    // The cut runs half a unit outside the window, the overlay on its edge: they
                    // differ by at most a half-unit strip round the window.
                    let got = area(&mut cutter.pieces.rings());
                    assert!(
                        (got - expected).abs() <= 0.5 * 4.0 * 4225.0,
                        "{tile:?}, feature {i}: {got} against {expected}"
                    );
                }
            }
        }
        assert!(cuts > 1000, "{cuts}");
        assert!(declined * 100 <= cuts, "{declined} of {cuts} cuts left to the overlay");
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
        assert!(meets(&around, around.bounding_rect().unwrap(), unit()));
        let with_hole = MultiPolygon(vec![polygon!(
            exterior: [(x: -5.0, y: -5.0), (x: 5.0, y: -5.0), (x: 5.0, y: 5.0), (x: -5.0, y: 5.0)],
            interiors: [[(x: -2.0, y: -2.0), (x: -2.0, y: 2.0), (x: 2.0, y: 2.0), (x: 2.0, y: -2.0)]],
        )]);
        assert!(!meets(&with_hole, with_hole.bounding_rect().unwrap(), unit()));
    }
}
