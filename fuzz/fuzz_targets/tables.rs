//! The data folder's tables (place, catalogue, indicator values, comparators, England ranges,
//! localities): a folder with any one of them replaced is loaded, or refused with problems that
//! name the file; never a panic.
//!
//! Input: one byte choosing the file, then its contents. The other files are the committed data
//! cut down to a few LSOAs (as `seeds.py` cuts the seeds), so that each run is fast.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use locality_atlas::atlas::{DataFiles, embedded_files, load};

const TABLES: [&str; 6] = [
    "data/place.json",
    "data/catalogue.json",
    "data/indicators.csv",
    "data/comparators.csv",
    "data/england_ranges.csv",
    "boundaries/localities.csv",
];

/// The LSOAs the cut-down folder keeps: Wood End / Henley Green and a few beside it.
const KEEP: [&str; 8] =
    ["E01009577", "E01009579", "E01009580", "E01009581", "E01009582", "E01009583", "E01009522", "E01009523"];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, contents)) = data.split_first() else { return };
    let name = TABLES[usize::from(choice) % TABLES.len()];
    let mut files = small_folder().clone();
    for (file, bytes) in &mut files.files {
        if *file == name {
            *bytes = contents.to_vec();
        }
    }
    if let Err(error) = load(&files) {
        assert!(!error.problems.is_empty());
        for problem in &error.problems {
            let message = problem.to_string();
            assert!(message.contains(".csv") || message.contains(".json"), "a problem names no file: {message}");
        }
    }
});

fn small_folder() -> &'static DataFiles {
    static FOLDER: OnceLock<DataFiles> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let mut files = embedded_files();
        for (name, bytes) in &mut files.files {
            match *name {
                "data/indicators.csv" | "boundaries/localities.csv" => *bytes = keep_rows(bytes),
                "boundaries/lsoa21.geojson" => *bytes = keep_features(bytes),
                _ => {}
            }
        }
        load(&files).expect("the cut-down folder loads");
        files
    })
}

fn keep_rows(csv: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(csv);
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap_or_default());
    for line in lines.filter(|line| KEEP.iter().any(|code| line.contains(code))) {
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

fn keep_features(geojson: &[u8]) -> Vec<u8> {
    let mut collection: serde_json::Value = serde_json::from_slice(geojson).expect("the committed boundaries");
    if let Some(features) = collection["features"].as_array_mut() {
        features.retain(|f| {
            f["properties"]
                .as_object()
                .is_some_and(|p| p.values().any(|v| KEEP.contains(&v.as_str().unwrap_or_default())))
        });
    }
    serde_json::to_vec(&collection).expect("JSON")
}
