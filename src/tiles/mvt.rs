//! Mapbox Vector Tile (spec 2.1) encoding of the LSOA, locality and ward layers, and the GP practice
//! points.

use std::sync::atomic::{AtomicUsize, Ordering};

use geo::InteriorPoint;

use super::grid::{MAX_ZOOM, TileId};
use super::layer::{FeatureLayer, KeyChoice};
use super::points::PointLayer;
use super::tags::TagValue;
use crate::analysis::Disclosure;
use crate::atlas::Atlas;

/// Layer of LSOA polygons with their indicator values.
pub const LSOA_LAYER: &str = "lsoa";
/// Layer of locality outlines.
pub const LOCALITY_LAYER: &str = "localities";
/// Layer of ward polygons.
pub const WARD_LAYER: &str = "wards";
/// Layer name of the MSOAs, which carry the indicators published for MSOAs.
pub const MSOA_LAYER: &str = "msoa";
/// Layer of GP practice points (main sites), open and closed.
pub const GP_PRACTICE_LAYER: &str = "gp_practices";

/// Layer of label points: one per ward and one per locality (context areas aside), each with its
/// name, so that a map can say where it is.
pub const LABEL_LAYER: &str = "labels";

/// The shallowest zoom whose tiles carry the label points: from zoom 8 the city is a few hundred
/// pixels across; a style chooses from which zoom to show each kind.
pub const LABEL_MIN_ZOOM: u8 = 8;

/// The shallowest zoom whose tiles carry the GP practices: from zoom 11 a tile is about a third of
/// the city across, and the practices' symbols no longer crowd each other.
pub const GP_PRACTICE_MIN_ZOOM: u8 = 11;

/// The shallowest zoom whose LSOA features carry their name. Below it an urban LSOA (about
/// 0.3 km²) is under 7 pixels across, too small to read a name on or point at, and names were a
/// quarter of a zoom-8 tile over London; the code is always there, and `/api/lsoa/{code}` gives the
/// name.
pub const LSOA_NAME_MIN_ZOOM: u8 = 10;

/// The layers of the atlas prepared for tiling.
pub struct TileContext {
    lsoas: FeatureLayer,
    localities: FeatureLayer,
    wards: FeatureLayer,
    msoas: FeatureLayer,
    practices: PointLayer,
    labels: PointLayer,
    sizes: TileSizes,
}

impl TileContext {
    /// Dissolves each locality's LSOAs into its outline, applies disclosure control to every value
    /// and prepares the layers.
    pub fn build(atlas: &Atlas, disclosure: &Disclosure) -> TileContext {
        // Each LSOA's properties, made as the layer takes them: a national layer has millions.
        let columns: Vec<_> = atlas
            .catalogue()
            .iter()
            .filter(|i| i.mapped() && !i.is_msoa())
            .map(|i| (i, atlas.observations(&i.id).unwrap_or_default()))
            .collect();
        let properties = |i: usize, lsoa: &crate::atlas::Lsoa| {
            let mut tags = vec![
                ("code", TagValue::Text(lsoa.code.clone())),
                ("name", TagValue::Text(lsoa.name.clone())),
                ("ward", TagValue::Text(lsoa.ward_code.clone())),
            ];
            if let Some(locality) = atlas.localities_of(&lsoa.code).next() {
                tags.push(("locality", TagValue::Text(locality.id.clone())));
            }
            for (indicator, observations) in &columns {
                let observation = observations.get(i).and_then(Option::as_ref);
                if let Some(value) = observation.and_then(|o| disclosure.publish(indicator, o).value) {
                    tags.push((indicator.id.as_str(), TagValue::Number(value)));
                }
            }
            tags
        };
        let lsoas = FeatureLayer::new(
            LSOA_LAYER,
            atlas.lsoas().iter().enumerate().map(|(i, lsoa)| (i as u64 + 1, &lsoa.geometry, properties(i, lsoa))),
        )
        .from_zoom("name", LSOA_NAME_MIN_ZOOM)
        .from_zoom("ward", AREA_OUTLINE_MIN_ZOOM);
        let localities = FeatureLayer::new(
            LOCALITY_LAYER,
            atlas.localities().iter().enumerate().map(|(n, l)| {
                let tags = vec![
                    ("id".to_owned(), TagValue::Text(l.id.clone())),
                    ("name".to_owned(), TagValue::Text(l.name.clone())),
                ];
                (n as u64 + 1, &l.outline, tags)
            }),
        );
        let wards = FeatureLayer::new(
            WARD_LAYER,
            atlas.wards().iter().enumerate().map(|(n, ward)| {
                let tags = vec![
                    ("code".to_owned(), TagValue::Text(ward.code.clone())),
                    ("name".to_owned(), TagValue::Text(ward.name.clone())),
                ];
                (n as u64 + 1, &ward.geometry, tags)
            }),
        );
        let msoas = FeatureLayer::new(
            MSOA_LAYER,
            atlas.msoas().iter().enumerate().map(|(n, msoa)| {
                let mut tags = vec![
                    ("code".to_owned(), TagValue::Text(msoa.code.clone())),
                    ("name".to_owned(), TagValue::Text(msoa.name.clone())),
                    ("neighbourhood".to_owned(), TagValue::Text(msoa.neighbourhood.clone())),
                ];
                // Indicators published for MSOAs are properties of MSOAs, never of their LSOAs.
                for indicator in atlas.catalogue().iter().filter(|i| i.mapped() && i.is_msoa()) {
                    let observation = atlas.msoa_observations(&indicator.id).and_then(|o| o.get(n).copied().flatten());
                    if let Some(value) = observation.and_then(|o| disclosure.publish(indicator, &o).value) {
                        tags.push((indicator.id.clone(), TagValue::Number(value)));
                    }
                }
                (n as u64 + 1, &msoa.geometry, tags)
            }),
        );
        let text = |t: &str| TagValue::Text(t.to_owned());
        let practices = PointLayer::new(
            GP_PRACTICE_LAYER,
            GP_PRACTICE_MIN_ZOOM,
            atlas.gp_practices().iter().enumerate().map(|(n, p)| {
                let tags = vec![
                    ("code".to_owned(), text(&p.code)),
                    ("name".to_owned(), text(&p.name)),
                    ("address".to_owned(), text(&format!("{}, {}", p.address, p.postcode))),
                    ("status".to_owned(), text(p.status.as_str())),
                ];
                (n as u64 + 1, p.location, tags)
            }),
        );
        let labels = label_layer(atlas);
        TileContext { lsoas, localities, wards, msoas, practices, labels, sizes: TileSizes::default() }
    }
}

