//! A zoom-6 vector tile over all 34,753 LSOAs of England and Wales (2011 boundaries, super
//! generalised), the national-scale case of the tile engine.
//!
//! The boundaries are not part of the repository: they are read from `$LOCALITY_ATLAS_NATIONAL`
//! (default `../shared/data/national/ew_lsoa11_bsc.geojson.gz`) only when it is present; without it
//! the benchmark is skipped.
//!
//! Prints the one-off costs (reading, preparing the layer, the first tile at the zoom, which also
//! simplifies every feature it touches) and the tile's size, then times the tile as served.
//! Baseline in the same run: gzip of the encoded tile, a cost every server pays per response.

use std::io::{Read, Write};
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use locality_atlas::ingest::boundaries::read_geojson_str;
use locality_atlas::tiles::{FeatureLayer, LSOA_NAME_MIN_ZOOM, TagValue, TileId, TileSizes, encode_layers};

fn bench_national(c: &mut Criterion) {
    let path = std::env::var("LOCALITY_ATLAS_NATIONAL")
        .unwrap_or_else(|_| "../shared/data/national/ew_lsoa11_bsc.geojson.gz".to_owned());
    let Ok(file) = std::fs::File::open(&path) else {
        eprintln!("{path} is not present: skipping the national tile benchmark");
        return;
    };
    let started = Instant::now();
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).expect("a gzipped GeoJSON file");
    let boundaries = read_geojson_str(&path, &text).expect("valid boundaries");
    eprintln!("read {} LSOAs in {:.0?}", boundaries.len(), started.elapsed());

    let started = Instant::now();
    let layer = FeatureLayer::new(
        "lsoa",
        boundaries.iter().enumerate().map(|(i, b)| {
            let tag = |key: &str| (key.to_lowercase(), TagValue::Text(b.text(key).unwrap_or_default()));
            (i as u64 + 1, &b.geometry, vec![tag("LSOA11CD"), tag("LSOA11NM")])
        }),
    )
    .from_zoom("lsoa11nm", LSOA_NAME_MIN_ZOOM);
    eprintln!("prepared the layer in {:.0?}", started.elapsed());

    // Tile 6/31/21 covers the Midlands, London, the South East and South Wales.
    let tile = TileId::new(6, 31, 21).unwrap();
    let started = Instant::now();
    let sizes = TileSizes::default();
    let bytes = encode_layers(&[&layer], tile, &sizes).expect("LSOAs in the tile");
    let features = mvt_features(&bytes);
    eprintln!(
        "first z6 tile (simplifying every LSOA it touches): {:.0?}; {} bytes, {} bytes gzipped, {features} features of {} meeting the tile",
        started.elapsed(),
        bytes.len(),
        gzip(&bytes).len(),
        layer.in_tile(tile).len()
    );

    let mut group = c.benchmark_group("national z6 tile");
    group.sample_size(20);
    group.bench_function("encode 6/31/21", |b| b.iter(|| encode_layers(&[&layer], tile, &sizes)));
    group.bench_function("baseline: gzip the encoded tile", |b| b.iter(|| gzip(&bytes)));
    group.finish();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// Features in the tile's single layer, read with an independent decoder.
fn mvt_features(bytes: &[u8]) -> usize {
    let reader = mvt_reader::Reader::new(bytes.to_vec()).expect("a readable tile");
    reader.get_features(0).map(|f| f.len()).unwrap_or(0)
}

criterion_group!(benches, bench_national);
criterion_main!(benches);
