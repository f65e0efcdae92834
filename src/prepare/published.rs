//! MHCLG's own district and England summaries (IoD File 10), kept beside the benchmarks as
//! published figures: they are computed differently from an area's figure, so nothing is compared
//! with them.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::catalogue::Spec;
use super::comparators::{ComparatorArea, ComparatorRow, thousands};
use super::frames::failed;
use super::frames::scan::Scanned;
use super::raw::Wide;
use crate::atlas::schema::ComparatorRole;
use crate::ingest::IngestError;

/// IoD2025 File 10 average-score columns of the IMD and the domains published as scores.
const SCORES_2025: [(&str, &str); 6] = [
    ("iod25_imd_score", "imd_average_score"),
    ("iod25_education_score", "education_skills_and_training_average_score"),
    ("iod25_health_score", "health_deprivation_and_disability_average_score"),
    ("iod25_crime_score", "crime_average_score"),
    ("iod25_housing_services_score", "barriers_to_housing_and_services_average_score"),
    ("iod25_living_environment_score", "living_environment_average_score"),
];

/// IoD2025 File 10 scale and rate columns of the two count-based domains.
const RATES_2025: [(&str, &str, &str); 2] = [
    ("iod25_income_rate", "income_scale", "income_average_score"),
    ("iod25_employment_rate", "employment_scale", "employment_average_score"),
];

/// IoD2019 File 10 average-score and scale columns, with the File 6 denominator of each domain.
const RATES_2019: [(&str, &str, &str, &str); 2] = [
    ("iod19_income_rate", "Income - Average score", "Income scale", "pop_total_mid2015"),
    ("iod19_employment_rate", "Employment - Average score", "Employment scale", "pop_working_age_18_59_64_mid2015"),
];

/// Why a published row is not the one compared with.
const NOT_COMPARED: &str = "not used for comparisons: the benchmark row is computed from LSOAs as the area's figure is";

/// The File 10 summaries of both editions, and the IoD2019 File 6 populations they divide by.
pub struct Published {
    file10_2025: Wide,
    /// IoD2025 districts and their populations implied by the income domain (scale ÷ rate).
    districts_2025: Vec<(String, f64)>,
    file10_2019: Wide,
    /// IoD2019 district codes, sorted.
    districts_2019: Vec<String>,
    /// Each IoD2019 denominator's File 6 sum over each district's LSOAs 2011 (by IoD2019 district
    /// code) and over England's.
    file6_sums: Vec<(&'static str, BTreeMap<String, f64>, f64)>,
    /// The districts whose published figures are kept: the atlas's one, or in England's atlas
    /// each district it holds.
    districts: Vec<ComparatorArea>,
}

impl Published {
    /// Reads the File 10 summaries; `file6` is the IoD2019 File 6 table (LSOA 2011).
    pub fn read(
        file10_2025: &Path,
        file10_2019: &Path,
        file6: &Scanned,
        districts: Vec<ComparatorArea>,
    ) -> Result<Published, IngestError> {
        let file10_2025 = Wide::read(file10_2025, "ltla24_code")?;
        let districts_2025 = district_populations(&file10_2025)?;
        let file10_2019 = Wide::read(file10_2019, "lad19_code")?;
        let mut districts_2019: Vec<String> = file10_2019.codes().cloned().collect();
        districts_2019.sort();
        let columns: Vec<Expr> = RATES_2019.iter().map(|(.., column)| col(*column).sum()).collect();
        let by_district = file6
            .frame
            .clone()
            .lazy()
            .group_by([col("lad19_code")])
            .agg(columns.clone())
            .collect()
            .map_err(failed(&file6.file))?;
        let totals = file6.frame.clone().lazy().select(columns).collect().map_err(failed(&file6.file))?;
        let codes = super::frames::strings(&by_district, "lad19_code");
        let numbers = |frame: &DataFrame, name: &str| -> Vec<f64> {
            frame
                .column(name)
                .ok()
                .and_then(|c| c.f64().ok())
                .map_or_else(Vec::new, |c| c.iter().map(|v| v.unwrap_or(0.0)).collect())
        };
        let file6_sums = RATES_2019
            .iter()
            .map(|(.., column)| {
                let sums = codes.iter().cloned().zip(numbers(&by_district, column)).collect();
                (*column, sums, numbers(&totals, column).first().copied().unwrap_or(0.0))
            })
            .collect();
        Ok(Published { file10_2025, districts_2025, file10_2019, districts_2019, file6_sums, districts })
    }

