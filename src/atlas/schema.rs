//! The project's own data schema: what `prepare` writes and the atlas reads.
//!
//! A prepared data folder holds `data/` (catalogue, tidy indicator table, comparators) and
//! `boundaries/` (LSOAs, wards, the city outline, the locality definitions); `data/` also holds the
//! GP practices.

use serde::{Deserialize, Serialize};

/// Catalogue of indicators with their metadata.
pub const CATALOGUE_FILE: &str = "data/catalogue.json";
/// Tidy indicator table: one row per LSOA and indicator.
pub const VALUES_FILE: &str = "data/indicators.csv";
/// Comparator values for the district and England.
pub const COMPARATORS_FILE: &str = "data/comparators.csv";
/// LSOA 2021 boundaries with code, name and best-fit ward.
pub const LSOA_FILE: &str = "boundaries/lsoa21.geojson";
/// Electoral ward boundaries.
pub const WARD_FILE: &str = "boundaries/wards.geojson";
/// The local authority district's outline.
pub const CITY_FILE: &str = "boundaries/district.geojson";
/// Each district's outline, in an atlas of all England (absent from a district's atlas).
pub const DISTRICTS_FILE: &str = "boundaries/districts.geojson";
/// The property of an LSOA feature naming its district, in an atlas of all England.
pub const LSOA_DISTRICT_PROPERTY: &str = "district_code";
/// Each district (rank 0) and its statistical neighbours (the most similar districts), with the
/// figures they were found by: one block of rows per district, `of_district` naming it (the
/// district of a district's atlas; every district of England's atlas).
pub const NEIGHBOURS_FILE: &str = "data/neighbours.csv";
/// Each district's neighbours' average and range of each indicator.
pub const NEIGHBOUR_FIGURES_FILE: &str = "data/neighbour_figures.csv";
/// The district the folder describes, its boundaries and what the sources do not hold for it.
pub const PLACE_FILE: &str = "data/place.json";
/// The spread of each indicator across England's areas, where the publisher gives area figures.
pub const RANGES_FILE: &str = "data/england_ranges.csv";
/// Where England's most deprived 10% and 20% of LSOAs begin for each indicator, and the shares of
/// England's and the district's residents living there.
pub const POSITIONS_FILE: &str = "data/england_positions.csv";
/// MSOA 2021 membership: one row per LSOA, naming its MSOA (MSOAs are built from whole LSOAs).
pub const MSOA_FILE: &str = "boundaries/msoas.csv";
/// Tidy table of indicators published for MSOAs: one row per MSOA and indicator.
pub const MSOA_VALUES_FILE: &str = "data/msoa_indicators.csv";
/// Locality definitions: one row per LSOA in a locality, hand-editable.
pub const LOCALITY_FILE: &str = "boundaries/localities.csv";
/// GP practices (open and closed) with their main site's coordinates.
pub const PRACTICES_FILE: &str = "data/gp_practices.csv";

/// Columns of [`VALUES_FILE`], in order.
pub const VALUE_COLUMNS: [&str; 6] = ["lsoa21_code", "indicator_id", "period", "numerator", "denominator", "value"];
/// Columns of [`COMPARATORS_FILE`], in order.
pub const COMPARATOR_COLUMNS: [&str; 9] =
    ["indicator_id", "area_code", "area_name", "period", "numerator", "denominator", "value", "basis", "role"];
/// Columns of [`RANGES_FILE`], in order.
pub const RANGE_COLUMNS: [&str; 7] = ["indicator_id", "areas", "lowest", "q25", "q75", "highest", "basis"];
/// Columns of [`POSITIONS_FILE`], in order.
pub const POSITION_COLUMNS: [&str; 9] = [
    "indicator_id",
    "lsoas",
    "worst10",
    "worst20",
    "england_share10",
    "england_share20",
    "district_share10",
    "district_share20",
    "basis",
];
/// Columns of [`NEIGHBOURS_FILE`], in order.
pub const NEIGHBOUR_COLUMNS: [&str; 12] = [
    "of_district",
    "rank",
    "district_code",
    "district_name",
    "distance",
    "imd_score",
    "income_rate",
    "employment_rate",
    "aged_65_plus",
    "residents_per_km2",
    "residents",
    "far_out_fence",
];
/// Columns of [`NEIGHBOUR_FIGURES_FILE`], in order.
pub const NEIGHBOUR_FIGURE_COLUMNS: [&str; 7] =
    ["of_district", "indicator_id", "neighbours", "mean", "lowest", "highest", "basis"];