/// The label points: each ward's and each locality's name at a point inside it (geo's
/// `InteriorPoint`: the middle of the widest stretch across the area, so a crescent's label is
/// not outside it). Context areas repeat a ward and are not labelled again.
fn label_layer(atlas: &Atlas) -> PointLayer {
    let text = |t: &str| TagValue::Text(t.to_owned());
    let wards = atlas.wards().iter().map(|w| ("ward", &w.code, &w.name, &w.geometry));
    let localities =
        atlas.localities().iter().filter(|l| !l.is_context()).map(|l| ("locality", &l.id, &l.name, &l.outline));
    let points =
        wards.chain(localities).filter_map(|(kind, code, name, area)| Some((kind, code, name, area.interior_point()?)));
    PointLayer::new(
        LABEL_LAYER,
        LABEL_MIN_ZOOM,
        points.enumerate().map(|(n, (kind, code, name, point))| {
            let tags =
                vec![("kind".to_owned(), text(kind)), ("code".to_owned(), text(code)), ("name".to_owned(), text(name))];
            (n as u64 + 1, point, tags)
        }),
    )
}

/// The zoom from which tiles carry the wards and MSOAs, and each LSOA its ward's code: below it a
/// tile spans counties, where their outlines are a tangle under a pixel apart (England's 6,784 wards
/// and 6,856 MSOAs took half of a zoom-7 tile over London), as the labels, which start there too, are.
pub const AREA_OUTLINE_MIN_ZOOM: u8 = 8;

/// Encodes the atlas tile (LSOAs, localities, wards and MSOAs from [`AREA_OUTLINE_MIN_ZOOM`], GP practices from
/// [`GP_PRACTICE_MIN_ZOOM`] and label points from [`LABEL_MIN_ZOOM`]), or `None` when no LSOA touches it.
///
/// An LSOA is in the tile when it meets the tile itself; its geometry is then kept out to the
/// buffer. Suppressed and missing values are absent from the properties. A practice is in the tile
/// when its point lies in the tile or its buffer.
pub fn encode(context: &TileContext, tile: TileId) -> Option<Vec<u8>> {
    encode_choosing(context, tile, None)
}

/// [`encode`] with only the indicator values `choice` names in the LSOA and MSOA layers (every
/// value when `None`); the identifying fields and the other layers are always there.
pub fn encode_choosing(context: &TileContext, tile: TileId, choice: Option<&FieldChoice>) -> Option<Vec<u8>> {
    let layers = [
        (&context.lsoas, choice.map(|c| &c.lsoas)),
        (&context.localities, None),
        (&context.wards, None),
        (&context.msoas, choice.map(|c| &c.msoas)),
    ];
    let shown = if tile.z < AREA_OUTLINE_MIN_ZOOM { &layers[..2] } else { &layers[..] };
    encode_with_points(shown, &[&context.practices, &context.labels], tile, &context.sizes)
}

