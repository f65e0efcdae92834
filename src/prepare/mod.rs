//! `prepare`: builds the project's own `data/` and `boundaries/` from raw publisher files.
//!
//! The output is deterministic (sorted, fixed formatting), so running it twice on the same
//! raw files gives byte-identical files, and CI can compare a fresh build with the commit.

mod boundaries;
pub mod catalogue;
mod comparators;
mod derive;
mod provenance;
mod raw;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use catalogue::{Census, Wide};
use derive::Link;

use crate::atlas::schema;
use crate::ingest::{IngestError, Table};

pub use derive::ValueRow;

/// Raw files by role, relative to the raw folder given to `prepare --raw`.
pub mod paths {
    /// LSOA 2021 BGC boundaries.
    pub const LSOA_BOUNDARIES: &str = "boundaries/coventry_lsoa21_bgc.geojson";
    /// Ward 2019 BGC boundaries (codes unchanged through 2024).
    pub const WARD_BOUNDARIES: &str = "boundaries/coventry_wards19_bgc.geojson";
    /// City outline, the union of the LSOA polygons.
    pub const CITY_BOUNDARY: &str = "boundaries/coventry_lad_from_lsoa21_bgc_derived.geojson";
    /// LSOA 2021 → ward 2024 best-fit lookup.
    pub const LSOA_WARD_LOOKUP: &str = "lookups/coventry_lsoa21_ward24_lad24.csv";
    /// LSOA 2011 → 2021 lookup.
    pub const LSOA11_LSOA21_LOOKUP: &str = "lookups/coventry_lsoa11_lsoa21_lad22.csv";
    /// House of Commons Library MSOA names.
    pub const MSOA_NAMES: &str = "lookups/coventry_msoa_names_hocl.csv";
    /// Candidate locality LSOA lists.
    pub const LOCALITIES: &str = "localities/coventry_locality_lsoa21_candidates_derived.csv";
    /// IoD2025 File 10 LAD summaries.
    pub const IOD25_LAD: &str = "iod2025/england_iod2025_lad24_summaries.csv";
    /// IoD2019 File 10 LAD summaries.
    pub const IOD19_LAD: &str = "iod2019/england_iod2019_lad19_summaries.csv";
    /// England and Coventry Census sums.
    pub const CENSUS_COMPARATORS: &str = "comparators/comparators_england_coventry_census2021_derived.csv";
    /// England LSOA distributions of IoD indicators.
    pub const IOD_DISTRIBUTIONS: &str = "comparators/comparators_england_coventry_iod_lsoa_distribution_derived.csv";
}

/// Options of one `prepare` run.
pub struct PrepareOptions {
    /// The raw folder.
    pub raw: PathBuf,
    /// Where `data/` and `boundaries/` are written.
    pub out: PathBuf,
    /// LSOA boundaries to use instead of the raw GeoJSON (GeoJSON or Shapefile with LSOA21CD/LSOA21NM).
    pub lsoa_boundaries: Option<PathBuf>,
}

/// What a run wrote.
#[derive(Debug)]
pub struct PrepareSummary {
    /// Number of LSOAs.
    pub lsoas: usize,
    /// Number of indicators in the catalogue.
    pub indicators: usize,
    /// Rows of the tidy indicator table.
    pub rows: usize,
    /// Comparator rows.
    pub comparators: usize,
    /// Files written, relative to the output folder.
    pub files: Vec<String>,
}

/// The raw tables a run reads, loaded once.
pub struct Sources {
    wides: Vec<(Wide, raw::Wide)>,
    censuses: Vec<(Census, raw::Census)>,
    lsoa21_codes: Vec<String>,
    lsoa21_set: BTreeSet<String>,
    bridge: Vec<Link>,
}

impl Sources {
    fn wide(&self, which: Wide) -> &raw::Wide {
        &self.wides.iter().find(|(w, _)| *w == which).expect("every wide table is loaded").1
    }

    fn census(&self, which: Census) -> &raw::Census {
        &self.censuses.iter().find(|(c, _)| *c == which).expect("every census table is loaded").1
    }

    fn is_lsoa21(&self, code: &str) -> bool {
        self.lsoa21_set.contains(code)
    }

    fn lsoa11_codes(&self) -> Vec<String> {
        self.bridge.iter().map(|l| l.lsoa11.clone()).collect::<BTreeSet<_>>().into_iter().collect()
    }
}

