//! `prepare`: builds the project's own `data/` and `boundaries/` from raw publisher files.
//!
//! The output is deterministic (sorted, fixed formatting), so running it twice on the same
//! raw files gives byte-identical files, and CI can compare a fresh build with the commit.

mod boundaries;
mod bridge;
pub mod catalogue;
pub mod census_oa;
mod comparators;
mod derive;
mod england;
mod msoa;
mod positions;
mod practices;
mod provenance;
mod published;
mod ranges;
mod raw;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use catalogue::{Census, Wide};
use census_oa::{EnglandCounts, OaTable};
use comparators::CensusEngland;
use england::{England, EnglandSources};
use published::Published;

use crate::atlas::schema;
use crate::ingest::IngestError;

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
    /// House of Commons Library MSOA names.
    pub const MSOA_NAMES: &str = "lookups/coventry_msoa_names_hocl.csv";
    /// Candidate locality LSOA lists.
    pub const LOCALITIES: &str = "localities/coventry_locality_lsoa21_candidates_derived.csv";
    /// ONS LSOA 2011 → 2021 lookup, England and Wales.
    pub const LSOA11_LSOA21_LOOKUP: &str = "national/ew_lookup_lsoa11_lsoa21_lad22.csv.gz";
    /// ONS LSOA 2021 → ward → LAD 2024 best-fit lookup with regions, England and Wales.
    pub const LSOA21_DISTRICT_LOOKUP: &str = "national/ew_lookup_lsoa21_ward24_lad24_region24.csv.gz";
    /// IoD2025 File 7 domain scores, ranks and deciles, England.
    pub const IOD25_DOMAINS: &str = "national/england_iod2025_lsoa21_domains.csv.gz";
    /// IoD2025 sub-domain scores, England.
    pub const IOD25_SUBDOMAINS: &str = "national/england_iod2025_lsoa21_subdomains.csv.gz";
    /// IoD2025 File 8 underlying indicators, England.
    pub const IOD25_UNDERLYING: &str = "national/england_iod2025_lsoa21_underlying_indicators.csv.gz";
    /// IoD2019 ranks, deciles and IMD, income and employment scores, England (LSOA 2011).
    pub const IOD19_DOMAINS: &str = "national/england_iod2019_lsoa11_domains.csv.gz";
    /// IoD2019 File 6 population denominators, England (LSOA 2011).
    pub const IOD19_DENOMINATORS: &str = "national/england_iod2019_lsoa11_population_denominators.csv.gz";
    /// IoD2019 File 8 underlying indicators, England (LSOA 2011).
    pub const IOD19_UNDERLYING: &str = "national/england_iod2019_lsoa11_underlying_indicators.csv.gz";
    /// Census 2021 usual residents by six age groups, England and Wales.
    pub const CENSUS_AGE: &str = "national/ew_census2021_lsoa21_age6.csv.gz";
    /// IoD2025 File 10 LAD summaries.
    pub const IOD25_LAD: &str = "iod2025/england_iod2025_lad24_summaries.csv";
    /// IoD2019 File 10 LAD summaries, all sheets.
    pub const IOD19_LAD: &str = "national/england_iod2019_lad19_file10_summaries.csv.gz";
    /// England and Coventry Census sums.
    pub const CENSUS_COMPARATORS: &str = "comparators/comparators_england_coventry_census2021_derived.csv";
    /// Modelled loneliness (Community Life Survey 2020/21 by Output Area Classification group), England.
    pub const LONELINESS: &str = "national/england_loneliness_cls2020_oac_lsoa21_humaniverse.csv.gz";
    /// NHS England's GP practices in the city, with Code-Point Open coordinates.
    pub const GP_PRACTICES: &str = "health/coventry_gp_practices_epraccur_2025_codepoint.csv";
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
    output_areas: Vec<(OaTable, EnglandCounts)>,
    england: England,
    gp_access: practices::GpAccess,
}

impl Sources {
    fn wide(&self, which: Wide) -> &raw::Wide {
        &self.wides.iter().find(|(w, _)| *w == which).expect("every wide table is loaded").1
    }

    fn census(&self, which: Census) -> &raw::Census {
        &self.censuses.iter().find(|(c, _)| *c == which).expect("every census table is loaded").1
    }

