//! The indicator catalogue: what each indicator is, and how it is derived from the raw files.

use super::census_oa::OaTable;
use crate::atlas::schema::{Indicator, IntervalMethod, Polarity, Theme, ValueType};

/// A measure of access to open GP practices, as a catalogue derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpMeasure {
    /// Mean distance from the LSOA's residents to the nearest open practice, in km.
    NearestKm,
    /// Mean number of open practices within 1 km of the LSOA's residents.
    WithinOneKm,
}

/// A raw wide table (one row per area, all of England), by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    /// IoD2025 domains (LSOA 2021): scores, ranks, deciles.
    Domains25,
    /// IoD2025 sub-domains (LSOA 2021).
    Subdomains25,
    /// IoD2025 File 8 underlying indicators (LSOA 2021).
    Underlying25,
    /// IoD2019 ranks and deciles (File 2), IDACI and IDAOPI ranks (File 3), and the IMD, income and
    /// employment scores (File 5) (LSOA 2011).
    Domains19,
    /// IoD2019 File 6 population denominators (LSOA 2011).
    Denominators19,
    /// IoD2019 File 8 underlying indicators (LSOA 2011).
    Underlying19,
    /// Census 2021 usual residents by six age groups (LSOA 2021).
    Age21,
    /// Modelled loneliness: the Community Life Survey 2020/21 value of each Output Area's
    /// classification group, averaged to LSOA (LSOA 2021).
    Loneliness,
}

impl Wide {
    /// True for tables on LSOA 2011, which are bridged to LSOA 2021.
    pub fn is_lsoa11(self) -> bool {
        matches!(self, Wide::Domains19 | Wide::Denominators19 | Wide::Underlying19)
    }

    /// Publisher, period and geography of the table's figures.
    fn origin(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Wide::Age21 => (CENSUS, "Census 2021", LSOA21),
            Wide::Domains25 | Wide::Subdomains25 | Wide::Underlying25 => (IOD25, "IoD2025", LSOA21),
            Wide::Domains19 | Wide::Denominators19 | Wide::Underlying19 => (IOD19, "IoD2019", BRIDGED),
            Wide::Loneliness => census_outcomes::LONELINESS_ORIGIN,
        }
    }
}

/// A Census 2021 long table held for Coventry's LSOAs only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Census {
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
    /// A published rate and its published denominator; the numerator is rate × denominator.
    RateTimesDenominator((Wide, &'static str), (Wide, &'static str)),
    /// Sum of Census categories ÷ the area total, for Coventry's LSOAs only.
    CensusShare(Census, &'static [&'static str]),
    /// Sum of Census categories ÷ the total, each summed from Output Areas to LSOA (and for all of
    /// England where the national file holds the table).
    OutputAreaShare(OaTable, &'static [&'static str]),
    /// Access to open GP practices, computed from their sites and the LSOA boundaries (Coventry only).
    GpAccess(GpMeasure),
}

impl Derivation {
    /// The wide table the figures come from, or `None` for a Coventry-only Census table.
    pub fn wide(&self) -> Option<Wide> {
        match self {
            Derivation::Value(w, ..)
            | Derivation::PublishedCount(w, _)
            | Derivation::Ratio((w, _), _)
            | Derivation::ImpliedDenominator((w, _), _)
            | Derivation::RateTimesDenominator((w, _), _) => Some(*w),
            Derivation::CensusShare(..) | Derivation::OutputAreaShare(..) | Derivation::GpAccess(_) => None,
        }
    }

    /// True when England has a figure to benchmark against: not for measures computed for Coventry alone.
    pub fn has_england_figure(&self) -> bool {
        !matches!(self, Derivation::GpAccess(_))
    }
}

/// A catalogue entry with its derivation.
pub struct Spec {
    /// The metadata written to the catalogue.
    pub indicator: Indicator,
    /// How values are derived.
    pub derivation: Derivation,
}

