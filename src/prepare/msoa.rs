//! Indicators published for MSOAs: deaths involving COVID-19, March 2020 to April 2021.
//!
//! MSOA figures stay on MSOAs (`data/msoa_indicators.csv`); they are never spread over LSOAs.

use std::collections::BTreeMap;
use std::path::Path;

use super::comparators::{ComparatorArea, ComparatorRow, tidy};
use crate::analysis::aggregate::{Contribution, combine};
use crate::atlas::Observation;
use crate::atlas::schema::{BaseGeography, ComparatorRole, Indicator, IntervalMethod, Polarity, Theme, ValueType};
use crate::ingest::{IngestError, Table};

/// Deaths involving COVID-19 by MSOA, with the mid-2019 population.
pub const COVID_DEATHS: &str = "health/coventry_covid19_deaths_msoa_mar2020_apr2021.csv";

/// One row of `data/msoa_indicators.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct MsoaRow {
    /// MSOA 2021 code.
    pub msoa21_code: String,
    /// Indicator id.
    pub indicator_id: String,
    /// Period label.
    pub period: String,
    /// Count.
    pub numerator: f64,
    /// Population.
    pub denominator: f64,
    /// Value in the indicator's unit.
    pub value: f64,
}

/// The MSOA indicators, their values and the district's benchmark.
#[derive(Default)]
pub struct MsoaIndicators {
    /// Catalogue entries.
    pub indicators: Vec<Indicator>,
    /// Values by MSOA, in code order.
    pub rows: Vec<MsoaRow>,
    /// District benchmarks, computed like an area's figure.
    pub comparators: Vec<ComparatorRow>,
}

/// The catalogue entry of COVID-19 deaths.
pub fn covid_indicator() -> Indicator {
    Indicator {
        id: "covid19_deaths_2020_21".to_owned(),
        name: "Deaths involving COVID-19, March 2020 to April 2021".to_owned(),
        topic: "Health".to_owned(),
        theme: Theme::HealthAndWellbeing,
        definition: "Deaths with COVID-19 mentioned on the death certificate, by month of occurrence from March 2020 to April 2021, per 100,000 residents (ONS mid-2019 population estimates).".to_owned(),
        unit: "per 100,000".to_owned(),
        value_type: ValueType::Rate,
        polarity: Polarity::LowIsGood,
        multiplier: 100_000.0,
        interval_method: IntervalMethod::ByarExact,
        source: "ONS, Deaths involving COVID-19 by Middle Layer Super Output Area, England and Wales; ONS mid-2019 small area population estimates".to_owned(),
        licence: "Open Government Licence v3.0".to_owned(),
        period: "March 2020 to April 2021".to_owned(),
        geography: "MSOA 2021 (Coventry's MSOA codes are unchanged from 2011)".to_owned(),
        notes: "A pandemic-period outcome, not a general measure of health. A crude rate: deaths involving COVID-19 rose steeply with age and the areas' age structures differ, and no deaths by age are published for MSOAs, so it is compared only as higher or lower, never better or worse. Exact Poisson interval below 10 deaths, Byar's from 10. Published for MSOAs: mapped as MSOAs, and combined into an area from whole MSOAs, or apportioned by Census 2021 usual residents where the area holds only part of an MSOA (said in every output). No England figure is held in the sources.".to_owned(),
        counterpart: None,
        national_areas: None,
        age_sensitive: true,
        district_figure: false,
        modelled: false,
        base: BaseGeography::Msoa,
    }
}

/// Reads the MSOA files: every MSOA code must be one of the atlas's MSOAs (`members`, from the
/// LSOA boundaries), every count a whole number of at least 0, every population above 0.
pub fn build(
    path: &Path,
    members: &[(String, Vec<String>)],
    residents: &BTreeMap<String, f64>,
    district: &ComparatorArea,
) -> Result<MsoaIndicators, IngestError> {
    let indicator = covid_indicator();
    let table = Table::from_path(path)?;
    table.require(&["msoa_code", "deaths_total_mar2020_to_apr2021", "population_mid2019"])?;
    let mut rows = Vec::new();
    for row in table.rows() {
        let code = row.text("msoa_code")?;
        if !members.iter().any(|(m, _)| m == code) {
            return Err(row.error("msoa_code", format!("{code:?} is not one of the MSOAs of the LSOA boundaries")));
        }
        let deaths = row.required_number("deaths_total_mar2020_to_apr2021")?;
        if deaths < 0.0 || deaths.fract() != 0.0 {
            return Err(row.error("deaths_total_mar2020_to_apr2021", "must be a whole number of deaths, 0 or more"));
        }
        let population = row.required_number("population_mid2019")?;
        if population <= 0.0 {
            return Err(row.error("population_mid2019", "must be above 0"));
        }
        rows.push(MsoaRow {
            msoa21_code: code.to_owned(),
            indicator_id: indicator.id.clone(),
            period: indicator.period.clone(),
            numerator: deaths,
            denominator: population,
            value: tidy(deaths / population * indicator.multiplier),
        });
    }
    rows.sort_by(|a, b| a.msoa21_code.cmp(&b.msoa21_code));
    if let Some((missing, _)) = members.iter().find(|(m, _)| !rows.iter().any(|r| r.msoa21_code == *m)) {
        return Err(IngestError::file(table.file(), format!("no row for MSOA {missing}")));
    }
    let contributions: Vec<Contribution> = rows
        .iter()
        .map(|r| {
            let people = members
                .iter()
                .find(|(m, _)| *m == r.msoa21_code)
                .map_or(0.0, |(_, lsoas)| lsoas.iter().filter_map(|l| residents.get(l)).sum());
            Contribution {
                observation: Observation {
                    numerator: Some(r.numerator),
                    denominator: Some(r.denominator),
                    value: Some(r.value),
                },
                population: people,
                share: 1.0,
            }
        })
        .collect();
    let city = combine(&indicator, &contributions);
    let comparators = city
        .value
        .map(|value| ComparatorRow {
            indicator_id: indicator.id.clone(),
            area_code: district.code.clone(),
            area_name: district.name.clone(),
            period: indicator.period.clone(),
            numerator: city.numerator.map(tidy),
            denominator: city.denominator.map(tidy),
            value: tidy(value),
            basis: format!("{}'s {} MSOAs: summed deaths and populations", district.name, rows.len()),
            role: ComparatorRole::Benchmark,
        })
        .into_iter()
        .collect();
    Ok(MsoaIndicators { indicators: vec![indicator], rows, comparators })
}
