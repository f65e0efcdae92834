//! Tile rendering per zoom: vector tile encoding and PNG rendering of one Coventry tile, and a
//! cached tile served through the whole router.
//!
//! Baselines in the same run: gzip-compressing the same encoded tile, a fixed cost every server
//! pays per uncached tile response; and, beside the cached tile, what counting one request in the
//! metrics costs on its own.

use std::io::Write;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use locality_atlas::analysis::Disclosure;
use locality_atlas::api::metrics::Metrics;
use locality_atlas::api::{AppState, router, routes};
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

    // A cached z13 tile through the router (guard, routing, cache, ETag), as the load test asks for
    // it, and the part of it that counts the request in the metrics.
    let tile = TileId::containing(13, centre.0).unwrap();
    let uri = format!("/tiles/lsoa/{}/{}/{}.mvt", tile.z, tile.x, tile.y);
    let app = router(Arc::new(AppState::new(load(&embedded_files()).unwrap(), disclosure, 64 << 20)));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let serve = || {
        let request = Request::get(&uri).header("accept-encoding", "gzip").body(Body::empty()).unwrap();
        runtime.block_on(tower::ServiceExt::oneshot(app.clone(), request)).unwrap()
    };
    assert_eq!(serve().status(), 200);
    let metrics = Metrics::new(routes().into_iter().map(|r| r.path));
    let mut group = c.benchmark_group("cached tile served");
    group.bench_function("z13 through the router", |b| b.iter(serve));
    group.bench_function("baseline: counting one request in the metrics", |b| {
        b.iter(|| {
            let route = metrics.route(Some("/tiles/lsoa/{z}/{x}/{file}"));
            metrics.record(route, 200, Duration::from_micros(30));
        })
    });
    group.finish();
}

criterion_group!(benches, bench_tiles);
criterion_main!(benches);