impl Spec {
    /// Marks a crude rate of an outcome that depends on age.
    fn age_sensitive(mut self) -> Spec {
        self.indicator.age_sensitive = true;
        self
    }

    /// Marks a figure modelled from the area's type rather than measured in it.
    fn modelled(mut self) -> Spec {
        self.indicator.modelled = true;
        self
    }

    /// Sets the licence, for figures not published under the Open Government Licence alone.
    fn licensed(mut self, licence: &str) -> Spec {
        self.indicator.licence = licence.to_owned();
        self
    }

    /// Marks figures the atlas computes itself from the named sources, for the given period.
    fn computed(mut self, source: &str, period: &str) -> Spec {
        self.indicator.source = source.to_owned();
        self.indicator.period = period.to_owned();
        self.indicator.geography = LSOA21.to_owned();
        self
    }

    /// Marks a figure the publisher gives once for the whole local authority district.
    fn district_figure(mut self) -> Spec {
        self.indicator.district_figure = true;
        self.indicator.geography = DISTRICT.to_owned();
        self
    }
}

const OGL: &str = "Open Government Licence v3.0";
const IOD25: &str = "MHCLG, English Indices of Deprivation 2025";
const IOD19: &str = "MHCLG, English Indices of Deprivation 2019";
const CENSUS: &str = "ONS, Census 2021";
const LSOA21: &str = "LSOA 2021";
const BRIDGED: &str = "LSOA 2021, carried from LSOA 2011 with the ONS LSOA 2011 to 2021 lookup";
const DISTRICT: &str = "Local authority district (one figure, the same for every LSOA)";

struct Draft<'a> {
    id: &'a str,
    name: &'a str,
    topic: &'a str,
    definition: &'a str,
}

/// Short constructor for the catalogue table below.
#[allow(clippy::too_many_arguments)]
fn spec(
    d: Draft<'_>,
    unit: &str,
    value_type: ValueType,
    polarity: Polarity,
    derivation: Derivation,
    notes: &str,
    counterpart: Option<&str>,
) -> Spec {
    let (source, period, geography) = match (&derivation, derivation.wide()) {
        (_, Some(w)) => w.origin(),
        (Derivation::OutputAreaShare(..), None) => (CENSUS, "Census 2021", census_outcomes::FROM_OUTPUT_AREAS),
        _ => (CENSUS, "Census 2021", LSOA21),
    };
    let (multiplier, interval_method) = match (&derivation, value_type) {
        (
            Derivation::Ratio(..)
            | Derivation::ImpliedDenominator(..)
            | Derivation::RateTimesDenominator(..)
            | Derivation::CensusShare(..)
            | Derivation::OutputAreaShare(..),
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
            theme: theme_of(d.id, d.topic),
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
            modelled: false,
            base: crate::atlas::schema::BaseGeography::Lsoa,
        },
        derivation,
    }
}

/// The strategy theme of an indicator: by what it measures, then by the publisher's topic.
fn theme_of(id: &str, topic: &str) -> Theme {
    let about = |words: &[&str]| words.iter().any(|w| id.contains(w));
    if about(&["idaci", "children_young_people"]) {
        Theme::BestStart
    } else if about(&["digital_connectivity", "unpaid_care", "carer", "lonel"]) {
        Theme::CareAndConnection
    } else if about(&["idaopi", "hh_deprived"]) {
        Theme::IncomeAndCostOfLiving
    } else {
        match topic {
            "Income" | "Employment" => Theme::IncomeAndCostOfLiving,
            "Health" => Theme::HealthAndWellbeing,
            "Housing" => Theme::HousingAndHomelessness,
            "Access to services" => Theme::AccessToServices,
            "Education" => Theme::EducationAndSkills,
            "Population" => Theme::Population,
            _ => Theme::DeprivationAndPlace,
        }
    }
}

