//! England and Coventry comparator values, from the publishers' district and national figures.

use super::catalogue::{Census, Derivation, Spec};
use super::paths;
use super::raw::{RawPaths, Wide};
use crate::atlas::schema::{COVENTRY_CODE, ComparatorRole, ENGLAND_CODE};
use crate::ingest::{IngestError, Table};

/// One comparator row of `data/comparators.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparatorRow {
    /// Indicator id.
    pub indicator_id: String,
    /// GSS code of the area.
    pub area_code: &'static str,
    /// Area name.
    pub area_name: &'static str,
    /// Period.
    pub period: String,
    /// Count, where known.
    pub numerator: Option<f64>,
    /// Denominator, where known.
    pub denominator: Option<f64>,
    /// Value in the indicator's unit.
    pub value: f64,
    /// How the value was obtained.
    pub basis: String,
    /// Whether comparisons use it or it is the publisher's own figure kept beside.
    pub role: ComparatorRole,
}

/// IoD2025 File 10 columns for indicators published as LAD averages.
const FILE10_SCORES: [(&str, &str); 6] = [
    ("iod25_imd_score", "imd_average_score"),
    ("iod25_education_score", "education_skills_and_training_average_score"),
    ("iod25_health_score", "health_deprivation_and_disability_average_score"),
    ("iod25_crime_score", "crime_average_score"),
    ("iod25_housing_services_score", "barriers_to_housing_and_services_average_score"),
    ("iod25_living_environment_score", "living_environment_average_score"),
];

/// IoD2025 File 10 scale and rate columns for the two count-based domains.
const FILE10_RATES: [(&str, &str, &str); 2] = [
    ("iod25_income_rate", "income_scale", "income_average_score"),
    ("iod25_employment_rate", "employment_scale", "employment_average_score"),
];

/// IoD2019 File 10 rates for Coventry.
const FILE10_2019: [(&str, &str); 2] =
    [("iod19_income_rate", "Income_Score"), ("iod19_employment_rate", "Employment_Score")];

/// Indicators whose England value is the unweighted mean of England LSOAs.
const DISTRIBUTIONS: [(&str, &str, f64); 11] = [
    ("iod25_children_young_people_score", "children_and_young_people_score", 1.0),
    ("iod25_adult_skills_score", "adult_skills_score", 1.0),
    ("iod25_ypll", "years_of_potential_life_lost_indicator", 1.0),
    ("iod25_cidr", "comparative_illness_and_disability_ratio_indicator", 1.0),
    ("iod25_acute_morbidity", "acute_morbidity_indicator", 1.0),
    ("iod25_mental_health", "mental_health_indicator", 1.0),
    ("iod25_digital_connectivity", "digital_connectivity_broadband_download_and_upload_speeds", 1.0),
    ("iod25_patient_gp_ratio", "patient_to_gp_ratio", 1.0),
    ("iod25_homelessness_rate", "homelessness_indicator_rate_per_1_000_households", 1.0),
    ("iod25_overcrowding_rooms", "household_overcrowding_indicator_rooms", 100.0),
    ("iod25_overcrowding_bedrooms", "household_overcrowding_indicator_bedrooms", 100.0),
];

const FILE10_BASIS: &str = "IoD2025 File 10 (local authority district summaries)";
const ENGLAND_WEIGHTED: &str = "IoD2025 File 10: district average scores weighted by district population (income scale ÷ income rate), summed over all 296 districts";
const ENGLAND_RATE: &str =
    "IoD2025 File 10: sum of district scales ÷ sum of district populations (scale ÷ rate) over all 296 districts";
const DISTRIBUTION_BASIS: &str = "Unweighted mean of all England LSOAs (IoD2025 File 8)";
const CENSUS_BASIS: &str = "Census 2021 counts summed over the area's LSOAs";

