//! Cluster statistics of one indicator across all 203 LSOAs with 999 permutations.

use criterion::{Criterion, criterion_group, criterion_main};
use locality_atlas::analysis::Disclosure;
use locality_atlas::analysis::clusters::{ClusterParameters, LsoaWeights, Method, Weights, indicator_clusters};
use locality_atlas::atlas::{embedded_files, load};

fn bench_clusters(c: &mut Criterion) {
    let atlas = load(&embedded_files()).unwrap();
    let disclosure = Disclosure::default();
    let indicator = atlas.indicator("iod25_income_rate").unwrap();
    c.bench_function("queen contiguity of 203 LSOAs", |b| {
        b.iter(|| Weights::queen(atlas.lsoas().iter().map(|l| &l.geometry)).links())
    });
    let weights = LsoaWeights::build(&atlas).unwrap();
    for method in [Method::Lisa, Method::Gi] {
        let parameters = ClusterParameters { method, ..Default::default() };
        c.bench_function(&format!("{method:?} clusters of 203 LSOAs, 999 permutations"), |b| {
            b.iter(|| indicator_clusters(&atlas, indicator, &disclosure, &weights, parameters).unwrap().lsoas.len())
        });
    }
}

criterion_group!(benches, bench_clusters);
criterion_main!(benches);