/// The IMD or one of its seven domains, as MHCLG ranks it in both editions.
struct Ranked {
    /// The middle of the indicator id, e.g. `income` in `iod25_income_rank`.
    stem: &'static str,
    /// Display name before "rank".
    name: &'static str,
    /// Topic of the domain.
    topic: &'static str,
    /// MHCLG's name of the index or domain.
    domain: &'static str,
    /// Rank column of the IoD2025 domains table.
    column25: &'static str,
    /// Rank column of the IoD2019 domains table.
    column19: &'static str,
}

/// The IMD and the seven domains, in MHCLG's order.
const RANKED: [Ranked; 8] = [
    Ranked {
        stem: "imd",
        name: "Index of Multiple Deprivation",
        topic: "Deprivation",
        domain: "Index of Multiple Deprivation",
        column25: "IMD_rank",
        column19: "IMD_rank",
    },
    Ranked {
        stem: "income",
        name: "Income deprivation",
        topic: "Income",
        domain: "Income Deprivation Domain",
        column25: "Income_rank",
        column19: "Income_rank",
    },
    Ranked {
        stem: "employment",
        name: "Employment deprivation",
        topic: "Employment",
        domain: "Employment Deprivation Domain",
        column25: "Employment_rank",
        column19: "Employment_rank",
    },
    Ranked {
        stem: "education",
        name: "Education, skills and training deprivation",
        topic: "Education",
        domain: "Education, Skills and Training Deprivation Domain",
        column25: "Education_rank",
        column19: "Education_rank",
    },
    Ranked {
        stem: "health",
        name: "Health deprivation and disability",
        topic: "Health",
        domain: "Health Deprivation and Disability Domain",
        column25: "Health_rank",
        column19: "Health_rank",
    },
    Ranked {
        stem: "crime",
        name: "Crime",
        topic: "Crime",
        domain: "Crime Domain",
        column25: "Crime_rank",
        column19: "Crime_rank",
    },
    Ranked {
        stem: "housing_services",
        name: "Barriers to housing and services",
        topic: "Housing",
        domain: "Barriers to Housing and Services Domain",
        column25: "Housing_and_Services_rank",
        column19: "Housing_and_Access_rank",
    },
    Ranked {
        stem: "living_environment",
        name: "Living environment deprivation",
        topic: "Environment",
        domain: "Living Environment Deprivation Domain",
        column25: "Environment_rank",
        column19: "Environment_rank",
    },
];

/// An edition of the Indices of Deprivation.
#[derive(Clone, Copy)]
enum Edition {
    Iod2025,
    Iod2019,
}

/// The national rank of the IMD or a domain in one edition, linked to the other edition's.
fn rank(edition: Edition, ranked: &Ranked) -> Spec {
    let (prefix, other, areas, derivation, suffix, notes) = match edition {
        Edition::Iod2025 => ("iod25", "iod19", "33,755", Value(Domains25, ranked.column25, 1.0), "", RANKS),
        Edition::Iod2019 => ("iod19", "iod25", "32,844", Value(Domains19, ranked.column19, 1.0), " (2019)", RANKS_19),
    };
    let geography = match edition {
        Edition::Iod2025 => "LSOAs",
        Edition::Iod2019 => "LSOAs (2011) in IoD2019",
    };
    spec(
        Draft {
            id: &format!("{prefix}_{}_rank", ranked.stem),
            name: &format!("{} rank{suffix}", ranked.name),
            topic: ranked.topic,
            definition: &format!(
                "National rank of the LSOA on MHCLG's {} among {areas} {geography}; 1 is the most deprived.",
                ranked.domain
            ),
        },
        &format!("rank of {areas}"),
        Rank,
        HighIsGood,
        derivation,
        notes,
        Some(&format!("{other}_{}_rank", ranked.stem)),
    )
}

macro_rules! draft {
    ($id:literal, $name:literal, $topic:literal, $definition:literal) => {
        Draft { id: $id, name: $name, topic: $topic, definition: $definition }
    };
}

mod census_outcomes;

use Derivation::*;
use Polarity::*;
use ValueType::*;
use Wide::*;

