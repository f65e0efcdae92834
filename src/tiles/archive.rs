//! PMTiles v3 archives of the vector tiles, so the map can be published on a static host.

use std::io::{Seek, Write};

use pmtiles::{PmTilesWriter, TileCoord, TileId as PmTileId, TileType};

use super::grid::TileId;
use super::mvt::{TileContext, encode};
use super::vector_layers::VectorLayer;
use crate::atlas::Atlas;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveSummary {
    /// Tiles looked at (all tiles over the city's bounds, zoom by zoom).
    pub tiles_considered: usize,
    /// Non-empty tiles written.
    pub tiles_written: usize,
}

/// Every tile over the city's bounds from `min_zoom` to `max_zoom`, in PMTiles (Hilbert) order.
pub fn tiles_over_city(atlas: &Atlas, min_zoom: u8, max_zoom: u8) -> Vec<TileId> {
    let Some(bounds) = atlas.bounds() else { return Vec::new() };
    let mut tiles = Vec::new();
    for z in min_zoom..=max_zoom {
        let probe = TileId { z, x: 0, y: 0 };
        let top_left = probe.project(geo::coord! { x: bounds.min().x, y: bounds.max().y }, 1.0);
        let bottom_right = probe.project(geo::coord! { x: bounds.max().x, y: bounds.min().y }, 1.0);
        for x in top_left.x.floor() as u32..=bottom_right.x.floor() as u32 {
            for y in top_left.y.floor() as u32..=bottom_right.y.floor() as u32 {
                if let Ok(tile) = TileId::new(u32::from(z), x, y) {
                    tiles.push(tile);
                }
            }
        }
    }
    tiles.sort_by_key(|t| TileCoord::new(t.z, t.x, t.y).map(|c| PmTileId::from(c).value()).unwrap_or(u64::MAX));
    tiles
}

/// Writes the vector tiles over the city into a PMTiles archive; `progress` is called per tile.
pub fn write_archive<W: Write + Seek>(
    atlas: &Atlas,
    context: &TileContext,
    max_zoom: u8,
    out: W,
    mut progress: impl FnMut(usize, usize),
) -> Result<ArchiveSummary, String> {
    let tiles = tiles_over_city(atlas, 0, max_zoom);
    let bounds = atlas.bounds().ok_or("the atlas has no district outline")?;
    let centre = geo::Centroid::centroid(&bounds);
    // The archive stops at `max_zoom`: a layer is listed with the zooms it has in the archive, and a
    // layer that starts deeper is not in it at all.
    let layers: Vec<serde_json::Value> = super::vector_layers(atlas)
        .into_iter()
        .filter(|layer| layer.minzoom <= max_zoom)
        .map(|layer| VectorLayer { maxzoom: layer.maxzoom.min(max_zoom), ..layer }.typed())
        .collect();
    let metadata = serde_json::json!({
        "name": super::vector_layers::tileset_name(atlas),
        "version": atlas.version,
        // The archive holds the GP practice layer too, so it carries that layer's attribution.
        "attribution": super::vector_layers::tileset_attribution(),
        "description": super::vector_layers::tileset_description(atlas),
        "type": "overlay",
        "vector_layers": layers,
    });
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .min_zoom(0)
        .max_zoom(max_zoom)
        .bounds(bounds.min().x, bounds.min().y, bounds.max().x, bounds.max().y)
        .center(centre.x(), centre.y())
        .center_zoom(12)
        .metadata(metadata.to_string())
        .create(out)
        .map_err(|e| format!("cannot start the archive: {e}"))?;
    let mut written = 0;
    for (done, tile) in tiles.iter().enumerate() {
        if let Some(bytes) = encode(context, *tile) {
            let coord = TileCoord::new(tile.z, tile.x, tile.y).map_err(|e| e.to_string())?;
            writer
                .add_tile(coord, &bytes)
                .map_err(|e| format!("cannot write tile {}/{}/{}: {e}", tile.z, tile.x, tile.y))?;
            written += 1;
        }
        progress(done + 1, tiles.len());
    }
    writer.finalize().map_err(|e| format!("cannot finish the archive: {e}"))?;
    Ok(ArchiveSummary { tiles_considered: tiles.len(), tiles_written: written })
}