/// Runs `prepare`: reads the raw folder, writes `data/` and `boundaries/` under `out`.
pub fn run(options: &PrepareOptions) -> Result<PrepareSummary, IngestError> {
    let raw = raw::RawPaths(options.raw.clone());
    let lsoa_path = options.lsoa_boundaries.clone().unwrap_or_else(|| raw.file(paths::LSOA_BOUNDARIES));
    let areas = boundaries::build(&raw, &lsoa_path)?;
    let lsoa21_codes: Vec<String> = areas.lsoa_codes();

    let wide = |which: Wide, path: &str, key: &str| -> Result<(Wide, raw::Wide), IngestError> {
        Ok((which, raw::Wide::read(&raw.file(path), key)?))
    };
    let wides = vec![
        wide(Wide::Domains25, "iod2025/coventry_iod2025_lsoa21_domains.csv", "lsoa21_code")?,
        wide(Wide::Subdomains25, "iod2025/coventry_iod2025_lsoa21_subdomains.csv", "lsoa21_code")?,
        wide(Wide::Underlying25, "iod2025/coventry_iod2025_lsoa21_underlying_indicators.csv", "lsoa21_code")?,
        wide(Wide::Domains19, "iod2019/coventry_iod2019_file2_domains_ranks_deciles.csv", "LSOA code (2011)")?,
        wide(Wide::Denominators19, "iod2019/coventry_iod2019_file6_population_denominators.csv", "LSOA code (2011)")?,
        wide(Wide::Underlying19, "iod2019/coventry_iod2019_lsoa11_underlying_indicators.csv", "lsoa11_code")?,
    ];
    let census = |which: Census,
                  path: &str,
                  category: &str,
                  count: &str,
                  total: Option<&str>|
     -> Result<(Census, raw::Census), IngestError> {
        Ok((which, raw::Census::read(&raw.file(path), category, count, total)?))
    };
    let censuses = vec![
        census(Census::Age, "census2021/coventry_census2021_lsoa21_age6.csv", "age_group", "usual_residents", None)?,
        census(
            Census::Disability,
            "census2021/coventry_census2021_lsoa21_disability_ts038.csv",
            "disability",
            "n",
            Some("total_residents"),
        )?,
        census(
            Census::HouseholdDeprivation,
            "census2021/coventry_census2021_lsoa21_household_deprivation_ts011.csv",
            "deprivation_dimensions",
            "n",
            Some("total_households"),
        )?,
        census(
            Census::Occupancy,
            "census2021/coventry_census2021_lsoa21_occupancy_rating_ts052.csv",
            "occupancy_rating",
            "n",
            Some("total_households"),
        )?,
        census(
            Census::Tenure,
            "census2021/coventry_census2021_lsoa21_tenure_ts054.csv",
            "tenure",
            "n",
            Some("total_households"),
        )?,
        census(
            Census::Ethnicity,
            "census2021/coventry_census2021_lsoa21_ethnicity_ts021.csv",
            "ethnic_group",
            "n",
            Some("total_residents"),
        )?,
    ];
    let population: BTreeMap<String, f64> =
        censuses.iter().find(|(c, _)| *c == Census::Age).map(|(_, t)| t.totals().clone()).unwrap_or_default();
    let bridge = read_bridge(&raw.file(paths::LSOA11_LSOA21_LOOKUP), &population)?;
    let lsoa21_set = lsoa21_codes.iter().cloned().collect();
    let sources = Sources { wides, censuses, lsoa21_codes, lsoa21_set, bridge };

    let specs = catalogue::catalogue();
    let mut rows = Vec::new();
    for spec in &specs {
        let derived = derive::derive(spec, &sources)?;
        if derived.is_empty() {
            return Err(IngestError::file(
                options.raw.display().to_string(),
                format!("no values found for indicator {}", spec.indicator.id),
            ));
        }
        rows.extend(derived);
    }
    let comparator_rows = comparators::build(&raw, &specs)?;
    let range_rows = comparators::ranges(&raw, &specs)?;
    let position_rows: Vec<comparators::PositionRow> = Vec::new();

    let out = &options.out;
    let mut files = Vec::new();
    let mut put = |name: &str, contents: String| -> Result<(), IngestError> {
        write::put(out, name, &contents)?;
        files.push(name.to_owned());
        Ok(())
    };
    let indicators: Vec<_> = specs.iter().map(|s| s.indicator.clone()).collect();
    put(schema::CATALOGUE_FILE, write::catalogue(&indicators))?;
    put(schema::VALUES_FILE, write::values(&rows))?;
    put(schema::COMPARATORS_FILE, write::comparators(&comparator_rows))?;
    put(schema::RANGES_FILE, write::ranges(&range_rows))?;
    put(schema::POSITIONS_FILE, write::positions(&position_rows))?;
    put("data/PROVENANCE.md", provenance::DATA.to_owned())?;
    put(schema::LSOA_FILE, areas.lsoas_geojson())?;
    put(schema::WARD_FILE, areas.wards_geojson())?;
    put(schema::CITY_FILE, areas.city_geojson())?;
    put(schema::LOCALITY_FILE, areas.localities_csv())?;
    put("boundaries/PROVENANCE.md", provenance::BOUNDARIES.to_owned())?;
    Ok(PrepareSummary {
        lsoas: sources.lsoa21_codes.len(),
        indicators: specs.len(),
        rows: rows.len(),
        comparators: comparator_rows.len(),
        files,
    })
}

fn read_bridge(path: &Path, population: &BTreeMap<String, f64>) -> Result<Vec<Link>, IngestError> {
    let table = Table::from_path(path)?;
    table.require(&["lsoa11_code", "change_code", "lsoa21_code"])?;
    let mut lookup = Vec::new();
    for row in table.rows() {
        lookup.push((
            row.text("lsoa11_code")?.to_owned(),
            row.text("lsoa21_code")?.to_owned(),
            row.text("change_code")?.to_owned(),
        ));
    }
    derive::bridge(&lookup, population).map_err(|m| IngestError::file(path.display().to_string(), m))
}
