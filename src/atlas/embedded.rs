//! The default Coventry data, compiled into the binary so it runs from any directory.

use super::files::DataFiles;
use super::schema;

macro_rules! embed {
    ($name:expr, $path:literal) => {
        ($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)).to_vec())
    };
}

/// The committed `data/` and `boundaries/` folders as compiled in.
pub fn embedded_files() -> DataFiles {
    DataFiles::in_memory(
        "embedded",
        vec![
            embed!(schema::CATALOGUE_FILE, "data/catalogue.json"),
            embed!(schema::VALUES_FILE, "data/indicators.csv"),
            embed!(schema::COMPARATORS_FILE, "data/comparators.csv"),
            embed!(schema::RANGES_FILE, "data/england_ranges.csv"),
            embed!(schema::POSITIONS_FILE, "data/england_positions.csv"),
            embed!(schema::MSOA_VALUES_FILE, "data/msoa_indicators.csv"),
            embed!(schema::MSOA_FILE, "boundaries/msoas.csv"),
            embed!(schema::LSOA_FILE, "boundaries/lsoa21.geojson"),
            embed!(schema::WARD_FILE, "boundaries/wards.geojson"),
            embed!(schema::CITY_FILE, "boundaries/district.geojson"),
            embed!(schema::LOCALITY_FILE, "boundaries/localities.csv"),
            embed!(schema::PRACTICES_FILE, "data/gp_practices.csv"),
            embed!(schema::PLACE_FILE, "data/place.json"),
            embed!(schema::NEIGHBOURS_FILE, "data/neighbours.csv"),
            embed!(schema::NEIGHBOUR_FIGURES_FILE, "data/neighbour_figures.csv"),
        ],
    )
}