/// Builds every comparator row, in catalogue order with Coventry before England.
pub fn build(raw: &RawPaths, specs: &[Spec]) -> Result<Vec<ComparatorRow>, IngestError> {
    let file10 = Wide::read(&raw.file(paths::IOD25_LAD), "ltla24_code")?;
    let file10_2019 = Wide::read(&raw.file(paths::IOD19_LAD), "ltla19_code")?;
    let distributions = Table::from_path(&raw.file(paths::IOD_DISTRIBUTIONS))?;
    let census = Table::from_path(&raw.file(paths::CENSUS_COMPARATORS))?;
    census.require(&["table", "area", "category", "count", "total"])?;
    distributions.require(&["dataset", "variable", "england_mean_unweighted"])?;

    let districts = districts(&file10)?;
    let england_population: f64 = districts.iter().map(|d| d.1).sum();

    let mut rows = Vec::new();
    for spec in specs {
        let id = spec.indicator.id.as_str();
        let period = spec.indicator.period.clone();
        let row = |area_code, area_name, numerator: Option<f64>, denominator: Option<f64>, value: f64, basis: &str| {
            ComparatorRow {
                indicator_id: id.to_owned(),
                area_code,
                area_name,
                period: period.clone(),
                numerator: numerator.map(tidy),
                denominator: denominator.map(tidy),
                value: tidy(value),
                basis: basis.to_owned(),
                role: ComparatorRole::Benchmark,
            }
        };
        if let Some((_, column)) = FILE10_SCORES.iter().find(|(i, _)| *i == id) {
            let coventry = required(&file10, COVENTRY_CODE, column)?;
            rows.push(row(COVENTRY_CODE, "Coventry", None, None, coventry, FILE10_BASIS));
            let mut weighted = 0.0;
            for (code, population) in &districts {
                weighted += required(&file10, code, column)? * population;
            }
            rows.push(row(ENGLAND_CODE, "England", None, None, weighted / england_population, ENGLAND_WEIGHTED));
        } else if let Some((_, scale, rate)) = FILE10_RATES.iter().find(|(i, ..)| *i == id) {
            let n = required(&file10, COVENTRY_CODE, scale)?;
            let r = required(&file10, COVENTRY_CODE, rate)?;
            rows.push(row(COVENTRY_CODE, "Coventry", Some(n), Some((n / r).round()), r * 100.0, FILE10_BASIS));
            let (mut total_n, mut total_d) = (0.0, 0.0);
            for (code, _) in &districts {
                let n = required(&file10, code, scale)?;
                total_n += n;
                total_d += n / required(&file10, code, rate)?;
            }
            rows.push(row(
                ENGLAND_CODE,
                "England",
                Some(total_n),
                Some(total_d.round()),
                total_n / total_d * 100.0,
                ENGLAND_RATE,
            ));
        } else if let Some((_, column)) = FILE10_2019.iter().find(|(i, _)| *i == id) {
            let r = required(&file10_2019, COVENTRY_CODE, column)?;
            rows.push(row(
                COVENTRY_CODE,
                "Coventry",
                None,
                None,
                r * 100.0,
                "IoD2019 File 10 (local authority district summaries)",
            ));
        } else if let Some((_, variable, scale)) = DISTRIBUTIONS.iter().find(|(i, ..)| *i == id) {
            let mean = distribution_mean(&distributions, variable)?;
            rows.push(row(ENGLAND_CODE, "England", None, None, mean * scale, DISTRIBUTION_BASIS));
        } else if let Some((table, share)) = census_spec(&spec.derivation) {
            for (code, name) in [(COVENTRY_CODE, "Coventry"), (ENGLAND_CODE, "England")] {
                let (n, total) = census_sum(&census, census_table(table), name, share)?;
                match share {
                    Some(_) => rows.push(row(
                        code,
                        name,
                        Some(n),
                        Some(total),
                        n / total * spec.indicator.multiplier,
                        CENSUS_BASIS,
                    )),
                    None => rows.push(row(code, name, Some(total), None, total, CENSUS_BASIS)),
                }
            }
        }
    }
    Ok(rows)
}

/// District populations implied by the income domain (scale ÷ rate), by district code.
fn districts(file10: &Wide) -> Result<Vec<(String, f64)>, IngestError> {
    let mut districts = Vec::new();
    for code in file10.codes() {
        let scale = file10.number(code, "income_scale")?;
        let rate = file10.number(code, "income_average_score")?;
        if let (Some(scale), Some(rate)) = (scale, rate)
            && rate > 0.0
        {
            districts.push((code.clone(), scale / rate));
        }
    }
    districts.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(districts)
}

/// One row of `data/england_positions.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PositionRow {
    /// Indicator id.
    pub indicator_id: String,
    /// England LSOAs with a value.
    pub lsoas: usize,
    /// worst10, worst20, england_share10, england_share20, coventry_share10, coventry_share20.
    pub figures: [f64; 6],
    /// How they were computed.
    pub basis: String,
}

