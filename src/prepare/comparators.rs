//! District and England benchmarks: each computed from LSOAs as every area's own figure is (the
//! [`aggregate`](super::national::aggregate) group-by, checked against
//! [`combine`](crate::analysis::aggregate::combine)).

use super::catalogue::{Census, Derivation, Spec};
use super::national::aggregate::AreaFigure;
use super::paths;
use crate::analysis::aggregate::{Method, method_of};
use crate::atlas::ValueType;
use crate::atlas::schema::{ComparatorRole, ENGLAND_CODE};
use crate::ingest::{IngestError, Table};

/// One comparator row of `data/comparators.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparatorRow {
    /// Indicator id.
    pub indicator_id: String,
    /// GSS code of the area.
    pub area_code: String,
    /// Area name.
    pub area_name: String,
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

/// An area a comparator describes: GSS code and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparatorArea {
    /// GSS code.
    pub code: String,
    /// Name.
    pub name: String,
}

impl ComparatorArea {
    /// An area by code and name.
    pub fn new(code: &str, name: &str) -> ComparatorArea {
        ComparatorArea { code: code.to_owned(), name: name.to_owned() }
    }

    /// England.
    pub fn england() -> ComparatorArea {
        ComparatorArea::new(ENGLAND_CODE, "England")
    }

    /// True for England.
    pub fn is_england(&self) -> bool {
        self.code == ENGLAND_CODE
    }
}

impl ComparatorRow {
    /// A row of an indicator, with sums rounded clear of floating-point noise.
    pub fn new(
        spec: &Spec,
        area: &ComparatorArea,
        counts: (Option<f64>, Option<f64>),
        value: f64,
        basis: String,
        role: ComparatorRole,
    ) -> ComparatorRow {
        ComparatorRow {
            indicator_id: spec.indicator.id.clone(),
            area_code: area.code.clone(),
            area_name: area.name.clone(),
            period: spec.indicator.period.clone(),
            numerator: counts.0.map(tidy),
            denominator: counts.1.map(tidy),
            value: tidy(value),
            basis,
            role,
        }
    }
}

/// England's Census 2021 sums for the tables held by LSOA for Coventry only.
pub struct CensusEngland {
    table: Table,
}

impl CensusEngland {
    /// Reads the England and Coventry Census sums.
    pub fn read(path: &std::path::Path) -> Result<CensusEngland, IngestError> {
        let table = Table::from_path(path)?;
        table.require(&["table", "area", "category", "count", "total"])?;
        Ok(CensusEngland { table })
    }

    /// Sum of the categories and the total for England in one table.
    fn sum(&self, table: Census, categories: &[&str]) -> Result<(f64, f64), IngestError> {
        let name = census_table(table);
        let (mut n, mut total, mut matched) = (0.0, None, 0);
        for row in self.table.rows() {
            if row.text("table")? != name || row.text("area")? != "England" {
                continue;
            }
            total = Some(row.required_number("total")?);
            if categories.contains(&row.text("category")?) {
                n += row.required_number("count")?;
                matched += 1;
            }
        }
        match total {
            Some(t) if matched == categories.len() => Ok((n, t)),
            _ => Err(IngestError::file(
                self.table.file(),
                format!("missing England rows of {name} for the categories {categories:?}"),
            )),
        }
    }
}

