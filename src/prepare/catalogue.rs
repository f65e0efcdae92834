//! The indicator catalogue: what each indicator is, and how it is derived from the raw files.

use crate::atlas::schema::{Indicator, IntervalMethod, Polarity, ValueType};

/// A raw wide table, by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    /// IoD2025 domains (LSOA 2021): scores, ranks, deciles.
    Domains25,
    /// IoD2025 sub-domains (LSOA 2021).
    Subdomains25,
    /// IoD2025 File 8 underlying indicators (LSOA 2021).
    Underlying25,
    /// IoD2019 File 2 ranks and deciles (LSOA 2011).
    Domains19,
    /// IoD2019 File 6 population denominators (LSOA 2011).
    Denominators19,
    /// IoD2019 File 8 underlying indicators (LSOA 2011).
    Underlying19,
}

impl Wide {
    /// True for tables on LSOA 2011, which are bridged to LSOA 2021.
    pub fn is_lsoa11(self) -> bool {
        matches!(self, Wide::Domains19 | Wide::Denominators19 | Wide::Underlying19)
    }
}

/// A Census 2021 long table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Census {
    /// Usual residents by six age groups.
    Age,
    /// TS038 disability.
    Disability,
    /// TS011 household deprivation dimensions.
    HouseholdDeprivation,
    /// TS052 occupancy rating (bedrooms).
    Occupancy,
    /// TS054 tenure.
    Tenure,
    /// TS021 ethnic group.
    Ethnicity,
}

