//! Tile rendering per zoom: vector tile encoding and PNG rendering of one Coventry tile.
//!
//! Baseline in the same run: gzip-compressing the same encoded tile, a fixed cost every server
//! pays per uncached tile response.

use std::io::Write;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use locality_atlas::analysis::Disclosure;
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::classify::choropleth::{ChoroplethOptions, choropleth};
use locality_atlas::tiles::archive::tiles_over_city;
use locality_atlas::tiles::{TileContext, TileId, encode, png};

fn bench_tiles(c: &mut Criterion) {
    let atlas = load(&embedded_files()).unwrap();
    let disclosure = Disclosure::default();
    let context = TileContext::build(&atlas, &disclosure);
    let centre = atlas.lsoa("E01009683").unwrap().interior;
    let indicator = atlas.indicator("iod25_income_rate").unwrap();
    let map = choropleth(&atlas, indicator, &disclosure, &ChoroplethOptions::default()).unwrap();

    let mut group = c.benchmark_group("vector tile");
    for z in [10, 12, 13, 14, 16] {
        let tile = TileId::containing(z, centre.0).unwrap();
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

    // The load test's tiles: every z12-z14 tile over the city, encoded once each per iteration.
    let mut group = c.benchmark_group("vector tiles over the city");
    for zooms in [(12, 12), (13, 13), (14, 14), (12, 14)] {
        let tiles = tiles_over_city(&atlas, zooms.0, zooms.1);
        let name = format!("z{}-z{} ({} tiles)", zooms.0, zooms.1, tiles.len());
        group.bench_function(name, |b| b.iter(|| tiles.iter().filter_map(|&t| encode(&context, t)).count()));
    }
    group.finish();

    let mut group = c.benchmark_group("png tile");
    group.sample_size(30);
    for z in [10, 13, 16] {
        let tile = TileId::containing(z, centre.0).unwrap();
        group.bench_with_input(BenchmarkId::new("render 256px", z), &tile, |b, &tile| {
            b.iter(|| png::render(&atlas, &map, tile, false).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_tiles);
criterion_main!(benches);