    /// The published district and England rows of an indicator (none for most indicators; no
    /// district row where File 10 has none for the district, as for districts formed since 2019).
    pub fn rows(&self, spec: &Spec) -> Result<Vec<ComparatorRow>, IngestError> {
        let id = spec.indicator.id.as_str();
        let row = |area: &ComparatorArea, counts, value, basis: String| {
            ComparatorRow::new(spec, area, counts, value, format!("{basis}; {NOT_COMPARED}"), ComparatorRole::Published)
        };
        let england = &ComparatorArea::england();
        let districts = thousands(self.districts_2025.len());
        if let Some((_, column)) = SCORES_2025.iter().find(|(i, _)| *i == id) {
            let mut weighted = 0.0;
            let mut population = 0.0;
            for (code, people) in &self.districts_2025 {
                weighted += required(&self.file10_2025, code, column)? * people;
                population += people;
            }
            let mut rows = Vec::new();
            for district in &self.districts {
                if let Some(value) = self.file10_2025.number(&district.code, column)? {
                    rows.push(row(district, (None, None), value, file10(2025, "")));
                }
            }
            rows.push(
                row(
                    england,
                    (None, None),
                    weighted / population,
                    file10(
                        2025,
                        &format!(
                            ": the {districts} district average scores weighted by district population (income scale ÷ income rate)"
                        ),
                    ),
                ),
            );
            return Ok(rows);
        }
        if let Some((_, scale, rate)) = RATES_2025.iter().find(|(i, ..)| *i == id) {
            let mut rows = Vec::new();
            for district in &self.districts {
                let code = district.code.as_str();
                if let (Some(n), Some(r)) =
                    (self.file10_2025.number(code, scale)?, self.file10_2025.number(code, rate)?)
                {
                    rows.push(row(district, (Some(n), Some((n / r).round())), r * 100.0, file10(2025, "")));
                }
            }
            let (mut total_n, mut total_d) = (0.0, 0.0);
            for (code, _) in &self.districts_2025 {
                let n = required(&self.file10_2025, code, scale)?;
                total_n += n;
                total_d += n / required(&self.file10_2025, code, rate)?;
            }
            rows.push(row(
                england,
                (Some(total_n), Some(total_d.round())),
                total_n / total_d * 100.0,
                file10(
                    2025,
                    &format!(": sum of the {districts} district scales ÷ sum of district populations (scale ÷ rate)"),
                ),
            ));
            return Ok(rows);
        }
        if let Some((_, rate, scale, denominator)) = RATES_2019.iter().find(|(i, ..)| *i == id) {
            let empty = BTreeMap::new();
            let (by_district, total_d) =
                self.file6_sums.iter().find(|(c, ..)| c == denominator).map_or((&empty, 0.0), |(_, d, t)| (d, *t));
            let mut rows = Vec::new();
            for district in &self.districts {
                let code = district.code.as_str();
                if let (Some(n), Some(r)) =
                    (self.file10_2019.number(code, scale)?, self.file10_2019.number(code, rate)?)
                {
                    let district_d = by_district.get(code).copied().unwrap_or(0.0);
                    rows.push(row(
                        district,
                        (Some(n), Some(district_d)),
                        r * 100.0,
                        file10(
                            2019,
                            &format!(
                                ": the district's average score; counts: its {scale} and File 6 mid-2015 population"
                            ),
                        ),
                    ));
                }
            }
            let mut total_n = 0.0;
            for code in &self.districts_2019 {
                total_n += required(&self.file10_2019, code, scale)?;
            }
            let districts = thousands(self.districts_2019.len());
            rows.push(row(
                england,
                (Some(total_n), Some(total_d)),
                total_n / total_d * 100.0,
                file10(
                    2019,
                    &format!(": sum of the {districts} district {scale}s ÷ England's File 6 mid-2015 population"),
                ),
            ));
            return Ok(rows);
        }
        Ok(Vec::new())
    }
}

/// The start of a published row's basis.
fn file10(edition: u16, detail: &str) -> String {
    format!("Published by MHCLG in IoD{edition} File 10 (local authority district summaries){detail}")
}

/// IoD2025 districts and their populations implied by the income domain (scale ÷ rate), by code.
fn district_populations(file10: &Wide) -> Result<Vec<(String, f64)>, IngestError> {
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

fn required(table: &Wide, code: &str, column: &str) -> Result<f64, IngestError> {
    table
        .number(code, column)?
        .ok_or_else(|| IngestError::file(table.table().file(), format!("no {column} for {code}")))
}
