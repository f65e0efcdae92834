//! Rasterises chart SVG to PNG with resvg, using only the bundled font so every machine draws the same pixels.

use super::error::ChartError;
use super::figure::Size;
use super::font::{BOLD, FAMILY, REGULAR};
use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};
use std::sync::{Arc, OnceLock};

/// Largest output edge in pixels; beyond this a request is refused rather than allocating gigabytes.
const MAX_EDGE: f64 = 16_384.0;

fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut database = fontdb::Database::new();
            database.load_font_data(REGULAR.to_vec());
            database.load_font_data(BOLD.to_vec());
            database.set_sans_serif_family(FAMILY);
            Arc::new(database)
        })
        .clone()
}

/// Rasterises `svg` (as returned by [`super::svg`]) to PNG bytes at `size`, on a white background.
pub fn png(svg: &str, size: Size) -> Result<Vec<u8>, ChartError> {
    let options = usvg::Options { fontdb: fonts(), font_family: FAMILY.to_owned(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|error| ChartError::Parse(error.to_string()))?;
    let logical = tree.size();
    let scale = size.scale(f64::from(logical.width()));
    let width = (f64::from(logical.width()) * scale).round();
    let height = (f64::from(logical.height()) * scale).round();
    if !(1.0..=MAX_EDGE).contains(&width) || !(1.0..=MAX_EDGE).contains(&height) {
        return Err(ChartError::Raster(format!("output of {width}×{height} px is outside 1 to {MAX_EDGE} px")));
    }
    let mut pixmap = Pixmap::new(width as u32, height as u32)
        .ok_or_else(|| ChartError::Raster(format!("cannot allocate a {width}×{height} px canvas")))?;
    pixmap.fill(Color::WHITE);
    let scale = scale as f32;
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    encode(&pixmap).map_err(|error| ChartError::Raster(error.to_string()))
}

/// PNG with fast compression: a chart is flat colour, which compresses well even so, and the
/// default level costs more time than drawing it.
fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // The canvas is filled white first, so every pixel is opaque and premultiplied equals straight RGBA.
    encoder.write_header()?.write_image_data(pixmap.data())?;
    Ok(bytes)
}