/// Columns of [`MSOA_FILE`], in order.
pub const MSOA_COLUMNS: [&str; 4] = ["msoa21_code", "msoa21_name", "neighbourhood", "lsoa21_code"];
/// Columns of [`MSOA_VALUES_FILE`], in order.
pub const MSOA_VALUE_COLUMNS: [&str; 6] =
    ["msoa21_code", "indicator_id", "period", "numerator", "denominator", "value"];
/// Columns of [`LOCALITY_FILE`], in order.
pub const LOCALITY_COLUMNS: [&str; 6] =
    ["locality_id", "locality_name", "lsoa21_code", "lsoa21_name", "basis", "confidence"];

/// Columns of [`PRACTICES_FILE`], in order.
pub const PRACTICE_COLUMNS: [&str; 11] =
    ["code", "name", "address", "postcode", "status", "opened", "closed", "easting", "northing", "lon", "lat"];

/// The indicator whose values weight population-weighted means (Census 2021 usual residents).
pub const POPULATION_INDICATOR: &str = "census21_population";

/// GSS code of England.
pub const ENGLAND_CODE: &str = "E92000001";
/// GSS code of Coventry local authority district, the compiled-in data's district.
pub const COVENTRY_CODE: &str = "E08000026";

/// The local authority district a data folder describes (`data/place.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// GSS code of the district, e.g. `E08000026`.
    pub code: String,
    /// Its name, e.g. `Coventry`.
    pub name: String,
    /// The LSOA boundaries used, in words, with their generalisation.
    pub boundaries: String,
    /// The generalisation of the LSOA boundaries, e.g. `20 m` or `200 m`.
    pub generalisation: String,
    /// How the localities were defined.
    pub localities: String,
    /// Indicators of the full catalogue that the sources do not hold for this district, and why.
    pub not_held: Vec<NotHeld>,
}

/// An indicator the sources do not hold for the district.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotHeld {
    /// Indicator id, as in the compiled-in catalogue.
    pub id: String,
    /// Indicator name.
    pub name: String,
    /// Why it is missing.
    pub reason: String,
}

impl Place {
    /// The district's name as a URL parameter value: `Coventry` → `coventry`.
    pub fn slug(&self) -> String {
        let cleaned: String =
            self.name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
        cleaned.split_whitespace().collect::<Vec<_>>().join("-")
    }

    /// True when a request names the district: `district`, its code or its name as a slug.
    pub fn is_named(&self, id: &str) -> bool {
        id == "district" || id == self.code || id.eq_ignore_ascii_case(&self.slug())
    }
}

/// What kind of number an indicator is, which decides how areas combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// numerator ÷ denominator × multiplier (e.g. a percentage of residents).
    Proportion,
    /// events ÷ population × multiplier (e.g. per 1,000 households).
    Rate,
    /// A published score or ratio without counts; areas combine as population-weighted means.
    Score,
    /// A national rank (1 = most deprived); areas combine as a distribution.
    Rank,
    /// A national decile (1 = most deprived 10%); areas combine as a distribution.
    Decile,
    /// A count of people or households; areas combine as sums.
    Count,
}

/// The geography an indicator is published for: its values are never spread to a finer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BaseGeography {
    /// Lower Layer Super Output Areas 2021.
    #[default]
    Lsoa,
    /// Middle Layer Super Output Areas 2021 (groups of whole LSOAs).
    Msoa,
}

/// What a comparator row is for: the benchmark an area is compared with, or a publisher's own
/// figure kept beside it because it is computed differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComparatorRole {
    /// Computed from the LSOAs the way an area's own figure is: the value comparisons use.
    Benchmark,
    /// The publisher's own summary (e.g. IoD File 10), shown beside the benchmark, not compared.
    Published,
}

pub use super::themes::Theme;

/// Which direction is better: one definition, shared with the statistics.
pub use crate::stats::Polarity;

/// Which statistical method gives an indicator's confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Wilson score interval for a proportion.
    Wilson,
    /// Exact Poisson below 10 events, Byar's from 10, for a rate.
    ByarExact,
    /// No interval can be derived from the published figures.
    None,
}

