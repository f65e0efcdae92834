//! `prepare`: builds the project's own `data/` and `boundaries/` from raw publisher files, for
//! Coventry (the default, with its own raw files: 20 m boundaries, Census Output Area tables, GP
//! practices, ...) or for any English district from the national files alone.
//!
//! The output is deterministic (sorted, fixed formatting), so running it twice on the same
//! raw files gives byte-identical files, and CI can compare a fresh build with the commit.

mod areas;
mod boundaries;
pub mod catalogue;
pub mod census_oa;
mod comparators;
mod computed;
mod derive;
mod district;
pub mod district_areas;
pub mod frames;
mod msoa;
pub mod national;
mod neighbours;
mod positions;
mod practices;
mod provenance;
mod published;
mod ranges;
mod raw;
pub mod staging;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use catalogue::{Census, Derivation, Spec, Wide};
use census_oa::{LsoaSums, OaTable};
use comparators::{BenchmarkInputs, CensusEngland, ComparatorArea};
use computed::ATLAS;
use national::National;
use published::Published;

use crate::atlas::Atlas;
use crate::atlas::schema::{self, COVENTRY_CODE, ENGLAND_CODE, NotHeld, Place};
use crate::ingest::IngestError;

pub use derive::ValueRow;

/// Raw files by role, relative to the raw folder given to `prepare --raw`.
pub mod paths {
    /// LSOA 2021 BSC (super-generalised, 200 m) boundaries, England and Wales.
    pub const NATIONAL_LSOA_BOUNDARIES: &str = "national/ew_lsoa21_bsc_v4.geojson.gz";
    /// Coventry's LSOA 2021 BGC boundaries.
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
    /// ONS LSOA 2021 → MSOA 2021, England and Wales (matched by name).
    pub const LSOA21_MSOA_LOOKUP: &str = "national/ew_lookup_lsoa21_msoa21_from_names_derived.csv.gz";
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
    /// LSOA boundaries to use instead of Coventry's raw GeoJSON (GeoJSON or Shapefile with
    /// LSOA21CD/LSOA21NM).
    pub lsoa_boundaries: Option<PathBuf>,
    /// The local authority district (GSS code); Coventry when `None`.
    pub lad: Option<String>,
    /// A localities file (`locality, lsoa21_code, basis, confidence`) to use instead of the default
    /// localities (Coventry's candidate lists; elsewhere one per best-fit ward; none for England).
    pub localities: Option<PathBuf>,
    /// With `lad` `all`: only these districts' LSOAs (a small atlas of the same kind, for tests).
    pub only_districts: Vec<String>,
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
    national: National,
    local: Option<Local>,
}

/// The tables held for the district alone: Census tables by LSOA, Output Area tables, access to GP
/// practices.
pub struct Local {
    censuses: Vec<(Census, raw::Census)>,
    output_areas: Vec<LsoaSums>,
    gp_access: practices::GpAccess,
}

impl Local {
    fn census(&self, which: Census) -> &raw::Census {
        &self.censuses.iter().find(|(c, _)| *c == which).expect("every census table is loaded").1
    }

