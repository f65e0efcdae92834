//! Locality profiles, and custom-area apportionment against all 34,753 England and Wales LSOAs.
//!
//! The national layer is read from `$LOCALITY_ATLAS_NATIONAL` (default
//! `../shared/data/national/ew_lsoa11_bsc.geojson.gz`) only when it is present; without it the
//! national benchmark is skipped. `benches/geopandas_overlay.py` times the same overlay with
//! geopandas on the same polygons, for the side-by-side ratio.

use std::io::Read;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::{MultiPolygon, unary_union};
use locality_atlas::analysis::custom::overlap_shares;
use locality_atlas::analysis::{Area, Disclosure, profile};
use locality_atlas::atlas::{Atlas, BoxIndex, embedded_files, load};
use locality_atlas::ingest::read_geojson_str;

const LOCALITIES: [&str; 3] = ["wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"];

fn locality_polygon(atlas: &Atlas, id: &str) -> MultiPolygon<f64> {
    let area = Area::locality(atlas, id).expect("a default locality");
    let parts: Vec<_> = area.members.iter().flat_map(|m| atlas.lsoas()[m.lsoa].geometry.0.clone()).collect();
    unary_union(&parts)
}

fn bench_profiles(c: &mut Criterion) {
    let atlas = load(&embedded_files()).unwrap();
    let disclosure = Disclosure::default();
    let areas: Vec<Area> = LOCALITIES.iter().map(|id| Area::locality(&atlas, id).unwrap()).collect();
    c.bench_function("profile of all three localities", |b| {
        b.iter(|| areas.iter().map(|a| profile(&atlas, a, &disclosure).indicators.len()).sum::<usize>())
    });
}

fn national_layer() -> Option<Vec<MultiPolygon<f64>>> {
    let path = std::env::var_os("LOCALITY_ATLAS_NATIONAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/national/ew_lsoa11_bsc.geojson.gz"));
    let file = std::fs::File::open(&path).ok()?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).ok()?;
    let boundaries = read_geojson_str(&path.display().to_string(), &text).ok()?;
    Some(boundaries.into_iter().map(|b| b.geometry).collect())
}

fn bench_national_apportionment(c: &mut Criterion) {
    let Some(national) = national_layer() else {
        eprintln!("national LSOA layer not found: skipping the national apportionment benchmark");
        return;
    };
    let atlas = load(&embedded_files()).unwrap();
    let index = BoxIndex::build(national.iter());
    eprintln!("national layer: {} LSOAs", index.len());
    let mut group = c.benchmark_group("custom area against 34,753 national LSOAs");
    for id in LOCALITIES {
        let polygon = locality_polygon(&atlas, id);
        let members = overlap_shares(&index, |i| &national[i], &polygon);
        eprintln!("{id}: {} overlapping LSOAs", members.len());
        group.bench_function(id, |b| b.iter(|| overlap_shares(&index, |i| &national[i], &polygon).len()));
    }
    group.finish();
}

criterion_group!(benches, bench_profiles, bench_national_apportionment);
criterion_main!(benches);