/// What an indicator's benchmarks are computed from.
pub struct BenchmarkInputs<'a> {
    /// The district the atlas covers.
    pub district: &'a ComparatorArea,
    /// The atlas's figure (its LSOAs combined) and how many LSOAs the atlas has.
    pub atlas: (Option<&'a AreaFigure>, usize),
    /// England's figure (all English LSOAs combined) and how many LSOAs England has.
    pub england: (Option<&'a AreaFigure>, usize),
    /// True when every English LSOA was read from a national file.
    pub national: bool,
    /// True for IoD2019 figures carried from LSOA 2011.
    pub carried: bool,
}

/// The district and England benchmark rows of an indicator: none for ranks and deciles, which
/// combine as distributions, and no England row for a table the sources hold for the district only
/// or a measure computed for it alone.
pub fn benchmarks(
    spec: &Spec,
    inputs: &BenchmarkInputs<'_>,
    census: Option<&CensusEngland>,
) -> Result<Vec<ComparatorRow>, IngestError> {
    let indicator = &spec.indicator;
    if matches!(indicator.value_type, ValueType::Rank | ValueType::Decile) {
        return Ok(Vec::new());
    }
    let method = method_of(indicator);
    if method == Method::NotCombinable {
        // England is 100 by construction; a district's ratio needs counts the sources lack.
        return Ok(vec![ComparatorRow::new(
            spec,
            &ComparatorArea::england(),
            (None, None),
            STANDARDISED_ENGLAND,
            STANDARDISED_BASIS.to_owned(),
            ComparatorRole::Benchmark,
        )]);
    }
    let missing = |area: &str| {
        IngestError::file("data/comparators.csv", format!("no {area} benchmark could be computed for {}", indicator.id))
    };
    let mut rows = Vec::with_capacity(2);
    let england = ComparatorArea::england();
    // An atlas of all England is its own England benchmark; with `--only-districts` it is a part of
    // England that is not a district, so it has no benchmark row of its own either.
    let atlas = (!inputs.district.is_england()).then_some((inputs.district, inputs.atlas));
    for (area, (figure, members)) in atlas.into_iter().chain([(&england, inputs.england)]) {
        if area.is_england() && !spec.derivation.has_england_figure() {
            continue;
        }
        if area.is_england() && !inputs.national {
            // Only the Census tables held by LSOA have England sums in the sources; the Output
            // Area tables held for Coventry alone have no England figure.
            if !matches!(spec.derivation, Derivation::OutputAreaShare(..)) {
                rows.push(census_england(spec, census)?);
            }
            continue;
        }
        let figure = figure.ok_or_else(|| missing(&area.name))?;
        let value = figure.value.ok_or_else(|| missing(&area.name))?;
        let basis = format!("{}: {}", lsoas_used(area, figure.used, members, inputs.carried), method_words(method));
        let counts = match method {
            Method::Sum => (figure.numerator, None),
            _ => (figure.numerator, figure.denominator),
        };
        rows.push(ComparatorRow::new(spec, area, counts, value, basis, ComparatorRole::Benchmark));
    }
    Ok(rows)
}

/// England's value of an indirectly standardised ratio: its observed count over its expected
/// count, which are the same, × 100.
const STANDARDISED_ENGLAND: f64 = 100.0;

/// The basis of England's standardised ratio.
const STANDARDISED_BASIS: &str = "England = 100 by construction: each LSOA's ratio is its observed count over the count expected at England's rates for its ages and sexes, × 100, so England's observed and expected counts are equal. The LSOA ratios are published without those counts, so no district ratio is formed from them, and no mean of the LSOA ratios is England's (weighted by residents it is well above 100)";

/// England from the national Census sums, for a table held by LSOA for Coventry only.
fn census_england(spec: &Spec, census: Option<&CensusEngland>) -> Result<ComparatorRow, IngestError> {
    let (Derivation::CensusShare(table, categories), Some(census)) = (&spec.derivation, census) else {
        return Err(IngestError::file(
            paths::CENSUS_COMPARATORS,
            format!("no England figure for {}", spec.indicator.id),
        ));
    };
    let (n, total) = census.sum(*table, categories)?;
    Ok(ComparatorRow::new(
        spec,
        &ComparatorArea::england(),
        (Some(n), Some(total)),
        n / total * spec.indicator.multiplier,
        "All England LSOAs: summed numerators and denominators (Census 2021 counts summed over every England LSOA; the LSOA table itself is held for Coventry only)".to_owned(),
        ComparatorRole::Benchmark,
    ))
}

/// Which LSOAs a benchmark was computed over, in words.
fn lsoas_used(area: &ComparatorArea, used: usize, members: usize, carried: bool) -> String {
    let all = if area.is_england() {
        format!("All {} England LSOAs", thousands(members))
    } else {
        format!("{}'s {} LSOAs", area.name, thousands(members))
    };
    let mut remarks = Vec::new();
    if carried {
        remarks.push("2021, IoD2019 figures carried from LSOA 2011".to_owned());
    }
    if used < members {
        remarks.push(format!("{} with a published figure", thousands(used)));
    }
    if remarks.is_empty() { all } else { format!("{all} ({})", remarks.join("; ")) }
}

/// How a method combines LSOAs, in words for the `basis` column.
fn method_words(method: Method) -> &'static str {
    match method {
        Method::Wilson | Method::ByarExact | Method::RatioOfSums => "summed numerators and denominators",
        Method::PopulationWeightedMean => "mean of LSOA values weighted by Census 2021 usual residents",
        Method::Sum => "sum of LSOA counts",
        Method::Distribution => "number of LSOAs in each national decile",
        Method::NotCombinable => "none: published ratios without counts",
    }
}

/// A whole number with thousands separators: 33755 → "33,755".
pub fn thousands(n: usize) -> String {
    crate::analysis::words::number(n as f64, 0)
}

/// Rounds away floating-point noise from sums; 6 decimals is far below published precision.
pub fn tidy(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The comparator file's name for each Census table.
fn census_table(table: Census) -> &'static str {
    match table {
        Census::Disability => "TS038 disability",
        Census::HouseholdDeprivation => "TS011 household deprivation",
        Census::Occupancy => "TS052 occupancy rating (bedrooms)",
        Census::Tenure => "TS054 tenure",
        Census::Ethnicity => "TS021 ethnic group (5 groups)",
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_of_areas_are_written_with_thousands_separators() {
        assert_eq!(thousands(203), "203");
        assert_eq!(thousands(33_755), "33,755");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
