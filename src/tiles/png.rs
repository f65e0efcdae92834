//! Server-rendered PNG choropleth tiles (256 px, or 512 px for @2x), for clients without WebGL
//! such as QGIS XYZ layers.
//!
//! LSOAs are filled with their class colour (anti-aliased); LSOAs without a publishable value are
//! grey with a diagonal hatch; thin white LSOA borders and dark locality outlines go on top;
//! everything outside the district stays transparent.

use geo::{Intersects, MultiPolygon};
use resvg::tiny_skia::{self, Color, FillRule, Mask, Paint, PathBuilder, Pixmap, Stroke, Transform};

use super::grid::{BUFFER, TileId};
use crate::atlas::{Atlas, BaseGeography};
use crate::classify::choropleth::Choropleth;

/// Pixels per side of a standard tile.
pub const TILE_SIZE: u32 = 256;

fn path_of(geometry: &MultiPolygon<f64>, tile: TileId, size: f64) -> Option<tiny_skia::Path> {
    let mut builder = PathBuilder::new();
    for polygon in &geometry.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let mut points = ring.0.iter().map(|&c| tile.project(c, size));
            let Some(first) = points.next() else { continue };
            builder.move_to(first.x as f32, first.y as f32);
            for p in points {
                builder.line_to(p.x as f32, p.y as f32);
            }
            builder.close();
        }
    }
    builder.finish()
}

fn paint(rgb: [u8; 3], alpha: u8) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(Color::from_rgba8(rgb[0], rgb[1], rgb[2], alpha));
    paint.anti_alias = true;
    paint
}

/// A fully transparent tile: what a tile with nothing to draw is, so raster clients (GDAL's XYZ
/// reader, image layers) get an image rather than an empty answer they count as an error.
pub fn transparent(retina: bool) -> Option<Vec<u8>> {
    let side = TILE_SIZE * if retina { 2 } else { 1 };
    Pixmap::new(side, side)?.encode_png().ok()
}

/// Draws the tile; `None` when no LSOA touches it.
pub fn render(atlas: &Atlas, map: &Choropleth, tile: TileId, retina: bool) -> Option<Vec<u8>> {
    let scale = if retina { 2.0 } else { 1.0 };
    let size = f64::from(TILE_SIZE) * scale;
    let window = tile.buffered_bounds(BUFFER);
    // The areas the choropleth classes: LSOAs (through the R-tree), or the few MSOAs.
    let geometries: Vec<(usize, &MultiPolygon<f64>)> = match map.geography {
        BaseGeography::Lsoa => {
            let mut candidates: Vec<usize> = atlas.spatial_index().in_rect(window).collect();
            candidates.sort_unstable();
            candidates.into_iter().map(|i| (i, &atlas.lsoas()[i].geometry)).collect()
        }
        BaseGeography::Msoa => atlas.msoas().iter().enumerate().map(|(i, m)| (i, &m.geometry)).collect(),
    };
    let window = window.to_polygon();
    let drawn: Vec<(usize, tiny_skia::Path)> = geometries
        .into_iter()
        .filter(|(_, g)| g.intersects(&window))
        .filter_map(|(i, g)| Some((i, path_of(g, tile, size)?)))
        .collect();
    if drawn.is_empty() {
        return None;
    }
    let side = size as u32;
    let mut pixmap = Pixmap::new(side, side)?;
    let identity = Transform::identity();
    for (i, path) in &drawn {
        pixmap.fill_path(path, &paint(map.colour_of(*i), 255), FillRule::EvenOdd, identity, None);
        if map.is_no_data(*i) {
            hatch(&mut pixmap, path, scale as f32);
        }
    }
    let border = Stroke { width: 0.6 * scale as f32, ..Stroke::default() };
    for (_, path) in &drawn {
        pixmap.stroke_path(path, &paint([255, 255, 255], 200), &border, identity, None);
    }
    let outline = Stroke { width: 2.0 * scale as f32, ..Stroke::default() };
    for locality in atlas.localities() {
        if locality.outline.intersects(&window)
            && let Some(path) = path_of(&locality.outline, tile, size)
        {
            pixmap.stroke_path(&path, &paint([37, 37, 37], 255), &outline, identity, None);
        }
    }
    pixmap.encode_png().ok()
}

/// Diagonal dark lines inside the polygon: "no data" must not rely on colour alone.
fn hatch(pixmap: &mut Pixmap, path: &tiny_skia::Path, scale: f32) {
    let Some(mut mask) = Mask::new(pixmap.width(), pixmap.height()) else { return };
    mask.fill_path(path, FillRule::EvenOdd, true, Transform::identity());
    let side = pixmap.width() as f32;
    let spacing = 6.0 * scale;
    let mut builder = PathBuilder::new();
    let mut offset = -side;
    while offset < side {
        builder.move_to(offset, side);
        builder.line_to(offset + side, 0.0);
        offset += spacing;
    }
    if let Some(lines) = builder.finish() {
        let stroke = Stroke { width: 1.0 * scale, ..Stroke::default() };
        pixmap.stroke_path(&lines, &paint([99, 99, 99], 255), &stroke, Transform::identity(), Some(&mask));
    }
}
