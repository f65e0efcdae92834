//! `prepare`: builds the project's own `data/` and `boundaries/` from raw publisher files.
//!
//! The output is deterministic (sorted, fixed formatting), so running it twice on the same
//! raw files gives byte-identical files, and CI can compare a fresh build with the commit.

mod boundaries;
pub mod catalogue;
pub mod census_oa;
mod comparators;
mod derive;
mod msoa;
pub mod national;
mod positions;
mod practices;
mod provenance;
mod published;
mod ranges;
mod raw;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;

use polars::prelude::*;

use catalogue::{Census, Spec, Wide};
use census_oa::{LsoaSums, OaTable};
use comparators::{BenchmarkInputs, CensusEngland};
use national::National;
use national::aggregate::{AreaFigure, aggregate, agrees, area_figures, combined, method_name};
use published::Published;

use crate::analysis::aggregate::{Method, method_of};
use crate::atlas::schema::{self, ENGLAND_CODE};
use crate::atlas::{Observation, Polarity};
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

/// The area code the group-bys give the atlas's own LSOAs.
const ATLAS: &str = "atlas";

/// Runs `prepare`: reads the raw folder, writes `data/` and `boundaries/` under `out`. After the
/// boundaries, every national, Census and Output Area table is read before a problem stops the run,
/// so the error lists the problems of all of them (every bad row of the Output Area tables).
pub fn run(options: &PrepareOptions) -> Result<PrepareSummary, PrepareError> {
    let raw = raw::RawPaths(options.raw.clone());
    let lsoa_path = options.lsoa_boundaries.clone().unwrap_or_else(|| raw.file(paths::LSOA_BOUNDARIES));
    let areas = boundaries::build(&raw, &lsoa_path)?;
    let specs = catalogue::catalogue();

    let mut problems = Vec::new();
    let national = keep(National::read(&options.raw, &specs), &mut problems);
    let mut censuses = Vec::new();
    for (which, path, category, total) in CENSUS_FILES {
        let read = raw::Census::read(&raw.file(path), category, "n", total);
        censuses.extend(keep(read, &mut problems).map(|c| (which, c)));
    }
    let lsoa_codes: BTreeSet<String> = areas.lsoa_codes().into_iter().collect();
    let output_areas = keep(census_oa::read_output_areas(&options.raw, &lsoa_codes), &mut problems);
    let (Some(national), Some(output_areas), true) = (national, output_areas, problems.is_empty()) else {
        return Err(PrepareError { problems });
    };
    let geography = &national.geography;
    let english: BTreeSet<String> = national::geography::strings(&geography.lsoas, "lsoa").into_iter().collect();
    if let Some(code) = lsoa_codes.iter().find(|c| !english.contains(*c)) {
        return Err(IngestError::file(&geography.districts_file, format!("has no English LSOA {code}")).into());
    }
    for sums in &output_areas {
        census_oa::check_against_national(sums, national.health())?;
    }
    let published = Published::read(
        &raw.file(paths::IOD25_LAD),
        &raw.file(paths::IOD19_LAD),
        national.table(Wide::Denominators19),
    )?;
    let census_england = CensusEngland::read(&raw.file(paths::CENSUS_COMPARATORS))?;
    let practices_path = raw.file(paths::GP_PRACTICES);
    let gp_practices = practices::read(&practices_path)?;
    let gp_access = practices::GpAccess::compute(&areas, &gp_practices, &practices_path.display().to_string())?;
    let sources = Sources { national, local: Some(Local { censuses, output_areas, gp_access }) };
    let national = &sources.national;
    let geography = &national.geography;

    let stacked = stack(&specs, &sources)?;
    let fail = |e: PolarsError| PrepareError::from(IngestError::file(&geography.districts_file, e.to_string()));
    let atlas_members = geography.members(&areas.lsoa_codes(), ATLAS).map_err(fail)?;
    let methods = df!(
        "indicator" => (0..specs.len() as u32).collect::<Vec<_>>(),
        "method" => specs.iter().map(|s| method_name(method_of(&s.indicator))).collect::<Vec<_>>(),
        "multiplier" => specs.iter().map(|s| s.indicator.multiplier).collect::<Vec<_>>(),
        "high_is_good" => specs.iter().map(|s| s.indicator.polarity == Polarity::HighIsGood).collect::<Vec<_>>(),
    )
    .map_err(fail)?;
    // One group-by per kind of area, so no LSOA's figures are held more than once at a time.
    let national_ids = stacked.national_ids(&specs, |_, national| national);
    let only = |ids: Vec<u32>| df!("indicator" => ids).map(DataFrame::lazy);
    let national_figures = stacked.figures.clone().lazy().join(
        only(national_ids).map_err(fail)?,
        [col("indicator")],
        [col("indicator")],
        national::inner(),
    );
    let mut aggregates = Vec::new();
    for (figures, members) in [
        (stacked.figures.clone().lazy(), atlas_members.clone().lazy()),
        (national_figures.clone(), geography.whole(ENGLAND_CODE)),
        (national_figures, geography.districts()),
    ] {
        let found = national::collect(aggregate(figures, members, methods.clone().lazy())).map_err(fail)?;
        aggregates.push(found);
    }
    let [atlas_aggregates, england_aggregates, district_aggregates] =
        aggregates.try_into().map_err(|_| fail(PolarsError::NoData("aggregates".into())))?;
    let mut figures: HashMap<(u32, String), AreaFigure> = HashMap::new();
    for found in [&atlas_aggregates, &england_aggregates] {
        figures.extend(area_figures(found).map_err(fail)?);
    }
    check_against_combine(&specs, &stacked, &atlas_members, &figures)?;

    let ranged = stacked.national_ids(&specs, ranges::ranged);
    let district_figures = district_aggregates.lazy().join(
        only(ranged).map_err(fail)?,
        [col("indicator")],
        [col("indicator")],
        national::inner(),
    );
    let ranges_frame = national::ranges::ranges(district_figures).collect().map_err(fail)?;
    let placed_ids = stacked.national_ids(&specs, positions::placed);
    let directions = methods
        .clone()
        .lazy()
        .join(only(placed_ids).map_err(fail)?, [col("indicator")], [col("indicator")], national::inner())
        .select([col("indicator"), col("high_is_good")]);
    let cuts =
        national::collect(national::positions::cuts(stacked.published.clone().lazy(), directions)).map_err(fail)?;
    let shares = national::collect(national::positions::shares(
        cuts.clone().lazy(),
        stacked.figures.clone().lazy().select([col("indicator"), col("lsoa"), col("residents"), col("value")]),
        concat([atlas_members.clone().lazy(), geography.whole(ENGLAND_CODE)], UnionArgs::default()).map_err(fail)?,
    ))
    .map_err(fail)?;

    let codes = national::geography::strings(&geography.lsoas, "lsoa");
    let rows = value_rows(&specs, &stacked.figures, &atlas_members, &codes).map_err(fail)?;
    let districts = geography.district_codes().len();
    let (mut comparator_rows, mut range_rows, mut position_rows) = (Vec::new(), Vec::new(), Vec::new());
    for (order, spec) in specs.iter().enumerate() {
        let id = spec.indicator.id.as_str();
        let Some(&(national, carried)) = stacked.facts.get(id) else { continue };
        if !rows.iter().any(|r| r.indicator_id == id) {
            return Err(IngestError::file(
                options.raw.display().to_string(),
                format!("no values found for indicator {id}"),
            )
            .into());
        }
        let figure = |area: &str| figures.get(&(order as u32, area.to_owned()));
        let inputs = BenchmarkInputs {
            atlas: (figure(ATLAS), lsoa_codes.len()),
            england: (figure(ENGLAND_CODE), geography.lsoa_count()),
            national,
            carried,
        };
        comparator_rows.extend(comparators::benchmarks(spec, &inputs, &census_england)?);
        comparator_rows.extend(published.rows(spec)?);
        if ranges::ranged(spec, national) {
            range_rows.extend(ranges::range(order as u32, spec, &ranges_frame, districts, carried));
        }
        if positions::placed(spec, national) {
            position_rows.extend(positions::position(
                order as u32,
                spec,
                &cuts,
                &shares,
                (ENGLAND_CODE, ATLAS),
                carried,
            ));
        }
    }

    let residents: BTreeMap<String, f64> = national::geography::strings(&geography.lsoas, "lsoa")
        .into_iter()
        .zip(geography.lsoas.column("residents").map_err(fail)?.f64().map_err(fail)?.iter())
        .filter(|(code, _)| lsoa_codes.contains(code))
        .map(|(code, people)| (code, people.unwrap_or(0.0)))
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
        lsoas: lsoa_codes.len(),
        indicators: indicators.len(),
        rows: rows.len(),
        comparators: comparator_rows.len(),
        files,
    })
}

