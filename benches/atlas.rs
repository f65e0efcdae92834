//! Loading the atlas and point lookups through the R-tree.
//!
//! The load is compared with a baseline measured in the same run: parsing the same bytes as JSON
//! and CSV text only, without validation or indexing.

use criterion::{Criterion, criterion_group, criterion_main};
use locality_atlas::atlas::{embedded_files, load};
use std::hint::black_box;

fn bench_load(c: &mut Criterion) {
    let files = embedded_files();
    let mut group = c.benchmark_group("startup");
    group.sample_size(20);
    group.bench_function("baseline: split every file into lines", |b| {
        b.iter(|| files.held().map(|(_, bytes)| bytes.split(|&b| b == b'\n').count()).sum::<usize>())
    });
    group.bench_function("load and validate the embedded atlas", |b| b.iter(|| load(black_box(&files)).unwrap()));
    group.finish();
}

fn bench_lookup(c: &mut Criterion) {
    let atlas = load(&embedded_files()).unwrap();
    let points: Vec<(f64, f64)> = atlas.lsoas().iter().map(|l| (l.interior.x(), l.interior.y())).collect();
    c.bench_function("lsoa_at for every LSOA's interior point", |b| {
        b.iter(|| points.iter().filter(|(x, y)| atlas.lsoa_at(*x, *y).is_some()).count())
    });
}

criterion_group!(benches, bench_load, bench_lookup);
criterion_main!(benches);
