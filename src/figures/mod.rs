//! Figures: each chart the atlas publishes, built from the analysis, with the table behind it.
//!
//! A [`FigureRequest`] names the chart and its parameters (parsed the same way for the API's query
//! string and the command line); [`build`] returns the chart definition, ready to draw as SVG or
//! PNG, and the [`Table`] of the numbers it shows, ready to write as CSV.

pub mod board_pack;
mod change;
pub mod cluster_table;
mod clusters;
mod gradient;
mod localities;
mod map;
mod ranked;
pub mod report;
mod scatter;
mod spine;
pub mod table;

use std::collections::HashMap;

use crate::analysis::aggregate::{self, Method};
use crate::analysis::clusters::LsoaWeights;
use crate::analysis::{Area, Disclosure};
use crate::atlas::{Atlas, Indicator};
use crate::charts::{Caption, Chart, Significance};
use crate::classify::choropleth::ChoroplethOptions;
use crate::stats::Comparison;

pub use cluster_table::cluster_table;
pub use table::{Cell, Table};

/// The kinds of figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FigureKind {
    /// LSOAs worst first with their intervals.
    Ranked,
    /// The localities, Coventry and England side by side.
    Localities,
    /// Every indicator of a locality against England's range.
    Spine,
    /// Values by national IMD decile with the slope index of inequality.
    Gradient,
    /// One indicator against another, LSOA by LSOA.
    Scatter,
    /// Positions relative to England in IoD2019 and IoD2025.
    Change,
    /// A static choropleth map.
    Map,
    /// Every LSOA by its cluster class, with a locality outlined: clusters and hidden pockets.
    Clusters,
}

impl FigureKind {
    /// Every kind, in the order they are listed.
    pub const ALL: [FigureKind; 8] = [
        FigureKind::Ranked,
        FigureKind::Localities,
        FigureKind::Spine,
        FigureKind::Gradient,
        FigureKind::Scatter,
        FigureKind::Change,
        FigureKind::Map,
        FigureKind::Clusters,
    ];

    /// The name used in URLs, file names and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            FigureKind::Ranked => "ranked",
            FigureKind::Localities => "localities",
            FigureKind::Spine => "spine",
            FigureKind::Gradient => "gradient",
            FigureKind::Scatter => "scatter",
            FigureKind::Change => "change",
            FigureKind::Map => "map",
            FigureKind::Clusters => "clusters",
        }
    }
}

impl std::str::FromStr for FigureKind {
    type Err = FigureError;

    fn from_str(name: &str) -> Result<FigureKind, FigureError> {
        FigureKind::ALL.into_iter().find(|k| k.as_str() == name).ok_or_else(|| {
            let known: Vec<&str> = FigureKind::ALL.iter().map(|k| k.as_str()).collect();
            FigureError::NotFound {
                what: "chart",
                detail: format!("no chart {name:?}; the charts are {}", known.join(", ")),
            }
        })
    }
}

/// A figure could not be built from the request.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    /// A parameter is missing or malformed.
    #[error("{parameter}: {detail}")]
    BadParameter {
        /// The parameter at fault.
        parameter: &'static str,
        /// What is wrong and what would be right.
        detail: String,
    },
    /// The request names something the atlas does not have.
    #[error("{what}: {detail}")]
    NotFound {
        /// What kind of thing was not found.
        what: &'static str,
        /// Which one, and what exists.
        detail: String,
    },
    /// Everything is known but there is nothing to draw (e.g. every value suppressed).
    #[error("{0}")]
    NothingToDraw(String),
}

impl FigureError {
    fn bad(parameter: &'static str, detail: impl Into<String>) -> FigureError {
        FigureError::BadParameter { parameter, detail: detail.into() }
    }
}

/// Which benchmark a chart compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Benchmark {
    /// The district's LSOAs, aggregated.
    District,
    /// The published England figure.
    England,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct FigureRequest {
    /// Which chart.
    pub kind: FigureKind,
    /// The parameters, by name (`indicator`, `area`, `locality`, `comparator`, `x`, `y`, `scheme`,
    /// `k`, `palette`, `practices`, `district` for change in England's atlas, and for clusters
    /// `method`, `weights`, `permutations`, `seed`, `correction`, `alpha`).
    pub parameters: HashMap<String, String>,
}

