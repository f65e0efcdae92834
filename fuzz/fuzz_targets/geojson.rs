//! GeoJSON boundary files: any text is read into boundaries or refused with an error that names
//! the file; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_atlas::ingest::read_geojson_str;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(error) = read_geojson_str("fuzz.geojson", text) {
        assert!(error.to_string().contains("fuzz.geojson"), "the error does not name the file: {error}");
    }
});