    fn output_areas(&self, which: OaTable) -> &EnglandCounts {
        &self.output_areas.iter().find(|(t, _)| *t == which).expect("every Output Area table is loaded").1
    }
}

/// Every problem `prepare` found in the raw folder, each naming its file, line and field.
#[derive(Debug)]
pub struct PrepareError {
    /// The problems, in the order the files were read.
    pub problems: Vec<IngestError>,
}

impl From<IngestError> for PrepareError {
    fn from(problem: IngestError) -> Self {
        PrepareError { problems: vec![problem] }
    }
}

impl From<Vec<IngestError>> for PrepareError {
    fn from(problems: Vec<IngestError>) -> Self {
        PrepareError { problems }
    }
}

impl fmt::Display for PrepareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{one}"),
            problems => {
                write!(f, "{} problems in the raw files:", problems.len())?;
                problems.iter().try_for_each(|p| write!(f, "\n  - {p}"))
            }
        }
    }
}

impl std::error::Error for PrepareError {}

/// The value of a read, or `None` with its problems added to `problems`.
fn keep<T>(read: Result<T, impl Into<PrepareError>>, problems: &mut Vec<IngestError>) -> Option<T> {
    read.map_err(|e| problems.extend(e.into().problems)).ok()
}

/// Each wide table: its raw file and area-code column.
const WIDE_FILES: [(Wide, &str, &str); 8] = [
    (Wide::Domains25, paths::IOD25_DOMAINS, "lsoa21_code"),
    (Wide::Subdomains25, paths::IOD25_SUBDOMAINS, "lsoa21_code"),
    (Wide::Underlying25, paths::IOD25_UNDERLYING, "lsoa21_code"),
    (Wide::Domains19, paths::IOD19_DOMAINS, "lsoa11_code"),
    (Wide::Denominators19, paths::IOD19_DENOMINATORS, "lsoa11_code"),
    (Wide::Underlying19, paths::IOD19_UNDERLYING, "lsoa11_code"),
    (Wide::Age21, paths::CENSUS_AGE, "lsoa21_code"),
    (Wide::Loneliness, paths::LONELINESS, "lsoa21_code"),
];

/// Each Coventry-only Census table: its raw file, category column and total column.
const CENSUS_FILES: [(Census, &str, &str, &str); 5] = [
    (Census::Disability, "census2021/coventry_census2021_lsoa21_disability_ts038.csv", "disability", "total_residents"),
    (
        Census::HouseholdDeprivation,
        "census2021/coventry_census2021_lsoa21_household_deprivation_ts011.csv",
        "deprivation_dimensions",
        "total_households",
    ),
    (
        Census::Occupancy,
        "census2021/coventry_census2021_lsoa21_occupancy_rating_ts052.csv",
        "occupancy_rating",
        "total_households",
    ),
    (Census::Tenure, "census2021/coventry_census2021_lsoa21_tenure_ts054.csv", "tenure", "total_households"),
    (Census::Ethnicity, "census2021/coventry_census2021_lsoa21_ethnicity_ts021.csv", "ethnic_group", "total_residents"),
];