impl FigureRequest {
    /// A file name stem for the figure: kind and its main parameters.
    pub fn stem(&self) -> String {
        let mut parts = vec![self.kind.as_str().to_owned()];
        for key in ["locality", "area", "district", "indicator", "x", "y"] {
            if let Some(value) = self.parameters.get(key) {
                parts
                    .push(value.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect());
            }
        }
        parts.join("_")
    }
}

/// A chart and the table of what it shows.
pub struct Figure {
    /// The chart, ready to draw.
    pub chart: Chart,
    /// The numbers behind it.
    pub table: Table,
}

/// Everything a figure is built from.
pub struct Sources<'a> {
    /// The atlas.
    pub atlas: &'a Atlas,
    /// Disclosure control, applied to every number shown.
    pub disclosure: &'a Disclosure,
    /// Spatial weights between the LSOAs, for cluster figures (built once per data version).
    pub weights: &'a LsoaWeights,
    /// The date the figure is produced, for its footer (e.g. "26 November 2026").
    pub produced: String,
}

/// Builds the requested figure; its table names the same sources as its footer.
pub fn build(sources: &Sources, request: &FigureRequest) -> Result<Figure, FigureError> {
    let mut figure = build_chart(sources, request)?;
    let source = format!("Source: {}", figure.chart.caption().source);
    figure.table.notes.push(source);
    Ok(figure)
}

fn build_chart(sources: &Sources, request: &FigureRequest) -> Result<Figure, FigureError> {
    let p = &request.parameters;
    match request.kind {
        FigureKind::Ranked => {
            ranked::build(sources, indicator(sources, p, "indicator")?, &area(sources, p)?, benchmark(sources, p)?)
        }
        FigureKind::Localities => {
            localities::build(sources, indicator(sources, p, "indicator")?, benchmark(sources, p)?)
        }
        FigureKind::Spine => spine::build(sources, &locality(sources, p)?),
        FigureKind::Gradient => {
            gradient::build(sources, indicator(sources, p, "indicator")?, p.get("locality").map(String::as_str))
        }
        FigureKind::Scatter => scatter::build(sources, indicator(sources, p, "x")?, indicator(sources, p, "y")?),
        FigureKind::Change => change::build(sources, indicator(sources, p, "indicator")?, district(sources, p)?),
        FigureKind::Map => map::build(
            sources,
            indicator(sources, p, "indicator")?,
            &area(sources, p)?,
            &map_options(p)?,
            map::Overlays::from_parameters(p)?,
        ),
        FigureKind::Clusters => clusters::build(
            sources,
            indicator(sources, p, "indicator")?,
            p.get("locality").map(String::as_str).filter(|id| !sources.atlas.place().is_named(id)),
            clusters::parameters(p)?,
        ),
    }
}

fn indicator<'a>(
    sources: &Sources<'a>,
    p: &HashMap<String, String>,
    key: &'static str,
) -> Result<&'a Indicator, FigureError> {
    let id = p.get(key).ok_or_else(|| FigureError::bad(key, "name an indicator id (see /api/indicators)"))?;
    sources
        .atlas
        .indicator(id)
        .ok_or_else(|| FigureError::NotFound { what: "indicator", detail: format!("no indicator {id:?}") })
}

/// `area=` a locality id, or the district (the default: `district`, its code or its name, e.g.
/// `coventry`) for the whole district.
fn area(sources: &Sources, p: &HashMap<String, String>) -> Result<Area, FigureError> {
    match p.get("area").map(String::as_str) {
        None => Ok(Area::city(sources.atlas)),
        Some(id) if sources.atlas.place().is_named(id) => Ok(Area::city(sources.atlas)),
        Some(id) => locality_area(sources, id),
    }
}

fn locality(sources: &Sources, p: &HashMap<String, String>) -> Result<Area, FigureError> {
    let id = p.get("locality").ok_or_else(|| FigureError::bad("locality", "name a locality id"))?;
    locality_area(sources, id)
}

/// The optional `district`: one of the districts of England's atlas, by code.
fn district(sources: &Sources, p: &HashMap<String, String>) -> Result<Option<Area>, FigureError> {
    let Some(code) = p.get("district") else { return Ok(None) };
    Area::district(sources.atlas, code).map(Some).ok_or_else(|| {
        let detail = if sources.atlas.districts().is_empty() {
            format!("{code:?} is not a district of this atlas: only England's atlas has districts to name")
        } else {
            format!("{code:?} is not a district of this atlas; /api/districts lists them")
        };
        FigureError::bad("district", detail)
    })
}

