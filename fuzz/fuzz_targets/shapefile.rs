//! Shapefiles (`.shp`, `.shx`, `.dbf`, `.prj`): any four files are read or refused with an error
//! that names one of them; never a panic.
//!
//! Input: three little-endian `u32` lengths (of the `.shp`, `.shx` and `.dbf`), then those files,
//! then the `.prj` as the rest. `seeds.py` writes the real Coventry shapefile in this form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_atlas::ingest::{ShapefileParts, read_shapefile_parts};

fuzz_target!(|data: &[u8]| {
    let Some(parts) = split(data) else { return };
    if let Err(error) = read_shapefile_parts("fuzz.shp", &parts) {
        let message = error.to_string();
        assert!(message.contains("fuzz."), "the error does not name a file: {message}");
    }
});

fn split(data: &[u8]) -> Option<ShapefileParts> {
    let length =
        |at: usize| -> Option<usize> { Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?) as usize) };
    let (shp, shx, dbf) = (length(0)?, length(4)?, length(8)?);
    let mut rest = data.get(12..)?;
    let mut take = |n: usize| -> Option<Vec<u8>> {
        let (part, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(part.to_vec())
    };
    let (shp, shx, dbf) = (take(shp)?, take(shx)?, take(dbf)?);
    Some(ShapefileParts { shp, shx, dbf, prj: rest.to_vec() })
}