/// Runs `prepare`: reads the raw folder, writes `data/` and `boundaries/` under `out`. After the
/// boundaries, every wide, Census and Output Area table is read before a problem stops the run, so
/// the error lists the problems of all of them (every bad row of the Output Area tables).
pub fn run(options: &PrepareOptions) -> Result<PrepareSummary, PrepareError> {
    let raw = raw::RawPaths(options.raw.clone());
    let lsoa_path = options.lsoa_boundaries.clone().unwrap_or_else(|| raw.file(paths::LSOA_BOUNDARIES));
    let areas = boundaries::build(&raw, &lsoa_path)?;

    let mut problems = Vec::new();
    let mut wides = Vec::new();
    for (which, path, key) in WIDE_FILES {
        wides.extend(keep(raw::Wide::read(&raw.file(path), key), &mut problems).map(|w| (which, w)));
    }
    let mut censuses = Vec::new();
    for (which, path, category, total) in CENSUS_FILES {
        let read = raw::Census::read(&raw.file(path), category, "n", total);
        censuses.extend(keep(read, &mut problems).map(|c| (which, c)));
    }
    let lsoa_codes: BTreeSet<String> = areas.lsoa_codes().into_iter().collect();
    let output_areas = keep(census_oa::read_coventry(&options.raw, &lsoa_codes), &mut problems);
    let (Some(output_areas), true) = (output_areas, problems.is_empty()) else {
        return Err(PrepareError { problems });
    };
    let find = |which: Wide| &wides.iter().find(|(w, _)| *w == which).expect("every wide table is loaded").1;
    let england = England::read(
        &EnglandSources {
            districts: &raw.file(paths::LSOA21_DISTRICT_LOOKUP),
            lookup: &raw.file(paths::LSOA11_LSOA21_LOOKUP),
            residents: find(Wide::Age21),
            file6: find(Wide::Denominators19),
        },
        &areas.lsoa_codes(),
    )?;
    let published =
        Published::read(&raw.file(paths::IOD25_LAD), &raw.file(paths::IOD19_LAD), find(Wide::Denominators19))?;
    let census_england = CensusEngland::read(&raw.file(paths::CENSUS_COMPARATORS))?;
    let output_areas = census_oa::england_counts(&options.raw, &england, output_areas)?;
    let practices_path = raw.file(paths::GP_PRACTICES);
    let gp_practices = practices::read(&practices_path)?;
    let gp_access = practices::GpAccess::compute(&areas, &gp_practices, &practices_path.display().to_string())?;
    let sources = Sources { wides, censuses, output_areas, england, gp_access };

    let specs = catalogue::catalogue();
    let (mut rows, mut comparator_rows, mut range_rows, mut position_rows) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for spec in &specs {
        let derived = derive::derive(spec, &sources)?;
        let values = derive::value_rows(spec, &derived, &sources.england);
        if values.is_empty() {
            return Err(IngestError::file(
                options.raw.display().to_string(),
                format!("no values found for indicator {}", spec.indicator.id),
            )
            .into());
        }
        rows.extend(values);
        comparator_rows.extend(comparators::benchmarks(spec, &derived, &sources.england, &census_england)?);
        comparator_rows.extend(published.rows(spec)?);
        range_rows.extend(ranges::range(spec, &derived, &sources.england));
        position_rows.extend(positions::position(spec, &derived, &sources.england));
    }

    let residents: BTreeMap<String, f64> = sources
        .england
        .coventry
        .iter()
        .map(|&i| (sources.england.lsoa21[i].clone(), sources.england.residents[i]))
        .collect();
    let msoas = msoa::build(&raw.file(msoa::COVID_DEATHS), &areas.msoa_members(), &residents)?;
    comparator_rows.extend(msoas.comparators.iter().cloned());

    let out = &options.out;
    let mut files = Vec::new();
    let mut put = |name: &str, contents: String| -> Result<(), IngestError> {
        write::put(out, name, &contents)?;
        files.push(name.to_owned());
        Ok(())
    };
    let mut indicators: Vec<_> = specs.iter().map(|s| s.indicator.clone()).collect();
    indicators.extend(msoas.indicators.iter().cloned());
    put(schema::CATALOGUE_FILE, write::catalogue(&indicators))?;
    put(schema::VALUES_FILE, write::values(&rows))?;
    put(schema::COMPARATORS_FILE, write::comparators(&comparator_rows))?;
    put(schema::RANGES_FILE, write::ranges(&range_rows))?;
    put(schema::POSITIONS_FILE, write::positions(&position_rows))?;
    put(schema::MSOA_VALUES_FILE, write::msoa_values(&msoas.rows))?;
    put(schema::PRACTICES_FILE, practices::csv(&gp_practices))?;
    put("data/PROVENANCE.md", provenance::DATA.to_owned())?;
    put(schema::LSOA_FILE, areas.lsoas_geojson())?;
    put(schema::WARD_FILE, areas.wards_geojson())?;
    put(schema::CITY_FILE, areas.city_geojson())?;
    put(schema::LOCALITY_FILE, areas.localities_csv())?;
    put(schema::MSOA_FILE, areas.msoas_csv())?;
    put("boundaries/PROVENANCE.md", provenance::BOUNDARIES.to_owned())?;
    Ok(PrepareSummary {
        lsoas: sources.england.coventry.len(),
        indicators: indicators.len(),
        rows: rows.len(),
        comparators: comparator_rows.len(),
        files,
    })
}