const IMPLIED: &str = "Numerator: File 8 count (rounded by MHCLG to a multiple of 5). Denominator: implied as the count divided by the published LSOA rate (3 decimal places), so it carries both roundings. Summed over {place}'s {lsoas} LSOAs they give {iod25_income_rate} (income) and {iod25_employment_rate} (employment), not File 10's published {published:iod25_income_rate} and {published:iod25_employment_rate} (kept beside as published figures). In a single LSOA the implied denominator can be out by up to 2.5 ÷ count + 0.0005 ÷ rate: at most about ±{error:iod25_income_rate}% (income) and ±{error:iod25_employment_rate}% (employment) among {place}'s LSOAs. The errors average out in locality sums, but single-LSOA intervals look more precise than they are.";
const RANKS: &str = "Ranks combine as a distribution, not an average.";
const RANKS_19: &str = "Ranks combine as a distribution, not an average. Published on LSOA 2011; each 2021 LSOA takes the rank of its 2011 parent (an LSOA 2021 formed by merging takes its parents' mean rank weighted by their File 6 mid-2015 populations; {merged}).";
const PUBLISHED_SCORE: &str = "Published LSOA score; no counts are published, so areas combine as means weighted by Census 2021 usual residents and no confidence interval is given.";
const RATIO_19: &str = "Numerator: IoD2019 File 8 count. Denominator: IoD2019 File 6 mid-2015 population (excluding prisoners). For LSOAs split in 2021, counts are shared among the children by Census 2021 population; the rate is unchanged. LSOAs merged in 2021 sum their parents' counts. LSOAs for which File 8 gives no count have no row, and areas (England too) are summed over the LSOAs with a count.";
const CARRIED_19: &str = "Published on LSOA 2011; each 2021 LSOA takes the value of its 2011 parent (an LSOA 2021 formed by merging takes its parents' mean weighted by their File 6 mid-2015 populations; {merged}).";
const HOMELESSNESS: &str = "Measured for the local authority as a whole: MHCLG gives every LSOA of a district the district's rate, so it is left out of LSOA maps and comparisons within the district; districts are its natural unit. No 2019 to 2025 link: IoD2025 counts households owed a homelessness prevention or relief duty, IoD2019 households accepted as owed a main homelessness duty, so the two editions measure different things.";
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
    let [imd, domains @ ..] = &RANKED;
    let mut specs = vec![
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
        rank(Edition::Iod2025, imd),
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
    ];
    specs.extend(domains.iter().map(|r| rank(Edition::Iod2025, r)));
    specs.extend([
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
            "A count only: the sources give no IoD2025 child population for LSOAs, so no honest rate can be formed. LSOAs for which MHCLG published no count have no row: not published by MHCLG.",
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
            "A count only: the sources give no population aged 60 and over for LSOAs, so no honest rate can be formed. LSOAs for which MHCLG published no count have no row: not published by MHCLG.",
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
                "Share of working-age adults with no or low qualifications or who cannot speak English well (the Adult Skills sub-domain)."
            ),
            "%",
            Proportion,
            LowIsGood,
            Value(Subdomains25, "adult_skills_score", 100.0),
            "Published as a proportion without counts (the sub-domain score equals File 8's adult skills and English language proficiency indicator); areas combine as means weighted by Census 2021 usual residents and no confidence interval is given.",
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
                "Age- and sex-standardised ratio of people receiving benefits for being unable to work through illness or disability; higher means more illness and disability."
            ),
            "standardised ratio",
            Score,
            LowIsGood,
            Value(Underlying25, "comparative_illness_and_disability_ratio_indicator", 1.0),
            "Published for each LSOA as a standardised ratio, without its observed or expected count. England is 100 by construction (observed over expected at England's rates for each age and sex, × 100), and an LSOA's ratio is set against that. An area's ratio is its summed observed count over its summed expected count, which the published ratios do not give, and no mean of them is it: weighted by Census 2021 usual residents, England's LSOA ratios average 113.29, not 100. So localities, wards and districts get no ratio of their own; they are described by where their LSOAs sit in England's distribution. No confidence interval is given.",
            Some("iod19_cidr"),
        ),
        spec(
            draft!(
                "iod25_acute_morbidity",
                "Acute morbidity",
                "Health",
                "Age- and sex-standardised ratio of emergency admissions to hospital; higher means more admissions."
            ),
            "standardised ratio",
            Score,
            LowIsGood,
            Value(Underlying25, "acute_morbidity_indicator", 1.0),
            "Published for each LSOA as a standardised ratio, without its observed or expected count. England is 100 by construction (observed over expected at England's rates for each age and sex, × 100), and an LSOA's ratio is set against that. An area's ratio is its summed observed count over its summed expected count, which the published ratios do not give, and no mean of them is it: weighted by Census 2021 usual residents, England's LSOA ratios average 105.50, not 100. So localities, wards and districts get no ratio of their own; they are described by where their LSOAs sit in England's distribution. No confidence interval is given.",
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
            HOMELESSNESS,
            None,
        )
        .district_figure(),
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
            PublishedCount(Age21, "total_usual_residents"),
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
            Ratio((Age21, "age_0_15"), (Age21, "total_usual_residents")),
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
            Ratio((Age21, "age_65_plus"), (Age21, "total_usual_residents")),
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
            "A crude share, not age-standardised. Disability rises with age and {age_structure}, so compare it with other areas only as higher or lower, not better or worse. The sources hold no age-specific disability rates for England, so no indirectly standardised ratio can be formed. Census 2021 counts carry ONS cell perturbation, so small totals may not add up exactly.",
            None,
        )
        .age_sensitive(),
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
    ]);
    specs.extend(census_outcomes::specs());
    specs.extend([
        rank(Edition::Iod2019, imd),
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
            Value(Domains19, "IMD_decile", 1.0),
            CARRIED_19,
            Some("iod25_imd_decile"),
        ),
    ]);
    specs.extend(domains.iter().map(|r| rank(Edition::Iod2019, r)));
    specs.extend([
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
            Value(Domains19, "Health_decile", 1.0),
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
            RateTimesDenominator((Domains19, "Income_score"), (Denominators19, "pop_total_mid2015")),
            "Numerator: MHCLG's published LSOA income rate (File 5 income score, a proportion to 3 decimal places) times the File 6 mid-2015 population (excluding prisoners); denominator: that population. These are MHCLG's published LSOA rates, not the rounded File 8 numerators divided by the denominators. Summed over {place}'s LSOAs they give {iod19_income_rate} (File 10: {published:iod19_income_rate}). For LSOAs split in 2021, counts are shared among the children by Census 2021 population; the rate is unchanged.",
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
            RateTimesDenominator((Domains19, "Employment_score"), (Denominators19, "pop_working_age_18_59_64_mid2015")),
            "Numerator: MHCLG's published LSOA employment rate (File 5 employment score, a proportion to 3 decimal places) times the File 6 mid-2015 working-age population (women 18 to 59, men 18 to 64, excluding prisoners); denominator: that population. These are MHCLG's published LSOA rates, not the rounded File 8 numerators divided by the denominators. Summed over {place}'s LSOAs they give {iod19_employment_rate} (File 10: {published:iod19_employment_rate}). For LSOAs split in 2021, counts are shared among the children by Census 2021 population; the rate is unchanged.",
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
                (Denominators19, "pop_aged_0_15_mid2015"),
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
                (Denominators19, "pop_aged_60_plus_mid2015"),
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
                "Age- and sex-standardised ratio of people unable to work through illness or disability, IoD2019; higher means more illness and disability."
            ),
            "standardised ratio",
            Score,
            LowIsGood,
            Value(Underlying19, "comparative_illness_and_disability_ratio_indicator", 1.0),
            "Published for each LSOA as a standardised ratio, without its observed or expected count. England is 100 by construction (observed over expected at England's rates for each age and sex, × 100), and an LSOA's ratio is set against that. An area's ratio is its summed observed count over its summed expected count, which the published ratios do not give, and no mean of them is it: weighted by Census 2021 usual residents (carried to LSOA 2021), England's LSOA ratios average 116.89, not 100. So localities, wards and districts get no ratio of their own; they are described by where their LSOAs sit in England's distribution. No confidence interval is given. Published on LSOA 2011; each 2021 LSOA takes the value of its 2011 parent.",
            Some("iod25_cidr"),
        ),
        spec(
            draft!(
                "iod19_acute_morbidity",
                "Acute morbidity (2019)",
                "Health",
                "Age- and sex-standardised ratio of emergency admissions to hospital, IoD2019; higher means more admissions."
            ),
            "standardised ratio",
            Score,
            LowIsGood,
            Value(Underlying19, "acute_morbidity_indicator", 1.0),
            "Published for each LSOA as a standardised ratio, without its observed or expected count. England is 100 by construction (observed over expected at England's rates for each age and sex, × 100), and an LSOA's ratio is set against that. An area's ratio is its summed observed count over its summed expected count, which the published ratios do not give, and no mean of them is it: weighted by Census 2021 usual residents (carried to LSOA 2021), England's LSOA ratios average 118.80, not 100. So localities, wards and districts get no ratio of their own; they are described by where their LSOAs sit in England's distribution. No confidence interval is given. Published on LSOA 2011; each 2021 LSOA takes the value of its 2011 parent.",
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
            HOMELESSNESS,
            None,
        )
        .district_figure(),
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
    ]);
    specs.extend(gp_access());
    specs
}