    fn output_areas(&self, which: OaTable) -> &LsoaSums {
        self.output_areas.iter().find(|t| t.table() == which).expect("every Output Area table is loaded")
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

/// Runs `prepare`: reads the raw folder, writes `data/` and `boundaries/` under `out`. The national
/// tables are read first, every problem of all of them listed; then the district's boundaries and,
/// for Coventry, its own Census, Output Area and GP practice files, likewise. The folders are
/// written aside and put in place only once they load (see [`staging`]): a failed run leaves `out`
/// as it was.
pub fn run(options: &PrepareOptions) -> Result<(PrepareSummary, Atlas), PrepareError> {
    staging::install(&options.out, |staging| write_into(options, staging))
}

/// [`run`]'s work, writing into `out`; [`run`] gives back the written folder loaded.
fn write_into(options: &PrepareOptions, out: &Path) -> Result<PrepareSummary, PrepareError> {
    let raw = raw::RawPaths(options.raw.clone());
    let specs = catalogue::catalogue();
    let national = National::read(&options.raw, &specs)?;
    let lad = options.lad.as_deref().unwrap_or(COVENTRY_CODE);
    let district = district::resolve(lad, &options.only_districts, &national.geography)?;
    let england = district.code == ENGLAND_CODE;
    let area = ComparatorArea::new(&district.code, &district.name);
    let shapes = district_areas::read_national_shapes(&options.raw)?;
    // Coventry's own raw files: its 20 m boundaries, Census tables, Output Areas and GP practices.
    let own_files = district.code == COVENTRY_CODE && raw.file(paths::LSOA_BOUNDARIES).exists();
    if options.lsoa_boundaries.is_some() && !own_files {
        return Err(IngestError::file(
            options.raw.display().to_string(),
            format!(
                "--lsoa-boundaries replaces Coventry's own LSOA boundaries; {} is prepared on the national boundaries",
                district.name
            ),
        )
        .into());
    }
    let areas = if own_files {
        let lsoa_path = options.lsoa_boundaries.clone().unwrap_or_else(|| raw.file(paths::LSOA_BOUNDARIES));
        boundaries::build(&raw, &lsoa_path, options.localities.as_deref())?
    } else {
        let names = (district.code.as_str(), district.name.as_str());
        district_areas::build(&shapes, &district.lsoas, names, options.localities.as_deref(), england)?
    };
    let lsoa_codes: BTreeSet<String> = areas.lsoa_codes().into_iter().collect();
    let english: BTreeSet<String> = frames::strings(&national.geography.lsoas, "lsoa").into_iter().collect();
    if let Some(code) = lsoa_codes.iter().find(|c| !english.contains(*c)) {
        return Err(IngestError::file(&national.geography.districts_file, format!("has no English LSOA {code}")).into());
    }
    if let Some(code) = lsoa_codes.iter().find(|c| !district.lsoas.iter().any(|l| &l.code == *c)) {
        return Err(IngestError::file(
            &national.geography.districts_file,
            format!("places LSOA {code} outside {} ({})", district.name, district.code),
        )
        .into());
    }
    let (local, census_england, practices) = match own_files {
        true => {
            let files = read_local(&raw, &areas, &lsoa_codes, &national)?;
            (Some(files.tables), Some(files.census_england), files.practices)
        }
        false => (None, None, Vec::new()),
    };
    // MHCLG's summaries of the atlas's district, or in England's atlas of each district it holds.
    let published_districts = if england {
        let mut seen = BTreeSet::new();
        district
            .lsoas
            .iter()
            .filter(|l| seen.insert(l.district.as_str()))
            .map(|l| ComparatorArea::new(&l.district, &l.district_name))
            .collect()
    } else {
        vec![area.clone()]
    };
    let published = Published::read(
        &raw.file(paths::IOD25_LAD),
        &raw.file(paths::IOD19_LAD),
        national.table(Wide::Denominators19),
        published_districts,
    )?;
    let sources = Sources { national, local };
    let computed = computed::compute(&specs, &sources, &areas.lsoa_codes())?;
    let geography = &sources.national.geography;
    let districts = geography.district_codes().len();
    let (mut comparator_rows, mut range_rows, mut position_rows) = (Vec::new(), Vec::new(), Vec::new());
    for (order, spec) in specs.iter().enumerate() {
        let id = spec.indicator.id.as_str();
        let Some(&(national, carried)) = computed.stacked.facts.get(id) else { continue };
        if !computed.rows.iter().any(|r| r.indicator_id == id) {
            return Err(IngestError::file(
                options.raw.display().to_string(),
                format!("no values found for indicator {id}"),
            )
            .into());
        }
        let figure = |code: &str| computed.figures.get(&(order as u32, code.to_owned()));
        let inputs = BenchmarkInputs {
            district: &area,
            atlas: (figure(ATLAS), lsoa_codes.len()),
            england: (figure(ENGLAND_CODE), geography.lsoa_count()),
            national,
            carried,
        };
        comparator_rows.extend(comparators::benchmarks(spec, &inputs, census_england.as_ref())?);
        comparator_rows.extend(published.rows(spec)?);
        if ranges::ranged(spec, national) {
            range_rows.extend(ranges::range(order as u32, spec, &computed.ranges, districts, carried));
        }
        if positions::placed(spec, national) {
            let areas = (ENGLAND_CODE, ATLAS);
            position_rows.extend(positions::position(
                order as u32,
                spec,
                &computed.cuts,
                &computed.shares,
                areas,
                carried,
            ));
        }
    }

    let msoas = match own_files {
        true => {
            let people = geography.lsoas.column("residents").ok().and_then(|c| c.f64().ok().cloned());
            let residents: BTreeMap<String, f64> = frames::strings(&geography.lsoas, "lsoa")
                .into_iter()
                .enumerate()
                .filter(|(_, code)| lsoa_codes.contains(code))
                .map(|(i, code)| (code, people.as_ref().and_then(|p| p.get(i)).unwrap_or(0.0)))
                .collect();
            msoa::build(&raw.file(msoa::COVID_DEATHS), &areas.msoa_members(), &residents, &area)?
        }
        false => msoa::MsoaIndicators::default(),
    };
    comparator_rows.extend(msoas.comparators.iter().cloned());

    let mut indicators: Vec<_> = specs
        .iter()
        .filter(|s| computed.stacked.facts.contains_key(&s.indicator.id))
        .map(|s| s.indicator.clone())
        .collect();
    indicators.extend(msoas.indicators.iter().cloned());
    let merged = district::merged(geography, &computed.atlas)
        .map_err(|e| IngestError::file(&geography.districts_file, e.to_string()))?;
    let facts = district::NoteFacts {
        place: &district.name,
        lsoas: lsoa_codes.len(),
        comparators: &comparator_rows,
        values: &computed.rows,
        merged,
    };
    district::localise(&mut indicators, &facts);
    let place = place(&district, own_files, options, &specs, &indicators);
    // Each district the atlas describes has its neighbours: the district of a district's atlas,
    // every district of England's.
    let england_districts = neighbours::describe(&specs, &computed.districts, geography, &shapes)?;
    let mut described: Vec<(&str, &str)> = match england {
        true => district.lsoas.iter().map(|l| (l.district.as_str(), l.district_name.as_str())).collect(),
        false => vec![(district.code.as_str(), district.name.as_str())],
    };
    described.sort_unstable();
    described.dedup();
    let found = described
        .into_iter()
        .map(|target| neighbours::of(&england_districts, &specs, &computed.districts, target, &shapes.file))
        .collect::<Result<Vec<_>, _>>()?;

    let mut files = Vec::new();
    let mut put = |name: &str, contents: String| -> Result<(), IngestError> {
        write::put(out, name, &contents)?;
        files.push(name.to_owned());
        Ok(())
    };
    put(schema::PLACE_FILE, write::place(&place))?;
    put(schema::CATALOGUE_FILE, write::catalogue(&indicators))?;
    put(schema::VALUES_FILE, write::values(&computed.rows))?;
    put(schema::COMPARATORS_FILE, write::comparators(&comparator_rows))?;
    put(schema::RANGES_FILE, write::ranges(&range_rows))?;
    put(
        schema::NEIGHBOURS_FILE,
        write::neighbours(found.iter().flat_map(|d| d.rows.iter().map(|r| (d.of_district.as_str(), r)))),
    )?;
    put(
        schema::NEIGHBOUR_FIGURES_FILE,
        write::neighbour_figures(found.iter().flat_map(|d| d.figures.iter().map(|r| (d.of_district.as_str(), r)))),
    )?;
    put(schema::POSITIONS_FILE, write::positions(&position_rows))?;
    put(schema::MSOA_VALUES_FILE, write::msoa_values(&msoas.rows))?;
    put(schema::PRACTICES_FILE, practices::csv(&practices))?;
    put("data/PROVENANCE.md", provenance::data(&place, lsoa_codes.len(), own_files))?;
    put(schema::LSOA_FILE, areas.lsoas_geojson())?;
    put(schema::WARD_FILE, areas.wards_geojson())?;
    put(schema::CITY_FILE, areas.city_geojson())?;
    if let Some(districts) = areas.districts_geojson() {
        put(schema::DISTRICTS_FILE, districts)?;
    }
    put(schema::LOCALITY_FILE, areas.localities_csv())?;
    put(schema::MSOA_FILE, areas.msoas_csv())?;
    put("boundaries/PROVENANCE.md", provenance::boundaries(&place, lsoa_codes.len(), own_files))?;
    Ok(PrepareSummary {
        lsoas: lsoa_codes.len(),
        indicators: indicators.len(),
        rows: computed.rows.len(),
        comparators: comparator_rows.len(),
        files,
    })
}

/// Coventry's own files, read once.
struct LocalFiles {
    tables: Local,
    census_england: CensusEngland,
    practices: Vec<crate::atlas::GpPractice>,
}

/// Reads Coventry's own Census, Output Area and GP practice files, listing every problem of all of them.
fn read_local(
    raw: &raw::RawPaths,
    areas: &areas::Areas,
    lsoa_codes: &BTreeSet<String>,
    national: &National,
) -> Result<LocalFiles, PrepareError> {
    let mut problems = Vec::new();
    let mut censuses = Vec::new();
    for (which, path, category, total) in CENSUS_FILES {
        let read = raw::Census::read(&raw.file(path), category, "n", total);
        censuses.extend(keep(read, &mut problems).map(|c| (which, c)));
    }
    let output_areas = keep(census_oa::read_output_areas(&raw.0, lsoa_codes), &mut problems);
    let (Some(output_areas), true) = (output_areas, problems.is_empty()) else {
        return Err(PrepareError { problems });
    };
    for sums in &output_areas {
        census_oa::check_against_national(sums, national.health())?;
    }
    let census_england = CensusEngland::read(&raw.file(paths::CENSUS_COMPARATORS))?;
    let practices_path = raw.file(paths::GP_PRACTICES);
    let practices = practices::read(&practices_path)?;
    let gp_access = practices::GpAccess::compute(areas, &practices, &practices_path.display().to_string())?;
    Ok(LocalFiles { tables: Local { censuses, output_areas, gp_access }, census_england, practices })
}

/// `data/place.json`: the district, its boundaries and localities, and what the sources lack for it.
fn place(
    district: &district::District,
    own_files: bool,
    options: &PrepareOptions,
    specs: &[Spec],
    held: &[schema::Indicator],
) -> Place {
    let (boundaries, generalisation) = match (&options.lsoa_boundaries, own_files) {
        (Some(path), _) => (format!("LSOA 2021 boundaries given to prepare ({})", path.display()), "as given".to_owned()),
        (None, true) => ("ONS LSOA December 2021 boundaries, Generalised (20 m) Clipped (BGC)".to_owned(), "20 m".to_owned()),
        (None, false) => ("ONS LSOA December 2021 boundaries, Super Generalised (200 m) Clipped (BSC) V4; wards and the district outline are unions of these LSOAs".to_owned(), "200 m".to_owned()),
    };
    let england = district.code == ENGLAND_CODE;
    let localities = match (&options.localities, own_files) {
        (Some(_), _) => "the localities file given to prepare".to_owned(),
        (None, _) if england => "none: no locality list was given; every district is an area with its profile (level=district), listed at /api/districts".to_owned(),
        (None, true) => "candidate locality lists (not an official council definition)".to_owned(),
        (None, false) => "one locality per electoral ward (2024): each ward's LSOAs by the ONS best-fit lookup, as no locality list was given".to_owned(),
    };
    let mut not_held: Vec<NotHeld> = specs
        .iter()
        .filter(|s| !held.iter().any(|h| h.id == s.indicator.id))
        .map(|s| NotHeld {
            id: s.indicator.id.clone(),
            name: s.indicator.name.clone(),
            reason: not_held_reason(&s.derivation).to_owned(),
        })
        .collect();
    if !own_files {
        let covid = msoa::covid_indicator();
        not_held.push(NotHeld {
            id: covid.id,
            name: covid.name,
            reason: "the raw files hold deaths by MSOA for Coventry's MSOAs only".to_owned(),
        });
    }
    Place { code: district.code.clone(), name: district.name.clone(), boundaries, generalisation, localities, not_held }
}

/// Why an indicator has no figures for a district other than Coventry.
fn not_held_reason(derivation: &Derivation) -> &'static str {
    match derivation {
        Derivation::CensusShare(..) => {
            "the raw files hold this Census 2021 table by LSOA for Coventry only (England has only a national sum)"
        }
        Derivation::OutputAreaShare(..) => {
            "the raw files hold this Census 2021 table's Output Area counts for Coventry only"
        }
        Derivation::GpAccess(_) => "the raw files hold GP practice locations for Coventry only",
        _ => "the national files hold no figures of it for this district",
    }
}
