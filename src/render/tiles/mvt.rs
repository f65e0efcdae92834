//! Mapbox Vector Tile (spec 2.1) encoding of the LSOA, locality and ward layers.

use geo::{BoundingRect, Intersects, MultiPolygon, unary_union};
use mvt::{GeomEncoder, GeomType, Layer, Tile};

use super::grid::{EXTENT, TileId};
use super::shape::{TileRings, tile_polygons};
use crate::analysis::Disclosure;
use crate::atlas::Atlas;

/// Layer of LSOA polygons with their indicator values.
pub const LSOA_LAYER: &str = "lsoa";
/// Layer of locality outlines.
pub const LOCALITY_LAYER: &str = "localities";
/// Layer of ward polygons.
pub const WARD_LAYER: &str = "wards";

/// What the tiles need beyond the atlas, computed once: each locality as one (multi)polygon, and
/// each LSOA's publishable indicator values.
pub struct TileContext {
    localities: Vec<(String, String, MultiPolygon<f64>)>,
    published: Vec<Vec<(usize, f64)>>,
}

impl TileContext {
    /// Dissolves each locality's LSOAs into its outline and applies disclosure control to every value.
    pub fn build(atlas: &Atlas, disclosure: &Disclosure) -> TileContext {
        let mut published = vec![Vec::new(); atlas.lsoas().len()];
        for (k, indicator) in atlas.catalogue().iter().enumerate() {
            let observations = atlas.observations(&indicator.id).unwrap_or_default();
            for (i, observation) in observations.iter().enumerate() {
                if let Some(value) = observation.as_ref().and_then(|o| disclosure.publish(indicator, o).value) {
                    published[i].push((k, value));
                }
            }
        }
        let localities = atlas
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
        TileContext { localities, published }
    }

    /// Locality outlines: (id, name, outline).
    pub fn localities(&self) -> &[(String, String, MultiPolygon<f64>)] {
        &self.localities
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

/// One property value of a feature.
enum Tag<'a> {
    Text(&'a str),
    Number(f64),
}

fn add_feature(layer: Layer, id: u64, rings: &TileRings, tags: &[(&str, Tag)]) -> Result<Layer, mvt::Error> {
    let mut feature = layer.into_feature(geometry_of(rings)?);
    feature.set_id(id);
    for (key, value) in tags {
        match value {
            Tag::Text(text) => feature.add_tag_string(key, text),
            Tag::Number(number) => feature.add_tag_double(key, *number),
        }
    }
    Ok(feature.into_layer())
}

/// True when the geometry's bounding box lies inside the rectangle: then it surely intersects it.
fn inside(geometry: &MultiPolygon<f64>, rect: &geo::Rect<f64>) -> bool {
    geometry.bounding_rect().is_some_and(|b| {
        rect.min().x <= b.min().x && rect.min().y <= b.min().y && b.max().x <= rect.max().x && b.max().y <= rect.max().y
    })
}

/// Encodes the tile, or `None` when no LSOA touches it.
///
/// An LSOA is in the tile when its boundary intersects the tile itself; its geometry is then
/// kept out to the buffer. Suppressed and missing values are absent from the properties.
pub fn encode(atlas: &Atlas, context: &TileContext, tile: TileId) -> Result<Option<Vec<u8>>, EncodeError> {
    let fail = |reason: String| EncodeError { z: tile.z, x: tile.x, y: tile.y, reason };
    let bounds = tile.bounds();
    let window = bounds.to_polygon();
    let mut candidates: Vec<usize> = atlas.spatial_index().in_rect(bounds).collect();
    candidates.sort_unstable();
    let mut mvt_tile = Tile::new(EXTENT);

    let mut layer = mvt_tile.create_layer(LSOA_LAYER);
    let mut count = 0;
    for i in candidates {
        let lsoa = &atlas.lsoas()[i];
        if !inside(&lsoa.geometry, &bounds) && !lsoa.geometry.intersects(&window) {
            continue;
        }
        let Some(rings) = tile_polygons(&lsoa.geometry, tile) else { continue };
        let locality = atlas.localities_of(&lsoa.code).next().map(|l| l.id.as_str());
        let mut tags = vec![
            ("code", Tag::Text(&lsoa.code)),
            ("name", Tag::Text(&lsoa.name)),
            ("ward", Tag::Text(&lsoa.ward_code)),
        ];
        if let Some(locality) = locality {
            tags.push(("locality", Tag::Text(locality)));
        }
        for &(k, value) in &context.published[i] {
            tags.push((atlas.catalogue()[k].id.as_str(), Tag::Number(value)));
        }
        layer = add_feature(layer, i as u64 + 1, &rings, &tags).map_err(|e| fail(e.to_string()))?;
        count += 1;
    }
    if count == 0 {
        return Ok(None);
    }
    mvt_tile.add_layer(layer).map_err(|e| fail(e.to_string()))?;

    let mut layer = mvt_tile.create_layer(LOCALITY_LAYER);
    for (n, (id, name, outline)) in context.localities().iter().enumerate() {
        if !outline.intersects(&window) {
            continue;
        }
        if let Some(rings) = tile_polygons(outline, tile) {
            layer = add_feature(layer, n as u64 + 1, &rings, &[("id", Tag::Text(id)), ("name", Tag::Text(name))])
                .map_err(|e| fail(e.to_string()))?;
        }
    }
    if layer.num_features() > 0 {
        mvt_tile.add_layer(layer).map_err(|e| fail(e.to_string()))?;
    }

    let mut layer = mvt_tile.create_layer(WARD_LAYER);
    for (n, ward) in atlas.wards().iter().enumerate() {
        if !ward.geometry.intersects(&window) {
            continue;
        }
        if let Some(rings) = tile_polygons(&ward.geometry, tile) {
            layer = add_feature(
                layer,
                n as u64 + 1,
                &rings,
                &[("code", Tag::Text(&ward.code)), ("name", Tag::Text(&ward.name))],
            )
            .map_err(|e| fail(e.to_string()))?;
        }
    }
    if layer.num_features() > 0 {
        mvt_tile.add_layer(layer).map_err(|e| fail(e.to_string()))?;
    }
    mvt_tile.to_bytes().map(Some).map_err(|e| fail(e.to_string()))
}