const GP_SOURCE: &str = "NHS England ODS (epraccur), OS Code-Point Open; distances computed by locality-atlas";
const GP_PERIOD: &str = "practices open in autumn 2025";
const GP_RESIDENTS: &str = "Computed by locality-atlas. Residents are taken as spread evenly over the LSOA (no population-weighted centroids are held): the LSOA 2021 boundary (BGC, WGS84) is projected to British National Grid (EPSG:27700, with the OSGB36 Helmert shift of EPSG:1314), and the residents are stood for by the centres of the 50 m squares of the national grid (points at eastings and northings of 25, 75, 125, ... m) lying strictly inside the boundary (a point on the boundary is in neither LSOA); an LSOA holding no such point would be stood for by its interior point. A practice is the Code-Point Open centre of its main site's postcode, and only practices with status A (active) in NHS England's register count.";
const GP_CAVEATS: &str = "Areas combine as means weighted by Census 2021 usual residents. Caveats: a straight line, not a travel distance or time; practices just outside the city boundary are not in the data, so access near the edge of the city is understated (distances overstated); a practice's list covers patients from many LSOAs, and the point is its main site only (branch surgeries are not held). Coventry only: there is no England figure.";

/// Access to open GP practices, computed from the register and the LSOA boundaries.
fn gp_access() -> [Spec; 2] {
    [
        spec(
            draft!(
                "gp_distance_km",
                "Distance to the nearest open GP practice",
                "Access to services",
                "Mean straight-line distance from the LSOA's residents to the nearest open GP practice in Coventry."
            ),
            "km",
            Score,
            LowIsGood,
            GpAccess(GpMeasure::NearestKm),
            &format!("{GP_RESIDENTS} The value is the mean over those points of the distance to the nearest practice, in km. {GP_CAVEATS}"),
            None,
        )
        .computed(GP_SOURCE, GP_PERIOD),
        spec(
            draft!(
                "gp_practices_within_1km",
                "Open GP practices within 1 km",
                "Access to services",
                "Mean number of open GP practices in Coventry within 1 km in a straight line of the LSOA's residents."
            ),
            "practices within 1 km",
            Score,
            HighIsGood,
            GpAccess(GpMeasure::WithinOneKm),
            &format!("{GP_RESIDENTS} The value is the mean over those points of the number of practices within 1 km (a practice at exactly 1 km counts). {GP_CAVEATS}"),
            None,
        )
        .computed(GP_SOURCE, GP_PERIOD),
    ]
}