fn locality_area(sources: &Sources, id: &str) -> Result<Area, FigureError> {
    Area::named(sources.atlas, id).ok_or_else(|| {
        let known: Vec<&str> = sources.atlas.localities().iter().map(|l| l.id.as_str()).collect();
        FigureError::NotFound {
            what: "locality",
            detail: format!(
                "no locality {id:?}; known: district or {} (the whole district), {}",
                sources.atlas.place().slug(),
                known.join(", ")
            ),
        }
    })
}

fn benchmark(sources: &Sources, p: &HashMap<String, String>) -> Result<Benchmark, FigureError> {
    let place = sources.atlas.place();
    match p.get("comparator").map(String::as_str) {
        None | Some("england") => Ok(Benchmark::England),
        Some(id) if place.is_named(id) => Ok(Benchmark::District),
        Some(other) => Err(FigureError::bad(
            "comparator",
            format!("{other:?} is not a comparator; use england, or district (or {})", place.slug()),
        )),
    }
}

fn map_options(p: &HashMap<String, String>) -> Result<ChoroplethOptions, FigureError> {
    let get = |key: &str| p.get(key).map(String::as_str);
    ChoroplethOptions::parse(get("scheme"), get("k"), get("palette"))
        .map_err(|e| FigureError::bad(e.parameter, e.detail))
}

/// The chart's significance cue for a comparison (Best and Worst are the strong forms).
fn significance(comparison: Comparison) -> Significance {
    match comparison {
        Comparison::Better | Comparison::Best => Significance::Better,
        Comparison::Worse | Comparison::Worst => Significance::Worse,
        Comparison::Similar => Significance::Similar,
        _ => Significance::NotCompared,
    }
}

/// The words of a comparison, for tables: the same words the page and the report show.
fn comparison_words(comparison: Comparison) -> String {
    crate::analysis::words::comparison(comparison).to_owned()
}

/// A caption with the common footer, naming the sources of what the figure draws.
fn caption(
    sources: &Sources,
    drawn: &Drawn,
    title: String,
    subtitle: String,
    x_label: &str,
    y_label: &str,
    alt: String,
) -> Caption {
    Caption {
        title,
        subtitle,
        x_label: x_label.to_owned(),
        y_label: y_label.to_owned(),
        source: drawn.source(),
        licence: "Open Government Licence v3.0".to_owned(),
        produced: format!("{} with locality-atlas", sources.produced),
        alt,
    }
}

/// What a figure draws, for its source line: a figure of income deprivation names MHCLG's Indices,
/// one of loneliness the Community Life Survey, and neither names the other's publisher.
struct Drawn<'a> {
    /// The indicators whose values it draws (national IMD deciles too, where it groups by them).
    indicators: Vec<&'a Indicator>,
    /// True when it draws figures made with Census 2021 usual residents: scores combined as means
    /// weighted by them, or shares of residents in England's most deprived LSOAs.
    residents: bool,
}

/// The source of the residents that weight combined scores and count shares of residents.
const RESIDENTS_SOURCE: &str = "ONS, Census 2021 (usual residents)";

impl<'a> Drawn<'a> {
    /// The indicators, with residents used where any of them combines as a weighted mean.
    fn combined(indicators: Vec<&'a Indicator>) -> Drawn<'a> {
        let residents = indicators.iter().any(|&i| aggregate::method_of(i) == Method::PopulationWeightedMean);
        Drawn { indicators, residents }
    }

    /// Each source once, in the order drawn (editions of one series together: "English Indices of
    /// Deprivation 2019 and 2025"), then the residents' source where it is not one of them already.
    fn source(&self) -> String {
        // (the source less its edition's year, the years) for each source.
        let mut named: Vec<(&str, Vec<&str>)> = Vec::new();
        let mut name = |source: &'a str| {
            let (series, year) = match source.rsplit_once(' ') {
                Some((series, year)) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => (series, year),
                _ => (source, ""),
            };
            match named.iter_mut().find(|(s, _)| *s == series) {
                Some((_, years)) if !years.contains(&year) => years.push(year),
                Some(_) => {}
                None => named.push((series, vec![year])),
            }
        };
        for &indicator in &self.indicators {
            name(&indicator.source);
        }
        if self.residents && !self.indicators.iter().any(|i| i.source.starts_with("ONS, Census 2021")) {
            name(RESIDENTS_SOURCE);
        }
        let written: Vec<String> = named
            .into_iter()
            .map(|(series, mut years)| {
                years.sort_unstable();
                match years.as_slice() {
                    [""] => series.to_owned(),
                    [.., last] if years.len() > 1 => {
                        format!("{series} {} and {last}", years[..years.len() - 1].join(", "))
                    }
                    _ => format!("{series} {}", years[0]),
                }
            })
            .collect();
        written.join("; ")
    }
}

