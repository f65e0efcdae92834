//! Mapbox Vector Tile (spec 2.1) encoding of the LSOA, locality and ward layers.

use geo::{MultiPolygon, unary_union};
use mvt::{GeomEncoder, GeomType, Tile};

use super::grid::{EXTENT, TileId};
use super::layer::{FeatureLayer, TagValue};
use super::shape::TileRings;
use crate::analysis::Disclosure;
use crate::atlas::Atlas;

/// Layer of LSOA polygons with their indicator values.
pub const LSOA_LAYER: &str = "lsoa";
/// Layer of locality outlines.
pub const LOCALITY_LAYER: &str = "localities";
/// Layer of ward polygons.
pub const WARD_LAYER: &str = "wards";

/// The three layers of the atlas prepared for tiling, and each locality as one (multi)polygon.
pub struct TileContext {
    outlines: Vec<(String, String, MultiPolygon<f64>)>,
    lsoas: FeatureLayer,
    localities: FeatureLayer,
    wards: FeatureLayer,
}

impl TileContext {
    /// Dissolves each locality's LSOAs into its outline, applies disclosure control to every value
    /// and prepares the layers.
    pub fn build(atlas: &Atlas, disclosure: &Disclosure) -> TileContext {
        let mut tags: Vec<Vec<(String, TagValue)>> = atlas
            .lsoas()
            .iter()
            .map(|lsoa| {
                let mut tags = vec![
                    ("code".to_owned(), TagValue::Text(lsoa.code.clone())),
                    ("name".to_owned(), TagValue::Text(lsoa.name.clone())),
                    ("ward".to_owned(), TagValue::Text(lsoa.ward_code.clone())),
                ];
                if let Some(locality) = atlas.localities_of(&lsoa.code).next() {
                    tags.push(("locality".to_owned(), TagValue::Text(locality.id.clone())));
                }
                tags
            })
            .collect();
        for indicator in atlas.catalogue() {
            let observations = atlas.observations(&indicator.id).unwrap_or_default();
            for (i, observation) in observations.iter().enumerate() {
                if let Some(value) = observation.as_ref().and_then(|o| disclosure.publish(indicator, o).value) {
                    tags[i].push((indicator.id.clone(), TagValue::Number(value)));
                }
            }
        }
        let lsoas = FeatureLayer::new(
            LSOA_LAYER,
            atlas.lsoas().iter().zip(tags).enumerate().map(|(i, (lsoa, tags))| (i as u64 + 1, &lsoa.geometry, tags)),
        );
        let outlines: Vec<(String, String, MultiPolygon<f64>)> = atlas
            .localities()
            .iter()
            .map(|l| {
                let parts: Vec<_> = l
                    .members
                    .iter()
                    .filter_map(|m| atlas.lsoa(&m.lsoa21_code))
                    .flat_map(|lsoa| lsoa.geometry.0.iter().cloned())
                    .collect();
                (l.id.clone(), l.name.clone(), unary_union(&parts))
            })
            .collect();
        let localities = FeatureLayer::new(
            LOCALITY_LAYER,
            outlines.iter().enumerate().map(|(n, (id, name, outline))| {
                let tags = vec![
                    ("id".to_owned(), TagValue::Text(id.clone())),
                    ("name".to_owned(), TagValue::Text(name.clone())),
                ];
                (n as u64 + 1, outline, tags)
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
        TileContext { outlines, lsoas, localities, wards }
    }

    /// Locality outlines: (id, name, outline).
    pub fn localities(&self) -> &[(String, String, MultiPolygon<f64>)] {
        &self.outlines
    }
}

/// A tile could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode tile {z}/{x}/{y}: {reason}")]
pub struct EncodeError {
    z: u8,
    x: u32,
    y: u32,
    reason: String,
}

fn geometry_of(rings: &TileRings) -> Result<mvt::GeomData, mvt::Error> {
    let mut encoder = GeomEncoder::new(GeomType::Polygon);
    for polygon in rings {
        for ring in polygon {
            for &(x, y) in ring {
                encoder.add_point(f64::from(x), f64::from(y))?;
            }
            encoder.complete_geom()?;
        }
    }
    encoder.encode()
}

/// Encodes the atlas tile (LSOAs, localities, wards), or `None` when no LSOA touches it.
///
/// An LSOA is in the tile when it meets the tile itself; its geometry is then kept out to the
/// buffer. Suppressed and missing values are absent from the properties.
pub fn encode(context: &TileContext, tile: TileId) -> Result<Option<Vec<u8>>, EncodeError> {
    encode_layers(&[&context.lsoas, &context.localities, &context.wards], tile)
}

/// Encodes any prepared layers into one tile, leaving out layers with nothing in the tile; `None`
/// when the first layer has nothing in it.
pub fn encode_layers(layers: &[&FeatureLayer], tile: TileId) -> Result<Option<Vec<u8>>, EncodeError> {
    let fail = |reason: String| EncodeError { z: tile.z, x: tile.x, y: tile.y, reason };
    let mut mvt_tile = Tile::new(EXTENT);
    for (n, source) in layers.iter().enumerate() {
        let mut layer = mvt_tile.create_layer(source.name());
        for i in source.in_tile(tile) {
            let Some(rings) = source.rings(i, tile) else { continue };
            let feature = &source.features()[i];
            let mut encoded = layer.into_feature(geometry_of(&rings).map_err(|e| fail(e.to_string()))?);
            encoded.set_id(feature.id);
            for (key, value) in &feature.tags {
                match value {
                    TagValue::Text(text) => encoded.add_tag_string(key, text),
                    TagValue::Number(number) => encoded.add_tag_double(key, *number),
                }
            }
            layer = encoded.into_layer();
        }
        if layer.num_features() == 0 {
            if n == 0 {
                return Ok(None);
            }
            continue;
        }
        mvt_tile.add_layer(layer).map_err(|e| fail(e.to_string()))?;
    }
    mvt_tile.to_bytes().map(Some).map_err(|e| fail(e.to_string()))
}