/// One indicator's metadata: an entry of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable identifier used in URLs, e.g. `iod25_income_rate`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Topic (the publisher's domain) the indicator belongs to.
    pub topic: String,
    /// The strategy theme it is grouped under in pickers, profiles and reports.
    pub theme: Theme,
    /// One or two sentences saying what is measured.
    pub definition: String,
    /// Unit of `value`, e.g. `%` or `per 1,000 households`.
    pub unit: String,
    /// Kind of number.
    pub value_type: ValueType,
    /// Which direction is better.
    pub polarity: Polarity,
    /// value = numerator ÷ denominator × multiplier, for proportions and rates.
    pub multiplier: f64,
    /// Method of the confidence interval.
    pub interval_method: IntervalMethod,
    /// Publisher and product.
    pub source: String,
    /// Licence of the figures.
    pub licence: String,
    /// Period the figures describe.
    pub period: String,
    /// Geography the values are published on.
    pub geography: String,
    /// How the numerator and denominator were obtained, and caveats.
    pub notes: String,
    /// The indicator measuring the same thing at the other IoD edition, for change over time.
    pub counterpart: Option<String>,
    /// For national ranks: how many areas the edition ranks (33,755 LSOAs in 2025, 32,844 in 2019).
    #[serde(default)]
    pub national_areas: Option<u32>,
    /// A crude rate of an outcome that depends on age (disability, bad health): compared with other
    /// areas only as higher or lower, never as better or worse, unless it is age-standardised.
    #[serde(default)]
    pub age_sensitive: bool,
    /// The publisher gives one figure for the whole local authority, copied to each of its LSOAs:
    /// left out of LSOA maps and of comparisons within the district.
    #[serde(default)]
    pub district_figure: bool,
    /// Modelled from the area's type, not measured in it: shown only as such, never tested for
    /// significance and never used to rank single LSOAs.
    #[serde(default)]
    pub modelled: bool,
    /// The geography the publisher gives values for.
    #[serde(default)]
    pub base: BaseGeography,
}

/// Whether a numerator above its denominator is an error for this kind of indicator.
impl Indicator {
    /// True for proportions, whose numerator can never exceed the denominator.
    pub fn numerator_bounded_by_denominator(&self) -> bool {
        self.value_type == ValueType::Proportion
    }

    /// True for the Indices' own scores (the IMD and its domains and sub-domains): MHCLG's guidance
    /// is that an area with twice another's score is not twice as deprived, so no ratio of scores
    /// means anything.
    pub fn is_index_score(&self) -> bool {
        self.value_type == ValueType::Score && self.unit == "score"
    }

    /// True for indirectly standardised ratios published without their counts (the Indices'
    /// comparative illness and disability ratio and acute morbidity): England is 100 by
    /// construction, and an area's ratio cannot be formed from its LSOAs' ratios.
    pub fn is_standardised_ratio(&self) -> bool {
        self.value_type == ValueType::Score && self.unit == "standardised ratio"
    }

    /// The polarity comparisons may use: none for a crude rate of an age-sensitive outcome, which
    /// is higher or lower than a benchmark but not better or worse (its age structure differs).
    pub fn judged_polarity(&self) -> Polarity {
        if self.age_sensitive { Polarity::NoJudgement } else { self.polarity }
    }

    /// True when LSOA values differ by place and may be mapped; a district figure copied to every
    /// LSOA may not, and a value modelled from the area's type would rank single LSOAs on an
    /// imputation, so it is not mapped either.
    pub fn mapped(&self) -> bool {
        !self.district_figure && !self.modelled
    }

    /// Why the indicator has no distinct value per LSOA (published for MSOAs, one district figure,
    /// or modelled from the area's type), or `None` when it has.
    pub fn why_no_lsoa_values(&self) -> Option<&'static str> {
        if self.is_msoa() {
            Some("it is published for MSOAs, and its figures are never spread over LSOAs")
        } else if self.modelled {
            Some("it is modelled from the area's type, not measured here")
        } else if self.district_figure {
            Some("it is one figure for the whole local authority")
        } else {
            None
        }
    }

    /// True when the values are published for MSOAs, not LSOAs.
    pub fn is_msoa(&self) -> bool {
        self.base == BaseGeography::Msoa
    }

    /// True for LSOA values summed from Output Area counts rather than published for LSOAs.
    pub fn summed_from_output_areas(&self) -> bool {
        self.geography.contains("summed from Output Areas")
    }
}
