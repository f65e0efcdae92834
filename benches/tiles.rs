//! Tile rendering per zoom: vector tile encoding and PNG rendering of one Coventry tile.
//!
//! Baseline in the same run: gzip-compressing the same encoded tile, a fixed cost every server
//! pays per uncached tile response.

use std::io::Write;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use locality_atlas::analysis::Disclosure;
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::render::choropleth::{ChoroplethOptions, choropleth};
use locality_atlas::render::tiles::{TileContext, TileId, encode, png};

/// The tile holding a point at a zoom.
fn tile_at(lon: f64, lat: f64, z: u32) -> TileId {
    let n = f64::from(1u32 << z);
    let lat_r = lat.to_radians();
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let y = ((1.0 - (lat_r.tan() + 1.0 / lat_r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    TileId::new(z, x, y).expect("a tile over Coventry")
}

fn bench_tiles(c: &mut Criterion) {
    let atlas = load(&embedded_files()).unwrap();
    let disclosure = Disclosure::default();
    let context = TileContext::build(&atlas, &disclosure);
    let centre = atlas.lsoa("E01009683").unwrap().interior;
    let indicator = atlas.indicator("iod25_income_rate").unwrap();
    let map = choropleth(&atlas, indicator, &disclosure, &ChoroplethOptions::default()).unwrap();

    let mut group = c.benchmark_group("vector tile");
    for z in [10, 12, 13, 14, 16] {
        let tile = tile_at(centre.x(), centre.y(), z);
        let bytes = encode(&context, tile).unwrap();
        eprintln!("z{z}: {} bytes", bytes.len());
        group.bench_with_input(BenchmarkId::new("encode", z), &tile, |b, &tile| b.iter(|| encode(&context, tile)));
        group.bench_with_input(BenchmarkId::new("baseline: gzip the encoded tile", z), &bytes, |b, bytes| {
            b.iter(|| {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(bytes).unwrap();
                gz.finish().unwrap()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("png tile");
    group.sample_size(30);
    for z in [10, 13, 16] {
        let tile = tile_at(centre.x(), centre.y(), z);
        group.bench_with_input(BenchmarkId::new("render 256px", z), &tile, |b, &tile| {
            b.iter(|| png::render(&atlas, &context, &map, tile, false).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_tiles);
criterion_main!(benches);
