//! Cluster statistics of one indicator, income deprivation (IoD2025), for Coventry's 203 LSOAs and,
//! in the same run, for all 33,755 LSOAs of England: the spatial weights (queen contiguity, and six
//! nearest neighbours with the centroids projected to British National Grid), global and local
//! Moran's I with 999 permutations each, and Getis-Ord Gi\*.
//!
//! The national case reads the ONS LSOA 2021 boundaries (BSC V4) and the IoD2025 domain scores from
//! `$LOCALITY_ATLAS_RAW_NATIONAL` (default `../shared/data/raw/national/`) only when both files are
//! present, keeping English LSOAs (E01 codes); without them it is skipped with a message. Its sample
//! is small (ten runs), as one run of the local statistics takes seconds.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime};
use geo::MultiPolygon;
use locality_atlas::analysis::Disclosure;
use locality_atlas::analysis::clusters::{
    ClusterParameters, LsoaWeights, Method, Weights, clusters, getis_ord_star, indicator_clusters,
};
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::ingest::boundaries::read_geojson_str;
use locality_atlas::stats::Polarity;

const BOUNDARIES: &str = "ew_lsoa21_bsc_v4.geojson.gz";
const DOMAINS: &str = "england_iod2025_lsoa21_domains.csv.gz";

/// Times the weights and the statistics of one set of areas, each benchmark named after the case.
fn bench_case(group: &mut BenchmarkGroup<WallTime>, boundaries: &[(&str, &MultiPolygon<f64>)], values: &[Option<f64>]) {
    let n = boundaries.len();
    group.bench_function(format!("queen contiguity, {n} LSOAs"), |b| {
        b.iter(|| Weights::queen(boundaries.iter().map(|&(_, g)| g)).links())
    });
    group.bench_function(format!("queen and knn6 weights (BNG centroids), {n} LSOAs"), |b| {
        b.iter(|| LsoaWeights::from_boundaries(boundaries).expect("weights").knn6.links())
    });
    let weights = LsoaWeights::from_boundaries(boundaries).expect("weights");
    let lisa = ClusterParameters::default();
    group.bench_function(format!("global and local Moran's I, 999 permutations each, {n} LSOAs"), |b| {
        b.iter(|| clusters(values, &weights.queen, Polarity::LowIsGood, lisa).expect("clusters").local.len())
    });
    // Gi* on its own, over the areas with a value.
    let present: Vec<bool> = values.iter().map(Option::is_some).collect();
    let (with_values, kept) = weights.queen.restrict(&present);
    let y: Vec<f64> = kept.iter().filter_map(|&i| values[i]).collect();
    group.bench_function(format!("Getis-Ord Gi*, {n} LSOAs"), |b| {
        b.iter(|| getis_ord_star(&y, &with_values).expect("Gi*").z.len())
    });
}

fn bench_clusters(c: &mut Criterion) {
    let atlas = load(&embedded_files()).unwrap();
    let disclosure = Disclosure::default();
    let indicator = atlas.indicator("iod25_income_rate").unwrap();
    let boundaries: Vec<(&str, &MultiPolygon<f64>)> =
        atlas.lsoas().iter().map(|l| (l.code.as_str(), &l.geometry)).collect();
    let observations = atlas.observations(&indicator.id).unwrap();
    let values: Vec<Option<f64>> =
        observations.iter().map(|o| o.and_then(|o| disclosure.publish(indicator, &o).value)).collect();

    let mut group = c.benchmark_group("clusters");
    bench_case(&mut group, &boundaries, &values);
    // The whole report as the API serves it (weights built once per data version).
    let weights = LsoaWeights::build(&atlas).unwrap();
    for method in [Method::Lisa, Method::Gi] {
        let parameters = ClusterParameters { method, ..Default::default() };
        group.bench_function(format!("{method:?} report of 203 LSOAs, 999 permutations"), |b| {
            b.iter(|| indicator_clusters(&atlas, indicator, &disclosure, &weights, parameters).unwrap().lsoas.len())
        });
    }
    group.finish();

    let folder =
        std::env::var("LOCALITY_ATLAS_RAW_NATIONAL").unwrap_or_else(|_| "../shared/data/raw/national".to_owned());
    let Some((england, income)) = england(Path::new(&folder)) else {
        eprintln!("{folder}/{BOUNDARIES} or {DOMAINS} is not present: skipping the national cluster benchmark");
        return;
    };
    let boundaries: Vec<(&str, &MultiPolygon<f64>)> = england.iter().map(|(c, g)| (c.as_str(), g)).collect();
    let mut group = c.benchmark_group("clusters, England");
    group.sample_size(10);
    bench_case(&mut group, &boundaries, &income);
    group.finish();
}

/// LSOAs by code, each with its boundary.
type Areas = Vec<(String, MultiPolygon<f64>)>;

/// England's LSOAs (E01 codes) in code order with their IoD2025 income deprivation rate (%), or
/// `None` when either file is missing.
fn england(folder: &Path) -> Option<(Areas, Vec<Option<f64>>)> {
    let started = Instant::now();
    let boundaries = gunzip(&folder.join(BOUNDARIES))?;
    let domains = gunzip(&folder.join(DOMAINS))?;
    let features = read_geojson_str(BOUNDARIES, &boundaries).expect("valid LSOA boundaries");
    let mut areas: Areas = features
        .into_iter()
        .filter_map(|f| f.text("lsoa21_code").filter(|c| c.starts_with("E01")).map(|c| (c, f.geometry)))
        .collect();
    areas.sort_by(|a, b| a.0.cmp(&b.0));

    let mut lines = domains.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no {name} column"));
    let (code, score) = (column("lsoa21_code"), column("Income_score"));
    let mut rates = std::collections::HashMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        // Income_score is the share of residents income deprived: as a percentage, like the atlas.
        rates.insert(cells[code].to_owned(), cells[score].parse::<f64>().ok().map(|s| s * 100.0));
    }
    let income = areas.iter().map(|(c, _)| rates.get(c).copied().flatten()).collect::<Vec<_>>();
    eprintln!(
        "read {} English LSOAs, {} with an income deprivation rate, in {:.1?}",
        areas.len(),
        income.iter().flatten().count(),
        started.elapsed()
    );
    Some((areas, income))
}

fn gunzip(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).expect("a gzipped file");
    Some(text)
}

criterion_group!(benches, bench_clusters);
criterion_main!(benches);