/// Refuses a chart of single LSOAs for an indicator that has no honest LSOA values: one published
/// for MSOAs, one district figure, or one modelled from the area's type.
fn by_lsoa(indicator: &Indicator) -> Result<(), FigureError> {
    let Some(why) = indicator.why_no_lsoa_values() else { return Ok(()) };
    let map = if indicator.is_msoa() { "; the map shows it by MSOA" } else { "" };
    Err(FigureError::NothingToDraw(format!("{} has no chart by LSOA: {why}{map}", indicator.name)))
}

/// The indicator's name with its unit, for axis titles.
fn with_unit(indicator: &Indicator) -> String {
    format!("{} ({})", indicator.name, indicator.unit)
}

/// The benchmark's name and value.
fn benchmark_value(sources: &Sources, indicator: &Indicator, benchmark: Benchmark) -> (String, Option<f64>) {
    match benchmark {
        // A standardised ratio has no district ratio; England's is 100 by construction.
        Benchmark::District if indicator.is_standardised_ratio() => {
            benchmark_value(sources, indicator, Benchmark::England)
        }
        Benchmark::District => {
            let city = Area::city(sources.atlas);
            let value = crate::analysis::aggregate(sources.atlas, indicator, &city.members, sources.disclosure).value;
            (city.name, value)
        }
        Benchmark::England => (
            "England".to_owned(),
            sources
                .atlas
                .comparator(&indicator.id, crate::atlas::schema::ENGLAND_CODE, crate::atlas::ComparatorRole::Benchmark)
                .map(|c| c.value),
        ),
    }
}

/// "the three localities", "the locality", "the 69 localities": a count of things in words.
fn counted(n: usize, one: &str, many: &str) -> String {
    const WORDS: [&str; 11] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    match n {
        1 => format!("the {one}"),
        0 => format!("no {many}"),
        n if n < WORDS.len() => format!("the {} {many}", WORDS[n]),
        n => format!("the {n} {many}"),
    }
}

/// A value formatted for labels: one decimal, thousands separated.
pub fn format_value(value: f64, unit: &str) -> String {
    let n = crate::analysis::words::number(value, 1);
    if unit == "%" { format!("{n}%") } else { n }
}

/// A profile row's value in its unit, with whole numbers for counts, ranks and patients per GP.
pub fn row_value(value: f64, row: &crate::analysis::ProfileRow) -> String {
    let n = crate::analysis::words::number(value, crate::analysis::words::decimals_for(row.value_type, &row.unit));
    if row.unit == "%" { format!("{n}%") } else { n }
}

/// Today's date in words (UTC), for figure footers.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    date_in_words(seconds / 86_400)
}

/// A day count since 1970-01-01 as "26 November 2026" (proleptic Gregorian calendar).
fn date_in_words(days: u64) -> String {
    // Civil-from-days: shift the epoch to 0000-03-01 so leap days fall at the end of a year.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_out_in_words() {
        assert_eq!(date_in_words(0), "1 January 1970");
        assert_eq!(date_in_words(11_016), "29 February 2000");
        assert_eq!(date_in_words(20_783), "26 November 2026");
    }

    #[test]
    fn values_are_formatted_for_labels() {
        assert_eq!(format_value(52.8312, "%"), "52.8%");
        assert_eq!(format_value(12_345.67, "rate per 1,000"), "12,345.7");
        assert_eq!(format_value(-55.35, "%"), "−55.4%");
        assert_eq!(format_value(-0.01, "score"), "0.0");
    }
}
