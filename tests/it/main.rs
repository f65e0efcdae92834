//! The integration tests, in one crate so that `cargo test` links them once: each module tests one
//! part of the product through its public API, its HTTP server or the real binary, on the committed data.

mod common;

mod all_england;
mod any_district;
mod api_places;
mod bad_input;
mod browser;
mod census_outcomes;
mod charts;
mod custom_area;
mod deployment;
mod disclosure;
mod disclosure_scan;
mod fuzz_regressions;
mod gp_access;
mod hostile;
mod inequality;
mod metrics;
mod module_graph;
mod msoa;
mod national_benchmarks;
mod neighbours;
mod official_figures;
mod openapi;
mod page;
mod pmtiles;
mod png_tiles;
mod profiles;
mod reload;
mod reproject_shapefile;
mod serve;
mod spatial_statistics;
mod static_site;
mod styles;
mod tiles;
mod truthful_comparisons;