/// How an indicator's numerator, denominator and value come from the raw files.
#[derive(Debug, Clone, PartialEq)]
pub enum Derivation {
    /// A published value, times `scale`, with no counts.
    Value(Wide, &'static str, f64),
    /// A published count; the value is the count.
    PublishedCount(Wide, &'static str),
    /// numerator ÷ denominator columns.
    Ratio((Wide, &'static str), (Wide, &'static str)),
    /// A published count and published rate; the denominator is implied as count ÷ rate.
    ImpliedDenominator((Wide, &'static str), (Wide, &'static str)),
    /// Sum of Census categories ÷ the area total.
    CensusShare(Census, &'static [&'static str]),
    /// The Census area total, as a count.
    CensusTotal(Census),
}

/// A catalogue entry with its derivation.
pub struct Spec {
    /// The metadata written to the catalogue.
    pub indicator: Indicator,
    /// How values are derived.
    pub derivation: Derivation,
}

const OGL: &str = "Open Government Licence v3.0";
const IOD25: &str = "MHCLG, English Indices of Deprivation 2025";
const IOD19: &str = "MHCLG, English Indices of Deprivation 2019";
const CENSUS: &str = "ONS, Census 2021";
const LSOA21: &str = "LSOA 2021";
const BRIDGED: &str = "LSOA 2021, carried from LSOA 2011 with the ONS LSOA 2011 to 2021 lookup";

struct Draft {
    id: &'static str,
    name: &'static str,
    topic: &'static str,
    definition: &'static str,
}

/// Short constructor for the catalogue table below.
#[allow(clippy::too_many_arguments)]
fn spec(
    d: Draft,
    unit: &str,
    value_type: ValueType,
    polarity: Polarity,
    derivation: Derivation,
    notes: &str,
    counterpart: Option<&str>,
) -> Spec {
    let (source, period, geography) = match &derivation {
        Derivation::CensusShare(..) | Derivation::CensusTotal(_) => (CENSUS, "Census 2021", LSOA21),
        Derivation::Value(w, ..)
        | Derivation::PublishedCount(w, _)
        | Derivation::Ratio((w, _), _)
        | Derivation::ImpliedDenominator((w, _), _) => {
            if w.is_lsoa11() {
                (IOD19, "IoD2019", BRIDGED)
            } else {
                (IOD25, "IoD2025", LSOA21)
            }
        }
    };
    let (multiplier, interval_method) = match (&derivation, value_type) {
        (
            Derivation::Ratio(..) | Derivation::ImpliedDenominator(..) | Derivation::CensusShare(..),
            ValueType::Proportion,
        ) => (100.0, IntervalMethod::Wilson),
        (Derivation::Value(_, _, scale), _) => (*scale, IntervalMethod::None),
        _ => (1.0, IntervalMethod::None),
    };
    Spec {
        indicator: Indicator {
            id: d.id.to_owned(),
            name: d.name.to_owned(),
            topic: d.topic.to_owned(),
            definition: d.definition.to_owned(),
            unit: unit.to_owned(),
            value_type,
            polarity,
            multiplier,
            interval_method,
            source: source.to_owned(),
            licence: OGL.to_owned(),
            period: period.to_owned(),
            geography: geography.to_owned(),
            notes: notes.to_owned(),
            counterpart: counterpart.map(str::to_owned),
            national_areas: unit.strip_prefix("rank of ").and_then(|n| n.replace(',', "").parse().ok()),
            age_sensitive: false,
            district_figure: false,
        },
        derivation,
    }
}

macro_rules! draft {
    ($id:literal, $name:literal, $topic:literal, $definition:literal) => {
        Draft { id: $id, name: $name, topic: $topic, definition: $definition }
    };
}

use Derivation::*;
use Polarity::*;
use ValueType::*;
use Wide::*;

const IMPLIED: &str = "Numerator: File 8 count (rounded by MHCLG). Denominator: implied as the count divided by the published LSOA rate (3 decimal places), so it carries the rate's rounding; summed over Coventry it gives the published 29.3% (income) and 15.6% (employment).";
const PUBLISHED_SCORE: &str = "Published LSOA score; no counts are published, so areas combine as means weighted by Census 2021 usual residents and no confidence interval is given.";
const RATIO_19: &str = "Numerator: IoD2019 File 8 count. Denominator: IoD2019 File 6 mid-2015 population (excluding prisoners). For LSOAs split in 2021, counts are shared among the children by Census 2021 population; the rate is unchanged.";
const CARRIED_19: &str = "Published on LSOA 2011; each 2021 LSOA takes the value of its 2011 parent.";
const CENSUS_SHARE: &str = "Census 2021 counts carry ONS cell perturbation, so small totals may not add up exactly.";

/// TS011 categories of households deprived in one or more dimensions, fewest first.
static DEPRIVED_DIMENSIONS: [&str; 4] = [
    "Household is deprived in one dimension",
    "Household is deprived in two dimensions",
    "Household is deprived in three dimensions",
    "Household is deprived in four dimensions",
];

/// Every indicator the project prepares, in catalogue order.
pub fn catalogue() -> Vec<Spec> {
    vec![
        spec(
            draft!(
                "iod25_imd_score",
                "Index of Multiple Deprivation score",
                "Deprivation",
                "Combined score of the seven domains of deprivation; higher means more deprived."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Domains25, "IMD_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_imd_rank",
                "Index of Multiple Deprivation rank",
                "Deprivation",
                "National rank of the LSOA's IMD score among 33,755 LSOAs; 1 is the most deprived."
            ),
            "rank of 33,755",
            Rank,
            HighIsGood,
            Value(Domains25, "IMD_rank", 1.0),
            "Ranks combine as a distribution, not an average.",
            Some("iod19_imd_rank"),
        ),
        spec(
            draft!(
                "iod25_imd_decile",
                "Index of Multiple Deprivation decile",
                "Deprivation",
                "National decile of the IMD rank; 1 is the most deprived 10% of LSOAs in England."
            ),
            "decile",
            Decile,
            HighIsGood,
            Value(Domains25, "IMD_decile", 1.0),
            "Deciles combine as a distribution (LSOAs per decile).",
            Some("iod19_imd_decile"),
        ),
        spec(
            draft!(
                "iod25_income_rate",
                "Income deprivation",
                "Income",
                "Share of residents in income-deprived households (out of work or on low incomes and receiving means-tested benefits or tax credits)."
            ),
            "%",
            Proportion,
            LowIsGood,
            ImpliedDenominator((Underlying25, "income_domain_numerator"), (Domains25, "Income_score")),
            IMPLIED,
            Some("iod19_income_rate"),
        ),
        spec(
            draft!(
                "iod25_employment_rate",
                "Employment deprivation",
                "Employment",
                "Share of working-age residents involuntarily excluded from work (unemployed, or out of work through sickness, disability or caring)."
            ),
            "%",
            Proportion,
            LowIsGood,
            ImpliedDenominator((Underlying25, "employment_domain_numerator"), (Domains25, "Employment_score")),
            IMPLIED,
            Some("iod19_employment_rate"),
        ),
        spec(
            draft!(
                "iod25_idaci_count",
                "Children in income-deprived families",
                "Income",
                "Income Deprivation Affecting Children Index numerator: children living in income-deprived families."
            ),
            "children",
            Count,
            NoJudgement,
            PublishedCount(Underlying25, "income_deprivation_affecting_children_index_idaci_numerator"),
            "A count only: the sources give no IoD2025 child population for LSOAs, so no honest rate can be formed. Blank where MHCLG suppressed the count.",
            None,
        ),
        spec(
            draft!(
                "iod25_idaopi_count",
                "Older people in income deprivation",
                "Income",
                "Income Deprivation Affecting Older People Index numerator: people aged 60 and over in income-deprived households."
            ),
            "people aged 60+",
            Count,
            NoJudgement,
            PublishedCount(Underlying25, "income_deprivation_affecting_older_people_index_idaopi_numerator"),
            "A count only: the sources give no population aged 60 and over for LSOAs, so no honest rate can be formed.",
            None,
        ),
        spec(
            draft!(
                "iod25_education_score",
                "Education, skills and training deprivation",
                "Education",
                "Domain score for lack of attainment and skills among children and adults."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Domains25, "Education_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_health_score",
                "Health deprivation and disability",
                "Health",
                "Domain score for the risk of premature death and impaired quality of life through poor health; 0 is the England LSOA average."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Domains25, "Health_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_health_decile",
                "Health deprivation and disability decile",
                "Health",
                "National decile of the health domain rank; 1 is the most deprived 10%."
            ),
            "decile",
            Decile,
            HighIsGood,
            Value(Domains25, "Health_decile", 1.0),
            "Deciles combine as a distribution.",
            Some("iod19_health_decile"),
        ),
        spec(
            draft!(
                "iod25_crime_score",
                "Crime",
                "Crime",
                "Domain score for the risk of personal and material victimisation."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Domains25, "Crime_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_housing_services_score",
                "Barriers to housing and services",
                "Housing",
                "Domain score for physical and financial accessibility of housing and local services."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Domains25, "Housing_and_Services_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_living_environment_score",
                "Living environment deprivation",
                "Environment",
                "Domain score for the quality of the indoor and outdoor local environment."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Domains25, "Environment_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_children_young_people_score",
                "Children and young people education deprivation",
                "Education",
                "Sub-domain score for attainment and skills of children and young people."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Subdomains25, "children_and_young_people_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_adult_skills_score",
                "Adult skills deprivation",
                "Education",
                "Sub-domain score for adults with no or low qualifications or poor English."
            ),
            "score",
            Score,
            LowIsGood,
            Value(Subdomains25, "adult_skills_score", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_ypll",
                "Years of potential life lost",
                "Health",
                "Age- and sex-standardised years of life lost to deaths before age 75."
            ),
            "standardised score",
            Score,
            LowIsGood,
            Value(Underlying25, "years_of_potential_life_lost_indicator", 1.0),
            PUBLISHED_SCORE,
            Some("iod19_ypll"),
        ),
        spec(
            draft!(
                "iod25_cidr",
                "Comparative illness and disability ratio",
                "Health",
                "Age- and sex-standardised ratio of people receiving benefits for being unable to work through illness or disability; 100 is the England average."
            ),
            "ratio (England = 100)",
            Score,
            LowIsGood,
            Value(Underlying25, "comparative_illness_and_disability_ratio_indicator", 1.0),
            PUBLISHED_SCORE,
            Some("iod19_cidr"),
        ),
        spec(
            draft!(
                "iod25_acute_morbidity",
                "Acute morbidity",
                "Health",
                "Age- and sex-standardised rate of emergency admissions to hospital; 100 is the England average."
            ),
            "ratio (England = 100)",
            Score,
            LowIsGood,
            Value(Underlying25, "acute_morbidity_indicator", 1.0),
            PUBLISHED_SCORE,
            Some("iod19_acute_morbidity"),
        ),
        spec(
            draft!(
                "iod25_mental_health",
                "Mental health",
                "Health",
                "Standardised score combining prescribing, suicides, hospital episodes and benefits for mental ill health; 0 is the England average."
            ),
            "standardised score",
            Score,
            LowIsGood,
            Value(Underlying25, "mental_health_indicator", 1.0),
            "Published LSOA score; the IoD2019 counterpart (mood and anxiety disorders) was built from different inputs, so compare directions, not levels.",
            Some("iod19_mood_anxiety"),
        ),
        spec(
            draft!(
                "iod25_digital_connectivity",
                "Poor digital connectivity",
                "Access to services",
                "Standardised score of broadband download and upload speeds; higher means slower connections. 0 is the England average."
            ),
            "standardised score",
            Score,
            LowIsGood,
            Value(Underlying25, "digital_connectivity_broadband_download_and_upload_speeds", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_patient_gp_ratio",
                "Patients per GP",
                "Access to services",
                "Registered patients per full-time-equivalent GP at the practices serving the LSOA."
            ),
            "patients per GP",
            Score,
            LowIsGood,
            Value(Underlying25, "patient_to_gp_ratio", 1.0),
            PUBLISHED_SCORE,
            None,
        ),
        spec(
            draft!(
                "iod25_homelessness_rate",
                "Homelessness",
                "Housing",
                "Households owed a homelessness prevention or relief duty, per 1,000 households."
            ),
            "per 1,000 households",
            Rate,
            LowIsGood,
            Value(Underlying25, "homelessness_indicator_rate_per_1_000_households", 1.0),
            "Measured for the local authority as a whole: every Coventry LSOA has the same value.",
            Some("iod19_homelessness_rate"),
        ),
        spec(
            draft!(
                "iod25_overcrowding_rooms",
                "Household overcrowding (rooms)",
                "Housing",
                "Share of households with fewer rooms than they need."
            ),
            "%",
            Proportion,
            LowIsGood,
            Value(Underlying25, "household_overcrowding_indicator_rooms", 100.0),
            "Published as a proportion without counts; areas combine as means weighted by Census 2021 usual residents.",
            Some("iod19_overcrowding"),
        ),
        spec(
            draft!(
                "iod25_overcrowding_bedrooms",
                "Household overcrowding (bedrooms)",
                "Housing",
                "Share of households with fewer bedrooms than they need."
            ),
            "%",
            Proportion,
            LowIsGood,
            Value(Underlying25, "household_overcrowding_indicator_bedrooms", 100.0),
            "Published as a proportion without counts; areas combine as means weighted by Census 2021 usual residents.",
            None,
        ),
        spec(
            draft!(
                "census21_population",
                "Usual residents",
                "Population",
                "Usual residents on Census day, 21 March 2021."
            ),
            "people",
            Count,
            NoJudgement,
            CensusTotal(Census::Age),
            "Used as the weight for population-weighted means.",
            None,
        ),
        spec(
            draft!(
                "census21_age15under",
                "Aged 15 and under",
                "Population",
                "Share of usual residents aged 15 years and under."
            ),
            "%",
            Proportion,
            NoJudgement,
            CensusShare(Census::Age, &["Aged 15 years and under"]),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "census21_age65plus",
                "Aged 65 and over",
                "Population",
                "Share of usual residents aged 65 years and over."
            ),
            "%",
            Proportion,
            NoJudgement,
            CensusShare(Census::Age, &["Aged 65 years and over"]),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "census21_disabled",
                "Disabled under the Equality Act",
                "Health",
                "Share of usual residents whose day-to-day activities are limited by a long-term condition (TS038)."
            ),
            "%",
            Proportion,
            LowIsGood,
            CensusShare(Census::Disability, &["Disabled under the Equality Act"]),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "census21_hh_deprived_1plus",
                "Households deprived in 1+ dimensions",
                "Deprivation",
                "Share of households deprived in at least one of employment, education, health and disability, and housing (TS011)."
            ),
            "%",
            Proportion,
            LowIsGood,
            CensusShare(Census::HouseholdDeprivation, &DEPRIVED_DIMENSIONS),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "census21_hh_deprived_2plus",
                "Households deprived in 2+ dimensions",
                "Deprivation",
                "Share of households deprived in two or more of the four Census dimensions (TS011)."
            ),
            "%",
            Proportion,
            LowIsGood,
            CensusShare(Census::HouseholdDeprivation, &DEPRIVED_DIMENSIONS[1..]),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "census21_overcrowded",
                "Overcrowded households (bedrooms)",
                "Housing",
                "Share of households with an occupancy rating for bedrooms of -1 or less (TS052)."
            ),
            "%",
            Proportion,
            LowIsGood,
            CensusShare(Census::Occupancy, &["-1 (overcrowded)", "-2 or less (overcrowded)"]),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "census21_social_rented",
                "Social renting",
                "Housing",
                "Share of households renting from the council or another social landlord (TS054)."
            ),
            "%",
            Proportion,
            NoJudgement,
            CensusShare(
                Census::Tenure,
                &["Social rented: Rents from council or Local Authority", "Social rented: Other social rented"],
            ),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "census21_ethnic_minority",
                "Ethnic groups other than White",
                "Population",
                "Share of usual residents in the Asian, Black, Mixed or Other ethnic groups (TS021)."
            ),
            "%",
            Proportion,
            NoJudgement,
            CensusShare(
                Census::Ethnicity,
                &[
                    "Asian, Asian British or Asian Welsh",
                    "Black, Black British, Black Welsh, Caribbean or African",
                    "Mixed or Multiple ethnic groups",
                    "Other ethnic group",
                ],
            ),
            CENSUS_SHARE,
            None,
        ),
        spec(
            draft!(
                "iod19_imd_rank",
                "Index of Multiple Deprivation rank (2019)",
                "Deprivation",
                "National rank of the IMD 2019 score among 32,844 LSOAs (2011); 1 is the most deprived."
            ),
            "rank of 32,844",
            Rank,
            HighIsGood,
            Value(Domains19, "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)", 1.0),
            CARRIED_19,
            Some("iod25_imd_rank"),
        ),
        spec(
            draft!(
                "iod19_imd_decile",
                "Index of Multiple Deprivation decile (2019)",
                "Deprivation",
                "National decile of the IMD 2019 rank; 1 is the most deprived 10%."
            ),
            "decile",
            Decile,
            HighIsGood,
            Value(Domains19, "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)", 1.0),
            CARRIED_19,
            Some("iod25_imd_decile"),
        ),
        spec(
            draft!(
                "iod19_health_decile",
                "Health deprivation and disability decile (2019)",
                "Health",
                "National decile of the IoD2019 health domain rank; 1 is the most deprived 10%."
            ),
            "decile",
            Decile,
            HighIsGood,
            Value(Domains19, "Health Deprivation and Disability Decile (where 1 is most deprived 10% of LSOAs)", 1.0),
            CARRIED_19,
            Some("iod25_health_decile"),
        ),
        spec(
            draft!(
                "iod19_income_rate",
                "Income deprivation (2019)",
                "Income",
                "Share of residents in income-deprived households, IoD2019."
            ),
            "%",
            Proportion,
            LowIsGood,
            Ratio(
                (Underlying19, "income_domain_numerator"),
                (Denominators19, "Total population: mid 2015 (excluding prisoners)"),
            ),
            RATIO_19,
            Some("iod25_income_rate"),
        ),
        spec(
            draft!(
                "iod19_employment_rate",
                "Employment deprivation (2019)",
                "Employment",
                "Share of working-age residents involuntarily excluded from work, IoD2019."
            ),
            "%",
            Proportion,
            LowIsGood,
            Ratio(
                (Underlying19, "employment_domain_numerator"),
                (
                    Denominators19,
                    "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
                ),
            ),
            RATIO_19,
            Some("iod25_employment_rate"),
        ),
        spec(
            draft!(
                "iod19_idaci_rate",
                "Income deprivation affecting children (2019)",
                "Income",
                "Share of children aged 0-15 living in income-deprived families (IDACI), IoD2019."
            ),
            "%",
            Proportion,
            LowIsGood,
            Ratio(
                (Underlying19, "income_deprivation_affecting_children_index_idaci_numerator"),
                (Denominators19, "Dependent Children aged 0-15: mid 2015 (excluding prisoners)"),
            ),
            RATIO_19,
            None,
        ),
        spec(
            draft!(
                "iod19_idaopi_rate",
                "Income deprivation affecting older people (2019)",
                "Income",
                "Share of people aged 60 and over in income-deprived households (IDAOPI), IoD2019."
            ),
            "%",
            Proportion,
            LowIsGood,
            Ratio(
                (Underlying19, "income_deprivation_affecting_older_people_index_idaopi_numerator"),
                (Denominators19, "Older population aged 60 and over: mid 2015 (excluding prisoners)"),
            ),
            RATIO_19,
            None,
        ),
        spec(
            draft!(
                "iod19_ypll",
                "Years of potential life lost (2019)",
                "Health",
                "Age- and sex-standardised years of life lost to deaths before age 75, IoD2019."
            ),
            "standardised score",
            Score,
            LowIsGood,
            Value(Underlying19, "years_of_potential_life_lost_indicator", 1.0),
            CARRIED_19,
            Some("iod25_ypll"),
        ),
        spec(
            draft!(
                "iod19_cidr",
                "Comparative illness and disability ratio (2019)",
                "Health",
                "Age- and sex-standardised ratio of people unable to work through illness or disability, IoD2019; 100 is the England average."
            ),
            "ratio (England = 100)",
            Score,
            LowIsGood,
            Value(Underlying19, "comparative_illness_and_disability_ratio_indicator", 1.0),
            CARRIED_19,
            Some("iod25_cidr"),
        ),
        spec(
            draft!(
                "iod19_acute_morbidity",
                "Acute morbidity (2019)",
                "Health",
                "Age- and sex-standardised rate of emergency admissions to hospital, IoD2019."
            ),
            "ratio (England = 100)",
            Score,
            LowIsGood,
            Value(Underlying19, "acute_morbidity_indicator", 1.0),
            CARRIED_19,
            Some("iod25_acute_morbidity"),
        ),
        spec(
            draft!(
                "iod19_mood_anxiety",
                "Mood and anxiety disorders (2019)",
                "Health",
                "Standardised score of mood and anxiety disorders, IoD2019; 0 is the England average."
            ),
            "standardised score",
            Score,
            LowIsGood,
            Value(Underlying19, "mood_and_anxiety_disorders_indicator", 1.0),
            CARRIED_19,
            Some("iod25_mental_health"),
        ),
        spec(
            draft!(
                "iod19_homelessness_rate",
                "Homelessness (2019)",
                "Housing",
                "Households accepted as owed a main homelessness duty, per 1,000 households, IoD2019."
            ),
            "per 1,000 households",
            Rate,
            LowIsGood,
            Value(Underlying19, "homelessness_indicator_rate_per_1000_households", 1.0),
            "Measured for the local authority as a whole: every Coventry LSOA has the same value.",
            Some("iod25_homelessness_rate"),
        ),
        spec(
            draft!(
                "iod19_overcrowding",
                "Household overcrowding (2019)",
                "Housing",
                "Share of households judged to have insufficient space, IoD2019."
            ),
            "%",
            Proportion,
            LowIsGood,
            Value(Underlying19, "household_overcrowding_indicator", 100.0),
            CARRIED_19,
            Some("iod25_overcrowding_rooms"),
        ),
    ]
}