/// Every indicator's LSOA figures stacked in one frame.
struct Stacked {
    /// `indicator` (catalogue position), `lsoa` (id), `residents`, `numerator`, `denominator`,
    /// `value`: on every English LSOA 2021 for national indicators, the atlas's LSOAs for the others.
    figures: DataFrame,
    /// `indicator`, `value` on the geography each placed indicator is published for.
    published: DataFrame,
    /// For each indicator with figures: (national, carried from LSOA 2011).
    facts: HashMap<String, (bool, bool)>,
}

impl Stacked {
    /// The catalogue positions of the indicators with figures that pass `test` (given whether they
    /// are national).
    fn national_ids(&self, specs: &[Spec], test: impl Fn(&Spec, bool) -> bool) -> Vec<u32> {
        (0..specs.len())
            .filter(|&i| self.facts.get(&specs[i].indicator.id).is_some_and(|&(national, _)| test(&specs[i], national)))
            .map(|i| i as u32)
            .collect()
    }
}

/// Derives every indicator the sources hold and stacks the figures.
fn stack(specs: &[Spec], sources: &Sources) -> Result<Stacked, IngestError> {
    let residents = sources.national.geography.keys().select([col("id"), col("residents")]);
    let (mut figures, mut published, mut facts) = (Vec::new(), Vec::new(), HashMap::new());
    for (order, spec) in specs.iter().enumerate() {
        let Some(derived) = derive::derive(spec, sources)? else { continue };
        let id = || lit(order as u32).cast(DataType::UInt32).alias("indicator");
        let columns = [col("numerator"), col("denominator"), col("value")].map(|c| c.cast(DataType::Float64));
        let mut selected = vec![id(), col("lsoa"), col("residents")];
        selected.extend(columns);
        let keyed = derived.lsoa21.clone().join(residents.clone(), [col("lsoa")], [col("id")], national::inner());
        figures.push(keyed.select(selected));
        if positions::placed(spec, derived.national) {
            let on = derived.lsoa11.clone().unwrap_or_else(|| derived.lsoa21.clone());
            published.push(on.select([id(), col("value").cast(DataType::Float64)]));
        }
        facts.insert(spec.indicator.id.clone(), (derived.national, derived.lsoa11.is_some()));
    }
    let fail = |e: PolarsError| IngestError::file("the national tables", format!("could not be stacked: {e}"));
    let figures = concat(figures, UnionArgs::default()).and_then(national::collect).map_err(fail)?;
    let published = concat(published, UnionArgs::default()).and_then(national::collect).map_err(fail)?;
    Ok(Stacked { figures, published, facts })
}