/// Encodes any prepared layers into one tile, leaving out layers with nothing in the tile; `None`
/// when the first layer has nothing in it. `sizes` holds the largest tile of each zoom so far.
pub fn encode_layers(layers: &[&FeatureLayer], tile: TileId, sizes: &TileSizes) -> Option<Vec<u8>> {
    let layers: Vec<_> = layers.iter().map(|&layer| (layer, None)).collect();
    encode_with_points(&layers, &[], tile, sizes)
}

/// [`encode_layers`], each layer with its choice of properties, followed by point layers.
fn encode_with_points(
    layers: &[(&FeatureLayer, Option<&KeyChoice>)],
    points: &[&PointLayer],
    tile: TileId,
    sizes: &TileSizes,
) -> Option<Vec<u8>> {
    // Room for the largest tile of the zoom so far, so that the tile is written where it stays,
    // and for the start of a layer that turns out to have nothing in the tile (written, then
    // taken back).
    let largest = &sizes.0[usize::from(tile.z.min(MAX_ZOOM))];
    let room = largest.load(Ordering::Relaxed) + LAYER_START_ROOM;
    let mut out = Vec::with_capacity(room.clamp(MIN_ROOM, MAX_ROOM));
    for (n, (layer, choice)) in layers.iter().enumerate() {
        if !layer.write_layer_choosing(tile, *choice, &mut out) && n == 0 {
            return None;
        }
    }
    for layer in points {
        layer.write_layer(tile, &mut out);
    }
    largest.fetch_max(out.len(), Ordering::Relaxed);
    // A tile far smaller than its room is moved into one of its size, so that a tile (which the
    // cache may keep) never holds more than half as much again as it uses.
    if out.capacity() - out.len() > out.len() / 2 {
        out.shrink_to_fit();
    }
    Some(out)
}

/// The indicator values a tile carries, named by indicator id: the LSOA and MSOA layers keep their
/// identifying fields (code, name, ward, locality, neighbourhood) and only these indicators.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldChoice {
    /// The indicators, in the order asked for, without repeats.
    pub indicators: Vec<String>,
    lsoas: KeyChoice,
    msoas: KeyChoice,
}

impl FieldChoice {
    /// The choice of `indicators` (ids the atlas maps); an id the tiles do not carry is an error
    /// naming it.
    pub fn new(atlas: &Atlas, context: &TileContext, indicators: &[&str]) -> Result<FieldChoice, String> {
        let mut chosen: Vec<String> = Vec::new();
        for &id in indicators {
            match atlas.indicator(id) {
                Some(indicator) if indicator.mapped() => {
                    if !chosen.iter().any(|c| c == id) {
                        chosen.push(id.to_owned());
                    }
                }
                Some(indicator) => {
                    return Err(format!("{id} ({}) is not mapped, so the tiles do not carry it", indicator.name));
                }
                None => return Err(format!("no indicator {id:?} (see /api/indicators)")),
            }
        }
        let keep = |key: &str| atlas.indicator(key).is_none() || chosen.iter().any(|c| c == key);
        Ok(FieldChoice { lsoas: context.lsoas.choose(keep), msoas: context.msoas.choose(keep), indicators: chosen })
    }
}

/// The largest tile written at each zoom, in bytes: the room the next one starts with.
#[derive(Default)]
pub struct TileSizes([AtomicUsize; MAX_ZOOM as usize + 1]);

/// The least and most room a tile starts with.
const MIN_ROOM: usize = 1024;
const MAX_ROOM: usize = 4 * 1024 * 1024;

/// More than the start of any layer: its entry's key and length, version and name.
const LAYER_START_ROOM: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{embedded_files, load};
    use crate::tiles::archive::tiles_over_city;

    #[test]
    fn every_tile_fits_its_bytes_within_half_as_much_again() {
        let atlas = load(&embedded_files()).unwrap();
        let context = TileContext::build(&atlas, &Disclosure::default());
        // Small tiles after the largest of their zoom start with room for the largest.
        let mut tiles = tiles_over_city(&atlas, 13, 14);
        tiles.extend(tiles.clone());
        let mut sizes = Vec::new();
        for tile in tiles {
            let Some(bytes) = encode(&context, tile) else { continue };
            assert!(
                bytes.capacity() <= bytes.len() + bytes.len() / 2,
                "{tile:?}: {} in {}",
                bytes.len(),
                bytes.capacity()
            );
            sizes.push(bytes.len());
        }
        let (least, most) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(most / least >= 2, "tiles of {least} to {most} bytes");
    }
}