/// One row of `data/england_ranges.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRow {
    /// Indicator id.
    pub indicator_id: String,
    /// Districts the range is taken over.
    pub areas: usize,
    /// Lowest, 25th percentile, 75th percentile, highest.
    pub quartiles: [f64; 4],
    /// Which figures the range is taken over.
    pub basis: &'static str,
}

/// The spread across England's districts of every indicator File 10 gives per district: the
/// England range of a spine chart.
pub fn ranges(raw: &RawPaths, specs: &[Spec]) -> Result<Vec<RangeRow>, IngestError> {
    let file10 = Wide::read(&raw.file(paths::IOD25_LAD), "ltla24_code")?;
    let districts = districts(&file10)?;
    let mut rows = Vec::new();
    for spec in specs {
        let id = spec.indicator.id.as_str();
        let mut values = Vec::with_capacity(districts.len());
        if let Some((_, column)) = FILE10_SCORES.iter().find(|(i, _)| *i == id) {
            for (code, _) in &districts {
                values.push(required(&file10, code, column)?);
            }
        } else if let Some((_, _, rate)) = FILE10_RATES.iter().find(|(i, ..)| *i == id) {
            for (code, _) in &districts {
                values.push(required(&file10, code, rate)? * 100.0);
            }
        } else {
            continue;
        }
        values.sort_by(f64::total_cmp);
        let quartiles = [values[0], percentile(&values, 0.25), percentile(&values, 0.75), values[values.len() - 1]];
        rows.push(RangeRow {
            indicator_id: id.to_owned(),
            areas: values.len(),
            quartiles: quartiles.map(tidy),
            basis: "IoD2025 File 10: the district figures of England's local authority districts",
        });
    }
    Ok(rows)
}

/// The p-quantile of sorted values by linear interpolation between order statistics (Hyndman and
/// Fan type 7, the default of R and numpy).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lower, fraction) = (h.floor() as usize, h.fract());
    match sorted.get(lower + 1) {
        Some(next) => sorted[lower] + fraction * (next - sorted[lower]),
        None => sorted[lower],
    }
}

/// The Census table and categories of a Census-derived indicator.
fn census_spec(derivation: &Derivation) -> Option<(Census, Option<&'static [&'static str]>)> {
    match derivation {
        Derivation::CensusShare(table, categories) => Some((*table, Some(*categories))),
        Derivation::CensusTotal(table) => Some((*table, None)),
        _ => None,
    }
}

/// Rounds away floating-point noise from sums; 6 decimals is far below published precision.
fn tidy(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn required(table: &Wide, code: &str, column: &str) -> Result<f64, IngestError> {
    table
        .number(code, column)?
        .ok_or_else(|| IngestError::file(table.table().file(), format!("no {column} for {code}")))
}

fn distribution_mean(table: &Table, variable: &str) -> Result<f64, IngestError> {
    for row in table.rows() {
        if row.text("dataset")?.starts_with("IoD2025") && row.text("variable")? == variable {
            return row.required_number("england_mean_unweighted");
        }
    }
    Err(IngestError::file(table.file(), format!("no IoD2025 row for {variable}")))
}

/// The comparator file's name for each Census table.
fn census_table(table: Census) -> &'static str {
    match table {
        Census::Age => "TS007A-style age (6 groups)",
        Census::Disability => "TS038 disability",
        Census::HouseholdDeprivation => "TS011 household deprivation",
        Census::Occupancy => "TS052 occupancy rating (bedrooms)",
        Census::Tenure => "TS054 tenure",
        Census::Ethnicity => "TS021 ethnic group (5 groups)",
    }
}

/// Sum of the categories (all when `None`) and the total for one area of one table.
fn census_sum(table: &Table, name: &str, area: &str, categories: Option<&[&str]>) -> Result<(f64, f64), IngestError> {
    let (mut n, mut total) = (0.0, None);
    let mut matched = 0;
    for row in table.rows() {
        if row.text("table")? != name || row.text("area")? != area {
            continue;
        }
        total = Some(row.required_number("total")?);
        let category = row.text("category")?;
        if categories.is_none_or(|c| c.contains(&category)) {
            n += row.required_number("count")?;
            matched += 1;
        }
    }
    match (total, categories) {
        (Some(t), Some(c)) if matched == c.len() => Ok((n, t)),
        (Some(t), None) => Ok((n, t)),
        _ => Err(IngestError::file(
            table.file(),
            format!("missing {area} rows of {name} for the categories {categories:?}"),
        )),
    }
}