/// The rows of the tidy indicator table: the atlas's LSOAs that have figures, in catalogue and
/// code order.
fn value_rows(specs: &[Spec], figures: &DataFrame, atlas: &DataFrame, codes: &[String]) -> PolarsResult<Vec<ValueRow>> {
    let rows = figures
        .clone()
        .lazy()
        .join(atlas.clone().lazy().select([col("lsoa")]), [col("lsoa")], [col("lsoa")], national::inner())
        .sort(["indicator", "lsoa"], SortMultipleOptions::default())
        .collect()?;
    let orders: Vec<Option<u32>> = rows.column("indicator")?.u32()?.iter().collect();
    let ids: Vec<Option<u32>> = rows.column("lsoa")?.u32()?.iter().collect();
    let number = |name: &str| -> PolarsResult<Vec<Option<f64>>> { Ok(rows.column(name)?.f64()?.iter().collect()) };
    let (numerators, denominators, values) = (number("numerator")?, number("denominator")?, number("value")?);
    Ok((0..rows.height())
        .filter_map(|i| {
            let spec = &specs[orders[i]? as usize];
            Some(ValueRow {
                lsoa21_code: codes.get(ids[i]? as usize)?.clone(),
                indicator_id: spec.indicator.id.clone(),
                period: spec.indicator.period.clone(),
                numerator: numerators[i],
                denominator: denominators[i],
                value: values[i],
            })
        })
        .collect())
}

/// Fails unless every atlas and England figure of the group-by is [`combine`](crate::analysis::aggregate::combine)'s.
fn check_against_combine(
    specs: &[Spec],
    stacked: &Stacked,
    atlas: &DataFrame,
    figures: &HashMap<(u32, String), AreaFigure>,
) -> Result<(), IngestError> {
    let fail = |e: PolarsError| IngestError::file("data/comparators.csv", e.to_string());
    let atlas: BTreeSet<u32> = atlas.column("lsoa").map_err(fail)?.u32().map_err(fail)?.iter().flatten().collect();
    for part in stacked.figures.partition_by_stable(["indicator"], true).map_err(fail)? {
        let Some(order) = part.column("indicator").map_err(fail)?.u32().map_err(fail)?.get(0) else { continue };
        let spec = &specs[order as usize];
        let id = &spec.indicator.id;
        if method_of(&spec.indicator) == Method::Distribution {
            continue;
        }
        let number = |name: &str| -> Result<Vec<Option<f64>>, IngestError> {
            Ok(part.column(name).map_err(fail)?.f64().map_err(fail)?.iter().collect())
        };
        let (numerators, denominators, values) = (number("numerator")?, number("denominator")?, number("value")?);
        let residents = number("residents")?;
        let lsoas: Vec<Option<u32>> = part.column("lsoa").map_err(fail)?.u32().map_err(fail)?.iter().collect();
        let observation = |i: usize| {
            let o = Observation { numerator: numerators[i], denominator: denominators[i], value: values[i] };
            (o, residents[i].unwrap_or(0.0))
        };
        let in_atlas = |i: &usize| lsoas[*i].is_some_and(|l| atlas.contains(&l));
        let mut areas = vec![(ATLAS, combined(&spec.indicator, (0..lsoas.len()).filter(in_atlas).map(observation)))];
        if stacked.facts.get(id).is_some_and(|f| f.0) {
            areas.push((ENGLAND_CODE, combined(&spec.indicator, (0..lsoas.len()).map(observation))));
        }
        for (area, expected) in areas {
            let found = figures.get(&(order, area.to_owned()));
            if !found.is_some_and(|f| agrees(f, &expected)) && expected.lsoas_used > 0 {
                return Err(IngestError::file(
                    "data/comparators.csv",
                    format!("the group-by's figure of {id} for {area} ({found:?}) is not combine's ({expected:?})"),
                ));
            }
        }
    }
    Ok(())
}
