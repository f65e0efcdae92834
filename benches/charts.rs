//! Drawing each kind of chart from the committed data, as SVG and as PNG at screen size.
//!
//! Baseline in the same run: building the figure (the analysis behind the chart) without drawing it.

use std::collections::HashMap;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use locality_atlas::analysis::Disclosure;
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::charts::{self, Size};
use locality_atlas::figures::{self, FigureRequest, Sources};

fn bench_charts(c: &mut Criterion) {
    let atlas = load(&embedded_files()).unwrap();
    let disclosure = Disclosure::default();
    let sources = Sources { atlas: &atlas, disclosure: &disclosure, produced: "26 November 2026".to_owned() };
    let kinds: [(&str, &[(&str, &str)]); 8] = [
        ("ranked", &[("indicator", "iod25_income_rate"), ("area", "wood-end-henley-green")]),
        ("ranked-city", &[("indicator", "iod25_income_rate")]),
        ("localities", &[("indicator", "census21_disabled")]),
        ("spine", &[("locality", "canley-tile-hill")]),
        ("gradient", &[("indicator", "iod25_income_rate"), ("locality", "spon-end-st-michaels")]),
        ("scatter", &[("x", "iod25_income_rate"), ("y", "census21_disabled")]),
        ("change", &[("indicator", "iod25_employment_rate")]),
        ("map", &[("indicator", "iod25_imd_score")]),
    ];
    let mut group = c.benchmark_group("charts");
    group.sample_size(20);
    for (name, parameters) in kinds {
        let kind = name.trim_end_matches("-city");
        let parameters: HashMap<String, String> =
            parameters.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let request = FigureRequest { kind: kind.parse().unwrap(), parameters };
        let figure = figures::build(&sources, &request).unwrap();
        let svg = charts::svg(&figure.chart).unwrap();
        group.bench_with_input(BenchmarkId::new("baseline: build the figure", name), &request, |b, r| {
            b.iter(|| figures::build(&sources, r).unwrap())
        });
        group
            .bench_with_input(BenchmarkId::new("svg", name), &figure, |b, f| b.iter(|| charts::svg(&f.chart).unwrap()));
        group.bench_with_input(BenchmarkId::new("png from the svg", name), &svg, |b, s| {
            b.iter(|| charts::png(s, Size::Screen).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_charts);
criterion_main!(benches);
